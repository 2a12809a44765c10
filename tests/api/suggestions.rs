//! Resource suggestions: `POST /suggestions` (validation, honeypot, rate limit, Idempotency-Key)
//! and the editors' queue under `/admin/suggestions` (duplicates, accept, reject, emails).

use std::time::Duration;

use diesel::sql_types::{Binary, Nullable, Text};
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, refused, resource, SendJson, TestApp};

const SUBMIT: &str = "/api/v1/suggestions";
const QUEUE: &str = "/api/v1/admin/suggestions";

/// A valid suggestion: override fields with `suggestion(json!({...}))`.
fn suggestion(overrides: Value) -> Value {
    let mut body = json!({
        "title": "Pipeline programs and diversity in medical school",
        "url": "https://example.org/pipeline",
        "why": "It measures what pathway programs change.",
        "domains": ["community-engagement"],
        "submitter_name": "Ada Lovelace",
        "submitter_email": "Ada.Lovelace@Example.org",
        "consent_to_contact": false,
    });
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// The body without one of its fields.
fn without(mut body: Value, field: &str) -> Value {
    body.as_object_mut().unwrap().remove(field);
    body
}

async fn submit(app: &TestApp, body: &Value) -> reqwest::Response {
    app.post(SUBMIT).json(body).send().await.unwrap()
}

/// Submits and returns the receipt, asserting 201.
async fn submitted(app: &TestApp, body: &Value) -> Value {
    let response = submit(app, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn id_of(value: &Value) -> &str {
    value["id"].as_str().unwrap()
}

fn sorted_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[derive(diesel::QueryableByName)]
struct Scalar {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// The one text value (`... AS value`) a query selects straight from the test's database.
async fn stored(app: &TestApp, sql: &str) -> Option<String> {
    let row: Scalar = diesel::sql_query(sql).get_result(&mut app.db().await).await.unwrap();
    row.value
}

/// Every suggestion in the queue (one page is enough for these tests).
async fn queue(app: &TestApp, token: &str) -> Vec<Value> {
    let list: Value = app.get(&format!("{QUEUE}?per_page=100")).bearer_auth(token).json_value().await;
    list["data"].as_array().unwrap().clone()
}

fn find<'a>(queue: &'a [Value], id: &str) -> &'a Value {
    queue.iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("{id} is in the queue"))
}

#[actix_web::test]
async fn a_suggestion_is_received_as_pending_without_echoing_what_was_sent_and_stored() {
    let app = TestApp::spawn().await;
    let body = suggestion(json!({ "title": "  Pipeline programs and diversity in medical school  " }));
    let response = submit(&app, &body).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["content-type"], "application/json");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let text = response.text().await.unwrap();
    let receipt: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sorted_keys(&receipt), ["created_at", "id", "status"]);
    assert_eq!(receipt["status"], "pending");
    assert!(chrono::DateTime::parse_from_rfc3339(receipt["created_at"].as_str().unwrap()).is_ok());
    let id = id_of(&receipt);
    assert_eq!(location, format!("{QUEUE}/{id}"));
    for sent in ["Ada", "Lovelace", "example.org", "Pipeline", "pathway"] {
        assert!(!text.to_lowercase().contains(&sent.to_lowercase()), "the answer echoes {sent:?}: {text}");
    }

    assert_eq!(app.count("suggestions").await, 1);
    let sql = |column: &str| format!("SELECT {column}::text AS value FROM suggestions WHERE id = '{id}'");
    assert_eq!(stored(&app, &sql("submitter_email")).await.as_deref(), Some("ada.lovelace@example.org"));
    assert_eq!(stored(&app, &sql("submitter_name")).await.as_deref(), Some("Ada Lovelace"));
    assert_eq!(
        stored(&app, &sql("title")).await.as_deref(),
        Some("Pipeline programs and diversity in medical school"),
        "stored trimmed"
    );
    assert_eq!(stored(&app, &sql("url")).await.as_deref(), Some("https://example.org/pipeline"));
    assert_eq!(stored(&app, &sql("status")).await.as_deref(), Some("pending"));
    assert_eq!(stored(&app, &sql("domains")).await.as_deref(), Some("{community-engagement}"));
    assert_eq!(stored(&app, &sql("consent_to_contact")).await.as_deref(), Some("false"));
    assert_eq!(app.count("outbox").await, 0, "receiving a suggestion sends nothing");
}

