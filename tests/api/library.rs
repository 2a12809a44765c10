//! The public library: filters, search, facets, paging, detail, spotlight, conditional GET.

use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, resource, TestApp};

fn titles(list: &Value) -> Vec<String> {
    let mut t: Vec<String> =
        list["data"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).collect();
    t.sort();
    t
}

/// Four published resources with known values, one draft and one archived.
async fn library(app: &TestApp, token: &str) {
    let rows = [
        (
            "Alpha rural pathways",
            "peer-reviewed-article",
            json!(["pathways-admission-graduation"]),
            json!(["specialty-choice"]),
            json!(["medicine"]),
            2010,
            true,
        ),
        (
            "Bravo community clinics",
            "real-world-example",
            json!(["community-engagement"]),
            json!(["community-partnerships"]),
            json!(["nursing"]),
            2015,
            false,
        ),
        (
            "Charlie curriculum change",
            "implementation-guidance-tools",
            json!(["curriculum-programming", "community-engagement"]),
            json!(["specialty-choice", "community-partnerships"]),
            json!(["medicine", "nursing"]),
            2020,
            true,
        ),
        (
            "Delta faculty support",
            "peer-reviewed-article",
            json!(["students-faculty"]),
            json!([]),
            json!(["dentistry"]),
            2024,
            false,
        ),
    ];
    for (title, kind, domains, topics, professions, year, open) in rows {
        let body = resource(json!({ "title": title, "resource_type": kind, "domains": domains, "topics": topics,
            "professions": professions, "year": year, "open_access": open }));
        app.publish_resource(token, &body).await;
    }
    app.create_resource(
        token,
        &resource(json!({ "title": "Echo draft community", "domains": ["community-engagement"] })),
    )
    .await;
    let archived = app.publish_resource(token, &resource(json!({ "title": "Foxtrot archived community" }))).await;
    let id = archived["id"].as_str().unwrap();
    app.post(&format!("/api/v1/admin/resources/{id}/archive")).bearer_auth(token).send().await.unwrap();
}

#[actix_web::test]
async fn filters_are_or_within_one_vocabulary_and_and_across() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    library(&app, &token).await;

    let all = app.get_json("/api/v1/resources").await;
    assert_eq!(all["meta"]["total"], 4, "drafts and archived resources never appear");
    assert_eq!(
        titles(&app.get_json("/api/v1/resources?domain=community-engagement").await),
        ["Bravo community clinics", "Charlie curriculum change"]
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/resources?domain=pathways-admission-graduation&domain=students-faculty").await),
        ["Alpha rural pathways", "Delta faculty support"],
        "OR within one filter"
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/resources?domain=community-engagement&profession=medicine").await),
        ["Charlie curriculum change"],
        "AND across filters"
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/resources?topic=specialty-choice&type=peer-reviewed-article").await),
        ["Alpha rural pathways"]
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/resources?open_access=true").await),
        ["Alpha rural pathways", "Charlie curriculum change"]
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/resources?year_from=2015&year_to=2020").await),
        ["Bravo community clinics", "Charlie curriculum change"]
    );
    assert_eq!(titles(&app.get_json("/api/v1/resources?year_from=2024").await), ["Delta faculty support"]);
    // An unknown slug matches nothing, alone or beside a known one.
    assert_eq!(app.get_json("/api/v1/resources?domain=no-such-domain").await["meta"]["total"], 0);
    assert_eq!(
        app.get_json("/api/v1/resources?domain=no-such-domain&domain=students-faculty").await["meta"]["total"],
        1
    );
}

