//! Champion nominations (`/champion-nominations`, the nominee's consent), the editors' queue, and
//! the Champion Spotlight (`/champions`, `/admin/champions`).

use std::collections::BTreeSet;
use std::time::Duration;

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use sha2::Digest;
use social_mission_api::db::schema::{champion_nominations as nominations, champions, outbox};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;
use uuid::Uuid;

use crate::helpers::{invalid_fields, problem, refused, SendJson, TestApp};

const NOMINATE: &str = "/api/v1/champion-nominations";
const CONSENT: &str = "/api/v1/champion-nominations/consent";
const MISSING: &str = "00000000-0000-0000-0000-000000000000";

/// A valid self-nomination with consent: override fields with `nomination(json!({...}))`
/// (a `null` removes the field).
fn nomination(overrides: Value) -> Value {
    let mut body = json!({
        "nominee_name": "Maria Lopez",
        "nominee_role": "Associate Dean for Community Health",
        "nominee_institution": "University of New Mexico",
        "nominee_profession": "nursing",
        "nominee_email": "maria.lopez@example.org",
        "health_equity_work": "Built a community health worker partnership into the nursing curriculum.",
        "self_nomination": true,
        "consent_to_feature": true,
    });
    for (k, v) in overrides.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body
}

/// A valid nomination of someone else (the nominee is asked by email).
fn third_party(overrides: Value) -> Value {
    let mut body = nomination(json!({
        "self_nomination": false,
        "consent_to_feature": false,
        "nominator_name": "Samuel Okafor",
        "nominator_email": "samuel.okafor@example.net",
    }));
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn strings(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value.as_object().unwrap().keys().map(String::as_str).collect()
}

async fn nominate(app: &TestApp, body: &Value) -> reqwest::Response {
    app.post(NOMINATE).json(body).send().await.unwrap()
}

/// Nominates and returns the new nomination's id.
async fn nominated(app: &TestApp, body: &Value) -> String {
    let response = nominate(app, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn approve(app: &TestApp, token: &str, id: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("/api/v1/admin/champion-nominations/{id}/approve"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The nominee agrees through the link emailed for this nomination (found by its stored hash).
async fn agree(app: &TestApp, id: &str) {
    let (email, hash): (Option<String>, Option<Vec<u8>>) = nominations::table
        .find(Uuid::parse_str(id).unwrap())
        .select((nominations::nominee_email, nominations::consent_token_hash))
        .first(&mut app.db().await)
        .await
        .unwrap();
    let link = app
        .messages_to(&email.unwrap())
        .await
        .into_iter()
        .filter_map(|m| m.body)
        .map(|body| link_token(&body))
        .find(|token| Some(sha2::Sha256::digest(token.as_bytes()).to_vec()) == hash)
        .expect("a consent link for this nomination");
    assert_eq!(answer(app, &link, true).await.status(), 200);
}

/// The nominee agrees through their link, then an editor approves (asserting 200); returns the
/// spotlight's `(id, slug)`.
async fn approved(app: &TestApp, token: &str, id: &str) -> (String, String) {
    agree(app, id).await;
    // Every field of an approval is optional, so the body is too.
    let path = format!("/api/v1/admin/champion-nominations/{id}/approve");
    let response = app.post(&path).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let body: Value = response.json().await.unwrap();
    (body["champion"]["id"].as_str().unwrap().to_string(), body["champion"]["slug"].as_str().unwrap().to_string())
}

async fn answer(app: &TestApp, token: &str, consent: bool) -> reqwest::Response {
    app.post(CONSENT).json(&json!({ "token": token, "consent": consent })).send().await.unwrap()
}

/// The token in a consent link, from the text of a message.
fn link_token(text: &str) -> String {
    let marker = "/champions/consent?token=";
    let start = text.find(marker).unwrap_or_else(|| panic!("no consent link in:\n{text}")) + marker.len();
    text[start..].split_whitespace().next().unwrap().to_string()
}

/// The token of the consent request queued for this address (without `SMTP_URL` the outbox keeps
/// the message, status `logged`).
async fn queued_token(app: &TestApp, email: &str) -> String {
    let bodies: Vec<String> = app
        .messages_to(email)
        .await
        .into_iter()
        .filter(|m| m.kind == "champion.consent_request")
        .filter_map(|m| m.body)
        .collect();
    assert_eq!(bodies.len(), 1, "one consent request for {email}");
    link_token(&bodies[0])
}

/// `(nominee_consent, status)` of a stored nomination.
async fn stored(app: &TestApp, id: &str) -> (String, String) {
    nominations::table
        .find(Uuid::parse_str(id).unwrap())
        .select((nominations::nominee_consent, nominations::status))
        .first(&mut app.db().await)
        .await
        .unwrap()
}

/// A published spotlight made from an approved self-nomination; returns `(id, slug)`.
async fn spotlight(app: &TestApp, token: &str, overrides: Value) -> (String, String) {
    let id = nominated(app, &nomination(overrides)).await;
    approved(app, token, &id).await
}

#[actix_web::test]
async fn a_self_nomination_is_stored_pending_nothing_is_echoed_and_the_nominee_is_asked_by_email() {
    let app = TestApp::spawn().await;
    let body = nomination(json!({ "nominee_email": "  Maria.Lopez@Example.ORG " }));
    let response = nominate(&app, &body).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let text = response.text().await.unwrap();
    let receipt: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(keys(&receipt), BTreeSet::from(["id", "status", "created_at"]), "{text}");
    assert_eq!(receipt["status"], "pending");
    let id = receipt["id"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(receipt["created_at"].as_str().unwrap()).is_ok());
    assert_eq!(location, format!("/api/v1/admin/champion-nominations/{id}"));
    for sent in ["Maria", "maria", "Dean", "New Mexico", "nursing", "curriculum"] {
        assert!(!text.contains(sent), "the answer echoes {sent:?}: {text}");
    }

    type Row = (String, String, Option<String>, bool, Option<String>, Option<String>, bool);
    let row: Row = nominations::table
        .find(Uuid::parse_str(id).unwrap())
        .select((
            nominations::nominee_consent,
            nominations::status,
            nominations::nominee_email,
            nominations::self_nomination,
            nominations::nominator_name,
            nominations::nominator_email,
            nominations::consent_token_hash.is_null(),
        ))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(
        row,
        ("requested".into(), "pending".into(), Some("maria.lopez@example.org".into()), true, None, None, false),
        "stored waiting for the nominee's answer through a link, email lower-cased"
    );
    assert_eq!(app.count("champion_nominations").await, 1);
    let asked = app.messages_to("maria.lopez@example.org").await;
    assert_eq!(asked.len(), 1, "a self-nominee is asked through their mailbox too");
    assert!(asked[0].body.as_deref().unwrap().contains("made in your name"));

    let token = app.token(Role::Editor).await;
    let staff: Value = app.get(&location).bearer_auth(&token).json_value().await;
    assert_eq!(staff["nominee"]["name"], "Maria Lopez");
    assert_eq!(staff["nominee"]["profession"], json!({ "slug": "nursing", "label": "Nursing" }));
    assert_eq!(staff["nominee_consent"], "requested");
    assert_eq!(staff["consent_to_feature"], true, "the form's statement is kept, not taken as consent");
    assert_eq!(staff["nominator"], Value::Null);
    assert_eq!(staff["champion"], Value::Null);
}

#[actix_web::test]
async fn each_invalid_field_is_named_with_its_code_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let cases = [
        (nomination(json!({ "nominee_name": "   " })), strings(&[("nominee_name", "required")])),
        (
            nomination(json!({ "nominee_email": "maria at example.org" })),
            strings(&[("nominee_email", "invalid_email")]),
        ),
        (nomination(json!({ "nominee_profession": "astrology" })), strings(&[("nominee_profession", "unknown_value")])),
        (
            nomination(json!({ "health_equity_work": "x".repeat(5001) })),
            strings(&[("health_equity_work", "invalid_length")]),
        ),
        (
            nomination(json!({ "self_nomination": false })),
            strings(&[("nominator_email", "required"), ("nominator_name", "required")]),
        ),
        (third_party(json!({ "nominator_email": "samuel@" })), strings(&[("nominator_email", "invalid_email")])),
        (nomination(json!({ "phone": "+1 505 555 0100" })), strings(&[("phone", "unknown_field")])),
    ];
    for (body, expected) in cases {
        let fields = invalid_fields(nominate(&app, &body).await).await;
        assert_eq!(fields, expected, "{body}");
    }
    // Only the nominator's email missing names only that field.
    let fields = invalid_fields(nominate(&app, &third_party(json!({ "nominator_email": null }))).await).await;
    assert_eq!(fields, strings(&[("nominator_email", "required")]));
    assert_eq!(app.count("champion_nominations").await, 0);
    assert_eq!(app.count("outbox").await, 0);
}

#[actix_web::test]
async fn a_filled_honeypot_is_answered_like_a_success_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    for body in [
        nomination(json!({ "website": "https://spam.example.com" })),
        third_party(json!({ "website": "https://spam.example.com" })),
    ] {
        let response = nominate(&app, &body).await;
        assert_eq!(response.status(), 201);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(keys(&receipt), BTreeSet::from(["id", "status", "created_at"]));
        assert_eq!(receipt["status"], "pending");
        assert_eq!(location, format!("/api/v1/admin/champion-nominations/{}", receipt["id"].as_str().unwrap()));
        problem(app.get(&location).bearer_auth(&token).send().await.unwrap(), 404).await;
    }
    assert_eq!(app.count("champion_nominations").await, 0);
    assert_eq!(app.count("outbox").await, 0, "no consent request goes out for a robot");
}

#[actix_web::test]
async fn a_nominee_named_by_someone_else_is_asked_by_email_and_approval_waits_for_their_consent() {
    let (app, sink) = TestApp::spawn_with_mail(&[("WEBSITE_URL", "https://www.example.test")]).await;
    let token = app.token(Role::Editor).await;
    let id = nominated(&app, &third_party(json!({}))).await;
    assert_eq!(stored(&app, &id).await, ("requested".into(), "pending".into()));

    let mail = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].envelope_to, ["maria.lopez@example.org"], "the nominee, not the nominator, is asked");
    let text = mail[0].text_body();
    assert!(text.contains("https://www.example.test/champions/consent?token="), "{text}");
    assert!(!text.contains("samuel.okafor@example.net"), "{text}");
    let link = link_token(&text);
    let recipients: Vec<String> = outbox::table.select(outbox::recipient).load(&mut app.db().await).await.unwrap();
    assert_eq!(recipients, ["maria.lopez@example.org"], "one message, and none to the nominator");

    let body = refused(approve(&app, &token, &id, &json!({})).await, ProblemType::ConsentPending).await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("has not yet agreed"), "{detail}");
    assert_eq!(stored(&app, &id).await, ("requested".into(), "pending".into()));
    assert_eq!(app.count("champions").await, 0);

    let response = answer(&app, &link, true).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "nominee_consent": "given" }));
    assert_eq!(stored(&app, &id).await, ("given".into(), "pending".into()));

    let response = approve(&app, &token, &id, &json!({})).await;
    assert_eq!(response.status(), 200);
    let decided: Value = response.json().await.unwrap();
    assert_eq!(decided["status"], "approved");
    assert_eq!(decided["nominee_consent"], "given");
    assert_eq!(keys(&decided["champion"]), BTreeSet::from(["id", "slug"]));
    assert_eq!(decided["champion"]["slug"], "maria-lopez");
    assert_eq!(stored(&app, &id).await, ("given".into(), "approved".into()));
    let public = app.get_json("/api/v1/champions/maria-lopez").await;
    assert_eq!(public["name"], "Maria Lopez");
    assert_eq!(app.count("outbox").await, 1, "answering and approving send nothing");
}

