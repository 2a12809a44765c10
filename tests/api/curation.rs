//! `/admin/resources`: drafts, edits, the publication cycle, the spotlight, slugs, validation.

use serde_json::{json, Value};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, refused, resource, SendJson, TestApp};

#[actix_web::test]
async fn a_draft_becomes_public_only_when_published_and_leaves_when_unpublished() {
    let app = TestApp::spawn().await;
    let (editor_id, tokens) = app.login_as(Role::Editor).await;
    let token = tokens["access_token"].as_str().unwrap();
    let response = app
        .post("/api/v1/admin/resources")
        .bearer_auth(token)
        .json(&resource(json!({ "title": "Cycle" })))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let draft: Value = response.json().await.unwrap();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["published_at"], Value::Null);
    assert_eq!(location, format!("/api/v1/admin/resources/{}", draft["id"].as_str().unwrap()));
    let public = format!("/api/v1/resources/{}", draft["id"].as_str().unwrap());
    assert_eq!(app.get(&public).send().await.unwrap().status(), 404);

    let published: Value = app.post(&format!("{location}/publish")).bearer_auth(token).json_value().await;
    assert_eq!(published["status"], "published");
    let first_published_at = published["published_at"].clone();
    assert!(first_published_at.is_string());
    assert_eq!(app.get(&public).send().await.unwrap().status(), 200);

    app.post(&format!("{location}/unpublish")).bearer_auth(token).send().await.unwrap();
    assert_eq!(app.get(&public).send().await.unwrap().status(), 404);
    let again: Value = app.post(&format!("{location}/publish")).bearer_auth(token).json_value().await;
    assert_eq!(again["published_at"], first_published_at, "the first publication date is kept");

    let archived: Value = app.post(&format!("{location}/archive")).bearer_auth(token).json_value().await;
    assert_eq!(archived["status"], "archived");
    assert_eq!(app.get(&public).send().await.unwrap().status(), 404);

    let listed: Value = app.get("/api/v1/admin/resources?status=archived").bearer_auth(token).json_value().await;
    assert_eq!(listed["meta"]["total"], 1);
    assert_eq!(app.get_json("/api/v1/resources").await["meta"]["total"], 0);

    assert_eq!(app.delete(&location).bearer_auth(token).send().await.unwrap().status(), 204);
    problem(app.get(&location).bearer_auth(token).send().await.unwrap(), 404).await;
    problem(app.delete(&location).bearer_auth(token).send().await.unwrap(), 404).await;

    let admin = app.token(Role::Admin).await;
    let log: Value = app.get("/api/v1/admin/audit-log?entity_type=resource").bearer_auth(&admin).json_value().await;
    let actions: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "resource.delete",
            "resource.archive",
            "resource.publish",
            "resource.unpublish",
            "resource.publish",
            "resource.create"
        ]
    );
    assert!(log["data"].as_array().unwrap().iter().all(|e| e["actor_id"] == editor_id.to_string()));
}

#[actix_web::test]
async fn every_invalid_field_is_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let bad = json!({
        "title": "ab",
        "summary": "x".repeat(2001),
        "url": "ftp://example.org/file",
        "resource_type": "peer-reviewed-article",
        "domains": [],
        "year": 1899,
        "doi": "doi.org/10.1/x",
        "source": "",
    });
    let fields =
        invalid_fields(app.post("/api/v1/admin/resources").bearer_auth(&token).json(&bad).send().await.unwrap()).await;
    let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, ["doi", "domains", "source", "summary", "title", "url", "year"]);
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let future = resource(json!({ "year": next_year + 1 }));
    let fields =
        invalid_fields(app.post("/api/v1/admin/resources").bearer_auth(&token).json(&future).send().await.unwrap())
            .await;
    assert_eq!(fields, [("year".to_string(), "out_of_range".to_string())]);
    assert_eq!(app.create_resource(&token, &resource(json!({ "year": next_year }))).await["year"], next_year);

    let unknown = resource(
        json!({ "resource_type": "podcast", "domains": ["community-engagement", "astrology"], "topics": ["nope"] }),
    );
    let fields =
        invalid_fields(app.post("/api/v1/admin/resources").bearer_auth(&token).json(&unknown).send().await.unwrap())
            .await;
    assert_eq!(
        fields,
        [
            ("resource_type".to_string(), "unknown_value".to_string()),
            ("domains[1]".to_string(), "unknown_value".to_string()),
            ("topics[0]".to_string(), "unknown_value".to_string()),
        ]
    );
    let extra = resource(json!({ "status": "published" }));
    let fields =
        invalid_fields(app.post("/api/v1/admin/resources").bearer_auth(&token).json(&extra).send().await.unwrap())
            .await;
    assert_eq!(fields, [("status".to_string(), "unknown_field".to_string())]);
    assert_eq!(app.count("resources").await, 1, "only the valid one was stored");
}