#[actix_web::test]
async fn each_invalid_field_is_named_with_its_code_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let topics: Vec<String> = (1..=11).map(|i| format!("topic-{i}")).collect();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("title too short", suggestion(json!({ "title": "ab" })), "title", "invalid_length"),
        ("title blank", suggestion(json!({ "title": "     " })), "title", "required"),
        ("ftp url", suggestion(json!({ "url": "ftp://example.org/file" })), "url", "invalid_url"),
        ("javascript url", suggestion(json!({ "url": "javascript:alert(1)" })), "url", "invalid_url"),
        ("url without scheme", suggestion(json!({ "url": "example.org/page" })), "url", "invalid_url"),
        ("url missing", without(suggestion(json!({})), "url"), "url", "required"),
        ("why blank", suggestion(json!({ "why": "   " })), "why", "required"),
        (
            "email invalid",
            suggestion(json!({ "submitter_email": "ada-at-example" })),
            "submitter_email",
            "invalid_email",
        ),
        ("name missing", without(suggestion(json!({})), "submitter_name"), "submitter_name", "required"),
        ("unknown domain", suggestion(json!({ "domains": ["astrology"] })), "domains[0]", "unknown_value"),
        ("unknown field", suggestion(json!({ "status": "accepted" })), "status", "unknown_field"),
        ("eleven topics", suggestion(json!({ "topics": topics })), "topics", "invalid_length"),
    ];
    for (case, body, field, code) in cases {
        let response = submit(&app, &body).await;
        let text = problem(response, 422).await.to_string();
        let errors: Vec<(String, String)> = serde_json::from_str::<Value>(&text).unwrap()["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{case}: a 422 lists its errors: {text}"))
            .iter()
            .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(errors, [(field.to_string(), code.to_string())], "{case}");
        for sent in ["Lovelace", "ada-at-example", "astrology", "javascript:"] {
            assert!(!text.contains(sent), "{case}: the problem echoes {sent:?}: {text}");
        }
        assert_eq!(app.count("suggestions").await, 0, "{case}: nothing is stored");
    }
    // The same body with the faults corrected is accepted: the cases failed for their own reason.
    submitted(&app, &suggestion(json!({ "topics": ["specialty-choice"] }))).await;
    assert_eq!(app.count("suggestions").await, 1);
}

#[actix_web::test]
async fn malformed_json_is_400_another_content_type_415_and_a_body_over_the_limit_413() {
    let app = TestApp::spawn_with(&[("BODY_LIMIT_BYTES", "1024")]).await;
    let response = app
        .post(SUBMIT)
        .header("content-type", "application/json")
        .body(r#"{"title": "Pipeline programs", "url": "#)
        .send()
        .await
        .unwrap();
    problem(response, 400).await;

    let valid = serde_json::to_string(&suggestion(json!({}))).unwrap();
    let response = app.post(SUBMIT).header("content-type", "text/plain").body(valid.clone()).send().await.unwrap();
    problem(response, 415).await;

    let large = suggestion(json!({ "why": "x".repeat(1100) }));
    assert!(serde_json::to_vec(&large).unwrap().len() > 1024);
    problem(submit(&app, &large).await, 413).await;
    assert_eq!(app.count("suggestions").await, 0);

    // Under the limit, the same form goes through.
    assert!(valid.len() < 1024);
    submitted(&app, &suggestion(json!({}))).await;
    assert_eq!(app.count("suggestions").await, 1);
}

#[actix_web::test]
async fn a_filled_honeypot_is_answered_exactly_like_a_success_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let real = submit(&app, &suggestion(json!({ "website": "" }))).await;
    assert_eq!(real.status(), 201, "an empty honeypot is a person");
    let real_location = real.headers()["location"].to_str().unwrap().to_string();
    let real: Value = real.json().await.unwrap();
    assert_eq!(app.count("suggestions").await, 1);

    let robot = submit(&app, &suggestion(json!({ "website": "http://spam" }))).await;
    assert_eq!(robot.status(), 201);
    assert_eq!(robot.headers()["content-type"], "application/json");
    let location = robot.headers()["location"].to_str().unwrap().to_string();
    let robot: Value = robot.json().await.unwrap();
    assert_eq!(sorted_keys(&robot), sorted_keys(&real));
    assert_eq!(robot["status"], "pending");
    assert!(uuid::Uuid::parse_str(id_of(&robot)).is_ok());
    assert_ne!(robot["id"], real["id"]);
    assert!(chrono::DateTime::parse_from_rfc3339(robot["created_at"].as_str().unwrap()).is_ok());
    assert_eq!(location, format!("{QUEUE}/{}", id_of(&robot)));
    assert_eq!(real_location, format!("{QUEUE}/{}", id_of(&real)));

    assert_eq!(app.count("suggestions").await, 1, "the robot's suggestion was not stored");
    assert_eq!(app.count(&format!("suggestions WHERE id = '{}'", id_of(&robot))).await, 0);
}

