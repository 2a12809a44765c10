//! `/admin/audit-log`.

use serde_json::{json, Value};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{problem, refused, SendJson, TestApp};

#[actix_web::test]
async fn the_audit_log_lists_newest_first_with_who_what_which_and_when() {
    let app = TestApp::spawn().await;
    let (admin_id, tokens) = app.login_as(Role::Admin).await;
    let token = tokens["access_token"].as_str().unwrap();
    let request_id = "audit-test-request-1";
    let created: Value = app
        .post("/api/v1/admin/users")
        .bearer_auth(token)
        .header("x-request-id", request_id)
        .json(&json!({ "email": "first@example.org", "name": "First", "role": "editor", "password": "a-long-enough-password" }))
        .json_value().await;
    app.patch(&format!("/api/v1/admin/users/{}", created["id"].as_str().unwrap()))
        .bearer_auth(token)
        .json(&json!({ "name": "Renamed" }))
        .send()
        .await
        .unwrap();

    let log: Value = app.get("/api/v1/admin/audit-log?entity_type=user").bearer_auth(token).json_value().await;
    let actions: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    // The admin made by the test helper (command-line path) comes last: oldest.
    assert_eq!(actions, vec!["user.update", "user.create", "user.create"]);
    let create = &log["data"][1];
    assert_eq!(create["actor_id"], admin_id.to_string());
    assert!(create["actor_email"].as_str().unwrap().starts_with("admin-"));
    assert_eq!(create["entity_type"], "user");
    assert_eq!(create["entity_id"], created["id"]);
    assert_eq!(create["request_id"], request_id);
    assert!(create["created_at"].is_string());
    assert_eq!(log["data"][2]["actor_id"], Value::Null);

    let filtered: Value = app
        .get(&format!("/api/v1/admin/audit-log?actor_id={admin_id}&per_page=1"))
        .bearer_auth(token)
        .json_value()
        .await;
    assert_eq!(filtered["meta"]["total"], 2);
    assert_eq!(filtered["data"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn the_audit_log_is_for_admins_only() {
    let app = TestApp::spawn().await;
    problem(app.get("/api/v1/admin/audit-log").send().await.unwrap(), 401).await;
    let editor = app.token(Role::Editor).await;
    refused(app.get("/api/v1/admin/audit-log").bearer_auth(&editor).send().await.unwrap(), ProblemType::AdminRequired)
        .await;
    let admin = app.token(Role::Admin).await;
    let response = app.get("/api/v1/admin/audit-log?actor_id=nope").bearer_auth(&admin).send().await.unwrap();
    assert_eq!(crate::helpers::invalid_fields(response).await[0].0, "actor_id");
}
