//! The real binary: start-up failures, the command-line tasks, logs, graceful shutdown, and the
//! private development cluster.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{db, SendJson};

const BIN: &str = env!("CARGO_BIN_EXE_social-mission-api");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A fresh test database, dropped with the guard.
struct Database(String);

impl Database {
    async fn new() -> Self {
        Self(db::create_test_database().await)
    }
    fn url(&self) -> String {
        db::url_for(&self.0)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        db::drop_database(std::mem::take(&mut self.0));
    }
}

/// The binary in development (as `cargo run` starts it); production tests remove `APP_ENV`.
fn command(database_url: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("APP_ENV", "development")
        .env("RUST_LOG", "info");
    cmd
}

const PRODUCTION_SECRET: &str = "a-production-secret-of-more-than-32-characters";

struct Server {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Server {
    fn start(database_url: &str, extra: &[(&str, &str)]) -> Self {
        Self::start_on(free_port(), database_url, extra)
    }

    fn start_on(port: u16, database_url: &str, extra: &[(&str, &str)]) -> Self {
        let log = std::env::temp_dir().join(format!("sma-serve-{}-{port}.log", std::process::id()));
        let mut cmd = command(database_url);
        cmd.env("PORT", port.to_string()).env("LOG_FORMAT", "json");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child =
            cmd.arg("serve").stdout(Stdio::null()).stderr(std::fs::File::create(&log).unwrap()).spawn().unwrap();
        let server = Server { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the server did not start: {}", server.logs());
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    fn wait(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop in time");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

#[actix_web::test]
async fn without_postgres_the_service_exits_with_one_line_naming_the_fix() {
    let output = command("postgres://postgres@127.0.0.1:1/social_mission").arg("serve").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/social_mission"),
        "{stderr}"
    );
    assert!(
        last.contains("DATABASE_URL")
            && last.contains("docker compose up -d db")
            && last.contains("apt-get install postgresql")
    );
}

#[actix_web::test]
async fn with_nothing_set_the_binary_is_production_and_refuses_the_development_secret() {
    for app_env in [None, Some("production")] {
        let mut cmd = command(&db::server_url());
        match app_env {
            None => cmd.env_remove("APP_ENV"),
            Some(v) => cmd.env("APP_ENV", v),
        };
        let output = cmd.arg("serve").output().unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("APP_ENV=production refuses to start") && stderr.contains("JWT_SECRET"), "{stderr}");
    }
    let output = command(&db::server_url()).env_remove("APP_ENV").args(["seed", "--demo"]).output().unwrap();
    assert!(!output.status.success(), "demo data is not seeded in production");
}

#[actix_web::test]
async fn a_production_start_seeds_nothing_and_deactivates_an_account_with_the_demo_password() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let database = Database::new().await;
    let mut conn = diesel_async::AsyncPgConnection::establish(&database.url()).await.unwrap();
    let seed = social_mission_api::seed::create_staff;
    let demo = social_mission_api::seed::DEMO_PASSWORD.to_string();
    let admin = social_mission_api::users::json::Role::Admin;
    seed(&mut conn, "admin@example.org", "Demo Admin", admin, demo.clone()).await.unwrap();
    seed(&mut conn, "real@example.org", "Real Admin", admin, "a real long passphrase".into()).await.unwrap();

    let server = Server::start(
        &database.url(),
        &[
            ("APP_ENV", "production"),
            ("JWT_SECRET", PRODUCTION_SECRET),
            ("CORS_ALLOWED_ORIGINS", "https://www.example.org"),
        ],
    );
    let client = reqwest::Client::new();
    let login = |email: &str, password: &str| {
        client.post(server.url("/api/v1/auth/login")).json(&json!({ "email": email, "password": password })).send()
    };
    assert_eq!(login("admin@example.org", &demo).await.unwrap().status(), 401, "the demo account is disabled");
    assert_eq!(login("real@example.org", "a real long passphrase").await.unwrap().status(), 200);
    let logs = server.logs();
    assert!(logs.contains("deactivated a staff account that opened with the published demo password"), "{logs}");

    #[derive(diesel::QueryableByName)]
    struct Counts {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        users: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        resources: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        champions: i64,
    }
    let counts: Counts = diesel::sql_query(
        "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM resources) AS resources, \
         (SELECT count(*) FROM champions) AS champions",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!((counts.users, counts.resources, counts.champions), (2, 0, 0), "production seeds nothing");

    // CORS allows only the origin it was given.
    for (origin, allowed) in [("https://www.example.org", true), ("https://evil.example", false)] {
        let preflight = client
            .request(reqwest::Method::OPTIONS, server.url("/api/v1/resources"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.headers().get("access-control-allow-origin").is_some(), allowed, "{origin}");
    }
}

#[actix_web::test]
async fn development_shows_the_links_of_messages_it_did_not_send_with_the_mail_command() {
    let database = Database::new().await;
    let server = Server::start(&database.url(), &[]);
    let response = reqwest::Client::new()
        .post(server.url("/api/v1/newsletter/subscriptions"))
        .json(&json!({ "email": "Reader@Example.org", "consent": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let output = command(&database.url()).args(["mail", "--to", "reader@example.org"]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let stdout = String::from_utf8_lossy(&output.stdout);
        if stdout.contains("[logged]") {
            assert!(stdout.contains("/newsletter/confirm?token="), "{stdout}");
            break;
        }
        assert!(Instant::now() < deadline, "no logged message: {stdout}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = command(&database.url())
        .env_remove("APP_ENV")
        .env("JWT_SECRET", PRODUCTION_SECRET)
        .arg("mail")
        .output()
        .unwrap();
    assert!(!output.status.success(), "production does not show messages");
}

#[actix_web::test]
async fn migrate_creates_a_missing_database_and_create_admin_makes_an_admin() {
    let name = format!("sma_test_{}_cli_{}", std::process::id(), free_port());
    let guard = Database(name);
    // `Database` normally clones the template; here the binary must create it from nothing.
    let output = command(&guard.url()).arg("migrate").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let output = command(&guard.url())
        .env("ADMIN_PASSWORD", "first-admin-password")
        .args(["create-admin", "--email", "First@Example.org", "--name", "First Admin"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("created admin first@example.org"));

    // A second time is refused, and a short password too.
    let again = command(&guard.url())
        .env("ADMIN_PASSWORD", "first-admin-password")
        .args(["create-admin", "--email", "first@example.org", "--name", "Again"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short = command(&guard.url())
        .env("ADMIN_PASSWORD", "short")
        .args(["create-admin", "--email", "second@example.org", "--name", "Second"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));

    let mut server = Server::start(&guard.url(), &[]);
    let client = reqwest::Client::new();
    let login = client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "email": "first@example.org", "password": "first-admin-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let token: Value = login.json().await.unwrap();
    let me: Value = client
        .get(server.url("/api/v1/auth/me"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json_value()
        .await;
    assert_eq!(me["role"], "admin");
    // Development seeds demo staff on first start only; the admin above made this database non-empty.
    let demo = client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({ "email": "admin@example.org", "password": social_mission_api::seed::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(demo.status(), 401);
    server.terminate();
    assert!(server.wait(Duration::from_secs(20)).success());
}

#[actix_web::test]
async fn a_fresh_development_database_gets_demo_staff_and_logs_carry_the_request_id() {
    let database = Database::new().await;
    let server = Server::start(&database.url(), &[]);
    let client = reqwest::Client::new();
    let login = client
        .post(server.url("/api/v1/auth/login"))
        .header("x-request-id", "proc-login-1")
        .json(&json!({ "email": "admin@example.org", "password": social_mission_api::seed::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let token: Value = login.json().await.unwrap();

    // An internal failure: the client sees nothing of it, the log has the cause and the id.
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut conn = diesel_async::AsyncPgConnection::establish(&database.url()).await.unwrap();
    diesel::sql_query("DROP TABLE audit_log").execute(&mut conn).await.unwrap();
    let failed = client
        .get(server.url("/api/v1/admin/audit-log"))
        .header("x-request-id", "proc-fail-500")
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 500);
    assert!(!failed.text().await.unwrap().contains("audit_log"));

    std::thread::sleep(Duration::from_millis(200));
    let logs = server.logs();
    let lines: Vec<Value> = logs.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(!lines.is_empty(), "LOG_FORMAT=json writes one JSON object per line: {logs}");
    let of = |id: &str| lines.iter().filter(|l| l.to_string().contains(id)).cloned().collect::<Vec<_>>();
    let login_lines = of("proc-login-1");
    assert!(login_lines.iter().any(|l| l["message"] == "request completed" && l["status"] == 200), "{login_lines:?}");
    assert!(
        !logs.contains(social_mission_api::seed::DEMO_PASSWORD) || logs.contains("demo staff"),
        "no password from a request is logged"
    );
    let failure = of("proc-fail-500");
    assert!(
        failure
            .iter()
            .any(|l| l["level"] == "ERROR" && l.to_string().contains("relation \\\"audit_log\\\" does not exist")),
        "{failure:?}"
    );
}

#[actix_web::test]
async fn sigterm_finishes_in_flight_requests_then_exits() {
    let database = Database::new().await;
    let mut server = Server::start(&database.url(), &[]);

    let body = br#"{"email":"nobody@example.org","password":"wrong-password"}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.child.try_wait().unwrap().is_none(), "the server waits for the request in flight");
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_err(), "no new connections once stopping");

    stream.write_all(&body[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    assert!(server.wait(Duration::from_secs(15)).success());
}

#[actix_web::test]
async fn development_can_start_a_private_cluster_when_nothing_answers() {
    use social_mission_api::db::local_cluster;
    if local_cluster::find_program("initdb").is_none() {
        eprintln!("skipped: PostgreSQL's server programs are not installed here");
        return;
    }
    let dir = std::env::temp_dir().join(format!("sma-local-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dir_s = dir.to_str().unwrap().to_string();
    let port = free_port();
    let url = {
        let (d, n) = (dir_s.clone(), "sma_local");
        tokio::task::spawn_blocking(move || local_cluster::start(&d, port, n)).await.unwrap().unwrap()
    };
    assert_eq!(url, format!("postgres://postgres@127.0.0.1:{port}/sma_local"));
    social_mission_api::db::check_server(&url).await.expect("the private cluster answers");
    // Started again while running, it is reused.
    let again = {
        let d = dir_s.clone();
        tokio::task::spawn_blocking(move || local_cluster::start(&d, port, "sma_local")).await.unwrap().unwrap()
    };
    assert_eq!(again, url);
    local_cluster::stop(&dir_s).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix_web::test]
async fn peoples_addresses_never_reach_the_logs_even_at_debug_level() {
    let database = Database::new().await;
    // Mail goes to a closed port, so the worker logs its failures and retries too.
    let closed = free_port();
    let smtp = format!("smtp://127.0.0.1:{closed}");
    let server = Server::start(
        &database.url(),
        &[
            ("RUST_LOG", "debug"),
            ("SMTP_URL", &smtp),
            ("OUTBOX_RETRY_BASE_MS", "50"),
            ("OUTBOX_MAX_ATTEMPTS", "2"),
            ("OUTBOX_POLL_MS", "50"),
        ],
    );
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value| client.post(server.url(path)).json(&body).send();
    let subscribed =
        post("/api/v1/newsletter/subscriptions", json!({ "email": "Reader.One@Example.org", "consent": true }));
    assert_eq!(subscribed.await.unwrap().status(), 202);
    let suggestion = json!({
        "title": "A resource", "url": "https://example.org/a", "why": "Because.",
        "submitter_name": "Sue Mitter", "submitter_email": "sue.mitter@example.org", "consent_to_contact": true
    });
    assert_eq!(post("/api/v1/suggestions", suggestion).await.unwrap().status(), 201);
    let nomination = json!({
        "nominee_name": "Nora Minee", "nominee_role": "Dean", "nominee_institution": "A University",
        "nominee_profession": "medicine", "nominee_email": "nora.minee@example.org",
        "health_equity_work": "Much.", "self_nomination": false, "nominator_name": "Nat Nominator",
        "nominator_email": "nat.nominator@example.org", "consent_to_feature": true
    });
    assert_eq!(post("/api/v1/champion-nominations", nomination).await.unwrap().status(), 201);
    let invalid = post("/api/v1/newsletter/subscriptions", json!({ "email": "not-an-address@", "consent": true }));
    assert_eq!(invalid.await.unwrap().status(), 422);

    // Both messages are tried twice and given up on.
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut conn = diesel_async::AsyncPgConnection::establish(&database.url()).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    loop {
        let failed: Count = diesel::sql_query("SELECT count(*) AS n FROM outbox WHERE status = 'failed'")
            .get_result(&mut conn)
            .await
            .unwrap();
        if failed.n == 2 {
            break;
        }
        assert!(Instant::now() < deadline, "the outbox did not give up: {}", server.logs());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let logs = server.logs().to_lowercase();
    assert!(logs.contains("message failed for good"), "{logs}");
    for address in [
        "reader.one@example.org",
        "sue.mitter@example.org",
        "nora.minee@example.org",
        "nat.nominator@example.org",
        "not-an-address@",
    ] {
        assert!(!logs.contains(address), "{address} is in the log");
    }
}

/// A rolling restart: two instances behind a load balancer (HAProxy) under steady traffic; each
/// in turn is stopped (SIGTERM: it stops taking connections, finishes what is in flight, exits)
/// and started again on its port. Not one request fails. (A multi-threaded runtime: the clients
/// keep sending while this test waits for an instance to stop and start.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_restart_behind_the_load_balancer_loses_no_request() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    let database = Database::new().await;
    let url = database.url();
    let vars = [("HTTP_WORKERS", "1"), ("RATE_LIMIT_READS_PER_MINUTE", "10000000")];
    let mut instances = [Server::start(&url, &vars), Server::start(&url, &vars)];
    let ports: Vec<u16> = instances.iter().map(|s| s.port).collect();
    let balancer = crate::helpers::haproxy::LoadBalancer::start(free_port(), &ports);
    let client = reqwest::Client::new();
    let served = |path: &str| format!("http://127.0.0.1:{}{path}", balancer.port);
    // Both instances answer through the balancer before the traffic starts.
    assert_eq!(client.get(served("/api/v1/resources")).send().await.unwrap().status(), 200);

    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (client, stop, ok, failed, failures) =
                (client.clone(), stop.clone(), ok.clone(), failed.clone(), failures.clone());
            let target = served("/api/v1/resources?per_page=5");
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    match client.get(&target).send().await {
                        Ok(r) if r.status() == 200 => ok.fetch_add(1, Ordering::Relaxed),
                        other => {
                            failures.lock().unwrap().push(format!("{:?}", other.map(|r| r.status())));
                            failed.fetch_add(1, Ordering::Relaxed)
                        }
                    };
                }
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_millis(500)).await;
    for (i, port) in ports.iter().enumerate() {
        let before = ok.load(Ordering::Relaxed);
        instances[i].terminate();
        let status = tokio::task::block_in_place(|| instances[i].wait(Duration::from_secs(15)));
        assert!(status.success(), "instance {i} stopped cleanly");
        instances[i] = tokio::task::block_in_place(|| Server::start_on(*port, &url, &vars));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(ok.load(Ordering::Relaxed) > before, "traffic went on while instance {i} restarted");
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    assert_eq!(failed, 0, "{failed} of {} requests failed: {:?}", ok + failed, failures.lock().unwrap());
    assert!(ok > 100, "too little traffic to prove much: {ok} requests");
}
