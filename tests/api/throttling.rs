//! Throttling that protects people, not attackers: every secret token is limited per client
//! address (IPv6 by its /64) except the RFC 8058 one-click unsubscribe; a wrong manage token is
//! answered without waiting for a lock; sign-in failures are counted per address and per account
//! and address, so strangers' failures never refuse the right password; made-up API keys spend
//! the anonymous budget before any lookup; queries run under a statement timeout (503) that
//! exports and OAI-PMH pages lift; a session ends `SESSION_MAX_AGE_DAYS` after its sign-in.
//! Clients act from different addresses with `X-Forwarded-For` through `TRUSTED_PROXIES=127.0.0.1`.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use serde_json::{json, Value};
use social_mission_api::db::schema::{newsletter_subscribers, newsletter_tokens};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{problem, refused, resource, TestApp, PASSWORD};

const PROXY: (&str, &str) = ("TRUSTED_PROXIES", "127.0.0.1");
const OWN: &str = "/api/v1/registrations";
const UNSUBSCRIBE: &str = "/api/v1/newsletter/unsubscribe";
/// Shaped like a real token (43 base64url characters), known to nobody.
const MADE_UP: &str = "madeupmadeupmadeupmadeupmadeupmadeupmadeup1";

/// The 429 of a spent budget of this kind: a problem with a sane `Retry-After`.
async fn spent(response: reqwest::Response, kind: ProblemType) -> Value {
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    refused(response, kind).await
}

// ---------------------------------------------------------------------------------------------
// Secret tokens: limited per address, the one-click unsubscribe excepted.

/// A published edition with one registration type, and one registration: (code, manage token).
async fn registration(app: &TestApp) -> (String, String) {
    let admin = app.token(Role::Admin).await;
    let edition = json!({
        "name": "Beyond Flexner 2027",
        "starts_on": "2027-04-14",
        "ends_on": "2027-04-16",
        "time_zone": "America/Chicago",
        "venue": "Hyatt Regency Tulsa",
        "city": "Tulsa, Oklahoma",
        "description": "The annual meeting.",
    });
    let created: Value = app
        .post("/api/v1/admin/conferences")
        .bearer_auth(&admin)
        .json(&edition)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slug = created["slug"].as_str().unwrap().to_string();
    let kind = json!({ "name": "Professional", "price_minor": 45000, "currency": "USD", "capacity": 100 });
    let response = app
        .post(&format!("/api/v1/admin/conferences/{slug}/registration-types"))
        .bearer_auth(&admin)
        .json(&kind)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let type_id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let publish = json!({ "status": "published" });
    let response = app
        .patch(&format!("/api/v1/admin/conferences/{slug}"))
        .bearer_auth(&admin)
        .json(&publish)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let attendee = json!({
        "registration_type_id": type_id,
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "institution": "University of Tulsa",
        "role": "Faculty",
        "profession": "Medicine",
        "consent": true,
    });
    let response = app
        .post(&format!("/api/v1/conferences/{slug}/registrations"))
        .header("x-forwarded-for", "192.0.2.200")
        .json(&attendee)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let receipt: Value = response.json().await.unwrap();
    (receipt["code"].as_str().unwrap().to_string(), receipt["manage_token"].as_str().unwrap().to_string())
}

fn own(app: &TestApp, method: reqwest::Method, code: &str, token: &str, from: &str) -> reqwest::RequestBuilder {
    app.client.request(method, app.url(&format!("{OWN}/{code}?token={token}"))).header("x-forwarded-for", from)
}

