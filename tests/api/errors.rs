//! Every error status of the contract, rendered as application/problem+json.

use serde_json::json;
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, refused, TestApp};

#[actix_web::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = TestApp::spawn().await;
    let body = problem(app.get("/api/v1/nothing-here").send().await.unwrap(), 404).await;
    assert_eq!(body["type"], "/problems/not-found");
}

#[actix_web::test]
async fn a_known_route_with_another_method_is_a_405_with_allow() {
    let app = TestApp::spawn().await;
    let response = app.client.delete(app.url("/api/v1/auth/login")).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "POST");
    problem(response, 405).await;
    let response =
        app.client.put(app.url("/api/v1/admin/users/00000000-0000-0000-0000-000000000000")).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "GET, PATCH");
}

#[actix_web::test]
async fn malformed_json_is_a_400() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    let body = problem(response, 400).await;
    assert!(body["detail"].as_str().unwrap().contains("not valid JSON"));
}

#[actix_web::test]
async fn unknown_fields_are_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/v1/auth/login")
        .json(&json!({ "email": "a@example.org", "password": "x", "remember_me": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid_fields(response).await, vec![("remember_me".to_string(), "unknown_field".to_string())]);
}

#[actix_web::test]
async fn each_invalid_field_gets_its_own_entry_without_echoing_values() {
    let app = TestApp::spawn().await;
    let response =
        app.post("/api/v1/auth/login").json(&json!({ "email": "not-an-email", "password": "" })).send().await.unwrap();
    let body = problem(response, 422).await;
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{body}");
    assert_eq!(errors[0]["field"], "email");
    assert_eq!(errors[0]["code"], "invalid_email");
    assert_eq!(errors[1]["field"], "password");
    assert_eq!(errors[1]["code"], "invalid_length");
    assert!(!body.to_string().contains("not-an-email"));
    // A wrong type names the field too.
    let response =
        app.post("/api/v1/auth/login").json(&json!({ "email": 42, "password": "secret" })).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, vec![("email".to_string(), "invalid_type".to_string())]);
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect()
}

#[actix_web::test]
async fn a_form_hears_of_every_problem_in_one_answer() {
    let app = TestApp::spawn().await;
    // Missing, mistyped, unknown and rule violations together (the issue's `title: ""` without `why`).
    let body = json!({
        "title": "",
        "url": 42,
        "domains": (0..11).map(|i| format!("domain-{i}")).collect::<Vec<_>>(),
        "submitter_email": "not-an-email",
        "consent_to_contact": "yes",
        "colour": "red",
    });
    let response = app.post("/api/v1/suggestions").json(&body).send().await.unwrap();
    let problem = problem(response, 422).await;
    assert_eq!(problem["detail"], "the request has 8 invalid fields");
    let fields: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        fields,
        pairs(&[
            ("colour", "unknown_field"),
            ("consent_to_contact", "invalid_type"),
            ("domains", "invalid_length"),
            ("submitter_email", "invalid_email"),
            ("submitter_name", "required"),
            ("title", "required"),
            ("url", "invalid_type"),
            ("why", "required"),
        ])
    );
    assert!(!problem.to_string().contains("not-an-email"));
    assert_eq!(app.count("suggestions").await, 0);

    // Out of range too, on a staff form.
    let token = app.token(Role::Editor).await;
    let mut body = crate::helpers::resource(json!({
        "title": "ab",
        "year": 1800,
        "open_access": "yes",
        "doi": "nope",
        "url": "ftp://example.org/x",
        "authors": "Ada",
    }));
    body.as_object_mut().unwrap().remove("domains");
    let response = app.post("/api/v1/admin/resources").bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(
        invalid_fields(response).await,
        pairs(&[
            ("authors", "invalid_type"),
            ("doi", "invalid_doi"),
            ("domains", "required"),
            ("open_access", "invalid_type"),
            ("title", "invalid_length"),
            ("url", "invalid_url"),
            ("year", "out_of_range"),
        ])
    );

    // A rule between fields (the nominator is required unless it is a self-nomination) comes
    // with the others, not after them.
    let body = json!({
        "nominee_name": "Maria Lopez",
        "nominee_role": "Dean",
        "nominee_institution": "University of New Mexico",
        "nominee_profession": "nursing",
        "nominee_email": "nope",
        "health_equity_work": "",
        "self_nomination": false,
        "consent_to_feature": true,
    });
    let response = app.post("/api/v1/champion-nominations").json(&body).send().await.unwrap();
    assert_eq!(
        invalid_fields(response).await,
        pairs(&[
            ("health_equity_work", "required"),
            ("nominator_email", "required"),
            ("nominator_name", "required"),
            ("nominee_email", "invalid_email"),
        ])
    );
}

