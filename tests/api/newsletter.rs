//! The newsletter: signups answered alike whatever the address's state, validation, the double
//! opt-in round trip through a real SMTP sink, token expiry and forgery, unsubscribing (JSON and
//! RFC 8058 one-click), the admins' list and CSV export, and erasure that leaves no trace (the
//! complete erasure of `privacy`, whose own tests cover every kind of record).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use social_mission_api::db::schema::{newsletter_subscribers as subscribers, outbox};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::smtp::{Mail, SmtpSink};
use crate::helpers::{invalid_fields, problem, refused, SendJson, TestApp};

const SUBSCRIBE: &str = "/api/v1/newsletter/subscriptions";
const CONFIRM: &str = "/api/v1/newsletter/confirm";
const UNSUBSCRIBE: &str = "/api/v1/newsletter/unsubscribe";
const SUBSCRIBERS: &str = "/api/v1/admin/newsletter/subscribers";
const SUBJECT: &str = "Confirm your subscription to the Social Mission Alliance newsletter";
/// The website whose pages the links in messages open (`WEBSITE_URL`).
const WEBSITE: &str = "https://www.example.org";
/// The API's public address (`PUBLIC_BASE_URL`), which `List-Unsubscribe` links point at.
const API_BASE: &str = "http://api.example.org";
const MAIL_WAIT: Duration = Duration::from_secs(20);

/// The app sending to a real SMTP sink, with the links' two bases set.
async fn spawn_with_mail() -> (TestApp, SmtpSink) {
    TestApp::spawn_with_mail(&[("WEBSITE_URL", WEBSITE), ("PUBLIC_BASE_URL", API_BASE)]).await
}

fn signup(email: &str) -> Value {
    json!({ "email": email, "consent": true })
}

async fn subscribe(app: &TestApp, body: &Value) -> reqwest::Response {
    app.post(SUBSCRIBE).json(body).send().await.unwrap()
}

async fn confirm(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(CONFIRM).json(&json!({ "token": token })).send().await.unwrap()
}

/// The RFC 8058 one-click unsubscribe as a mail client makes it: a form `POST` to the exact
/// `List-Unsubscribe` URL. The URL's host (`PUBLIC_BASE_URL`) is reached through the test server
/// acting as the client's HTTP proxy, so the request carries the link unchanged.
async fn one_click(app: &TestApp, link: &str) -> reqwest::Response {
    let client = reqwest::Client::builder().proxy(reqwest::Proxy::http(&app.address).unwrap()).build().unwrap();
    client
        .post(link)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap()
}

/// The token that follows `prefix` in `text` (base64url characters).
fn token_after(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no `{prefix}` in:\n{text}")) + prefix.len();
    let token: String =
        text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    assert!(token.len() >= 32, "a token of at least 32 characters after `{prefix}` in:\n{text}");
    token
}

/// The confirmation token in the body of a newsletter confirmation message.
fn confirm_token(mail: &Mail) -> String {
    token_after(&mail.text_body(), &format!("{WEBSITE}/newsletter/confirm?token="))
}

/// The URL inside the message's `List-Unsubscribe: <...>`.
fn unsubscribe_link(mail: &Mail) -> String {
    let header = mail.header("List-Unsubscribe").unwrap_or_else(|| panic!("no List-Unsubscribe:\n{}", mail.raw));
    let link = header.strip_prefix('<').and_then(|h| h.strip_suffix('>')).unwrap_or_else(|| panic!("{header}"));
    assert!(link.starts_with(&format!("{API_BASE}/api/v1/newsletter/unsubscribe?token=")), "{link}");
    link.to_string()
}

