//! `typo=true`: a word misspelt by one edit (5 to 8 characters) or two (9 or more) still finds
//! what was meant, exact matches always first, and `meta.corrected_query` says how `q` was read
//! when a word is in no resource. Without the parameter, `q` keeps its exact meaning.

use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{resource, TestApp};

async fn search(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/resources?{query}")).await
}

fn titles(list: &Value) -> Vec<String> {
    list["data"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).collect()
}

async fn library(app: &TestApp) -> String {
    let editor = app.token(Role::Editor).await;
    for (title, summary) in [
        ("Community health workers in rural clinics", "How clinics train workers."),
        ("Health equity in admissions", "Holistic review at three schools."),
        ("Comunity gardens", "A title spelt this way on purpose."),
        ("Partnerships with tribal nations", "Long-term agreements."),
        ("Anti-racism training for faculty", "A workshop series."),
        ("Antiracism in the curriculum", "Course maps."),
        ("Peer support", "Students lead mentorship programs for first-year students."),
    ] {
        app.publish_resource(&editor, &resource(json!({ "title": title, "summary": summary }))).await;
    }
    editor
}

#[actix_web::test]
async fn misspelt_words_find_what_was_meant_after_every_exact_match() {
    let app = TestApp::spawn().await;
    let editor = library(&app).await;

    // Both words misspelt or not: found, and the answer says how `q` was read.
    let found = search(&app, "q=helth%20equity&typo=true").await;
    assert_eq!(titles(&found), ["Health equity in admissions"]);
    assert_eq!(found["meta"]["corrected_query"], "health equity");
    let exact = search(&app, "q=helth%20equity").await;
    assert_eq!(exact["meta"]["total"], 0, "without typo=true, q is exact");
    assert!(exact["meta"].get("corrected_query").is_none());

    // Exact matches first, then those found through a correction; a known word is not "corrected".
    let community = search(&app, "q=community&typo=true").await;
    assert_eq!(titles(&community), ["Community health workers in rural clinics", "Comunity gardens"]);
    assert!(community["meta"].get("corrected_query").is_none());
    let misspelt = search(&app, "q=comunity&typo=true").await;
    assert_eq!(titles(&misspelt), ["Comunity gardens", "Community health workers in rural clinics"]);
    // Paging walks the exact matches, then the corrected ones, each once.
    let first = search(&app, "q=comunity&typo=true&per_page=1").await;
    let second = search(&app, "q=comunity&typo=true&per_page=1&page=2").await;
    assert_eq!((first["meta"]["total"].as_i64(), titles(&first)), (Some(2), vec!["Comunity gardens".to_string()]));
    assert_eq!(titles(&second), ["Community health workers in rural clinics"]);

    // Words of 4 characters or fewer must be exact; a word of 9+ may have two edits.
    assert_eq!(search(&app, "q=helh&typo=true").await["meta"]["total"], 0);
    assert_eq!(titles(&search(&app, "q=partnrshps&typo=true").await), ["Partnerships with tribal nations"]);
    // A transposition is one edit; a word only in the summary is found too.
    assert_eq!(titles(&search(&app, "q=mentorhsip&typo=true").await), ["Peer support"]);

    // Hyphenation: either spelling finds both, the one written as typed first.
    assert_eq!(
        titles(&search(&app, "q=antiracism&typo=true").await),
        ["Antiracism in the curriculum", "Anti-racism training for faculty"]
    );
    assert_eq!(
        titles(&search(&app, "q=anti-racism&typo=true").await),
        ["Anti-racism training for faculty", "Antiracism in the curriculum"]
    );
    assert_eq!(titles(&search(&app, "q=antiracism").await), ["Antiracism in the curriculum"]);

    // With prefix=true too: the whole words corrected, the last one a prefix.
    assert_eq!(
        titles(&search(&app, "q=comunity%20heal&typo=true&prefix=true").await),
        ["Community health workers in rural clinics"]
    );

    // New words are learnt as resources are published.
    app.publish_resource(&editor, &resource(json!({ "title": "Telehealth for rural patients" }))).await;
    let learnt = search(&app, "q=telehelth&typo=true").await;
    assert_eq!(titles(&learnt), ["Telehealth for rural patients"]);
    assert_eq!(learnt["meta"]["corrected_query"], "telehealth");
}

#[actix_web::test]
async fn facets_and_filters_count_the_corrected_matches_too() {
    let app = TestApp::spawn().await;
    library(&app).await;
    let faceted = search(&app, "q=comunity&typo=true&include=facets").await;
    let domains = faceted["meta"]["facets"]["domains"].as_array().unwrap();
    let engagement = domains.iter().find(|d| d["slug"] == "community-engagement").unwrap();
    assert_eq!(engagement["count"], 2);
    let newest = search(&app, "q=comunity&typo=true&sort=newest").await;
    assert_eq!(newest["meta"]["total"], 2);
    assert_eq!(
        search(&app, "q=comunity&typo=true&domain=students-faculty").await["meta"]["total"],
        0,
        "filters apply to corrected matches"
    );
}
