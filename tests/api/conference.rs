//! The conference: editions (staff create, merge-patch and publish them; everyone reads the
//! published ones, upcoming first), the agenda in the edition's time zone, registration types,
//! registrations that never oversell (forty at once for ten seats, many rounds), the waiting list
//! and its promotions, one's own registration by code and token, confirmation emails through a
//! real SMTP sink, the staff's list, CSV, check-in, payment and cancellation, and no attendee's
//! details on any anonymous answer.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use social_mission_api::db::schema::{registration_types, registrations};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::smtp::{Mail, SmtpSink};
use crate::helpers::{invalid_fields, problem, refused, TestApp};

const ADMIN: &str = "/api/v1/admin/conferences";
const PUBLIC: &str = "/api/v1/conferences";
const OWN: &str = "/api/v1/registrations";
/// The website whose pages the links in messages open (`WEBSITE_URL`).
const WEBSITE: &str = "https://www.example.org";
const MAIL_WAIT: Duration = Duration::from_secs(20);
/// Crockford's base32: the alphabet of confirmation codes.
const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// ---------------------------------------------------------------------------------------------
// Fixture: bodies, and editions, types, sessions and calls made through the staff endpoints.
// ---------------------------------------------------------------------------------------------

fn merged(mut body: Value, overrides: Value) -> Value {
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// A valid edition (Beyond Flexner 2027, Tulsa, April 2027, America/Chicago): override fields
/// with `edition(json!({...}))`.
fn edition(overrides: Value) -> Value {
    merged(
        json!({
            "name": "Beyond Flexner 2027",
            "theme": "Health equity through the social mission",
            "starts_on": "2027-04-14",
            "ends_on": "2027-04-16",
            "time_zone": "America/Chicago",
            "venue": "Hyatt Regency Tulsa",
            "city": "Tulsa, Oklahoma",
            "description": "The annual meeting of the social mission movement.",
        }),
        overrides,
    )
}

/// A valid registration type: override fields with `reg_type(json!({...}))`.
fn reg_type(overrides: Value) -> Value {
    merged(json!({ "name": "Professional", "price_minor": 45000, "currency": "USD", "capacity": 100 }), overrides)
}

/// A valid registration for `email`.
fn attendee(type_id: &str, email: &str) -> Value {
    json!({
        "registration_type_id": type_id,
        "name": "Ada Lovelace",
        "email": email,
        "institution": "University of Tulsa",
        "role": "Faculty",
        "profession": "Medicine",
        "consent": true,
    })
}

async fn create_edition(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post(ADMIN).bearer_auth(token).json(body).send().await.unwrap()
}

/// Creates an edition and returns it as staff see it, asserting 201.
async fn created_edition(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = create_edition(app, token, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn patch_edition(app: &TestApp, token: &str, slug: &str, body: &Value) -> reqwest::Response {
    app.patch(&format!("{ADMIN}/{slug}")).bearer_auth(token).json(body).send().await.unwrap()
}

async fn publish(app: &TestApp, token: &str, slug: &str) {
    let response = patch_edition(app, token, slug, &json!({ "status": "published" })).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

async fn add_type(app: &TestApp, token: &str, slug: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("{ADMIN}/{slug}/registration-types")).bearer_auth(token).json(body).send().await.unwrap()
}

/// Adds a registration type, asserting 201; returns its id.
async fn added_type(app: &TestApp, token: &str, slug: &str, body: &Value) -> String {
    let response = add_type(app, token, slug, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let created: Value = response.json().await.unwrap();
    created["id"].as_str().unwrap().to_string()
}

async fn replace_type(app: &TestApp, token: &str, slug: &str, id: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(&format!("{ADMIN}/{slug}/registration-types/{id}")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn add_session(app: &TestApp, token: &str, slug: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("{ADMIN}/{slug}/sessions")).bearer_auth(token).json(body).send().await.unwrap()
}

fn session(title: &str, starts_local: &str, ends_local: &str) -> Value {
    json!({ "title": title, "starts_local": starts_local, "ends_local": ends_local })
}

async fn add_call(app: &TestApp, token: &str, slug: &str, body: &Value) -> Value {
    let response = app.post(&format!("{ADMIN}/{slug}/calls")).bearer_auth(token).json(body).send().await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// A published edition named `name` with one registration type of `capacity` seats: (slug, type id).
async fn published_with_type(app: &TestApp, token: &str, name: &str, capacity: i32) -> (String, String) {
    let created = created_edition(app, token, &edition(json!({ "name": name }))).await;
    let slug = created["slug"].as_str().unwrap().to_string();
    let type_id = added_type(app, token, &slug, &reg_type(json!({ "capacity": capacity }))).await;
    publish(app, token, &slug).await;
    (slug, type_id)
}

async fn register(app: &TestApp, slug: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("{PUBLIC}/{slug}/registrations")).json(body).send().await.unwrap()
}

/// Registers and returns the receipt, asserting 201.
async fn registered(app: &TestApp, slug: &str, body: &Value) -> Value {
    let response = register(app, slug, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn code_of(receipt: &Value) -> String {
    receipt["code"].as_str().unwrap().to_string()
}

fn token_of(receipt: &Value) -> String {
    receipt["manage_token"].as_str().unwrap().to_string()
}

async fn own(app: &TestApp, code: &str, token: &str) -> reqwest::Response {
    app.get(&format!("{OWN}/{code}?token={token}")).send().await.unwrap()
}

/// One's own registration as its attendee reads it, asserting 200.
async fn own_json(app: &TestApp, receipt: &Value) -> Value {
    let response = own(app, &code_of(receipt), &token_of(receipt)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn cancel_own(app: &TestApp, code: &str, token: &str) -> reqwest::Response {
    app.delete(&format!("{OWN}/{code}?token={token}")).send().await.unwrap()
}

/// The public page of a published edition.
async fn public_page(app: &TestApp, slug: &str) -> Value {
    app.get_json(&format!("{PUBLIC}/{slug}")).await
}

fn type_on<'a>(page: &'a Value, id: &str) -> &'a Value {
    page["registration_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("type {id} on the page: {page}"))
}

fn sorted_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn date_from_today(days: i64) -> String {
    let today = Utc::now().date_naive();
    let date = if days >= 0 {
        today.checked_add_days(Days::new(days as u64))
    } else {
        today.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    date.unwrap().to_string()
}

fn in_hours(hours: i64) -> String {
    (Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

/// Stored registrations of a type with this status.
async fn stored_with_status(app: &TestApp, type_id: &str, status: &str) -> i64 {
    let id = uuid::Uuid::parse_str(type_id).unwrap();
    registrations::table
        .filter(registrations::registration_type_id.eq(id).and(registrations::status.eq(status)))
        .count()
        .get_result(&mut app.db().await)
        .await
        .unwrap()
}

/// The type's `seats_taken`, as Postgres keeps it.
async fn seats_taken(app: &TestApp, type_id: &str) -> i32 {
    let id = uuid::Uuid::parse_str(type_id).unwrap();
    registration_types::table.find(id).select(registration_types::seats_taken).first(&mut app.db().await).await.unwrap()
}

/// `GET` as staff and parse JSON, asserting 200.
trait GetAs {
    async fn get_json_as(&self, path: &str, token: &str) -> Value;
}

impl GetAs for TestApp {
    async fn get_json_as(&self, path: &str, token: &str) -> Value {
        let response = self.get(path).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}: {}", response.text().await.unwrap());
        response.json().await.unwrap()
    }
}

/// The app sending mail to a real SMTP sink, its links pointing at `WEBSITE`.
async fn spawn_with_mail() -> (TestApp, SmtpSink) {
    TestApp::spawn_with_mail(&[("WEBSITE_URL", WEBSITE)]).await
}

/// Waits until `n` messages to `address` arrived; returns them in the order they arrived.
async fn mail_to(sink: &SmtpSink, address: &str, n: usize) -> Vec<Mail> {
    let deadline = Instant::now() + MAIL_WAIT;
    loop {
        let mails: Vec<Mail> = sink.messages().into_iter().filter(|m| m.envelope_to == [address]).collect();
        if mails.len() >= n {
            return mails;
        }
        assert!(Instant::now() < deadline, "expected {n} message(s) to {address}, got {}", mails.len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Editions
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn an_edition_is_created_as_a_draft_with_a_slug_made_from_its_name() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let response = create_edition(&app, &token, &edition(json!({}))).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], format!("{ADMIN}/beyond-flexner-2027"));
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["slug"], "beyond-flexner-2027");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["name"], "Beyond Flexner 2027");
    assert_eq!(created["starts_on"], "2027-04-14");
    assert_eq!(created["ends_on"], "2027-04-16");
    assert_eq!(created["time_zone"], "America/Chicago");
    assert_eq!(created["city"], "Tulsa, Oklahoma");
    assert_eq!(created["lodging"], json!([]));
    assert_eq!(created["agenda"], json!([]));
    assert_eq!(created["registration_types"], json!([]));
    assert!(uuid::Uuid::parse_str(created["id"].as_str().unwrap()).is_ok());

    let read = app.get_json_as(&format!("{ADMIN}/beyond-flexner-2027"), &token).await;
    assert_eq!(read["id"], created["id"]);
    assert_eq!(app.count("conferences WHERE status = 'draft'").await, 1);

    // An explicit slug is kept.
    let other = created_edition(&app, &token, &edition(json!({ "name": "Another", "slug": "bf-2028" }))).await;
    assert_eq!(other["slug"], "bf-2028");
}

#[actix_web::test]
async fn an_invalid_edition_names_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let hotel = |url: &str| json!([{ "name": "Hyatt Regency Tulsa", "booking_url": url }]);
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("unknown zone", edition(json!({ "time_zone": "Mars/Olympus" })), "time_zone", "invalid_time_zone"),
        ("ends before it starts", edition(json!({ "ends_on": "2027-04-13" })), "ends_on", "out_of_range"),
        (
            "hotel link",
            edition(json!({ "lodging": hotel("javascript:alert(1)") })),
            "lodging[0].booking_url",
            "invalid_url",
        ),
        ("unknown field", edition(json!({ "colour": "teal" })), "colour", "unknown_field"),
        ("blank name", edition(json!({ "name": "   " })), "name", "required"),
        ("bad slug", edition(json!({ "slug": "Not A Slug" })), "slug", "invalid_slug"),
        (
            "calendar kind",
            edition(json!({ "important_dates": [{ "kind": "party", "label": "Party", "date": "2027-04-15" }] })),
            "important_dates[0].kind",
            "invalid_choice",
        ),
    ];
    for (case, body, field, code) in cases {
        let fields = invalid_fields(create_edition(&app, &token, &body).await).await;
        assert_eq!(fields, [(field.to_string(), code.to_string())], "{case}");
        assert_eq!(app.count("conferences").await, 0, "{case}: nothing is stored");
    }
    // The same edition without the faults is accepted.
    created_edition(&app, &token, &edition(json!({ "lodging": hotel("https://example.org/book") }))).await;
    assert_eq!(app.count("conferences").await, 1);
}

#[actix_web::test]
async fn a_slug_already_taken_is_409() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let again = refused(create_edition(&app, &token, &edition(json!({}))).await, ProblemType::SlugTaken).await;
    assert!(again["detail"].as_str().unwrap().contains("beyond-flexner-2027"), "{again}");
    let explicit = edition(json!({ "name": "Something else", "slug": "beyond-flexner-2027" }));
    refused(create_edition(&app, &token, &explicit).await, ProblemType::SlugTaken).await;
    assert_eq!(app.count("conferences").await, 1);

    // Renaming another edition's slug onto it is a 409 too.
    created_edition(&app, &token, &edition(json!({ "name": "Beyond Flexner 2028" }))).await;
    let rename = patch_edition(&app, &token, "beyond-flexner-2028", &json!({ "slug": "beyond-flexner-2027" })).await;
    refused(rename, ProblemType::SlugTaken).await;
    assert_eq!(app.count("conferences WHERE slug = 'beyond-flexner-2028'").await, 1);
}

#[actix_web::test]
async fn a_patch_changes_only_the_fields_sent_and_a_list_sent_replaces_the_stored_one() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let hotels = json!([
        { "name": "Hyatt Regency Tulsa", "address": "100 E 2nd St", "booking_url": "https://example.org/hyatt",
          "group_rate": "$159 per night", "booking_deadline": "2027-03-20" },
        { "name": "Mayo Hotel", "booking_url": "https://example.org/mayo" },
    ]);
    let dates = json!([{ "kind": "registration_opens", "label": "Registration opens", "date": "2027-01-10" }]);
    let awards = json!([{ "name": "Social Mission Award", "description": "For a career.", "nomination_deadline": "2027-02-01" }]);
    let body = edition(json!({ "lodging": hotels, "important_dates": dates, "awards": awards }));
    let before = created_edition(&app, &token, &body).await;
    let slug = "beyond-flexner-2027";

    let response = patch_edition(&app, &token, slug, &json!({ "theme": "  A new theme  " })).await;
    assert_eq!(response.status(), 200);
    let after: Value = response.json().await.unwrap();
    assert_eq!(after["theme"], "A new theme", "stored trimmed");
    for field in ["name", "starts_on", "ends_on", "time_zone", "venue", "city", "description", "status", "slug"] {
        assert_eq!(after[field], before[field], "{field} is unchanged");
    }
    assert_eq!(after["lodging"], before["lodging"]);
    assert_eq!(after["lodging"][0]["group_rate"], "$159 per night");
    assert_eq!(after["lodging"][0]["booking_deadline"], "2027-03-20");
    assert_eq!(after["important_dates"], before["important_dates"]);
    assert_eq!(after["awards"], before["awards"]);

    let one_hotel = json!([{ "name": "Aloft Tulsa Downtown", "booking_url": "https://example.org/aloft" }]);
    let after: Value = patch_edition(&app, &token, slug, &json!({ "lodging": one_hotel })).await.json().await.unwrap();
    let lodging = after["lodging"].as_array().unwrap();
    assert_eq!(lodging.len(), 1, "the list was replaced, not appended to");
    assert_eq!(lodging[0]["name"], "Aloft Tulsa Downtown");
    assert_eq!(after["theme"], "A new theme");
    assert_eq!(after["awards"], before["awards"], "the other lists are kept");
    assert_eq!(after["important_dates"], before["important_dates"]);

    // The merged result is validated as a whole, and a refused patch changes nothing.
    let fields = invalid_fields(patch_edition(&app, &token, slug, &json!({ "ends_on": "2027-04-01" })).await).await;
    assert_eq!(fields, [("ends_on".to_string(), "out_of_range".to_string())]);
    let fields = invalid_fields(patch_edition(&app, &token, slug, &json!({ "time_zone": "Central Time" })).await).await;
    assert_eq!(fields, [("time_zone".to_string(), "invalid_time_zone".to_string())]);
    let fields = invalid_fields(patch_edition(&app, &token, slug, &json!({ "name": "" })).await).await;
    assert_eq!(fields, [("name".to_string(), "required".to_string())]);
    let fields = invalid_fields(patch_edition(&app, &token, slug, &json!({ "capacity": 5 })).await).await;
    assert_eq!(fields, [("capacity".to_string(), "unknown_field".to_string())]);
    let fields = invalid_fields(patch_edition(&app, &token, slug, &json!({ "status": "archived" })).await).await;
    assert_eq!(fields, [("status".to_string(), "invalid_choice".to_string())]);
    let unchanged = app.get_json_as(&format!("{ADMIN}/{slug}"), &token).await;
    assert_eq!(unchanged["ends_on"], "2027-04-16");
    assert_eq!(unchanged["time_zone"], "America/Chicago");
    assert_eq!(unchanged["name"], "Beyond Flexner 2027");

    problem(patch_edition(&app, &token, "no-such-edition", &json!({ "theme": "x" })).await, 404).await;
}

#[actix_web::test]
async fn publishing_shows_an_edition_to_everyone_and_a_draft_is_404_publicly() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    problem(app.get(&format!("{PUBLIC}/{slug}")).send().await.unwrap(), 404).await;
    let list = app.get_json(PUBLIC).await;
    assert_eq!(list["meta"]["total"], 0, "a draft is not listed: {list}");

    let response = patch_edition(&app, &token, slug, &json!({ "status": "published" })).await;
    assert_eq!(response.status(), 200);
    let published: Value = response.json().await.unwrap();
    assert_eq!(published["status"], "published");
    let page = public_page(&app, slug).await;
    assert_eq!(page["name"], "Beyond Flexner 2027");
    assert!(page.get("status").is_none() && page.get("id").is_none(), "no staff fields: {page}");
    assert_eq!(app.get_json(PUBLIC).await["meta"]["total"], 1);

    // Back to draft: gone again.
    patch_edition(&app, &token, slug, &json!({ "status": "draft" })).await;
    problem(app.get(&format!("{PUBLIC}/{slug}")).send().await.unwrap(), 404).await;
    problem(app.get(&format!("{PUBLIC}/no-such-edition")).send().await.unwrap(), 404).await;
}

#[actix_web::test]
async fn the_public_list_holds_published_editions_upcoming_soonest_first_then_past_most_recent_first() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    // (name, starts in days, ends in days, published)
    let editions = [
        ("Far future", 400, 402, true),
        ("Long ago", -800, -798, true),
        ("Next month", 30, 32, true),
        ("Last year", -300, -298, true),
        ("Draft soon", 10, 12, false),
        ("Happening now", -1, 2, true),
        ("Last month", -40, -38, true),
        ("Draft past", -20, -19, false),
    ];
    for (name, starts, ends, published) in editions {
        let body =
            edition(json!({ "name": name, "starts_on": date_from_today(starts), "ends_on": date_from_today(ends) }));
        let created = created_edition(&app, &token, &body).await;
        if published {
            publish(&app, &token, created["slug"].as_str().unwrap()).await;
        }
    }
    let list = app.get_json(PUBLIC).await;
    let names: Vec<&str> = list["data"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Happening now", "Next month", "Far future", "Last month", "Last year", "Long ago"]);
    let upcoming: Vec<bool> =
        list["data"].as_array().unwrap().iter().map(|e| e["upcoming"].as_bool().unwrap()).collect();
    assert_eq!(upcoming, [true, true, true, false, false, false]);
    assert_eq!(list["meta"]["total"], 6);

    let page = app.get_json(&format!("{PUBLIC}?per_page=2&page=2")).await;
    let names: Vec<&str> = page["data"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Far future", "Last month"]);

    // Staff see the drafts too, in the same order.
    let all = app.get_json_as(&format!("{ADMIN}?per_page=100"), &token).await;
    let names: Vec<&str> = all["data"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Happening now",
            "Draft soon",
            "Next month",
            "Far future",
            "Draft past",
            "Last month",
            "Last year",
            "Long ago"
        ]
    );
}

#[actix_web::test]
async fn a_past_edition_without_dates_is_served_with_null_dates_and_sorts_by_its_year() {
    use chrono::Datelike;
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let this_year = Utc::now().year();
    let undated = |name: &str, year: i32| {
        let mut body = edition(json!({ "name": name, "year": year }));
        let fields = body.as_object_mut().unwrap();
        fields.remove("starts_on");
        fields.remove("ends_on");
        body
    };
    for (name, days) in [("Next month", 30), ("Long ago", -800)] {
        let body =
            edition(json!({ "name": name, "starts_on": date_from_today(days), "ends_on": date_from_today(days + 2) }));
        let slug = created_edition(&app, &token, &body).await["slug"].as_str().unwrap().to_string();
        publish(&app, &token, &slug).await;
    }
    for (name, years_ago) in [("Ten years ago", 10), ("Five years ago", 5)] {
        let created = created_edition(&app, &token, &undated(name, this_year - years_ago)).await;
        assert_eq!((created["starts_on"].clone(), created["ends_on"].clone()), (Value::Null, Value::Null));
        assert_eq!(created["year"], this_year - years_ago);
        publish(&app, &token, created["slug"].as_str().unwrap()).await;
    }

    let list = app.get_json(PUBLIC).await;
    let data = list["data"].as_array().unwrap();
    let names: Vec<&str> = data.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Next month", "Long ago", "Five years ago", "Ten years ago"]);
    let five = &data[2];
    assert_eq!((five["starts_on"].is_null(), five["ends_on"].is_null()), (true, true));
    assert_eq!((five["year"].as_i64(), five["upcoming"].as_bool()), (Some(this_year as i64 - 5), Some(false)));
    let page = app.get_json(&format!("{PUBLIC}/ten-years-ago")).await;
    assert_eq!((page["starts_on"].clone(), page["year"].as_i64()), (Value::Null, Some(this_year as i64 - 10)));

    // A draft of a coming year may wait for its dates; published, it must have them.
    let next = created_edition(&app, &token, &undated("Next year", this_year + 1)).await;
    let slug = next["slug"].as_str().unwrap();
    let refused = patch_edition(&app, &token, slug, &json!({ "status": "published" })).await;
    assert_eq!(invalid_fields(refused).await, [("starts_on".to_string(), "required".to_string())]);
    let dated = patch_edition(
        &app,
        &token,
        slug,
        &json!({ "starts_on": format!("{}-04-14", this_year + 1), "ends_on": format!("{}-04-16", this_year + 1), "year": null, "status": "published" }),
    )
    .await;
    assert_eq!(dated.status(), 200, "{}", dated.text().await.unwrap());

    // Dates come both or neither, and the year is theirs; an edition without dates needs a year.
    let mut no_year = undated("No year", 2016);
    no_year.as_object_mut().unwrap().remove("year");
    assert_eq!(
        invalid_fields(create_edition(&app, &token, &no_year).await).await,
        [("year".to_string(), "required".to_string())]
    );
    let mut one_date = undated("One date", 2016);
    one_date["starts_on"] = json!("2016-05-01");
    assert_eq!(
        invalid_fields(create_edition(&app, &token, &one_date).await).await,
        [("ends_on".to_string(), "required".to_string())]
    );
    let other_year = edition(json!({ "name": "Other year", "year": 2026 }));
    assert_eq!(
        invalid_fields(create_edition(&app, &token, &other_year).await).await,
        [("year".to_string(), "out_of_range".to_string())]
    );

    // The database holds the same rule whatever writes.
    let mut conn = app.db().await;
    let err = diesel::sql_query(format!(
        "INSERT INTO conferences (id, slug, name, time_zone, year, status) \
         VALUES (gen_random_uuid(), 'raw', 'Raw', 'UTC', {}, 'published')",
        this_year
    ))
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("must have its dates"), "{err}");
}

#[actix_web::test]
async fn the_seeded_past_editions_carry_only_what_the_home_page_says() {
    let app = TestApp::spawn().await;
    social_mission_api::seed::demo(&mut app.db().await, 0).await.unwrap();
    let list = app.get_json(&format!("{PUBLIC}?per_page=100")).await;
    let data = list["data"].as_array().unwrap();
    let past: Vec<(&str, i64, &str, bool, bool)> = data
        .iter()
        .filter(|e| e["upcoming"] == false)
        .map(|e| {
            (
                e["name"].as_str().unwrap(),
                e["year"].as_i64().unwrap(),
                e["city"].as_str().unwrap(),
                e["starts_on"].is_null(),
                e["ends_on"].is_null(),
            )
        })
        .collect();
    assert_eq!(
        past,
        [
            ("Beyond Flexner 2018", 2018, "", true, true),
            ("Beyond Flexner 2016", 2016, "", true, true),
            ("Beyond Flexner 2015", 2015, "", true, true),
            ("Beyond Flexner 2012", 2012, "Tulsa, Oklahoma", true, true),
        ]
    );
    assert_eq!(data[0]["upcoming"], true, "the sample upcoming edition comes first");
    let tulsa = app.get_json(&format!("{PUBLIC}/beyond-flexner-2012")).await;
    assert_eq!((tulsa["description"].as_str(), tulsa["theme"].as_str()), (Some(""), Some("")));
}

#[actix_web::test]
async fn an_editions_page_has_lodging_its_calendar_in_date_order_awards_the_agenda_in_its_zone_types_and_calls() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let body = edition(json!({
        "lodging": [{ "name": "Hyatt Regency Tulsa", "booking_url": "https://example.org/hyatt",
                      "group_rate": "$159 per night", "booking_deadline": "2027-03-20" }],
        "important_dates": [
            { "kind": "registration_closes", "label": "Registration closes", "date": "2027-04-01" },
            { "kind": "registration_opens", "label": "Registration opens", "date": "2027-01-10" },
            { "kind": "early_bird_ends", "label": "Early-bird ends", "date": "2027-02-15" },
        ],
        "awards": [{ "name": "Social Mission Award", "description": "For a career of service.", "nomination_deadline": "2027-02-01" }],
    }));
    created_edition(&app, &token, &body).await;
    let slug = "beyond-flexner-2027";
    for (title, starts, ends) in [
        ("Lunch plenary", "2027-04-15T12:00:00", "2027-04-15T13:00:00"),
        ("Opening keynote", "2027-04-15T09:00:00", "2027-04-15T10:30:00"),
        ("Workshops", "2027-04-15T10:45:00", "2027-04-15T11:45:00"),
    ] {
        assert_eq!(add_session(&app, &token, slug, &session(title, starts, ends)).await.status(), 201);
    }
    let student = added_type(
        &app,
        &token,
        slug,
        &reg_type(json!({ "name": "Student", "price_minor": 7500, "capacity": 2, "position": 1 })),
    )
    .await;
    let professional = added_type(&app, &token, slug, &reg_type(json!({ "position": 0 }))).await;
    let later = added_type(
        &app,
        &token,
        slug,
        &reg_type(json!({ "name": "Late", "position": 2, "sales_start": in_hours(48), "sales_end": in_hours(96) })),
    )
    .await;
    add_call(
        &app,
        &token,
        slug,
        &json!({ "kind": "presentation", "title": "Presentations", "deadline": in_hours(24 * 30), "word_limit": 300 }),
    )
    .await;
    add_call(&app, &token, slug, &json!({ "kind": "poster", "title": "Student posters", "opens_at": in_hours(24), "deadline": in_hours(24 * 40), "word_limit": 250 })).await;
    add_call(
        &app,
        &token,
        slug,
        &json!({ "kind": "workshop", "title": "Closed workshops", "deadline": in_hours(-1), "word_limit": 500 }),
    )
    .await;
    publish(&app, &token, slug).await;
    registered(&app, slug, &attendee(&student, "first.student@example.org")).await;

    let page = public_page(&app, slug).await;
    assert_eq!(page["slug"], slug);
    assert_eq!(page["theme"], "Health equity through the social mission");
    assert_eq!(page["venue"], "Hyatt Regency Tulsa");
    assert_eq!(page["upcoming"], true);
    assert_eq!(page["lodging"][0]["name"], "Hyatt Regency Tulsa");
    assert_eq!(page["lodging"][0]["booking_url"], "https://example.org/hyatt");
    assert_eq!(page["lodging"][0]["group_rate"], "$159 per night");
    assert_eq!(page["lodging"][0]["booking_deadline"], "2027-03-20");
    let calendar: Vec<(&str, &str)> = page["important_dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap(), d["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        calendar,
        [
            ("registration_opens", "2027-01-10"),
            ("early_bird_ends", "2027-02-15"),
            ("registration_closes", "2027-04-01")
        ]
    );
    assert_eq!(page["awards"][0]["name"], "Social Mission Award");
    assert_eq!(page["awards"][0]["nomination_deadline"], "2027-02-01");

    let agenda: Vec<(&str, &str, &str, &str)> = page["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let field = |f: &str| s[f].as_str().unwrap();
            (field("title"), field("starts_local"), field("starts_at"), field("ends_local"))
        })
        .collect();
    assert_eq!(
        agenda,
        [
            ("Opening keynote", "2027-04-15T09:00:00", "2027-04-15T14:00:00Z", "2027-04-15T10:30:00"),
            ("Workshops", "2027-04-15T10:45:00", "2027-04-15T15:45:00Z", "2027-04-15T11:45:00"),
            ("Lunch plenary", "2027-04-15T12:00:00", "2027-04-15T17:00:00Z", "2027-04-15T13:00:00"),
        ]
    );
    assert_eq!(page["agenda"][0]["ends_at"], "2027-04-15T15:30:00Z");

    let types: Vec<&str> =
        page["registration_types"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(types, ["Professional", "Student", "Late"], "in display order");
    let s = type_on(&page, &student);
    assert_eq!((s["price_minor"].as_i64(), s["currency"].as_str()), (Some(7500), Some("USD")));
    assert_eq!((s["capacity"].as_i64(), s["seats_left"].as_i64()), (Some(2), Some(1)));
    assert_eq!(s["on_sale"], true);
    assert_eq!(type_on(&page, &professional)["seats_left"], 100);
    assert_eq!(type_on(&page, &later)["on_sale"], false, "its sales have not started");

    let calls: Vec<(&str, &str, bool)> = page["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["title"].as_str().unwrap(), c["kind"].as_str().unwrap(), c["open"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        calls,
        [
            ("Closed workshops", "workshop", false),
            ("Presentations", "presentation", true),
            ("Student posters", "poster", false),
        ],
        "by deadline; open only between opening and deadline"
    );
    assert_eq!(page["calls"][1]["word_limit"], 300);
}

#[actix_web::test]
async fn public_reads_carry_an_etag_answered_with_304_until_the_page_changes() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 5).await;
    for path in [PUBLIC.to_string(), format!("{PUBLIC}/{slug}")] {
        let first = app.get(&path).send().await.unwrap();
        assert_eq!(first.status(), 200);
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert!(first.headers()["cache-control"].to_str().unwrap().contains("public"));
        let again = app.get(&path).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        let other = app.get(&path).header("If-None-Match", "\"something-else\"").send().await.unwrap();
        assert_eq!(other.status(), 200);
    }
    // A registration changes the seats left, so the page's ETag changes.
    let path = format!("{PUBLIC}/{slug}");
    let etag = app.get(&path).send().await.unwrap().headers()["etag"].to_str().unwrap().to_string();
    registered(&app, &slug, &attendee(&type_id, "ada@example.org")).await;
    let after = app.get(&path).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(after.status(), 200);
    assert_ne!(after.headers()["etag"].to_str().unwrap(), etag);
    let page: Value = after.json().await.unwrap();
    assert_eq!(type_on(&page, &type_id)["seats_left"], 4);
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn sessions_are_added_replaced_and_removed_in_the_editions_time_zone() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    let mut body = session("Opening keynote", "2027-04-15T09:00:00", "2027-04-15T10:30:00");
    body["abstract"] = json!("Why the social mission matters.");
    body["track"] = json!("Plenary");
    body["room"] = json!("Grand Ballroom");
    body["speakers"] = json!(["Fitzhugh Mullan", " Candice Chen "]);
    let response = add_session(&app, &token, slug, &body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["starts_at"], "2027-04-15T14:00:00Z", "09:00 in Chicago in April (CDT, UTC-5) is 14:00 UTC");
    assert_eq!(created["starts_local"], "2027-04-15T09:00:00");
    assert_eq!(created["ends_at"], "2027-04-15T15:30:00Z");
    assert_eq!(created["abstract"], "Why the social mission matters.");
    assert_eq!(created["speakers"], json!(["Fitzhugh Mullan", "Candice Chen"]));
    assert_eq!(created["room"], "Grand Ballroom");

    // In January Chicago is on CST (UTC-6): the zone, not a fixed offset.
    let winter: Value =
        add_session(&app, &token, slug, &session("Winter webinar", "2027-01-20T09:00:00", "2027-01-20T10:00:00"))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(winter["starts_at"], "2027-01-20T15:00:00Z");

    let path = format!("{ADMIN}/{slug}/sessions/{id}");
    let replacement = session("Opening keynote (moved)", "2027-04-15T08:30:00", "2027-04-15T09:45:00");
    let response = app.client.put(app.url(&path)).bearer_auth(&token).json(&replacement).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let replaced: Value = response.json().await.unwrap();
    assert_eq!(replaced["id"], id.as_str());
    assert_eq!(replaced["title"], "Opening keynote (moved)");
    assert_eq!(replaced["starts_at"], "2027-04-15T13:30:00Z");
    assert_eq!(replaced["room"], "", "replaced as a whole");
    let agenda = app.get_json_as(&format!("{ADMIN}/{slug}"), &token).await["agenda"].clone();
    let titles: Vec<&str> = agenda.as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Winter webinar", "Opening keynote (moved)"]);

    let response = app.delete(&path).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.count("conference_sessions").await, 1);
    problem(app.delete(&path).bearer_auth(&token).send().await.unwrap(), 404).await;
    let response = app.client.put(app.url(&path)).bearer_auth(&token).json(&replacement).send().await.unwrap();
    problem(response, 404).await;
    let unknown = format!("{ADMIN}/no-such-edition/sessions");
    problem(app.post(&unknown).bearer_auth(&token).json(&replacement).send().await.unwrap(), 404).await;
}

