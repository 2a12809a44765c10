//! Calls for proposals: `POST /conferences/{slug}/proposals` (validation, word limits, deadlines,
//! honeypot, Idempotency-Key, confirmation email) and the review under
//! `/admin/conferences/{slug}/proposals` (list, reviews, decisions and their emails, scheduling).
//! Editions and calls are made straight in the database.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use social_mission_api::db::schema::{
    conference_sessions as sessions, conferences, outbox, proposal_calls as calls, proposal_reviews as reviews,
    proposals,
};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;
use uuid::Uuid;

use crate::helpers::{invalid_fields, problem, refused, SendJson, TestApp};

const EMAIL: &str = "ada.lovelace@example.org";
/// The closed call's deadline: 23:59 in Chicago the day before (CST, UTC-6).
const PAST_DEADLINE: &str = "2026-01-16T05:59:00Z";

/// A published edition in America/Chicago and its calls.
struct Edition {
    slug: String,
    id: Uuid,
    /// Open now (word limit 300).
    open: Uuid,
    /// Its deadline was `PAST_DEADLINE`.
    closed: Uuid,
    /// Opens in ten days.
    not_yet: Uuid,
    /// Open now, word limit 10.
    short: Uuid,
}

impl Edition {
    fn submit(&self) -> String {
        format!("/api/v1/conferences/{}/proposals", self.slug)
    }

    fn queue(&self) -> String {
        format!("/api/v1/admin/conferences/{}/proposals", self.slug)
    }

    fn one(&self, id: &str) -> String {
        format!("{}/{id}", self.queue())
    }
}

async fn insert_call(
    app: &TestApp,
    conference: Uuid,
    kind: &str,
    title: &str,
    opens_at: Option<DateTime<Utc>>,
    deadline: DateTime<Utc>,
    word_limit: i32,
) -> Uuid {
    let id = Uuid::now_v7();
    diesel::insert_into(calls::table)
        .values((
            calls::id.eq(id),
            calls::conference_id.eq(conference),
            calls::kind.eq(kind),
            calls::title.eq(title),
            calls::opens_at.eq(opens_at),
            calls::deadline.eq(deadline),
            calls::word_limit.eq(word_limit),
        ))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    id
}

async fn make_edition(app: &TestApp, slug: &str, status: &str) -> Edition {
    let id = Uuid::now_v7();
    diesel::insert_into(conferences::table)
        .values((
            conferences::id.eq(id),
            conferences::slug.eq(slug),
            conferences::name.eq("Beyond Flexner 2027"),
            conferences::starts_on.eq(NaiveDate::from_ymd_opt(2027, 4, 14).unwrap()),
            conferences::ends_on.eq(NaiveDate::from_ymd_opt(2027, 4, 16).unwrap()),
            conferences::time_zone.eq("America/Chicago"),
            conferences::city.eq("Tulsa"),
            conferences::status.eq(status),
        ))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    let now = Utc::now();
    let day = chrono::Duration::days(1);
    let past: DateTime<Utc> = PAST_DEADLINE.parse().unwrap();
    Edition {
        slug: slug.to_string(),
        id,
        open: insert_call(app, id, "presentation", "Presentations", Some(now - day), now + day * 30, 300).await,
        closed: insert_call(app, id, "poster", "Student posters", None, past, 300).await,
        not_yet: insert_call(app, id, "presentation", "Late-breaking work", Some(now + day * 10), now + day * 40, 300)
            .await,
        short: insert_call(app, id, "workshop", "Workshops", None, now + day * 30, 10).await,
    }
}

async fn published(app: &TestApp) -> Edition {
    make_edition(app, "beyond-flexner-2027", "published").await
}

