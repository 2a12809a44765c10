//! `TestApp`: the real application on a loopback port, over its own fresh database.

pub mod db;
pub mod haproxy;
pub mod python;
pub mod redis;
pub mod replica;
pub mod smtp;

use std::collections::HashMap;

use actix_web::web;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::{json, Value};
use social_mission_api::app::{Application, Stopper};
use social_mission_api::config::Config;
use social_mission_api::state::AppState;
use social_mission_api::users::json::Role;

pub const PASSWORD: &str = "a-long-test-password";

/// A valid resource body: override fields with `resource(json!({...}))`.
pub fn resource(overrides: Value) -> Value {
    let mut body = json!({
        "title": "A resource about community health",
        "summary": "A summary.",
        "resource_type": "peer-reviewed-article",
        "domains": ["community-engagement"],
    });
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: String,
    pub database_url: String,
    /// Stops the instance (on drop): not ready, in-flight requests finished, background tasks stopped.
    stopper: Stopper,
    /// The instance's state, for what tests run directly (`run_pending_jobs`).
    state: web::Data<AppState>,
    owns_database: bool,
    /// The extra environment it was started with (a second instance gets the same).
    vars: Vec<(String, String)>,
    /// Opens the sealed bodies of its outbox (see `messages_to`).
    data_key: social_mission_api::crypto::DataKey,
}

/// A message in the outbox, opened with the app's data key.
#[derive(Debug, Clone)]
pub struct Opened {
    pub kind: String,
    /// `None` once the message was sent (its body is removed then).
    pub body: Option<String>,
    pub headers: serde_json::Map<String, Value>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// Starts the app with extra environment variables (as `Config::from_vars` reads them).
    pub async fn spawn_with(vars: &[(&str, &str)]) -> Self {
        Self::start(db::create_test_database().await, vars).await
    }

    /// The app with its outbox worker sending to a fresh SMTP sink on loopback.
    pub async fn spawn_with_mail(vars: &[(&str, &str)]) -> (Self, smtp::SmtpSink) {
        let sink = smtp::SmtpSink::start().await;
        let url = sink.url();
        let mut all = vec![("SMTP_URL", url.as_str())];
        all.extend_from_slice(vars);
        (Self::spawn_with(&all).await, sink)
    }

    /// A second instance of the service on this test's database (as when several run behind a
    /// load balancer), with the same configuration. It leaves the database to the first instance to drop.
    pub async fn another_instance(&self) -> Self {
        let vars: Vec<(&str, &str)> = self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut other = Self::start_at(self.database.clone(), self.database_url.clone(), &vars).await;
        other.owns_database = false;
        other
    }

    /// The app on a database of a server the test runs itself (`database_url`), which the test
    /// also removes.
    pub async fn spawn_at(database_url: &str, vars: &[(&str, &str)]) -> Self {
        let mut app = Self::start_at(String::new(), database_url.to_string(), vars).await;
        app.owns_database = false;
        app
    }

    async fn start(database: String, vars: &[(&str, &str)]) -> Self {
        let database_url = db::url_for(&database);
        Self::start_at(database, database_url, vars).await
    }

