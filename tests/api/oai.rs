//! OAI-PMH 2.0 at `/oai`: every verb and error code, selective harvesting, deleted records,
//! resumption tokens, a real harvester from PyPI (Sickle, tests/python/oai_harvest.py) and
//! validation of every kind of response against the official schemas (tests/python/oai_validate.py).

use chrono::{DateTime, Utc};
use diesel_async::RunQueryDsl;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{problem, python, resource, TestApp};

const PUBLIC: &str = "https://library.example.org";
const HOST: &str = "library.example.org";

/// The app as these tests want it: a public URL to name identifiers after, no read limit in the
/// way of harvesting, and any extra variables.
async fn spawn(extra: &[(&str, &str)]) -> TestApp {
    let mut vars = vec![("PUBLIC_BASE_URL", PUBLIC), ("RATE_LIMIT_READS_PER_MINUTE", "100000")];
    vars.extend_from_slice(extra);
    TestApp::spawn_with(&vars).await
}

// A small XML tree, enough to read the responses.

#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn parse(xml: &str) -> Node {
        let mut reader = Reader::from_str(xml);
        let mut stack = vec![Node::default()];
        loop {
            match reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{xml}")) {
                Event::Start(e) => stack.push(Self::element(&e)),
                Event::Empty(e) => {
                    let node = Self::element(&e);
                    stack.last_mut().unwrap().children.push(node);
                }
                Event::End(_) => {
                    let node = stack.pop().unwrap();
                    stack.last_mut().unwrap().children.push(node);
                }
                Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content().unwrap()),
                Event::GeneralRef(r) => {
                    let s = match r.resolve_char_ref().unwrap() {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&r.decode().unwrap()).unwrap().to_string(),
                    };
                    stack.last_mut().unwrap().text.push_str(&s);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(stack.len(), 1, "unbalanced XML");
        let mut document = stack.pop().unwrap();
        assert_eq!(document.children.len(), 1, "one root element");
        document.children.remove(0)
    }

    fn element(e: &BytesStart) -> Node {
        Node {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    let value = a.normalized_value(XmlVersion::Explicit1_0).unwrap().into_owned();
                    (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value)
                })
                .collect(),
            ..Node::default()
        }
    }

    fn text(&self) -> &str {
        self.text.trim()
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every descendant with this name, in document order.
    fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.all(name));
        }
        out
    }

    fn find(&self, name: &str) -> Option<&Node> {
        self.all(name).into_iter().next()
    }

    fn get(&self, name: &str) -> &Node {
        self.find(name).unwrap_or_else(|| panic!("no <{name}> in {self:#?}"))
    }

    fn texts(&self, name: &str) -> Vec<String> {
        self.all(name).iter().map(|n| n.text().to_string()).collect()
    }

    /// The error codes of a response (none for a success).
    fn errors(&self) -> Vec<String> {
        self.children.iter().filter(|c| c.name == "error").map(|c| c.attr("code").unwrap().to_string()).collect()
    }

    /// The identifiers of a list's headers, in order.
    fn identifiers(&self) -> Vec<String> {
        self.all("header").iter().map(|h| h.get("identifier").text().to_string()).collect()
    }

    fn token(&self) -> Option<&Node> {
        self.find("resumptionToken")
    }
}

async fn read(response: reqwest::Response) -> Node {
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/xml; charset=utf-8");
    let node = Node::parse(&response.text().await.unwrap());
    assert_eq!(node.name, "OAI-PMH");
    assert_eq!(node.attr("xmlns"), Some("http://www.openarchives.org/OAI/2.0/"));
    let date = node.get("responseDate").text();
    let at = DateTime::parse_from_rfc3339(date).unwrap();
    assert!(date.ends_with('Z') && (Utc::now() - at.to_utc()).num_seconds().abs() < 60, "{date}");
    assert_eq!(node.get("request").text(), format!("{PUBLIC}/oai"));
    node
}

async fn oai(app: &TestApp, query: &str) -> Node {
    read(app.get(&format!("/oai?{query}")).send().await.unwrap()).await
}

async fn oai_post(app: &TestApp, body: &str) -> Node {
    let response = app
        .post("/oai")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    read(response).await
}

/// Asserts the one error code of a response, and whether the request element echoed the arguments.
async fn error(app: &TestApp, query: &str, code: &str) -> Node {
    let response = oai(app, query).await;
    assert_eq!(response.errors(), [code], "{query}");
    let request = response.get("request");
    if matches!(code, "badVerb" | "badArgument") {
        assert!(request.attrs.is_empty(), "{query}: no attributes after {code}");
    } else {
        assert!(request.attr("verb").is_some(), "{query}: the arguments are echoed after {code}");
    }
    response
}

