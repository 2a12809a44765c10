//! `GET /api/v1/resources/suggest`: what a search box shows at each keystroke. Vocabulary values
//! and published titles whose words hold what was typed (the last word a prefix), best first,
//! with the ranges that matched in Unicode scalar values; its own rate budget; `suggest` is a
//! reserved slug.

use serde_json::{json, Value};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, refused, resource, TestApp};

const SUGGEST: &str = "/api/v1/resources/suggest";

async fn suggest(app: &TestApp, q: &str) -> Value {
    let encoded: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    app.get_json(&format!("{SUGGEST}?q={encoded}")).await
}

fn texts(answer: &Value) -> Vec<(String, String)> {
    answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["kind"].as_str().unwrap().to_string(), s["text"].as_str().unwrap().to_string()))
        .collect()
}

/// The parts of `text` its `matches` name, as the website would bold them.
fn bolded(suggestion: &Value) -> Vec<String> {
    let chars: Vec<char> = suggestion["text"].as_str().unwrap().chars().collect();
    suggestion["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| chars[m["start"].as_u64().unwrap() as usize..m["end"].as_u64().unwrap() as usize].iter().collect())
        .collect()
}

async fn library(app: &TestApp) -> String {
    let editor = app.token(Role::Editor).await;
    for title in [
        "Community Health Workers in Rural Clinics",
        "Health of Communities: A Review",
        "Building community health partnerships through service learning in medical schools",
        "Müller's study of anti-racism curricula",
        "Community Health",
    ] {
        app.publish_resource(&editor, &resource(json!({ "title": title }))).await;
    }
    // A draft is never suggested.
    app.create_resource(&editor, &resource(json!({ "title": "Community health draft" }))).await;
    editor
}

#[actix_web::test]
async fn values_then_titles_whose_words_hold_what_was_typed_with_the_ranges_to_bold() {
    let app = TestApp::spawn().await;
    library(&app).await;

    let answer = suggest(&app, "community heal").await;
    assert_eq!(
        texts(&answer),
        [
            ("topic".into(), "Patient & community health".into()),
            ("resource".into(), "Community Health".into()),
            ("resource".into(), "Community Health Workers in Rural Clinics".into()),
            (
                "resource".into(),
                "Building community health partnerships through service learning in medical schools".into()
            ),
        ],
        "values, then titles starting with the first word, then shorter first; `communities` is not `community`"
    );
    assert_eq!(answer["data"][0]["slug"], "patient-community-health");
    assert_eq!(bolded(&answer["data"][0]), ["community", "heal"]);
    let first = &answer["data"][1];
    assert_eq!(first["slug"], "community-health");
    assert_eq!(first["matches"], json!([{ "start": 0, "end": 9 }, { "start": 10, "end": 14 }]));
    assert_eq!(bolded(&answer["data"][3]), ["community", "heal"]);

    // A value's label: `Community Engagement` holds `commun`; the prefix marks what was typed.
    let answer = suggest(&app, "commun").await;
    let data = answer["data"].as_array().unwrap();
    assert_eq!(data[0]["kind"], "domain");
    assert_eq!(data[0]["text"], "Community Engagement");
    assert_eq!(data[0]["slug"], "community-engagement");
    assert_eq!(bolded(&data[0]), ["Commun"]);
    assert!(texts(&answer).contains(&("resource".into(), "Health of Communities: A Review".into())));

    // A space ends the word: `communit ` is a whole word no title has.
    assert_eq!(texts(&suggest(&app, "communit ").await), Vec::<(String, String)>::new());
    // Case and accents do not matter; ranges count characters, not bytes.
    let answer = suggest(&app, "MULLER anti rac").await;
    assert_eq!(texts(&answer), [("resource".into(), "Müller's study of anti-racism curricula".into())]);
    assert_eq!(bolded(&answer["data"][0]), ["Müller", "anti", "rac"]);
    assert_eq!(answer["data"][0]["matches"][2], json!({ "start": 23, "end": 26 }));
    // `limit` caps the list; nothing typed but punctuation suggests nothing.
    let limited = app.get_json(&format!("{SUGGEST}?q=health&limit=2")).await;
    assert_eq!(limited["data"].as_array().unwrap().len(), 2);
    assert_eq!(texts(&suggest(&app, "--").await), Vec::<(String, String)>::new());
}

#[actix_web::test]
async fn suggestions_follow_every_change_and_answer_304_to_their_etag() {
    let app = TestApp::spawn().await;
    let editor = library(&app).await;
    let response = app.get(&format!("{SUGGEST}?q=rural")).send().await.unwrap();
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let again = app.get(&format!("{SUGGEST}?q=rural")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);

    // A first keystroke or two is answered from what is kept for it until a change.
    let titles_at = |answer: &Value| -> Vec<String> {
        texts(answer).into_iter().filter(|(kind, _)| kind == "resource").map(|(_, text)| text).collect()
    };
    assert_eq!(titles_at(&suggest(&app, "fr").await), Vec::<String>::new());
    let found = suggest(&app, "rural").await;
    let slug = found["data"][0]["slug"].as_str().unwrap().to_string();
    let id = app.get_json(&format!("/api/v1/resources/{slug}")).await["id"].as_str().unwrap().to_string();
    let patch = app
        .patch(&format!("/api/v1/admin/resources/{id}"))
        .bearer_auth(&editor)
        .json(&json!({ "title": "Community Health Workers in Frontier Clinics" }));
    assert_eq!(patch.send().await.unwrap().status(), 200);
    assert_eq!(texts(&suggest(&app, "rural").await), Vec::<(String, String)>::new());
    assert_eq!(suggest(&app, "fronti").await["data"][0]["text"], "Community Health Workers in Frontier Clinics");
    assert_eq!(titles_at(&suggest(&app, "fr").await), ["Community Health Workers in Frontier Clinics"]);
    let changed = app.get(&format!("{SUGGEST}?q=rural")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(changed.status(), 200);
    // Unpublished: gone.
    let archive = app.post(&format!("/api/v1/admin/resources/{id}/archive")).bearer_auth(&editor);
    assert_eq!(archive.send().await.unwrap().status(), 200);
    assert_eq!(texts(&suggest(&app, "fronti").await), Vec::<(String, String)>::new());
    assert_eq!(titles_at(&suggest(&app, "fr").await), Vec::<String>::new());
}

#[actix_web::test]
async fn what_was_typed_is_checked() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("", "q"),
        ("q=", "q"),
        (&format!("q={}", "a".repeat(101)), "q"),
        ("q=health&limit=0", "limit"),
        ("q=health&limit=21", "limit"),
        ("q=health&limit=many", "limit"),
    ] {
        let response = app.get(&format!("{SUGGEST}?{query}")).send().await.unwrap();
        let fields = invalid_fields(response).await;
        assert!(fields.iter().any(|(f, _)| f == field), "{query}: {fields:?}");
    }
}