#[actix_web::test]
async fn a_session_ending_before_it_starts_or_starting_in_a_daylight_saving_gap_is_422() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    let cases = [
        (session("Backwards", "2027-04-15T10:00:00", "2027-04-15T09:00:00"), "ends_local", "out_of_range"),
        (session("Zero length", "2027-04-15T10:00:00", "2027-04-15T10:00:00"), "ends_local", "out_of_range"),
        // Clocks in Chicago jump from 02:00 to 03:00 on 14 March 2027: 02:30 never happens.
        (session("In the gap", "2027-03-14T02:30:00", "2027-03-14T03:30:00"), "starts_local", "nonexistent_time"),
        (session("", "2027-04-15T09:00:00", "2027-04-15T10:00:00"), "title", "required"),
        (json!({ "title": "No end", "starts_local": "2027-04-15T09:00:00" }), "ends_local", "required"),
    ];
    for (body, field, code) in cases {
        let fields = invalid_fields(add_session(&app, &token, slug, &body).await).await;
        assert_eq!(fields, [(field.to_string(), code.to_string())], "{body}");
    }
    assert_eq!(app.count("conference_sessions").await, 0);
}

// ---------------------------------------------------------------------------------------------
// Registration types
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn an_invalid_registration_type_names_the_field() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    let cases = [
        (reg_type(json!({ "currency": "usd" })), "currency", "invalid_currency"),
        (reg_type(json!({ "currency": "DOLLARS" })), "currency", "invalid_currency"),
        (reg_type(json!({ "price_minor": -1 })), "price_minor", "out_of_range"),
        (reg_type(json!({ "capacity": -1 })), "capacity", "out_of_range"),
        (reg_type(json!({ "capacity": 2.5 })), "capacity", "invalid_type"),
        (
            reg_type(json!({ "sales_start": "2027-02-01T00:00:00Z", "sales_end": "2027-01-01T00:00:00Z" })),
            "sales_end",
            "out_of_range",
        ),
        (
            reg_type(json!({ "sales_start": "2027-02-01T00:00:00Z", "sales_end": "2027-02-01T00:00:00Z" })),
            "sales_end",
            "out_of_range",
        ),
        (reg_type(json!({ "name": " " })), "name", "required"),
        (reg_type(json!({ "discount": 10 })), "discount", "unknown_field"),
    ];
    for (body, field, code) in cases {
        let fields = invalid_fields(add_type(&app, &token, slug, &body).await).await;
        assert_eq!(fields, [(field.to_string(), code.to_string())], "{body}");
    }
    assert_eq!(app.count("registration_types").await, 0);
    let response = add_type(&app, &token, slug, &reg_type(json!({}))).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let created: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{ADMIN}/{slug}/registration-types/{}", created["id"].as_str().unwrap()));
    assert_eq!(created["seats_left"], 100);
    assert_eq!(created["on_sale"], false, "the edition is a draft");
    problem(add_type(&app, &token, "no-such-edition", &reg_type(json!({}))).await, 404).await;
}

