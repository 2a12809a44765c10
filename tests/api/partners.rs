//! Partner access: partners and their API keys (shown once, only a hash at rest, revocable,
//! counted), the rate limits of public reads and their headers, the exact change feed (a mirror
//! replaying it, also while editors write concurrently, holds exactly the published library) and
//! the bulk export; nothing staff-only or personal in what a partner receives.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bytea, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, refused, resource, SendJson, TestApp};

const PARTNERS: &str = "/api/v1/admin/partners";
const CHANGES: &str = "/api/v1/resources/changes";
const EXPORT: &str = "/api/v1/resources/export";

/// The public reads a key must open.
const PUBLIC_READS: [&str; 4] = ["/api/v1/resources", "/api/v1/taxonomy", "/api/v1/conferences", CHANGES];

const RATE_HEADERS: [&str; 5] =
    ["ratelimit", "ratelimit-policy", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"];

/// A valid partner body: override fields with `partner(json!({...}))`.
fn partner(overrides: Value) -> Value {
    let mut body = json!({
        "institution": "Example University Health Sciences Library",
        "contact_name": "Grace Hopper",
        "contact_email": "Catalogue@Example.EDU",
        "notes": "Mirrors the library nightly.",
    });
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn create_partner(app: &TestApp, admin: &str, body: &Value) -> Value {
    let response = app.post(PARTNERS).bearer_auth(admin).json(body).send().await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn issue_key(app: &TestApp, admin: &str, partner_id: &str, name: &str) -> Value {
    let response = app
        .post(&format!("{PARTNERS}/{partner_id}/keys"))
        .bearer_auth(admin)
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

#[actix_web::test]
async fn a_key_is_issued_without_a_body_and_the_keys_come_paged() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (partner_id, _) = partner_with_key(&app, &admin).await;
    // Every field of the request is optional, so the body is too.
    let response = app.post(&format!("{PARTNERS}/{partner_id}/keys")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let null = app.post(&format!("{PARTNERS}/{partner_id}/keys")).bearer_auth(&admin).json(&Value::Null).send();
    assert_eq!(null.await.unwrap().status(), 201, "a JSON null is no body too");
    let page: Value =
        app.get(&format!("{PARTNERS}/{partner_id}/keys?per_page=1&page=2")).bearer_auth(&admin).json_value().await;
    assert_eq!(page["meta"], json!({ "total": 3, "page": 2, "per_page": 1, "total_pages": 3 }));
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let fields = invalid_fields(
        app.get(&format!("{PARTNERS}/{partner_id}/keys?per_page=0")).bearer_auth(&admin).send().await.unwrap(),
    )
    .await;
    assert_eq!(fields, [("per_page".to_string(), "out_of_range".to_string())]);
}

/// A new partner with one key: (partner id, the issued key's answer).
async fn partner_with_key(app: &TestApp, admin: &str) -> (String, Value) {
    let created = create_partner(app, admin, &partner(json!({}))).await;
    let id = created["id"].as_str().unwrap().to_string();
    let key = issue_key(app, admin, &id, "catalogue sync").await;
    (id, key)
}

fn key_of(issued: &Value) -> String {
    issued["key"].as_str().unwrap().to_string()
}

/// The admin's list of a partner's keys (which writes the counted use first).
async fn keys_of(app: &TestApp, admin: &str, partner_id: &str) -> Value {
    let response = app.get(&format!("{PARTNERS}/{partner_id}/keys")).bearer_auth(admin).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["meta"]["total"], page["data"].as_array().unwrap().len(), "one page holds a partner's keys");
    page["data"].clone()
}

fn key_in<'a>(list: &'a Value, key_id: &Value) -> &'a Value {
    list.as_array().unwrap().iter().find(|k| &k["id"] == key_id).expect("the key is listed")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

fn number(response: &reqwest::Response, name: &str) -> u64 {
    header(response, name).unwrap_or_else(|| panic!("no {name} header")).parse().unwrap()
}

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap().with_timezone(&Utc)
}

// ---------------------------------------------------------------------------------------------
// Partners

#[actix_web::test]
async fn admins_register_read_replace_and_list_partners() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let response = app.post(PARTNERS).bearer_auth(&admin).json(&partner(json!({}))).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    assert_eq!(location, format!("{PARTNERS}/{id}"));
    assert_eq!(created["institution"], "Example University Health Sciences Library");
    assert_eq!(created["contact_name"], "Grace Hopper");
    assert_eq!(created["contact_email"], "catalogue@example.edu", "emails are kept lower-cased");
    assert_eq!(created["notes"], "Mirrors the library nightly.");
    assert_eq!(created["active_keys"], 0);
    assert!(created["created_at"].is_string() && created["updated_at"].is_string());
    assert_eq!(app.get(&location).bearer_auth(&admin).json_value().await, created);

    // PUT replaces the whole record: what is left out goes back to its default.
    let replacement = json!({ "institution": "  Consortium of Rural Health Libraries  ", "contact_name": "Ada" });
    let response = app.client.put(app.url(&location)).bearer_auth(&admin).json(&replacement).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let replaced: Value = response.json().await.unwrap();
    assert_eq!(replaced["id"], created["id"]);
    assert_eq!(replaced["institution"], "Consortium of Rural Health Libraries");
    assert_eq!(replaced["contact_name"], "Ada");
    assert_eq!(replaced["contact_email"], Value::Null);
    assert_eq!(replaced["notes"], "");
    assert_eq!(replaced["created_at"], created["created_at"]);
    assert!(time(&replaced["updated_at"]) >= time(&created["updated_at"]));
    assert_eq!(app.get(&location).bearer_auth(&admin).json_value().await, replaced);

    create_partner(&app, &admin, &partner(json!({ "institution": "Zeta Medical School Library" }))).await;
    create_partner(&app, &admin, &partner(json!({ "institution": "Alpha Nursing College" }))).await;
    let list: Value = app.get(PARTNERS).bearer_auth(&admin).json_value().await;
    assert_eq!(list["meta"]["total"], 3);
    let names: Vec<&str> =
        list["data"].as_array().unwrap().iter().map(|p| p["institution"].as_str().unwrap()).collect();
    assert_eq!(names, ["Alpha Nursing College", "Consortium of Rural Health Libraries", "Zeta Medical School Library"]);
    let page: Value = app.get(&format!("{PARTNERS}?per_page=2&page=2")).bearer_auth(&admin).json_value().await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["meta"]["total"], 3);

    let log: Value = app.get("/api/v1/admin/audit-log?entity_type=partner").bearer_auth(&admin).json_value().await;
    let actions: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["partner.create", "partner.create", "partner.update", "partner.create"]);
}

#[actix_web::test]
async fn an_unknown_partner_or_key_is_a_404() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (partner_id, issued) = partner_with_key(&app, &admin).await;
    let other = create_partner(&app, &admin, &partner(json!({ "institution": "Another library" }))).await;
    let other_id = other["id"].as_str().unwrap();
    let unknown = uuid::Uuid::new_v4();
    let key_id = issued["id"].as_str().unwrap();

    problem(app.get(&format!("{PARTNERS}/{unknown}")).bearer_auth(&admin).send().await.unwrap(), 404).await;
    let put = app.client.put(app.url(&format!("{PARTNERS}/{unknown}"))).bearer_auth(&admin).json(&partner(json!({})));
    problem(put.send().await.unwrap(), 404).await;
    problem(app.get(&format!("{PARTNERS}/{unknown}/keys")).bearer_auth(&admin).send().await.unwrap(), 404).await;
    let issue = app.post(&format!("{PARTNERS}/{unknown}/keys")).bearer_auth(&admin).json(&json!({ "name": "x" }));
    problem(issue.send().await.unwrap(), 404).await;
    let revoke_unknown = app.delete(&format!("{PARTNERS}/{partner_id}/keys/{unknown}")).bearer_auth(&admin);
    problem(revoke_unknown.send().await.unwrap(), 404).await;
    // A key is revoked only through its own partner.
    let revoke_elsewhere = app.delete(&format!("{PARTNERS}/{other_id}/keys/{key_id}")).bearer_auth(&admin);
    problem(revoke_elsewhere.send().await.unwrap(), 404).await;
    problem(app.get(&format!("{PARTNERS}/not-a-uuid")).bearer_auth(&admin).send().await.unwrap(), 404).await;

    assert_eq!(app.count("partners").await, 2, "nothing was made for an unknown partner");
    assert_eq!(app.count("api_keys").await, 1);
    assert_eq!(app.count("api_keys WHERE revoked_at IS NOT NULL").await, 0);
    let response = app.get("/api/v1/resources").header("x-api-key", key_of(&issued)).send().await.unwrap();
    assert_eq!(response.status(), 200, "the key still works");
}

