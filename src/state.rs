//! `AppState`: what every handler may use (configuration, pool, keys, limiter, the library's
//! index, the outbox). It is built without starting anything; `app::Application` starts and stops
//! the background tasks that keep parts of it current.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::db::reads::Reads;
use crate::db::DbPool;
use crate::index::LibraryIndex;
use crate::metrics::Metrics;
use crate::ratelimit::Limiter;

pub struct AppState {
    pub config: Config,
    pub pool: DbPool,
    /// Where public reads go: a replica when `DATABASE_READ_URL` is set, else the primary.
    pub reads: Arc<Reads>,
    pub jwt: JwtKeys,
    /// Seals unsent messages and stored answers (see `crypto`).
    pub data_key: crate::crypto::DataKey,
    pub limiter: Arc<Limiter>,
    /// Argon2 for requests, a few at a time (`PASSWORD_HASH_CONCURRENCY`).
    pub passwords: crate::auth::password::Passwords,
    pub metrics: Metrics,
    /// The outbox's worker: runs in the background, and `drain` runs what is due at once (tests).
    pub jobs: crate::jobs::outbox::Worker,
    /// Wakes the outbox worker when a request has written a message.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// The library's search index (a shared storage structure, see `index`): writers tell it what
    /// they changed; the caches of what the library serves sit above it (`resources::cache`).
    pub index: Arc<LibraryIndex>,
    /// A real Argon2 hash of a random password: login verifies against it when the email is
    /// unknown, so that case takes as long as a wrong password.
    pub dummy_password_hash: String,
    /// The OpenAPI document, serialised once.
    pub openapi_json: String,
    /// Set when the instance was asked to stop: `/health/ready` answers 503 from then on.
    stopping: AtomicBool,
}

impl AppState {
    /// The state for this configuration and pool, serving the given OpenAPI document.
    pub async fn new(config: Config, pool: DbPool, openapi: &utoipa::openapi::OpenApi) -> anyhow::Result<Self> {
        let outbox_wake = Arc::new(tokio::sync::Notify::new());
        let reads = Arc::new(Reads::new(&config, pool.clone())?);
        Ok(Self {
            jobs: crate::jobs::outbox::Worker::new(&config, pool.clone(), outbox_wake.clone())?,
            outbox_wake,
            index: Arc::new(LibraryIndex::new(pool.clone(), reads.clone(), config.search_kept_answers)),
            reads,
            jwt: JwtKeys::new(&config.jwt_secret),
            data_key: crate::crypto::DataKey::derive(&config.data_key_secret),
            limiter: Arc::new(Limiter::from_config(&config)?),
            passwords: crate::auth::password::Passwords::new(config.password_hash_concurrency),
            metrics: Metrics::new()?,
            // Set by `Application::build` once the index has loaded (see there).
            dummy_password_hash: String::new(),
            openapi_json: serde_json::to_string_pretty(openapi)?,
            stopping: AtomicBool::new(false),
            config,
            pool,
        })
    }

    /// From now on the instance reports not ready (it was asked to stop).
    pub fn begin_stopping(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}