#[actix_web::test]
async fn a_capacity_below_the_seats_taken_is_409_and_a_raised_one_confirms_the_waiting_list_in_order() {
    let (app, sink) = spawn_with_mail().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 2).await;
    let mut receipts = Vec::new();
    for who in ["a", "b", "c", "d", "e"] {
        receipts.push(registered(&app, &slug, &attendee(&type_id, &format!("{who}@example.org"))).await);
    }
    let statuses: Vec<(&str, Option<i64>)> =
        receipts.iter().map(|r| (r["status"].as_str().unwrap(), r["waitlist_position"].as_i64())).collect();
    assert_eq!(
        statuses,
        [
            ("confirmed", None),
            ("confirmed", None),
            ("waitlisted", Some(1)),
            ("waitlisted", Some(2)),
            ("waitlisted", Some(3))
        ]
    );
    sink.wait_for(5, MAIL_WAIT).await;

    let below = refused(
        replace_type(&app, &token, &slug, &type_id, &reg_type(json!({ "capacity": 1 }))).await,
        ProblemType::CapacityBelowTaken,
    )
    .await;
    assert!(below["detail"].as_str().unwrap().contains('2'), "says how many are taken: {below}");
    assert_eq!(seats_taken(&app, &type_id).await, 2);
    let page = public_page(&app, &slug).await;
    assert_eq!(type_on(&page, &type_id)["capacity"], 2, "unchanged");

    let response = replace_type(&app, &token, &slug, &type_id, &reg_type(json!({ "capacity": 4 }))).await;
    assert_eq!(response.status(), 200);
    let replaced: Value = response.json().await.unwrap();
    assert_eq!((replaced["capacity"].as_i64(), replaced["seats_left"].as_i64()), (Some(4), Some(0)));
    assert_eq!(own_json(&app, &receipts[2]).await["status"], "confirmed", "position 1 first");
    assert_eq!(own_json(&app, &receipts[3]).await["status"], "confirmed", "then position 2");
    let last = own_json(&app, &receipts[4]).await;
    assert_eq!((last["status"].as_str(), last["waitlist_position"].as_i64()), (Some("waitlisted"), Some(3)));
    assert_eq!(seats_taken(&app, &type_id).await, 4);
    assert_eq!(stored_with_status(&app, &type_id, "confirmed").await, 4);

    for (who, receipt) in [("c", &receipts[2]), ("d", &receipts[3])] {
        let mails = mail_to(&sink, &format!("{who}@example.org"), 2).await;
        let subject = mails[1].subject();
        assert!(subject.contains("seat") && subject.contains(&code_of(receipt)), "{subject}");
    }
    // Whatever else was due is sent now, so a count after it shows any message too many.
    app.run_pending_jobs().await;
    assert_eq!(sink.messages().len(), 7, "the five receipts and the two promotions, nothing else");
    let unknown = uuid::Uuid::new_v4();
    problem(replace_type(&app, &token, &slug, &unknown.to_string(), &reg_type(json!({}))).await, 404).await;
}