#[actix_web::test]
async fn invalid_partners_and_keys_are_refused_field_by_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let cases = [
        ("blank institution", partner(json!({ "institution": "   " })), "institution", "required"),
        ("long institution", partner(json!({ "institution": "x".repeat(201) })), "institution", "invalid_length"),
        ("invalid email", partner(json!({ "contact_email": "not-an-email" })), "contact_email", "invalid_email"),
        ("long notes", partner(json!({ "notes": "x".repeat(2001) })), "notes", "invalid_length"),
        ("unknown field", partner(json!({ "api_key": "sma_00000000_x" })), "api_key", "unknown_field"),
    ];
    for (case, body, field, code) in cases {
        let response = app.post(PARTNERS).bearer_auth(&admin).json(&body).send().await.unwrap();
        assert_eq!(invalid_fields(response).await, [(field.to_string(), code.to_string())], "{case}");
    }
    let missing = json!({ "contact_name": "Nobody" });
    let fields = invalid_fields(app.post(PARTNERS).bearer_auth(&admin).json(&missing).send().await.unwrap()).await;
    assert_eq!(fields, [("institution".to_string(), "required".to_string())]);
    assert_eq!(app.count("partners").await, 0);

    let created = create_partner(&app, &admin, &partner(json!({}))).await;
    let location = format!("{PARTNERS}/{}", created["id"].as_str().unwrap());
    let bad = partner(json!({ "contact_email": "still not an email" }));
    let response = app.client.put(app.url(&location)).bearer_auth(&admin).json(&bad).send().await.unwrap();
    assert_eq!(invalid_fields(response).await, [("contact_email".to_string(), "invalid_email".to_string())]);
    assert_eq!(app.get(&location).bearer_auth(&admin).json_value().await, created, "a refused PUT changes nothing");

    let keys = format!("{location}/keys");
    let long = app.post(&keys).bearer_auth(&admin).json(&json!({ "name": "k".repeat(121) })).send().await.unwrap();
    assert_eq!(invalid_fields(long).await, [("name".to_string(), "invalid_length".to_string())]);
    let chosen = app.post(&keys).bearer_auth(&admin).json(&json!({ "key": "sma_0000_mine" })).send().await.unwrap();
    assert_eq!(invalid_fields(chosen).await, [("key".to_string(), "unknown_field".to_string())]);
    assert_eq!(app.count("api_keys").await, 0);
}

#[actix_web::test]
async fn only_admins_reach_the_partner_routes() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let editor = app.token(Role::Editor).await;
    let (partner_id, issued) = partner_with_key(&app, &admin).await;
    let key_id = issued["id"].as_str().unwrap();
    let one = format!("{PARTNERS}/{partner_id}");
    let keys = format!("{one}/keys");
    let requests = || {
        [
            app.get(PARTNERS),
            app.post(PARTNERS).json(&partner(json!({}))),
            app.get(&one),
            app.client.put(app.url(&one)).json(&partner(json!({ "institution": "Taken over" }))),
            app.get(&keys),
            app.post(&keys).json(&json!({ "name": "stolen" })),
            app.delete(&format!("{keys}/{key_id}")),
        ]
    };
    for request in requests() {
        let anonymous = request.try_clone().unwrap().send().await.unwrap();
        problem(anonymous, 401).await;
        refused(request.try_clone().unwrap().bearer_auth(&editor).send().await.unwrap(), ProblemType::AdminRequired)
            .await;
        // A partner's key opens no staff route, in either header.
        problem(request.try_clone().unwrap().bearer_auth(key_of(&issued)).send().await.unwrap(), 401).await;
        problem(request.header("x-api-key", key_of(&issued)).send().await.unwrap(), 401).await;
    }
    assert_eq!(app.count("partners").await, 1);
    assert_eq!(app.count("api_keys WHERE revoked_at IS NULL").await, 1);
    assert_eq!(app.get(&one).bearer_auth(&admin).json_value().await["institution"], partner(json!({}))["institution"]);
}

// ---------------------------------------------------------------------------------------------
// Keys

#[derive(diesel::QueryableByName)]
struct StoredKey {
    #[diesel(sql_type = Bytea)]
    key_hash: Vec<u8>,
    #[diesel(sql_type = Text)]
    row: String,
}

#[actix_web::test]
async fn a_key_is_shown_once_and_only_its_hash_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let created = create_partner(&app, &admin, &partner(json!({}))).await;
    let partner_id = created["id"].as_str().unwrap();
    let response = app
        .post(&format!("{PARTNERS}/{partner_id}/keys"))
        .bearer_auth(&admin)
        .json(&json!({ "name": "catalogue sync" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], format!("{PARTNERS}/{partner_id}/keys"));
    let issued: Value = response.json().await.unwrap();
    let key = key_of(&issued);
    let prefix = issued["prefix"].as_str().unwrap();
    assert!(key.starts_with(&format!("{prefix}_")), "{key} starts with {prefix}_");
    assert!(prefix.starts_with("sma_") && prefix.len() == 12, "{prefix}");
    assert!(prefix[4..].chars().all(|c| c.is_ascii_hexdigit()), "{prefix}");
    let secret = &key[prefix.len() + 1..];
    assert!(secret.len() >= 32, "the secret part is long enough: {secret}");
    assert_eq!(issued["name"], "catalogue sync");
    assert_eq!(issued["revoked_at"], Value::Null);
    assert_eq!(issued["last_used_at"], Value::Null);
    assert_eq!(issued["request_count"], 0);
    let second = issue_key(&app, &admin, partner_id, "").await;
    assert_ne!(key_of(&second), key);
    assert_ne!(second["prefix"], issued["prefix"]);

    // Never shown again: not in the key list, the partner, the partner list or the audit log.
    let listed = keys_of(&app, &admin, partner_id).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let first = key_in(&listed, &issued["id"]);
    assert_eq!(first["prefix"], issued["prefix"]);
    assert!(first.get("key").is_none() && first.get("key_hash").is_none(), "{first}");
    let later = [
        listed.to_string(),
        app.get(&format!("{PARTNERS}/{partner_id}")).bearer_auth(&admin).send().await.unwrap().text().await.unwrap(),
        app.get(PARTNERS).bearer_auth(&admin).send().await.unwrap().text().await.unwrap(),
        app.get("/api/v1/admin/audit-log").bearer_auth(&admin).send().await.unwrap().text().await.unwrap(),
    ];
    for answer in later {
        for shown in [key.as_str(), secret, key_of(&second).as_str()] {
            assert!(!answer.contains(shown), "a key was shown again: {answer}");
        }
    }
    assert_eq!(app.get(&format!("{PARTNERS}/{partner_id}")).bearer_auth(&admin).json_value().await["active_keys"], 2);

    // At rest only the SHA-256 of the whole key, and no column holds the key's text.
    let stored: StoredKey =
        diesel::sql_query("SELECT key_hash, row_to_json(k)::text AS row FROM api_keys k WHERE id = $1")
            .bind::<diesel::sql_types::Uuid, _>(uuid::Uuid::parse_str(issued["id"].as_str().unwrap()).unwrap())
            .get_result(&mut app.db().await)
            .await
            .unwrap();
    assert_eq!(stored.key_hash, Sha256::digest(key.as_bytes()).to_vec());
    assert!(!stored.row.contains(secret) && !stored.row.contains(&key), "{}", stored.row);
    assert!(stored.row.contains(prefix), "the visible prefix is kept: {}", stored.row);
}

#[actix_web::test]
async fn a_key_opens_every_public_read_in_either_header_and_its_use_is_counted() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (partner_id, issued) = partner_with_key(&app, &admin).await;
    let unused = issue_key(&app, &admin, &partner_id, "spare").await;
    let key = key_of(&issued);
    for path in PUBLIC_READS {
        for request in [app.get(path).header("x-api-key", &key), app.get(path).bearer_auth(&key)] {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert!(header(&response, "ratelimit-policy").unwrap().starts_with("\"partner\""), "{path}");
        }
    }
    let listed = keys_of(&app, &admin, &partner_id).await;
    let used = key_in(&listed, &issued["id"]);
    assert_eq!(used["request_count"], 8);
    assert!(time(&used["last_used_at"]) >= time(&issued["created_at"]), "{used}");
    let spare = key_in(&listed, &unused["id"]);
    assert_eq!(spare["request_count"], 0, "each key is counted on its own");
    assert_eq!(spare["last_used_at"], Value::Null);

    assert_eq!(app.get(CHANGES).header("x-api-key", &key).send().await.unwrap().status(), 200);
    let again = keys_of(&app, &admin, &partner_id).await;
    let used_again = key_in(&again, &issued["id"]);
    assert_eq!(used_again["request_count"], 9);
    assert!(time(&used_again["last_used_at"]) >= time(&used["last_used_at"]));
    // Staff reads are not partner use.
    assert_eq!(key_in(&again, &unused["id"])["request_count"], 0);
}

