//! A primary and its streaming replica of the test's own: a private cluster (`initdb`, which
//! allows replication from loopback) on a free port with the service's database made and
//! migrated, copied by `pg_basebackup -R` into a replica on another free port, under a directory
//! of its own in the system's temporary folder. Both are stopped and removed on drop. The
//! machine's own server is left alone (its `pg_hba.conf` allows no replication).

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use diesel::sql_types::{BigInt, Bool, Nullable};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use social_mission_api::db::local_cluster;

const DATABASE: &str = "sma_replicated";

pub struct ReplicaPair {
    dir: PathBuf,
    pub primary_url: String,
    pub replica_url: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[derive(diesel::QueryableByName)]
struct Lsn {
    #[diesel(sql_type = Nullable<BigInt>)]
    lsn: Option<i64>,
}

#[derive(diesel::QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    flag: bool,
}

impl ReplicaPair {
    pub async fn start() -> Self {
        assert!(
            local_cluster::find_program("pg_basebackup").is_some(),
            "the replica tests need PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup): \
             sudo apt-get install postgresql"
        );
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("sma-replica-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The postgres user (as which the clusters run when we are root) makes the replica's folder.
        let _ = std::process::Command::new("chown").args(["postgres:postgres", dir.to_str().unwrap()]).status();
        let pair_dir = dir.clone();
        let (primary_port, replica_port) = (free_port(), free_port());
        let primary_dir = dir.join("primary");
        let primary_url = tokio::task::spawn_blocking(move || {
            local_cluster::start(primary_dir.to_str().unwrap(), primary_port, DATABASE).unwrap()
        })
        .await
        .unwrap();
        let mut pair = Self { dir: pair_dir, primary_url: primary_url.clone(), replica_url: String::new() };
        social_mission_api::db::create_database_if_missing(&primary_url).await.unwrap();
        social_mission_api::db::run_migrations(&primary_url).await.unwrap();
        let replica_dir = dir.join("replica");
        pair.replica_url = tokio::task::spawn_blocking(move || {
            local_cluster::start_replica(primary_port, replica_dir.to_str().unwrap(), replica_port, DATABASE).unwrap()
        })
        .await
        .unwrap();
        pair
    }

    pub async fn primary(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.primary_url).await.unwrap()
    }

    pub async fn replica(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.replica_url).await.unwrap()
    }

    /// Waits until the replica has replayed everything the primary has written so far.
    pub async fn caught_up(&self) {
        let wanted: Lsn = diesel::sql_query("SELECT (pg_current_wal_lsn() - '0/0')::bigint AS lsn")
            .get_result(&mut self.primary().await)
            .await
            .unwrap();
        let mut replica = self.replica().await;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let at: Lsn = diesel::sql_query("SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint AS lsn")
                .get_result(&mut replica)
                .await
                .unwrap();
            if at.lsn >= wanted.lsn {
                return;
            }
            assert!(Instant::now() < deadline, "the replica did not catch up");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops (or resumes) applying the primary's changes on the replica: it keeps answering
    /// reads, from what it had replayed.
    pub async fn pause_replay(&self, paused: bool) {
        let mut replica = self.replica().await;
        let call = if paused { "pg_wal_replay_pause()" } else { "pg_wal_replay_resume()" };
        replica.batch_execute(&format!("SELECT {call}")).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let state: Flag = diesel::sql_query("SELECT pg_get_wal_replay_pause_state() = 'paused' AS flag")
                .get_result(&mut replica)
                .await
                .unwrap();
            if state.flag == paused {
                return;
            }
            assert!(Instant::now() < deadline, "the replica did not pause");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for ReplicaPair {
    fn drop(&mut self) {
        for cluster in ["replica", "primary"] {
            let _ = local_cluster::stop(self.dir.join(cluster).to_str().unwrap());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