/// Waits until `n` messages to `address` arrived; returns them in the order they arrived.
async fn mail_to(sink: &SmtpSink, address: &str, n: usize) -> Vec<Mail> {
    let deadline = Instant::now() + MAIL_WAIT;
    loop {
        let mails: Vec<Mail> = sink.messages().into_iter().filter(|m| m.envelope_to == [address]).collect();
        if mails.len() >= n {
            return mails;
        }
        assert!(Instant::now() < deadline, "expected {n} message(s) to {address}, got {}", mails.len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The subscriber's status and confirmation time, if the address is stored.
async fn subscriber(app: &TestApp, email: &str) -> Option<(String, Option<DateTime<Utc>>)> {
    subscribers::table
        .filter(subscribers::email.eq(email))
        .select((subscribers::status, subscribers::confirmed_at))
        .first(&mut app.db().await)
        .await
        .optional()
        .unwrap()
}

async fn outbox_rows(app: &TestApp, email: &str) -> i64 {
    outbox::table.filter(outbox::recipient.eq(email)).count().get_result(&mut app.db().await).await.unwrap()
}

/// Body and headers of the newest message to `email`, read from the outbox (for tests without SMTP).
async fn outbox_message(app: &TestApp, email: &str) -> (String, Value) {
    let message = app.messages_to(email).await.pop().expect("a message");
    (message.body.expect("a logged message keeps its sealed body"), Value::Object(message.headers))
}

async fn sql(app: &TestApp, statement: &str) {
    diesel::sql_query(statement).execute(&mut app.db().await).await.unwrap();
}

#[actix_web::test]
async fn a_signup_is_answered_alike_for_new_pending_subscribed_and_robot_addresses() {
    let app = TestApp::spawn().await;
    let new = subscribe(&app, &signup("reader@example.org")).await;
    assert_eq!(new.status(), 202);
    let answer = new.text().await.unwrap();
    let parsed: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(parsed["status"], "accepted");
    assert!(!answer.contains("reader"), "the answer does not echo the address: {answer}");
    assert_eq!(subscriber(&app, "reader@example.org").await.unwrap().0, "pending");

    let pending = subscribe(&app, &signup("Reader@Example.org")).await;
    assert_eq!(pending.status(), 202);
    assert_eq!(pending.text().await.unwrap(), answer, "a pending address gets the same answer");

    let (body, _) = outbox_message(&app, "reader@example.org").await;
    let token = token_after(&body, "/newsletter/confirm?token=");
    assert_eq!(confirm(&app, &token).await.status(), 200);
    assert_eq!(subscriber(&app, "reader@example.org").await.unwrap().0, "subscribed");
    let subscribed = subscribe(&app, &signup("reader@example.org")).await;
    assert_eq!(subscribed.status(), 202);
    assert_eq!(subscribed.text().await.unwrap(), answer, "a subscribed address gets the same answer");
    assert_eq!(app.count("newsletter_subscribers").await, 1);
    assert_eq!(outbox_rows(&app, "reader@example.org").await, 1, "neither repeat wrote another message");

    let robot = app
        .post(SUBSCRIBE)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({ "email": "robot@example.org", "consent": true, "website": "https://spam.example" }))
        .send()
        .await
        .unwrap();
    assert_eq!(robot.status(), 202);
    assert_eq!(robot.text().await.unwrap(), answer, "a filled honeypot gets the same answer");
    assert_eq!(subscriber(&app, "robot@example.org").await, None);
    assert_eq!(app.count("newsletter_subscribers").await, 1, "the robot stored nothing");
    assert_eq!(app.count("outbox").await, 1, "the robot was sent nothing");
    assert_eq!(app.count("idempotency_keys").await, 0, "not even its Idempotency-Key");
}

#[actix_web::test]
async fn an_invalid_signup_names_the_field_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({ "email": "not-an-address", "consent": true }), ("email", "invalid_email")),
        (json!({ "email": "ada@example.org", "consent": false }), ("consent", "consent_required")),
        (json!({ "email": "ada@example.org" }), ("consent", "required")),
        (json!({ "email": "ada@example.org", "consent": true, "name": "n".repeat(201) }), ("name", "invalid_length")),
        (json!({ "email": "ada@example.org", "consent": true, "phone": "555 0100" }), ("phone", "unknown_field")),
    ];
    for (body, (field, code)) in cases {
        let fields = invalid_fields(subscribe(&app, &body).await).await;
        assert_eq!(fields, vec![(field.to_string(), code.to_string())], "{body}");
    }
    assert_eq!(app.count("newsletter_subscribers").await, 0);
    assert_eq!(app.count("newsletter_tokens").await, 0);
    assert_eq!(app.count("outbox").await, 0);
}