/// A key revoked on one instance fails on another within a second: the other instance trusts
/// its copy of a recognised key for a minute, so only the revocation's notification can do it.
#[actix_web::test]
async fn a_revoked_key_fails_on_every_instance_within_a_second() {
    let app = TestApp::spawn().await;
    let other = app.another_instance().await;
    let admin = app.token(Role::Admin).await;
    let (partner_id, issued) = partner_with_key(&app, &admin).await;
    let key = key_of(&issued);
    // Recognised (and remembered) by the other instance.
    assert_eq!(other.get("/api/v1/resources").bearer_auth(&key).send().await.unwrap().status(), 200);

    let revoke = format!("{PARTNERS}/{partner_id}/keys/{}", issued["id"].as_str().unwrap());
    assert_eq!(app.delete(&revoke).bearer_auth(&admin).send().await.unwrap().status(), 200);
    let revoked_at = std::time::Instant::now();
    loop {
        let response = other.get("/api/v1/resources").bearer_auth(&key).send().await.unwrap();
        if response.status() == 401 {
            refused(response, ProblemType::UnknownApiKey).await;
            break;
        }
        assert!(revoked_at.elapsed() < std::time::Duration::from_secs(1), "the other instance still took the key");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn assert_refused(response: reqwest::Response) {
    assert!(header(&response, "www-authenticate").is_some(), "a 401 says how to authenticate");
    problem(response, 401).await;
}

#[actix_web::test]
async fn a_revoked_key_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (partner_id, issued) = partner_with_key(&app, &admin).await;
    let spare = issue_key(&app, &admin, &partner_id, "spare").await;
    let key = key_of(&issued);
    // Used (and so recognised and remembered) just before its revocation.
    assert_eq!(app.get("/api/v1/resources").bearer_auth(&key).send().await.unwrap().status(), 200);
    assert_eq!(app.get("/api/v1/resources").header("x-api-key", &key).send().await.unwrap().status(), 200);

    let revoke = format!("{PARTNERS}/{partner_id}/keys/{}", issued["id"].as_str().unwrap());
    let response = app.delete(&revoke).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let revoked: Value = response.json().await.unwrap();
    assert_eq!(revoked["id"], issued["id"]);
    assert_eq!(revoked["prefix"], issued["prefix"]);
    assert!(revoked["revoked_at"].is_string());
    assert!(revoked.get("key").is_none());

    for path in PUBLIC_READS {
        assert_refused(app.get(path).bearer_auth(&key).send().await.unwrap()).await;
        assert_refused(app.get(path).header("x-api-key", &key).send().await.unwrap()).await;
    }
    let listed = keys_of(&app, &admin, &partner_id).await;
    assert_eq!(key_in(&listed, &issued["id"])["revoked_at"], revoked["revoked_at"]);
    assert_eq!(key_in(&listed, &spare["id"])["revoked_at"], Value::Null);
    assert_eq!(app.get(&format!("{PARTNERS}/{partner_id}")).bearer_auth(&admin).json_value().await["active_keys"], 1);
    // Revoking again changes nothing; the partner's other key still works.
    let again: Value = app.delete(&revoke).bearer_auth(&admin).json_value().await;
    assert_eq!(again["revoked_at"], revoked["revoked_at"]);
    assert_refused(app.get("/api/v1/resources").bearer_auth(&key).send().await.unwrap()).await;
    let other = app.get("/api/v1/resources").header("x-api-key", key_of(&spare)).send().await.unwrap();
    assert_eq!(other.status(), 200);

    let log: Value = app.get("/api/v1/admin/audit-log?entity_type=partner").bearer_auth(&admin).json_value().await;
    let actions: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..2], ["partner.key.revoke", "partner.key.revoke"]);
}

#[actix_web::test]
async fn an_unknown_key_is_a_401_and_never_read_as_anonymous() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (_, issued) = partner_with_key(&app, &admin).await;
    let key = key_of(&issued);
    let mut altered = key.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    for path in PUBLIC_READS {
        for wrong in ["sma_deadbeef_xxx", altered.as_str(), issued["prefix"].as_str().unwrap()] {
            assert_refused(app.get(path).bearer_auth(wrong).send().await.unwrap()).await;
            assert_refused(app.get(path).header("x-api-key", wrong).send().await.unwrap()).await;
        }
        for nonsense in ["nonsense", "", "Bearer x"] {
            assert_refused(app.get(path).header("x-api-key", nonsense).send().await.unwrap()).await;
        }
    }
    // One detail and a page of the library, both refused alike.
    assert_refused(app.get("/api/v1/resources/anything").header("x-api-key", "nonsense").send().await.unwrap()).await;

    // A staff access token is not a key: the read is anonymous.
    let staff = app.token(Role::Editor).await;
    let response = app.get("/api/v1/resources").bearer_auth(&staff).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(header(&response, "ratelimit-policy").unwrap().starts_with("\"anonymous\""));
    let response = app.get("/api/v1/resources").send().await.unwrap();
    assert!(header(&response, "ratelimit-policy").unwrap().starts_with("\"anonymous\""));
}

// ---------------------------------------------------------------------------------------------
// Limits and their headers

/// The draft's `RateLimit` value: `"<policy>";r=<remaining>;t=<reset>`.
fn assert_rate_headers(response: &reqwest::Response, policy: &str, limit: u64, remaining: u64) {
    let path = response.url().path().to_string();
    assert_eq!(header(response, "ratelimit-policy"), Some(format!("\"{policy}\";q={limit};w=60").as_str()), "{path}");
    assert_eq!(number(response, "ratelimit-limit"), limit, "{path}");
    assert_eq!(number(response, "ratelimit-remaining"), remaining, "{path}");
    let reset = number(response, "ratelimit-reset");
    assert!(reset <= 60, "{path}: reset {reset}");
    assert_eq!(header(response, "ratelimit"), Some(format!("\"{policy}\";r={remaining};t={reset}").as_str()), "{path}");
}

#[actix_web::test]
async fn every_public_read_carries_the_rate_limit_headers_and_staff_routes_none() {
    // Limits low enough that nothing is given back between these few requests (one each 6 and 3 s).
    let app =
        TestApp::spawn_with(&[("RATE_LIMIT_READS_PER_MINUTE", "10"), ("RATE_LIMIT_PARTNER_PER_MINUTE", "20")]).await;
    let admin = app.token(Role::Admin).await;
    let (_, issued) = partner_with_key(&app, &admin).await;
    let key = key_of(&issued);

    let anonymous = ["/api/v1/resources", "/api/v1/taxonomy", "/api/v1/conferences", CHANGES, "/api/v1/resources/nope"];
    for (i, path) in anonymous.into_iter().enumerate() {
        let response = app.get(path).send().await.unwrap();
        assert_rate_headers(&response, "anonymous", 10, 9 - i as u64);
    }
    for (i, path) in PUBLIC_READS.into_iter().enumerate() {
        let response = app.get(path).header("x-api-key", &key).send().await.unwrap();
        assert_rate_headers(&response, "partner", 20, 19 - i as u64);
    }
    let export = app.get(EXPORT).bearer_auth(&key).send().await.unwrap();
    assert_rate_headers(&export, "partner", 20, 15);

    let staff = [
        app.get(PARTNERS).bearer_auth(&admin),
        app.get("/api/v1/admin/resources").bearer_auth(&admin),
        app.get("/api/v1/auth/me").bearer_auth(&admin),
        app.get("/health/live"),
    ];
    for request in staff {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{}", response.url());
        for name in RATE_HEADERS {
            assert!(header(&response, name).is_none(), "{} carries {name}", response.url());
        }
    }
    // Staff reads took nothing from the anonymous budget.
    assert_rate_headers(&app.get("/api/v1/taxonomy").send().await.unwrap(), "anonymous", 10, 4);
}