// ---------------------------------------------------------------------------------------------
// Registrations
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn a_registration_is_confirmed_with_a_short_code_and_a_manage_token() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 10).await;
    let mut body = attendee(&type_id, "  Ada.Lovelace@Example.org ");
    body["accessibility_needs"] = json!("Step-free access");
    body["dietary_needs"] = json!("Vegetarian");
    let response = register(&app, &slug, &body).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["content-type"], "application/json");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let text = response.text().await.unwrap();
    let receipt: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        sorted_keys(&receipt),
        ["code", "created_at", "manage_token", "registration_type", "status", "waitlist_position"]
    );
    let code = code_of(&receipt);
    assert_eq!(code.len(), 8, "{code}");
    assert!(code.chars().all(|c| CROCKFORD.contains(c)), "Crockford base32: {code}");
    assert_eq!(receipt["status"], "confirmed");
    assert_eq!(receipt["waitlist_position"], Value::Null);
    assert!(token_of(&receipt).len() >= 32);
    assert_eq!(receipt["registration_type"]["id"], type_id.as_str());
    assert_eq!(receipt["registration_type"]["name"], "Professional");
    assert_eq!(receipt["registration_type"]["price_minor"], 45000);
    assert_eq!(receipt["registration_type"]["currency"], "USD");
    assert!(DateTime::parse_from_rfc3339(receipt["created_at"].as_str().unwrap()).is_ok());
    assert_eq!(location, format!("{OWN}/{code}"));
    for sent in ["Lovelace", "example.org", "Step-free", "Vegetarian"] {
        assert!(!text.contains(sent), "the answer echoes {sent:?}: {text}");
    }

    let (email, status, token_hash): (Option<String>, String, Vec<u8>) = registrations::table
        .filter(registrations::code.eq(&code))
        .select((registrations::email, registrations::status, registrations::token_hash))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(email.as_deref(), Some("ada.lovelace@example.org"), "stored trimmed and lower-cased");
    assert_eq!(status, "confirmed");
    assert_ne!(token_hash, token_of(&receipt).as_bytes(), "the token is not stored as is");
    assert_eq!(seats_taken(&app, &type_id).await, 1);
    assert_eq!(app.count("outbox WHERE kind = 'registration.confirmed'").await, 1);
}