#[actix_web::test]
async fn a_nomination_without_the_nominees_consent_cannot_be_approved() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let own = nominated(&app, &nomination(json!({ "consent_to_feature": false }))).await;
    assert_eq!(stored(&app, &own).await, ("requested".into(), "pending".into()));
    let body = refused(approve(&app, &token, &own, &json!({})).await, ProblemType::ConsentPending).await;
    assert!(body["detail"].as_str().unwrap().contains("not yet agreed"), "{body}");

    let other = nominated(&app, &third_party(json!({ "nominee_email": "lee.chen@example.org" }))).await;
    let link = queued_token(&app, "lee.chen@example.org").await;
    let response = answer(&app, &link, false).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "nominee_consent": "declined" }));
    let body = refused(approve(&app, &token, &other, &json!({})).await, ProblemType::NomineeDeclined).await;
    assert!(body["detail"].as_str().unwrap().contains("declined"), "{body}");

    assert_eq!(stored(&app, &own).await, ("requested".into(), "pending".into()));
    assert_eq!(stored(&app, &other).await, ("declined".into(), "pending".into()));
    assert_eq!(app.count("champions").await, 0);
}

#[actix_web::test]
async fn a_forged_or_expired_consent_token_is_refused() {
    let app = TestApp::spawn().await;
    let id = nominated(&app, &third_party(json!({}))).await;
    let link = queued_token(&app, "maria.lopez@example.org").await;

    let forged = "x".repeat(43);
    for consent in [true, false] {
        let fields = invalid_fields(answer(&app, &forged, consent).await).await;
        assert_eq!(fields, strings(&[("token", "invalid_token")]));
    }
    let fields = invalid_fields(answer(&app, &link[..link.len() - 1], true).await).await;
    assert_eq!(fields, strings(&[("token", "invalid_token")]), "a token one character short");
    assert_eq!(stored(&app, &id).await, ("requested".into(), "pending".into()));

    let ask = |days: i64| {
        let app = &app;
        let id = Uuid::parse_str(&id).unwrap();
        async move {
            diesel::update(nominations::table.find(id))
                .set(nominations::consent_requested_at.eq(chrono::Utc::now() - chrono::Duration::days(days)))
                .execute(&mut app.db().await)
                .await
                .unwrap();
        }
    };
    ask(31).await;
    let fields = invalid_fields(answer(&app, &link, true).await).await;
    assert_eq!(fields, strings(&[("token", "expired_token")]));
    assert_eq!(stored(&app, &id).await, ("requested".into(), "pending".into()), "an expired link changes nothing");

    ask(29).await;
    assert_eq!(answer(&app, &link, true).await.status(), 200, "the link works for 30 days");
    assert_eq!(stored(&app, &id).await, ("given".into(), "pending".into()));
}