/// A valid proposal to `call`: override fields with `proposal(call, json!({...}))`.
fn proposal(call: Uuid, overrides: Value) -> Value {
    let mut body = json!({
        "call_id": call,
        "title": "A community-based curriculum in rural family medicine",
        "abstract": "Students spent a year with community health workers in rural Oklahoma.",
        "authors": ["Ada Lovelace", "Grace Hopper"],
        "presenter_name": "Ada Lovelace",
        "presenter_email": "Ada.Lovelace@Example.org",
        "track": "Curriculum",
    });
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn without(mut body: Value, field: &str) -> Value {
    body.as_object_mut().unwrap().remove(field);
    body
}

async fn send(app: &TestApp, edition: &Edition, body: &Value) -> reqwest::Response {
    app.post(&edition.submit()).json(body).send().await.unwrap()
}

/// Submits and returns the new proposal's id, asserting 201.
async fn submitted(app: &TestApp, edition: &Edition, body: &Value) -> String {
    let response = send(app, edition, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

fn sorted_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect()
}

async fn put_review(app: &TestApp, edition: &Edition, token: &str, id: &str, body: &Value) -> reqwest::Response {
    app.client.put(app.url(&format!("{}/review", edition.one(id)))).bearer_auth(token).json(body).send().await.unwrap()
}

async fn set_status(app: &TestApp, edition: &Edition, token: &str, id: &str, status: &str) -> reqwest::Response {
    app.post(&format!("{}/status", edition.one(id)))
        .bearer_auth(token)
        .json(&json!({ "status": status }))
        .send()
        .await
        .unwrap()
}

/// Moves the proposal to `status`, asserting 200, and returns its JSON.
async fn moved(app: &TestApp, edition: &Edition, token: &str, id: &str, status: &str) -> Value {
    let response = set_status(app, edition, token, id, status).await;
    assert_eq!(response.status(), 200, "{status}: {}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn schedule(app: &TestApp, edition: &Edition, token: &str, id: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("{}/session", edition.one(id))).bearer_auth(token).json(body).send().await.unwrap()
}

fn slot() -> Value {
    json!({ "starts_local": "2027-04-15T09:00:00", "ends_local": "2027-04-15T10:30:00", "room": "Ballroom B" })
}

/// `status` of a stored proposal.
async fn stored_status(app: &TestApp, id: &str) -> String {
    proposals::table
        .find(Uuid::parse_str(id).unwrap())
        .select(proposals::status)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

/// The audit log's actions on proposals, oldest first.
async fn audited(app: &TestApp) -> Vec<String> {
    let admin = app.token(Role::Admin).await;
    let log: Value =
        app.get("/api/v1/admin/audit-log?entity_type=proposal&per_page=100").bearer_auth(&admin).json_value().await;
    let mut actions: Vec<String> =
        log["data"].as_array().unwrap().iter().rev().map(|e| e["action"].as_str().unwrap().to_string()).collect();
    actions.dedup();
    actions
}

#[actix_web::test]
async fn a_proposal_is_stored_as_submitted_without_echoing_anything_and_the_presenter_is_emailed() {
    let (app, sink) = TestApp::spawn_with_mail(&[]).await;
    let edition = published(&app).await;
    let body = proposal(
        edition.open,
        json!({
            "title": "  A community-based curriculum in rural family medicine  ",
            "authors": ["  Ada Lovelace ", "Grace Hopper"],
        }),
    );
    let response = send(&app, &edition, &body).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["content-type"], "application/json");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let text = response.text().await.unwrap();
    let receipt: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sorted_keys(&receipt), ["created_at", "id", "status"]);
    assert_eq!(receipt["status"], "submitted");
    assert!(DateTime::parse_from_rfc3339(receipt["created_at"].as_str().unwrap()).is_ok());
    let id = receipt["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/admin/conferences/beyond-flexner-2027/proposals/{id}"));
    for sent in ["Ada", "Lovelace", "Hopper", "example.org", "curriculum", "rural", "Oklahoma"] {
        assert!(!text.to_lowercase().contains(&sent.to_lowercase()), "the answer echoes {sent:?}: {text}");
    }

    type Stored = (Uuid, Uuid, String, String, Vec<String>, Option<String>, Option<String>, String, String);
    let row: Stored = proposals::table
        .find(Uuid::parse_str(&id).unwrap())
        .select((
            proposals::conference_id,
            proposals::call_id,
            proposals::title,
            proposals::abstract_,
            proposals::authors,
            proposals::presenter_name,
            proposals::presenter_email,
            proposals::track,
            proposals::status,
        ))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(row.0, edition.id);
    assert_eq!(row.1, edition.open);
    assert_eq!(row.2, "A community-based curriculum in rural family medicine", "stored trimmed");
    assert_eq!(row.3, body["abstract"].as_str().unwrap());
    assert_eq!(row.4, ["Ada Lovelace", "Grace Hopper"], "authors stored trimmed, in order");
    assert_eq!(row.5.as_deref(), Some("Ada Lovelace"));
    assert_eq!(row.6.as_deref(), Some(EMAIL), "stored lower-cased");
    assert_eq!(row.7, "Curriculum");
    assert_eq!(row.8, "submitted");

    let mail = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].envelope_to, [EMAIL]);
    let subject = mail[0].subject();
    assert!(subject.contains("A community-based curriculum in rural family medicine"), "{subject}");
    let text = mail[0].text_body();
    assert!(text.contains("Ada Lovelace"), "{text}");
    assert!(text.contains("Beyond Flexner 2027"), "{text}");
    let kinds: Vec<String> = outbox::table.select(outbox::kind).load(&mut app.db().await).await.unwrap();
    assert_eq!(kinds, ["proposal.received"]);
}

#[actix_web::test]
async fn a_proposal_without_a_track_is_stored_with_an_empty_one() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let id = submitted(&app, &edition, &without(proposal(edition.open, json!({})), "track")).await;
    let track: String = proposals::table
        .find(Uuid::parse_str(&id).unwrap())
        .select(proposals::track)
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(track, "");
}