#[actix_web::test]
async fn an_invalid_registration_names_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 10).await;
    // A type of another edition is not one of this edition's.
    let (_, other_type) = published_with_type(&app, &token, "Beyond Flexner 2028", 10).await;
    let with = |overrides: Value| merged(attendee(&type_id, "ada@example.org"), overrides);
    let mut missing_name = attendee(&type_id, "ada@example.org");
    missing_name.as_object_mut().unwrap().remove("name");
    let cases = [
        (with(json!({ "email": "ada-at-example" })), "email", "invalid_email"),
        (with(json!({ "consent": false })), "consent", "consent_required"),
        (with(json!({ "registration_type_id": uuid::Uuid::new_v4() })), "registration_type_id", "unknown_value"),
        (with(json!({ "registration_type_id": other_type })), "registration_type_id", "unknown_value"),
        // Not a UUID: the shape error of every JSON body (`invalid`), naming the field.
        (with(json!({ "registration_type_id": "student" })), "registration_type_id", "invalid"),
        (with(json!({ "ticket": "vip" })), "ticket", "unknown_field"),
        (with(json!({ "dietary_needs": "x".repeat(2001) })), "dietary_needs", "invalid_length"),
        (missing_name, "name", "required"),
    ];
    for (body, field, code) in cases {
        let response = register(&app, &slug, &body).await;
        let text = problem(response, 422).await.to_string();
        let errors: Vec<(String, String)> = serde_json::from_str::<Value>(&text).unwrap()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(errors, [(field.to_string(), code.to_string())], "{body}");
        for sent in ["ada-at-example", "student", "vip"] {
            assert!(!text.contains(sent), "the problem echoes {sent:?}: {text}");
        }
        assert_eq!(app.count("registrations").await, 0, "{body}: nothing is stored");
    }
    assert_eq!(app.count("outbox").await, 0);
    registered(&app, &slug, &with(json!({}))).await;
}

#[actix_web::test]
async fn registering_for_a_draft_is_409_and_for_an_unknown_edition_404() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    let type_id = added_type(&app, &token, slug, &reg_type(json!({}))).await;
    let body = attendee(&type_id, "ada@example.org");
    let draft = refused(register(&app, slug, &body).await, ProblemType::ConferenceNotOpen).await;
    assert!(draft["detail"].as_str().unwrap().contains("not open"), "{draft}");
    problem(register(&app, "no-such-edition", &body).await, 404).await;
    assert_eq!(app.count("registrations").await, 0);
    publish(&app, &token, slug).await;
    registered(&app, slug, &body).await;
}

#[actix_web::test]
async fn outside_the_sales_window_a_registration_is_409_saying_whether_it_opens_later_or_has_closed() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    let early =
        added_type(&app, &token, slug, &reg_type(json!({ "name": "Later", "sales_start": in_hours(24) }))).await;
    let closed = added_type(
        &app,
        &token,
        slug,
        &reg_type(json!({ "name": "Early bird", "sales_start": in_hours(-48), "sales_end": in_hours(-1) })),
    )
    .await;
    let open = added_type(
        &app,
        &token,
        slug,
        &reg_type(json!({ "name": "Regular", "sales_start": in_hours(-48), "sales_end": in_hours(48) })),
    )
    .await;
    publish(&app, &token, slug).await;

    let not_yet =
        refused(register(&app, slug, &attendee(&early, "ada@example.org")).await, ProblemType::SalesNotStarted).await;
    let detail = not_yet["detail"].as_str().unwrap();
    assert!(detail.contains("opens"), "{detail}");
    let over =
        refused(register(&app, slug, &attendee(&closed, "ada@example.org")).await, ProblemType::SalesEnded).await;
    let detail = over["detail"].as_str().unwrap();
    assert!(detail.contains("closed"), "{detail}");
    assert_eq!(app.count("registrations").await, 0);

    let page = public_page(&app, slug).await;
    assert_eq!(type_on(&page, &early)["on_sale"], false);
    assert_eq!(type_on(&page, &closed)["on_sale"], false);
    assert_eq!(type_on(&page, &open)["on_sale"], true);
    registered(&app, slug, &attendee(&open, "ada@example.org")).await;
}

#[actix_web::test]
async fn the_same_email_twice_for_one_edition_is_409_whatever_its_case_or_type() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 10).await;
    let student = added_type(&app, &token, &slug, &reg_type(json!({ "name": "Student" }))).await;
    registered(&app, &slug, &attendee(&type_id, "Ada@Example.org")).await;
    for (t, email) in [(&type_id, "ada@example.org"), (&type_id, "ADA@EXAMPLE.ORG "), (&student, "ada@example.org")] {
        let again = refused(register(&app, &slug, &attendee(t, email)).await, ProblemType::AlreadyRegistered).await;
        assert!(again["detail"].as_str().unwrap().contains("already registered"), "{again}");
    }
    assert_eq!(app.count("registrations").await, 1);
    assert_eq!(seats_taken(&app, &type_id).await, 1);
    assert_eq!(app.count("outbox").await, 1);
    // Another edition is another registration.
    let (other, other_type) = published_with_type(&app, &token, "Beyond Flexner 2028", 10).await;
    registered(&app, &other, &attendee(&other_type, "ada@example.org")).await;
    assert_eq!(app.count("registrations").await, 2);
}

#[actix_web::test]
async fn a_filled_honeypot_is_answered_like_a_registration_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 10).await;
    let real = registered(&app, &slug, &merged(attendee(&type_id, "ada@example.org"), json!({ "website": "" }))).await;
    let robot =
        register(&app, &slug, &merged(attendee(&type_id, "robot@example.org"), json!({ "website": "http://spam" })))
            .await;
    assert_eq!(robot.status(), 201);
    assert_eq!(robot.headers()["content-type"], "application/json");
    let location = robot.headers()["location"].to_str().unwrap().to_string();
    let robot: Value = robot.json().await.unwrap();
    assert_eq!(sorted_keys(&robot), sorted_keys(&real));
    assert_eq!(robot["status"], "confirmed");
    assert_eq!(robot["registration_type"], real["registration_type"]);
    assert_eq!(code_of(&robot).len(), 8);
    assert_ne!(robot["code"], real["code"]);
    assert_eq!(location, format!("{OWN}/{}", code_of(&robot)));

    assert_eq!(app.count("registrations").await, 1, "only the person's");
    assert_eq!(app.count("registrations WHERE email = 'robot@example.org'").await, 0);
    assert_eq!(app.count("outbox").await, 1, "the robot is sent nothing");
    assert_eq!(seats_taken(&app, &type_id).await, 1);
    problem(own(&app, &code_of(&robot), &token_of(&robot)).await, 404).await;
}

#[actix_web::test]
async fn the_same_idempotency_key_replays_the_first_registration_and_another_body_is_422() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 10).await;
    let path = format!("{PUBLIC}/{slug}/registrations");
    let body = attendee(&type_id, "ada@example.org");
    let key = uuid::Uuid::new_v4().to_string();
    let first = app.post(&path).header("Idempotency-Key", &key).json(&body).send().await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let location = first.headers()["location"].clone();
    let first_text = first.text().await.unwrap();

    let again = app.post(&path).header("Idempotency-Key", &key).json(&body).send().await.unwrap();
    assert_eq!(again.status(), 201, "a replay, not a duplicate-email 409");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], location);
    assert_eq!(again.text().await.unwrap(), first_text, "the first answer, byte for byte");
    assert_eq!(app.count("registrations").await, 1);
    assert_eq!(app.count("outbox").await, 1, "one confirmation");

    let other = attendee(&type_id, "grace@example.org");
    let response = app.post(&path).header("Idempotency-Key", &key).json(&other).send().await.unwrap();
    let fields = invalid_fields(response).await;
    assert_eq!(fields, [("Idempotency-Key".to_string(), "key_reused".to_string())]);
    assert_eq!(app.count("registrations").await, 1);

    // A request that failed releases its key: the duplicate's key works for a corrected retry.
    let key = uuid::Uuid::new_v4().to_string();
    let duplicate = app.post(&path).header("Idempotency-Key", &key).json(&body).send().await.unwrap();
    refused(duplicate, ProblemType::AlreadyRegistered).await;
    let retry = app.post(&path).header("Idempotency-Key", &key).json(&other).send().await.unwrap();
    assert_eq!(retry.status(), 201);
    assert_eq!(app.count("registrations").await, 2);
}

