//! Where reads go. Without `DATABASE_READ_URL` everything reads the primary. With it, public
//! reads that are not answered from memory read a streaming replica, in two kinds:
//!
//! - `bulk`: what is served as read and kept nowhere (the change feed, the export, OAI-PMH): the
//!   replica, whatever its lag. Its snapshot is a prefix of the primary's commits in commit order,
//!   so the change feed (numbered in commit order, see migration 6) never skips or repeats a
//!   change there; a partner just sees the newest changes a moment later.
//! - `current`: what may be kept in memory under the index's current generation (a resource's
//!   served card) or what an editor expects to see at once after a change (a page): the replica
//!   once it has replayed past every change this instance has heard of, the primary until then.
//!   Whatever moves the index's generation on first records the primary's WAL position
//!   (`require`), and a follower task polls the replica's replay position until it is past it;
//!   so nothing read from a replica that lags is kept under a newer generation.
//!
//! The index, the vocabularies and everything a writer reads back read the primary (their own
//! pools). When the replica cannot be reached, reads go to the primary.
//!
//! A read streamed for seconds (the export) takes a connection of its own instead (`streaming`).
//!
//! On an HTTP worker, `current` and `bulk` take their connection from that worker's own pool
//! (`Pools`): a connection's driver task runs on the thread that opened it, and the shared
//! pools' connections were opened by the runtime's threads, so every query from a worker woke
//! another thread to send it and was woken back for the answer. Driven by the worker itself, a
//! cold resource page serves about a quarter more requests a second and a cold list page a
//! third more (`bench/RESULTS.md`, session 12).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::ThreadId;
use std::time::Duration;

use diesel::sql_types::{BigInt, Nullable};
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{build_pool, DbConn, DbPool};
use crate::config::Config;

/// What taking a pooled connection can fail with.
type PoolError = deadpool::managed::PoolError<diesel_async::pooled_connection::PoolError>;

/// How often the follower asks the replica how far it has replayed while it is behind.
const BEHIND_POLL: Duration = Duration::from_millis(5);
/// And when it is not (to keep `replayed` close, and notice a replica that went away).
const IDLE_POLL: Duration = Duration::from_secs(1);

/// How many streamed reads may hold a connection of their own at once, beside the pools, and
/// how long one more waits for a place before it is refused.
pub const STREAMS_AT_ONCE: usize = 4;
const STREAM_WAIT: Duration = Duration::from_secs(3);

#[derive(diesel::QueryableByName)]
struct Position {
    #[diesel(sql_type = Nullable<BigInt>)]
    lsn: Option<i64>,
}

pub struct Reads {
    primary: Pools,
    replica: Option<Arc<Replica>>,
    streams: Arc<Semaphore>,
}

/// One database's pools for reads: a pool for each HTTP worker thread, opened by it on its first
/// read (`per_worker` connections, each driven by that worker), and the shared pool for reads
/// from anywhere else (background tasks on the runtime's threads).
struct Pools {
    shared: DbPool,
    url: SecretString,
    per_worker: usize,
    statement_timeout: Duration,
    workers: RwLock<HashMap<ThreadId, DbPool>>,
}

impl Pools {
    fn new(shared: DbPool, url: SecretString, config: &Config) -> Self {
        let workers =
            config.http_workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Self {
            shared,
            url,
            per_worker: config.db_pool_size.div_ceil(workers.max(1)),
            statement_timeout: config.db_statement_timeout,
            workers: RwLock::default(),
        }
    }

    async fn get(&self) -> Result<DbConn, PoolError> {
        match self.of_this_worker() {
            Some(pool) => pool.get().await,
            None => self.shared.get().await,
        }
    }

    /// This thread's pool when it is an HTTP worker (a single-threaded runtime, where the
    /// connections it opens stay: a task there never moves to another thread).
    fn of_this_worker(&self) -> Option<DbPool> {
        let handle = tokio::runtime::Handle::try_current().ok()?;
        if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::CurrentThread {
            return None;
        }
        let thread = std::thread::current().id();
        if let Some(pool) = self.workers.read().unwrap_or_else(|e| e.into_inner()).get(&thread) {
            return Some(pool.clone());
        }
        let pool = build_pool(self.url.expose_secret(), self.per_worker, self.statement_timeout).ok()?;
        Some(self.workers.write().unwrap_or_else(|e| e.into_inner()).entry(thread).or_insert(pool).clone())
    }
}

struct Replica {
    pools: Pools,
    /// The primary's WAL position (bytes) the replica must have replayed before `current` reads it.
    wanted: AtomicU64,
    /// The replica's replay position when the follower last asked (`u64::MAX`: it is not in
    /// recovery, so it is a primary and always current).
    replayed: AtomicU64,
    behind: tokio::sync::Notify,
}

/// A connection of its own for one streamed read, and its place among `STREAMS_AT_ONCE`
/// (given back when dropped: keep it until the response has been sent, not only read).
pub struct Streaming {
    pub conn: AsyncPgConnection,
    pub place: OwnedSemaphorePermit,
}

impl Reads {
    /// Reads on the primary (`primary`: its shared pool), or with `DATABASE_READ_URL` public reads
    /// on the replica as described above (`follow` keeps it in step).
    pub fn new(config: &Config, primary: DbPool) -> anyhow::Result<Self> {
        let replica = match &config.database_read_url {
            None => None,
            Some(url) => {
                let shared = build_pool(url.expose_secret(), config.db_pool_size, config.db_statement_timeout)?;
                Some(Arc::new(Replica {
                    pools: Pools::new(shared, url.clone(), config),
                    wanted: AtomicU64::new(0),
                    replayed: AtomicU64::new(0),
                    behind: tokio::sync::Notify::new(),
                }))
            }
        };
        Ok(Self {
            primary: Pools::new(primary, config.database_url.clone(), config),
            replica,
            streams: Arc::new(Semaphore::new(STREAMS_AT_ONCE)),
        })
    }