#[actix_web::test]
async fn a_signup_is_confirmed_through_the_link_in_the_one_message_it_sends() {
    let (app, sink) = spawn_with_mail().await;
    let response = subscribe(&app, &json!({ "email": "Ada@Example.org", "name": "Ada", "consent": true })).await;
    assert_eq!(response.status(), 202);

    sink.wait_for(1, MAIL_WAIT).await;
    // Whatever else was due is sent now, so a count after it shows any message too many.
    app.run_pending_jobs().await;
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "exactly one message");
    let mail = &messages[0];
    assert_eq!(mail.envelope_to, ["ada@example.org"]);
    assert_eq!(mail.subject(), SUBJECT);
    let token = confirm_token(mail);
    let link = unsubscribe_link(mail);
    assert_eq!(mail.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let unsubscribe_token = token_after(&link, "?token=");
    assert_ne!(token, unsubscribe_token);
    let body = mail.text_body();
    assert!(body.starts_with("Hello Ada,"), "{body}");
    assert!(body.contains(&format!("{WEBSITE}/newsletter/unsubscribe?token={unsubscribe_token}")), "{body}");
    assert_eq!(subscriber(&app, "ada@example.org").await, Some(("pending".into(), None)));

    let confirmed = confirm(&app, &token).await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(confirmed.json::<Value>().await.unwrap(), json!({ "status": "subscribed" }));
    let (status, confirmed_at) = subscriber(&app, "ada@example.org").await.unwrap();
    assert_eq!(status, "subscribed");
    let confirmed_at = confirmed_at.expect("confirmed_at is set");

    let again = confirm(&app, &token).await;
    assert_eq!(again.status(), 200, "opening the link twice is fine");
    assert_eq!(again.json::<Value>().await.unwrap(), json!({ "status": "subscribed" }));
    assert_eq!(subscriber(&app, "ada@example.org").await, Some(("subscribed".into(), Some(confirmed_at))));
}

#[actix_web::test]
async fn concurrent_repeats_of_one_signup_make_one_subscriber_and_one_message() {
    let (app, sink) = spawn_with_mail().await;
    let spellings = ["twin@example.org", "Twin@Example.org", "TWIN@EXAMPLE.ORG", "twin@EXAMPLE.org"];
    let app_ref = &app;
    let requests = (0..20).map(|i| {
        let body = signup(spellings[i % spellings.len()]);
        async move { subscribe(app_ref, &body).await.status() }
    });
    let statuses = futures_util::future::join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 202), "{statuses:?}");
    assert_eq!(app.count("newsletter_subscribers").await, 1);
    assert!(subscriber(&app, "twin@example.org").await.is_some());

    sink.wait_for(1, MAIL_WAIT).await;
    // Whatever else was due is sent now, so a count after it shows any message too many.
    app.run_pending_jobs().await;
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "one confirmation message");
    assert_eq!(messages[0].envelope_to, ["twin@example.org"]);
    assert_eq!(outbox_rows(&app, "twin@example.org").await, 1);
}

#[actix_web::test]
async fn an_expired_link_is_refused_and_subscribing_again_sends_a_new_one() {
    let (app, sink) = spawn_with_mail().await;
    let email = "late@example.org";
    assert_eq!(subscribe(&app, &signup(email)).await.status(), 202);
    let old = confirm_token(&mail_to(&sink, email, 1).await[0]);

    sql(&app, "UPDATE newsletter_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'confirm'").await;
    let fields = invalid_fields(confirm(&app, &old).await).await;
    assert_eq!(fields, vec![("token".to_string(), "expired_token".to_string())]);
    assert_eq!(subscriber(&app, email).await.unwrap().0, "pending");

    // Within a minute of the last message, subscribing again sends no other one.
    assert_eq!(subscribe(&app, &signup(email)).await.status(), 202);
    assert_eq!(outbox_rows(&app, email).await, 1);

    sql(&app, "UPDATE newsletter_subscribers SET confirmation_sent_at = now() - interval '61 seconds'").await;
    assert_eq!(subscribe(&app, &signup(email)).await.status(), 202);
    let mails = mail_to(&sink, email, 2).await;
    let new = confirm_token(&mails[1]);
    assert_ne!(new, old);
    assert_eq!(mails[1].subject(), SUBJECT);

    let fields = invalid_fields(confirm(&app, &old).await).await;
    assert_eq!(fields, vec![("token".to_string(), "invalid_token".to_string())], "the old link no longer works");
    let confirmed = confirm(&app, &new).await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(confirmed.json::<Value>().await.unwrap(), json!({ "status": "subscribed" }));
    assert_eq!(subscriber(&app, email).await.unwrap().0, "subscribed");
}

