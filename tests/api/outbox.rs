//! The outbox worker against real SMTP behaviour: no server configured (messages are logged and
//! kept), a server that refuses connections (retries with backoff, then `failed`), and two
//! instances of the service on one database (each message sent once).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::json;
use social_mission_api::db::schema::outbox;

use crate::helpers::TestApp;

const SUBJECT: &str = "Confirm your subscription to the Social Mission Alliance newsletter";

/// A newsletter signup, which writes one confirmation message to the outbox.
async fn sign_up(app: &TestApp, email: &str) {
    let response =
        app.post("/api/v1/newsletter/subscriptions").json(&json!({ "email": email, "consent": true })).send().await;
    assert_eq!(response.unwrap().status(), 202);
}

#[derive(Debug, Queryable)]
struct Row {
    recipient: String,
    subject: String,
    sealed: Option<Vec<u8>>,
    status: String,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    /// `next_attempt_at > now()` in the database's clock, when the row was read.
    retry_ahead: bool,
}

async fn read_row(app: &TestApp, email: &str) -> Row {
    outbox::table
        .filter(outbox::recipient.eq(email))
        .select((
            outbox::recipient,
            outbox::subject,
            outbox::sealed,
            outbox::status,
            outbox::attempts,
            outbox::next_attempt_at,
            outbox::last_error,
            outbox::created_at,
            outbox::sent_at,
            outbox::next_attempt_at.gt(diesel::dsl::now),
        ))
        .first(&mut app.db().await)
        .await
        .unwrap()
}

/// Reads the message to `email` until `done` holds; panics with the last state after `timeout`.
async fn wait_for_row(app: &TestApp, email: &str, timeout: Duration, done: impl Fn(&Row) -> bool) -> Row {
    let deadline = Instant::now() + timeout;
    loop {
        let row = read_row(app, email).await;
        if done(&row) {
            return row;
        }
        assert!(Instant::now() < deadline, "the message to {email} did not get there within {timeout:?}: {row:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// An SMTP URL nobody listens at: a loopback port that was free a moment ago.
fn closed_smtp_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("smtp://127.0.0.1:{port}")
}

#[actix_web::test]
async fn without_smtp_a_message_is_logged_once_and_stays_inspectable() {
    let app = TestApp::spawn().await;
    sign_up(&app, "Logged@Example.org").await;
    let row = wait_for_row(&app, "logged@example.org", Duration::from_secs(20), |r| r.status != "pending").await;
    assert_eq!(row.status, "logged");
    assert_eq!(row.attempts, 1);
    assert_eq!(row.last_error, None);
    assert!(row.sent_at.is_some());
    assert_eq!(row.recipient, "logged@example.org");
    assert_eq!(row.subject, SUBJECT);
    let sealed = row.sealed.expect("a logged message keeps its body, sealed");
    assert!(!String::from_utf8_lossy(&sealed).contains("token="), "the body is not stored in clear");
    let body = app.messages_to("logged@example.org").await.remove(0).body.unwrap();
    assert!(body.contains("/newsletter/confirm?token="), "{body}");
    assert_eq!(app.count("outbox").await, 1);
}

#[actix_web::test]
async fn a_message_that_cannot_be_sent_is_retried_with_backoff_then_failed_with_its_error() {
    let smtp = closed_smtp_url();
    let app = TestApp::spawn_with(&[
        ("SMTP_URL", smtp.as_str()),
        ("OUTBOX_RETRY_BASE_MS", "100"),
        ("OUTBOX_MAX_ATTEMPTS", "3"),
    ])
    .await;
    sign_up(&app, "unlucky@example.org").await;
    let row = wait_for_row(&app, "unlucky@example.org", Duration::from_secs(60), |r| r.status != "pending").await;
    assert_eq!(row.status, "failed");
    assert_eq!(row.attempts, 3);
    let error = row.last_error.expect("the last error is kept");
    assert!(!error.trim().is_empty());
    assert_eq!(row.sent_at, None);
    // The second attempt waited at least 100 ms after the first, and the third was scheduled at
    // least 200 ms after the second: both after the message was written.
    assert!(
        row.next_attempt_at - row.created_at >= chrono::Duration::milliseconds(300),
        "retries were spaced by the backoff: created {}, last retry due {}",
        row.created_at,
        row.next_attempt_at
    );

    // A failed message is not tried again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let later = read_row(&app, "unlucky@example.org").await;
    assert_eq!((later.status.as_str(), later.attempts), ("failed", 3));
}

#[actix_web::test]
async fn after_a_failed_attempt_the_message_waits_for_its_retry() {
    let smtp = closed_smtp_url();
    // A minute's backoff, so the state after the first failure lasts long enough to be read.
    let app = TestApp::spawn_with(&[
        ("SMTP_URL", smtp.as_str()),
        ("OUTBOX_RETRY_BASE_MS", "60000"),
        ("OUTBOX_MAX_ATTEMPTS", "3"),
    ])
    .await;
    sign_up(&app, "patient@example.org").await;
    let row = wait_for_row(&app, "patient@example.org", Duration::from_secs(20), |r| r.attempts >= 1).await;
    assert_eq!(row.status, "pending");
    assert_eq!(row.attempts, 1);
    assert!(row.last_error.as_deref().is_some_and(|e| !e.trim().is_empty()));
    assert!(row.retry_ahead, "next_attempt_at is in the future: {}", row.next_attempt_at);
    assert!(row.next_attempt_at - row.created_at >= chrono::Duration::seconds(60), "{row:?}");
}

#[actix_web::test]
async fn two_instances_on_one_database_send_each_message_once() {
    let (first, sink) = TestApp::spawn_with_mail(&[]).await;
    let second = first.another_instance().await;
    let addresses: Vec<String> = (0..12).map(|i| format!("reader{i}@example.org")).collect();
    let signups = addresses.iter().enumerate().map(|(i, email)| {
        let app = if i % 2 == 0 { &first } else { &second };
        sign_up(app, email)
    });
    futures_util::future::join_all(signups).await;
    assert_eq!(first.count("outbox").await, 12);

    sink.wait_for(addresses.len(), Duration::from_secs(30)).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sent: i64 =
            outbox::table.filter(outbox::status.eq("sent")).count().get_result(&mut first.db().await).await.unwrap();
        if sent == 12 {
            break;
        }
        assert!(Instant::now() < deadline, "{sent} of 12 messages marked sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Nothing is left due: a second copy of any message would have been sent by now.
    first.run_pending_jobs().await;

    let mut received: Vec<String> = sink.messages().iter().map(|m| m.envelope_to.join(",")).collect();
    received.sort();
    let mut expected = addresses.clone();
    expected.sort();
    assert_eq!(received, expected, "one message per signup");
    let attempts: Vec<i32> = outbox::table.select(outbox::attempts).load(&mut first.db().await).await.unwrap();
    assert!(attempts.iter().all(|a| *a == 1), "{attempts:?}");
}
