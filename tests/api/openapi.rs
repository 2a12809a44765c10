//! The served OpenAPI document equals the committed one, and the reference page works offline.

use serde_json::Value;

use crate::helpers::{SendJson, TestApp};

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");

#[actix_web::test]
async fn the_served_document_matches_openapi_openapi_json() {
    let app = TestApp::spawn().await;
    let served = app.get("/openapi.json").send().await.unwrap().text().await.unwrap();
    if std::env::var("UPDATE_OPENAPI").as_deref() == Ok("1") {
        std::fs::write(COMMITTED, format!("{served}\n")).unwrap();
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed.trim_end() == served,
        "openapi/openapi.json differs from the served document: run `UPDATE_OPENAPI=1 cargo test --test api openapi` and commit it"
    );
}

#[actix_web::test]
async fn the_document_is_openapi_3_1_with_problems_and_both_security_schemes() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/openapi.json").json_value().await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["staff_jwt"]["bearerFormat"], "JWT");
    assert_eq!(doc["components"]["securitySchemes"]["partner_api_key"]["name"], "X-Api-Key");
    // Every reference resolves.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/").skip(1) {
        let path: Vec<&str> = reference.split('"').next().unwrap().split('/').collect();
        assert!(doc["components"][path[0]][path[1]].is_object(), "dangling reference to {}", path.join("/"));
    }
    let login = &doc["paths"]["/api/v1/auth/login"]["post"];
    assert!(login["responses"]["422"].is_object() && login["responses"]["429"].is_object());
    // Every operation documents at least one error answer, and every staff route its security.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if path.starts_with("/api/v1/admin") {
                assert!(op["security"].is_array(), "{method} {path} has no security");
                assert!(op["responses"]["401"].is_object() && op["responses"]["403"].is_object(), "{method} {path}");
            }
        }
    }
}

#[actix_web::test]
async fn the_api_reference_is_served_with_local_assets_only() {
    let app = TestApp::spawn().await;
    let redirect = app.get("/docs").send().await.unwrap();
    assert!(redirect.status().is_redirection());
    let page = app.get("/docs/").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    let sources: Vec<&str> = html.split(['"', '\'']).filter(|s| s.ends_with(".js") || s.ends_with(".css")).collect();
    assert!(!sources.is_empty());
    for src in sources {
        assert!(!src.starts_with("http") && !src.starts_with("//"), "loads {src} from the internet");
        let asset = app.get(&format!("/docs/{}", src.trim_start_matches("./"))).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{src}");
    }
    let init = app.get("/docs/swagger-initializer.js").send().await.unwrap().text().await.unwrap();
    assert!(init.contains("/openapi.json"), "{init}");
}