fn oai_id(resource: &Value) -> String {
    format!("oai:{HOST}:{}", resource["id"].as_str().unwrap())
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn publish(app: &TestApp, token: &str, overrides: Value) -> Value {
    app.publish_resource(token, &resource(overrides)).await
}

async fn admin(app: &TestApp, token: &str, method: reqwest::Method, path: &str) {
    let response = app.client.request(method, app.url(path)).bearer_auth(token).send().await.unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
}

/// Moves a resource's changes to a known time.
async fn set_changed_at(app: &TestApp, resource: &Value, at: &str) {
    let id = uuid::Uuid::parse_str(resource["id"].as_str().unwrap()).unwrap();
    let at: DateTime<Utc> = at.parse().unwrap();
    diesel::sql_query("UPDATE library_changes SET changed_at = $1 WHERE resource_id = $2")
        .bind::<diesel::sql_types::Timestamptz, _>(at)
        .bind::<diesel::sql_types::Uuid, _>(id)
        .execute(&mut app.db().await)
        .await
        .unwrap();
}

#[derive(diesel::QueryableByName)]
struct At {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    at: Option<DateTime<Utc>>,
}

async fn latest_change_at(app: &TestApp, resource: &Value) -> String {
    let id = uuid::Uuid::parse_str(resource["id"].as_str().unwrap()).unwrap();
    let row: At = diesel::sql_query("SELECT max(changed_at) AS at FROM library_changes WHERE resource_id = $1")
        .bind::<diesel::sql_types::Uuid, _>(id)
        .get_result(&mut app.db().await)
        .await
        .unwrap();
    row.at.unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[actix_web::test]
async fn identify_and_metadata_formats_describe_the_repository() {
    let app = spawn(&[("OAI_ADMIN_EMAIL", "oai@library.example.org")]).await;
    let token = app.token(Role::Editor).await;

    // An empty library still identifies itself (its earliest datestamp is now).
    let empty = oai(&app, "verb=Identify").await;
    assert!(empty.errors().is_empty());
    let first = publish(&app, &token, json!({ "title": "First" })).await;
    publish(&app, &token, json!({ "title": "Second" })).await;
    set_changed_at(&app, &first, "2024-05-06T07:08:09.750Z").await;

    let identify = oai(&app, "verb=Identify").await;
    assert_eq!(identify.get("request").attrs, [("verb".to_string(), "Identify".to_string())]);
    let i = identify.get("Identify");
    assert_eq!(i.get("repositoryName").text(), "Social Mission Resource Library");
    assert_eq!(i.get("baseURL").text(), format!("{PUBLIC}/oai"));
    assert_eq!(i.get("protocolVersion").text(), "2.0");
    assert_eq!(i.get("adminEmail").text(), "oai@library.example.org");
    assert_eq!(i.get("earliestDatestamp").text(), "2024-05-06T07:08:09Z", "the oldest change, to the second");
    assert_eq!(i.get("deletedRecord").text(), "persistent");
    assert_eq!(i.get("granularity").text(), "YYYY-MM-DDThh:mm:ssZ");
    let names: Vec<&str> = i.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "repositoryName",
            "baseURL",
            "protocolVersion",
            "adminEmail",
            "earliestDatestamp",
            "deletedRecord",
            "granularity",
            "compression"
        ]
    );

    // Compression as Identify announces it.
    let gz = app.get("/oai?verb=Identify").header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gz.status(), 200);
    assert_eq!(gz.headers()["content-encoding"], "gzip");

    for response in [
        oai(&app, "verb=ListMetadataFormats").await,
        oai(&app, &format!("verb=ListMetadataFormats&identifier={}", enc(&oai_id(&first)))).await,
    ] {
        assert!(response.errors().is_empty());
        let formats = response.all("metadataFormat");
        assert_eq!(formats.len(), 1);
        assert_eq!(formats[0].get("metadataPrefix").text(), "oai_dc");
        assert_eq!(formats[0].get("schema").text(), "http://www.openarchives.org/OAI/2.0/oai_dc.xsd");
        assert_eq!(formats[0].get("metadataNamespace").text(), "http://www.openarchives.org/OAI/2.0/oai_dc/");
    }
    let unknown = format!("oai:{HOST}:{}", uuid::Uuid::now_v7());
    let response =
        error(&app, &format!("verb=ListMetadataFormats&identifier={}", enc(&unknown)), "idDoesNotExist").await;
    assert_eq!(response.get("request").attr("identifier"), Some(unknown.as_str()));
}