#[actix_web::test]
async fn the_third_form_in_a_minute_from_one_address_is_429_with_retry_after() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_FORMS_PER_MINUTE", "2")]).await;
    submitted(&app, &suggestion(json!({ "title": "First suggestion" }))).await;
    submitted(&app, &suggestion(json!({ "title": "Second suggestion" }))).await;
    let response = submit(&app, &suggestion(json!({ "title": "Third suggestion" }))).await;
    assert_eq!(response.status(), 429);
    let retry_after: u64 =
        response.headers()["retry-after"].to_str().unwrap().parse().expect("Retry-After is a number of seconds");
    assert!((1..=60).contains(&retry_after), "Retry-After: {retry_after}");
    problem(response, 429).await;
    assert_eq!(app.count("suggestions").await, 2);
    assert_eq!(app.count("suggestions WHERE title = 'Third suggestion'").await, 0);
}

#[actix_web::test]
async fn the_same_idempotency_key_and_body_replay_the_first_answer_and_another_body_is_422() {
    let app = TestApp::spawn().await;
    let body = suggestion(json!({}));
    let key = uuid::Uuid::new_v4().to_string();
    let first = app.post(SUBMIT).header("idempotency-key", &key).json(&body).send().await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_location = first.headers()["location"].clone();
    let first_text = first.text().await.unwrap();

    let again = app.post(SUBMIT).header("idempotency-key", &key).json(&body).send().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], first_location);
    assert_eq!(again.headers()["content-type"], "application/json");
    let again_text = again.text().await.unwrap();
    assert_eq!(again_text, first_text, "the first answer, byte for byte");
    assert_eq!(app.count("suggestions").await, 1, "no second record");

    let other = suggestion(json!({ "title": "Another suggestion entirely" }));
    let response = app.post(SUBMIT).header("idempotency-key", &key).json(&other).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, [("Idempotency-Key".to_string(), "key_reused".to_string())]);
    assert_eq!(app.count("suggestions").await, 1);

    // Another key is another submission.
    let response = app.post(SUBMIT).header("idempotency-key", "another-key").json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    assert!(response.headers().get("idempotent-replayed").is_none());
    assert_eq!(app.count("suggestions").await, 2);
}

#[actix_web::test]
async fn a_repeat_while_the_first_request_with_its_key_is_in_flight_is_409() {
    let app = TestApp::spawn().await;
    let bytes = serde_json::to_vec(&suggestion(json!({}))).unwrap();
    let key = "in-flight-key";
    // What the first request leaves while it is being processed: its claim, without an answer.
    diesel::sql_query("INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)")
        .bind::<Text, _>(format!("POST {SUBMIT}"))
        .bind::<Text, _>(key)
        .bind::<Binary, _>(Sha256::digest(&bytes).to_vec())
        .execute(&mut app.db().await)
        .await
        .unwrap();
    let response = app
        .post(SUBMIT)
        .header("idempotency-key", key)
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .unwrap();
    refused(response, ProblemType::RequestInFlight).await;
    assert_eq!(app.count("suggestions").await, 0);
    assert_eq!(
        app.count("idempotency_keys WHERE key = 'in-flight-key' AND response_status IS NULL").await,
        1,
        "the first request keeps its claim"
    );
}