#[actix_web::test]
async fn public_spotlights_show_what_the_nominee_agreed_to_show_and_never_a_contact() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let id = nominated(&app, &third_party(json!({}))).await;
    nominated(&app, &nomination(json!({ "nominee_name": "Still Pending", "nominee_email": "still@example.org" })))
        .await;
    let link = queued_token(&app, "maria.lopez@example.org").await;
    assert_eq!(answer(&app, &link, true).await.status(), 200);
    let photo = "https://images.example.org/maria.jpg";
    let response = approve(&app, &token, &id, &json!({ "photo_url": photo })).await;
    assert_eq!(response.status(), 200);
    let slug = response.json::<Value>().await.unwrap()["champion"]["slug"].as_str().unwrap().to_string();

    let list = app.get("/api/v1/champions").send().await.unwrap();
    assert_eq!(list.status(), 200);
    let list_text = list.text().await.unwrap();
    let detail = app.get(&format!("/api/v1/champions/{slug}")).send().await.unwrap();
    assert_eq!(detail.status(), 200);
    let detail_text = detail.text().await.unwrap();
    for text in [&list_text, &detail_text] {
        for secret in [
            "maria.lopez@example.org",
            "samuel.okafor@example.net",
            "Samuel Okafor",
            "@",
            "email",
            "nominator",
            "decision_reason",
            "health_equity_work",
        ] {
            assert!(!text.contains(secret), "a public answer holds {secret:?}: {text}");
        }
    }

    let list: Value = serde_json::from_str(&list_text).unwrap();
    assert_eq!(
        list["meta"],
        json!({ "total": 1, "page": 1, "per_page": 20, "total_pages": 1 }),
        "only the approved one"
    );
    let champion: Value = serde_json::from_str(&detail_text).unwrap();
    assert_eq!(list["data"][0], champion);
    assert_eq!(
        keys(&champion),
        BTreeSet::from(["slug", "name", "role", "institution", "profession", "story", "photo_url", "published_on"])
    );
    assert_eq!(champion["slug"], "maria-lopez");
    assert_eq!(champion["name"], "Maria Lopez");
    assert_eq!(champion["role"], "Associate Dean for Community Health");
    assert_eq!(champion["institution"], "University of New Mexico");
    assert_eq!(champion["profession"], json!({ "slug": "nursing", "label": "Nursing" }));
    assert_eq!(champion["story"], "Built a community health worker partnership into the nursing curriculum.");
    assert_eq!(champion["photo_url"], photo);
    let published_on: chrono::NaiveDate = champion["published_on"].as_str().unwrap().parse().unwrap();
    let today = chrono::Utc::now().date_naive();
    assert!((published_on - today).num_days().abs() <= 1, "published today: {published_on}");

    problem(app.get("/api/v1/champions/no-such-champion").send().await.unwrap(), 404).await;
}