// ---------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn forty_people_registering_at_once_for_ten_seats_give_exactly_ten_confirmed_and_thirty_waitlisted_every_time() {
    const ROUNDS: usize = 12;
    const SEATS: i32 = 10;
    const PEOPLE: usize = 40;
    let app = TestApp::spawn_with(&[("DATABASE_POOL_SIZE", "12")]).await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    publish(&app, &token, slug).await;
    let app = &app;

    for round in 0..ROUNDS {
        let body = reg_type(json!({ "name": format!("Round {round}"), "capacity": SEATS }));
        let type_id = added_type(app, &token, slug, &body).await;
        let requests = (0..PEOPLE).map(|i| {
            let body = attendee(&type_id, &format!("person-{round}-{i}@example.org"));
            async move {
                let response = register(app, slug, &body).await;
                let status = response.status();
                let text = response.text().await.unwrap();
                assert_eq!(status, 201, "round {round}, person {i}: {text}");
                serde_json::from_str::<Value>(&text).unwrap()
            }
        });
        let receipts = futures_util::future::join_all(requests).await;

        let confirmed = receipts.iter().filter(|r| r["status"] == "confirmed").count();
        let waitlisted: Vec<&Value> = receipts.iter().filter(|r| r["status"] == "waitlisted").collect();
        assert_eq!((confirmed, waitlisted.len()), (10, 30), "round {round}");
        assert!(receipts.iter().filter(|r| r["status"] == "confirmed").all(|r| r["waitlist_position"].is_null()));
        let mut positions: Vec<i64> = waitlisted.iter().map(|r| r["waitlist_position"].as_i64().unwrap()).collect();
        positions.sort_unstable();
        assert_eq!(positions, (1..=30).collect::<Vec<i64>>(), "round {round}: no gaps, no repeats");
        let codes: HashSet<&str> = receipts.iter().map(|r| r["code"].as_str().unwrap()).collect();
        assert_eq!(codes.len(), PEOPLE, "round {round}: one code each");

        assert_eq!(type_on(&public_page(app, slug).await, &type_id)["seats_left"], 0, "round {round}");
        assert_eq!(stored_with_status(app, &type_id, "confirmed").await, 10, "round {round}");
        assert_eq!(stored_with_status(app, &type_id, "waitlisted").await, 30, "round {round}");
        assert_eq!(seats_taken(app, &type_id).await, 10, "round {round}: seats_taken follows the confirmed");
    }
    assert_eq!(app.count("registrations").await, (ROUNDS * PEOPLE) as i64);
}

// ---------------------------------------------------------------------------------------------
// One's own registration
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_code_and_token_show_ones_own_registration_and_a_wrong_token_is_the_same_404_as_an_unknown_code() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 10).await;
    let mut body = attendee(&type_id, "Ada@Example.org");
    body["accessibility_needs"] = json!("Step-free access");
    body["dietary_needs"] = json!("Vegetarian");
    let receipt = registered(&app, &slug, &body).await;
    let other = registered(&app, &slug, &attendee(&type_id, "grace@example.org")).await;

    let response = own(&app, &code_of(&receipt), &token_of(&receipt)).await;
    assert_eq!(response.status(), 200);
    let mine: Value = response.json().await.unwrap();
    assert_eq!(mine["code"], receipt["code"]);
    assert_eq!(mine["status"], "confirmed");
    assert_eq!(mine["email"], "ada@example.org");
    assert_eq!(mine["name"], "Ada Lovelace");
    assert_eq!(mine["accessibility_needs"], "Step-free access");
    assert_eq!(mine["dietary_needs"], "Vegetarian");
    assert_eq!(mine["payment_status"], "unpaid");
    assert_eq!(mine["conference"]["slug"], slug.as_str());
    assert_eq!(mine["registration_type"]["name"], "Professional");
    assert!(mine.get("manage_token").is_none());

    let wrong = own(&app, &code_of(&receipt), &token_of(&other)).await;
    let wrong = problem(wrong, 404).await;
    let unknown = problem(own(&app, "ZZZZZZZZ", &token_of(&receipt)).await, 404).await;
    assert_eq!(wrong, unknown, "a wrong token gives no hint that the code exists");
    let forged = problem(own(&app, &code_of(&receipt), "not-the-token").await, 404).await;
    assert_eq!(forged, unknown);
    // A wrong token cancels nothing either.
    assert_eq!(problem(cancel_own(&app, &code_of(&receipt), &token_of(&other)).await, 404).await, unknown);
    assert_eq!(own_json(&app, &receipt).await["status"], "confirmed");
}

#[actix_web::test]
async fn reading_ones_registration_without_the_token_is_422_naming_the_token() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 10).await;
    let receipt = registered(&app, &slug, &attendee(&type_id, "ada@example.org")).await;
    for response in [
        app.get(&format!("{OWN}/{}", code_of(&receipt))).send().await.unwrap(),
        app.delete(&format!("{OWN}/{}", code_of(&receipt))).send().await.unwrap(),
    ] {
        let fields = invalid_fields(response).await;
        assert_eq!(fields, [("token".to_string(), "required".to_string())]);
    }
    let empty = invalid_fields(own(&app, &code_of(&receipt), "").await).await;
    assert_eq!(empty, [("token".to_string(), "invalid_length".to_string())]);
    assert_eq!(own_json(&app, &receipt).await["status"], "confirmed");
}

#[actix_web::test]
async fn cancelling_frees_the_seat_for_the_first_on_the_waiting_list_who_is_emailed_and_a_second_cancel_is_409() {
    let (app, sink) = spawn_with_mail().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 1).await;
    let holder = registered(&app, &slug, &attendee(&type_id, "holder@example.org")).await;
    let first = registered(&app, &slug, &attendee(&type_id, "first@example.org")).await;
    let second = registered(&app, &slug, &attendee(&type_id, "second@example.org")).await;
    assert_eq!((first["status"].as_str(), first["waitlist_position"].as_i64()), (Some("waitlisted"), Some(1)));
    assert_eq!((second["status"].as_str(), second["waitlist_position"].as_i64()), (Some("waitlisted"), Some(2)));
    sink.wait_for(3, MAIL_WAIT).await;

    let response = cancel_own(&app, &code_of(&holder), &token_of(&holder)).await;
    assert_eq!(response.status(), 200);
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert!(cancelled["cancelled_at"].is_string());

    let promoted = own_json(&app, &first).await;
    assert_eq!(promoted["status"], "confirmed", "position 1 gets the seat");
    assert_eq!(promoted["waitlist_position"], Value::Null);
    assert!(promoted["confirmed_at"].is_string());
    let waiting = own_json(&app, &second).await;
    assert_eq!((waiting["status"].as_str(), waiting["waitlist_position"].as_i64()), (Some("waitlisted"), Some(2)));
    assert_eq!(seats_taken(&app, &type_id).await, 1);
    assert_eq!(type_on(&public_page(&app, &slug).await, &type_id)["seats_left"], 0);

    let mails = mail_to(&sink, "first@example.org", 2).await;
    assert_eq!(mails[1].envelope_to, ["first@example.org"]);
    let subject = mails[1].subject();
    assert!(subject.to_lowercase().contains("seat"), "{subject}");
    assert!(subject.contains(&code_of(&first)), "{subject}");
    assert!(mails[1].text_body().contains("Beyond Flexner 2027"));
    // Whatever else was due is sent now, so a count after it shows any message too many.
    app.run_pending_jobs().await;
    assert_eq!(
        sink.messages().iter().filter(|m| m.envelope_to == ["second@example.org"]).count(),
        1,
        "the second on the list only has their receipt"
    );

    let again =
        refused(cancel_own(&app, &code_of(&holder), &token_of(&holder)).await, ProblemType::AlreadyCancelled).await;
    assert!(again["detail"].as_str().unwrap().contains("already cancelled"), "{again}");
    assert_eq!(own_json(&app, &second).await["status"], "waitlisted", "a repeat promotes nobody");

    // A waitlisted person leaving frees no seat and promotes nobody.
    let response = cancel_own(&app, &code_of(&second), &token_of(&second)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(seats_taken(&app, &type_id).await, 1);
    // A confirmed one leaving with nobody waiting frees the seat.
    assert_eq!(cancel_own(&app, &code_of(&first), &token_of(&first)).await.status(), 200);
    assert_eq!(seats_taken(&app, &type_id).await, 0);
    assert_eq!(type_on(&public_page(&app, &slug).await, &type_id)["seats_left"], 1);
    // The cancelled may register again.
    let back = registered(&app, &slug, &attendee(&type_id, "holder@example.org")).await;
    assert_eq!(back["status"], "confirmed");
}