#[actix_web::test]
async fn reads_over_the_limit_get_a_429_and_a_key_has_its_own_higher_budget() {
    let app =
        TestApp::spawn_with(&[("RATE_LIMIT_READS_PER_MINUTE", "3"), ("RATE_LIMIT_PARTNER_PER_MINUTE", "10")]).await;
    let admin = app.token(Role::Admin).await;
    let (partner_id, issued) = partner_with_key(&app, &admin).await;
    let key = key_of(&issued);

    for remaining in [2, 1, 0] {
        let response = app.get("/api/v1/resources").send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_rate_headers(&response, "anonymous", 3, remaining);
    }
    let refused = app.get("/api/v1/taxonomy").send().await.unwrap();
    let retry = number(&refused, "retry-after");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(number(&refused, "ratelimit-remaining"), 0);
    assert!(header(&refused, "ratelimit-policy").unwrap().starts_with("\"anonymous\";q=3"));
    crate::helpers::refused(refused, ProblemType::ReadLimitReached).await;

    // The key's budget is separate and higher.
    for remaining in (0..10).rev() {
        let request = if remaining % 2 == 0 {
            app.get(CHANGES).bearer_auth(&key)
        } else {
            app.get(CHANGES).header("x-api-key", &key)
        };
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "read {} of the key", 10 - remaining);
        assert_rate_headers(&response, "partner", 10, remaining);
    }
    let refused = app.get("/api/v1/resources").header("x-api-key", &key).send().await.unwrap();
    let retry = number(&refused, "retry-after");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert!(header(&refused, "ratelimit-policy").unwrap().starts_with("\"partner\";q=10"));
    crate::helpers::refused(refused, ProblemType::PartnerLimitReached).await;

    // Per key: the partner's other key, and everyone else, keep their own budgets.
    let spare = issue_key(&app, &admin, &partner_id, "spare").await;
    let response = app.get("/api/v1/resources").bearer_auth(key_of(&spare)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_rate_headers(&response, "partner", 10, 9);
    problem(app.get("/api/v1/resources").send().await.unwrap(), 429).await;
    // Staff routes are not limited.
    assert_eq!(app.get(PARTNERS).bearer_auth(&admin).send().await.unwrap().status(), 200);
}

#[actix_web::test]
async fn browsers_may_send_a_key_and_read_the_rate_limit_headers() {
    let origin = "https://catalogue.example.edu";
    let app = TestApp::spawn_with(&[("CORS_ALLOWED_ORIGINS", origin), ("RATE_LIMIT_READS_PER_MINUTE", "1")]).await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/resources"))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-api-key")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let allowed = header(&preflight, "access-control-allow-headers").unwrap().to_lowercase();
    assert!(allowed.split(',').any(|h| h.trim() == "x-api-key"), "{allowed}");

    let exposed = |response: &reqwest::Response| -> Vec<String> {
        assert_eq!(header(response, "access-control-allow-origin"), Some(origin));
        let list = header(response, "access-control-expose-headers").expect("headers are exposed").to_lowercase();
        list.split(',').map(|h| h.trim().to_string()).collect()
    };
    let response = app.get("/api/v1/resources").header("origin", origin).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let names = exposed(&response);
    for name in RATE_HEADERS.iter().chain(&["retry-after"]) {
        assert!(names.iter().any(|h| h == name), "{name} not exposed: {names:?}");
    }
    // A refusal is readable too: the 429's Retry-After and a key's 401.
    let refused = app.get("/api/v1/resources").header("origin", origin).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(exposed(&refused).iter().any(|h| h == "retry-after"));
    // A made-up key spends the same anonymous budget, so here (budget spent) it is refused as a flood.
    let unknown = app.get("/api/v1/resources").header("origin", origin).header("x-api-key", "sma_deadbeef_xxx");
    let unknown = unknown.send().await.unwrap();
    assert_eq!(unknown.status(), 429);
    assert_eq!(header(&unknown, "access-control-allow-origin"), Some(origin));
    let fresh = TestApp::spawn_with(&[("CORS_ALLOWED_ORIGINS", origin)]).await;
    let unknown = fresh.get("/api/v1/resources").header("origin", origin).header("x-api-key", "sma_deadbeef_xxx");
    let unknown = unknown.send().await.unwrap();
    assert_eq!(unknown.status(), 401);
    assert_eq!(header(&unknown, "access-control-allow-origin"), Some(origin));
}

// ---------------------------------------------------------------------------------------------
// The change feed

/// What a partner keeps: the published library rebuilt from the feed alone.
#[derive(Default)]
struct Mirror {
    resources: HashMap<String, Value>,
    cursor: Option<String>,
    /// Every change read, in order.
    read: Vec<Value>,
}

impl Mirror {
    fn apply(&mut self, change: &Value) {
        let keys: HashSet<&str> = change.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, HashSet::from(["kind", "id", "slug", "changed_at", "resource"]), "{change}");
        let id = change["id"].as_str().unwrap().to_string();
        match change["kind"].as_str().unwrap() {
            "created" | "updated" => {
                if !change["resource"].is_null() {
                    assert_eq!(change["resource"]["id"], change["id"]);
                    self.resources.insert(id, change["resource"].clone());
                }
            }
            "unpublished" | "deleted" => {
                assert_eq!(change["resource"], Value::Null, "a tombstone carries no resource");
                self.resources.remove(&id);
            }
            other => panic!("unknown kind {other}: {change}"),
        }
        self.read.push(change.clone());
    }

    /// Reads the feed from where it stopped to its end, `limit` at a time; returns how many changes it read.
    async fn pull(&mut self, app: &TestApp, limit: u32) -> usize {
        let mut read = 0;
        loop {
            let path = match &self.cursor {
                Some(cursor) => format!("{CHANGES}?limit={limit}&cursor={cursor}"),
                None => format!("{CHANGES}?limit={limit}"),
            };
            let page = app.get_json(&path).await;
            let data = page["data"].as_array().unwrap();
            assert!(data.len() <= limit as usize);
            for change in data {
                self.apply(change);
            }
            read += data.len();
            let meta = &page["meta"];
            let resume = meta["resume_cursor"].as_str().expect("a resume cursor").to_string();
            match meta["next_cursor"].as_str() {
                Some(next) => {
                    assert_eq!(data.len(), limit as usize, "a page before the end is full");
                    self.cursor = Some(next.to_string());
                }
                None => {
                    self.cursor = Some(resume);
                    return read;
                }
            }
        }
    }

    fn kinds_of(&self, id: &Value) -> Vec<&str> {
        self.read.iter().filter(|c| &c["id"] == id).map(|c| c["kind"].as_str().unwrap()).collect()
    }
}

/// The published library as the public list shows it, across pages.
async fn published_library(app: &TestApp) -> HashMap<String, Value> {
    let mut all = HashMap::new();
    for page in 1.. {
        let list = app.get_json(&format!("/api/v1/resources?per_page=100&page={page}")).await;
        let data = list["data"].as_array().unwrap();
        for r in data {
            assert!(all.insert(r["id"].as_str().unwrap().to_string(), r.clone()).is_none(), "listed twice: {r}");
        }
        if data.len() < 100 {
            assert_eq!(all.len() as u64, list["meta"]["total"].as_u64().unwrap());
            break;
        }
    }
    all
}

/// Asserts the mirror holds exactly the library, naming what differs.
fn assert_mirrors(mirror: &Mirror, library: &HashMap<String, Value>) {
    let missing: Vec<&String> = library.keys().filter(|id| !mirror.resources.contains_key(*id)).collect();
    let extra: Vec<&String> = mirror.resources.keys().filter(|id| !library.contains_key(*id)).collect();
    let stale: Vec<(&Value, &Value)> =
        library.iter().filter_map(|(id, r)| mirror.resources.get(id).filter(|m| *m != r).map(|m| (m, r))).collect();
    assert!(
        missing.is_empty() && extra.is_empty() && stale.is_empty(),
        "the mirror differs from the library: missing {missing:?}, extra {extra:?}, stale (mirror, library) {stale:?}"
    );
}

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct LoggedChange {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Timestamptz)]
    changed_at: DateTime<Utc>,
}