#[actix_web::test]
async fn public_spotlight_reads_send_etags_and_answer_304() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (champion, slug) = spotlight(&app, &token, json!({})).await;
    let detail = format!("/api/v1/champions/{slug}");
    for path in ["/api/v1/champions", detail.as_str()] {
        let first = app.get(path).send().await.unwrap();
        assert_eq!(first.status(), 200);
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let again = app.get(path).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        let other = app.get(path).header("if-none-match", "\"something-else\"").send().await.unwrap();
        assert_eq!(other.status(), 200, "{path}");
    }
    let before = app.get(&detail).send().await.unwrap().headers()["etag"].to_str().unwrap().to_string();
    let edit = app
        .patch(&format!("/api/v1/admin/champions/{champion}"))
        .bearer_auth(&token)
        .json(&json!({ "role": "Dean" }))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200);
    let stale = app.get(&detail).header("if-none-match", &before).send().await.unwrap();
    assert_eq!(stale.status(), 200, "an edit changes the ETag");
    assert_eq!(stale.json::<Value>().await.unwrap()["role"], "Dean");
}

#[actix_web::test]
async fn public_spotlights_are_paginated_most_recent_first() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let mut slugs = Vec::new();
    for name in ["Ada One", "Bea Two", "Cy Three"] {
        slugs.push(spotlight(&app, &token, json!({ "nominee_name": name })).await.1);
    }
    slugs.reverse();
    let first = app.get("/api/v1/champions?per_page=2").send().await.unwrap();
    assert_eq!(first.status(), 200);
    let link = first.headers()["link"].to_str().unwrap().to_string();
    assert!(link.contains("rel=\"next\""), "{link}");
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["meta"], json!({ "total": 3, "page": 1, "per_page": 2, "total_pages": 2 }));
    let second = app.get_json("/api/v1/champions?per_page=2&page=2").await;
    assert_eq!(second["meta"], json!({ "total": 3, "page": 2, "per_page": 2, "total_pages": 2 }));
    let listed: Vec<&str> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["data"].as_array().unwrap())
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(listed, slugs, "newest first, no duplicates or gaps");
    let fields = invalid_fields(app.get("/api/v1/champions?per_page=101").send().await.unwrap()).await;
    assert_eq!(fields[0].0, "per_page");
}