#[actix_web::test]
async fn protocol_errors_are_answered_with_their_codes() {
    let app = spawn(&[]).await;
    let token = app.token(Role::Editor).await;
    let published = publish(&app, &token, json!({ "title": "Published" })).await;
    let draft = app.create_resource(&token, &resource(json!({ "title": "Never published" }))).await;
    let id = enc(&oai_id(&published));

    for query in
        ["", "verb=", "verb=Frobnicate", "verb=identify", "verb=Identify&verb=Identify", "metadataPrefix=oai_dc"]
    {
        error(&app, query, "badVerb").await;
    }
    for query in [
        "verb=Identify&set=type",
        "verb=ListSets&metadataPrefix=oai_dc",
        "verb=ListRecords",
        "verb=ListIdentifiers&from=2026-01-01",
        "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
        "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc",
        "verb=ListIdentifiers&set=type&resumptionToken=abc",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-02T00:00:00Z",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-02&until=2026-01-01",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01T10:00:01Z&until=2026-01-01T10:00:00Z",
        "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
        "verb=ListRecords&metadataPrefix=oai_dc&until=2026-01-01T00:00:00%2B01:00",
        "verb=ListRecords&metadataPrefix=oai_dc&set=a%20set",
        "verb=ListRecords&metadataPrefix=not%20a%20prefix",
        "verb=GetRecord&metadataPrefix=oai_dc",
        "verb=GetRecord&identifier=x",
        "verb=GetRecord&identifier=not%20a%20uri&metadataPrefix=oai_dc",
        "verb=ListMetadataFormats&identifier=x&identifier=y",
    ] {
        error(&app, query, "badArgument").await;
    }
    // Several bad arguments are all named.
    let many = oai(&app, "verb=ListRecords&foo=1&bar=2").await;
    assert_eq!(many.errors(), ["badArgument", "badArgument"]);

    for query in [
        "verb=ListRecords&metadataPrefix=marc21".to_string(),
        "verb=ListIdentifiers&metadataPrefix=oai_marc&set=type".to_string(),
        format!("verb=GetRecord&identifier={id}&metadataPrefix=mods"),
    ] {
        let response = error(&app, &query, "cannotDisseminateFormat").await;
        assert!(response.get("request").attr("metadataPrefix").is_some());
    }
    // A bad format and an unknown identifier are both reported.
    let both =
        oai(&app, &format!("verb=GetRecord&identifier=oai:{HOST}:{}&metadataPrefix=mods", uuid::Uuid::now_v7())).await;
    assert_eq!(both.errors(), ["cannotDisseminateFormat", "idDoesNotExist"]);

    for identifier in [
        format!("oai:{HOST}:{}", uuid::Uuid::now_v7()),
        format!("oai:another.example.org:{}", published["id"].as_str().unwrap()),
        oai_id(&draft),
        published["id"].as_str().unwrap().to_string(),
        "oai:library.example.org:nope".to_string(),
    ] {
        let response = error(
            &app,
            &format!("verb=GetRecord&identifier={}&metadataPrefix=oai_dc", enc(&identifier)),
            "idDoesNotExist",
        )
        .await;
        assert_eq!(response.get("request").attr("identifier"), Some(identifier.as_str()));
    }

    for query in [
        "verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&until=1999-12-31T23:59:59Z",
        "verb=ListRecords&metadataPrefix=oai_dc&set=domain:no-such-domain",
        "verb=ListRecords&metadataPrefix=oai_dc&set=profession",
        "verb=ListRecords&metadataPrefix=oai_dc&set=type:peer-reviewed-article:more",
        "verb=ListRecords&metadataPrefix=oai_dc&set=topic:health-equity-champions",
    ] {
        error(&app, query, "noRecordsMatch").await;
    }

    for query in [
        "verb=ListRecords&resumptionToken=garbage",
        "verb=ListIdentifiers&resumptionToken=",
        "verb=ListSets&resumptionToken=anything",
    ] {
        let response = error(&app, query, "badResumptionToken").await;
        assert!(response.get("request").attr("resumptionToken").is_some());
    }
}

#[actix_web::test]
async fn no_set_hierarchy_when_the_library_has_no_sets() {
    let app = spawn(&[]).await;
    diesel::sql_query("UPDATE vocabulary_terms SET retired_at = now()").execute(&mut app.db().await).await.unwrap();
    error(&app, "verb=ListSets", "noSetHierarchy").await;
    error(&app, "verb=ListRecords&metadataPrefix=oai_dc&set=domain:community-engagement", "noSetHierarchy").await;
}

