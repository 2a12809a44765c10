//! The public list answers from the in-memory search index; the staff list (same filters plus
//! `status=published`) answers from plain SQL. On generated data both must return the same
//! resources in the same order, the same totals and the same facet counts.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{resource, SendJson, TestApp};

/// Texts that reach the edges of matching and ranking: stop words only, hyphenated words,
/// repeated words, apostrophes, a summary-only match.
async fn edge_resources(app: &TestApp, token: &str) {
    for (title, summary, authors) in [
        ("The of and", "Community health workers in rural clinics.", json!([])),
        ("Community-based health-equity training", "", json!(["Garcia M"])),
        ("Health health health", "health equity health", json!([])),
        ("Children's health in tribal nations", "A community's own account.", json!(["O'Brien K"])),
        ("Mentorship", "Students mentor students; mentorship programs and community mentors.", json!(["Lee J"])),
        // Titles whose `lower()` in Postgres is not Rust's lower case of each character (`İ`
        // lowers to `i` there, to `i` and a combining dot here: so Rust's order would put it
        // after `Iñupiat`), or is (`É`): the title order is Postgres's either way.
        ("İzmir community health", "Community clinics.", json!([])),
        ("Iñupiat community health", "Community clinics.", json!([])),
        ("École de santé communautaire", "Community health in French.", json!([])),
    ] {
        let body = resource(json!({ "title": title, "summary": summary, "authors": authors }));
        app.publish_resource(token, &body).await;
    }
}

/// A tiny deterministic generator, so a failing case can be reproduced.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.next(one_in) == 0
    }
}

const SEARCHES: &[&str] = &[
    "community",
    "health equity",
    "community health equity",
    "rural",
    "\"community health\"",
    "\"community-based education\"",
    "community-based",
    "mentorship or leadership",
    "rural -tribal",
    "-community",
    "the of",
    "students primary care",
    "Garcia",
    "academic medicine",
    "\"urban safety-net hospitals\"",
    "outcomes of pipeline programs",
    "first-generation students",
    "\"lessons from\" or \"a decade of\"",
    "dental -\"public health\"",
    "xyzzy",
    "health & care | (rural)",
    "children's",
    "mentor",
    "\"health health\"",
    "scaling -\"rural america\"",
];

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn slugs(app: &TestApp) -> Vec<(&'static str, Vec<String>)> {
    let taxonomy = app.get_json("/api/v1/taxonomy").await;
    let of = |i: usize| -> Vec<String> {
        let terms = taxonomy["vocabularies"][i]["terms"].as_array().unwrap();
        terms.iter().map(|t| t["slug"].as_str().unwrap().to_string()).collect()
    };
    vec![("type", of(0)), ("domain", of(1)), ("topic", of(2)), ("profession", of(3))]
}