#[actix_web::test]
async fn facet_counts_are_what_a_click_would_return() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    library(&app, &token).await;
    let base = "domain=community-engagement&domain=students-faculty&open_access=false";
    let page = app.get_json(&format!("/api/v1/resources?{base}&include=facets")).await;
    let facets = &page["meta"]["facets"];
    assert_eq!(facets["domains"].as_array().unwrap().len(), 5, "every value, zero counts included");
    for (vocabulary, param) in
        [("types", "type"), ("domains", "domain"), ("topics", "topic"), ("professions", "profession")]
    {
        for value in facets[vocabulary].as_array().unwrap() {
            let slug = value["slug"].as_str().unwrap();
            // The other filters stay; this vocabulary's filter becomes just this value.
            let others: Vec<&str> = base.split('&').filter(|p| !p.starts_with(&format!("{param}="))).collect();
            let url = format!("/api/v1/resources?{}&{param}={slug}", others.join("&"));
            let total = app.get_json(&url).await["meta"]["total"].clone();
            assert_eq!(value["count"], total, "{vocabulary}/{slug}");
        }
    }
    let count = |v: &str, slug: &str| {
        facets[v].as_array().unwrap().iter().find(|x| x["slug"] == slug).unwrap()["count"].clone()
    };
    assert_eq!(count("domains", "community-engagement"), 1);
    assert_eq!(count("domains", "pathways-admission-graduation"), 0);
    assert!(app.get_json("/api/v1/resources").await["meta"].get("facets").is_none(), "facets only when asked");
}

#[actix_web::test]
async fn search_ranks_a_title_match_before_an_author_match_before_a_summary_match() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    app.publish_resource(
        &token,
        &resource(json!({ "title": "Summary holder", "summary": "About telehealth in clinics." })),
    )
    .await;
    app.publish_resource(&token, &resource(json!({ "title": "Author holder", "authors": ["Telehealth T"] }))).await;
    app.publish_resource(&token, &resource(json!({ "title": "Telehealth training for nurses" }))).await;
    app.publish_resource(&token, &resource(json!({ "title": "Unrelated work" }))).await;
    let found = app.get_json("/api/v1/resources?q=telehealth").await;
    let order: Vec<&str> = found["data"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(order, ["Telehealth training for nurses", "Author holder", "Summary holder"]);
    assert_eq!(found["meta"]["total"], 3);
    // Web-search syntax: exclusion and phrases.
    assert_eq!(app.get_json("/api/v1/resources?q=telehealth%20-nurses").await["meta"]["total"], 2);
    assert_eq!(app.get_json("/api/v1/resources?q=%22training%20for%20nurses%22").await["meta"]["total"], 1);
    assert_eq!(app.get_json("/api/v1/resources?q=telehealth&sort=title").await["data"][0]["title"], "Author holder");
}

#[actix_web::test]
async fn pages_have_no_duplicates_or_gaps_and_link_to_each_other() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    for i in 0..5 {
        app.publish_resource(&token, &resource(json!({ "title": format!("Paged resource {i}") }))).await;
    }
    let mut seen = Vec::new();
    for page in 1..=3 {
        let response = app.get(&format!("/api/v1/resources?per_page=2&page={page}&sort=title")).send().await.unwrap();
        let link = response.headers()["link"].to_str().unwrap().to_string();
        assert_eq!(link.contains("rel=\"next\""), page < 3, "{link}");
        assert_eq!(link.contains("rel=\"prev\""), page > 1, "{link}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["meta"]["total"], 5);
        seen.extend(body["data"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()));
    }
    assert_eq!(seen, (0..5).map(|i| format!("Paged resource {i}")).collect::<Vec<_>>());
    assert_eq!(app.get_json("/api/v1/resources?page=9").await["data"], json!([]));
}

#[actix_web::test]
async fn bad_parameters_are_422_naming_the_parameter() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("sort=popular", "sort"),
        ("year_from=soon", "year_from"),
        ("year_to=1800", "year_to"),
        ("year_from=2020&year_to=2010", "year_to"),
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("open_access=perhaps", "open_access"),
        ("include=everything", "include"),
        ("q=a%00b", "q"),
    ] {
        let fields = invalid_fields(app.get(&format!("/api/v1/resources?{query}")).send().await.unwrap()).await;
        assert_eq!(fields[0].0, field, "{query}");
    }
}

