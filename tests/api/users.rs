//! `/admin/users`: list, create, read, change role, deactivate.

use serde_json::{json, Value};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, refused, SendJson, TestApp, PASSWORD};

fn new_user(email: &str) -> Value {
    json!({ "email": email, "name": "New Editor", "role": "editor", "password": "a-sufficiently-long-password" })
}

#[actix_web::test]
async fn an_admin_creates_a_user_who_can_then_sign_in() {
    let app = TestApp::spawn().await;
    let (admin_id, tokens) = app.login_as(Role::Admin).await;
    let token = tokens["access_token"].as_str().unwrap();
    let response =
        app.post("/api/v1/admin/users").bearer_auth(token).json(&new_user("New@Example.org")).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["email"], "new@example.org");
    assert_eq!(created["role"], "editor");
    assert_eq!(created["is_active"], true);
    assert!(created.get("password").is_none() && created.get("password_hash").is_none());
    assert_eq!(location, format!("/api/v1/admin/users/{}", created["id"].as_str().unwrap()));

    let fetched: Value = app.get(&location).bearer_auth(token).json_value().await;
    assert_eq!(fetched, created);
    assert_eq!(app.login("new@example.org", "a-sufficiently-long-password").await.status(), 200);

    let log: Value = app.get("/api/v1/admin/audit-log?action=user.create").bearer_auth(token).json_value().await;
    let entry = &log["data"][0];
    assert_eq!(entry["actor_id"], admin_id.to_string());
    assert_eq!(entry["entity_id"], created["id"]);
    assert!(!entry.to_string().contains("sufficiently"), "no password in the audit log");
}

#[actix_web::test]
async fn invalid_users_are_422_per_field_and_store_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    let before = app.count("users").await;
    let body = json!({ "email": "nope", "name": "", "role": "superuser", "password": "short" });
    let response = app.post("/api/v1/admin/users").bearer_auth(&token).json(&body).send().await.unwrap();
    // An unknown role is listed with the other fields' rules.
    assert_eq!(
        invalid_fields(response).await,
        vec![
            ("email".into(), "invalid_email".into()),
            ("name".into(), "invalid_length".into()),
            ("password".into(), "invalid_length".into()),
            ("role".into(), "invalid_choice".into()),
        ]
    );
    let body = json!({ "email": "nope", "name": "", "role": "editor", "password": "short" });
    let response = app.post("/api/v1/admin/users").bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(
        invalid_fields(response).await,
        vec![
            ("email".into(), "invalid_email".into()),
            ("name".into(), "invalid_length".into()),
            ("password".into(), "invalid_length".into()),
        ]
    );
    let response =
        app.post("/api/v1/admin/users").bearer_auth(&token).json(&json!({ "email": "a@b.org" })).send().await.unwrap();
    assert_eq!(
        invalid_fields(response).await,
        vec![
            ("name".into(), "required".into()),
            ("password".into(), "required".into()),
            ("role".into(), "required".into())
        ]
    );
    assert_eq!(app.count("users").await, before);
}

#[actix_web::test]
async fn the_list_pages_with_totals_links_and_filters() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    for _ in 0..4 {
        app.create_user(Role::Editor).await;
    }
    let response = app.get("/api/v1/admin/users?per_page=2&role=editor").bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let link = response.headers()["link"].to_str().unwrap().to_string();
    assert!(link.contains("page=2>; rel=\"next\""), "{link}");
    assert!(link.contains("role=editor"), "filters are kept in links: {link}");
    assert!(!link.contains("rel=\"prev\""));
    let page1: Value = response.json().await.unwrap();
    assert_eq!(page1["meta"], json!({ "total": 4, "page": 1, "per_page": 2, "total_pages": 2 }));
    let page2: Value =
        app.get("/api/v1/admin/users?per_page=2&role=editor&page=2").bearer_auth(&token).json_value().await;
    let ids: std::collections::HashSet<_> = page1["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(page2["data"].as_array().unwrap())
        .map(|u| u["id"].clone())
        .collect();
    assert_eq!(ids.len(), 4, "no duplicates or gaps across pages");
    let admins: Value = app.get("/api/v1/admin/users?role=admin").bearer_auth(&token).json_value().await;
    assert_eq!(admins["meta"]["total"], 1);

    for bad in ["per_page=0", "per_page=101", "page=0", "page=abc", "role=owner", "active=maybe"] {
        let response = app.get(&format!("/api/v1/admin/users?{bad}")).bearer_auth(&token).send().await.unwrap();
        let fields = invalid_fields(response).await;
        assert_eq!(fields[0].0, bad.split('=').next().unwrap(), "{bad}");
    }
}

