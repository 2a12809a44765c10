//! Citations (BibTeX, RIS, CSL-JSON) and the Atom feed, each read back by a real parser from PyPI
//! (tests/python/cite_*.py, feed_atom.py) the way reference managers and feed readers read them.

use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, python, resource, TestApp};

/// Where the feed's links point (the API and the website are configured apart).
const API: &str = "https://api.example.org";
const WEBSITE: &str = "https://www.example.org";

const ARTICLE_TITLE: &str = "Équité & {HIV} care: 100% of Texas_rural #1 clinics ~ $5";

/// An article with a DOI and a journal, a web resource, a resource with no authors (and an
/// unbalanced brace in its title), and a draft. Returns them as published (the draft as created).
async fn fixtures(app: &TestApp, token: &str) -> (Value, Value, Value, Value) {
    let article = app
        .publish_resource(
            token,
            &resource(json!({
                "title": ARTICLE_TITLE,
                "resource_type": "peer-reviewed-article",
                "authors": ["Ada Lovelace", "García Márquez, Gabriel", "Vincent van Gogh",
                    "Association of American Medical Colleges", "José Álvarez-Núñez, MD"],
                "source": "Academic Medicine",
                "doi": "10.1097/ACM.0000000000001234",
                "year": 2020,
                "domains": ["community-engagement"],
                "topics": ["health-equity-champions"],
            })),
        )
        .await;
    let web = app
        .publish_resource(
            token,
            &resource(json!({
                "title": "A toolkit for community partnerships",
                "resource_type": "implementation-guidance-tools",
                "authors": ["Lovelace, Ada", "Martin Luther King Jr.", "Fluker CJ"],
                "source": "Social Mission Alliance",
                "url": "https://example.org/toolkit?a=1&b=2_c",
                "year": 2022,
            })),
        )
        .await;
    let anonymous = app
        .publish_resource(
            token,
            &resource(json!({
                "title": "Bridge to Dentistry: an odd { brace and a \\ backslash",
                "resource_type": "real-world-example",
                "url": "https://example.org/bridge",
            })),
        )
        .await;
    let draft = app.create_resource(token, &resource(json!({ "title": "A draft not to cite" }))).await;
    (article, web, anonymous, draft)
}

fn id(resource: &Value) -> &str {
    resource["id"].as_str().unwrap()
}

fn citation_path(resource: &Value) -> String {
    format!("/api/v1/resources/{}/citation", id(resource))
}