/// Asserts the changes read are the whole log in its order: each number once, none skipped.
async fn assert_read_the_whole_log(app: &TestApp, mirror: &Mirror) {
    let logged: Vec<LoggedChange> = diesel::sql_query(
        "SELECT seq, resource_id::text AS id, kind, slug, changed_at FROM library_changes ORDER BY seq",
    )
    .load(&mut app.db().await)
    .await
    .unwrap();
    let seqs: Vec<i64> = logged.iter().map(|c| c.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    let read: Vec<(String, String, String, DateTime<Utc>)> = mirror
        .read
        .iter()
        .map(|c| {
            let text = |f: &str| c[f].as_str().unwrap().to_string();
            (text("id"), text("kind"), text("slug"), time(&c["changed_at"]))
        })
        .collect();
    let expected: Vec<(String, String, String, DateTime<Utc>)> =
        logged.into_iter().map(|c| (c.id, c.kind, c.slug, c.changed_at)).collect();
    assert_eq!(read.len(), expected.len(), "read {} changes of {} logged (seqs {seqs:?})", read.len(), expected.len());
    for (i, (got, want)) in read.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "change #{i} (seq {}) differs: a change was skipped or repeated", seqs[i]);
    }
}

async fn patch(app: &TestApp, token: &str, id: &str, body: &Value) -> Value {
    let response =
        app.patch(&format!("/api/v1/admin/resources/{id}")).bearer_auth(token).json(body).send().await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn act(app: &TestApp, token: &str, id: &str, action: &str) {
    let response = app.post(&format!("/api/v1/admin/resources/{id}/{action}")).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200, "{action}: {}", response.text().await.unwrap());
}

async fn delete(app: &TestApp, token: &str, id: &str) {
    let response = app.delete(&format!("/api/v1/admin/resources/{id}")).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 204);
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn replaying_the_feed_mirrors_the_published_library_and_resuming_gets_only_what_is_new() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let kept = app
        .publish_resource(
            &token,
            &resource(json!({ "title": "Kept pathways", "domains": ["pathways-admission-graduation"],
            "topics": ["specialty-choice"], "professions": ["medicine", "nursing"], "year": 2019,
            "authors": ["Ana Pérez", "Bo Li"], "source": "Academic Medicine", "doi": "10.1097/ACM.0000000000000001" })),
        )
        .await;
    let edited = app.publish_resource(&token, &resource(json!({ "title": "Edited clinics" }))).await;
    let unpublished = app.publish_resource(&token, &resource(json!({ "title": "Unpublished curriculum" }))).await;
    let archived = app.publish_resource(&token, &resource(json!({ "title": "Archived faculty" }))).await;
    let deleted = app.publish_resource(&token, &resource(json!({ "title": "Deleted mentors" }))).await;
    let returned = app.publish_resource(&token, &resource(json!({ "title": "Returned scholarships" }))).await;
    let draft = app.create_resource(&token, &resource(json!({ "title": "Draft never public" }))).await;

    patch(
        &app,
        &token,
        &id_of(&edited),
        &json!({ "title": "Edited clinics, second edition",
        "domains": ["community-engagement", "students-faculty"], "topics": ["community-partnerships"] }),
    )
    .await;
    patch(&app, &token, &id_of(&edited), &json!({ "slug": "edited-clinics-renamed" })).await;
    act(&app, &token, &id_of(&unpublished), "unpublish").await;
    act(&app, &token, &id_of(&archived), "archive").await;
    delete(&app, &token, &id_of(&deleted)).await;
    act(&app, &token, &id_of(&returned), "unpublish").await;
    act(&app, &token, &id_of(&returned), "publish").await;
    patch(&app, &token, &id_of(&draft), &json!({ "title": "Draft still never public" })).await;
    delete(&app, &token, &id_of(&draft)).await;

    let mut mirror = Mirror::default();
    assert_eq!(mirror.pull(&app, 100).await, 13);
    let library = published_library(&app).await;
    assert_eq!(library.len(), 3);
    assert_mirrors(&mirror, &library);
    assert_eq!(mirror.kinds_of(&kept["id"]), ["created"]);
    assert_eq!(mirror.kinds_of(&edited["id"]), ["created", "updated", "updated"], "one change per edit");
    assert_eq!(mirror.kinds_of(&unpublished["id"]), ["created", "unpublished"]);
    assert_eq!(mirror.kinds_of(&archived["id"]), ["created", "unpublished"]);
    assert_eq!(mirror.kinds_of(&deleted["id"]), ["created", "deleted"]);
    assert_eq!(mirror.kinds_of(&returned["id"]), ["created", "unpublished", "created"]);
    assert!(mirror.kinds_of(&draft["id"]).is_empty(), "drafts never appear");
    let tombstone = mirror.read.iter().find(|c| c["id"] == deleted["id"] && c["kind"] == "deleted").unwrap();
    assert_eq!(tombstone["slug"], deleted["slug"], "a tombstone keeps the slug");
    assert_eq!(tombstone["resource"], Value::Null);
    let renamed = mirror.read.iter().rev().find(|c| c["id"] == edited["id"]).unwrap();
    assert_eq!(renamed["slug"], "edited-clinics-renamed");
    assert_eq!(mirror.resources[&id_of(&edited)]["title"], "Edited clinics, second edition");
    assert_read_the_whole_log(&app, &mirror).await;

    // Nothing new: an empty page, at the end, and the same place to resume from.
    let resume = mirror.cursor.clone().unwrap();
    let page = app.get_json(&format!("{CHANGES}?cursor={resume}")).await;
    assert_eq!(page["data"], json!([]));
    assert_eq!(page["meta"]["next_cursor"], Value::Null);
    assert_eq!(page["meta"]["resume_cursor"], resume.as_str());

    // Resuming later reads only what changed since, in order.
    let fresh = app.publish_resource(&token, &resource(json!({ "title": "Fresh rural tracks" }))).await;
    patch(&app, &token, &id_of(&kept), &json!({ "summary": "A better summary." })).await;
    delete(&app, &token, &id_of(&returned)).await;
    act(&app, &token, &id_of(&unpublished), "publish").await;
    app.create_resource(&token, &resource(json!({ "title": "Another draft" }))).await;
    let before = mirror.read.len();
    assert_eq!(mirror.pull(&app, 100).await, 4);
    let new: Vec<(&str, &Value)> =
        mirror.read[before..].iter().map(|c| (c["kind"].as_str().unwrap(), &c["id"])).collect();
    assert_eq!(
        new,
        [
            ("created", &fresh["id"]),
            ("updated", &kept["id"]),
            ("deleted", &returned["id"]),
            ("created", &unpublished["id"])
        ]
    );
    assert_mirrors(&mirror, &published_library(&app).await);
    assert_eq!(mirror.resources[&id_of(&kept)]["summary"], "A better summary.");
    assert_read_the_whole_log(&app, &mirror).await;
}