#[actix_web::test]
async fn forged_tokens_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let email = "forged@example.org";
    assert_eq!(subscribe(&app, &signup(email)).await.status(), 202);
    let (_, headers) = outbox_message(&app, email).await;
    let unsubscribe_token = token_after(headers["List-Unsubscribe"].as_str().unwrap(), "?token=");
    let invalid = vec![("token".to_string(), "invalid_token".to_string())];

    let forged = "A".repeat(43);
    assert_eq!(invalid_fields(confirm(&app, &forged).await).await, invalid);
    assert_eq!(invalid_fields(confirm(&app, &unsubscribe_token).await).await, invalid, "an unsubscribe token");
    let response = app.post(UNSUBSCRIBE).json(&json!({ "token": forged })).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, invalid);
    assert_eq!(
        invalid_fields(one_click(&app, &format!("{API_BASE}{UNSUBSCRIBE}?token={forged}")).await).await,
        invalid
    );
    assert_eq!(subscriber(&app, email).await, Some(("pending".into(), None)));
}

#[actix_web::test]
async fn a_subscriber_unsubscribes_by_token_or_one_click_and_may_subscribe_again() {
    let (app, sink) = spawn_with_mail().await;
    let (by_token, by_click) = ("json@example.org", "click@example.org");
    assert_eq!(subscribe(&app, &signup(by_token)).await.status(), 202);
    assert_eq!(subscribe(&app, &signup(by_click)).await.status(), 202);
    let token_mail = mail_to(&sink, by_token, 1).await.remove(0);
    let click_mail = mail_to(&sink, by_click, 1).await.remove(0);
    assert_eq!(confirm(&app, &confirm_token(&token_mail)).await.status(), 200);
    assert_eq!(confirm(&app, &confirm_token(&click_mail)).await.status(), 200);

    let token = token_after(&unsubscribe_link(&token_mail), "?token=");
    let response = app.post(UNSUBSCRIBE).json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "status": "unsubscribed" }));
    assert_eq!(subscriber(&app, by_token).await.unwrap().0, "unsubscribed");
    assert_eq!(subscriber(&app, by_click).await.unwrap().0, "subscribed", "only the token's subscriber");

    let response = one_click(&app, &unsubscribe_link(&click_mail)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "status": "unsubscribed" }));
    assert_eq!(subscriber(&app, by_click).await.unwrap().0, "unsubscribed");
    let unsubscribed_at: Option<DateTime<Utc>> = subscribers::table
        .filter(subscribers::email.eq(by_click))
        .select(subscribers::unsubscribed_at)
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert!(unsubscribed_at.is_some());

    assert_eq!(subscribe(&app, &signup(by_click)).await.status(), 202);
    let mails = mail_to(&sink, by_click, 2).await;
    assert_eq!(mails[1].subject(), SUBJECT, "an unsubscribed address gets a new confirmation");
    assert_eq!(subscriber(&app, by_click).await.unwrap().0, "pending");
    assert_eq!(confirm(&app, &confirm_token(&mails[1])).await.status(), 200);
    assert_eq!(subscriber(&app, by_click).await.unwrap().0, "subscribed");
}