#[actix_web::test]
async fn approval_may_set_the_story_and_photo_and_refuses_a_non_http_photo_url() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let id = nominated(&app, &nomination(json!({}))).await;
    let fields = invalid_fields(approve(&app, &token, &id, &json!({ "photo_url": "ftp://x" })).await).await;
    assert_eq!(fields, strings(&[("photo_url", "invalid_url")]));
    let fields = invalid_fields(approve(&app, &token, &id, &json!({ "featured": true })).await).await;
    assert_eq!(fields, strings(&[("featured", "unknown_field")]));
    assert_eq!(stored(&app, &id).await, ("requested".into(), "pending".into()));
    assert_eq!(app.count("champions").await, 0);
    agree(&app, &id).await;

    let body =
        json!({ "story": "  An edited story for the website.  ", "photo_url": "https://images.example.org/m.png" });
    let response = approve(&app, &token, &id, &body).await;
    assert_eq!(response.status(), 200);
    let decided: Value = response.json().await.unwrap();
    let champion = app
        .get(&format!("/api/v1/admin/champions/{}", decided["champion"]["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .json_value()
        .await;
    assert_eq!(champion["story"], "An edited story for the website.");
    assert_eq!(champion["photo_url"], "https://images.example.org/m.png");
    assert_eq!(champion["status"], "published");
    assert_eq!(champion["nomination_id"], id.as_str());
    let public = app.get_json(&format!("/api/v1/champions/{}", decided["champion"]["slug"].as_str().unwrap())).await;
    assert_eq!(public["story"], "An edited story for the website.");
}

#[actix_web::test]
async fn editors_edit_unpublish_and_publish_spotlights() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (id, slug) = spotlight(&app, &token, json!({})).await;
    let (other, _) = spotlight(&app, &token, json!({ "nominee_name": "Other Champion" })).await;
    let path = format!("/api/v1/admin/champions/{id}");
    let public = format!("/api/v1/champions/{slug}");

    let listed: Value = app.get("/api/v1/admin/champions").bearer_auth(&token).json_value().await;
    assert_eq!(listed["meta"]["total"], 2);
    let one: Value = app.get(&path).bearer_auth(&token).json_value().await;
    assert_eq!(one["id"], id.as_str());
    assert_eq!(one["slug"], slug.as_str());
    assert_eq!(one["status"], "published");

    let edited: Value = app
        .patch(&path)
        .bearer_auth(&token)
        .json(&json!({ "role": "Dean of Nursing", "story": "A new story.", "photo_url": "https://img.example.org/a.jpg" }))
        .json_value()
        .await;
    assert_eq!(edited["role"], "Dean of Nursing");
    assert_eq!(edited["story"], "A new story.");
    assert_eq!(edited["photo_url"], "https://img.example.org/a.jpg");
    assert_eq!(edited["name"], "Maria Lopez", "left out, kept");
    let cleared: Value = app.patch(&path).bearer_auth(&token).json(&json!({ "photo_url": null })).json_value().await;
    assert_eq!(cleared["photo_url"], Value::Null, "null clears the photo");
    assert_eq!(cleared["story"], "A new story.");
    let shown = app.get_json(&public).await;
    assert_eq!((shown["role"].clone(), shown["photo_url"].clone()), (json!("Dean of Nursing"), Value::Null));

    let fields = invalid_fields(
        app.patch(&path).bearer_auth(&token).json(&json!({ "profession": "astrology" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(fields, strings(&[("profession", "unknown_value")]));
    let fields = invalid_fields(
        app.patch(&path).bearer_auth(&token).json(&json!({ "email": "a@example.org" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(fields, strings(&[("email", "unknown_field")]));
    let fields = invalid_fields(
        app.patch(&path).bearer_auth(&token).json(&json!({ "photo_url": "ftp://x" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(fields, strings(&[("photo_url", "invalid_url")]));
    let after: Value = app.get(&path).bearer_auth(&token).json_value().await;
    assert_eq!(after["profession"]["slug"], "nursing", "a refused edit changes nothing");
    let moved: Value =
        app.patch(&path).bearer_auth(&token).json(&json!({ "profession": "medicine" })).json_value().await;
    assert_eq!(moved["profession"], json!({ "slug": "medicine", "label": "Medicine" }));

    let hidden: Value = app.post(&format!("{path}/unpublish")).bearer_auth(&token).json_value().await;
    assert_eq!(hidden["status"], "unpublished");
    problem(app.get(&public).send().await.unwrap(), 404).await;
    let list = app.get_json("/api/v1/champions").await;
    let slugs: Vec<&str> = list["data"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["other-champion"]);
    assert_eq!(list["meta"]["total"], 1);
    let unpublished: Value =
        app.get("/api/v1/admin/champions?status=unpublished").bearer_auth(&token).json_value().await;
    let ids: Vec<&str> = unpublished["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [id.as_str()]);
    let published: Value = app.get("/api/v1/admin/champions?status=published").bearer_auth(&token).json_value().await;
    let ids: Vec<&str> = published["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [other.as_str()]);

    let back: Value = app.post(&format!("{path}/publish")).bearer_auth(&token).json_value().await;
    assert_eq!(back["status"], "published");
    assert_eq!(app.get_json(&public).await["role"], "Dean of Nursing");
    assert_eq!(app.get_json("/api/v1/champions").await["meta"]["total"], 2);
}

/// Consent can be withdrawn after approval: the spotlight goes, and stays gone.
#[actix_web::test]
async fn a_nominee_who_declines_later_is_unpublished_and_cannot_be_republished() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let nomination = nominated(&app, &third_party(json!({}))).await;
    let link = queued_token(&app, "maria.lopez@example.org").await;
    assert_eq!(answer(&app, &link, true).await.status(), 200);
    let (id, slug) = approved(&app, &token, &nomination).await;
    let public = format!("/api/v1/champions/{slug}");
    assert_eq!(app.get(&public).send().await.unwrap().status(), 200);

    let response = answer(&app, &link, false).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "nominee_consent": "declined" }));
    let status: String = champions::table
        .find(Uuid::parse_str(&id).unwrap())
        .select(champions::status)
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(status, "unpublished");
    problem(app.get(&public).send().await.unwrap(), 404).await;
    assert_eq!(app.get_json("/api/v1/champions").await["meta"]["total"], 0);

    let body = refused(
        app.post(&format!("/api/v1/admin/champions/{id}/publish")).bearer_auth(&token).send().await.unwrap(),
        ProblemType::ConsentWithdrawn,
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("consent"), "{body}");
    problem(app.get(&public).send().await.unwrap(), 404).await;
}

#[actix_web::test]
async fn rejecting_needs_a_reason_and_a_decided_nomination_cannot_be_decided_again() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let reject = |id: &str, body: Value| {
        app.post(&format!("/api/v1/admin/champion-nominations/{id}/reject")).bearer_auth(&token).json(&body).send()
    };

    let first = nominated(&app, &nomination(json!({}))).await;
    let fields = invalid_fields(reject(&first, json!({})).await.unwrap()).await;
    assert_eq!(fields, strings(&[("reason", "required")]));
    let fields = invalid_fields(reject(&first, json!({ "reason": "   " })).await.unwrap()).await;
    assert_eq!(fields, strings(&[("reason", "required")]), "a blank reason is no reason");
    assert_eq!(stored(&app, &first).await, ("requested".into(), "pending".into()));

    let response = reject(&first, json!({ "reason": "Outside the spotlight's scope." })).await.unwrap();
    assert_eq!(response.status(), 200);
    let rejected: Value = response.json().await.unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decision_reason"], "Outside the spotlight's scope.");
    assert!(rejected["decided_at"].is_string() && rejected["decided_by"].is_string());
    assert_eq!(rejected["champion"], Value::Null);
    refused(approve(&app, &token, &first, &json!({})).await, ProblemType::AlreadyDecided).await;
    refused(reject(&first, json!({ "reason": "Again." })).await.unwrap(), ProblemType::AlreadyDecided).await;
    assert_eq!(stored(&app, &first).await, ("requested".into(), "rejected".into()));

    let second = nominated(&app, &nomination(json!({ "nominee_name": "Second Nominee" }))).await;
    approved(&app, &token, &second).await;
    refused(approve(&app, &token, &second, &json!({})).await, ProblemType::AlreadyDecided).await;
    refused(reject(&second, json!({ "reason": "Changed our minds." })).await.unwrap(), ProblemType::AlreadyDecided)
        .await;
    assert_eq!(stored(&app, &second).await, ("given".into(), "approved".into()));
    assert_eq!(app.count("champions").await, 1, "a second approval makes no second spotlight");

    let queue: Value =
        app.get("/api/v1/admin/champion-nominations?status=rejected").bearer_auth(&token).json_value().await;
    let ids: Vec<&str> = queue["data"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [first.as_str()]);
}

#[actix_web::test]
async fn unknown_nominations_and_spotlights_are_404() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let nomination = format!("/api/v1/admin/champion-nominations/{MISSING}");
    let champion = format!("/api/v1/admin/champions/{MISSING}");
    problem(app.get(&nomination).bearer_auth(&token).send().await.unwrap(), 404).await;
    problem(approve(&app, &token, MISSING, &json!({})).await, 404).await;
    let reject = app.post(&format!("{nomination}/reject")).bearer_auth(&token).json(&json!({ "reason": "No." }));
    problem(reject.send().await.unwrap(), 404).await;
    problem(app.get(&champion).bearer_auth(&token).send().await.unwrap(), 404).await;
    problem(app.patch(&champion).bearer_auth(&token).json(&json!({ "role": "Dean" })).send().await.unwrap(), 404).await;
    for action in ["publish", "unpublish"] {
        problem(app.post(&format!("{champion}/{action}")).bearer_auth(&token).send().await.unwrap(), 404).await;
    }
}

#[actix_web::test]
async fn every_staff_route_needs_a_token() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let id = nominated(&app, &nomination(json!({}))).await;
    let nomination = format!("/api/v1/admin/champion-nominations/{id}");
    let (champion_id, _) = spotlight(&app, &token, json!({ "nominee_name": "Published One" })).await;
    let champion = format!("/api/v1/admin/champions/{champion_id}");
    let requests = [
        app.get("/api/v1/admin/champion-nominations"),
        app.get(&nomination),
        app.post(&format!("{nomination}/approve")).json(&json!({})),
        app.post(&format!("{nomination}/reject")).json(&json!({ "reason": "No." })),
        app.post(&format!("{nomination}/consent-request")),
        app.get("/api/v1/admin/champions"),
        app.get(&champion),
        app.patch(&champion).json(&json!({ "role": "Dean" })),
        app.post(&format!("{champion}/publish")),
        app.post(&format!("{champion}/unpublish")),
    ];
    for request in requests {
        let response = request.send().await.unwrap();
        let url = response.url().to_string();
        assert_eq!(response.status(), 401, "{url}");
        problem(response, 401).await;
    }
    let bad = app.get("/api/v1/admin/champions").bearer_auth("not-a-token").send().await.unwrap();
    problem(bad, 401).await;
    assert_eq!(stored(&app, &id).await, ("requested".into(), "pending".into()), "nothing was decided");
    let shown: Value = app.get(&champion).bearer_auth(&token).json_value().await;
    assert_eq!(
        (shown["status"].clone(), shown["role"].clone()),
        (json!("published"), json!("Associate Dean for Community Health"))
    );
}

#[actix_web::test]
async fn a_stranger_cannot_claim_consent_for_someone_else_and_only_the_mailbox_can_give_it() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    // A "self-nomination" with consent ticked, made by someone who is not the person.
    let id = nominated(
        &app,
        &nomination(json!({ "nominee_name": "Dana Victim", "nominee_email": "dana.victim@example.org" })),
    )
    .await;
    let body = refused(approve(&app, &token, &id, &json!({})).await, ProblemType::ConsentPending).await;
    assert!(body["detail"].as_str().unwrap().contains("not yet agreed"), "{body}");
    assert_eq!(app.count("champions").await, 0);
    assert_eq!(app.messages_to("dana.victim@example.org").await.len(), 1, "the real person is asked");

    // Dana declines through her link: the claim on the form never counted.
    let link = queued_token(&app, "dana.victim@example.org").await;
    assert_eq!(answer(&app, &link, false).await.status(), 200);
    let body = refused(approve(&app, &token, &id, &json!({})).await, ProblemType::NomineeDeclined).await;
    assert!(body["detail"].as_str().unwrap().contains("declined"), "{body}");
    assert_eq!(app.get("/api/v1/champions").json_value().await["data"], json!([]));

    // The database itself refuses a consent that did not come through a link.
    let forged = diesel::sql_query(format!(
        "UPDATE champion_nominations SET nominee_consent = 'given', consent_answered_at = NULL WHERE id = '{id}'"
    ))
    .execute(&mut app.db().await)
    .await;
    assert!(forged.is_err(), "given without an answer through the link violates a CHECK");
}

#[actix_web::test]
async fn staff_can_ask_a_nominee_whose_consent_was_only_claimed_and_approval_waits_for_the_answer() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let id = nominated(&app, &nomination(json!({}))).await;
    // As the migration leaves a self-nomination of before: consent claimed on the form only.
    diesel::sql_query(format!(
        "UPDATE champion_nominations SET nominee_consent = 'unconfirmed', consent_token_hash = NULL, \
         consent_requested_at = NULL WHERE id = '{id}'"
    ))
    .execute(&mut app.db().await)
    .await
    .unwrap();
    let body = refused(approve(&app, &token, &id, &json!({})).await, ProblemType::ConsentPending).await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("never confirmed") && detail.contains("consent-request"), "{detail}");

    let ask = format!("/api/v1/admin/champion-nominations/{id}/consent-request");
    problem(app.post(&ask).send().await.unwrap(), 401).await;
    problem(
        app.post(&format!("/api/v1/admin/champion-nominations/{MISSING}/consent-request"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let response = app.post(&ask).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let asked: Value = response.json().await.unwrap();
    assert_eq!(asked["nominee_consent"], "requested");
    assert_eq!(app.messages_to("maria.lopez@example.org").await.len(), 2, "a new link went out");
    refused(approve(&app, &token, &id, &json!({})).await, ProblemType::ConsentPending).await;

    approved(&app, &token, &id).await;
    assert_eq!(stored(&app, &id).await, ("given".into(), "approved".into()));
    let body = refused(app.post(&ask).bearer_auth(&token).send().await.unwrap(), ProblemType::AlreadyDecided).await;
    assert!(body["detail"].as_str().unwrap().contains("already"), "{body}");
}

#[actix_web::test]
async fn a_nominee_who_declined_is_not_asked_again() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let id = nominated(&app, &third_party(json!({}))).await;
    let link = queued_token(&app, "maria.lopez@example.org").await;
    assert_eq!(answer(&app, &link, false).await.status(), 200);
    let ask = format!("/api/v1/admin/champion-nominations/{id}/consent-request");
    let body = refused(app.post(&ask).bearer_auth(&token).send().await.unwrap(), ProblemType::NomineeDeclined).await;
    assert!(body["detail"].as_str().unwrap().contains("declined"), "{body}");
    assert_eq!(app.messages_to("maria.lopez@example.org").await.len(), 1);
}