#[actix_web::test]
async fn a_malformed_idempotency_key_is_400() {
    let app = TestApp::spawn().await;
    let body = suggestion(json!({}));
    for key in ["k".repeat(300), String::new(), "two words".into()] {
        let response = app.post(SUBMIT).header("idempotency-key", &key).json(&body).send().await.unwrap();
        problem(response, 400).await;
    }
    assert_eq!(app.count("suggestions").await, 0);
    assert_eq!(app.count("idempotency_keys").await, 0);
    // At the 255-character limit it is fine.
    let response = app.post(SUBMIT).header("idempotency-key", "k".repeat(255)).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
}

#[actix_web::test]
async fn a_request_that_failed_does_not_use_up_its_idempotency_key() {
    let app = TestApp::spawn().await;
    // Refused by the body's rules, before the key is looked at.
    let response = app
        .post(SUBMIT)
        .header("idempotency-key", "key-1")
        .json(&suggestion(json!({ "title": " " })))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid_fields(response).await[0].0, "title");
    let response =
        app.post(SUBMIT).header("idempotency-key", "key-1").json(&suggestion(json!({}))).send().await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());

    // Refused after the key was claimed (an unknown vocabulary value is checked in the database).
    let bad = suggestion(json!({ "domains": ["astrology"] }));
    let response = app.post(SUBMIT).header("idempotency-key", "key-2").json(&bad).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, [("domains[0]".to_string(), "unknown_value".to_string())]);
    assert_eq!(app.count("idempotency_keys WHERE key = 'key-2'").await, 0, "the failed request released its key");
    let fixed = suggestion(json!({ "domains": ["community-engagement"], "title": "A corrected suggestion" }));
    let response = app.post(SUBMIT).header("idempotency-key", "key-2").json(&fixed).send().await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    assert!(response.headers().get("idempotent-replayed").is_none());
    assert_eq!(app.count("suggestions").await, 2);
}

#[actix_web::test]
async fn a_suggestion_of_a_resource_already_in_the_library_is_flagged_with_a_link_to_it() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let known = app
        .publish_resource(
            &token,
            &resource(json!({ "title": "The known page", "url": "https://www.example.org/path/?utm_source=x" })),
        )
        .await;
    let known_id = id_of(&known);
    let same = submitted(&app, &suggestion(json!({ "url": "http://EXAMPLE.org/path#frag" }))).await;
    let other = submitted(&app, &suggestion(json!({ "url": "https://example.org/path/other" }))).await;

    let queue = queue(&app, &token).await;
    let flagged = &find(&queue, id_of(&same))["possible_duplicate"];
    assert_eq!(flagged["kind"], "resource");
    assert_eq!(flagged["id"], known_id);
    assert_eq!(flagged["title"], "The known page");
    assert_eq!(flagged["href"], format!("/api/v1/admin/resources/{known_id}"));
    assert_eq!(find(&queue, id_of(&other))["possible_duplicate"], Value::Null);

    let one: Value = app.get(&format!("{QUEUE}/{}", id_of(&same))).bearer_auth(&token).json_value().await;
    assert_eq!(&one["possible_duplicate"], flagged, "the same flag on the single read");
    assert_eq!(app.get(flagged["href"].as_str().unwrap()).bearer_auth(&token).send().await.unwrap().status(), 200);
}