#[actix_web::test]
async fn admins_list_subscribers_by_status_and_export_them_as_csv() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let formula = "=HYPERLINK(\"https://evil.example\")";
    let quoted = "Doe, \"JJ\" Junior";
    for body in [
        json!({ "email": "formula@example.org", "name": formula, "consent": true }),
        json!({ "email": "quoted@example.org", "name": quoted, "consent": true }),
        signup("plain@example.org"),
        signup("confirmed@example.org"),
    ] {
        assert_eq!(subscribe(&app, &body).await.status(), 202);
    }
    let (body, _) = outbox_message(&app, "confirmed@example.org").await;
    assert_eq!(confirm(&app, &token_after(&body, "/newsletter/confirm?token=")).await.status(), 200);

    let page: Value =
        app.get(&format!("{SUBSCRIBERS}?status=pending&per_page=2")).bearer_auth(&admin).json_value().await;
    assert_eq!(page["meta"], json!({ "total": 3, "page": 1, "per_page": 2, "total_pages": 2 }));
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let last: Value =
        app.get(&format!("{SUBSCRIBERS}?status=pending&per_page=2&page=2")).bearer_auth(&admin).json_value().await;
    assert_eq!(last["meta"], json!({ "total": 3, "page": 2, "per_page": 2, "total_pages": 2 }));
    let pending: Vec<&Value> =
        page["data"].as_array().unwrap().iter().chain(last["data"].as_array().unwrap()).collect();
    assert!(pending.iter().all(|s| s["status"] == "pending"));
    let mut emails: Vec<&str> = pending.iter().map(|s| s["email"].as_str().unwrap()).collect();
    emails.sort();
    assert_eq!(emails, ["formula@example.org", "plain@example.org", "quoted@example.org"]);
    let subscribed: Value = app.get(&format!("{SUBSCRIBERS}?status=subscribed")).bearer_auth(&admin).json_value().await;
    assert_eq!(subscribed["meta"]["total"], 1);
    assert_eq!(subscribed["data"][0]["email"], "confirmed@example.org");
    assert!(subscribed["data"][0]["confirmed_at"].is_string());
    let all: Value = app.get(SUBSCRIBERS).bearer_auth(&admin).json_value().await;
    assert_eq!(all["meta"]["total"], 4);

    let response = app.get(&format!("{SUBSCRIBERS}/export")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let bytes = response.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_ref());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["email", "name", "status", "consent_at", "confirmed_at", "unsubscribed_at", "created_at"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as u64, all["meta"]["total"].as_u64().unwrap());
    let record = |email: &str| records.iter().find(|r| &r[0] == email).unwrap_or_else(|| panic!("{email}")).clone();
    assert_eq!(&record("formula@example.org")[1], format!("'{formula}"), "a formula is defused");
    assert_eq!(&record("quoted@example.org")[1], quoted, "commas and quotes round-trip");
    assert_eq!(&record("plain@example.org")[1], "");
    let confirmed = record("confirmed@example.org");
    assert_eq!(&confirmed[2], "subscribed");
    assert!(!confirmed[4].is_empty(), "confirmed_at is exported");

    let response =
        app.get(&format!("{SUBSCRIBERS}/export?status=subscribed")).bearer_auth(&admin).send().await.unwrap();
    let bytes = response.bytes().await.unwrap();
    let emails: Vec<String> =
        csv::Reader::from_reader(bytes.as_ref()).records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(emails, ["confirmed@example.org"]);
}

#[actix_web::test]
async fn the_subscriber_routes_are_for_admins_only() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    assert_eq!(subscribe(&app, &signup("kept@example.org")).await.status(), 202);
    let all: Value = app.get(SUBSCRIBERS).bearer_auth(&admin).json_value().await;
    let id = all["data"][0]["id"].as_str().unwrap().to_string();

    let routes = [
        (reqwest::Method::GET, SUBSCRIBERS.to_string()),
        (reqwest::Method::GET, format!("{SUBSCRIBERS}/export")),
        (reqwest::Method::DELETE, format!("{SUBSCRIBERS}/{id}")),
    ];
    for (method, path) in &routes {
        problem(app.client.request(method.clone(), app.url(path)).send().await.unwrap(), 401).await;
        let response = app.client.request(method.clone(), app.url(path)).bearer_auth(&editor).send().await.unwrap();
        refused(response, ProblemType::AdminRequired).await;
    }
    assert!(subscriber(&app, "kept@example.org").await.is_some(), "nothing was erased");

    let unknown = format!("{SUBSCRIBERS}/{}", uuid::Uuid::new_v4());
    problem(app.delete(&unknown).bearer_auth(&admin).send().await.unwrap(), 404).await;
}

/// The tables (and views) of the public schema that hold `needle` anywhere in a row, with how many rows.
async fn tables_holding(app: &TestApp, needle: &str) -> Vec<(String, i64)> {
    use diesel::sql_types::{BigInt, Text};
    #[derive(QueryableByName)]
    struct Table {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = app.db().await;
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(tables.iter().any(|t| t.name == "newsletter_subscribers"), "the tables are listed");
    let mut holding = Vec::new();
    for table in tables {
        let count: Count = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM public.\"{}\" AS t WHERE t::text ILIKE $1",
            table.name
        ))
        .bind::<Text, _>(format!("%{needle}%"))
        .get_result(&mut conn)
        .await
        .unwrap();
        if count.n > 0 {
            holding.push((table.name, count.n));
        }
    }
    holding
}