#[actix_web::test]
async fn changing_a_role_applies_to_live_tokens_and_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (editor_id, editor_tokens) = app.login_as(Role::Editor).await;
    let editor = editor_tokens["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/admin/users").bearer_auth(editor).send().await.unwrap().status(), 403);

    let response = app
        .patch(&format!("/api/v1/admin/users/{editor_id}"))
        .bearer_auth(&admin)
        .json(&json!({ "role": "admin" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["role"], "admin");
    assert_eq!(app.get("/api/v1/admin/users").bearer_auth(editor).send().await.unwrap().status(), 200);

    let log: Value = app
        .get(&format!("/api/v1/admin/audit-log?entity_type=user&entity_id={editor_id}"))
        .bearer_auth(&admin)
        .json_value()
        .await;
    assert_eq!(log["data"][0]["action"], "user.update");
    assert_eq!(log["data"][0]["details"]["role"], json!({ "from": "editor", "to": "admin" }));
}

#[actix_web::test]
async fn deactivating_a_user_ends_their_tokens_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (editor_id, tokens) = app.login_as(Role::Editor).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/auth/me").bearer_auth(access).send().await.unwrap().status(), 200);
    let response = app
        .patch(&format!("/api/v1/admin/users/{editor_id}"))
        .bearer_auth(&admin)
        .json(&json!({ "is_active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["is_active"], false);
    assert_eq!(app.get("/api/v1/auth/me").bearer_auth(access).send().await.unwrap().status(), 401);
    let refresh = app
        .post("/api/v1/auth/refresh")
        .json(&json!({ "refresh_token": tokens["refresh_token"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), 401);
    let log: Value = app.get("/api/v1/admin/audit-log?action=user.deactivate").bearer_auth(&admin).json_value().await;
    assert_eq!(log["meta"]["total"], 1);

    // Reactivated, the user signs in again.
    app.patch(&format!("/api/v1/admin/users/{editor_id}"))
        .bearer_auth(&admin)
        .json(&json!({ "is_active": true }))
        .send()
        .await
        .unwrap();
    let email = app
        .get(&format!("/api/v1/admin/users/{editor_id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["email"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.login(&email, PASSWORD).await.status(), 200);
}

#[actix_web::test]
async fn an_admin_cannot_demote_or_deactivate_themselves() {
    let app = TestApp::spawn().await;
    let (id, tokens) = app.login_as(Role::Admin).await;
    let token = tokens["access_token"].as_str().unwrap();
    for change in [json!({ "role": "editor" }), json!({ "is_active": false })] {
        let response =
            app.patch(&format!("/api/v1/admin/users/{id}")).bearer_auth(token).json(&change).send().await.unwrap();
        refused(response, ProblemType::OwnAccount).await;
    }
    let me: Value = app.get("/api/v1/auth/me").bearer_auth(token).json_value().await;
    assert_eq!((me["role"].as_str(), me["is_active"].as_bool()), (Some("admin"), Some(true)));
    // Renaming oneself is fine.
    let response = app
        .patch(&format!("/api/v1/admin/users/{id}"))
        .bearer_auth(token)
        .json(&json!({ "name": "Renamed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["name"], "Renamed");
}

#[actix_web::test]
async fn unknown_users_are_404_and_bad_updates_422() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    let missing = "/api/v1/admin/users/00000000-0000-0000-0000-000000000000";
    problem(app.get(missing).bearer_auth(&token).send().await.unwrap(), 404).await;
    problem(app.get("/api/v1/admin/users/not-a-uuid").bearer_auth(&token).send().await.unwrap(), 404).await;
    problem(app.patch(missing).bearer_auth(&token).json(&json!({ "name": "X" })).send().await.unwrap(), 404).await;
    let (id, _) = app.create_user(Role::Editor).await;
    let response = app
        .patch(&format!("/api/v1/admin/users/{id}"))
        .bearer_auth(&token)
        .json(&json!({ "email": "x@y.org" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid_fields(response).await, vec![("email".into(), "unknown_field".into())]);
    let response = app
        .patch(&format!("/api/v1/admin/users/{id}"))
        .bearer_auth(&token)
        .json(&json!({ "name": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid_fields(response).await, vec![("name".into(), "invalid_length".into())]);
}

#[actix_web::test]
async fn user_routes_need_a_signed_in_admin() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    let (id, _) = app.create_user(Role::Editor).await;
    let user = format!("/api/v1/admin/users/{id}");
    problem(app.get("/api/v1/admin/users").send().await.unwrap(), 401).await;
    problem(app.post("/api/v1/admin/users").json(&new_user("x@example.org")).send().await.unwrap(), 401).await;
    problem(app.get(&user).send().await.unwrap(), 401).await;
    problem(app.patch(&user).json(&json!({ "name": "X" })).send().await.unwrap(), 401).await;
    problem(
        app.post("/api/v1/admin/users").bearer_auth(&editor).json(&new_user("x@example.org")).send().await.unwrap(),
        403,
    )
    .await;
    refused(app.get(&user).bearer_auth(&editor).send().await.unwrap(), ProblemType::AdminRequired).await;
    refused(
        app.patch(&user).bearer_auth(&editor).json(&json!({ "role": "admin" })).send().await.unwrap(),
        ProblemType::AdminRequired,
    )
    .await;
    assert_eq!(app.count("users").await, 2, "nothing was created");
}