#[actix_web::test]
async fn each_invalid_field_is_named_with_its_code_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let other = edition_b(&app).await;
    let p = |overrides: Value| proposal(edition.open, overrides);
    let many: Vec<String> = (1..=21).map(|i| format!("Author {i}")).collect();
    let cases: Vec<Case> = vec![
        ("title too short", p(json!({ "title": "ab" })), pairs(&[("title", "invalid_length")])),
        ("title too long", p(json!({ "title": "t".repeat(301) })), pairs(&[("title", "invalid_length")])),
        ("title blank", p(json!({ "title": "    " })), pairs(&[("title", "required")])),
        ("title missing", without(p(json!({})), "title"), pairs(&[("title", "required")])),
        ("abstract blank", p(json!({ "abstract": " \n " })), pairs(&[("abstract", "required")])),
        ("abstract missing", without(p(json!({})), "abstract"), pairs(&[("abstract", "required")])),
        ("no authors", p(json!({ "authors": [] })), pairs(&[("authors", "invalid_length")])),
        ("21 authors", p(json!({ "authors": many })), pairs(&[("authors", "invalid_length")])),
        ("blank author", p(json!({ "authors": ["Ada Lovelace", "  "] })), pairs(&[("authors[1]", "required")])),
        ("long author", p(json!({ "authors": ["a".repeat(201)] })), pairs(&[("authors[0]", "invalid_length")])),
        ("authors not a list", p(json!({ "authors": "Ada Lovelace" })), pairs(&[("authors", "invalid_type")])),
        ("presenter name blank", p(json!({ "presenter_name": "" })), pairs(&[("presenter_name", "required")])),
        (
            "presenter email invalid",
            p(json!({ "presenter_email": "ada-at-example" })),
            pairs(&[("presenter_email", "invalid_email")]),
        ),
        (
            "presenter email missing",
            without(p(json!({})), "presenter_email"),
            pairs(&[("presenter_email", "required")]),
        ),
        ("track too long", p(json!({ "track": "t".repeat(121) })), pairs(&[("track", "invalid_length")])),
        ("call missing", without(p(json!({})), "call_id"), pairs(&[("call_id", "required")])),
        ("unknown field", p(json!({ "status": "accepted" })), pairs(&[("status", "unknown_field")])),
        (
            "several at once",
            p(json!({ "title": "ab", "authors": ["Ada", ""], "presenter_email": "nope" })),
            pairs(&[("authors[1]", "required"), ("presenter_email", "invalid_email"), ("title", "invalid_length")]),
        ),
        ("unknown call", p(json!({ "call_id": Uuid::now_v7() })), pairs(&[("call_id", "unknown_value")])),
        ("another edition's call", p(json!({ "call_id": other.open })), pairs(&[("call_id", "unknown_value")])),
    ];
    for (case, body, expected) in cases {
        let response = send(&app, &edition, &body).await;
        let text = problem(response, 422).await.to_string();
        let errors: Vec<(String, String)> = serde_json::from_str::<Value>(&text).unwrap()["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{case}: a 422 lists its errors: {text}"))
            .iter()
            .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(errors, expected, "{case}: {text}");
        for sent in ["Lovelace", "ada-at-example", "Oklahoma"] {
            assert!(!text.contains(sent), "{case}: the problem echoes {sent:?}: {text}");
        }
        assert_eq!(app.count("proposals").await, 0, "{case}: nothing is stored");
        assert_eq!(app.count("outbox").await, 0, "{case}: nothing is sent");
    }
    // The valid body itself goes through: each case failed for its own reason.
    submitted(&app, &edition, &p(json!({}))).await;
    assert_eq!(app.count("proposals").await, 1);
}

/// A case of a table test: what it is, the body, the `(field, code)` pairs of its 422.
type Case = (&'static str, Value, Vec<(String, String)>);

/// A second published edition, for calls that are not the first one's.
async fn edition_b(app: &TestApp) -> Edition {
    make_edition(app, "beyond-flexner-2028", "published").await
}

#[actix_web::test]
async fn an_abstract_over_the_calls_word_limit_is_422_naming_the_limit() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let eleven = "one two three four five six seven eight nine ten eleven";
    let response = send(&app, &edition, &proposal(edition.short, json!({ "abstract": eleven }))).await;
    let body = problem(response, 422).await;
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["field"], "abstract");
    assert_eq!(errors[0]["code"], "too_many_words");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("10 words"), "the message names the limit: {message}");
    assert!(!message.contains("eleven"), "{message}");
    assert_eq!(app.count("proposals").await, 0);
    assert_eq!(app.count("outbox").await, 0);

    // Exactly ten words, however they are spaced, is within the limit.
    let ten = "one two\tthree\nfour  five six seven eight nine ten";
    submitted(&app, &edition, &proposal(edition.short, json!({ "abstract": ten }))).await;
    // The limit is the call's: the same eleven words fit another call.
    submitted(&app, &edition, &proposal(edition.open, json!({ "abstract": eleven }))).await;
    assert_eq!(app.count("proposals").await, 2);
}

#[actix_web::test]
async fn after_the_deadline_or_before_the_call_opens_is_409_naming_the_dates() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let response = send(&app, &edition, &proposal(edition.closed, json!({}))).await;
    let body = refused(response, ProblemType::CallClosed).await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains(PAST_DEADLINE), "the detail names the deadline: {detail}");
    assert!(detail.contains("2026-01-15 23:59 America/Chicago"), "and in the edition's zone: {detail}");
    assert!(detail.contains("Student posters"), "{detail}");

    let response = send(&app, &edition, &proposal(edition.not_yet, json!({}))).await;
    let body = refused(response, ProblemType::CallNotOpen).await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("opens"), "{detail}");

    // A closed call is a 409 even when the abstract is also too long for it.
    let long = "word ".repeat(400);
    refused(
        send(&app, &edition, &proposal(edition.closed, json!({ "abstract": long }))).await,
        ProblemType::CallClosed,
    )
    .await;
    assert_eq!(app.count("proposals").await, 0);
    assert_eq!(app.count("outbox").await, 0);
}