fn random_query(rng: &mut Lcg, vocabularies: &[(&'static str, Vec<String>)]) -> String {
    let mut params = Vec::new();
    if !rng.chance(3) {
        params.push(format!("q={}", encode(SEARCHES[rng.next(SEARCHES.len())])));
    }
    for (key, slugs) in vocabularies {
        if rng.chance(2) {
            for _ in 0..1 + rng.next(2) {
                params.push(format!("{key}={}", slugs[rng.next(slugs.len())]));
            }
        }
    }
    if rng.chance(25) {
        params.push("domain=no-such-domain".into());
    }
    if rng.chance(4) {
        params.push(format!("open_access={}", rng.chance(2)));
    }
    let from = 1990 + rng.next(36);
    if rng.chance(4) {
        params.push(format!("year_from={from}"));
    }
    if rng.chance(4) {
        params.push(format!("year_to={}", from + rng.next(12)));
    }
    if rng.chance(2) {
        params.push(format!("sort={}", ["relevance", "newest", "oldest", "title"][rng.next(4)]));
    }
    params.push(format!("page={}", 1 + rng.next(3)));
    params.push(format!("per_page={}", [5, 20, 50, 100][rng.next(4)]));
    params.push("include=facets".into());
    params.join("&")
}

fn ids(list: &Value) -> Vec<&str> {
    list["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect()
}

/// Waits until this instance's index holds what the database holds.
async fn until_indexed(app: &TestApp, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let public = app.get_json("/api/v1/resources?per_page=1").await;
        let staff =
            app.get("/api/v1/admin/resources?status=published&per_page=1").bearer_auth(token).json_value().await;
        if public["meta"]["total"] == staff["meta"]["total"] {
            return;
        }
        assert!(Instant::now() < deadline, "the index never caught up: {public} vs {staff}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `resources` generated resources and the edge cases on two instances, both caught up: the first
/// learnt each resource as it came (written straight into the database, through the
/// notification), the second, started after, loaded everything at once (each lexeme's entries
/// appended in slot order). Returns them and an editor's token.
async fn generated_library(resources: usize) -> (TestApp, TestApp, String) {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    social_mission_api::resources::seed::synthetic(&mut app.db().await, resources).await.unwrap();
    edge_resources(&app, &token).await;
    until_indexed(&app, &token).await;
    let loaded = app.another_instance().await;
    until_indexed(&loaded, &token).await;
    (app, loaded, token)
}

/// Asks `query` of the staff list (plain SQL, `status=published`) and of each instance's public
/// list (the index) and checks they give the same total, order and facet counts. Returns the
/// instances' answers and whether anything matched.
async fn assert_equal_to_the_sql(instances: [&TestApp; 2], token: &str, query: &str) -> ([Value; 2], bool) {
    let staff = instances[0]
        .get(&format!("/api/v1/admin/resources?status=published&{query}"))
        .bearer_auth(token)
        .json_value()
        .await;
    let mut answers = [Value::Null, Value::Null];
    for (instance, answer) in instances.iter().zip(&mut answers) {
        let public = instance.get_json(&format!("/api/v1/resources?{query}")).await;
        assert_eq!(public["meta"]["total"], staff["meta"]["total"], "total for {query}");
        assert_eq!(ids(&public), ids(&staff), "order for {query}");
        assert_eq!(public["meta"]["facets"], staff["meta"]["facets"], "facets for {query}");
        *answer = public;
    }
    (answers, !ids(&staff).is_empty())
}

#[actix_web::test]
async fn index_answers_equal_the_sql_on_generated_data() {
    let (app, loaded, token) = generated_library(1500).await;

    let vocabularies = slugs(&app).await;
    let mut rng = Lcg(20261123);
    let mut compared_nonempty = 0;
    let fixed = ["q=izmir%20or%20i%C3%B1upiat%20or%20sant%C3%A9&sort=title".to_string()];
    let random = std::iter::repeat_with(|| random_query(&mut rng, &vocabularies)).take(150);
    for query in fixed.into_iter().chain(random) {
        let (answers, matched) = assert_equal_to_the_sql([&app, &loaded], &token, &query).await;
        for (instance, public) in [&app, &loaded].into_iter().zip(answers) {
            // Asked again, a text search is answered from what the index kept: the same.
            assert_eq!(instance.get_json(&format!("/api/v1/resources?{query}")).await, public, "kept for {query}");
        }
        if matched {
            compared_nonempty += 1;
        }
    }
    assert!(compared_nonempty > 75, "too few cases had results ({compared_nonempty}) to prove much");
}

#[actix_web::test]
async fn an_edit_reaches_another_instances_search() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let token = app.token(Role::Editor).await;
    let created = app.publish_resource(&token, &resource(json!({ "title": "Quokka outreach in rural clinics" }))).await;
    let id = created["id"].as_str().unwrap();

    // The instance that made the change answers with it at once.
    assert_eq!(app.get_json("/api/v1/resources?q=quokka").await["meta"]["total"], 1);

    // The other one hears of it through Postgres; nothing in this test tells it.
    let seen = |q: &'static str, want: i64| search_until(&other, q, want);
    seen("q=quokka", 1).await;
    // Read once on each, so both hold it in their caches.
    let detail = format!("/api/v1/resources/{id}");
    let slug_path = format!("/api/v1/resources/{}", created["slug"].as_str().unwrap());
    assert_eq!(other.get_json(&detail).await["title"], "Quokka outreach in rural clinics");
    assert_eq!(other.get_json(&slug_path).await["title"], "Quokka outreach in rural clinics");

    let response = app
        .patch(&format!("/api/v1/admin/resources/{id}"))
        .bearer_auth(&token)
        .json(&json!({ "title": "Wombat outreach in rural clinics" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    seen("q=wombat", 1).await;
    seen("q=quokka", 0).await;
    // Neither a cached page, nor a cached resource by id or by its earlier slug, is served stale.
    assert_eq!(
        other.get_json("/api/v1/resources?q=wombat").await["data"][0]["title"],
        "Wombat outreach in rural clinics"
    );
    assert_eq!(other.get_json(&detail).await["title"], "Wombat outreach in rural clinics");
    assert_eq!(other.get_json(&slug_path).await["title"], "Wombat outreach in rural clinics");

    let response =
        app.post(&format!("/api/v1/admin/resources/{id}/unpublish")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    seen("q=wombat", 0).await;
    assert_eq!(other.get(&detail).send().await.unwrap().status(), 404);
    assert_eq!(app.get(&detail).send().await.unwrap().status(), 404);
}

#[actix_web::test]
async fn vocabulary_edits_reach_the_index() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let admin = app.token(Role::Admin).await;
    app.publish_resource(&admin, &resource(json!({}))).await;
    let response = app
        .patch("/api/v1/admin/taxonomy/domains/community-engagement")
        .bearer_auth(&admin)
        .json(&json!({ "label": "Community Partnership" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let label = |list: Value| list["data"][0]["domains"][0]["label"].clone();
    assert_eq!(label(app.get_json("/api/v1/resources").await), "Community Partnership");
    let deadline = Instant::now() + Duration::from_secs(5);
    while label(other.get_json("/api/v1/resources").await) != "Community Partnership" {
        assert!(Instant::now() < deadline, "the other instance kept the old label");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The taxonomy and the spotlight are kept rendered in memory: every instance answers from its
/// copy, the same bytes with the same ETag, until a change anywhere (a vocabulary's texts or
/// values, the spotlight) reaches it through Postgres.
#[actix_web::test]
async fn kept_answers_follow_changes_made_on_another_instance() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let admin = app.token(Role::Admin).await;
    let answer = |instance: &TestApp, path: &'static str| {
        let request = instance.get(path);
        async move {
            let response = request.send().await.unwrap();
            let etag = response.headers()["etag"].to_str().unwrap().to_string();
            (etag, response.json::<Value>().await.unwrap())
        }
    };
    let eventually = |instance: &TestApp, path: &'static str, check: fn(&Value) -> bool| {
        let request = instance.get(path);
        async move {
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                let response = request.try_clone().unwrap().send().await.unwrap();
                if check(&response.json::<Value>().await.unwrap()) {
                    return;
                }
                assert!(Instant::now() < deadline, "{path} never changed");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };

    let (etag, first) = answer(&other, "/api/v1/taxonomy").await;
    let (again, _) = answer(&other, "/api/v1/taxonomy").await;
    assert_eq!(etag, again, "the kept answer is served again as it was");
    let not_modified = other.get("/api/v1/taxonomy").header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(not_modified.status(), 304);
    assert_eq!(first["vocabularies"][2]["heading"], "Social Mission Topic");

    // A text edited on the first instance reaches the second's kept copy.
    let response =
        app.patch("/api/v1/admin/taxonomy/topics").bearer_auth(&admin).json(&json!({ "heading": "Topics" })).send();
    assert_eq!(response.await.unwrap().status(), 200);
    assert_eq!(app.get_json("/api/v1/taxonomy").await["vocabularies"][2]["heading"], "Topics");
    eventually(&other, "/api/v1/taxonomy", |t| t["vocabularies"][2]["heading"] == "Topics").await;
    // And so does a value's label.
    let response = app
        .patch("/api/v1/admin/taxonomy/professions/dentistry")
        .bearer_auth(&admin)
        .json(&json!({ "label": "Dental medicine" }))
        .send();
    assert_eq!(response.await.unwrap().status(), 200);
    eventually(&other, "/api/v1/taxonomy", |t| {
        t["vocabularies"][3]["terms"].as_array().unwrap().iter().any(|v| v["label"] == "Dental medicine")
    })
    .await;
    let (changed, _) = answer(&other, "/api/v1/taxonomy").await;
    assert_ne!(changed, etag, "a changed answer has a new ETag");

    // The spotlight: none, then the one set on the first instance, then another.
    assert_eq!(other.get("/api/v1/resources/spotlight").send().await.unwrap().status(), 404);
    let editor = app.token(Role::Editor).await;
    for title in ["Quokka outreach in rural clinics", "Wombat pipelines in nursing"] {
        let made = app.publish_resource(&editor, &resource(json!({ "title": title }))).await;
        let path = format!("/api/v1/admin/resources/{}/spotlight", made["id"].as_str().unwrap());
        assert_eq!(app.post(&path).bearer_auth(&editor).send().await.unwrap().status(), 200);
        assert_eq!(app.get_json("/api/v1/resources/spotlight").await["title"], title);
        let deadline = Instant::now() + Duration::from_secs(5);
        while other.get_json("/api/v1/resources/spotlight").await["title"] != title {
            assert!(Instant::now() < deadline, "the other instance never showed {title}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Every published resource's stored card (`served_cards`, rendered by the database's triggers)
/// is byte for byte what serde writes for it, with the ETag `etag_for` gives; nothing else has one.
async fn assert_cards_equal_serde(app: &TestApp) {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use social_mission_api::db::schema::served_cards;
    use social_mission_api::resources::{json::ResourceJson, queries};

    let mut conn = app.db().await;
    let terms = queries::term_index(&mut conn).await.unwrap();
    let ids: Vec<uuid::Uuid> = social_mission_api::db::schema::resources::table
        .filter(social_mission_api::db::schema::resources::status.eq("published"))
        .select(social_mission_api::db::schema::resources::id)
        .load(&mut conn)
        .await
        .unwrap();
    let mut expected: std::collections::HashMap<_, _> = queries::published_cards(&mut conn, &ids)
        .await
        .unwrap()
        .into_iter()
        .map(|card| (card.id, serde_json::to_string(&ResourceJson::from_card(card, &terms)).unwrap()))
        .collect();
    let stored: Vec<(uuid::Uuid, String, String)> = served_cards::table
        .select((served_cards::resource_id, served_cards::body, served_cards::etag))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored.len(), ids.len(), "one served card per published resource, no more");
    for (id, body, etag) in stored {
        let serde = expected.remove(&id).unwrap_or_else(|| panic!("a card for {id}, which is not published"));
        assert_eq!(body, serde, "the stored card of {id}");
        assert_eq!(etag, social_mission_api::extract::conditional::etag_for(body.as_bytes()));
    }
}

#[actix_web::test]
async fn served_cards_are_what_serde_writes_and_follow_every_change() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    social_mission_api::resources::seed::synthetic(&mut app.db().await, 300).await.unwrap();
    edge_resources(&app, &admin).await;
    let odd = app
        .publish_resource(
            &admin,
            &resource(json!({
                "title": "Quotes \"and\" back\\slashes, </script> and ünïcödé ✓ 🩺",
                "summary": "Line one\nline two\ttabbed, a bell \u{7} and a DEL \u{7f}.",
                "authors": ["O'Brien K", "Nguyễn T"],
                "url": null,
                "doi": "10.1097/ACM.0000000000003121",
                "topics": [],
                "professions": []
            })),
        )
        .await;
    let odd_id = odd["id"].as_str().unwrap().to_string();
    // Fractional seconds as chrono writes them: none, 3 or 6 digits.
    let mut conn = app.db().await;
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        "WITH r AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM resources WHERE status = 'published' LIMIT 3)
         UPDATE resources SET updated_at = CASE r.n WHEN 1 THEN '2026-01-02 03:04:05+00'
             WHEN 2 THEN '2026-01-02 03:04:05.12+00' ELSE '2026-01-02 03:04:05.123456+00' END::timestamptz
         FROM r WHERE resources.id = r.id",
    )
    .await
    .unwrap();
    assert_cards_equal_serde(&app).await;

    // What the detail serves is the stored card, with its ETag.
    let response = app.get(&format!("/api/v1/resources/{odd_id}")).send().await.unwrap();
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let served = response.text().await.unwrap();
    let stored: String = diesel_async::RunQueryDsl::get_result(
        diesel::QueryDsl::select(
            diesel::QueryDsl::find(
                social_mission_api::db::schema::served_cards::table,
                uuid::Uuid::parse_str(&odd_id).unwrap(),
            ),
            social_mission_api::db::schema::served_cards::body,
        ),
        &mut conn,
    )
    .await
    .unwrap();
    assert_eq!(served, stored);
    assert_eq!(etag, social_mission_api::extract::conditional::etag_for(served.as_bytes()));

    // A relabelled, moved value; new links; a new title (and slug); an unpublished resource.
    for (path, body) in [
        ("/api/v1/admin/taxonomy/domains/community-engagement", json!({ "label": "Community \"Partnership\"" })),
        ("/api/v1/admin/taxonomy/types/real-world-example", json!({ "label": "Real-World Examples" })),
        ("/api/v1/admin/taxonomy/topics/community-partnerships", json!({ "position": 0 })),
    ] {
        let response = app.patch(path).bearer_auth(&admin).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let response = app
        .patch(&format!("/api/v1/admin/resources/{odd_id}"))
        .bearer_auth(&admin)
        .json(&json!({ "title": "A retitled resource", "topics": ["community-partnerships", "specialty-choice"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let old_slug = odd["slug"].as_str().unwrap();
    let renamed = app.get_json(&format!("/api/v1/resources/{old_slug}")).await;
    assert_eq!(renamed["title"], "A retitled resource", "an earlier slug resolves to the current card");
    let first = app.get_json("/api/v1/resources?per_page=1&sort=oldest").await["data"][0]["id"].clone();
    let response = app
        .post(&format!("/api/v1/admin/resources/{}/archive", first.as_str().unwrap()))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "archive: {}", response.status());
    assert_cards_equal_serde(&app).await;
    assert_eq!(app.get(&format!("/api/v1/resources/{}", first.as_str().unwrap())).send().await.unwrap().status(), 404);
}

/// Searches as typed in a search box, the last word unfinished.
const AS_TYPED: &[&str] = &[
    "community heal",
    "communi",
    "health eq",
    "c",
    "men",
    "stud",
    "garc",
    "rural -trib",
    "\"community hea",
    "mentorship or lead",
    "the",
    "health ",
    "children's hea",
    "primary care 2",
    "health hea",
    "\"health health\" heal",
];

fn counter(metrics: &str, name: &str) -> u64 {
    metrics.lines().find(|l| l.starts_with(name)).map_or(0, |l| l.rsplit(' ').next().unwrap().parse().unwrap())
}

#[actix_web::test]
async fn prefix_searches_are_answered_by_the_index_as_postgres_answers_them() {
    let (app, loaded, token) = generated_library(1000).await;
    let metrics = |app: &TestApp| {
        let app = app.get("/metrics");
        async move { app.send().await.unwrap().text().await.unwrap() }
    };
    let sql_before = counter(&metrics(&app).await, "sma_resource_lists_total{source=\"sql\"}");

    let mut nonempty = 0;
    for q in AS_TYPED {
        for extra in ["&per_page=20", "&sort=newest", "&domain=community-engagement", "&page=2&per_page=5"] {
            let query = format!("q={}&prefix=true&include=facets{extra}", encode(q));
            // The staff list answers in SQL: `websearch_to_tsquery(...) && to_tsquery('word:*')`.
            if assert_equal_to_the_sql([&app, &loaded], &token, &query).await.1 {
                nonempty += 1;
            }
        }
    }
    assert!(nonempty > 30, "too few prefix searches found anything ({nonempty})");
    // A prefix widens the search: `heal` finds what `health` finds and more.
    let exact = app.get_json("/api/v1/resources?q=community%20health").await;
    let typed = app.get_json("/api/v1/resources?q=community%20heal&prefix=true").await;
    let without = app.get_json("/api/v1/resources?q=community%20heal").await;
    assert!(typed["meta"]["total"].as_i64() >= exact["meta"]["total"].as_i64());
    assert!(typed["meta"]["total"].as_i64() > without["meta"]["total"].as_i64(), "{typed} vs {without}");
    // Every public answer came from the index, none from the SQL.
    assert_eq!(counter(&metrics(&app).await, "sma_resource_lists_total{source=\"sql\"}"), sql_before);
}

/// The public search `query` on `instance`, asked until `want` resources match (a change made
/// on another instance reaches it through Postgres).
async fn search_until(instance: &TestApp, query: &str, want: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = instance.get_json(&format!("/api/v1/resources?{query}")).await;
        if answer["meta"]["total"] == want {
            return answer;
        }
        assert!(Instant::now() < deadline, "still {answer} where {want} match");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Each instance keeps its answers to text searches until the library changes: asked again, the
/// same answer; after a change that touches it (a new match, an edit, a withdrawal, made here or
/// on another instance), the new one, equal to the SQL's.
#[actix_web::test]
async fn kept_search_answers_never_outlive_a_change() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let token = app.token(Role::Editor).await;
    let query = "q=quokka%20outreach&include=facets&per_page=5";
    let path = format!("/api/v1/resources?{query}");
    for instance in [&app, &other] {
        let first = instance.get_json(&path).await;
        assert_eq!(first["meta"]["total"], 0);
        assert_eq!(instance.get_json(&path).await, first, "asked twice, answered alike");
    }

    let quokka = app.publish_resource(&token, &resource(json!({ "title": "Quokka outreach in rural clinics" }))).await;
    // The instance that made the change answers with it at once; the other as soon as it hears.
    assert_eq!(app.get_json(&path).await["meta"]["total"], 1);
    search_until(&other, query, 1).await;

    let second = app.publish_resource(&token, &resource(json!({ "title": "Rural clinics" }))).await;
    let response = app
        .patch(&format!("/api/v1/admin/resources/{}", second["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .json(&json!({ "summary": "Quokka outreach, quokka outreach: outreach to quokka keepers." }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let sql =
        app.get(&format!("/api/v1/admin/resources?status=published&{query}")).bearer_auth(&token).json_value().await;
    assert_eq!(sql["meta"]["total"], 2);
    for instance in [&app, &other] {
        let answer = search_until(instance, query, 2).await;
        assert_eq!(ids(&answer), ids(&sql));
        assert_eq!(answer["meta"]["facets"], sql["meta"]["facets"]);
    }

    let response = app
        .post(&format!("/api/v1/admin/resources/{}/unpublish", quokka["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(app.get_json(&path).await["meta"]["total"], 1);
    assert_eq!(ids(&search_until(&other, query, 1).await), [second["id"].as_str().unwrap()]);
}

/// Searches made of the library's own words (which the index parses from the words it learnt,
/// without asking Postgres) answer exactly as the SQL does: in any case, one to three words, with
/// a stop word or an unknown word among them (those Postgres parses), on the instance that learnt
/// the words as resources came and on one that learnt them all at start.
#[actix_web::test]
async fn searches_of_the_librarys_own_words_equal_the_sql() {
    let (app, loaded, token) = generated_library(800).await;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Word {
        #[diesel(sql_type = diesel::sql_types::Text)]
        word: String,
    }
    let words: Vec<String> = diesel::sql_query(
        "SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', title || '' '' || summary) FROM resources \
         WHERE status = ''published''') WHERE word ~ '^[a-z]+$' ORDER BY ndoc DESC, word LIMIT 400",
    )
    .load::<Word>(&mut app.db().await)
    .await
    .unwrap()
    .into_iter()
    .map(|w| w.word)
    .collect();
    assert!(words.len() > 100, "the library has too few words ({})", words.len());
    let mut rng = Lcg(20261201);
    let mut nonempty = 0;
    for round in 0..80 {
        let mut q: Vec<String> = (0..1 + rng.next(3)).map(|_| words[rng.next(words.len())].clone()).collect();
        match round % 8 {
            0 => q[0] = q[0].to_uppercase(),
            1 => q.push("the".into()),
            2 => q.push("xyzzy".into()),
            3 => q.push(q[0].clone()),
            _ => {}
        }
        let query = format!("q={}&per_page=20&include=facets", encode(&q.join(" ")));
        if assert_equal_to_the_sql([&app, &loaded], &token, &query).await.1 {
            nonempty += 1;
        }
    }
    assert!(nonempty > 40, "too few searches found anything ({nonempty})");
}