#[actix_web::test]
async fn drafts_never_appear_in_the_feed() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let draft = app.create_resource(&token, &resource(json!({ "title": "Only a draft" }))).await;
    patch(&app, &token, &id_of(&draft), &json!({ "title": "Only a draft, edited", "topics": ["specialty-choice"] }))
        .await;
    let archived = app.create_resource(&token, &resource(json!({ "title": "Archived without publication" }))).await;
    act(&app, &token, &id_of(&archived), "archive").await;
    patch(&app, &token, &id_of(&archived), &json!({ "summary": "Still archived." })).await;
    let gone = app.create_resource(&token, &resource(json!({ "title": "Deleted as a draft" }))).await;
    delete(&app, &token, &id_of(&gone)).await;
    // A suggestion accepted into a draft.
    let suggestion = app
        .post("/api/v1/suggestions")
        .json(&json!({ "title": "A suggested resource", "url": "https://example.org/suggested",
            "why": "Because.", "submitter_name": "Ada", "submitter_email": "ada@example.org", "consent_to_contact": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(suggestion.status(), 201);
    let suggestion_id = id_of(&suggestion.json::<Value>().await.unwrap());
    let accepted = app
        .post(&format!("/api/v1/admin/suggestions/{suggestion_id}/accept"))
        .bearer_auth(&token)
        .json(&json!({ "resource_type": "peer-reviewed-article" }))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);

    let page = app.get_json(CHANGES).await;
    assert_eq!(page["data"], json!([]));
    assert_eq!(page["meta"]["next_cursor"], Value::Null);
    assert_eq!(app.count("library_changes").await, 0);

    // The moment one is published it appears, once.
    act(&app, &token, &id_of(&draft), "publish").await;
    let page = app.get_json(CHANGES).await;
    let kinds: Vec<(&str, &Value)> =
        page["data"].as_array().unwrap().iter().map(|c| (c["kind"].as_str().unwrap(), &c["id"])).collect();
    assert_eq!(kinds, [("created", &draft["id"])]);
    assert_eq!(page["data"][0]["resource"]["title"], "Only a draft, edited");
}

#[actix_web::test]
async fn the_feed_pages_by_limit_and_refuses_a_cursor_it_did_not_give() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(
            app.publish_resource(&token, &resource(json!({ "title": format!("Paged resource {n}") }))).await["id"]
                .clone(),
        );
    }
    let first = app.get_json(&format!("{CHANGES}?limit=2")).await;
    let next = first["meta"]["next_cursor"].as_str().expect("more to read").to_string();
    let second = app.get_json(&format!("{CHANGES}?limit=2&cursor={next}")).await;
    assert_eq!(second["meta"]["next_cursor"], Value::Null, "a full last page is still the end");
    let read: Vec<Value> =
        [&first, &second].iter().flat_map(|p| p["data"].as_array().unwrap().iter().map(|c| c["id"].clone())).collect();
    assert_eq!(read, ids, "in the order the changes committed");

    let first = app.get_json(&format!("{CHANGES}?limit=3")).await;
    assert_eq!(first["data"].as_array().unwrap().len(), 3);
    let next = first["meta"]["next_cursor"].as_str().unwrap().to_string();
    let second = app.get_json(&format!("{CHANGES}?limit=3&cursor={next}")).await;
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["data"][0]["id"], ids[3]);
    assert_eq!(second["meta"]["next_cursor"], Value::Null);
    let resume = second["meta"]["resume_cursor"].as_str().unwrap();
    assert_eq!(app.get_json(&format!("{CHANGES}?cursor={resume}")).await["data"], json!([]));
    let whole = app.get_json(CHANGES).await;
    assert_eq!(whole["data"].as_array().unwrap().len(), 4, "100 by default");
    assert_eq!(whole["meta"]["next_cursor"], Value::Null);

    let tampered = format!("{next}x");
    for cursor in ["nonsense", "", "%2A%2A%2A", "MTIz", tampered.as_str()] {
        let response = app.get(&format!("{CHANGES}?cursor={cursor}")).send().await.unwrap();
        assert_eq!(
            invalid_fields(response).await,
            [("cursor".to_string(), "invalid_cursor".to_string())],
            "{cursor:?}"
        );
    }
    for limit in ["0", "1001"] {
        let response = app.get(&format!("{CHANGES}?limit={limit}")).send().await.unwrap();
        assert_eq!(invalid_fields(response).await, [("limit".to_string(), "out_of_range".to_string())], "{limit}");
    }
}

/// A resource's JSON holds its terms' labels, in the vocabulary's display order: relabelling or
/// moving a term changes every published resource showing it, so the feed must say so.
#[actix_web::test]
async fn a_relabelled_or_moved_term_reaches_a_mirror_through_the_feed() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    let both = json!(["community-engagement", "students-faculty"]);
    app.publish_resource(&token, &resource(json!({ "title": "Labelled resource", "domains": both }))).await;
    app.publish_resource(&token, &resource(json!({ "title": "Unrelated", "domains": ["curriculum-programming"] })))
        .await;
    let mut mirror = Mirror::default();
    mirror.pull(&app, 100).await;
    assert_mirrors(&mirror, &published_library(&app).await);
    let domains = |library: &HashMap<String, Value>| -> Vec<Value> {
        let labelled = library.values().find(|r| r["title"] == "Labelled resource").unwrap();
        labelled["domains"].as_array().unwrap().iter().map(|t| t["label"].clone()).collect()
    };

    let relabel = app
        .patch("/api/v1/admin/taxonomy/domains/community-engagement")
        .bearer_auth(&admin)
        .json(&json!({ "label": "Community Engagement and Partnership" }));
    assert_eq!(relabel.send().await.unwrap().status(), 200);
    let library = published_library(&app).await;
    assert!(domains(&library).contains(&json!("Community Engagement and Partnership")), "the library shows it");
    assert_eq!(mirror.pull(&app, 100).await, 1, "one change: the resource showing the value");
    assert_mirrors(&mirror, &library);

    // Moving the other value to the other end of the vocabulary reverses the resource's list.
    let order = domains(&library);
    let position = if order[0] == json!("Students and Faculty") { 100 } else { 0 };
    let moved = app
        .patch("/api/v1/admin/taxonomy/domains/students-faculty")
        .bearer_auth(&admin)
        .json(&json!({ "position": position }));
    assert_eq!(moved.send().await.unwrap().status(), 200);
    let library = published_library(&app).await;
    let mut reversed = order.clone();
    reversed.reverse();
    assert_eq!(domains(&library), reversed, "the library shows the new order");
    assert_eq!(mirror.pull(&app, 100).await, 1, "one change: the resource showing the value");
    assert_mirrors(&mirror, &library);
}

// ---------------------------------------------------------------------------------------------
// The feed under concurrent writers

/// A small deterministic generator, so a failing round can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const DOMAINS: [&str; 4] =
    ["community-engagement", "curriculum-programming", "pathways-admission-graduation", "students-faculty"];
const TOPICS: [&str; 2] = ["specialty-choice", "community-partnerships"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Draft,
    Published,
    Archived,
}

/// One writer: its own resources, changed in batches of concurrent requests; it also edits the
/// resources every writer shares.
async fn writer(app: &TestApp, round: usize, w: usize, shared: &[String]) {
    let token = app.token(Role::Editor).await;
    let token = token.as_str();
    let mut rng = Lcg((round * 31 + w) as u64 + 7);
    let mut own: Vec<(String, Status)> = Vec::new();
    let mut made = 0;
    for step in 0..8 {
        // New resources, most published at once.
        let mut creations = Vec::new();
        for _ in 0..1 + rng.below(2) {
            made += 1;
            let body = resource(json!({
                "title": format!("Round {round} writer {w} resource {made}"),
                "domains": [DOMAINS[rng.below(4)]],
                "topics": [TOPICS[rng.below(2)]],
            }));
            let publish = rng.below(3) > 0;
            creations.push(async move {
                if publish {
                    (id_of(&app.publish_resource(token, &body).await), Status::Published)
                } else {
                    (id_of(&app.create_resource(token, &body).await), Status::Draft)
                }
            });
        }
        // Changes to up to three of its own resources, sent at once.
        let mut picked: Vec<usize> = (0..own.len()).collect();
        let mut batch = Vec::new();
        for _ in 0..3.min(picked.len()) {
            let i = picked.swap_remove(rng.below(picked.len()));
            let (id, status) = own[i].clone();
            let (action, next) = match (status, rng.below(10)) {
                (_, 0) => ("delete", None),
                (Status::Draft | Status::Archived, 1..=5) => ("publish", Some(Status::Published)),
                (Status::Published, 1..=2) => ("unpublish", Some(Status::Draft)),
                (Status::Published, 3) => ("archive", Some(Status::Archived)),
                _ => ("patch", Some(status)),
            };
            let body = json!({
                "title": format!("Round {round} writer {w} edit {step}-{i}"),
                "domains": [DOMAINS[rng.below(4)], DOMAINS[rng.below(4)]],
                "topics": [TOPICS[rng.below(2)]],
            });
            batch.push(async move {
                match action {
                    "delete" => delete(app, token, &id).await,
                    "patch" => {
                        patch(app, token, &id, &body).await;
                    }
                    action => act(app, token, &id, action).await,
                }
            });
            match next {
                Some(next) => own[i].1 = next,
                None => own[i].0.clear(),
            }
        }
        // And one of the resources every writer edits.
        let id = &shared[rng.below(shared.len())];
        let body = json!({ "summary": format!("Shared, edited by writer {w} at step {step}") });
        let shared_edit = async move {
            patch(app, token, id, &body).await;
        };
        let (created, _, _) = futures_util::join!(join_all(creations), join_all(batch), shared_edit);
        own.retain(|(id, _)| !id.is_empty());
        own.extend(created);
    }
}

