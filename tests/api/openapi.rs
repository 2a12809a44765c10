//! The served OpenAPI document equals the committed one, the README's table of endpoints names
//! exactly its operations, and the reference page works offline.

use std::collections::BTreeSet;

use serde_json::{json, Value};

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

/// The README's "Endpoints at a glance" table names every operation of the document, and nothing
/// else: the first cell of each row holds one code span `METHOD /path` per operation, with the
/// document's path template. Paths served outside the document are listed after the table.
#[test]
fn the_readme_table_names_exactly_the_documents_operations() {
    const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("\n## Endpoints at a glance\n").nth(1).expect("no `## Endpoints at a glance`");
    let section = section.split("\n## ").next().unwrap();
    // The main table is the section's first run of lines starting with `|`.
    let table = section.lines().skip_while(|line| !line.starts_with('|')).take_while(|line| line.starts_with('|'));
    let mut in_readme = BTreeSet::new();
    for row in table {
        let first_cell = row.split('|').nth(1).unwrap_or_default();
        // Code spans are the odd pieces between backticks.
        for span in first_cell.split('`').skip(1).step_by(2) {
            if let Some((method, path)) = span.split_once(' ') {
                if METHODS.contains(&method) && path.starts_with('/') {
                    in_readme.insert(format!("{method} {path}"));
                }
            }
        }
    }

    let doc = serde_json::to_value(social_mission_api::app::openapi()).unwrap();
    let mut in_document = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            if METHODS.contains(&method.as_str()) {
                in_document.insert(format!("{method} {path}"));
            }
        }
    }

    let missing: Vec<&String> = in_document.difference(&in_readme).collect();
    let extra: Vec<&String> = in_readme.difference(&in_document).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "README.md's \"Endpoints at a glance\" table and the OpenAPI document disagree.\n\
         In the document, missing from the table: {missing:#?}\n\
         In the table, not in the document: {extra:#?}"
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
    // Every operation lists the problem types it can answer (`x-problems`), each error answer
    // carries exactly the listed types of its status as examples, and staff routes their security.
    let catalogue = doc["components"]["schemas"]["ProblemType"]["enum"].as_array().unwrap().clone();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let listed: Vec<&str> = op["x-problems"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
            for (status, answer) in op["responses"].as_object().unwrap() {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                let name = answer["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
                let answer = &doc["components"]["responses"][name];
                let examples = answer["content"]["application/problem+json"]["examples"].as_object().unwrap();
                assert!(!examples.is_empty(), "{method} {path} {status}");
                for reference in examples.values() {
                    let name = reference["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
                    let example = &doc["components"]["examples"][name]["value"];
                    assert_eq!(example["status"].to_string(), *status, "{method} {path}: {name}");
                    assert!(listed.contains(&example["type"].as_str().unwrap()), "{method} {path}: {name}");
                    assert!(catalogue.contains(&example["type"]), "{name}");
                }
            }
            if path.starts_with("/api/v1/admin") {
                assert!(op["security"].is_array(), "{method} {path} has no security");
                assert!(listed.contains(&"/problems/session-ended"), "{method} {path}");
                let editors_refused = listed.contains(&"/problems/admin-required");
                assert_eq!(op["responses"]["403"].is_object(), editors_refused, "{method} {path}");
            }
        }
    }
    // Admin-only operations refuse editors; editors' operations do not claim to.
    let users = &doc["paths"]["/api/v1/admin/users"]["get"]["x-problems"];
    assert!(users.as_array().unwrap().contains(&json!("/problems/admin-required")));
    let queue = &doc["paths"]["/api/v1/admin/suggestions"]["get"]["x-problems"];
    assert!(!queue.as_array().unwrap().contains(&json!("/problems/admin-required")));
    // The registration tells each refusal apart.
    let register = &doc["paths"]["/api/v1/conferences/{slug}/registrations"]["post"]["responses"]["409"]["$ref"];
    let register = &doc["components"]["responses"][register.as_str().unwrap().rsplit('/').next().unwrap()];
    let conflicts: Vec<&String> =
        register["content"]["application/problem+json"]["examples"].as_object().unwrap().keys().collect();
    for expected in ["AlreadyRegistered", "ConferenceNotOpen", "SalesEnded", "SalesNotStarted", "RequestInFlight"] {
        assert!(conflicts.iter().any(|c| *c == expected), "{expected} in {conflicts:?}");
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