#[actix_web::test]
async fn a_later_suggestion_of_the_same_page_points_at_the_earlier_one() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let earlier = submitted(&app, &suggestion(json!({ "url": "https://example.net/report?b=2&a=1&fbclid=z" }))).await;
    let later = submitted(&app, &suggestion(json!({ "url": "https://example.net/report/?a=1&b=2" }))).await;
    let unrelated = submitted(&app, &suggestion(json!({ "url": "https://example.net/report?a=1&b=3" }))).await;

    let queue = queue(&app, &token).await;
    assert_eq!(find(&queue, id_of(&earlier))["possible_duplicate"], Value::Null, "the first of a page is not flagged");
    let flagged = &find(&queue, id_of(&later))["possible_duplicate"];
    assert_eq!(flagged["kind"], "suggestion");
    assert_eq!(flagged["id"], earlier["id"]);
    assert_eq!(flagged["href"], format!("{QUEUE}/{}", id_of(&earlier)));
    assert_eq!(find(&queue, id_of(&unrelated))["possible_duplicate"], Value::Null, "other parameters, another page");
}

#[actix_web::test]
async fn the_queue_lists_newest_first_filters_by_status_and_pages() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let mut ids = Vec::new();
    for title in ["Oldest suggestion", "Middle suggestion", "Newest suggestion"] {
        ids.push(id_of(&submitted(&app, &suggestion(json!({ "title": title }))).await).to_string());
    }
    let list_ids = |list: &Value| -> Vec<String> {
        list["data"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
    };

    let all: Value = app.get(QUEUE).bearer_auth(&token).json_value().await;
    assert_eq!(list_ids(&all), [ids[2].clone(), ids[1].clone(), ids[0].clone()]);
    assert_eq!(all["meta"], json!({ "total": 3, "page": 1, "per_page": 20, "total_pages": 1 }));

    let response = app.get(&format!("{QUEUE}?per_page=2")).bearer_auth(&token).send().await.unwrap();
    let link = response.headers()["link"].to_str().unwrap().to_string();
    assert!(link.contains("rel=\"next\""), "{link}");
    let first: Value = response.json().await.unwrap();
    assert_eq!(list_ids(&first), [ids[2].clone(), ids[1].clone()]);
    assert_eq!(first["meta"], json!({ "total": 3, "page": 1, "per_page": 2, "total_pages": 2 }));
    let second: Value = app.get(&format!("{QUEUE}?per_page=2&page=2")).bearer_auth(&token).json_value().await;
    assert_eq!(list_ids(&second), [ids[0].clone()]);
    assert_eq!(second["meta"], json!({ "total": 3, "page": 2, "per_page": 2, "total_pages": 2 }));

    let response = app
        .post(&format!("{QUEUE}/{}/reject", ids[1]))
        .bearer_auth(&token)
        .json(&json!({ "reason": "Out of scope." }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let rejected: Value = app.get(&format!("{QUEUE}?status=rejected")).bearer_auth(&token).json_value().await;
    assert_eq!(list_ids(&rejected), [ids[1].clone()]);
    assert_eq!(rejected["meta"]["total"], 1);
    let pending: Value = app.get(&format!("{QUEUE}?status=pending")).bearer_auth(&token).json_value().await;
    assert_eq!(list_ids(&pending), [ids[2].clone(), ids[0].clone()]);
    assert_eq!(pending["meta"]["total"], 2);
    let accepted: Value = app.get(&format!("{QUEUE}?status=accepted")).bearer_auth(&token).json_value().await;
    assert_eq!(accepted["data"], json!([]));
    assert_eq!(accepted["meta"]["total"], 0);
}

#[actix_web::test]
async fn a_bad_status_filter_is_422_naming_it() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let response = app.get(&format!("{QUEUE}?status=archived")).bearer_auth(&token).send().await.unwrap();
    let fields = invalid_fields(response).await;
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].0, "status");
}