async fn get_text(app: &TestApp, path: &str, accept: Option<&str>) -> (reqwest::header::HeaderMap, String) {
    let mut request = app.get(path);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

/// Writes `body` to a temporary file and runs `script` on it; returns the JSON it prints.
fn parse_with(script: &str, body: &str, extension: &str) -> Value {
    let path = std::env::temp_dir().join(format!("sma-{}.{extension}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, body).unwrap();
    let out = python::run(script, &[path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{script} printed no JSON ({e}): {out}"))
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap()
}

#[actix_web::test]
async fn bibtex_reads_back_through_bibtexparser() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (article, web, anonymous, _) = fixtures(&app, &token).await;
    let mut bib = String::new();
    for r in [&article, &web, &anonymous] {
        let (headers, body) = get_text(&app, &format!("{}?format=bibtex", citation_path(r)), None).await;
        assert_eq!(header(&headers, "content-type"), "application/x-bibtex; charset=utf-8");
        assert_eq!(
            header(&headers, "content-disposition"),
            format!("inline; filename=\"{}.bib\"", r["slug"].as_str().unwrap())
        );
        bib.push_str(&body);
        bib.push('\n');
    }
    let parsed = parse_with("cite_bibtex.py", &bib, "bib");
    assert_eq!(parsed["failed_blocks"], 0, "{parsed}");
    let entries = parsed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "an unbalanced brace must not swallow the next entry: {parsed}");

    let a = &entries[0];
    assert_eq!(a["type"], "article");
    assert_eq!(a["key"], "lovelace2020equite");
    assert_eq!(a["fields"]["title"], ARTICLE_TITLE, "escaping round-trips: {}", a["raw"]["title"]);
    assert!(a["raw"]["title"].as_str().unwrap().contains("{HIV}"), "capitals are protected: {}", a["raw"]["title"]);
    assert_eq!(a["fields"]["journal"], "Academic Medicine");
    assert_eq!(a["fields"]["year"], "2020");
    assert_eq!(a["fields"]["doi"], "10.1097/ACM.0000000000001234");
    assert_eq!(a["fields"]["url"], "https://doi.org/10.1097/ACM.0000000000001234");
    let person =
        |first: &str, von: &str, last: &str, jr: &str| json!({"first": first, "von": von, "last": last, "jr": jr});
    assert_eq!(
        a["authors"],
        json!([
            person("Ada", "", "Lovelace", ""),
            person("Gabriel", "", "García Márquez", ""),
            person("Vincent", "van", "Gogh", ""),
            person("", "", "Association of American Medical Colleges", ""),
            person("José", "", "Álvarez-Núñez", ""),
        ])
    );

    let w = &entries[1];
    assert_eq!(w["type"], "misc");
    assert_eq!(w["key"], "lovelace2022toolkit");
    assert_eq!(w["fields"]["title"], "A toolkit for community partnerships");
    assert_eq!(w["raw"]["url"], "https://example.org/toolkit?a=1&b=2_c", "URLs stay verbatim");
    assert_eq!(w["raw"]["howpublished"], "\\url{https://example.org/toolkit?a=1&b=2_c}");
    assert_eq!(w["fields"]["organization"], "Social Mission Alliance");
    let checked = web["updated_at"].as_str().unwrap()[..10].to_string();
    assert_eq!(w["fields"]["urldate"], checked.as_str());
    assert_eq!(w["fields"]["note"], format!("Accessed: {checked}"));
    assert_eq!(
        w["authors"],
        json!([
            person("Ada", "", "Lovelace", ""),
            person("Martin Luther", "", "King", "Jr."),
            person("C. J.", "", "Fluker", "")
        ]),
        "PubMed's \"Fluker CJ\" is a family name and initials"
    );
    assert!(w["fields"].get("journal").is_none() && w["fields"].get("doi").is_none());

    let n = &entries[2];
    assert_eq!(n["type"], "misc");
    assert_eq!(n["key"], "bridge");
    assert!(n["fields"].get("author").is_none(), "no authors, no author field: {n}");
    assert!(n["fields"]["title"].as_str().unwrap().contains("and a \\ backslash"), "{n}");
    assert_eq!(n["fields"]["url"], "https://example.org/bridge", "the fields after the odd brace are intact");
}

#[actix_web::test]
async fn ris_reads_back_through_rispy() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (article, web, anonymous, _) = fixtures(&app, &token).await;
    let mut ris = String::new();
    for r in [&article, &web, &anonymous] {
        let (headers, body) = get_text(&app, &format!("{}?format=ris", citation_path(r)), None).await;
        assert_eq!(header(&headers, "content-type"), "application/x-research-info-systems; charset=utf-8");
        assert!(header(&headers, "content-disposition").ends_with(".ris\""));
        ris.push_str(&body);
    }
    let parsed = parse_with("cite_ris.py", &ris, "ris");
    assert_eq!(parsed["crlf"], true, "RIS lines end in CR LF");
    let records = parsed["records"].as_array().unwrap();
    assert_eq!(records.len(), 3, "{parsed}");

    let a = &records[0];
    assert_eq!(a["type_of_reference"], "JOUR");
    assert_eq!(a["title"], ARTICLE_TITLE, "RIS needs no escaping");
    assert_eq!(
        a["authors"],
        json!([
            "Lovelace, Ada",
            "García Márquez, Gabriel",
            "van Gogh, Vincent",
            "Association of American Medical Colleges",
            "Álvarez-Núñez, José"
        ])
    );
    assert_eq!(a["journal_name"], "Academic Medicine");
    assert_eq!(a["secondary_title"], "Academic Medicine");
    assert_eq!(a["year"], "2020");
    assert_eq!(a["doi"], "10.1097/ACM.0000000000001234");
    assert_eq!(a["urls"], json!(["https://doi.org/10.1097/ACM.0000000000001234"]));
    assert_eq!(a["keywords"], json!(["Community Engagement", "Health equity champions"]));

    let w = &records[1];
    assert_eq!(w["type_of_reference"], "ELEC");
    assert_eq!(w["authors"], json!(["Lovelace, Ada", "King, Martin Luther, Jr.", "Fluker, C. J."]));
    assert_eq!(w["publisher"], "Social Mission Alliance");
    assert_eq!(w["urls"], json!(["https://example.org/toolkit?a=1&b=2_c"]));
    assert_eq!(w["access_date"], format!("{}/", web["updated_at"].as_str().unwrap()[..10].replace('-', "/")));
    assert!(w.get("doi").is_none() && w.get("journal_name").is_none());

    let n = &records[2];
    assert_eq!(n["type_of_reference"], "ELEC");
    assert!(n.get("authors").is_none(), "{n}");
    assert_eq!(n["title"], "Bridge to Dentistry: an odd { brace and a \\ backslash");
}

#[actix_web::test]
async fn csl_json_renders_through_citeproc() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (article, web, anonymous, _) = fixtures(&app, &token).await;
    let mut items = Vec::new();
    for r in [&article, &web, &anonymous] {
        let (headers, body) = get_text(&app, &format!("{}?format=csl-json", citation_path(r)), None).await;
        assert_eq!(header(&headers, "content-type"), "application/vnd.citationstyles.csl+json; charset=utf-8");
        assert!(header(&headers, "content-disposition").ends_with(".json\""));
        let doc: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(doc.as_array().map(Vec::len), Some(1), "a CSL-JSON document is an array of items");
        items.push(doc[0].clone());
    }
    let parsed = parse_with("cite_csl.py", &Value::Array(items).to_string(), "json");
    assert_eq!(parsed["problems"], json!([]), "{parsed}");
    let [a, w, n] = [&parsed["items"][0], &parsed["items"][1], &parsed["items"][2]];
    assert_eq!(a["type"], "article-journal");
    assert_eq!(a["title"], ARTICLE_TITLE);
    assert_eq!(a["container-title"], "Academic Medicine");
    assert_eq!(a["DOI"], "10.1097/ACM.0000000000001234");
    assert_eq!(a["issued"], json!({"date-parts": [[2020]]}));
    assert_eq!(
        a["author"],
        json!([
            {"family": "Lovelace", "given": "Ada"},
            {"family": "García Márquez", "given": "Gabriel"},
            {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
            {"literal": "Association of American Medical Colleges"},
            {"family": "Álvarez-Núñez", "given": "José"},
        ])
    );
    assert_eq!(w["type"], "webpage");
    assert_eq!(w["publisher"], "Social Mission Alliance");
    assert_eq!(w["URL"], "https://example.org/toolkit?a=1&b=2_c");
    assert_eq!(w["author"][1], json!({"family": "King", "given": "Martin Luther", "suffix": "Jr."}));
    assert_eq!(w["author"][2], json!({"family": "Fluker", "given": "C. J."}));
    assert!(w["accessed"]["date-parts"][0].as_array().is_some_and(|d| d.len() == 3));
    assert_eq!(n["type"], "webpage");
    assert!(n.get("author").is_none() && n.get("issued").is_none(), "{n}");

    let bibliography: Vec<&str> =
        parsed["bibliography"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    assert_eq!(bibliography.len(), 3, "{parsed}");
    let article_entry = bibliography.iter().find(|e| e.contains("Academic Medicine")).expect("the article renders");
    // Harvard (Cite Them Right) shortens four or more authors to the first "et al.".
    assert!(article_entry.starts_with("Lovelace, A. et al. (2020)"), "{article_entry}");
    assert!(article_entry.contains("(2020)") && article_entry.contains(ARTICLE_TITLE), "{article_entry}");
    let web_entry =
        bibliography.iter().find(|e| e.contains("https://example.org/toolkit")).expect("the web page renders");
    assert!(web_entry.starts_with("Lovelace, A., King, M.L., Jr. and Fluker, C.J. (2022)"), "{web_entry}");
    assert!(web_entry.contains("Accessed"), "{web_entry}");
}

#[actix_web::test]
async fn the_format_comes_from_the_parameter_or_accept() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (article, _, _, _) = fixtures(&app, &token).await;
    let path = citation_path(&article);
    let content_type = |headers: &reqwest::header::HeaderMap| header(headers, "content-type").to_string();

    for (accept, expected) in [
        (None, "application/vnd.citationstyles.csl+json"),
        (Some("*/*"), "application/vnd.citationstyles.csl+json"),
        (Some("application/vnd.citationstyles.csl+json"), "application/vnd.citationstyles.csl+json"),
        (Some("application/json"), "application/vnd.citationstyles.csl+json"),
        (Some("application/x-bibtex"), "application/x-bibtex"),
        (Some("application/x-research-info-systems"), "application/x-research-info-systems"),
        (
            Some("text/html, application/x-bibtex;q=0.5, application/x-research-info-systems;q=0.9"),
            "application/x-research-info-systems",
        ),
        (Some("application/x-bibtex, */*;q=0.1"), "application/x-bibtex"),
    ] {
        let (headers, body) = get_text(&app, &path, accept).await;
        assert_eq!(content_type(&headers), format!("{expected}; charset=utf-8"), "Accept: {accept:?}");
        assert!(header(&headers, "vary").contains("Accept"), "chosen by Accept, so it varies by it");
        assert!(!body.is_empty());
    }
    // The parameter wins over Accept, even one that names nothing we have.
    let (headers, body) = get_text(&app, &format!("{path}?format=ris"), Some("application/x-bibtex")).await;
    assert_eq!(content_type(&headers), "application/x-research-info-systems; charset=utf-8");
    assert!(body.starts_with("TY  - JOUR\r\n"));
    let (headers, _) = get_text(&app, &format!("{path}?format=bibtex"), Some("text/html")).await;
    assert_eq!(content_type(&headers), "application/x-bibtex; charset=utf-8");
    // By slug too.
    let (_, by_slug) = get_text(
        &app,
        &format!("/api/v1/resources/{}/citation?format=bibtex", article["slug"].as_str().unwrap()),
        None,
    )
    .await;
    assert!(by_slug.starts_with("@article{lovelace2020equite,\n"), "{by_slug}");

    for accept in ["text/html", "application/xml, text/plain;q=0.5", "application/x-bibtex;q=0"] {
        let response = app.get(&path).header("accept", accept).send().await.unwrap();
        let body = problem(response, 406).await;
        assert_eq!(body["type"], "/problems/not-acceptable");
        assert!(body["detail"].as_str().unwrap().contains("application/x-bibtex"), "{body}");
    }
    let fields = invalid_fields(app.get(&format!("{path}?format=endnote")).send().await.unwrap()).await;
    assert_eq!(fields, [("format".to_string(), "invalid_choice".to_string())]);
}

#[actix_web::test]
async fn unknown_and_unpublished_resources_are_404() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (article, _, _, draft) = fixtures(&app, &token).await;
    for path in [
        format!("/api/v1/resources/{}/citation", uuid::Uuid::new_v4()),
        "/api/v1/resources/no-such-resource/citation?format=bibtex".to_string(),
        citation_path(&draft),
        format!("/api/v1/resources/{}/citation?format=ris", draft["slug"].as_str().unwrap()),
    ] {
        let body = problem(app.get(&path).header("accept", "application/x-bibtex").send().await.unwrap(), 404).await;
        assert_eq!(body["type"], "/problems/not-found", "{path}");
    }
    // Unpublishing takes the citation away.
    app.post(&format!("/api/v1/admin/resources/{}/unpublish", id(&article))).bearer_auth(&token).send().await.unwrap();
    problem(app.get(&citation_path(&article)).send().await.unwrap(), 404).await;
}

#[actix_web::test]
async fn citations_send_etags_and_answer_304() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (article, _, _, _) = fixtures(&app, &token).await;
    let mut etags = Vec::new();
    for format in ["bibtex", "ris", "csl-json"] {
        let path = format!("{}?format={format}", citation_path(&article));
        let (headers, _) = get_text(&app, &path, None).await;
        let etag = header(&headers, "etag").to_string();
        assert_eq!(header(&headers, "cache-control"), "public, max-age=60");
        let again = app.get(&path).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        etags.push(etag);
    }
    assert_eq!(etags.iter().collect::<std::collections::HashSet<_>>().len(), 3, "each format has its own ETag");
    // Chosen by Accept: the same ETag as by parameter (the same bytes).
    let by_accept = app.get(&citation_path(&article)).header("accept", "application/x-bibtex").send().await.unwrap();
    assert_eq!(by_accept.headers()["etag"].to_str().unwrap(), etags[0]);

    let path = format!("{}?format=bibtex", citation_path(&article));
    let response = app
        .patch(&format!("/api/v1/admin/resources/{}", id(&article)))
        .bearer_auth(&token)
        .json(&json!({ "source": "Journal of Health Equity" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let stale = app.get(&path).header("if-none-match", &etags[0]).send().await.unwrap();
    assert_eq!(stale.status(), 200, "an edit changes the citation and its ETag");
    assert!(stale.text().await.unwrap().contains("journal = {Journal of Health Equity}"));
}

#[actix_web::test]
async fn the_atom_feed_reads_back_through_feedparser() {
    let app = TestApp::spawn_with(&[("PUBLIC_BASE_URL", API), ("WEBSITE_URL", WEBSITE)]).await;
    let token = app.token(Role::Editor).await;
    let (article, web, anonymous, draft) = fixtures(&app, &token).await;
    let response = app.get("/api/v1/resources/feed.atom").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/atom+xml; charset=utf-8");
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let body = response.text().await.unwrap();

    let feed = parse_with("feed_atom.py", &body, "atom");
    assert_eq!(feed["bozo"], 0, "{}", feed["bozo_exception"]);
    assert_eq!(feed["version"], "atom10");
    let self_url = format!("{API}/api/v1/resources/feed.atom");
    assert_eq!(feed["feed"]["id"], self_url.as_str());
    assert!(feed["feed"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rel"] == "self" && l["href"] == self_url.as_str()));
    assert!(feed["feed"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rel"] == "alternate" && l["href"] == format!("{WEBSITE}/resources").as_str()));

    // Newest first, drafts never.
    let entries = feed["entries"].as_array().unwrap();
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [anonymous["id"].clone(), web["id"].clone(), article["id"].clone()]
            .map(|id| format!("urn:uuid:{}", id.as_str().unwrap()))
    );
    assert!(!body.contains(id(&draft)));

    let a = &entries[2];
    assert_eq!(a["title"], ARTICLE_TITLE);
    assert_eq!(a["link"], format!("{WEBSITE}/resources/{}", article["slug"].as_str().unwrap()).as_str());
    assert!(a["links"].as_array().unwrap().iter().any(|l| l["rel"] == "alternate"
        && l["type"] == "application/json"
        && l["href"] == format!("{API}/api/v1/resources/{}", id(&article)).as_str()));
    assert!(a["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rel"] == "related" && l["href"] == "https://doi.org/10.1097/ACM.0000000000001234"));
    assert_eq!(a["authors"][1], "García Márquez, Gabriel");
    assert_eq!(a["summary"], "A summary.");
    assert!(a["published"].as_str().is_some_and(|p| !p.is_empty()) && a["updated"].as_str().is_some());
    let terms: Vec<&str> = a["tags"].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap()).collect();
    assert_eq!(terms, ["peer-reviewed-article", "community-engagement", "health-equity-champions"]);
    assert_eq!(a["tags"][1]["label"], "Community Engagement");
    assert_eq!(entries[0]["title"], "Bridge to Dentistry: an odd { brace and a \\ backslash");
    assert_eq!(entries[0]["authors"], json!([]), "no authors: the entry takes the feed's");

    let again = app.get("/api/v1/resources/feed.atom").header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    app.post(&format!("/api/v1/admin/resources/{}/unpublish", id(&web))).bearer_auth(&token).send().await.unwrap();
    let changed = app.get("/api/v1/resources/feed.atom").header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(changed.status(), 200, "unpublishing changes the feed");
    assert!(!changed.text().await.unwrap().contains(id(&web)));
}

#[actix_web::test]
async fn the_feed_carries_the_latest_50_and_is_valid_when_empty() {
    let app = TestApp::spawn().await;
    let empty = parse_with("feed_atom.py", &get_text(&app, "/api/v1/resources/feed.atom", None).await.1, "atom");
    assert_eq!(empty["bozo"], 0, "{}", empty["bozo_exception"]);
    assert_eq!(empty["entries"], json!([]));

    let token = app.token(Role::Editor).await;
    for i in 0..52 {
        app.publish_resource(&token, &resource(json!({ "title": format!("Resource number {i:02}") }))).await;
    }
    let feed = parse_with("feed_atom.py", &get_text(&app, "/api/v1/resources/feed.atom", None).await.1, "atom");
    assert_eq!(feed["bozo"], 0, "{}", feed["bozo_exception"]);
    let titles: Vec<&str> = feed["entries"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 50);
    assert_eq!(titles[0], "Resource number 51");
    assert_eq!(titles[49], "Resource number 02", "the two oldest are left out");
}