#[actix_web::test]
async fn cancellations_of_confirmed_and_waitlisted_registrations_at_once_all_succeed_and_keep_the_count() {
    // A confirmed cancellation promotes (locking the first waiting) while that waiting person
    // cancels too: both must finish, whatever order their locks are taken in.
    let app = TestApp::spawn_with(&[("DATABASE_POOL_SIZE", "12")]).await;
    let token = app.token(Role::Editor).await;
    created_edition(&app, &token, &edition(json!({}))).await;
    let slug = "beyond-flexner-2027";
    publish(&app, &token, slug).await;
    let app = &app;
    for round in 0..5 {
        let type_id =
            added_type(app, &token, slug, &reg_type(json!({ "name": format!("Round {round}"), "capacity": 6 }))).await;
        let mut receipts = Vec::new();
        for i in 0..12 {
            receipts.push(registered(app, slug, &attendee(&type_id, &format!("p{round}-{i}@example.org"))).await);
        }
        // Everyone cancels at once: six confirmed, six waiting.
        let cancels = receipts.iter().map(|r| async move {
            let response = cancel_own(app, &code_of(r), &token_of(r)).await;
            let status = response.status();
            (status, response.text().await.unwrap())
        });
        for (status, text) in futures_util::future::join_all(cancels).await {
            // A second cancel of someone promoted meanwhile is impossible here: each cancels once.
            assert_eq!(status, 200, "round {round}: {text}");
        }
        assert_eq!(stored_with_status(app, &type_id, "cancelled").await, 12, "round {round}");
        assert_eq!(seats_taken(app, &type_id).await, 0, "round {round}");
    }
}

// ---------------------------------------------------------------------------------------------
// Emails
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn every_registration_confirmed_or_waitlisted_is_emailed_its_code_and_manage_link() {
    let (app, sink) = spawn_with_mail().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 1).await;
    let confirmed = registered(&app, &slug, &attendee(&type_id, "Ada@Example.org")).await;
    let waitlisted = registered(&app, &slug, &attendee(&type_id, "grace@example.org")).await;
    assert_eq!(waitlisted["status"], "waitlisted");

    for (address, receipt, kind) in
        [("ada@example.org", &confirmed, "registration"), ("grace@example.org", &waitlisted, "waiting list")]
    {
        let mails = mail_to(&sink, address, 1).await;
        let mail = &mails[0];
        assert_eq!(mail.envelope_to, [address]);
        let subject = mail.subject();
        assert!(subject.contains(&code_of(receipt)), "{subject}");
        assert!(subject.contains("Beyond Flexner 2027") && subject.contains(kind), "{subject}");
        let body = mail.text_body();
        let link = format!("{WEBSITE}/registrations/{}?token={}", code_of(receipt), token_of(receipt));
        assert!(body.contains(&link), "the manage link {link} in:\n{body}");
        assert!(body.contains("Ada Lovelace"), "{body}");
    }
    let body = mail_to(&sink, "grace@example.org", 1).await[0].text_body();
    assert!(body.contains("number 1 on the waiting list"), "{body}");
    // Whatever else was due is sent now, so a count after it shows any message too many.
    app.run_pending_jobs().await;
    assert_eq!(sink.messages().len(), 2, "one message each");
}

// ---------------------------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------------------------

/// An edition with two types and five registrations in a known state, for the staff tests:
/// (slug, [type A, type B], receipts). A (2 seats): r0, r1 confirmed, r2 waitlisted; B: r3
/// confirmed (Grace Hopper), r4 cancelled.
async fn staffed(app: &TestApp, token: &str) -> (String, [String; 2], Vec<Value>) {
    let (slug, a) = published_with_type(app, token, "Beyond Flexner 2027", 2).await;
    let b = added_type(app, token, &slug, &reg_type(json!({ "name": "Student", "capacity": 5 }))).await;
    let mut receipts = Vec::new();
    for (t, email, name, needs) in [
        (&a, "r0@example.org", "Ada Lovelace", "Step-free access"),
        (&a, "r1@example.org", "Mary Seacole", ""),
        (&a, "r2@example.org", "Florence Nightingale", ""),
        (&b, "grace.hopper@navy.example", "Grace Hopper", ""),
        (&b, "r4@example.org", "Rosalind Franklin", ""),
    ] {
        let mut body = attendee(t, email);
        body["name"] = json!(name);
        body["accessibility_needs"] = json!(needs);
        body["dietary_needs"] = json!(if name == "Ada Lovelace" { "No peanuts, please" } else { "" });
        receipts.push(registered(app, &slug, &body).await);
    }
    assert_eq!(cancel_own(app, &code_of(&receipts[4]), &token_of(&receipts[4])).await.status(), 200);
    (slug, [a, b], receipts)
}

fn codes(list: &Value) -> Vec<String> {
    list["data"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

#[actix_web::test]
async fn staff_list_registrations_in_order_with_filters_and_pages() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, [a, b], r) = staffed(&app, &token).await;
    let c: Vec<String> = r.iter().map(code_of).collect();
    let path = format!("{ADMIN}/{slug}/registrations");
    let check_in = app.post(&format!("{path}/{}/check-in", c[1])).bearer_auth(&token).send().await.unwrap();
    assert_eq!(check_in.status(), 200);
    let paid = app.patch(&format!("{path}/{}", c[0])).bearer_auth(&token).json(&json!({ "payment_status": "paid" }));
    assert_eq!(paid.send().await.unwrap().status(), 200);

    let all = app.get_json_as(&path, &token).await;
    assert_eq!(codes(&all), c, "oldest first");
    assert_eq!(all["meta"]["total"], 5);
    let first = &all["data"][0];
    assert_eq!(first["email"], "r0@example.org", "staff see the contact");
    assert_eq!(first["accessibility_needs"], "Step-free access");
    assert_eq!(first["payment_status"], "paid");

    let filtered = |query: &str| format!("{path}?{query}");
    let cases: Vec<(String, Vec<&String>)> = vec![
        (filtered("status=confirmed"), vec![&c[0], &c[1], &c[3]]),
        (filtered("status=waitlisted"), vec![&c[2]]),
        (filtered("status=cancelled"), vec![&c[4]]),
        (filtered(&format!("registration_type_id={b}")), vec![&c[3], &c[4]]),
        (filtered(&format!("registration_type_id={a}&status=confirmed")), vec![&c[0], &c[1]]),
        (filtered("payment_status=paid"), vec![&c[0]]),
        (filtered("payment_status=unpaid"), vec![&c[1], &c[2], &c[3], &c[4]]),
        (filtered("checked_in=true"), vec![&c[1]]),
        (filtered("checked_in=false"), vec![&c[0], &c[2], &c[3], &c[4]]),
        (filtered("q=hopper"), vec![&c[3]]),
        (filtered("q=NAVY.EXAMPLE"), vec![&c[3]]),
        (filtered(&format!("q={}", c[2].to_lowercase())), vec![&c[2]]),
        (filtered("q=%25"), vec![]),
    ];
    for (query, expected) in cases {
        let list = app.get_json_as(&query, &token).await;
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(codes(&list), expected, "{query}");
        assert_eq!(list["meta"]["total"], expected.len(), "{query}");
    }

    let page = app.get_json_as(&filtered("per_page=2&page=2"), &token).await;
    assert_eq!(codes(&page), [c[2].clone(), c[3].clone()]);
    assert_eq!((page["meta"]["total"].as_i64(), page["meta"]["per_page"].as_i64()), (Some(5), Some(2)));
    let fields = invalid_fields(app.get(&filtered("status=lost")).bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(fields[0].0, "status");
    problem(app.get(&format!("{ADMIN}/no-such-edition/registrations")).bearer_auth(&token).send().await.unwrap(), 404)
        .await;
}

#[actix_web::test]
async fn the_csv_export_has_a_row_per_registration_with_the_private_needs_and_is_for_admins_only() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    let (slug, _, r) = staffed(&app, &editor).await;
    let path = format!("{ADMIN}/{slug}/registrations/export");
    refused(app.get(&path).bearer_auth(&editor).send().await.unwrap(), ProblemType::AdminRequired).await;

    let response = app.get(&path).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let bytes = response.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_ref());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    for column in ["code", "status", "registration_type", "name", "email", "accessibility_needs", "dietary_needs"] {
        assert!(header.iter().any(|h| h == column), "a {column} column: {header:?}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 5, "a row per registration, cancelled included");
    let exported: Vec<&str> = records.iter().map(|rec| &rec[col("code")]).collect();
    let expected: Vec<String> = r.iter().map(code_of).collect();
    assert_eq!(exported, expected);
    let ada = &records[0];
    assert_eq!(&ada[col("email")], "r0@example.org");
    assert_eq!(&ada[col("name")], "Ada Lovelace");
    assert_eq!(&ada[col("accessibility_needs")], "Step-free access");
    assert_eq!(&ada[col("dietary_needs")], "No peanuts, please", "commas survive the quoting");
    assert_eq!(&ada[col("status")], "confirmed");
    assert_eq!(&ada[col("registration_type")], "Professional");
    assert_eq!(&records[2][col("status")], "waitlisted");
    assert_eq!(&records[2][col("waitlist_position")], "1");
    assert_eq!(&records[4][col("status")], "cancelled");

    let confirmed = app.get(&format!("{path}?status=confirmed")).bearer_auth(&admin).send().await.unwrap();
    let bytes = confirmed.bytes().await.unwrap();
    let rows = csv::Reader::from_reader(bytes.as_ref()).records().count();
    assert_eq!(rows, 3);
    assert_eq!(app.count("audit_log WHERE action = 'registration.export'").await, 2);
}

#[actix_web::test]
async fn an_attendee_checks_in_once_and_a_second_check_in_says_when_the_first_was() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, _, r) = staffed(&app, &token).await;
    let path = |code: &str| format!("{ADMIN}/{slug}/registrations/{code}/check-in");
    let response = app.post(&path(&code_of(&r[0]))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let checked: Value = response.json().await.unwrap();
    let at: DateTime<Utc> = checked["checked_in_at"].as_str().unwrap().parse().unwrap();

    let again = refused(
        app.post(&path(&code_of(&r[0]))).bearer_auth(&token).send().await.unwrap(),
        ProblemType::AlreadyCheckedIn,
    )
    .await;
    let detail = again["detail"].as_str().unwrap();
    let said = detail
        .split_whitespace()
        .filter_map(|w| w.trim_end_matches(['.', ',', ')']).parse::<DateTime<Utc>>().ok())
        .next()
        .unwrap_or_else(|| panic!("a time in {detail:?}"));
    assert_eq!(said, at, "{detail}");
    let stored = app.get_json_as(&format!("{ADMIN}/{slug}/registrations?checked_in=true"), &token).await;
    assert_eq!(stored["data"][0]["checked_in_at"], checked["checked_in_at"], "the first time is kept");

    let waitlisted = refused(
        app.post(&path(&code_of(&r[2]))).bearer_auth(&token).send().await.unwrap(),
        ProblemType::RegistrationNotConfirmed,
    )
    .await;
    assert!(waitlisted["detail"].as_str().unwrap().contains("waitlisted"), "{waitlisted}");
    refused(
        app.post(&path(&code_of(&r[4]))).bearer_auth(&token).send().await.unwrap(),
        ProblemType::RegistrationNotConfirmed,
    )
    .await;
    assert_eq!(app.count("registrations WHERE checked_in_at IS NOT NULL").await, 1);
}

