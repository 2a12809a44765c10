//! Redis for the shared rate-limit tests: the machine's own (`TEST_REDIS_URL`, by default
//! `redis://127.0.0.1:6379`, which our machines and CI run), each test under a key prefix of its
//! own so tests never share a budget; and, for the tests that stop Redis under a running
//! service, a private `redis-server` on a port of its own (keeping nothing on disk).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Redis the tests share.
pub fn url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A connection to `url`, or a panic that names the fix.
pub async fn connect(url: &str) -> redis::aio::MultiplexedConnection {
    let client = redis::Client::open(url).expect("a valid Redis URL");
    match tokio::time::timeout(Duration::from_secs(3), client.get_multiplexed_async_connection()).await {
        Ok(Ok(conn)) => conn,
        _ => panic!(
            "the shared rate-limit tests need Redis at {url}: start one (`redis-server --save '' --daemonize yes`, \
             or `docker run -p 6379:6379 redis:7`) or point TEST_REDIS_URL at one"
        ),
    }
}

/// The configuration of an instance counting its limits in the shared Redis under a fresh prefix.
pub fn shared(prefix: &str) -> Vec<(String, String)> {
    vec![
        ("RATE_LIMIT_STORE".into(), url()),
        ("RATE_LIMIT_KEY_PREFIX".into(), prefix.into()),
        // A test run loads both cores: the production 250 ms would sometimes send a request to
        // the fallback budgets and the test would count in the wrong place.
        ("RATE_LIMIT_STORE_TIMEOUT_MS".into(), "5000".into()),
    ]
}

/// A fresh key prefix for one test.
pub fn prefix() -> String {
    format!("test:{}:", uuid::Uuid::new_v4().simple())
}

/// The keys under `prefix`, with their time to live in milliseconds.
pub async fn keys(url: &str, prefix: &str) -> Vec<(String, i64)> {
    let mut conn = connect(url).await;
    let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{prefix}*")).query_async(&mut conn).await.unwrap();
    let mut out = Vec::new();
    for key in keys {
        let ttl: i64 = redis::cmd("PTTL").arg(&key).query_async(&mut conn).await.unwrap();
        out.push((key, ttl));
    }
    out
}

/// A `redis-server` of the test's own on a free loopback port, stopped on drop (and by `stop`).
pub struct PrivateRedis {
    pub port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    pub async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut redis = Self { port, child: None };
        redis.restart().await;
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on its port and waits until it answers.
    pub async fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the fallback test runs its own redis-server (Debian's package `redis-server`)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        let client = redis::Client::open(self.url()).unwrap();
        while client.get_multiplexed_async_connection().await.is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start on port {}", self.port);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Kills the server (as a crash would).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