#[actix_web::test]
async fn one_suggestion_is_read_by_id_with_its_submitter_and_an_unknown_id_is_404() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    let body = suggestion(json!({
        "topics": ["specialty-choice"],
        "professions": ["nursing"],
        "consent_to_contact": true,
    }));
    let id = id_of(&submitted(&app, &body).await).to_string();
    let one: Value = app.get(&format!("{QUEUE}/{id}")).bearer_auth(&token).json_value().await;
    assert_eq!(one["id"], id.as_str());
    assert_eq!(one["title"], body["title"]);
    assert_eq!(one["url"], body["url"]);
    assert_eq!(one["why"], body["why"]);
    assert_eq!(one["domains"], json!(["community-engagement"]));
    assert_eq!(one["topics"], json!(["specialty-choice"]));
    assert_eq!(one["professions"], json!(["nursing"]));
    assert_eq!(
        one["submitter"],
        json!({ "name": "Ada Lovelace", "email": "ada.lovelace@example.org", "consent_to_contact": true })
    );
    assert_eq!(one["status"], "pending");
    for empty in ["possible_duplicate", "resource_id", "decision_reason", "decided_by", "decided_at"] {
        assert_eq!(one[empty], Value::Null, "{empty}");
    }

    let unknown = format!("{QUEUE}/{}", uuid::Uuid::new_v4());
    problem(app.get(&unknown).bearer_auth(&token).send().await.unwrap(), 404).await;
    let accept = json!({ "resource_type": "peer-reviewed-article" });
    problem(app.post(&format!("{unknown}/accept")).bearer_auth(&token).json(&accept).send().await.unwrap(), 404).await;
    let reject = json!({ "reason": "Out of scope." });
    problem(app.post(&format!("{unknown}/reject")).bearer_auth(&token).json(&reject).send().await.unwrap(), 404).await;
    assert_eq!(app.count("resources").await, 0);
}

#[actix_web::test]
async fn every_staff_route_of_the_queue_needs_a_signed_in_user() {
    let app = TestApp::spawn().await;
    let id = id_of(&submitted(&app, &suggestion(json!({}))).await).to_string();
    problem(app.get(QUEUE).send().await.unwrap(), 401).await;
    problem(app.get(&format!("{QUEUE}/{id}")).send().await.unwrap(), 401).await;
    let accept = json!({ "resource_type": "peer-reviewed-article" });
    problem(app.post(&format!("{QUEUE}/{id}/accept")).json(&accept).send().await.unwrap(), 401).await;
    let reject = json!({ "reason": "Out of scope." });
    problem(app.post(&format!("{QUEUE}/{id}/reject")).json(&reject).send().await.unwrap(), 401).await;
    problem(app.get(QUEUE).bearer_auth("not-a-token").send().await.unwrap(), 401).await;
    assert_eq!(
        stored(&app, &format!("SELECT status AS value FROM suggestions WHERE id = '{id}'")).await.as_deref(),
        Some("pending")
    );
    assert_eq!(app.count("resources").await, 0);
}