    async fn start_at(database: String, database_url: String, vars: &[(&str, &str)]) -> Self {
        let mut env: HashMap<String, String> = HashMap::from([
            ("DATABASE_URL".into(), database_url.clone()),
            // Tests that need production say so (with a secret and origins of their own).
            ("APP_ENV".into(), "development".into()),
            ("DATABASE_POOL_SIZE".into(), "4".into()),
            ("HOST".into(), "127.0.0.1".into()),
            ("PORT".into(), "0".into()),
            ("HTTP_WORKERS".into(), "1".into()),
            // Generous by default; rate-limit tests lower them.
            ("RATE_LIMIT_LOGIN_PER_MINUTE".into(), "10000".into()),
            ("RATE_LIMIT_FORMS_PER_MINUTE".into(), "10000".into()),
            ("RATE_LIMIT_TOKENS_PER_MINUTE".into(), "10000".into()),
            ("RATE_LIMIT_READS_PER_MINUTE".into(), "100000".into()),
            ("RATE_LIMIT_PARTNER_PER_MINUTE".into(), "100000".into()),
            // The outbox worker looks often, so mail tests wait milliseconds, not a second.
            ("OUTBOX_POLL_MS".into(), "50".into()),
        ]);
        for (k, v) in vars {
            env.insert(k.to_string(), v.to_string());
        }
        let config = Config::from_vars(env).expect("a valid test configuration");
        let data_key = social_mission_api::crypto::DataKey::derive(&config.data_key_secret);
        // The same object `serve` starts (without the demo data development seeds on a first start).
        let pool = social_mission_api::db::build_pool(&database_url, config.db_pool_size, config.db_statement_timeout)
            .unwrap();
        let app = Application::build(config, pool).await.unwrap();
        let (port, stopper, state) = (app.port(), app.stopper(), app.state());
        actix_web::rt::spawn(app.run());
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            client,
            database,
            database_url,
            stopper,
            state,
            owns_database: true,
            vars: vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            data_key,
        }
    }

    /// Takes every place this instance has for a streamed read (the export), each with its
    /// connection, until what it returns is dropped.
    pub async fn take_every_stream_place(&self) -> Vec<social_mission_api::db::reads::Streaming> {
        let mut held = Vec::new();
        for _ in 0..social_mission_api::db::reads::STREAMS_AT_ONCE {
            held.push(self.state.reads.streaming().await.unwrap().expect("a free place"));
        }
        held
    }

    /// Asks the instance to stop, as SIGTERM does in `serve`.
    pub fn stop(&self) {
        self.stopper.stop();
    }

    /// Runs every message that is due now (as the worker would) and returns once none is left
    /// due, including any the background worker was sending meanwhile: a test waits for mail
    /// with this instead of sleeping.
    pub async fn run_pending_jobs(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            self.state.jobs.drain().await.expect("running the outbox");
            if self.count("outbox WHERE status = 'pending' AND next_attempt_at <= now()").await == 0 {
                return;
            }
            // A message the background worker holds is being sent: it is done within moments.
            assert!(std::time::Instant::now() < deadline, "the outbox did not empty");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// The messages to `email` in the outbox, oldest first, their sealed bodies opened.
    pub async fn messages_to(&self, email: &str) -> Vec<Opened> {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use social_mission_api::db::schema::outbox;
        use social_mission_api::jobs::outbox::OutboxRow;
        let rows: Vec<OutboxRow> = outbox::table
            .filter(outbox::recipient.eq(email))
            .order(outbox::id.asc())
            .select(OutboxRow::as_select())
            .load(&mut self.db().await)
            .await
            .unwrap();
        rows.into_iter()
            .map(|row| {
                let content = row.sealed.as_ref().map(|_| row.content(&self.data_key).expect("a sealed body opens"));
                Opened {
                    kind: row.kind,
                    body: content.as_ref().map(|c| c.body.clone()),
                    headers: content.map(|c| c.headers).unwrap_or_default(),
                }
            })
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path))
    }

    pub fn patch(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.patch(self.url(path))
    }

    /// A direct connection to this test's database, for asserting what was (not) stored.
    pub async fn db(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.database_url).await.unwrap()
    }

    /// Creates a staff user straight in the database; returns its id and email.
    pub async fn create_user(&self, role: Role) -> (uuid::Uuid, String) {
        let email = format!("{}-{}@example.org", role.as_str(), uuid::Uuid::new_v4().simple());
        let mut conn = self.db().await;
        let user = social_mission_api::seed::create_staff(&mut conn, &email, "Test User", role, PASSWORD.into())
            .await
            .unwrap();
        (user.id, email)
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post("/api/v1/auth/login").json(&json!({ "email": email, "password": password })).send().await.unwrap()
    }

    /// Signs in a new user of the role; returns (user id, token pair JSON).
    pub async fn login_as(&self, role: Role) -> (uuid::Uuid, Value) {
        let (id, email) = self.create_user(role).await;
        let response = self.login(&email, PASSWORD).await;
        assert_eq!(response.status(), 200);
        (id, response.json().await.unwrap())
    }

    /// An access token for a new user of the role.
    pub async fn token(&self, role: Role) -> String {
        self.login_as(role).await.1["access_token"].as_str().unwrap().to_string()
    }

    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.delete(self.url(path))
    }

    /// Creates a draft through the API (as `token`) and returns its JSON.
    pub async fn create_resource(&self, token: &str, body: &Value) -> Value {
        let response = self.post("/api/v1/admin/resources").bearer_auth(token).json(body).send().await.unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    /// Creates and publishes a resource; returns its JSON as published.
    pub async fn publish_resource(&self, token: &str, body: &Value) -> Value {
        let created = self.create_resource(token, body).await;
        let id = created["id"].as_str().unwrap();
        let response =
            self.post(&format!("/api/v1/admin/resources/{id}/publish")).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// `GET` and parse JSON, asserting 200.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}: {}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    /// Every row of every table and view of the public schema, as `(table, row as text)`, once the
    /// outbox worker has handled every due message (so it changes nothing while two dumps are compared).
    /// Tests of what a copy of the database would reveal search it.
    pub async fn dump(&self) -> Vec<(String, String)> {
        use diesel::sql_types::Text;
        use diesel::QueryableByName;
        use diesel_async::RunQueryDsl;
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = Text)]
            name: String,
        }
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            row: String,
        }
        self.run_pending_jobs().await;
        let mut conn = self.db().await;
        let tables: Vec<Name> = diesel::sql_query(
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        )
        .load(&mut conn)
        .await
        .unwrap();
        assert!(tables.len() > 20, "every table is listed");
        let mut rows = Vec::new();
        for table in tables {
            let found: Vec<Row> =
                diesel::sql_query(format!("SELECT t::text AS row FROM public.\"{}\" AS t ORDER BY 1", table.name))
                    .load(&mut conn)
                    .await
                    .unwrap();
            rows.extend(found.into_iter().map(|r| (table.name.clone(), r.row)));
        }
        rows
    }

    pub async fn count(&self, table: &str) -> i64 {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db().await;
        let c: Count =
            diesel::sql_query(format!("SELECT count(*) AS n FROM {table}")).get_result(&mut conn).await.unwrap();
        c.n
    }
}

