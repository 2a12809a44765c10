//! The in-process store of rate limits: one process's budgets, for a single instance
//! (`RATE_LIMIT_STORE=memory`) or while the shared store cannot be reached. Budgets of requests
//! use `governor` (GCRA); budgets of failures (sign-in) use the same arithmetic here, because a
//! unit taken before an attempt must be given back when the attempt succeeds, which `governor`
//! cannot do. Idle keys are forgotten by `prune`, so the state stays bounded whatever keys callers
//! make up.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock, Reference};
use governor::middleware::{NoOpMiddleware, StateInformationMiddleware};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter as Gcra};

use super::{Decision, Policy, POLICIES};
use crate::config::Config;

pub trait RateLimiter: Send + Sync {
    /// Takes one unit of `key`'s budget under `policy`; refused when none is left.
    fn check(&self, policy: Policy, key: &str) -> Decision;

    /// For attempts that only count when they fail (sign-in): takes one unit of `key`'s failure
    /// budget ahead of the attempt, so attempts still in flight count too; `forgive` gives it
    /// back when the attempt succeeded. Refused (nothing taken) when none is left.
    fn begin_attempt(&self, policy: Policy, key: &str) -> Decision;

    /// Gives back the unit of a `begin_attempt` or `strain` whose attempt succeeded.
    fn forgive(&self, policy: Policy, key: &str);

    /// Counts an attempt against `key` that is never refused (an account tried from many
    /// addresses), and answers how many failures it had recently before this one; each is
    /// forgotten after 60/limit seconds. Given back by `forgive` when the attempt succeeded.
    fn strain(&self, policy: Policy, key: &str) -> u32;

    /// Forgets keys whose budget is whole again (they are indistinguishable from new ones).
    fn prune(&self);
}

type Keyed<C> = Gcra<String, DefaultKeyedStateStore<String>, C, StateInformationMiddleware>;

/// A keyed GCRA of failures: per key, the theoretical arrival time (`tat`) of its next unit, in
/// nanoseconds since the limiter started. `tat - now` over the emission interval is how many
/// units are in use; a key whose `tat` has passed holds nothing and is pruned.
struct Failures {
    limit: u32,
    /// The emission interval: one unit comes back every 60/limit seconds.
    interval: u64,
    tats: Mutex<HashMap<String, u64>>,
}

impl Failures {
    fn new(limit: u32) -> Self {
        Self { limit, interval: 60_000_000_000 / u64::from(limit), tats: Mutex::new(HashMap::new()) }
    }

    fn tats(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.tats.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn in_use(&self, tat: u64, now: u64) -> u64 {
        tat.saturating_sub(now).div_ceil(self.interval)
    }

    fn secs(nanos: u64) -> u64 {
        nanos.div_ceil(1_000_000_000)
    }

    fn begin(&self, key: &str, now: u64) -> Decision {
        let mut tats = self.tats();
        let tat = tats.get(key).copied().unwrap_or(now).max(now);
        let next = tat + self.interval;
        let capacity = u64::from(self.limit) * self.interval;
        if next - now > capacity {
            return Decision {
                allowed: false,
                limit: self.limit,
                remaining: 0,
                reset_secs: Self::secs(tat - now),
                retry_after_secs: Self::secs(next - now - capacity).max(1),
            };
        }
        tats.insert(key.to_string(), next);
        let used = self.in_use(next, now);
        Decision {
            allowed: true,
            limit: self.limit,
            remaining: (u64::from(self.limit) - used) as u32,
            reset_secs: Self::secs(next - now),
            retry_after_secs: 0,
        }
    }

    fn strain(&self, key: &str, now: u64) -> u32 {
        let mut tats = self.tats();
        let tat = tats.get(key).copied().unwrap_or(now).max(now);
        let before = self.in_use(tat, now);
        // Kept to twice the budget, so an attack that stopped is forgotten within two minutes.
        let cap = now + 2 * u64::from(self.limit) * self.interval;
        tats.insert(key.to_string(), (tat + self.interval).min(cap));
        before.min(u64::from(u32::MAX)) as u32
    }

    fn forgive(&self, key: &str, now: u64) {
        let mut tats = self.tats();
        if let Some(tat) = tats.get_mut(key) {
            *tat = tat.saturating_sub(self.interval);
            if *tat <= now {
                tats.remove(key);
            }
        }
    }

    fn prune(&self, now: u64) {
        let mut tats = self.tats();
        tats.retain(|_, tat| *tat > now);
        tats.shrink_to_fit();
    }

    fn len(&self) -> usize {
        self.tats().len()
    }
}

struct Budget<C: Clock> {
    limit: u32,
    requests: Keyed<C>,
    failures: Failures,
}

pub struct InProcessLimiter<C: Clock = DefaultClock> {
    budgets: HashMap<Policy, Budget<C>>,
    clock: C,
    start: C::Instant,
}

impl InProcessLimiter {
    pub fn from_config(config: &Config) -> Self {
        Self::with_clock(config, DefaultClock::default(), 1)
    }