#[actix_web::test]
async fn a_draft_or_unknown_edition_is_404() {
    let app = TestApp::spawn().await;
    let draft = make_edition(&app, "beyond-flexner-2029", "draft").await;
    problem(send(&app, &draft, &proposal(draft.open, json!({}))).await, 404).await;
    let response =
        app.post("/api/v1/conferences/no-such-edition/proposals").json(&proposal(draft.open, json!({}))).send().await;
    problem(response.unwrap(), 404).await;
    assert_eq!(app.count("proposals").await, 0);
    assert_eq!(app.count("outbox").await, 0);
}

#[actix_web::test]
async fn a_filled_honeypot_is_answered_like_a_success_and_nothing_is_stored_or_sent() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let real = send(&app, &edition, &proposal(edition.open, json!({ "website": "" }))).await;
    assert_eq!(real.status(), 201, "an empty honeypot is a person");
    let real: Value = real.json().await.unwrap();
    assert_eq!(app.count("proposals").await, 1);
    assert_eq!(app.count("outbox").await, 1);

    let robot = send(&app, &edition, &proposal(edition.open, json!({ "website": "http://spam.example" }))).await;
    assert_eq!(robot.status(), 201);
    let location = robot.headers()["location"].to_str().unwrap().to_string();
    let robot: Value = robot.json().await.unwrap();
    assert_eq!(sorted_keys(&robot), sorted_keys(&real));
    assert_eq!(robot["status"], "submitted");
    assert_ne!(robot["id"], real["id"]);
    assert_eq!(location, edition.one(robot["id"].as_str().unwrap()));
    assert_eq!(app.count("proposals").await, 1, "the robot's proposal was not stored");
    assert_eq!(app.count("outbox").await, 1, "and nothing was sent to its address");
}

#[actix_web::test]
async fn the_same_idempotency_key_replays_the_first_answer_and_never_makes_a_second_proposal() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let body = proposal(edition.open, json!({}));
    let key = Uuid::new_v4().to_string();
    let first = app.post(&edition.submit()).header("idempotency-key", &key).json(&body).send().await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_location = first.headers()["location"].clone();
    let first_text = first.text().await.unwrap();

    let again = app.post(&edition.submit()).header("idempotency-key", &key).json(&body).send().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], first_location);
    assert_eq!(again.text().await.unwrap(), first_text, "the first answer, byte for byte");
    assert_eq!(app.count("proposals").await, 1, "no second proposal");
    assert_eq!(app.count("outbox").await, 1, "no second confirmation");

    let other = proposal(edition.open, json!({ "title": "Another proposal entirely" }));
    let response = app.post(&edition.submit()).header("idempotency-key", &key).json(&other).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, pairs(&[("Idempotency-Key", "key_reused")]));
    assert_eq!(app.count("proposals").await, 1);

    // A request refused after its key was claimed (the call had closed) releases the key.
    let late = proposal(edition.closed, json!({}));
    let response = app.post(&edition.submit()).header("idempotency-key", "key-2").json(&late).send().await.unwrap();
    refused(response, ProblemType::CallClosed).await;
    assert_eq!(app.count("idempotency_keys WHERE key = 'key-2'").await, 0);
    let response = app.post(&edition.submit()).header("idempotency-key", "key-2").json(&other).send().await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    assert!(response.headers().get("idempotent-replayed").is_none());
    assert_eq!(app.count("proposals").await, 2);
}