#[actix_web::test]
async fn sets_are_the_types_domains_and_topics() {
    let app = spawn(&[]).await;
    let taxonomy = app.get_json("/api/v1/taxonomy").await;
    let sets = oai(&app, "verb=ListSets").await;
    assert!(sets.errors().is_empty());
    assert!(sets.token().is_none(), "one page");
    let listed: Vec<(String, String)> =
        sets.all("set").iter().map(|s| (s.children[0].text().to_string(), s.children[1].text().to_string())).collect();

    let mut expected = Vec::new();
    for (vocabulary, prefix) in [("types", "type"), ("domains", "domain"), ("topics", "topic")] {
        let v = taxonomy["vocabularies"].as_array().unwrap().iter().find(|v| v["vocabulary"] == vocabulary).unwrap();
        expected.push((prefix.to_string(), v["label"].as_str().unwrap().to_string()));
        for term in v["terms"].as_array().unwrap() {
            expected.push((
                format!("{prefix}:{}", term["slug"].as_str().unwrap()),
                term["label"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert_eq!(listed, expected, "professions are not sets");
    // Values with a description carry it as Dublin Core.
    let ce = sets.all("set").into_iter().find(|s| s.children[0].text() == "domain:community-engagement").unwrap();
    assert!(!ce.get("setDescription").get("oai_dc:dc").get("dc:description").text().is_empty());
}

#[actix_web::test]
async fn lists_select_by_from_until_and_set() {
    let app = spawn(&[]).await;
    let token = app.token(Role::Editor).await;
    let alpha = publish(
        &app,
        &token,
        json!({ "title": "Alpha", "resource_type": "peer-reviewed-article", "domains": ["community-engagement"],
                "topics": ["specialty-choice"] }),
    )
    .await;
    let bravo = publish(
        &app,
        &token,
        json!({ "title": "Bravo", "resource_type": "real-world-example", "domains": ["students-faculty"],
                "topics": ["specialty-choice", "community-partnerships"] }),
    )
    .await;
    let charlie = publish(
        &app,
        &token,
        json!({ "title": "Charlie", "resource_type": "peer-reviewed-article", "domains": ["students-faculty"] }),
    )
    .await;
    set_changed_at(&app, &alpha, "2025-03-01T10:00:00.600Z").await;
    set_changed_at(&app, &bravo, "2025-03-01T10:00:01Z").await;
    set_changed_at(&app, &charlie, "2025-03-02T00:00:00Z").await;
    let (a, b, c) = (oai_id(&alpha), oai_id(&bravo), oai_id(&charlie));

    let list = |q: String| {
        let app = &app;
        async move {
            let response = oai(app, &format!("verb=ListIdentifiers&metadataPrefix=oai_dc&{q}")).await;
            assert!(response.errors().is_empty(), "{q}: {:?}", response.errors());
            response.identifiers()
        }
    };
    assert_eq!(list(String::new()).await, [a.as_str(), b.as_str(), c.as_str()], "in the order they changed");
    // Inclusive bounds, to the second (the datestamp of Alpha is 10:00:00) or the day.
    assert_eq!(list("from=2025-03-01T10:00:00Z&until=2025-03-01T10:00:00Z".into()).await, [a.as_str()]);
    assert_eq!(list("from=2025-03-01T10:00:01Z".into()).await, [b.as_str(), c.as_str()]);
    assert_eq!(list("until=2025-03-01T10:00:01Z".into()).await, [a.as_str(), b.as_str()]);
    assert_eq!(list("until=2025-03-01".into()).await, [a.as_str(), b.as_str()]);
    assert_eq!(list("from=2025-03-02".into()).await, [c.as_str()]);
    assert_eq!(list("from=2025-03-01&until=2025-03-02".into()).await, [a.as_str(), b.as_str(), c.as_str()]);
    error(&app, "verb=ListRecords&metadataPrefix=oai_dc&from=2025-03-02T00:00:01Z", "noRecordsMatch").await;

    assert_eq!(list("set=type".into()).await, [a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(list("set=type:peer-reviewed-article".into()).await, [a.as_str(), c.as_str()]);
    assert_eq!(list("set=domain:students-faculty".into()).await, [b.as_str(), c.as_str()]);
    assert_eq!(list("set=topic".into()).await, [a.as_str(), b.as_str()], "any topic");
    assert_eq!(list("set=topic:community-partnerships".into()).await, [b.as_str()]);
    assert_eq!(list("set=domain:students-faculty&from=2025-03-02".into()).await, [c.as_str()]);

    // The same selection through ListRecords, and the headers name the sets.
    let records = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc&set=topic:specialty-choice&until=2025-03-01").await;
    assert_eq!(records.identifiers(), [a.as_str(), b.as_str()]);
    let header = records.all("header")[1];
    assert_eq!(header.get("datestamp").text(), "2025-03-01T10:00:01Z");
    assert_eq!(
        header.texts("setSpec"),
        [
            "type:real-world-example",
            "domain:students-faculty",
            "topic:specialty-choice",
            "topic:community-partnerships"
        ]
    );
    assert_eq!(records.get("request").attr("set"), Some("topic:specialty-choice"));
    assert_eq!(records.get("request").attr("until"), Some("2025-03-01"));
}

#[actix_web::test]
async fn records_carry_dublin_core() {
    let app = spawn(&[("WEBSITE_URL", "https://www.example.org")]).await;
    let token = app.token(Role::Editor).await;
    let title = "Équité & <care> in \"rural\" clinics";
    let article = publish(
        &app,
        &token,
        json!({ "title": title, "summary": "What changed & why.", "resource_type": "peer-reviewed-article",
                "authors": ["Ada Lovelace", "Mary Seacole"], "source": "Academic Medicine",
                "doi": "10.1097/ACM.0000000000001234", "url": "https://example.org/a?b=1&c=2", "year": 2020,
                "open_access": true, "domains": ["community-engagement"], "topics": ["specialty-choice"],
                "professions": ["nursing"] }),
    )
    .await;
    let record =
        oai(&app, &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={}", enc(&oai_id(&article)))).await;
    assert!(record.errors().is_empty());
    assert_eq!(record.get("request").attr("identifier"), Some(oai_id(&article).as_str()));
    let header = record.get("header");
    assert_eq!(header.attr("status"), None);
    assert_eq!(header.get("datestamp").text(), latest_change_at(&app, &article).await);
    let dc = record.get("metadata").get("oai_dc:dc");
    assert_eq!(dc.attr("xmlns:dc"), Some("http://purl.org/dc/elements/1.1/"));
    assert_eq!(dc.texts("dc:title"), [title]);
    assert_eq!(dc.texts("dc:creator"), ["Ada Lovelace", "Mary Seacole"]);
    assert_eq!(dc.texts("dc:subject"), ["Community Engagement", "Specialty choice", "Nursing"]);
    assert_eq!(dc.texts("dc:description"), ["What changed & why."]);
    assert_eq!(dc.texts("dc:date"), ["2020"]);
    assert_eq!(dc.texts("dc:type"), ["Peer Reviewed Articles"]);
    assert_eq!(
        dc.texts("dc:identifier"),
        [
            "https://example.org/a?b=1&c=2".to_string(),
            "https://doi.org/10.1097/ACM.0000000000001234".to_string(),
            format!("https://www.example.org/resources/{}", article["slug"].as_str().unwrap()),
        ]
    );
    assert_eq!(dc.texts("dc:source"), ["Academic Medicine"]);
    assert_eq!(dc.texts("dc:language"), ["en"]);
    assert_eq!(dc.texts("dc:rights"), ["info:eu-repo/semantics/openAccess"]);

    // Nothing that is not there: no DOI, URL, authors, year or open access.
    let bare = publish(&app, &token, json!({ "title": "Bare", "open_access": false })).await;
    let record = oai(&app, &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={}", enc(&oai_id(&bare)))).await;
    let dc = record.get("oai_dc:dc");
    assert!(dc.all("dc:creator").is_empty() && dc.all("dc:date").is_empty() && dc.all("dc:rights").is_empty());
    assert_eq!(dc.texts("dc:identifier").len(), 1, "only the library's page");
}

#[actix_web::test]
async fn unpublished_and_deleted_resources_stay_as_deleted_records() {
    let app = spawn(&[]).await;
    let token = app.token(Role::Editor).await;
    let kept = publish(&app, &token, json!({ "title": "Kept", "domains": ["community-engagement"] })).await;
    let unpublished = publish(&app, &token, json!({ "title": "Unpublished", "domains": ["students-faculty"] })).await;
    let archived = publish(&app, &token, json!({ "title": "Archived", "domains": ["students-faculty"] })).await;
    let deleted = publish(&app, &token, json!({ "title": "Deleted", "domains": ["students-faculty"] })).await;
    let path = |r: &Value, action: &str| format!("/api/v1/admin/resources/{}{action}", r["id"].as_str().unwrap());
    admin(&app, &token, reqwest::Method::POST, &path(&unpublished, "/unpublish")).await;
    admin(&app, &token, reqwest::Method::POST, &path(&archived, "/archive")).await;
    admin(&app, &token, reqwest::Method::DELETE, &path(&deleted, "")).await;

    let records = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    assert_eq!(
        records.identifiers(),
        [oai_id(&kept), oai_id(&unpublished), oai_id(&archived), oai_id(&deleted)],
        "in the order of their latest change"
    );
    for (r, (resource, is_deleted)) in
        records.all("record").iter().zip([(&kept, false), (&unpublished, true), (&archived, true), (&deleted, true)])
    {
        let header = r.get("header");
        assert_eq!(header.attr("status"), is_deleted.then_some("deleted"), "{}", resource["title"]);
        assert_eq!(r.find("metadata").is_none(), is_deleted, "a deleted record has no metadata");
        assert_eq!(header.get("datestamp").text(), latest_change_at(&app, resource).await);
    }
    let headers = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    let statuses: Vec<Option<&str>> = headers.all("header").iter().map(|h| h.attr("status")).collect();
    assert_eq!(statuses, [None, Some("deleted"), Some("deleted"), Some("deleted")]);

    let got = oai(&app, &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={}", enc(&oai_id(&deleted)))).await;
    assert_eq!(got.get("header").attr("status"), Some("deleted"));
    assert!(got.find("metadata").is_none());
    assert!(got.get("header").all("setSpec").is_empty(), "a deleted resource's sets went with it");
    let got =
        oai(&app, &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={}", enc(&oai_id(&unpublished)))).await;
    assert_eq!(got.get("header").attr("status"), Some("deleted"));
    assert_eq!(got.get("header").texts("setSpec"), ["type:peer-reviewed-article", "domain:students-faculty"]);
    let formats = oai(&app, &format!("verb=ListMetadataFormats&identifier={}", enc(&oai_id(&deleted)))).await;
    assert!(formats.errors().is_empty(), "a deleted item still exists for the protocol");

    // Selective harvests learn of deletions too: an unpublished resource in its sets, a deleted
    // one (whose sets are unknown) in every set.
    let set = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=domain:community-engagement").await;
    assert_eq!(set.identifiers(), [oai_id(&kept), oai_id(&deleted)]);
    let set = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=domain:students-faculty").await;
    assert_eq!(set.identifiers(), [oai_id(&unpublished), oai_id(&archived), oai_id(&deleted)]);

    // Republished, a record is live again, with a new datestamp, at the end of the list.
    admin(&app, &token, reqwest::Method::POST, &path(&unpublished, "/publish")).await;
    let records = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    assert_eq!(records.identifiers().last(), Some(&oai_id(&unpublished)));
    let last = *records.all("record").last().unwrap();
    assert_eq!(last.get("header").attr("status"), None);
    assert_eq!(last.get("dc:title").text(), "Unpublished");
    assert_eq!(records.all("record").len(), 4);
}

#[actix_web::test]
async fn lists_resume_through_pages_with_tokens() {
    let app = spawn(&[("OAI_PAGE_SIZE", "2")]).await;
    let token = app.token(Role::Editor).await;
    let mut published = Vec::new();
    for i in 0..5 {
        published.push(publish(&app, &token, json!({ "title": format!("Resource {i}") })).await);
    }
    let all: Vec<String> = published.iter().map(oai_id).collect();

    let mut seen = Vec::new();
    let mut page = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    let mut cursors = Vec::new();
    loop {
        assert!(page.errors().is_empty());
        seen.extend(page.identifiers());
        let t = page.token().expect("a list over several pages always carries a token").clone();
        assert_eq!(t.attr("completeListSize"), Some("5"));
        cursors.push(t.attr("cursor").unwrap().to_string());
        if t.text().is_empty() {
            assert!(t.attr("expirationDate").is_none(), "the last page's token is empty");
            break;
        }
        let expires = DateTime::parse_from_rfc3339(t.attr("expirationDate").unwrap()).unwrap();
        assert!(expires.to_utc() > Utc::now() + chrono::Duration::hours(23), "tokens last a day by default");
        page = oai(&app, &format!("verb=ListRecords&resumptionToken={}", enc(t.text()))).await;
        assert_eq!(page.get("request").attrs.len(), 2, "verb and resumptionToken");
    }
    assert_eq!(seen, all);
    assert_eq!(cursors, ["0", "2", "4"]);

    // A token is for its own verb only, and resumes over POST too.
    let first = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    let t = first.token().unwrap().text().to_string();
    error(&app, &format!("verb=ListRecords&resumptionToken={}", enc(&t)), "badResumptionToken").await;
    let flipped = if &t[10..11] == "A" { "B" } else { "A" };
    let tampered = format!("{}{flipped}{}", &t[..10], &t[11..]);
    error(&app, &format!("verb=ListIdentifiers&resumptionToken={}", enc(&tampered)), "badResumptionToken").await;
    let second = oai_post(&app, &format!("verb=ListIdentifiers&resumptionToken={}", enc(&t))).await;
    assert_eq!(second.identifiers(), all[2..4]);

    // A record that changes during a harvest leaves its place and comes again at the end; the
    // harvest misses nothing.
    let mut seen = first.identifiers();
    let patched = app
        .patch(&format!("/api/v1/admin/resources/{}", published[0]["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .json(&json!({ "title": "Resource 0, revised" }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let mut t = t;
    loop {
        let page = oai(&app, &format!("verb=ListIdentifiers&resumptionToken={}", enc(&t))).await;
        seen.extend(page.identifiers());
        t = page.token().unwrap().text().to_string();
        if t.is_empty() {
            assert_eq!(page.token().unwrap().attr("completeListSize"), Some("6"), "never fewer than were returned");
            break;
        }
    }
    assert_eq!(seen, [&all[..], &all[..1]].concat());
}

#[actix_web::test]
async fn expired_tokens_are_bad_resumption_tokens() {
    let app = spawn(&[("OAI_PAGE_SIZE", "1"), ("OAI_RESUMPTION_TOKEN_TTL_SECS", "1")]).await;
    let token = app.token(Role::Editor).await;
    publish(&app, &token, json!({ "title": "One" })).await;
    publish(&app, &token, json!({ "title": "Two" })).await;
    let first = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    let t = first.token().unwrap().text().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let expired = error(&app, &format!("verb=ListRecords&resumptionToken={}", enc(&t)), "badResumptionToken").await;
    assert!(expired.get("error").text().contains("expired"));
}

#[actix_web::test]
async fn post_takes_the_arguments_as_a_form() {
    let app = spawn(&[]).await;
    let token = app.token(Role::Editor).await;
    let r = publish(&app, &token, json!({ "title": "Posted" })).await;
    let identify = oai_post(&app, "verb=Identify").await;
    assert_eq!(identify.get("repositoryName").text(), "Social Mission Resource Library");
    let record = oai_post(&app, &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={}", enc(&oai_id(&r)))).await;
    assert_eq!(record.get("dc:title").text(), "Posted");
    let bad = oai_post(&app, "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc").await;
    assert_eq!(bad.errors(), ["badArgument"]);
    // Without a Content-Type, as some harvesters send it.
    let bare = app.post("/oai").body("verb=ListSets").send().await.unwrap();
    assert!(read(bare).await.errors().is_empty());

    let json_body = app.post("/oai").json(&json!({ "verb": "Identify" })).send().await.unwrap();
    let body = problem(json_body, 415).await;
    assert!(body["detail"].as_str().unwrap().contains("x-www-form-urlencoded"));
    let huge = app
        .post("/oai")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("verb=Identify&x={}", "a".repeat(70_000)))
        .send()
        .await
        .unwrap();
    problem(huge, 413).await;
}

/// Runs a script of tests/python off the test's thread, which must stay free to drive the
/// server's database connections while the script talks to it.
async fn run_python(script: &'static str, args: Vec<String>) -> String {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        python::run(script, &args)
    })
    .await
    .unwrap()
}

async fn harvest(app: &TestApp, selection: &[&str]) -> String {
    let mut args = vec![app.url("/oai")];
    args.extend(selection.iter().map(|s| s.to_string()));
    run_python("oai_harvest.py", args).await
}

/// Published resources, under an extra SQL condition on `r`.
async fn published(app: &TestApp, condition: &str) -> u64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = format!("SELECT count(*) AS n FROM resources r WHERE r.status = 'published' {condition}");
    let c: Count = diesel::sql_query(sql).get_result(&mut app.db().await).await.unwrap();
    c.n as u64
}

#[actix_web::test]
async fn a_real_harvester_collects_the_whole_library() {
    let app = spawn(&[("OAI_PAGE_SIZE", "25")]).await;
    let token = app.token(Role::Editor).await;
    // About 150 resources (some drafts and archived ones among them, which are no records).
    social_mission_api::resources::seed::synthetic(&mut app.db().await, 160).await.unwrap();
    let mut gone = Vec::new();
    for (i, title) in ["Harvest unpublished", "Harvest deleted", "Harvest archived"].into_iter().enumerate() {
        let r = publish(&app, &token, json!({ "title": title, "domains": ["community-engagement"] })).await;
        let path = format!("/api/v1/admin/resources/{}", r["id"].as_str().unwrap());
        match i {
            0 => admin(&app, &token, reqwest::Method::POST, &format!("{path}/unpublish")).await,
            1 => admin(&app, &token, reqwest::Method::DELETE, &path).await,
            _ => admin(&app, &token, reqwest::Method::POST, &format!("{path}/archive")).await,
        }
        gone.push(oai_id(&r));
    }
    gone.sort();
    publish(&app, &token, json!({ "title": "Harvest & <kept>", "domains": ["community-engagement"] })).await;
    // Counted in the database: the search index may still be loading the rows written behind its back.
    let total = published(&app, "").await;
    assert!(total > 100, "{total}");

    let out = harvest(&app, &[]).await;
    let h: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(h["identify"]["repositoryName"], "Social Mission Resource Library");
    assert_eq!(h["identify"]["baseURL"], format!("{PUBLIC}/oai"));
    assert_eq!(h["identify"]["deletedRecord"], "persistent");
    assert!(h["sets"].as_array().unwrap().contains(&json!("domain:community-engagement")));
    assert_eq!(h["live"], total, "every published resource");
    assert_eq!(h["deleted"], 3, "and every unpublished, archived or deleted one");
    assert_eq!(h["records"], total + 3);
    assert_eq!(h["distinct_records"], total + 3, "none twice: {}", h["repeated"]);
    assert_eq!(h["deleted_identifiers"], json!(gone));
    assert_eq!(h["without_title"], json!([]));
    assert!(h["titles"].as_array().unwrap().contains(&json!("Harvest & <kept>")));
    let pages = (total + 3).div_ceil(25);
    assert_eq!(h["record_requests"], pages, "through resumption tokens");
    assert_eq!(h["headers"], total + 3, "ListIdentifiers over POST agrees");
    assert_eq!(h["header_identifiers"], h["identifiers"]);
    assert_eq!(h["deleted_headers"], 3);
    assert_eq!(h["header_requests"], pages);

    // A selective harvest: the set's published resources, and the deletions it must hear of.
    let in_domain = published(
        &app,
        "AND EXISTS (SELECT 1 FROM resource_terms t JOIN vocabulary_terms v ON v.id = t.term_id \
         WHERE t.resource_id = r.id AND v.vocabulary = 'domain' AND v.slug = 'community-engagement')",
    )
    .await;
    let out = harvest(&app, &["set=domain:community-engagement"]).await;
    let h: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(h["live"], in_domain);
    assert_eq!(h["deleted"], 3, "unpublished and archived in the domain; deleted in every set");
}

#[actix_web::test]
async fn every_kind_of_response_validates_against_the_official_schemas() {
    let app = spawn(&[("OAI_PAGE_SIZE", "2")]).await;
    let token = app.token(Role::Editor).await;
    let mut published = Vec::new();
    for (i, title) in
        ["Équité & <care>", "Plain \"quoted\" 'title'", "Third", "Fourth", "Fifth"].into_iter().enumerate()
    {
        let r = publish(
            &app,
            &token,
            json!({ "title": title, "authors": ["A. Author"], "year": 2000 + i, "doi": format!("10.1234/x{i}"),
                    "url": "https://example.org/?a=1&b=2", "source": "Journal", "open_access": i % 2 == 0,
                    "topics": ["specialty-choice"] }),
        )
        .await;
        published.push(r);
    }
    admin(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/resources/{}", published[4]["id"].as_str().unwrap()),
    )
    .await;
    let first = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    let records_token = enc(first.token().unwrap().text());
    let headers_token = enc(oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await.token().unwrap().text());
    let mut last_page = format!("verb=ListRecords&resumptionToken={records_token}");
    loop {
        let page = oai(&app, &last_page).await;
        let t = page.token().unwrap().text().to_string();
        if t.is_empty() {
            break;
        }
        last_page = format!("verb=ListRecords&resumptionToken={}", enc(&t));
    }

    let queries = [
        "verb=Identify".to_string(),
        "verb=ListMetadataFormats".to_string(),
        "verb=ListSets".to_string(),
        "verb=ListIdentifiers&metadataPrefix=oai_dc&set=topic:specialty-choice&from=2000-01-01".to_string(),
        format!("verb=ListIdentifiers&resumptionToken={headers_token}"),
        "verb=ListRecords&metadataPrefix=oai_dc".to_string(),
        format!("verb=ListRecords&resumptionToken={records_token}"),
        last_page,
        format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={}", enc(&oai_id(&published[0]))),
        format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={}", enc(&oai_id(&published[4]))),
        "verb=Bogus".to_string(),
        "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-02T00:00:00Z&x=1".to_string(),
        "verb=ListRecords&metadataPrefix=mods&set=type&from=2026-01-01".to_string(),
        format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{HOST}:{}", uuid::Uuid::now_v7()),
        "verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01T00:00:00Z".to_string(),
        "verb=ListRecords&resumptionToken=%3Cgarbled%3E%26%01".to_string(),
    ];
    let urls: Vec<String> = queries.iter().map(|q| app.url(&format!("/oai?{q}"))).collect();
    let out = run_python("oai_validate.py", urls).await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let responses = v["responses"].as_array().unwrap();
    assert_eq!(responses.len(), queries.len());
    for r in responses {
        assert_eq!(r["status"], 200);
        assert_eq!(r["content_type"], "text/xml; charset=utf-8");
        assert_eq!(r["root"], "{http://www.openarchives.org/OAI/2.0/}OAI-PMH");
        assert_eq!(r["valid"], true, "{}: {}", r["url"], r["errors"]);
    }
    assert_eq!(
        v["rejected"],
        json!({ "unknown_dc_element": true, "header_without_datestamp": true }),
        "the schema bites"
    );
}

#[actix_web::test]
async fn the_openapi_document_describes_oai() {
    let app = spawn(&[]).await;
    let doc = app.get_json("/openapi.json").await;
    let oai = &doc["paths"]["/oai"];
    assert!(oai["get"]["responses"]["200"]["content"]["text/xml"].is_object(), "{oai}");
    let params: Vec<&str> =
        oai["get"]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, ["verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"]);
    assert!(oai["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object(), "{oai}");
    for status in ["200", "413", "415", "503"] {
        assert!(oai["post"]["responses"][status].is_object(), "POST documents {status}");
    }
}