/// Every operation's documented problem types (`x-problems`), by operation id, from the document
/// the service serves (the committed one, as `openapi.rs` checks).
fn documented_problems() -> &'static HashMap<String, Vec<String>> {
    static DOCUMENTED: std::sync::OnceLock<HashMap<String, Vec<String>>> = std::sync::OnceLock::new();
    DOCUMENTED.get_or_init(|| {
        let doc = serde_json::to_value(social_mission_api::app::openapi()).unwrap();
        let mut documented = HashMap::new();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                let types = op["x-problems"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string());
                documented.insert(op["operationId"].as_str().unwrap().to_string(), types.collect());
            }
        }
        documented
    })
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Every test is a check of the document: each problem an operation answered during it
        // must be one the document lists for that operation (an internal error is a failure of
        // its own, told by the test that met it).
        let undocumented: Vec<String> = self
            .state
            .metrics
            .problems_answered()
            .into_iter()
            .filter(|(operation, kind)| {
                kind != "/problems/internal-error"
                    && !documented_problems().get(operation).is_some_and(|types| types.contains(kind))
            })
            .map(|(operation, kind)| format!("{operation} answered {kind}"))
            .collect();
        self.stopper.stop();
        if self.owns_database {
            db::drop_database(std::mem::take(&mut self.database));
        }
        if !std::thread::panicking() {
            assert!(
                undocumented.is_empty(),
                "problems the document does not list for their operation (add them to the handler's \
                 `x-problems`): {undocumented:?}"
            );
        }
    }
}

/// `send().await.unwrap().json().await.unwrap()` in one call, for the many requests whose body is all a test reads.
pub trait SendJson {
    async fn json_value(self) -> Value;
}

impl SendJson for reqwest::RequestBuilder {
    async fn json_value(self) -> Value {
        self.send().await.unwrap().json().await.unwrap()
    }
}

/// Asserts a problem+json body with this status, returning it.
pub async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "unexpected status");
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["detail"].is_string() && body["type"].is_string(), "{body}");
    body
}

/// Asserts a refusal of this problem type (its status and `type`), returning the problem.
pub async fn refused(response: reqwest::Response, kind: social_mission_api::error::ProblemType) -> Value {
    let body = problem(response, kind.status()).await;
    assert_eq!(body["type"], kind.uri(), "{body}");
    assert_eq!(body["title"], kind.title(), "{body}");
    body
}

/// The `(field, code)` pairs of a 422 problem.
pub async fn invalid_fields(response: reqwest::Response) -> Vec<(String, String)> {
    let body = problem(response, 422).await;
    body["errors"]
        .as_array()
        .expect("a 422 lists its errors")
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect()
}