#[actix_web::test]
async fn one_resource_by_id_or_slug_old_slugs_too_and_never_a_draft() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let published = app
        .publish_resource(&token, &resource(json!({ "title": "Bridge to dentistry", "doi": "10.1234/bridge" })))
        .await;
    let id = published["id"].as_str().unwrap();
    assert_eq!(published["slug"], "bridge-to-dentistry");
    let by_id = app.get_json(&format!("/api/v1/resources/{id}")).await;
    let by_slug = app.get_json("/api/v1/resources/bridge-to-dentistry").await;
    assert_eq!(by_id, by_slug);
    for field in ["status", "is_spotlight", "created_at"] {
        assert!(by_id.get(field).is_none(), "{field} is for staff");
    }
    assert_eq!(by_id["resource_type"], json!({ "slug": "peer-reviewed-article", "label": "Peer Reviewed Articles" }));
    assert_eq!(by_id["domains"], json!([{ "slug": "community-engagement", "label": "Community Engagement" }]));

    app.patch(&format!("/api/v1/admin/resources/{id}"))
        .bearer_auth(&token)
        .json(&json!({ "slug": "bridge-program" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.get_json("/api/v1/resources/bridge-to-dentistry").await["slug"],
        "bridge-program",
        "the old slug still resolves"
    );

    let draft = app.create_resource(&token, &resource(json!({ "title": "Still a draft" }))).await;
    problem(app.get(&format!("/api/v1/resources/{}", draft["id"].as_str().unwrap())).send().await.unwrap(), 404).await;
    problem(app.get("/api/v1/resources/still-a-draft").send().await.unwrap(), 404).await;
    problem(app.get("/api/v1/resources/never-existed").send().await.unwrap(), 404).await;
    problem(app.get("/api/v1/resources/00000000-0000-0000-0000-000000000000").send().await.unwrap(), 404).await;
}

#[actix_web::test]
async fn reads_send_etags_and_answer_304() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let r = app.publish_resource(&token, &resource(json!({ "title": "Cached resource" }))).await;
    let id = r["id"].as_str().unwrap();
    for path in ["/api/v1/resources", &format!("/api/v1/resources/{id}"), "/api/v1/taxonomy"] {
        let first = app.get(path).send().await.unwrap();
        assert_eq!(first.headers()["cache-control"], "public, max-age=60");
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let again = app.get(path).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        assert_eq!(app.get(path).header("if-none-match", "\"other\"").send().await.unwrap().status(), 200);
    }
    let before = app.get(&format!("/api/v1/resources/{id}")).send().await.unwrap().headers()["etag"].clone();
    let list_before = app.get("/api/v1/resources").send().await.unwrap().headers()["etag"].clone();
    app.patch(&format!("/api/v1/admin/resources/{id}"))
        .bearer_auth(&token)
        .json(&json!({ "summary": "New words." }))
        .send()
        .await
        .unwrap();
    let stale = app.get(&format!("/api/v1/resources/{id}")).header("if-none-match", before).send().await.unwrap();
    assert_eq!(stale.status(), 200, "an edit changes the ETag");
    let stale = app.get("/api/v1/resources").header("if-none-match", list_before).send().await.unwrap();
    assert_eq!(stale.status(), 200, "an edit changes the ETag of a list that shows the resource");
}