#[actix_web::test]
async fn a_query_hears_of_every_problem_in_one_answer() {
    let app = TestApp::spawn().await;
    let q = "x".repeat(201);
    let path = format!("/api/v1/resources?year_from=abc&year_to=1800&per_page=500&page=0&sort=worst&q={q}&domain=a");
    let response = app.get(&path).send().await.unwrap();
    assert_eq!(
        invalid_fields(response).await,
        pairs(&[
            ("page", "out_of_range"),
            ("per_page", "out_of_range"),
            ("q", "invalid_length"),
            ("sort", "invalid_choice"),
            ("year_from", "invalid_number"),
            ("year_to", "out_of_range"),
        ])
    );
    // A valid query is read as before.
    let response = app.get("/api/v1/resources?sort=newest&page=1&per_page=5&domain=a&domain=b").send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[actix_web::test]
async fn another_content_type_is_a_415() {
    let app = TestApp::spawn().await;
    let response = app.post("/api/v1/auth/login").header("content-type", "text/plain").body("{}").send().await.unwrap();
    problem(response, 415).await;
    let response = app.post("/api/v1/auth/login").body("{}").send().await.unwrap();
    problem(response, 415).await;
}

#[actix_web::test]
async fn a_body_over_the_limit_is_a_413() {
    let app = TestApp::spawn_with(&[("BODY_LIMIT_BYTES", "1024")]).await;
    let big = json!({ "email": "a@example.org", "password": "x".repeat(2000) });
    let response = app.post("/api/v1/auth/login").json(&big).send().await.unwrap();
    problem(response, 413).await;
}

#[actix_web::test]
async fn a_unique_violation_is_a_409_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    let (_, email) = app.create_user(Role::Editor).await;
    let before = app.count("users").await;
    let response = app
        .post("/api/v1/admin/users")
        .bearer_auth(&token)
        .json(&json!({ "email": email.to_uppercase(), "name": "Twin", "role": "editor", "password": "another-long-password" }))
        .send()
        .await
        .unwrap();
    refused(response, ProblemType::EmailTaken).await;
    assert_eq!(app.count("users").await, before);
}

#[actix_web::test]
async fn the_rate_limit_is_a_429_with_retry_after() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_LOGIN_PER_MINUTE", "2")]).await;
    for _ in 0..2 {
        assert_eq!(app.login("nobody@example.org", "wrong").await.status(), 401);
    }
    let response = app.login("nobody@example.org", "wrong").await;
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    refused(response, ProblemType::SignInThrottled).await;
}

#[actix_web::test]
async fn a_request_over_the_time_limit_is_a_503_problem() {
    // Sign-in hashes a password, which takes far longer than 1 ms.
    let app = TestApp::spawn_with(&[("REQUEST_TIMEOUT_MS", "1")]).await;
    let response = app.login("nobody@example.org", "whatever").await;
    assert!(response.headers().contains_key("x-request-id"));
    let body = problem(response, 503).await;
    assert!(body["detail"].as_str().unwrap().contains("longer than 1 ms"));
}

#[actix_web::test]
async fn a_500_carries_no_internals() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    diesel::sql_query("DROP TABLE audit_log").execute(&mut app.db().await).await.unwrap();
    let response = app.get("/api/v1/admin/audit-log").bearer_auth(&token).send().await.unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_string();
    let body = problem(response, 500).await;
    let text = body.to_string();
    assert!(!text.contains("audit_log") && !text.contains("relation") && !text.contains("SELECT"), "{text}");
    assert!(body["detail"].as_str().unwrap().contains("X-Request-Id"));
    assert!(!request_id.is_empty());
}