/// Rounds of concurrent writers while a reader keeps pulling the feed into its mirror; after each
/// round the mirror equals the library, and the changes read are exactly the log.
async fn concurrent_rounds(app: &TestApp, rounds: usize) {
    let token = app.token(Role::Editor).await;
    let mut mirror = Mirror::default();
    for round in 0..rounds {
        let mut shared = Vec::new();
        for n in 0..2 {
            let body = resource(json!({ "title": format!("Round {round} shared resource {n}") }));
            shared.push(id_of(&app.publish_resource(&token, &body).await));
        }
        let done = Cell::new(false);
        let writers = async {
            join_all((0..4).map(|w| writer(app, round, w, &shared))).await;
            done.set(true);
        };
        let reader = async {
            let mut pulls_with_news = 0;
            while !done.get() {
                if mirror.pull(app, 7).await > 0 {
                    pulls_with_news += 1;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            pulls_with_news
        };
        let ((), pulls_with_news) = futures_util::join!(writers, reader);
        assert!(
            pulls_with_news >= 3,
            "round {round}: the reader read only {pulls_with_news} times while writers wrote"
        );
        mirror.pull(app, 7).await;
        assert_mirrors(&mirror, &published_library(app).await);
    }
    assert_read_the_whole_log(app, &mirror).await;
    // A partner starting now, from the start, gets the same library.
    let mut late = Mirror::default();
    late.pull(app, 1000).await;
    assert_mirrors(&late, &published_library(app).await);
    assert!(late.resources.len() >= 10, "the rounds left a library worth comparing ({})", late.resources.len());
}

#[actix_web::test]
async fn concurrent_writers_and_a_replaying_reader_end_with_the_mirror_equal_to_the_library() {
    // Up to 26 requests at once (4 writers x 6, the reader) on a pool of 12: a staff write gives
    // its connection back before the search index takes one to refresh, so they queue, not stall.
    let app = TestApp::spawn_with(&[("DATABASE_POOL_SIZE", "12")]).await;
    concurrent_rounds(&app, 3).await;
}

/// Choosing the spotlight updates two rows, the old spotlight then the new one. Were the feed's
/// lock taken only when a change is logged, the first update would hold it while the second waits
/// for its row, and an edit of the new spotlight that got that row first would wait for the lock:
/// a deadlock, which Postgres breaks by failing one of them (a 500 to an editor; 5 or 6 of these
/// 180 requests did before every library write took the lock first).
#[actix_web::test]
async fn changing_the_spotlight_beside_concurrent_edits_never_fails() {
    let app = TestApp::spawn_with(&[("DATABASE_POOL_SIZE", "12")]).await;
    let first = app.token(Role::Editor).await;
    let second = app.token(Role::Editor).await;
    let a = id_of(&app.publish_resource(&first, &resource(json!({ "title": "Spotlight A" }))).await);
    let b = id_of(&app.publish_resource(&first, &resource(json!({ "title": "Spotlight B" }))).await);
    act(&app, &first, &a, "spotlight").await;
    let mut failed = Vec::new();
    for n in 0..60 {
        let (current, next) = if n % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let spotlight = app.post(&format!("/api/v1/admin/resources/{next}/spotlight")).bearer_auth(&first).send();
        let edit = |id: &String, summary: String| {
            app.patch(&format!("/api/v1/admin/resources/{id}"))
                .bearer_auth(&second)
                .json(&json!({ "summary": summary }))
                .send()
        };
        let (r1, r2, r3) =
            futures_util::join!(spotlight, edit(next, format!("Edited {n}")), edit(current, format!("Also {n}")));
        for response in [r1, r2, r3] {
            let response = response.unwrap();
            if response.status() != 200 {
                failed.push(format!("{n}: {} {}", response.url().path(), response.status()));
            }
        }
    }
    assert!(failed.is_empty(), "{} of 180 requests failed: {failed:?}", failed.len());
    let mut mirror = Mirror::default();
    mirror.pull(&app, 100).await;
    assert_mirrors(&mirror, &published_library(&app).await);
}

// ---------------------------------------------------------------------------------------------
// The export

/// Three published resources (one with text that CSV must quote), a draft and an archived one.
async fn export_library(app: &TestApp, token: &str) -> Value {
    let tricky = app
        .publish_resource(
            token,
            &resource(json!({
                "title": "Équité, \"santé\" rurale;\nñandú — 100% naïve",
                "summary": "First line, with a comma.\nSecond line: \"quoted\"\r\nThird, ünïcödé ✓",
                "domains": ["students-faculty", "community-engagement"],
                "topics": ["specialty-choice", "community-partnerships"],
                "professions": ["nursing"],
                "authors": ["Pérez, Ana", "O'Neil \"Bo\""],
                "source": "Revista, \"Salud\"",
                "year": 2021,
                "open_access": true,
                "url": "https://example.org/a?b=1&c=2",
                "doi": "10.1000/xyz123",
            })),
        )
        .await;
    app.publish_resource(token, &resource(json!({ "title": "Plain exported resource" }))).await;
    app.publish_resource(
        token,
        &resource(json!({ "title": "Another exported resource", "professions": ["medicine"] })),
    )
    .await;
    app.create_resource(token, &resource(json!({ "title": "Draft not exported" }))).await;
    let archived = app.publish_resource(token, &resource(json!({ "title": "Archived not exported" }))).await;
    act(app, token, &id_of(&archived), "archive").await;
    tricky
}

fn slugs(terms: &Value) -> Vec<Value> {
    terms.as_array().unwrap().iter().map(|t| t["slug"].clone()).collect()
}

const EXPORT_FIELDS: [&str; 16] = [
    "id",
    "slug",
    "title",
    "summary",
    "url",
    "resource_type",
    "domains",
    "topics",
    "professions",
    "year",
    "authors",
    "source",
    "doi",
    "open_access",
    "published_at",
    "updated_at",
];

/// The export's row for a resource as the library lists it.
fn expected_row(r: &Value) -> Value {
    json!({
        "id": r["id"], "slug": r["slug"], "title": r["title"], "summary": r["summary"], "url": r["url"],
        "resource_type": r["resource_type"]["slug"], "domains": slugs(&r["domains"]), "topics": slugs(&r["topics"]),
        "professions": slugs(&r["professions"]), "year": r["year"], "authors": r["authors"], "source": r["source"],
        "doi": r["doi"], "open_access": r["open_access"], "published_at": r["published_at"],
        "updated_at": r["updated_at"],
    })
}

async fn ndjson(app: &TestApp, path: &str) -> Vec<Value> {
    let response = app.get(path).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), Some("application/x-ndjson"));
    let disposition = header(&response, "content-disposition").unwrap().to_string();
    assert!(disposition.starts_with("attachment") && disposition.contains(".ndjson"), "{disposition}");
    let text = response.text().await.unwrap();
    assert!(text.is_empty() || text.ends_with('\n'));
    text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))).collect()
}

#[actix_web::test]
async fn the_ndjson_export_holds_each_published_resource_once_with_the_taxonomy_as_slugs() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    export_library(&app, &token).await;
    let library = published_library(&app).await;
    let total = app.get_json("/api/v1/resources").await["meta"]["total"].as_u64().unwrap();
    assert_eq!(total, 3);

    for path in [format!("{EXPORT}?format=ndjson"), EXPORT.to_string()] {
        let rows = ndjson(&app, &path).await;
        assert_eq!(rows.len() as u64, total, "{path}");
        let mut seen = HashSet::new();
        for row in &rows {
            let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys.len(), EXPORT_FIELDS.len(), "{row}");
            assert!(EXPORT_FIELDS.iter().all(|f| keys.contains(f)), "{row}");
            assert!(row["resource_type"].is_string(), "{row}");
            for vocabulary in ["domains", "topics", "professions"] {
                assert!(row[vocabulary].as_array().unwrap().iter().all(Value::is_string), "{row}");
            }
            let id = row["id"].as_str().unwrap();
            assert!(seen.insert(id.to_string()), "exported twice: {id}");
            let listed = library.get(id).unwrap_or_else(|| panic!("{id} is not published"));
            assert_eq!(row, &expected_row(listed));
        }
    }
}