    /// The fallback of a shared store: each budget a `share` of the configured one (see
    /// `Policy::share`), so `INSTANCES` processes together allow what one shared budget would.
    pub fn share_of(config: &Config, instances: u32) -> Self {
        Self::with_clock(config, DefaultClock::default(), instances)
    }
}

impl<C: Clock + Clone> InProcessLimiter<C> {
    /// Budgets from `config`, each divided among `instances` processes.
    pub fn with_clock(config: &Config, clock: C, instances: u32) -> Self {
        let budgets = POLICIES
            .into_iter()
            .map(|policy| {
                let per_minute = policy.share(policy.per_minute(config), instances);
                let quota = Quota::per_minute(NonZeroU32::new(per_minute).expect("at least 1"));
                let requests: Keyed<C> = Gcra::<_, _, _, NoOpMiddleware<C::Instant>>::new(
                    quota,
                    DefaultKeyedStateStore::<String>::default(),
                    clock.clone(),
                )
                .with_middleware();
                (policy, Budget { limit: per_minute, requests, failures: Failures::new(per_minute) })
            })
            .collect();
        let start = clock.now();
        Self { budgets, clock, start }
    }

    fn budget(&self, policy: Policy) -> &Budget<C> {
        &self.budgets[&policy]
    }

    fn now(&self) -> u64 {
        self.clock.now().duration_since(self.start).as_u64()
    }

    /// How many keys are held, over every policy.
    pub fn keys(&self) -> usize {
        self.budgets.values().map(|b| b.requests.len() + b.failures.len()).sum()
    }
}

impl<C> RateLimiter for InProcessLimiter<C>
where
    C: Clock + Clone + Send + Sync,
    C::Instant: Send + Sync,
{
    fn check(&self, policy: Policy, key: &str) -> Decision {
        let Budget { limit, requests, .. } = self.budget(policy);
        let per_token = Duration::from_secs(60) / *limit;
        match requests.check_key(&key.to_string()) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                Decision {
                    allowed: true,
                    limit: *limit,
                    remaining,
                    reset_secs: (per_token * (limit - remaining)).as_secs_f64().ceil() as u64,
                    retry_after_secs: 0,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Decision {
                    allowed: false,
                    limit: *limit,
                    remaining: 0,
                    reset_secs: (per_token * *limit).as_secs_f64().ceil() as u64,
                    retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
                }
            }
        }
    }

    fn begin_attempt(&self, policy: Policy, key: &str) -> Decision {
        self.budget(policy).failures.begin(key, self.now())
    }

    fn forgive(&self, policy: Policy, key: &str) {
        self.budget(policy).failures.forgive(key, self.now());
    }

    fn strain(&self, policy: Policy, key: &str) -> u32 {
        self.budget(policy).failures.strain(key, self.now())
    }