#[actix_web::test]
async fn the_taxonomy_lists_every_vocabulary_in_display_order() {
    let app = TestApp::spawn().await;
    let taxonomy = app.get_json("/api/v1/taxonomy").await;
    let vocabularies = taxonomy["vocabularies"].as_array().unwrap();
    let keys: Vec<&str> = vocabularies.iter().map(|v| v["vocabulary"].as_str().unwrap()).collect();
    assert_eq!(keys, ["types", "domains", "topics", "professions"]);
    let labels = |i: usize| {
        vocabularies[i]["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["label"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(0), ["Peer Reviewed Articles", "Implementation Guidance & Tools", "Real World Examples"]);
    assert_eq!(
        labels(1),
        [
            "Pathways, Admission, & Graduation",
            "Curriculum & Programming",
            "Community Engagement",
            "Students and Faculty",
            "Governance & Accountability"
        ]
    );
    assert_eq!(labels(2).len(), 6);
    assert_eq!(labels(3).len(), 10);
    assert_eq!(
        vocabularies[1]["terms"][0]["description"],
        "This Domain includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support."
    );
    assert_eq!(vocabularies[1]["terms"][0]["slug"], "pathways-admission-graduation");
}

#[actix_web::test]
async fn the_demo_seed_holds_the_real_examples_and_the_spotlight() {
    let app = TestApp::spawn().await;
    problem(app.get("/api/v1/resources/spotlight").send().await.unwrap(), 404).await;
    social_mission_api::seed::demo(&mut app.db().await, 30).await.unwrap();
    social_mission_api::seed::demo(&mut app.db().await, 0).await.unwrap(); // a second run adds no duplicates
                                                                           // As the library page's cards show them: titles from the cards' own first words, the summaries
                                                                           // as written, the three examples Open Access, nothing the cards do not show.
    let spotlight = app.get_json("/api/v1/resources/spotlight").await;
    assert_eq!(
        spotlight["title"],
        "This article describes a collaborative process that academic research centers and community partners may adopt to address institutional racism"
    );
    assert_eq!(
        spotlight["summary"],
        "This article describes a collaborative process that academic research centers and community partners may adopt to address institutional racism and embed anti-racism, equity, and justice into their operations and structures."
    );
    assert_eq!(spotlight["domains"], json!([{ "slug": "community-engagement", "label": "Community Engagement" }]));
    assert_eq!(spotlight["professions"], json!([{ "slug": "interdisciplinary", "label": "Interdisciplinary" }]));
    assert_eq!((spotlight["topics"].clone(), spotlight["year"].clone()), (json!([]), Value::Null));
    let cards = [
        (
            "Davis",
            "real-world-example",
            "UC Davis’s medical school became the third most diverse in the country",
            "UC Davis’s medical school became the third most diverse in the country by establishing programs for students who wanted to work in underserved communities, such as the Accelerated Competency-based Education in Primary Care program, prioritizing socioeconomically disadvantaged students in admissions and providing them with scholarships, developing pathways for community college students and pairing incoming students with like-minded peers and faculty.",
        ),
        (
            "Bridge Dentistry",
            "real-world-example",
            "Texas A&M College of Dentistry’s Bridge to Dentistry program",
            "Texas A&M College of Dentistry’s Bridge to Dentistry program demonstrates a transformative approach to increasing diversity in dental education.",
        ),
        (
            "toolkit advocate",
            "implementation-guidance-tools",
            "A toolkit for medical students to advocate for policy and practice",
            "A toolkit for medical students to advocate for policy and practice.",
        ),
    ];
    for (q, kind, title, summary) in cards {
        let found = app.get_json(&format!("/api/v1/resources?q={q}&type={kind}&year_from=2024&year_to=2024")).await;
        let card = found["data"].as_array().unwrap().iter().find(|c| c["title"] == title);
        let card = card.unwrap_or_else(|| panic!("{q}: {found}"));
        assert_eq!((card["title"].as_str(), card["summary"].as_str()), (Some(title), Some(summary)));
        assert_eq!(card["open_access"], true, "{title} is marked Open Access");
        assert_eq!((card["source"].clone(), card["domains"].clone()), (Value::Null, json!([])), "{title}");
    }
    let toolkit = app.get_json("/api/v1/resources?q=toolkit%20advocate").await;
    assert_eq!(toolkit["data"][0]["authors"], json!(["Weaver J", "Fluker CJ"]));
    assert_eq!(app.count("resources").await, 34);
}

/// Every paged list has one `meta`: `total`, `page`, `per_page` and `total_pages`; the library's
/// adds `facets` when asked.
#[actix_web::test]
async fn paged_lists_share_one_meta_with_total_pages() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    for i in 0..5 {
        app.publish_resource(&editor, &resource(json!({ "title": format!("Paged resource {i}") }))).await;
    }
    let page: Value = app.get("/api/v1/resources?per_page=2&page=3").send().await.unwrap().json().await.unwrap();
    assert_eq!(page["meta"], json!({ "total": 5, "page": 3, "per_page": 2, "total_pages": 3 }));
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let faceted: Value =
        app.get("/api/v1/resources?per_page=2&include=facets").send().await.unwrap().json().await.unwrap();
    assert_eq!(faceted["meta"]["total_pages"], 3);
    assert!(faceted["meta"]["facets"].is_object());
    let none: Value = app.get("/api/v1/resources?q=zzzzqqqq").send().await.unwrap().json().await.unwrap();
    assert_eq!(none["meta"]["total_pages"], 0);
}