#[actix_web::test]
async fn patch_changes_only_what_is_sent_and_validates_the_result() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let created = app
        .create_resource(&token, &resource(json!({ "title": "Original title", "url": "https://example.org/a", "year": 2020, "topics": ["specialty-choice"] })))
        .await;
    let path = format!("/api/v1/admin/resources/{}", created["id"].as_str().unwrap());
    let updated: Value = app
        .patch(&path)
        .bearer_auth(&token)
        .json(&json!({ "title": "A new title", "url": null, "professions": ["nursing"] }))
        .json_value()
        .await;
    assert_eq!(updated["title"], "A new title");
    assert_eq!(updated["slug"], "original-title", "the slug stays when the title changes");
    assert_eq!(updated["url"], Value::Null, "null clears");
    assert_eq!(updated["year"], 2020, "left out, kept");
    assert_eq!(updated["topics"][0]["slug"], "specialty-choice");
    assert_eq!(updated["professions"][0]["slug"], "nursing");

    let fields =
        invalid_fields(app.patch(&path).bearer_auth(&token).json(&json!({ "domains": [] })).send().await.unwrap())
            .await;
    assert_eq!(fields[0].0, "domains");
    let fields = invalid_fields(
        app.patch(&path).bearer_auth(&token).json(&json!({ "slug": "Not A Slug" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(fields[0].0, "slug");
    let fields = invalid_fields(
        app.patch(&path).bearer_auth(&token).json(&json!({ "slug": "spotlight" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(fields[0].0, "slug");
    let after: Value = app.get(&path).bearer_auth(&token).json_value().await;
    assert_eq!(after["domains"], updated["domains"], "a refused change leaves the resource as it was");

    let other = app.create_resource(&token, &resource(json!({ "title": "Other one" }))).await;
    refused(
        app.patch(&path).bearer_auth(&token).json(&json!({ "slug": other["slug"] })).send().await.unwrap(),
        ProblemType::SlugTaken,
    )
    .await;
    problem(
        app.patch("/api/v1/admin/resources/00000000-0000-0000-0000-000000000000")
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    for action in ["publish", "unpublish", "archive", "spotlight"] {
        let missing = format!("/api/v1/admin/resources/00000000-0000-0000-0000-000000000000/{action}");
        problem(app.post(&missing).bearer_auth(&token).send().await.unwrap(), 404).await;
    }
}

#[actix_web::test]
async fn slugs_are_unique_and_never_a_reserved_word() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let a = app.create_resource(&token, &resource(json!({ "title": "Same title" }))).await;
    let b = app.create_resource(&token, &resource(json!({ "title": "Same title!" }))).await;
    assert_eq!(a["slug"], "same-title");
    assert_eq!(b["slug"], "same-title-2");
    let reserved = app.create_resource(&token, &resource(json!({ "title": "Spotlight" }))).await;
    assert_eq!(reserved["slug"], "spotlight-2");
    // A renamed resource's old slug is never handed to another.
    let path = format!("/api/v1/admin/resources/{}", a["id"].as_str().unwrap());
    app.patch(&path).bearer_auth(&token).json(&json!({ "slug": "renamed" })).send().await.unwrap();
    let c = app.create_resource(&token, &resource(json!({ "title": "Same title" }))).await;
    assert_eq!(c["slug"], "same-title-3");
}

#[actix_web::test]
async fn there_is_one_spotlight_and_it_must_be_published() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let draft = app.create_resource(&token, &resource(json!({ "title": "Draft one" }))).await;
    let body = refused(
        app.post(&format!("/api/v1/admin/resources/{}/spotlight", draft["id"].as_str().unwrap()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        ProblemType::SpotlightNotPublished,
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("published"));
    let first = app.publish_resource(&token, &resource(json!({ "title": "First star" }))).await;
    let second = app.publish_resource(&token, &resource(json!({ "title": "Second star" }))).await;
    for star in [&first, &second] {
        let r: Value = app
            .post(&format!("/api/v1/admin/resources/{}/spotlight", star["id"].as_str().unwrap()))
            .bearer_auth(&token)
            .json_value()
            .await;
        assert_eq!(r["is_spotlight"], true);
        assert_eq!(app.get_json("/api/v1/resources/spotlight").await["id"], star["id"]);
    }
    let first_now: Value = app
        .get(&format!("/api/v1/admin/resources/{}", first["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .json_value()
        .await;
    assert_eq!(first_now["is_spotlight"], false);
    app.post(&format!("/api/v1/admin/resources/{}/unpublish", second["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    problem(app.get("/api/v1/resources/spotlight").send().await.unwrap(), 404).await;
}

#[actix_web::test]
async fn the_staff_list_shows_every_status_with_the_public_filters() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    app.create_resource(&token, &resource(json!({ "title": "Draft nursing", "professions": ["nursing"] }))).await;
    app.publish_resource(&token, &resource(json!({ "title": "Published nursing", "professions": ["nursing"] }))).await;
    app.publish_resource(&token, &resource(json!({ "title": "Published medicine", "professions": ["medicine"] })))
        .await;
    let all: Value = app.get("/api/v1/admin/resources?profession=nursing").bearer_auth(&token).json_value().await;
    assert_eq!(all["meta"]["total"], 2);
    let drafts: Value = app.get("/api/v1/admin/resources?status=draft").bearer_auth(&token).json_value().await;
    assert_eq!(drafts["data"][0]["title"], "Draft nursing");
    assert_eq!(drafts["data"][0]["status"], "draft");
    let fields =
        invalid_fields(app.get("/api/v1/admin/resources?status=gone").bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(fields[0].0, "status");
}

#[actix_web::test]
async fn curation_needs_a_signed_in_staff_member() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let r = app.create_resource(&token, &resource(json!({}))).await;
    let path = format!("/api/v1/admin/resources/{}", r["id"].as_str().unwrap());
    problem(app.get("/api/v1/admin/resources").send().await.unwrap(), 401).await;
    problem(app.post("/api/v1/admin/resources").json(&resource(json!({}))).send().await.unwrap(), 401).await;
    problem(app.get(&path).send().await.unwrap(), 401).await;
    problem(app.patch(&path).json(&json!({ "title": "Hijack" })).send().await.unwrap(), 401).await;
    problem(app.delete(&path).send().await.unwrap(), 401).await;
    for action in ["publish", "unpublish", "archive", "spotlight"] {
        problem(app.post(&format!("{path}/{action}")).send().await.unwrap(), 401).await;
    }
    assert_eq!(app.count("resources").await, 1);
}