#[actix_web::test]
async fn accepting_makes_a_draft_resource_linked_both_ways_and_is_audited() {
    let app = TestApp::spawn().await;
    let (editor_id, tokens) = app.login_as(Role::Editor).await;
    let token = tokens["access_token"].as_str().unwrap();
    let body = suggestion(json!({
        "domains": ["community-engagement", "curriculum-programming"],
        "topics": ["specialty-choice"],
        "professions": ["nursing"],
    }));
    let id = id_of(&submitted(&app, &body).await).to_string();

    let response = app
        .post(&format!("{QUEUE}/{id}/accept"))
        .bearer_auth(token)
        .json(&json!({ "resource_type": "peer-reviewed-article" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["id"], id.as_str());
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["decided_by"], editor_id.to_string());
    assert!(accepted["decided_at"].is_string());
    assert_eq!(accepted["decision_reason"], Value::Null);
    assert_eq!(accepted["possible_duplicate"], Value::Null, "its own resource is not a duplicate of it");
    let resource_id = accepted["resource_id"].as_str().expect("resource_id is set").to_string();

    let draft: Value = app.get(&format!("/api/v1/admin/resources/{resource_id}")).bearer_auth(token).json_value().await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["title"], body["title"]);
    assert_eq!(draft["url"], body["url"]);
    assert_eq!(draft["resource_type"]["slug"], "peer-reviewed-article");
    let slugs = |list: &Value| -> Vec<String> {
        let mut s: Vec<String> =
            list.as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap().to_string()).collect();
        s.sort();
        s
    };
    assert_eq!(slugs(&draft["domains"]), ["community-engagement", "curriculum-programming"]);
    assert_eq!(slugs(&draft["topics"]), ["specialty-choice"]);
    assert_eq!(slugs(&draft["professions"]), ["nursing"]);
    assert_eq!(draft["suggestion_id"], id.as_str());
    assert_eq!(app.get(&format!("/api/v1/resources/{resource_id}")).send().await.unwrap().status(), 404, "a draft");

    let again: Value = app.get(&format!("{QUEUE}/{id}")).bearer_auth(token).json_value().await;
    assert_eq!(again["resource_id"], resource_id.as_str());

    let accept_again = app
        .post(&format!("{QUEUE}/{id}/accept"))
        .bearer_auth(token)
        .json(&json!({ "resource_type": "peer-reviewed-article" }))
        .send()
        .await
        .unwrap();
    refused(accept_again, ProblemType::AlreadyDecided).await;
    let reject_after = app
        .post(&format!("{QUEUE}/{id}/reject"))
        .bearer_auth(token)
        .json(&json!({ "reason": "No." }))
        .send()
        .await
        .unwrap();
    refused(reject_after, ProblemType::AlreadyDecided).await;
    assert_eq!(app.count("resources").await, 1, "one draft, however often it is accepted");
    let status = stored(&app, &format!("SELECT status AS value FROM suggestions WHERE id = '{id}'")).await;
    assert_eq!(status.as_deref(), Some("accepted"));

    let admin = app.token(Role::Admin).await;
    let log: Value = app.get("/api/v1/admin/audit-log?entity_type=suggestion").bearer_auth(&admin).json_value().await;
    let entries = log["data"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(entries[0]["action"], "suggestion.accept");
    assert_eq!(entries[0]["entity_id"], id.as_str());
    assert_eq!(entries[0]["actor_id"], editor_id.to_string());
}

#[actix_web::test]
async fn accepting_with_an_unknown_resource_type_is_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let id = id_of(&submitted(&app, &suggestion(json!({}))).await).to_string();
    let accept = format!("{QUEUE}/{id}/accept");
    let response =
        app.post(&accept).bearer_auth(&token).json(&json!({ "resource_type": "podcast" })).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, [("resource_type".to_string(), "unknown_value".to_string())]);
    let response = app.post(&accept).bearer_auth(&token).json(&json!({})).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, [("resource_type".to_string(), "required".to_string())]);
    assert_eq!(app.count("resources").await, 0);
    let one: Value = app.get(&format!("{QUEUE}/{id}")).bearer_auth(&token).json_value().await;
    assert_eq!(one["status"], "pending");
    assert_eq!(one["resource_id"], Value::Null);
}

#[actix_web::test]
async fn rejecting_needs_a_reason_which_is_stored() {
    let app = TestApp::spawn().await;
    let (editor_id, tokens) = app.login_as(Role::Editor).await;
    let token = tokens["access_token"].as_str().unwrap();
    let id = id_of(&submitted(&app, &suggestion(json!({}))).await).to_string();
    let reject = format!("{QUEUE}/{id}/reject");

    let response = app.post(&reject).bearer_auth(token).json(&json!({})).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, [("reason".to_string(), "required".to_string())]);
    let response = app.post(&reject).bearer_auth(token).json(&json!({ "reason": "   " })).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, [("reason".to_string(), "required".to_string())]);
    let status = stored(&app, &format!("SELECT status AS value FROM suggestions WHERE id = '{id}'")).await;
    assert_eq!(status.as_deref(), Some("pending"), "a refused rejection leaves it pending");

    let response = app
        .post(&reject)
        .bearer_auth(token)
        .json(&json!({ "reason": "  It is outside the library's scope.  " }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let rejected: Value = response.json().await.unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decision_reason"], "It is outside the library's scope.");
    assert_eq!(rejected["decided_by"], editor_id.to_string());
    assert_eq!(rejected["resource_id"], Value::Null);
    let reason = stored(&app, &format!("SELECT decision_reason AS value FROM suggestions WHERE id = '{id}'")).await;
    assert_eq!(reason.as_deref(), Some("It is outside the library's scope."));
    assert_eq!(app.count("resources").await, 0);

    refused(
        app.post(&reject).bearer_auth(token).json(&json!({ "reason": "Again." })).send().await.unwrap(),
        ProblemType::AlreadyDecided,
    )
    .await;
    let accept = json!({ "resource_type": "peer-reviewed-article" });
    refused(
        app.post(&format!("{QUEUE}/{id}/accept")).bearer_auth(token).json(&accept).send().await.unwrap(),
        ProblemType::AlreadyDecided,
    )
    .await;
    assert_eq!(app.count("resources").await, 0);

    let admin = app.token(Role::Admin).await;
    let log: Value = app.get("/api/v1/admin/audit-log?entity_type=suggestion").bearer_auth(&admin).json_value().await;
    let actions: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["suggestion.reject"]);
}