#[actix_web::test]
async fn staff_list_proposals_newest_first_filter_them_and_read_one() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let other = edition_b(&app).await;
    let token = app.token(Role::Editor).await;
    let first = submitted(&app, &edition, &proposal(edition.open, json!({ "title": "First proposal" }))).await;
    let second = submitted(
        &app,
        &edition,
        &proposal(
            edition.short,
            json!({ "title": "Second proposal", "abstract": "A workshop in ten words or fewer." }),
        ),
    )
    .await;
    let third = submitted(&app, &edition, &proposal(edition.open, json!({ "title": "Third proposal" }))).await;
    let elsewhere = submitted(&app, &other, &proposal(other.open, json!({ "title": "Another edition's" }))).await;
    moved(&app, &edition, &token, &second, "under_review").await;

    let response = app.get(&edition.queue()).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("link").is_some());
    let list: Value = response.json().await.unwrap();
    let ids: Vec<&str> = list["data"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [third.as_str(), second.as_str(), first.as_str()], "newest first, this edition's only");
    assert_eq!(list["meta"], json!({ "total": 3, "page": 1, "per_page": 20, "total_pages": 1 }));
    let item = &list["data"][0];
    assert_eq!(item["title"], "Third proposal");
    assert_eq!(item["call_id"], edition.open.to_string());
    assert_eq!(item["abstract"], proposal(edition.open, json!({}))["abstract"]);
    assert_eq!(item["authors"], json!(["Ada Lovelace", "Grace Hopper"]));
    assert_eq!(item["presenter"], json!({ "name": "Ada Lovelace", "email": EMAIL }));
    assert_eq!(item["track"], "Curriculum");
    assert_eq!(item["status"], "submitted");
    assert_eq!(item["review_count"], 0);
    assert_eq!(item["average_score"], Value::Null);
    assert_eq!(item["session_id"], Value::Null);
    assert_eq!(item["decided_at"], Value::Null);
    assert!(item.get("reviews").is_none(), "the list carries counts, not reviews");

    let ids_of = |list: &Value| -> Vec<String> {
        list["data"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
    };
    let by_status: Value =
        app.get(&format!("{}?status=under_review", edition.queue())).bearer_auth(&token).json_value().await;
    assert_eq!(ids_of(&by_status), [second.as_str()]);
    let by_call: Value =
        app.get(&format!("{}?call_id={}", edition.queue(), edition.open)).bearer_auth(&token).json_value().await;
    assert_eq!(ids_of(&by_call), [third.as_str(), first.as_str()]);
    assert_eq!(by_call["meta"]["total"], 2);
    let paged: Value =
        app.get(&format!("{}?per_page=2&page=2", edition.queue())).bearer_auth(&token).json_value().await;
    assert_eq!(ids_of(&paged), [first.as_str()]);
    assert_eq!(paged["meta"], json!({ "total": 3, "page": 2, "per_page": 2, "total_pages": 2 }));
    let response = app.get(&format!("{}?status=maybe", edition.queue())).bearer_auth(&token).send().await.unwrap();
    assert_eq!(invalid_fields(response).await[0].0, "status");

    let one: Value = app.get(&edition.one(&second)).bearer_auth(&token).json_value().await;
    assert_eq!(one["id"], second.as_str());
    assert_eq!(one["title"], "Second proposal");
    assert_eq!(one["status"], "under_review");
    assert_eq!(one["presenter"]["email"], EMAIL);
    assert_eq!(one["reviews"], json!([]));
    assert_eq!(one["review_count"], 0);

    // Unknown ids, unknown editions and another edition's proposal are all 404.
    problem(app.get(&edition.one(&Uuid::now_v7().to_string())).bearer_auth(&token).send().await.unwrap(), 404).await;
    problem(app.get(&edition.one(&elsewhere)).bearer_auth(&token).send().await.unwrap(), 404).await;
    let unknown = "/api/v1/admin/conferences/no-such-edition/proposals";
    problem(app.get(unknown).bearer_auth(&token).send().await.unwrap(), 404).await;
    problem(app.get(&format!("{unknown}/{first}")).bearer_auth(&token).send().await.unwrap(), 404).await;

    // A draft edition's (empty) queue is there for staff.
    let draft = make_edition(&app, "beyond-flexner-2029", "draft").await;
    let list: Value = app.get(&draft.queue()).bearer_auth(&token).json_value().await;
    assert_eq!(list["meta"]["total"], 0);
}

#[actix_web::test]
async fn each_reviewer_has_one_review_per_proposal_which_a_second_put_replaces() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let id = submitted(&app, &edition, &proposal(edition.open, json!({}))).await;
    let (first_id, first_tokens) = app.login_as(Role::Editor).await;
    let first = first_tokens["access_token"].as_str().unwrap().to_string();
    let (second_id, second_tokens) = app.login_as(Role::Admin).await;
    let second = second_tokens["access_token"].as_str().unwrap().to_string();

    let response =
        put_review(&app, &edition, &first, &id, &json!({ "score": 4, "notes": "  Strong partnership.  " })).await;
    assert_eq!(response.status(), 201, "a first review");
    let review: Value = response.json().await.unwrap();
    assert_eq!(review["reviewer_id"], first_id.to_string());
    assert_eq!(review["score"], 4);
    assert_eq!(review["notes"], "Strong partnership.");
    let review_id = review["id"].as_str().unwrap().to_string();

    let response =
        put_review(&app, &edition, &first, &id, &json!({ "score": 2, "notes": "On reflection, thin." })).await;
    assert_eq!(response.status(), 200, "the same reviewer replaces their review");
    let replaced: Value = response.json().await.unwrap();
    assert_eq!(replaced["id"], review_id.as_str());
    assert_eq!(replaced["score"], 2);
    assert_eq!(replaced["notes"], "On reflection, thin.");
    assert_eq!(app.count("proposal_reviews").await, 1);

    let response = put_review(&app, &edition, &second, &id, &json!({ "score": 5 })).await;
    assert_eq!(response.status(), 201, "another reviewer adds theirs");
    assert_eq!(app.count("proposal_reviews").await, 2);

    let one: Value = app.get(&edition.one(&id)).bearer_auth(&first).json_value().await;
    assert_eq!(one["review_count"], 2);
    assert_eq!(one["average_score"], 3.5);
    let reviews = one["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0]["reviewer_id"], first_id.to_string());
    assert_eq!(reviews[0]["score"], 2);
    assert_eq!(reviews[0]["notes"], "On reflection, thin.");
    assert_eq!(reviews[0]["reviewer_name"], "Test User");
    assert!(reviews[0]["created_at"].is_string() && reviews[0]["updated_at"].is_string());
    assert_ne!(reviews[0]["created_at"], reviews[0]["updated_at"], "replaced later");
    assert_eq!(reviews[1]["reviewer_id"], second_id.to_string());
    assert_eq!(reviews[1]["score"], 5);
    assert_eq!(reviews[1]["notes"], "");
    let list: Value = app.get(&edition.queue()).bearer_auth(&first).json_value().await;
    assert_eq!(list["data"][0]["review_count"], 2);
    assert_eq!(list["data"][0]["average_score"], 3.5);

    // Scores are 1 to 5, notes at most 5,000 characters; a refused review changes nothing.
    for (body, field, code) in [
        (json!({ "score": 0 }), "score", "out_of_range"),
        (json!({ "score": 6 }), "score", "out_of_range"),
        (json!({ "notes": "Missing a score." }), "score", "required"),
        (json!({ "score": 3, "notes": "n".repeat(5001) }), "notes", "invalid_length"),
        (json!({ "score": 3, "reviewer_id": second_id }), "reviewer_id", "unknown_field"),
    ] {
        let response = put_review(&app, &edition, &first, &id, &body).await;
        assert_eq!(invalid_fields(response).await, pairs(&[(field, code)]), "{body}");
    }
    let scores: Vec<i32> =
        reviews::table.order(reviews::created_at).select(reviews::score).load(&mut app.db().await).await.unwrap();
    assert_eq!(scores, [2, 5]);

    let unknown = Uuid::now_v7().to_string();
    problem(put_review(&app, &edition, &first, &unknown, &json!({ "score": 3 })).await, 404).await;
    assert_eq!(audited(&app).await, ["proposal.review"]);
    assert_eq!(app.count("audit_log WHERE action = 'proposal.review'").await, 3);
}