#[actix_web::test]
async fn suggestions_have_a_budget_of_their_own() {
    let app =
        TestApp::spawn_with(&[("RATE_LIMIT_SUGGEST_PER_MINUTE", "3"), ("RATE_LIMIT_READS_PER_MINUTE", "2")]).await;
    for _ in 0..3 {
        assert_eq!(app.get(&format!("{SUGGEST}?q=heal")).send().await.unwrap().status(), 200);
    }
    let response = app.get(&format!("{SUGGEST}?q=healt")).send().await.unwrap();
    assert!(response.headers().contains_key("retry-after"));
    refused(response, ProblemType::ReadLimitReached).await;
    // The reads' budget is another one, untouched by the keystrokes.
    assert_eq!(app.get("/api/v1/resources").send().await.unwrap().status(), 200);
}

#[actix_web::test]
async fn suggest_is_never_a_slug() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    let created = app.publish_resource(&editor, &resource(json!({ "title": "Suggest" }))).await;
    assert_ne!(created["slug"], "suggest");
    let id = created["id"].as_str().unwrap();
    let rename =
        app.patch(&format!("/api/v1/admin/resources/{id}")).bearer_auth(&editor).json(&json!({ "slug": "suggest" }));
    let fields = invalid_fields(rename.send().await.unwrap()).await;
    assert_eq!(fields[0].0, "slug");
    // The database refuses it too.
    use diesel_async::SimpleAsyncConnection;
    let refused =
        app.db().await.batch_execute(&format!("UPDATE resources SET slug = 'suggest' WHERE id = '{id}'")).await;
    assert!(refused.is_err());
    // And the word answers suggestions, not a resource.
    assert_eq!(suggest(&app, "sugg").await["data"][0]["slug"], created["slug"]);
}