#[actix_web::test]
async fn the_decision_is_emailed_only_to_submitters_who_agreed_to_be_contacted() {
    let (app, sink) = TestApp::spawn_with_mail(&[]).await;
    let token = app.token(Role::Editor).await;
    let quiet = submitted(
        &app,
        &suggestion(json!({
            "title": "A quiet suggestion",
            "submitter_email": "Quiet.Person@Example.org",
            "consent_to_contact": false,
        })),
    )
    .await;
    let to_reject = submitted(
        &app,
        &suggestion(json!({
            "title": "Rural track outcomes",
            "url": "https://example.org/rural-track",
            "submitter_name": "Grace Hopper",
            "submitter_email": "Grace.Hopper@Example.org",
            "consent_to_contact": true,
        })),
    )
    .await;
    let to_accept = submitted(
        &app,
        &suggestion(json!({
            "title": "Holistic admissions in nursing",
            "submitter_name": "Katherine Johnson",
            "submitter_email": "katherine@example.org",
            "consent_to_contact": true,
        })),
    )
    .await;

    // The one who did not agree is decided first, so a message to them would not trail the others.
    let reason = "It is outside the library's scope.";
    for (suggestion, action, body) in [
        (&quiet, "reject", json!({ "reason": "Not for us." })),
        (&to_reject, "reject", json!({ "reason": reason })),
        (&to_accept, "accept", json!({ "resource_type": "peer-reviewed-article" })),
    ] {
        let path = format!("{QUEUE}/{}/{action}", id_of(suggestion));
        let response = app.post(&path).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 200, "{action}: {}", response.text().await.unwrap());
    }

    let mail = sink.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(mail.len(), 2, "one message per submitter who agreed: {mail:?}");
    let to = |address: &str| {
        let found: Vec<_> = mail.iter().filter(|m| m.envelope_to == [address.to_string()]).collect();
        assert_eq!(found.len(), 1, "one message to {address}");
        found[0].clone()
    };

    let rejected = to("grace.hopper@example.org");
    assert!(rejected.subject().to_lowercase().contains("suggestion"), "{}", rejected.subject());
    let text = rejected.text_body();
    assert!(text.contains(reason), "{text}");
    assert!(text.contains("Rural track outcomes"), "{text}");
    assert!(text.contains("Grace Hopper"), "{text}");

    let accepted = to("katherine@example.org");
    assert!(accepted.subject().to_lowercase().contains("suggestion"), "{}", accepted.subject());
    let text = accepted.text_body();
    assert!(text.contains("Holistic admissions in nursing"), "{text}");
    assert!(text.contains("accepted"), "{text}");
    assert!(!text.contains(reason), "{text}");

    assert_eq!(app.count("outbox WHERE recipient ILIKE 'quiet.person@example.org'").await, 0);
    assert_eq!(app.count("outbox").await, 2);
    assert!(sink.messages().iter().all(|m| !m.raw.to_lowercase().contains("quiet.person")));
}