#[actix_web::test]
async fn a_registrations_manage_link_is_limited_per_address_and_answers_429_with_retry_after() {
    let app = TestApp::spawn_with(&[PROXY, ("RATE_LIMIT_TOKENS_PER_MINUTE", "5")]).await;
    let (code, token) = registration(&app).await;
    let (get, delete) = (reqwest::Method::GET, reqwest::Method::DELETE);

    // Five wrong tokens from one address are five 404s; the sixth request is refused, even with
    // the right token, and so is a cancellation.
    for n in 0..5 {
        let method = if n % 2 == 0 { get.clone() } else { delete.clone() };
        problem(own(&app, method, &code, MADE_UP, "198.51.100.1").send().await.unwrap(), 404).await;
    }
    spent(own(&app, get.clone(), &code, &token, "198.51.100.1").send().await.unwrap(), ProblemType::LinkLimitReached)
        .await;
    spent(
        own(&app, delete.clone(), &code, &token, "198.51.100.1").send().await.unwrap(),
        ProblemType::LinkLimitReached,
    )
    .await;

    // Another address has its own budget: the attendee reads their registration.
    let response = own(&app, get.clone(), &code, &token, "198.51.100.2").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "confirmed");

    // An IPv6 client is one client per /64, whichever of its addresses it uses.
    for n in 1..=5 {
        let from = format!("2001:db8:0:7::{n:x}");
        problem(own(&app, delete.clone(), &code, MADE_UP, &from).send().await.unwrap(), 404).await;
    }
    spent(
        own(&app, get.clone(), &code, &token, "2001:db8:0:7:ffff::1").send().await.unwrap(),
        ProblemType::LinkLimitReached,
    )
    .await;
    let response = own(&app, delete.clone(), &code, &token, "2001:db8:0:8::1").send().await.unwrap();
    assert_eq!(response.status(), 200, "the next /64 is another client");
}

#[actix_web::test]
async fn a_wrong_manage_token_is_answered_at_once_while_the_registration_is_locked() {
    // Were the token checked after the locks, the wrong one would wait for them (here until the
    // request timeout, a 503).
    let app = TestApp::spawn_with(&[("REQUEST_TIMEOUT_MS", "4000")]).await;
    let (code, token) = registration(&app).await;
    let mut holder = app.db().await;
    holder
        .batch_execute(&format!(
            "BEGIN; \
             SELECT 1 FROM registration_types t JOIN registrations r ON r.registration_type_id = t.id \
             WHERE r.code = '{code}' FOR UPDATE"
        ))
        .await
        .unwrap();
    let response = app.delete(&format!("{OWN}/{code}?token={MADE_UP}")).send().await.unwrap();
    problem(response, 404).await;
    let response = app.get(&format!("{OWN}/{code}?token={MADE_UP}")).send().await.unwrap();
    problem(response, 404).await;

    // The owner's cancellation takes the locks in turn once they are free.
    let cancel = async { app.delete(&format!("{OWN}/{code}?token={token}")).send().await.unwrap() };
    let release = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        holder.batch_execute("ROLLBACK").await.unwrap();
    };
    let (response, ()) = tokio::join!(cancel, release);
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "cancelled");
}