#[actix_web::test]
async fn the_csv_export_opens_in_a_spreadsheet_with_every_character_intact() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let tricky = export_library(&app, &token).await;
    let library = published_library(&app).await;

    let response = app.get(&format!("{EXPORT}?format=csv")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), Some("text/csv; charset=utf-8"));
    let disposition = header(&response, "content-disposition").unwrap().to_string();
    assert!(disposition.starts_with("attachment") && disposition.contains(".csv"), "{disposition}");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 byte-order mark first");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");

    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header_row: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header_row, EXPORT_FIELDS);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), library.len());
    let by_id: HashMap<&str, &csv::StringRecord> = records.iter().map(|r| (r.get(0).unwrap(), r)).collect();
    assert_eq!(by_id.len(), library.len(), "each resource once");
    for (id, listed) in &library {
        let record = by_id.get(id.as_str()).unwrap_or_else(|| panic!("{id} missing from the CSV"));
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let join = |v: &Value, sep: &str| {
            v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect::<Vec<_>>().join(sep)
        };
        let expected = expected_row(listed);
        let year = expected["year"].as_i64().map(|y| y.to_string()).unwrap_or_default();
        let wanted = [
            text(&expected["id"]),
            text(&expected["slug"]),
            text(&expected["title"]),
            text(&expected["summary"]),
            text(&expected["url"]),
            text(&expected["resource_type"]),
            join(&expected["domains"], "|"),
            join(&expected["topics"], "|"),
            join(&expected["professions"], "|"),
            year,
            join(&expected["authors"], "; "),
            text(&expected["source"]),
            text(&expected["doi"]),
            expected["open_access"].to_string(),
        ];
        let got: Vec<&str> = record.iter().take(14).collect();
        assert_eq!(got, wanted, "{id}");
        assert_eq!(time(&json!(record.get(14).unwrap())), time(&listed["published_at"]));
        assert_eq!(time(&json!(record.get(15).unwrap())), time(&listed["updated_at"]));
    }
    // The hard one, spelled out: commas, quotes, a semicolon, line breaks and accents survive.
    let record = by_id[tricky["id"].as_str().unwrap()];
    assert_eq!(&record[2], "Équité, \"santé\" rurale;\nñandú — 100% naïve");
    assert_eq!(&record[3], tricky["summary"].as_str().unwrap());
    assert!(record[3].contains('\n') && record[3].contains("ünïcödé ✓"));
    assert_eq!(&record[10], "Pérez, Ana; O'Neil \"Bo\"");
    assert_eq!(&record[11], "Revista, \"Salud\"");
    let mut domains: Vec<&str> = record[6].split('|').collect();
    domains.sort();
    assert_eq!(domains, ["community-engagement", "students-faculty"]);
}

#[actix_web::test]
async fn an_unknown_export_format_is_a_422() {
    let app = TestApp::spawn().await;
    for format in ["xml", "CSV", ""] {
        let response = app.get(&format!("{EXPORT}?format={format}")).send().await.unwrap();
        assert_eq!(
            invalid_fields(response).await,
            [("format".to_string(), "invalid_choice".to_string())],
            "{format:?}"
        );
    }
    let empty = ndjson(&app, EXPORT).await;
    assert!(empty.is_empty(), "an empty library exports nothing");
    let csv = app.get(&format!("{EXPORT}?format=csv")).send().await.unwrap().bytes().await.unwrap();
    let text = std::str::from_utf8(&csv).unwrap();
    let head = format!("\u{feff}{}", EXPORT_FIELDS.join(","));
    assert!([format!("{head}\n"), format!("{head}\r\n")].contains(&text.to_string()), "just the header: {text:?}");
}

/// Each export streams on a connection of its own, a few at a time: one more waits a moment for a
/// place, then is refused with a 503 problem (before any byte of the export), and is served once
/// a place is free again.
#[actix_web::test]
async fn an_export_beyond_the_streams_at_once_is_a_503_until_one_ends() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let published = app.publish_resource(&token, &resource(json!({ "title": "Streamed alone" }))).await;
    let held = app.take_every_stream_place().await;
    let response = app.get(EXPORT).send().await.unwrap();
    assert!(response.headers().contains_key("retry-after"));
    let body = refused(response, ProblemType::Unavailable).await;
    assert!(body["detail"].as_str().unwrap().contains("too many exports"), "{body}");
    drop(held);
    let rows = ndjson(&app, EXPORT).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], published["id"]);
}

/// Waits until this instance's index holds what was written straight into the database.
async fn until_indexed(app: &TestApp, token: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let public = app.get_json("/api/v1/resources?per_page=1").await;
        let staff =
            app.get("/api/v1/admin/resources?status=published&per_page=1").bearer_auth(token).json_value().await;
        if public["meta"]["total"] == staff["meta"]["total"] {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "the index never caught up: {public} vs {staff}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn a_large_library_exports_and_replays_whole_across_batches_and_pages() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    social_mission_api::resources::seed::synthetic(&mut app.db().await, 2300).await.unwrap();
    until_indexed(&app, &token).await;
    let library = published_library(&app).await;
    assert!(library.len() > 2000, "more than two export batches ({})", library.len());

    let rows = ndjson(&app, EXPORT).await;
    assert_eq!(rows.len(), library.len());
    // In id order across the batches read ahead; the seed's ids are time-ordered (version 7) as
    // the service's own are, so that order is the order the rows were written in.
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "the export is in id order");
    assert!(ids.iter().all(|id| uuid::Uuid::parse_str(id).unwrap().get_version_num() == 7), "UUIDv7 ids");
    let exported: HashSet<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(exported, library.keys().map(String::as_str).collect::<HashSet<_>>());
    for row in &rows {
        assert_eq!(row, &expected_row(&library[row["id"].as_str().unwrap()]));
    }

    let csv = app.get(&format!("{EXPORT}?format=csv")).send().await.unwrap().bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let ids: HashSet<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(ids.len(), library.len());

    let mut mirror = Mirror::default();
    mirror.pull(&app, 1000).await;
    assert_mirrors(&mirror, &library);
    assert_read_the_whole_log(&app, &mirror).await;
}

// ---------------------------------------------------------------------------------------------
// What a partner receives

#[actix_web::test]
async fn nothing_a_partner_receives_holds_a_staff_only_field_or_a_person() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let (editor_id, editor_tokens) = app.login_as(Role::Editor).await;
    let token = editor_tokens["access_token"].as_str().unwrap().to_string();
    let (_, issued) = partner_with_key(&app, &admin).await;
    let key = key_of(&issued);

    // A resource that came from a suggestion by a person who left their email, and the spotlight.
    let suggestion = app
        .post("/api/v1/suggestions")
        .json(&json!({ "title": "A suggested resource on rural pathways", "url": "https://example.org/suggested",
            "why": "Because.", "submitter_name": "Ada Submitter", "submitter_email": "ada.submitter@example.org",
            "consent_to_contact": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(suggestion.status(), 201);
    let suggestion_id = id_of(&suggestion.json::<Value>().await.unwrap());
    let accepted: Value = app
        .post(&format!("/api/v1/admin/suggestions/{suggestion_id}/accept"))
        .bearer_auth(&token)
        .json(&json!({ "resource_type": "peer-reviewed-article" }))
        .json_value()
        .await;
    let from_suggestion = accepted["resource_id"].as_str().unwrap().to_string();
    act(&app, &token, &from_suggestion, "publish").await;
    act(&app, &token, &from_suggestion, "spotlight").await;
    let other = app.publish_resource(&token, &resource(json!({ "title": "Another public resource" }))).await;
    patch(&app, &token, &id_of(&other), &json!({ "summary": "Edited." })).await;
    let gone = app.publish_resource(&token, &resource(json!({ "title": "Soon unpublished" }))).await;
    act(&app, &token, &id_of(&gone), "unpublish").await;

    let staff_view: Value =
        app.get(&format!("/api/v1/admin/resources/{from_suggestion}")).bearer_auth(&token).json_value().await;
    assert_eq!(staff_view["suggestion_id"], suggestion_id.as_str(), "staff see where it came from");
    assert_eq!(staff_view["is_spotlight"], true);

    let forbidden = ["status", "is_spotlight", "created_at", "suggestion_id", "created_by", "updated_by", "email"];
    let fetch = |path: String| {
        let request = app.get(&path).header("x-api-key", &key);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.unwrap()
        }
    };
    let feed_text = fetch(CHANGES.to_string()).await;
    let feed: Value = serde_json::from_str(&feed_text).unwrap();
    assert!(feed["data"].as_array().unwrap().len() >= 5, "{feed}");
    let mut objects = Vec::new();
    for change in feed["data"].as_array().unwrap() {
        objects.push(change.clone());
        if !change["resource"].is_null() {
            objects.push(change["resource"].clone());
        }
    }
    let ndjson_text = fetch(EXPORT.to_string()).await;
    objects.extend(ndjson_text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()));
    assert!(objects.iter().any(|o| o["id"] == from_suggestion.as_str() && o.get("title").is_some()));
    for object in &objects {
        for field in forbidden {
            assert!(object.get(field).is_none(), "{field} in {object}");
        }
    }
    let csv_text = fetch(format!("{EXPORT}?format=csv")).await;
    let csv_header: Vec<String> = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes())
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    for field in forbidden {
        assert!(!csv_header.iter().any(|h| h == field), "{field} in the CSV header");
    }
    // No email, no person, no staff member anywhere (none of the public data holds an `@`).
    for text in [&feed_text, &ndjson_text, &csv_text] {
        assert!(!text.contains('@'), "an email address in what a partner receives: {text}");
        assert!(!text.contains("Ada Submitter") && !text.contains(&editor_id.to_string()), "{text}");
        assert!(!text.contains(&suggestion_id), "the suggestion's id in {text}");
    }
}