#[actix_web::test]
async fn statuses_move_forward_only_and_decisions_are_final() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let token = app.token(Role::Editor).await;
    let a = submitted(&app, &edition, &proposal(edition.open, json!({ "title": "Proposal A" }))).await;
    let b = submitted(&app, &edition, &proposal(edition.open, json!({ "title": "Proposal B" }))).await;
    let c = submitted(&app, &edition, &proposal(edition.open, json!({ "title": "Proposal C" }))).await;
    let d = submitted(&app, &edition, &proposal(edition.open, json!({ "title": "Proposal D" }))).await;

    // Nothing goes back to submitted, nor stays where it is.
    refused(set_status(&app, &edition, &token, &a, "submitted").await, ProblemType::TransitionNotAllowed).await;
    let reviewing = moved(&app, &edition, &token, &a, "under_review").await;
    assert_eq!(reviewing["status"], "under_review");
    assert_eq!(reviewing["decided_at"], Value::Null);
    refused(set_status(&app, &edition, &token, &a, "under_review").await, ProblemType::TransitionNotAllowed).await;
    refused(set_status(&app, &edition, &token, &a, "submitted").await, ProblemType::TransitionNotAllowed).await;
    let accepted = moved(&app, &edition, &token, &a, "accepted").await;
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["decided_at"].is_string());
    for next in ["rejected", "withdrawn", "under_review", "submitted", "accepted"] {
        let body = refused(set_status(&app, &edition, &token, &a, next).await, ProblemType::TransitionNotAllowed).await;
        assert!(body["detail"].as_str().unwrap().contains("final"), "{body}");
    }
    assert_eq!(stored_status(&app, &a).await, "accepted");

    // Straight from submitted to each decision.
    assert_eq!(moved(&app, &edition, &token, &b, "rejected").await["status"], "rejected");
    refused(set_status(&app, &edition, &token, &b, "accepted").await, ProblemType::TransitionNotAllowed).await;
    assert_eq!(moved(&app, &edition, &token, &c, "withdrawn").await["status"], "withdrawn");
    refused(set_status(&app, &edition, &token, &c, "under_review").await, ProblemType::TransitionNotAllowed).await;
    moved(&app, &edition, &token, &d, "under_review").await;
    assert_eq!(moved(&app, &edition, &token, &d, "withdrawn").await["status"], "withdrawn");
    assert_eq!(stored_status(&app, &b).await, "rejected");
    assert_eq!(stored_status(&app, &c).await, "withdrawn");

    let response = set_status(&app, &edition, &token, &a, "maybe").await;
    assert_eq!(invalid_fields(response).await, pairs(&[("status", "invalid_choice")]));
    problem(set_status(&app, &edition, &token, &Uuid::now_v7().to_string(), "accepted").await, 404).await;

    assert_eq!(audited(&app).await, ["proposal.status"]);
    assert_eq!(app.count("audit_log WHERE action = 'proposal.status'").await, 6);
    assert_eq!(app.count("outbox WHERE kind = 'proposal.decision'").await, 2, "accepted A, rejected B");
}

