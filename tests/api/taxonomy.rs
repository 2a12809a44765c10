//! `/admin/taxonomy/{vocabulary}`: add, relabel, reorder, retire.

use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, resource, SendJson, TestApp};

fn labels(taxonomy: &Value, vocabulary: usize) -> Vec<String> {
    taxonomy["vocabularies"][vocabulary]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn admins_add_relabel_and_reorder_values() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    let response = app
        .post("/api/v1/admin/taxonomy/topics")
        .bearer_auth(&token)
        .json(&json!({ "label": "Rural Health", "description": "Health in rural places." }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], "/api/v1/admin/taxonomy/topics/rural-health");
    let added: Value = response.json().await.unwrap();
    assert_eq!((added["slug"].as_str(), added["position"].as_i64()), (Some("rural-health"), Some(6)));
    assert_eq!(labels(&app.get_json("/api/v1/taxonomy").await, 2).last().unwrap(), "Rural Health");

    problem(
        app.post("/api/v1/admin/taxonomy/topics")
            .bearer_auth(&token)
            .json(&json!({ "label": "Rural health" }))
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;

    let relabelled: Value = app
        .patch("/api/v1/admin/taxonomy/topics/rural-health")
        .bearer_auth(&token)
        .json(&json!({ "label": "Rural & Frontier Health", "position": 0 }))
        .json_value()
        .await;
    assert_eq!(relabelled["slug"], "rural-health", "the slug is stable");
    assert_eq!(labels(&app.get_json("/api/v1/taxonomy").await, 2)[0], "Rural & Frontier Health");

    let fields = invalid_fields(
        app.post("/api/v1/admin/taxonomy/topics")
            .bearer_auth(&token)
            .json(&json!({ "label": "" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(fields[0].0, "label");
    let fields = invalid_fields(
        app.post("/api/v1/admin/taxonomy/topics")
            .bearer_auth(&token)
            .json(&json!({ "label": "X", "slug": "Bad Slug" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(fields, [("slug".to_string(), "invalid_slug".to_string())]);
    problem(
        app.post("/api/v1/admin/taxonomy/colours")
            .bearer_auth(&token)
            .json(&json!({ "label": "Red" }))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        app.patch("/api/v1/admin/taxonomy/topics/nope")
            .bearer_auth(&token)
            .json(&json!({ "label": "X" }))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;

    let log: Value =
        app.get("/api/v1/admin/audit-log?entity_type=vocabulary_term").bearer_auth(&token).json_value().await;
    let actions: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["taxonomy.update", "taxonomy.add"]);
}

#[actix_web::test]
async fn retiring_a_value_in_use_is_a_409_that_says_how_many_use_it() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let editor = app.token(Role::Editor).await;
    for i in 0..2 {
        app.create_resource(
            &editor,
            &resource(json!({ "title": format!("Uses dentistry {i}"), "professions": ["dentistry"] })),
        )
        .await;
    }
    let body = problem(
        app.delete("/api/v1/admin/taxonomy/professions/dentistry").bearer_auth(&admin).send().await.unwrap(),
        409,
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("2 resources use it"), "{body}");
    let listed: Value = app.get("/api/v1/admin/taxonomy/professions").bearer_auth(&admin).json_value().await;
    let dentistry = listed.as_array().unwrap().iter().find(|t| t["slug"] == "dentistry").unwrap();
    assert_eq!(dentistry["resource_count"], 2);

    assert_eq!(
        app.delete("/api/v1/admin/taxonomy/professions/pharmacy").bearer_auth(&admin).send().await.unwrap().status(),
        204
    );
    assert!(!labels(&app.get_json("/api/v1/taxonomy").await, 3).contains(&"Pharmacy".to_string()));
    // A retired value can no longer be chosen.
    let fields = invalid_fields(
        app.post("/api/v1/admin/resources")
            .bearer_auth(&editor)
            .json(&resource(json!({ "professions": ["pharmacy"] })))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(fields, [("professions[0]".to_string(), "unknown_value".to_string())]);
}

#[actix_web::test]
async fn vocabulary_edits_are_for_admins_only() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    for request in [
        app.get("/api/v1/admin/taxonomy/domains"),
        app.post("/api/v1/admin/taxonomy/domains").json(&json!({ "label": "New" })),
        app.patch("/api/v1/admin/taxonomy/domains/community-engagement").json(&json!({ "label": "New" })),
        app.delete("/api/v1/admin/taxonomy/domains/community-engagement"),
    ] {
        let anonymous = request.try_clone().unwrap().send().await.unwrap();
        problem(anonymous, 401).await;
        problem(request.bearer_auth(&editor).send().await.unwrap(), 403).await;
    }
    assert_eq!(labels(&app.get_json("/api/v1/taxonomy").await, 1).len(), 5);
}