/// A subscriber and an unsubscribe token for them, made in the database: the token.
async fn unsubscribe_token(app: &TestApp, email: &str) -> String {
    let mut conn = app.db().await;
    let id = uuid::Uuid::now_v7();
    diesel::insert_into(newsletter_subscribers::table)
        .values((
            newsletter_subscribers::id.eq(id),
            newsletter_subscribers::email.eq(email),
            newsletter_subscribers::status.eq("subscribed"),
            newsletter_subscribers::consent_at.eq(diesel::dsl::now),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    let (token, hash) = social_mission_api::forms::new_token();
    diesel::insert_into(newsletter_tokens::table)
        .values((
            newsletter_tokens::token_hash.eq(hash),
            newsletter_tokens::subscriber_id.eq(Some(id)),
            newsletter_tokens::purpose.eq("unsubscribe"),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    token
}

#[actix_web::test]
async fn one_click_unsubscribes_are_never_limited_per_address_but_the_json_form_is() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_FORMS_PER_MINUTE", "3"), ("RATE_LIMIT_TOKENS_PER_MINUTE", "3")]).await;
    // A mail provider clicks for many people from one address: far beyond both limits.
    let mut tokens = Vec::new();
    for n in 0..25 {
        let token = unsubscribe_token(&app, &format!("reader{n}@example.org")).await;
        let response = app
            .post(&format!("{UNSUBSCRIBE}?token={token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "one-click {n}: {}", response.text().await.unwrap());
        tokens.push(token);
    }
    let unsubscribed: i64 = newsletter_subscribers::table
        .filter(newsletter_subscribers::status.eq("unsubscribed"))
        .count()
        .get_result(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(unsubscribed, 25);

    // The JSON form (the website's page) is a use of a token like any other.
    for token in &tokens[..3] {
        let response = app.post(UNSUBSCRIBE).json(&json!({ "token": token })).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    spent(
        app.post(UNSUBSCRIBE).json(&json!({ "token": tokens[3] })).send().await.unwrap(),
        ProblemType::LinkLimitReached,
    )
    .await;
}

#[actix_web::test]
async fn confirmation_and_consent_links_are_limited_per_address() {
    // The forms' budget is generous here: these are limited as uses of tokens.
    let app = TestApp::spawn_with(&[PROXY, ("RATE_LIMIT_TOKENS_PER_MINUTE", "3")]).await;
    let confirm = |from: &'static str| {
        app.post("/api/v1/newsletter/confirm").header("x-forwarded-for", from).json(&json!({ "token": MADE_UP }))
    };
    let consent = |from: &'static str| {
        app.post("/api/v1/champion-nominations/consent")
            .header("x-forwarded-for", from)
            .json(&json!({ "token": MADE_UP, "consent": true }))
    };
    for _ in 0..3 {
        problem(confirm("198.51.100.1").send().await.unwrap(), 422).await;
        problem(consent("198.51.100.2").send().await.unwrap(), 422).await;
    }
    spent(confirm("198.51.100.1").send().await.unwrap(), ProblemType::LinkLimitReached).await;
    spent(consent("198.51.100.2").send().await.unwrap(), ProblemType::LinkLimitReached).await;
    // One budget for every token an address presents.
    spent(confirm("198.51.100.2").send().await.unwrap(), ProblemType::LinkLimitReached).await;
    problem(confirm("198.51.100.3").send().await.unwrap(), 422).await;
}

// ---------------------------------------------------------------------------------------------
// Sign-in

async fn login_from(app: &TestApp, from: &str, email: &str, password: &str) -> reqwest::Response {
    app.post("/api/v1/auth/login")
        .header("x-forwarded-for", from)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn strangers_failures_never_refuse_the_right_password_from_another_address() {
    let app = TestApp::spawn_with(&[PROXY, ("RATE_LIMIT_LOGIN_PER_MINUTE", "10")]).await;
    let (_, email) = app.create_user(Role::Editor).await;
    for _ in 0..10 {
        problem(login_from(&app, "203.0.113.66", &email, "wrong password").await, 401).await;
    }
    // The attacker's address is out of failures, whatever it sends.
    spent(login_from(&app, "203.0.113.66", &email, PASSWORD).await, ProblemType::SignInThrottled).await;
    // The owner, elsewhere, signs in (slowed a little at most, never refused).
    let response = login_from(&app, "198.51.100.7", &email, PASSWORD).await;
    assert_eq!(response.status(), 200);
    // Failures of this account from more addresses do not refuse it either.
    for n in 1..=3 {
        problem(login_from(&app, &format!("203.0.113.{n}"), &email, "wrong password").await, 401).await;
    }
    assert_eq!(login_from(&app, "198.51.100.8", &email, PASSWORD).await.status(), 200);
}

#[actix_web::test]
async fn successful_sign_ins_do_not_count_and_an_address_is_limited_by_its_failures() {
    let app = TestApp::spawn_with(&[PROXY, ("RATE_LIMIT_LOGIN_PER_MINUTE", "3")]).await;
    let (_, email) = app.create_user(Role::Editor).await;
    for _ in 0..6 {
        assert_eq!(login_from(&app, "198.51.100.7", &email, PASSWORD).await.status(), 200);
    }
    // One address trying three other accounts is out of failures, also for this account.
    for n in 0..3 {
        let other = format!("someone{n}@example.org");
        problem(login_from(&app, "203.0.113.9", &other, "wrong password").await, 401).await;
    }
    spent(login_from(&app, "203.0.113.9", &email, PASSWORD).await, ProblemType::SignInThrottled).await;
    // The same /64 is the same client.
    for n in 1..=3 {
        let from = format!("2001:db8:5:5::{n}");
        problem(login_from(&app, &from, "nobody@example.org", "wrong password").await, 401).await;
    }
    spent(login_from(&app, "2001:db8:5:5::abcd", &email, PASSWORD).await, ProblemType::SignInThrottled).await;
    assert_eq!(login_from(&app, "2001:db8:5:6::1", &email, PASSWORD).await.status(), 200);
}

// ---------------------------------------------------------------------------------------------
// Partner keys

#[actix_web::test]
async fn a_made_up_api_key_spends_the_anonymous_budget_before_any_lookup() {
    let app = TestApp::spawn_with(&[PROXY, ("RATE_LIMIT_READS_PER_MINUTE", "2"), ("REQUEST_TIMEOUT_MS", "4000")]).await;
    let admin = app.token(Role::Admin).await;
    let body = json!({ "institution": "Example Library", "contact_name": "Grace", "contact_email": "g@example.edu" });
    let partner: Value =
        app.post("/api/v1/admin/partners").bearer_auth(&admin).json(&body).send().await.unwrap().json().await.unwrap();
    let id = partner["id"].as_str().unwrap();
    let issued: Value = app
        .post(&format!("/api/v1/admin/partners/{id}/keys"))
        .bearer_auth(&admin)
        .json(&json!({ "name": "sync" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = issued["key"].as_str().unwrap();

    let read = |from: &'static str, key: &str| {
        app.get("/api/v1/taxonomy").header("x-forwarded-for", from).header("x-api-key", key.to_string())
    };
    for _ in 0..2 {
        problem(read("198.51.100.1", "sma_deadbeef_madeup").send().await.unwrap(), 401).await;
    }
    // While nobody can read the keys (a lookup would wait), the third guess is refused at once:
    // its budget was spent, so it never reaches the database.
    let mut holder = app.db().await;
    holder.batch_execute("BEGIN; LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let response = read("198.51.100.1", "sma_deadbeef_other").timeout(Duration::from_secs(10)).send().await.unwrap();
    assert_eq!(response.headers()["ratelimit-policy"], "\"anonymous\";q=2;w=60");
    spent(response, ProblemType::ReadLimitReached).await;
    holder.batch_execute("ROLLBACK").await.unwrap();

    // A key known to be live is read on its own budget, whatever the address has left.
    let response = read("198.51.100.1", key).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["ratelimit-policy"], "\"partner\";q=100000;w=60");
}

// ---------------------------------------------------------------------------------------------
// The statement timeout

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    statement_timeout: String,
}

async fn statement_timeout(conn: &mut diesel_async::AsyncPgConnection) -> String {
    diesel::sql_query("SHOW statement_timeout").get_result::<Setting>(conn).await.unwrap().statement_timeout
}

#[actix_web::test]
async fn pooled_connections_run_under_the_statement_timeout_and_a_long_read_lifts_it_for_itself_only() {
    let app = TestApp::spawn_with(&[("DATABASE_STATEMENT_TIMEOUT_MS", "250")]).await;
    let pool = social_mission_api::db::build_pool(&app.database_url, 1, Duration::from_millis(250)).unwrap();
    let mut conn = pool.get().await.unwrap();
    assert_eq!(statement_timeout(&mut conn).await, "250ms");
    let inside = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            social_mission_api::db::lift_statement_timeout(conn).await?;
            Ok(statement_timeout(conn).await)
        })
        .await
        .unwrap();
    assert_eq!(inside, "0");
    drop(conn);
    // The pool's one connection, given back: its own setting again.
    assert_eq!(statement_timeout(&mut pool.get().await.unwrap()).await, "250ms");
    // Connections outside the pool (migrations, the command line) are not affected, and an
    // export's connection of its own has none.
    assert_eq!(statement_timeout(&mut app.db().await).await, "0");
    let mut places = app.take_every_stream_place().await;
    assert_eq!(statement_timeout(&mut places[0].conn).await, "0");
}

/// Backends of this test's database waiting for a lock.
async fn waiting_for_locks(app: &TestApp) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let query = format!(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '{}' AND wait_event_type = 'Lock'",
        app.database
    );
    diesel::sql_query(query).get_result::<Count>(&mut app.db().await).await.unwrap().n
}

#[actix_web::test]
async fn a_query_past_the_timeout_is_a_503_while_exports_and_oai_pages_may_wait() {
    let app = TestApp::spawn_with(&[("DATABASE_STATEMENT_TIMEOUT_MS", "500")]).await;
    let editor = app.token(Role::Editor).await;
    let published = app.publish_resource(&editor, &resource(json!({}))).await;

    // Nobody can read the resources until the holder lets go.
    let mut holder = app.db().await;
    holder.batch_execute("BEGIN; LOCK TABLE resources IN ACCESS EXCLUSIVE MODE").await.unwrap();

    // A request's query is cancelled at the timeout: a 503 saying it took too long.
    let response =
        app.get("/api/v1/admin/resources").bearer_auth(&editor).timeout(Duration::from_secs(20)).send().await.unwrap();
    let body = problem(response, 503).await;
    assert!(body["detail"].as_str().unwrap().contains("took too long"), "{body}");

    // The export and an OAI-PMH page wait as long as it takes.
    let export = async {
        let response = app.get("/api/v1/resources/export?format=ndjson").send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.text().await.unwrap()
    };
    let oai = async {
        let response = app.get("/oai?verb=ListRecords&metadataPrefix=oai_dc").send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.text().await.unwrap()
    };
    let release = async {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while waiting_for_locks(&app).await < 2 {
            assert!(std::time::Instant::now() < deadline, "the export and the OAI page never reached the lock");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Well past the timeout.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(waiting_for_locks(&app).await, 2, "both still wait");
        holder.batch_execute("ROLLBACK").await.unwrap();
    };
    let (export, oai, ()) = tokio::join!(export, oai, release);
    let id = published["id"].as_str().unwrap();
    let rows: Vec<Value> = export.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(rows.len(), 1, "{export}");
    assert_eq!(rows[0]["id"], id);
    assert!(oai.contains(id) && !oai.contains("<error"), "{oai}");

    // The pool's connections kept their timeout.
    let response = app.get("/api/v1/admin/resources").bearer_auth(&editor).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

// ---------------------------------------------------------------------------------------------
// Sessions

async fn backdate_sessions(app: &TestApp, user: uuid::Uuid, days: i64) {
    let statement = format!("UPDATE sessions SET created_at = now() - interval '{days} days' WHERE user_id = '{user}'");
    diesel::sql_query(statement).execute(&mut app.db().await).await.unwrap();
}

async fn me(app: &TestApp, tokens: &Value) -> u16 {
    let access = tokens["access_token"].as_str().unwrap();
    app.get("/api/v1/auth/me").bearer_auth(access).send().await.unwrap().status().as_u16()
}

async fn refresh(app: &TestApp, tokens: &Value) -> reqwest::Response {
    let body = json!({ "refresh_token": tokens["refresh_token"] });
    app.post("/api/v1/auth/refresh").json(&body).send().await.unwrap()
}

#[actix_web::test]
async fn a_session_ends_thirty_days_after_its_sign_in_however_often_it_was_refreshed() {
    let app = TestApp::spawn().await;
    let (user, email) = app.create_user(Role::Editor).await;
    let first: Value = app.login(&email, PASSWORD).await.json().await.unwrap();
    let tokens: Value = refresh(&app, &first).await.json().await.unwrap();

    backdate_sessions(&app, user, 29).await;
    assert_eq!(me(&app, &tokens).await, 200);
    let tokens: Value = {
        let response = refresh(&app, &tokens).await;
        assert_eq!(response.status(), 200, "a 29-day-old session is refreshed");
        response.json().await.unwrap()
    };

    backdate_sessions(&app, user, 31).await;
    assert_eq!(me(&app, &tokens).await, 401, "its access token stops working");
    problem(refresh(&app, &tokens).await, 401).await;
    // Signing in again starts a new session.
    let response = app.login(&email, PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(me(&app, &response.json().await.unwrap()).await, 200);
}

#[actix_web::test]
async fn session_max_age_days_sets_the_lifetime() {
    let app = TestApp::spawn_with(&[("SESSION_MAX_AGE_DAYS", "2")]).await;
    let (user, tokens) = app.login_as(Role::Admin).await;
    backdate_sessions(&app, user, 1).await;
    assert_eq!(me(&app, &tokens).await, 200);
    backdate_sessions(&app, user, 3).await;
    assert_eq!(me(&app, &tokens).await, 401);
    problem(refresh(&app, &tokens).await, 401).await;
}