    fn prune(&self) {
        let now = self.now();
        for budget in self.budgets.values() {
            budget.requests.retain_recent();
            budget.requests.shrink_to_fit();
            budget.failures.prune(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    fn limiter(pairs: &[(&str, &str)]) -> (InProcessLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let mut vars: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        vars.insert("APP_ENV".to_string(), "development".to_string());
        let clock = FakeRelativeClock::default();
        (InProcessLimiter::with_clock(&Config::from_vars(vars).unwrap(), clock.clone(), 1), clock)
    }

    #[test]
    fn a_key_gets_its_budget_and_then_a_retry_after() {
        let (limiter, _) = limiter(&[("RATE_LIMIT_FORMS_PER_MINUTE", "3")]);
        let remaining: Vec<u32> = (0..3).map(|_| limiter.check(Policy::Forms, "ip:1").remaining).collect();
        assert_eq!(remaining, vec![2, 1, 0]);
        let refused = limiter.check(Policy::Forms, "ip:1");
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after_secs, 20, "one unit comes back every 20 s");
        assert!(limiter.check(Policy::Forms, "ip:2").allowed, "keys are independent");
        assert!(limiter.check(Policy::Tokens, "ip:1").allowed, "policies are independent");
    }

    #[test]
    fn failures_are_counted_ahead_and_a_success_gives_its_unit_back() {
        let (limiter, clock) = limiter(&[("RATE_LIMIT_LOGIN_PER_MINUTE", "3")]);
        // Successes never use the budget up.
        for _ in 0..10 {
            assert!(limiter.begin_attempt(Policy::Login, "ip:1").allowed);
            limiter.forgive(Policy::Login, "ip:1");
        }
        // Three failures (attempts not forgiven), then a refusal until one unit comes back.
        let remaining: Vec<u32> = (0..3).map(|_| limiter.begin_attempt(Policy::Login, "ip:1").remaining).collect();
        assert_eq!(remaining, vec![2, 1, 0]);
        let refused = limiter.begin_attempt(Policy::Login, "ip:1");
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after_secs, 20);
        assert!(limiter.begin_attempt(Policy::Login, "ip:2").allowed, "keys are independent");
        clock.advance(Duration::from_secs(20));
        assert!(limiter.begin_attempt(Policy::Login, "ip:1").allowed, "one failure was forgotten");
        assert!(!limiter.begin_attempt(Policy::Login, "ip:1").allowed);
    }

    #[test]
    fn strain_counts_recent_failures_never_refuses_and_fades() {
        let (limiter, clock) = limiter(&[("RATE_LIMIT_LOGIN_PER_MINUTE", "10")]);
        let seen: Vec<u32> = (0..50).map(|_| limiter.strain(Policy::Login, "account:a")).collect();
        assert_eq!(seen[..12], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_eq!(*seen.last().unwrap(), 20, "kept to twice the budget");
        // A success is not a failure.
        limiter.forgive(Policy::Login, "account:a");
        assert_eq!(limiter.strain(Policy::Login, "account:a"), 19);
        clock.advance(Duration::from_secs(60));
        assert_eq!(limiter.strain(Policy::Login, "account:a"), 10, "one forgotten every 6 s");
        clock.advance(Duration::from_secs(120));
        assert_eq!(limiter.strain(Policy::Login, "account:a"), 0);
    }

    #[test]
    fn idle_keys_are_pruned_and_busy_ones_kept() {
        let (limiter, clock) = limiter(&[("RATE_LIMIT_READS_PER_MINUTE", "60"), ("RATE_LIMIT_LOGIN_PER_MINUTE", "6")]);
        for n in 0..1000 {
            limiter.check(Policy::Reads, &format!("ip:{n}"));
            limiter.begin_attempt(Policy::Login, &format!("ip:{n}"));
            limiter.strain(Policy::Login, &format!("account:{n}"));
        }
        assert_eq!(limiter.keys(), 3000);
        limiter.prune();
        assert_eq!(limiter.keys(), 3000, "nothing is idle yet");
        clock.advance(Duration::from_secs(2));
        limiter.check(Policy::Reads, "ip:busy");
        limiter.check(Policy::Reads, "ip:busy");
        limiter.begin_attempt(Policy::Login, "ip:busy");
        limiter.prune();
        // A read's unit comes back after 1 s, a failure's after 10 s.
        assert_eq!(limiter.keys(), 2002);
        clock.advance(Duration::from_secs(11));
        limiter.prune();
        assert_eq!(limiter.keys(), 0);
        // A pruned key is a new key: its whole budget.
        assert_eq!(limiter.check(Policy::Reads, "ip:1").remaining, 59);
    }
}