#[actix_web::test]
async fn acceptances_and_rejections_are_emailed_to_the_presenter() {
    let (app, sink) = TestApp::spawn_with_mail(&[]).await;
    let edition = published(&app).await;
    let token = app.token(Role::Editor).await;
    let presenter = |title: &str, name: &str, email: &str| {
        proposal(edition.open, json!({ "title": title, "presenter_name": name, "presenter_email": email }))
    };
    let accepted =
        submitted(&app, &edition, &presenter("Holistic admissions", "Grace Hopper", "Grace@Example.org")).await;
    let rejected =
        submitted(&app, &edition, &presenter("Rural track outcomes", "Katherine Johnson", "kj@example.org")).await;
    let withdrawn = submitted(&app, &edition, &presenter("Withdrawn idea", "Quiet Person", "quiet@example.org")).await;
    sink.wait_for(3, Duration::from_secs(10)).await;

    moved(&app, &edition, &token, &withdrawn, "withdrawn").await;
    moved(&app, &edition, &token, &accepted, "under_review").await;
    moved(&app, &edition, &token, &accepted, "accepted").await;
    moved(&app, &edition, &token, &rejected, "rejected").await;

    let mail = sink.wait_for(5, Duration::from_secs(10)).await;
    let decisions: Vec<_> = mail.iter().filter(|m| !m.subject().starts_with("Proposal received")).collect();
    assert_eq!(decisions.len(), 2, "{:?}", mail.iter().map(|m| m.subject()).collect::<Vec<_>>());
    let to = |address: &str| {
        let found: Vec<_> = decisions.iter().filter(|m| m.envelope_to == [address.to_string()]).collect();
        assert_eq!(found.len(), 1, "one decision to {address}");
        (*found[0]).clone()
    };
    let yes = to("grace@example.org");
    assert!(yes.subject().contains("Holistic admissions"), "{}", yes.subject());
    assert!(yes.subject().contains("accepted"), "{}", yes.subject());
    let text = yes.text_body();
    assert!(text.contains("Grace Hopper") && text.contains("accepted"), "{text}");

    let no = to("kj@example.org");
    assert!(no.subject().contains("Rural track outcomes"), "{}", no.subject());
    let text = no.text_body();
    assert!(text.contains("Katherine Johnson"), "{text}");
    assert!(!text.contains("accepted"), "{text}");

    assert_eq!(app.count("outbox WHERE kind = 'proposal.decision'").await, 2);
    assert_eq!(app.count("outbox WHERE kind = 'proposal.decision' AND recipient = 'quiet@example.org'").await, 0);
}

#[actix_web::test]
async fn an_accepted_proposal_becomes_an_agenda_session_in_the_editions_time_zone() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let token = app.token(Role::Editor).await;
    let id = submitted(
        &app,
        &edition,
        &proposal(edition.open, json!({ "authors": ["Ada Lovelace", "Grace Hopper", "Mary Seacole"] })),
    )
    .await;
    moved(&app, &edition, &token, &id, "accepted").await;

    // Times are checked: the end after the start, neither in a daylight-saving gap.
    let response = schedule(
        &app,
        &edition,
        &token,
        &id,
        &json!({ "starts_local": "2027-04-15T09:00:00", "ends_local": "2027-04-15T09:00:00", "room": "Ballroom B" }),
    )
    .await;
    assert_eq!(invalid_fields(response).await, pairs(&[("ends_local", "not_after_start")]));
    let gap =
        json!({ "starts_local": "2027-03-14T02:30:00", "ends_local": "2027-03-14T03:30:00", "room": "Ballroom B" });
    let response = schedule(&app, &edition, &token, &id, &gap).await;
    assert_eq!(invalid_fields(response).await, pairs(&[("starts_local", "nonexistent_time")]));
    let response = schedule(&app, &edition, &token, &id, &without(slot(), "room")).await;
    assert_eq!(invalid_fields(response).await, pairs(&[("room", "required")]));
    assert_eq!(app.count("conference_sessions").await, 0);

    let response = schedule(&app, &edition, &token, &id, &slot()).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["proposal_id"], id.as_str());
    assert_eq!(session["starts_at"], "2027-04-15T14:00:00Z");
    assert_eq!(session["ends_at"], "2027-04-15T15:30:00Z");
    assert_eq!(session["starts_local"], "2027-04-15T09:00:00");
    assert_eq!(session["ends_local"], "2027-04-15T10:30:00");
    assert_eq!(session["time_zone"], "America/Chicago");
    assert_eq!(session["room"], "Ballroom B");
    assert_eq!(session["track"], "Curriculum", "the proposal's track when none is given");
    assert_eq!(session["speakers"], json!(["Ada Lovelace", "Grace Hopper", "Mary Seacole"]));
    let session_id = Uuid::parse_str(session["id"].as_str().unwrap()).unwrap();

    type Row = (Uuid, String, String, DateTime<Utc>, DateTime<Utc>, String, Vec<String>, Option<Uuid>);
    let row: Row = sessions::table
        .find(session_id)
        .select((
            sessions::conference_id,
            sessions::title,
            sessions::abstract_,
            sessions::starts_at,
            sessions::ends_at,
            sessions::room,
            sessions::speakers,
            sessions::proposal_id,
        ))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(row.0, edition.id);
    assert_eq!(row.1, "A community-based curriculum in rural family medicine");
    assert_eq!(row.2, proposal(edition.open, json!({}))["abstract"].as_str().unwrap());
    assert_eq!(row.3, "2027-04-15T14:00:00Z".parse::<DateTime<Utc>>().unwrap(), "09:00 in Chicago (CDT) is 14:00 UTC");
    assert_eq!(row.4, "2027-04-15T15:30:00Z".parse::<DateTime<Utc>>().unwrap());
    assert_eq!(row.5, "Ballroom B");
    assert_eq!(row.6, ["Ada Lovelace", "Grace Hopper", "Mary Seacole"]);
    assert_eq!(row.7, Some(Uuid::parse_str(&id).unwrap()));

    let one: Value = app.get(&edition.one(&id)).bearer_auth(&token).json_value().await;
    assert_eq!(one["session_id"], session_id.to_string());

    // Once only.
    let again = json!({
        "starts_local": "2027-04-16T13:00:00",
        "ends_local": "2027-04-16T14:00:00",
        "room": "Hall A",
        "track": "Posters",
    });
    let body = refused(schedule(&app, &edition, &token, &id, &again).await, ProblemType::AlreadyScheduled).await;
    assert!(body["detail"].as_str().unwrap().contains("already scheduled"), "{body}");
    assert_eq!(app.count("conference_sessions").await, 1);
    assert_eq!(app.count("audit_log WHERE action = 'proposal.schedule'").await, 1);
}