fn nomination(nominee: (&str, &str), nominator: (&str, &str)) -> Value {
    json!({
        "nominee_name": nominee.0,
        "nominee_role": "Associate Dean for Community Health",
        "nominee_institution": "University of New Mexico",
        "nominee_profession": "medicine",
        "nominee_email": nominee.1,
        "health_equity_work": "Runs a free clinic with the students.",
        "self_nomination": false,
        "nominator_name": nominator.0,
        "nominator_email": nominator.1,
        "consent_to_feature": false,
    })
}

#[actix_web::test]
async fn erasing_a_person_leaves_their_address_in_no_table() {
    let (app, sink) = spawn_with_mail().await;
    let admin = app.token(Role::Admin).await;
    let address = "pat.erase@example.org";
    let typed = "Pat.Erase@Example.org";
    let key = || uuid::Uuid::new_v4().to_string();

    let response = app
        .post(SUBSCRIBE)
        .header("Idempotency-Key", key())
        .json(&json!({ "email": typed, "name": "Pat Erase", "consent": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let confirmation = mail_to(&sink, address, 1).await.remove(0);
    assert_eq!(confirm(&app, &confirm_token(&confirmation)).await.status(), 200);

    let suggestion = json!({
        "title": "Community health workers in the curriculum",
        "url": "https://example.org/chw",
        "why": "It shows the social mission at work.",
        "submitter_name": "Pat Erase",
        "submitter_email": typed,
        "consent_to_contact": true,
    });
    let response = app.post("/api/v1/suggestions").header("Idempotency-Key", key()).json(&suggestion).send().await;
    assert_eq!(response.unwrap().status(), 201);
    let nominated = nomination(("Pat Erase", typed), ("Sam Other", "sam.other@example.org"));
    let response = app.post("/api/v1/champion-nominations").header("Idempotency-Key", key()).json(&nominated).send();
    assert_eq!(response.await.unwrap().status(), 201);
    let nominating = nomination(("Robin Third", "robin.third@example.org"), ("Pat Erase", typed));
    let response = app.post("/api/v1/champion-nominations").header("Idempotency-Key", key()).json(&nominating).send();
    assert_eq!(response.await.unwrap().status(), 201);
    assert_eq!(subscribe(&app, &signup("keep@example.org")).await.status(), 202);
    mail_to(&sink, address, 2).await;

    let before: Vec<String> = tables_holding(&app, address).await.into_iter().map(|(t, _)| t).collect();
    for table in ["champion_nominations", "newsletter_subscribers", "outbox", "suggestions"] {
        assert!(before.iter().any(|t| t == table), "before erasure the address is in {table}: {before:?}");
    }

    let list: Value = app.get(SUBSCRIBERS).bearer_auth(&admin).json_value().await;
    let id = list["data"].as_array().unwrap().iter().find(|s| s["email"] == address).unwrap()["id"].clone();
    let id = id.as_str().unwrap();
    let response = app.delete(&format!("{SUBSCRIBERS}/{id}")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(response.status(), 204);

    let holding = tables_holding(&app, address).await;
    assert!(holding.is_empty(), "the address is still in {holding:?}");
    let holding = tables_holding(&app, "Pat Erase").await;
    assert!(holding.is_empty(), "the complete erasure also took their name from {holding:?}");
    assert!(subscriber(&app, "keep@example.org").await.is_some(), "only this person was erased");
    assert_eq!(app.count("suggestions").await, 1, "the suggestion itself stays, without its submitter");
    assert_eq!(app.count("champion_nominations").await, 2);

    let log: Value = app.get("/api/v1/admin/audit-log?action=newsletter.erase").bearer_auth(&admin).json_value().await;
    assert_eq!(log["meta"]["total"], 1);
    assert_eq!(log["data"][0]["entity_id"], id);
    let counts = &log["data"][0]["details"];
    assert_eq!((&counts["newsletter_subscribers"], &counts["suggestions"]), (&json!(1), &json!(1)), "{counts}");
    assert_eq!((&counts["nominations_as_nominee"], &counts["nominations_as_nominator"]), (&json!(1), &json!(1)));
    assert!(!log.to_string().to_lowercase().contains(address), "{log}");

    let response = one_click(&app, &unsubscribe_link(&confirmation)).await;
    assert_eq!(response.status(), 200, "the link in the old message still answers");
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "status": "unsubscribed" }));
    let holding = tables_holding(&app, address).await;
    assert!(holding.is_empty(), "the address is back in {holding:?}");
}
