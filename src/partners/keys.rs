//! API keys: made, recognised and counted. A key is `sma_<8 hex>_<43 base64url>`; the first part
//! is its visible prefix, and only the SHA-256 of the whole key is stored. Recognised keys are
//! kept in memory: a revocation anywhere reaches every instance at once through Postgres (the
//! `api_keys` channel, followed by the index's listening connection: `forget_hex`), so a copy may
//! live a minute; while that connection is down, only a second. Use is counted in memory and
//! written every few seconds, so a partner's read costs no extra write.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::queries;
use crate::db::DbPool;
use crate::error::ApiError;

/// How long a recognised key is trusted without asking Postgres: while revocations are heard.
const CACHE_SECS_HEARD: u64 = 60;
/// The same while they may be missed (the listening connection is down, or not yet up).
const CACHE_SECS_UNHEARD: u64 = 1;

/// The channel on which Postgres announces revoked and deleted keys (migration 11).
pub const CHANNEL: &str = "api_keys";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKey {
    pub id: Uuid,
    pub partner_id: Uuid,
}

/// A new key, its visible prefix and the hash to store.
pub fn generate() -> (String, String, Vec<u8>) {
    let mut bytes = [0u8; 36];
    rand::rng().fill_bytes(&mut bytes);
    let prefix = format!("sma_{}", hex::encode(&bytes[..4]));
    let key = format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(&bytes[4..]));
    let hash = hash(&key);
    (key, prefix, hash)
}

pub fn hash(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

/// Whether a bearer token is an API key rather than a staff access token.
pub fn looks_like_key(token: &str) -> bool {
    token.starts_with("sma_")
}

pub struct KeyStore {
    pool: DbPool,
    cache: quick_cache::sync::Cache<Vec<u8>, (Option<ApiKey>, Instant)>,
    /// Whether revocations are being heard (see `heard`).
    hearing: AtomicBool,
    usage: Mutex<HashMap<Uuid, (i64, DateTime<Utc>)>>,
    /// One flush at a time, so a caller (the admin's key list) that finds the counts already
    /// taken by the background flusher waits until they are written rather than reading old ones.
    flushing: tokio::sync::Mutex<()>,
}

impl KeyStore {
    pub fn new(pool: DbPool) -> Self {
        Self {
            pool,
            cache: quick_cache::sync::Cache::new(1_000),
            hearing: AtomicBool::new(false),
            usage: Mutex::new(HashMap::new()),
            flushing: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether an earlier lookup found this key live (however long ago: a key that was live may
    /// be looked up again without first spending the caller's anonymous budget, a made-up one may not).
    pub fn recognised(&self, key: &str) -> bool {
        matches!(self.cache.get(&hash(key)), Some((Some(_), _)))
    }

    /// The live key, or `None` for an unknown or revoked one.
    pub async fn resolve(&self, key: &str) -> Result<Option<ApiKey>, ApiError> {
        let hash = hash(key);
        let trusted = if self.hearing.load(Ordering::Acquire) { CACHE_SECS_HEARD } else { CACHE_SECS_UNHEARD };
        if let Some((found, at)) = self.cache.get(&hash) {
            if at.elapsed() < Duration::from_secs(trusted) {
                return Ok(found);
            }
        }
        let found = queries::active_by_hash(&mut *self.pool.get().await?, &hash)
            .await?
            .map(|(id, partner_id)| ApiKey { id, partner_id });
        self.cache.insert(hash, (found, Instant::now()));
        Ok(found)
    }

    /// Records a key just issued as live.
    pub fn remember(&self, hash: Vec<u8>, key: ApiKey) {
        self.cache.insert(hash, (Some(key), Instant::now()));
    }

    /// Forgets a key at once (after its revocation).
    pub fn forget(&self, hash: &[u8]) {
        self.cache.remove(hash);
    }

    /// Forgets the key whose hash an `api_keys` notification names (in hex).
    pub fn forget_hex(&self, hash: &str) {
        match hex::decode(hash) {
            Ok(hash) => self.forget(&hash),
            Err(_) => self.cache.clear(),
        }
    }

    /// Whether revocations are heard from now on: `true` once the listening connection is up
    /// (every copy made while it was down is dropped), `false` when it drops.
    pub fn heard(&self, hearing: bool) {
        if hearing {
            self.cache.clear();
        }
        self.hearing.store(hearing, Ordering::Release);
    }

    pub fn used(&self, key: &ApiKey) {
        let mut usage = self.usage.lock().expect("the usage lock is never poisoned");
        let entry = usage.entry(key.id).or_insert((0, Utc::now()));
        entry.0 += 1;
        entry.1 = Utc::now();
    }

    /// Writes the counted use into `api_keys`.
    pub async fn flush(&self) -> anyhow::Result<()> {
        let _turn = self.flushing.lock().await;
        let pending: Vec<_> =
            std::mem::take(&mut *self.usage.lock().expect("the usage lock is never poisoned")).into_iter().collect();
        if pending.is_empty() {
            return Ok(());
        }
        let mut conn = self.pool.get().await?;
        for (id, (requests, last)) in pending {
            queries::record_usage(&mut conn, id, requests, last).await?;
        }
        Ok(())
    }

    /// Writes the counted use every 5 seconds, and once more when `stop` comes, so no count is lost.
    pub fn spawn_flusher(
        self: std::sync::Arc<Self>,
        stop: tokio_util::sync::CancellationToken,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let stopping = tokio::select! {
                    _ = stop.cancelled() => true,
                    _ = tokio::time::sleep(Duration::from_secs(5)) => false,
                };
                if let Err(e) = self.flush().await {
                    tracing::warn!(error = format!("{e:#}"), "could not record API key use");
                }
                if stopping {
                    return;
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_a_visible_prefix_and_are_stored_as_a_hash() {
        let (key, prefix, stored) = generate();
        assert!(key.starts_with(&format!("{prefix}_")) && looks_like_key(&key));
        assert_eq!(prefix.len(), 12);
        assert_eq!(stored, hash(&key));
        assert_ne!(generate().0, key);
    }
}