#[actix_web::test]
async fn staff_set_the_payment_status_and_an_unknown_one_is_422() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, _, r) = staffed(&app, &token).await;
    let path = format!("{ADMIN}/{slug}/registrations/{}", code_of(&r[0]));
    for status in ["paid", "waived", "unpaid"] {
        let response =
            app.patch(&path).bearer_auth(&token).json(&json!({ "payment_status": status })).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["payment_status"], status);
        assert_eq!(
            app.count(&format!("registrations WHERE payment_status = '{status}'")).await,
            if status == "unpaid" { 5 } else { 1 }
        );
    }
    let fields = invalid_fields(
        app.patch(&path).bearer_auth(&token).json(&json!({ "payment_status": "free" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(fields, [("payment_status".to_string(), "invalid_choice".to_string())]);
    let fields = invalid_fields(
        app.patch(&path).bearer_auth(&token).json(&json!({ "status": "confirmed" })).send().await.unwrap(),
    )
    .await;
    // The unknown field and the missing one, in one answer.
    assert_eq!(
        fields,
        [("payment_status".to_string(), "required".to_string()), ("status".to_string(), "unknown_field".to_string())]
    );
    assert_eq!(app.count("registrations WHERE payment_status = 'unpaid'").await, 5);
}

#[actix_web::test]
async fn a_staff_cancellation_promotes_the_first_waiting_and_a_second_one_is_409() {
    let (app, sink) = spawn_with_mail().await;
    let token = app.token(Role::Editor).await;
    let (slug, [a, _], r) = staffed(&app, &token).await;
    let path = |code: &str| format!("{ADMIN}/{slug}/registrations/{code}/cancel");
    let response = app.post(&path(&code_of(&r[1]))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let promoted = own_json(&app, &r[2]).await;
    assert_eq!(promoted["status"], "confirmed");
    assert_eq!(seats_taken(&app, &a).await, 2);
    let mails = mail_to(&sink, "r2@example.org", 2).await;
    assert!(mails[1].subject().contains("seat"), "{}", mails[1].subject());
    refused(app.post(&path(&code_of(&r[1]))).bearer_auth(&token).send().await.unwrap(), ProblemType::AlreadyCancelled)
        .await;
    assert_eq!(app.count("audit_log WHERE action = 'registration.cancel'").await, 1);
}

#[actix_web::test]
async fn an_unknown_code_or_a_code_of_another_edition_is_404_on_the_staff_routes() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, _, r) = staffed(&app, &token).await;
    let (other_slug, other_type) = published_with_type(&app, &token, "Beyond Flexner 2028", 5).await;
    let elsewhere = registered(&app, &other_slug, &attendee(&other_type, "elsewhere@example.org")).await;
    for code in ["ZZZZZZZZ".to_string(), code_of(&elsewhere)] {
        let base = format!("{ADMIN}/{slug}/registrations/{code}");
        problem(app.post(&format!("{base}/check-in")).bearer_auth(&token).send().await.unwrap(), 404).await;
        problem(app.post(&format!("{base}/cancel")).bearer_auth(&token).send().await.unwrap(), 404).await;
        let payment = app.patch(&base).bearer_auth(&token).json(&json!({ "payment_status": "paid" }));
        problem(payment.send().await.unwrap(), 404).await;
    }
    assert_eq!(own_json(&app, &elsewhere).await["status"], "confirmed", "untouched");
    assert_eq!(app.count("registrations WHERE payment_status = 'paid' OR checked_in_at IS NOT NULL").await, 0);
    // Under its own edition the same code works.
    let ok = app.post(&format!("{ADMIN}/{other_slug}/registrations/{}/check-in", code_of(&elsewhere)));
    assert_eq!(ok.bearer_auth(&token).send().await.unwrap().status(), 200);
    assert_eq!(r.len(), 5);
}

#[actix_web::test]
async fn every_staff_route_is_401_without_a_token() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, [a, _], r) = staffed(&app, &token).await;
    let session_id =
        add_session(&app, &token, &slug, &session("Keynote", "2027-04-15T09:00:00", "2027-04-15T10:00:00"))
            .await
            .json::<Value>()
            .await
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
    let call = add_call(
        &app,
        &token,
        &slug,
        &json!({ "kind": "presentation", "title": "Talks", "deadline": in_hours(24), "word_limit": 300 }),
    )
    .await;
    let call_id = call["id"].as_str().unwrap();
    let code = code_of(&r[0]);
    use reqwest::Method;
    let c = format!("{ADMIN}/{slug}");
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, ADMIN.to_string(), None),
        (Method::POST, ADMIN.to_string(), Some(edition(json!({ "name": "Sneaky" })))),
        (Method::GET, c.clone(), None),
        (Method::PATCH, c.clone(), Some(json!({ "theme": "x" }))),
        (Method::POST, format!("{c}/sessions"), Some(session("x", "2027-04-15T09:00:00", "2027-04-15T10:00:00"))),
        (
            Method::PUT,
            format!("{c}/sessions/{session_id}"),
            Some(session("x", "2027-04-15T09:00:00", "2027-04-15T10:00:00")),
        ),
        (Method::DELETE, format!("{c}/sessions/{session_id}"), None),
        (Method::POST, format!("{c}/registration-types"), Some(reg_type(json!({ "name": "Sneaky" })))),
        (Method::PUT, format!("{c}/registration-types/{a}"), Some(reg_type(json!({ "capacity": 1000 })))),
        (
            Method::POST,
            format!("{c}/calls"),
            Some(json!({ "kind": "poster", "title": "x", "deadline": in_hours(24), "word_limit": 5 })),
        ),
        (
            Method::PUT,
            format!("{c}/calls/{call_id}"),
            Some(json!({ "kind": "poster", "title": "x", "deadline": in_hours(24), "word_limit": 5 })),
        ),
        (Method::GET, format!("{c}/registrations"), None),
        (Method::GET, format!("{c}/registrations/export"), None),
        (Method::POST, format!("{c}/registrations/{code}/check-in"), None),
        (Method::PATCH, format!("{c}/registrations/{code}"), Some(json!({ "payment_status": "paid" }))),
        (Method::POST, format!("{c}/registrations/{code}/cancel"), None),
    ];
    for (method, path, body) in &routes {
        let mut request = app.client.request(method.clone(), app.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{method} {path}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{method} {path}");
        let forged = app.client.request(method.clone(), app.url(path)).bearer_auth("not-a-token");
        let forged = if let Some(body) = body { forged.json(body) } else { forged };
        assert_eq!(forged.send().await.unwrap().status(), 401, "{method} {path} with a forged token");
    }
    // Nothing changed.
    assert_eq!(app.count("conferences").await, 1);
    assert_eq!(app.count("conference_sessions").await, 1);
    assert_eq!(app.count("registration_types").await, 2);
    assert_eq!(app.count("registrations WHERE status = 'cancelled'").await, 1);
    assert_eq!(app.count("registrations WHERE checked_in_at IS NOT NULL OR payment_status <> 'unpaid'").await, 0);
    assert_eq!(app.count("proposal_calls WHERE title = 'Talks'").await, 1);
}

// ---------------------------------------------------------------------------------------------
// Privacy
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn no_attendee_email_needs_or_manage_token_appear_on_any_anonymous_answer() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let (slug, type_id) = published_with_type(&app, &token, "Beyond Flexner 2027", 1).await;
    let mut secrets = Vec::new();
    let mut receipts = Vec::new();
    for who in ["Zenobia.Quill", "Octavia.Brandt"] {
        let mut body = attendee(&type_id, &format!("{who}@Private-Mail.example"));
        body["name"] = json!(who.replace('.', " "));
        body["accessibility_needs"] = json!(format!("{who} needs a sign language interpreter"));
        body["dietary_needs"] = json!(format!("{who} eats no shellfish"));
        let receipt = registered(&app, &slug, &body).await;
        secrets.push(token_of(&receipt));
        receipts.push(receipt);
    }
    assert_eq!(receipts[1]["status"], "waitlisted");
    for needle in
        ["Zenobia", "Octavia", "zenobia", "octavia", "private-mail", "Private-Mail", "interpreter", "shellfish"]
    {
        secrets.push(needle.to_string());
    }
    let paths = [PUBLIC.to_string(), format!("{PUBLIC}?per_page=100"), format!("{PUBLIC}/{slug}")];
    for path in &paths {
        let response = app.get(path).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = format!("{:?}", response.headers());
        let text = response.text().await.unwrap();
        assert!(text.contains("Beyond Flexner 2027"), "{path}: {text}");
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{path} shows {secret:?}: {text}");
            assert!(!headers.contains(secret.as_str()), "{path} headers show {secret:?}");
        }
    }
}
