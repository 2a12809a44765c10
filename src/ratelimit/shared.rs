//! The shared store of rate limits: Redis, so every instance spends one budget per key. Each
//! check is one Lua script run by Redis (atomic: no other client's command runs between its read
//! and its write) over the same GCRA arithmetic as the in-process store, on Redis's own clock
//! (`TIME`), so instances whose clocks differ still agree. A key's state is one integer (the
//! theoretical arrival time of its next unit, in microseconds) that expires when its budget is
//! whole again, so Redis holds only keys in use. Keys are an HMAC of the caller's key (an address,
//! an email): what Redis holds names nobody to someone who reads it without the service's secret.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{RedisError, RedisResult, Script};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use super::{Decision, Policy, POLICIES};
use crate::config::Config;

/// After a failure, how long every request goes straight to this process's budgets before Redis
/// is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// Takes one unit of a key's budget: ARGV = emission interval (µs), limit. Answers
/// {allowed (0/1), remaining, µs until whole, µs until the next unit (0 when allowed)}.
const TAKE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nxt = tat + interval
local capacity = limit * interval
if nxt - now > capacity then
  return {0, 0, tat - now, nxt - now - capacity}
end
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.ceil((nxt - now) / 1000))
return {1, limit - math.ceil((nxt - now) / interval), nxt - now, 0}
";

/// Counts a failure that is never refused: answers how many units were in use before it; the
/// state is kept to twice the budget, so an attack that stopped is forgotten within two minutes.
const STRAIN: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local before = math.ceil((tat - now) / interval)
local nxt = math.min(tat + interval, now + 2 * limit * interval)
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.ceil((nxt - now) / 1000))
return before
";

/// Gives one unit back; the key goes when nothing is in use.
const FORGIVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat then return 0 end
tat = tat - tonumber(ARGV[1])
if tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
end
return 1
";

/// Which of a policy's two budgets a key spends: requests (`check`) or failures (sign-in).
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Requests,
    Failures,
}

pub struct SharedStore {
    redis: ConnectionManager,
    /// Put before every key (`RATE_LIMIT_KEY_PREFIX`), so deployments can share one Redis.
    prefix: String,
    /// The HMAC key of the callers' keys, derived from the data key's secret.
    secret: [u8; 32],
    /// The whole budget per minute of each policy (indexed like `POLICIES`).
    limits: [u32; 6],
    take: Script,
    strain: Script,
    forgive: Script,
    /// Set while Redis is failing; requests are counted in this process meanwhile.
    down: AtomicBool,
    /// Milliseconds after `epoch` before which Redis is not tried again.
    retry_at: AtomicU64,
    epoch: Instant,
}

impl SharedStore {
    /// Connects lazily: the service starts (and serves from its own budgets) whether or not Redis answers.
    pub fn new(url: &SecretString, config: &Config) -> anyhow::Result<Self> {
        let client = redis::Client::open(url.expose_secret())?;
        let manager = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(config.rate_limit_store_timeout))
            .set_response_timeout(Some(config.rate_limit_store_timeout))
            .set_number_of_retries(1);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"social-mission-api rate-limit keys v1").expect("any key length");
        mac.update(config.data_key_secret.expose_secret().as_bytes());
        Ok(Self {
            redis: ConnectionManager::new_lazy_with_config(client, manager)?,
            prefix: config.rate_limit_key_prefix.clone(),
            secret: mac.finalize().into_bytes().into(),
            limits: POLICIES.map(|p| p.per_minute(config)),
            take: Script::new(TAKE),
            strain: Script::new(STRAIN),
            forgive: Script::new(FORGIVE),
            down: AtomicBool::new(false),
            retry_at: AtomicU64::new(0),
            epoch: Instant::now(),
        })
    }

    fn limit(&self, policy: Policy) -> u32 {
        self.limits[POLICIES.iter().position(|p| *p == policy).expect("every policy is listed")]
    }

    /// The emission interval of `policy`: one unit comes back every 60/limit seconds.
    fn interval_us(&self, policy: Policy) -> u64 {
        60_000_000 / u64::from(self.limit(policy))
    }

    fn key(&self, policy: Policy, kind: Kind, key: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(key.as_bytes());
        let digest = hex::encode(&mac.finalize().into_bytes()[..16]);
        let kind = match kind {
            Kind::Requests => "r",
            Kind::Failures => "f",
        };
        format!("{}rl:{}:{kind}:{digest}", self.prefix, policy.name())
    }

    pub async fn take(&self, policy: Policy, kind: Kind, key: &str) -> RedisResult<Decision> {
        let (allowed, remaining, reset_us, retry_us): (u8, u64, u64, u64) = self
            .take
            .key(self.key(policy, kind, key))
            .arg(self.interval_us(policy))
            .arg(self.limit(policy))
            .invoke_async(&mut self.redis.clone())
            .await?;
        let secs = |us: u64| us.div_ceil(1_000_000);
        Ok(Decision {
            allowed: allowed == 1,
            limit: self.limit(policy),
            remaining: remaining.min(u64::from(u32::MAX)) as u32,
            reset_secs: secs(reset_us),
            retry_after_secs: if allowed == 1 { 0 } else { secs(retry_us).max(1) },
        })
    }

    pub async fn strain(&self, policy: Policy, key: &str) -> RedisResult<u32> {
        let before: u64 = self
            .strain
            .key(self.key(policy, Kind::Failures, key))
            .arg(self.interval_us(policy))
            .arg(self.limit(policy))
            .invoke_async(&mut self.redis.clone())
            .await?;
        Ok(before.min(u64::from(u32::MAX)) as u32)
    }

    pub async fn forgive(&self, policy: Policy, key: &str) -> RedisResult<()> {
        let _: u8 = self
            .forgive
            .key(self.key(policy, Kind::Failures, key))
            .arg(self.interval_us(policy))
            .invoke_async(&mut self.redis.clone())
            .await?;
        Ok(())
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// False while Redis failed less than `RETRY_AFTER` ago: requests go to this process's budgets.
    pub fn usable(&self) -> bool {
        self.now_ms() >= self.retry_at.load(Ordering::Relaxed)
    }

    /// True from a failure until Redis answers again.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Relaxed)
    }

    pub fn answered(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::warn!("Redis answers again: rate limits are shared by every instance again");
        }
    }

    pub fn failed(&self, error: &RedisError) {
        self.retry_at.store(self.now_ms() + RETRY_AFTER.as_millis() as u64, Ordering::Relaxed);
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::error!(
                %error,
                "Redis (RATE_LIMIT_STORE) does not answer: rate limits are counted in this process, \
                 each budget divided among INSTANCES, until it does"
            );
        }
    }

    /// Asks Redis whether it answers (at start, and from `/health/ready`, when it is due to be tried).
    pub async fn ping(&self) -> RedisResult<()> {
        redis::cmd("PING").query_async::<()>(&mut self.redis.clone()).await
    }
}
