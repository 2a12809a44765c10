//! `highlight=true`: each resource of a search gains the ranges where `q` matched in its title
//! and summary (as Postgres split the words) and a passage of the summary around the best match.

use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{resource, TestApp};

/// The parts of `text` the ranges name, as the website would bold them.
fn marked(text: &str, ranges: &Value) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    ranges
        .as_array()
        .unwrap()
        .iter()
        .map(|r| chars[r["start"].as_u64().unwrap() as usize..r["end"].as_u64().unwrap() as usize].iter().collect())
        .collect()
}

#[actix_web::test]
async fn each_result_says_where_the_search_matched_as_postgres_split_the_words() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    let summary = "Müller’s team trained community health workers. Across five counties, programs that place \
                   community-based health workers in rural clinics cut wait times; the clinics’ staff said so.";
    app.publish_resource(
        &editor,
        &resource(json!({ "title": "Community Health Workers in Rural Clinics", "summary": summary })),
    )
    .await;
    app.publish_resource(&editor, &resource(json!({ "title": "Nursing workforce", "summary": "No match here." })))
        .await;

    let list = app.get_json("/api/v1/resources?q=community%20health&highlight=true").await;
    assert_eq!(list["meta"]["total"], 1);
    let found = &list["data"][0];
    let h = &found["highlights"];
    assert_eq!(marked(found["title"].as_str().unwrap(), &h["title"]), ["Community", "Health"]);
    // `community-based` is one word and two parts to Postgres: the part that matched is marked.
    assert_eq!(marked(summary, &h["summary"]), ["community", "health", "community", "health"]);
    assert_eq!(h["title"][0], json!({ "start": 0, "end": 9 }));
    // Ranges count characters: the curly apostrophe and `ü` are one each.
    let snippet = h["snippet"]["text"].as_str().unwrap();
    assert!(summary.contains(snippet), "{snippet}");
    assert!(marked(snippet, &h["snippet"]["matches"])
        .iter()
        .all(|w| w.eq_ignore_ascii_case("community") || w == "health"));
    // The rest of the resource is as without highlights.
    let plain = app.get_json("/api/v1/resources?q=community%20health").await;
    assert!(plain["data"][0].get("highlights").is_none());
    let mut with = found.clone();
    with.as_object_mut().unwrap().remove("highlights");
    assert_eq!(with, plain["data"][0]);

    // With a prefix and a typo: the words found through them are marked.
    let typed = app.get_json("/api/v1/resources?q=comunity%20clin&typo=true&prefix=true&highlight=true").await;
    let h = &typed["data"][0]["highlights"];
    assert_eq!(marked("Community Health Workers in Rural Clinics", &h["title"]), ["Community", "Clinics"]);
    // Without q there is nothing to highlight.
    let all = app.get_json("/api/v1/resources?highlight=true").await;
    assert!(all["data"][0].get("highlights").is_none());
}