#[actix_web::test]
async fn only_an_accepted_proposal_can_be_scheduled() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let token = app.token(Role::Admin).await;
    let submitted_one = submitted(&app, &edition, &proposal(edition.open, json!({}))).await;
    let body =
        refused(schedule(&app, &edition, &token, &submitted_one, &slot()).await, ProblemType::ProposalNotAccepted)
            .await;
    assert!(body["detail"].as_str().unwrap().contains("accepted"), "{body}");
    for status in ["under_review", "rejected"] {
        let id = submitted(&app, &edition, &proposal(edition.open, json!({}))).await;
        moved(&app, &edition, &token, &id, status).await;
        refused(schedule(&app, &edition, &token, &id, &slot()).await, ProblemType::ProposalNotAccepted).await;
    }
    problem(schedule(&app, &edition, &token, &Uuid::now_v7().to_string(), &slot()).await, 404).await;
    assert_eq!(app.count("conference_sessions").await, 0);
}

#[actix_web::test]
async fn every_staff_route_needs_a_signed_in_user() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let id = submitted(&app, &edition, &proposal(edition.open, json!({}))).await;
    problem(app.get(&edition.queue()).send().await.unwrap(), 401).await;
    problem(app.get(&edition.queue()).bearer_auth("not-a-token").send().await.unwrap(), 401).await;
    problem(app.get(&edition.one(&id)).send().await.unwrap(), 401).await;
    let review = app.client.put(app.url(&format!("{}/review", edition.one(&id)))).json(&json!({ "score": 5 }));
    problem(review.send().await.unwrap(), 401).await;
    let status = app.post(&format!("{}/status", edition.one(&id))).json(&json!({ "status": "accepted" }));
    problem(status.send().await.unwrap(), 401).await;
    problem(app.post(&format!("{}/session", edition.one(&id))).json(&slot()).send().await.unwrap(), 401).await;
    assert_eq!(stored_status(&app, &id).await, "submitted");
    assert_eq!(app.count("proposal_reviews").await, 0);
    assert_eq!(app.count("conference_sessions").await, 0);
    assert_eq!(app.count("audit_log").await, 0);
}

#[actix_web::test]
async fn no_presenter_email_review_score_or_note_reaches_an_anonymous_answer() {
    let app = TestApp::spawn().await;
    let edition = published(&app).await;
    let token = app.token(Role::Editor).await;
    let response = send(&app, &edition, &proposal(edition.open, json!({}))).await;
    assert_eq!(response.status(), 201);
    let receipt = response.text().await.unwrap();
    let id = serde_json::from_str::<Value>(&receipt).unwrap()["id"].as_str().unwrap().to_string();
    let notes = "Confidential reviewer note";
    let response = put_review(&app, &edition, &token, &id, &json!({ "score": 5, "notes": notes })).await;
    assert_eq!(response.status(), 201);
    moved(&app, &edition, &token, &id, "accepted").await;
    assert_eq!(schedule(&app, &edition, &token, &id, &slot()).await.status(), 201);

    // The edition's public page shows the session made from the proposal, and nothing private.
    let page: Value = app.get_json(&format!("/api/v1/conferences/{}", edition.slug)).await;
    let agenda = page["agenda"].as_array().unwrap();
    assert_eq!(agenda.len(), 1, "{page}");
    assert_eq!(agenda[0]["speakers"], json!(["Ada Lovelace", "Grace Hopper"]));

    let mut answers = vec![("POST proposals".to_string(), receipt)];
    for path in [
        "/api/v1/conferences".to_string(),
        format!("/api/v1/conferences/{}", edition.slug),
        edition.submit(),
        edition.queue(),
        edition.one(&id),
    ] {
        let response = app.get(&path).send().await.unwrap();
        answers.push((path, response.text().await.unwrap()));
    }
    for (what, text) in answers {
        let lower = text.to_lowercase();
        for secret in [EMAIL, "example.org", &notes.to_lowercase(), "review_count", "average_score", "\"score\""] {
            assert!(!lower.contains(secret), "{what} shows {secret:?}: {text}");
        }
    }
}