    pub fn has_replica(&self) -> bool {
        self.replica.is_some()
    }

    /// Opens `n` of the replica's pooled connections now (as the primary's are at start); a
    /// replica that does not answer yet is left to the first reads.
    pub async fn open_replica(&self, n: usize) {
        if let Some(replica) = &self.replica {
            drop(futures_util::future::join_all((0..n).map(|_| replica.pools.shared.get())).await);
        }
    }

    /// A connection for a read served as read and kept nowhere.
    pub async fn bulk(&self) -> Result<DbConn, PoolError> {
        self.replica_or_primary(self.replica.as_deref()).await
    }

    /// A connection to `replica` when given and it answers, else to the primary.
    async fn replica_or_primary(&self, replica: Option<&Replica>) -> Result<DbConn, PoolError> {
        if let Some(replica) = replica {
            match replica.pools.get().await {
                Ok(conn) => return Ok(conn),
                Err(error) => tracing::warn!(%error, "the read replica is unavailable: reading the primary"),
            }
        }
        self.primary.get().await
    }

    /// A connection of its own for a read streamed over seconds (the whole-library export), on
    /// the replica as `bulk` reads are, without a statement timeout (such a read may rightly take
    /// longer). Opened here, by the task that will stream, so its driver runs on that task's
    /// thread: a pooled connection's driver runs on the runtime thread that opened it, and each of
    /// the thousands of messages of a whole-library read then wakes the other thread (exporting
    /// 100,000 resources took a quarter longer through the pool; `bench/RESULTS.md`). At most
    /// `STREAMS_AT_ONCE` at a time: one more waits a few seconds for a place, then `None`.
    pub async fn streaming(&self) -> anyhow::Result<Option<Streaming>> {
        let Ok(place) = tokio::time::timeout(STREAM_WAIT, self.streams.clone().acquire_owned()).await else {
            return Ok(None);
        };
        let place = place.expect("the semaphore is never closed");
        let mut conn = None;
        if let Some(replica) = &self.replica {
            match crate::db::connect(replica.pools.url.expose_secret()).await {
                Ok(c) => conn = Some(c),
                Err(error) => tracing::warn!(%error, "the read replica is unavailable: reading the primary"),
            }
        }
        let mut conn = match conn {
            Some(c) => c,
            None => crate::db::connect(self.primary.url.expose_secret()).await?,
        };
        conn.batch_execute("SET statement_timeout = 0").await?;
        Ok(Some(Streaming { conn, place }))
    }

    /// A connection for a read that may be kept under the current generation, or must show the
    /// latest change this instance has heard of.
    pub async fn current(&self) -> Result<DbConn, PoolError> {
        self.replica_or_primary(self.replica.as_deref().filter(|r| r.in_step())).await
    }

    /// Records that the library changed up to now on the primary: `current` reads the primary
    /// until the replica has replayed this far. Call it after the change committed and before
    /// the generation moves on (without holding a pooled connection: it takes one).
    pub async fn require(&self) -> anyhow::Result<()> {
        let Some(replica) = &self.replica else { return Ok(()) };
        let now: Position = diesel::sql_query("SELECT (pg_current_wal_lsn() - '0/0')::bigint AS lsn")
            .get_result(&mut *self.primary.shared.get().await?)
            .await?;
        let lsn = now.lsn.unwrap_or(0).max(0) as u64;
        replica.wanted.fetch_max(lsn, Ordering::SeqCst);
        replica.behind.notify_one();
        Ok(())
    }

    /// Follows the replica's replay position until `stop` (nothing to do without a replica).
    pub fn follow(&self, stop: tokio_util::sync::CancellationToken) -> tokio::task::JoinHandle<()> {
        let replica = self.replica.clone();
        tokio::spawn(async move {
            let Some(replica) = replica else { return };
            loop {
                let wait = if replica.in_step() { IDLE_POLL } else { BEHIND_POLL };
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = replica.behind.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                }
                if let Err(error) = replica.ask().await {
                    tracing::debug!(%error, "the read replica did not say how far it has replayed");
                }
            }
        })
    }
}

impl Replica {
    fn in_step(&self) -> bool {
        AtomicU64::load(&self.replayed, Ordering::SeqCst) >= AtomicU64::load(&self.wanted, Ordering::SeqCst)
    }

    /// Reads the replica's replay position. A replica that lags leaves `replayed` behind
    /// `wanted`, so `current` reads the primary meanwhile; one that cannot be reached is treated
    /// as behind by `bulk` and `current` alike (they fall back when it gives no connection).
    async fn ask(&self) -> anyhow::Result<()> {
        let mut conn = self.pools.shared.get().await?;
        let at: Position = diesel::sql_query(
            "SELECT CASE WHEN pg_is_in_recovery() THEN (pg_last_wal_replay_lsn() - '0/0')::bigint END AS lsn",
        )
        .get_result(&mut *conn)
        .await?;
        let replayed = at.lsn.map_or(u64::MAX, |lsn| lsn.max(0) as u64);
        self.replayed.store(replayed, Ordering::SeqCst);
        Ok(())
    }
}
