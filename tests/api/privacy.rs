//! A person's data by email address (`/admin/privacy/access` and `/admin/privacy/erasure`): admins
//! only, validation that changes nothing, the access document with every kind of record, and an
//! erasure after which a dump of every row of every table holds nothing of the person.

use serde_json::{json, Value};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, refused, SendJson, TestApp};

const ACCESS: &str = "/api/v1/admin/privacy/access";
const ERASURE: &str = "/api/v1/admin/privacy/erasure";

/// The person, as they typed their address, and as it is stored.
const TYPED: &str = "Zephyrine.Quillfeather@Example.org";
const ADDRESS: &str = "zephyrine.quillfeather@example.org";
const NAME: &str = "Zephyrine Quillfeather";
const INSTITUTION: &str = "Marrowgate Institute of Lanternwork";
const ROLE: &str = "Chief Lanternkeeper";
const WORK: &str = "Runs lantern-lit evening clinics along the Brackwater canal.";
const DIETARY: &str = "No cardamomberry whatsoever";
const ACCESSIBILITY: &str = "Hearing loop near row Q17 please";
/// The slug of the spotlight made from the nomination of the person (from their name).
const SLUG: &str = "zephyrine-quillfeather";

/// Someone else, who must keep everything.
const OTHER: &str = "orrin.other@example.net";
const OTHER_NAME: &str = "Orrin Other";

const EDITIONS: &str = "/api/v1/admin/conferences";

async fn send(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.post(path).bearer_auth(token).json(body).send().await.unwrap()
}

/// POSTs as staff and returns the JSON answer, asserting `status`.
async fn staff_json(app: &TestApp, path: &str, token: &str, body: &Value, status: u16) -> Value {
    let response = send(app, path, token, body).await;
    assert_eq!(response.status(), status, "{path}: {}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// A public POST, asserting `status`; returns the JSON answer.
async fn public_json(app: &TestApp, path: &str, body: &Value, status: u16) -> Value {
    let response = app.post(path).json(body).send().await.unwrap();
    assert_eq!(response.status(), status, "{path}: {}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// The token that follows `prefix` in `text`.
fn token_after(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no `{prefix}` in:\n{text}")) + prefix.len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// The body and headers of the newest message of `kind` to `email`.
async fn message(app: &TestApp, email: &str, kind: &str) -> (String, Value) {
    let message = app
        .messages_to(email)
        .await
        .into_iter()
        .rev()
        .find(|m| m.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} message to {email}"));
    (message.body.expect("a logged message keeps its sealed body"), Value::Object(message.headers))
}

fn nomination(nominee: (&str, &str), nominator: (&str, &str)) -> Value {
    json!({
        "nominee_name": nominee.0,
        "nominee_role": ROLE,
        "nominee_institution": INSTITUTION,
        "nominee_profession": "medicine",
        "nominee_email": nominee.1,
        "health_equity_work": WORK,
        "self_nomination": false,
        "nominator_name": nominator.0,
        "nominator_email": nominator.1,
        "consent_to_feature": false,
    })
}

fn registration(type_id: &str, name: &str, email: &str) -> Value {
    json!({
        "registration_type_id": type_id,
        "name": name,
        "email": email,
        "institution": INSTITUTION,
        "role": ROLE,
        "profession": "Medicine",
        "accessibility_needs": ACCESSIBILITY,
        "dietary_needs": DIETARY,
        "consent": true,
    })
}

/// What the fixture made, by id.
struct Person {
    /// The unsubscribe token of the confirmation message they were sent.
    unsubscribe_token: String,
    suggestion: String,
    nominated: String,
    nominating: String,
    spotlight: String,
    registration_code: String,
    proposal: String,
    scheduled_session: String,
    named_session: String,
    partner: String,
    edition: String,
}

/// The person, with one record of every kind made through the API, and someone else with a
/// subscription and a registration of their own.
async fn person_with_everything(app: &TestApp, admin: &str) -> Person {
    // The newsletter, confirmed.
    public_json(
        app,
        "/api/v1/newsletter/subscriptions",
        &json!({ "email": TYPED, "name": NAME, "consent": true }),
        202,
    )
    .await;
    let (body, headers) = message(app, ADDRESS, "newsletter.confirm").await;
    let confirm = token_after(&body, "/newsletter/confirm?token=");
    public_json(app, "/api/v1/newsletter/confirm", &json!({ "token": confirm }), 200).await;
    let unsubscribe_token = token_after(headers["List-Unsubscribe"].as_str().unwrap(), "?token=");
    public_json(app, "/api/v1/newsletter/subscriptions", &json!({ "email": OTHER, "consent": true }), 202).await;

    // A suggestion, rejected by staff with a reason that names them.
    let suggestion = json!({
        "title": "Community health workers in the curriculum",
        "url": "https://example.org/chw",
        "why": "It shows the social mission at work.",
        "submitter_name": NAME,
        "submitter_email": TYPED,
        "consent_to_contact": true,
    });
    let suggestion =
        public_json(app, "/api/v1/suggestions", &suggestion, 201).await["id"].as_str().unwrap().to_string();
    let reason = json!({ "reason": format!("{NAME} sent this twice; we wrote back to {ADDRESS}.") });
    staff_json(app, &format!("/api/v1/admin/suggestions/{suggestion}/reject"), admin, &reason, 200).await;

    // Nominated by someone else, agreeing through the emailed link, approved into a spotlight.
    let nominated =
        public_json(app, "/api/v1/champion-nominations", &nomination((NAME, TYPED), (OTHER_NAME, OTHER)), 201).await
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let (body, _) = message(app, ADDRESS, "champion.consent_request").await;
    let consent = json!({ "token": token_after(&body, "/champions/consent?token="), "consent": true });
    public_json(app, "/api/v1/champion-nominations/consent", &consent, 200).await;
    let approve = json!({ "photo_url": "https://example.org/photos/zq.jpg" });
    let approved =
        staff_json(app, &format!("/api/v1/admin/champion-nominations/{nominated}/approve"), admin, &approve, 200).await;
    assert_eq!(approved["champion"]["slug"], SLUG);
    let spotlight = approved["champion"]["id"].as_str().unwrap().to_string();

    // Nominating someone else.
    let mut nominating = nomination(("Robin Third", "robin.third@example.org"), (NAME, TYPED));
    nominating["nominee_role"] = json!("Dean of Nursing");
    nominating["nominee_institution"] = json!("University of New Mexico");
    nominating["health_equity_work"] = json!("Built a community health worker partnership.");
    let nominating =
        public_json(app, "/api/v1/champion-nominations", &nominating, 201).await["id"].as_str().unwrap().to_string();

    // A conference: registered, presenting an accepted and scheduled proposal, and named as a
    // speaker of another session.
    let edition = json!({
        "name": "Beyond Flexner 2027",
        "starts_on": "2027-04-14",
        "ends_on": "2027-04-16",
        "time_zone": "America/Chicago",
    });
    let edition = staff_json(app, EDITIONS, admin, &edition, 201).await["slug"].as_str().unwrap().to_string();
    let staff = format!("{EDITIONS}/{edition}");
    let reg_type = json!({ "name": "Professional", "price_minor": 45000, "currency": "USD", "capacity": 100 });
    let type_id = staff_json(app, &format!("{staff}/registration-types"), admin, &reg_type, 201).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let call = json!({ "kind": "presentation", "title": "Talks", "deadline": deadline, "word_limit": 300 });
    let call = staff_json(app, &format!("{staff}/calls"), admin, &call, 201).await["id"].as_str().unwrap().to_string();
    let response = app.patch(&staff).bearer_auth(admin).json(&json!({ "status": "published" })).send().await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());

    let public = format!("/api/v1/conferences/{edition}");
    let receipt = public_json(app, &format!("{public}/registrations"), &registration(&type_id, NAME, TYPED), 201).await;
    let registration_code = receipt["code"].as_str().unwrap().to_string();
    let mut other = registration(&type_id, OTHER_NAME, OTHER);
    for (field, value) in [("institution", "Tulsa Community College"), ("role", "Student"), ("dietary_needs", "Vegan")]
    {
        other[field] = json!(value);
    }
    other["accessibility_needs"] = json!("");
    public_json(app, &format!("{public}/registrations"), &other, 201).await;

    let proposal = json!({
        "call_id": call,
        "title": "Lanterns and community health",
        "abstract": "Evening clinics lit by lanterns reach people who work all day.",
        "authors": [NAME, "Grace Hopper"],
        "presenter_name": NAME,
        "presenter_email": TYPED,
    });
    let proposal =
        public_json(app, &format!("{public}/proposals"), &proposal, 201).await["id"].as_str().unwrap().to_string();
    let review = format!("{staff}/proposals/{proposal}");
    staff_json(app, &format!("{review}/status"), admin, &json!({ "status": "accepted" }), 200).await;
    let slot =
        json!({ "starts_local": "2027-04-15T09:00:00", "ends_local": "2027-04-15T10:00:00", "room": "Ballroom B" });
    let scheduled = staff_json(app, &format!("{review}/session"), admin, &slot, 201).await;
    assert_eq!(scheduled["speakers"], json!([NAME, "Grace Hopper"]));
    let panel = json!({
        "title": "Closing panel",
        "starts_local": "2027-04-16T15:00:00",
        "ends_local": "2027-04-16T16:00:00",
        "speakers": ["Fitzhugh Mullan", NAME],
    });
    let named = staff_json(app, &format!("{staff}/sessions"), admin, &panel, 201).await;

    // The contact of a partner institution.
    let partner = json!({
        "institution": "Northwind Health Sciences Library",
        "contact_name": NAME,
        "contact_email": TYPED,
    });
    let partner =
        staff_json(app, "/api/v1/admin/partners", admin, &partner, 201).await["id"].as_str().unwrap().to_string();

    Person {
        unsubscribe_token,
        suggestion,
        nominated,
        nominating,
        spotlight,
        registration_code,
        proposal,
        scheduled_session: scheduled["id"].as_str().unwrap().to_string(),
        named_session: named["id"].as_str().unwrap().to_string(),
        partner,
        edition,
    }
}

/// The rows of the dump that hold `needle`, case-insensitively.
fn holding<'a>(dump: &'a [(String, String)], needle: &str) -> Vec<&'a (String, String)> {
    let needle = needle.to_lowercase();
    dump.iter().filter(|(_, row)| row.to_lowercase().contains(&needle)).collect()
}

fn tables_holding(dump: &[(String, String)], needle: &str) -> Vec<String> {
    let mut tables: Vec<String> = holding(dump, needle).into_iter().map(|(t, _)| t.clone()).collect();
    tables.dedup();
    tables
}

async fn audit(app: &TestApp, admin: &str, action: &str) -> Value {
    app.get(&format!("/api/v1/admin/audit-log?action={action}")).bearer_auth(admin).json_value().await
}

#[actix_web::test]
async fn the_privacy_routes_are_for_admins_only() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let editor = app.token(Role::Editor).await;
    public_json(&app, "/api/v1/newsletter/subscriptions", &json!({ "email": ADDRESS, "consent": true }), 202).await;
    let before = app.dump().await;

    let body = json!({ "email": ADDRESS });
    for path in [ACCESS, ERASURE] {
        problem(app.post(path).json(&body).send().await.unwrap(), 401).await;
        refused(send(&app, path, &editor, &body).await, ProblemType::AdminRequired).await;
    }
    assert_eq!(app.dump().await, before, "nothing was read into the log or erased");
    assert_eq!(audit(&app, &admin, "privacy.erase").await["meta"]["total"], 0);
    assert_eq!(audit(&app, &admin, "privacy.access").await["meta"]["total"], 0);
}

#[actix_web::test]
async fn a_missing_or_invalid_address_is_422_naming_email_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    public_json(&app, "/api/v1/newsletter/subscriptions", &json!({ "email": ADDRESS, "consent": true }), 202).await;
    let before = app.dump().await;

    let cases = [
        (json!({}), "email", "required"),
        (json!({ "email": "not-an-address" }), "email", "invalid_email"),
        (json!({ "email": "" }), "email", "invalid_email"),
        (json!({ "email": null }), "email", "invalid_type"),
        (json!({ "email": format!("{}@example.org", "a".repeat(250)) }), "email", "invalid_length"),
        (json!({ "email": ADDRESS, "name": NAME }), "name", "unknown_field"),
    ];
    for path in [ACCESS, ERASURE] {
        for (body, field, code) in &cases {
            let fields = invalid_fields(send(&app, path, &admin, body).await).await;
            assert_eq!(fields, vec![(field.to_string(), code.to_string())], "{path} {body}");
        }
        let response = app.post(path).bearer_auth(&admin).body(ADDRESS).send().await.unwrap();
        problem(response, 415).await;
    }
    assert_eq!(app.dump().await, before, "the stored data is as it was");
}

#[actix_web::test]
async fn access_returns_every_kind_of_record_of_the_person_in_one_document() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let person = person_with_everything(&app, &admin).await;

    let response = send(&app, ACCESS, &admin, &json!({ "email": format!("  {TYPED} ") })).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let text = response.text().await.unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["email"], ADDRESS);

    let newsletter = &data["newsletter"];
    assert_eq!((newsletter["name"].as_str(), newsletter["status"].as_str()), (Some(NAME), Some("subscribed")));
    assert!(newsletter["confirmed_at"].is_string() && newsletter["consent_at"].is_string(), "{newsletter}");

    assert_eq!(data["suggestions"].as_array().unwrap().len(), 1);
    let suggestion = &data["suggestions"][0];
    assert_eq!(suggestion["id"], person.suggestion);
    assert_eq!((suggestion["submitter_name"].as_str(), suggestion["status"].as_str()), (Some(NAME), Some("rejected")));

    assert_eq!(data["nominations_as_nominee"].as_array().unwrap().len(), 1);
    let nominee = &data["nominations_as_nominee"][0];
    assert_eq!(nominee["id"], person.nominated);
    assert_eq!(nominee["nominee_name"], NAME);
    assert_eq!(nominee["nominee_institution"], INSTITUTION);
    assert_eq!(nominee["health_equity_work"], WORK);
    assert_eq!(nominee["nominee_consent"], "given");
    assert_eq!(nominee["status"], "approved");
    let spotlight = &nominee["spotlight"];
    assert_eq!(spotlight["id"], person.spotlight);
    assert_eq!((spotlight["slug"].as_str(), spotlight["status"].as_str()), (Some(SLUG), Some("published")));
    assert_eq!(spotlight["photo_url"], "https://example.org/photos/zq.jpg");

    let nominator = data["nominations_as_nominator"].as_array().unwrap();
    assert_eq!(nominator.len(), 1);
    assert_eq!(nominator[0]["id"], person.nominating);
    assert_eq!(nominator[0]["nominator_name"], NAME);
    assert!(!text.contains("Robin Third") && !text.contains("robin.third"), "not the other nominee's details");

    let registrations = data["registrations"].as_array().unwrap();
    assert_eq!(registrations.len(), 1, "only theirs, not the other attendee's");
    let registration = &registrations[0];
    assert_eq!(registration["code"], person.registration_code);
    assert_eq!(registration["conference_slug"], person.edition);
    assert_eq!(registration["conference_name"], "Beyond Flexner 2027");
    assert_eq!(registration["registration_type"], "Professional");
    assert_eq!((registration["name"].as_str(), registration["institution"].as_str()), (Some(NAME), Some(INSTITUTION)));
    assert_eq!(registration["dietary_needs"], DIETARY);
    assert_eq!(registration["accessibility_needs"], ACCESSIBILITY);
    assert_eq!(registration["status"], "confirmed");

    let proposals = data["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 1);
    assert_eq!(proposals[0]["id"], person.proposal);
    assert_eq!(proposals[0]["conference_slug"], person.edition);
    assert_eq!(proposals[0]["status"], "accepted");
    assert_eq!(proposals[0]["authors"], json!([NAME, "Grace Hopper"]));
    assert_eq!(proposals[0]["presenter_name"], NAME);

    let sessions: Vec<&str> = data["sessions"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(sessions, [person.scheduled_session.as_str(), person.named_session.as_str()], "in agenda order");
    assert_eq!(data["sessions"][0]["proposal_id"], person.proposal);
    assert_eq!(data["sessions"][1]["speakers"], json!(["Fitzhugh Mullan", NAME]));

    let partners = data["partner_contacts"].as_array().unwrap();
    assert_eq!(partners.len(), 1);
    assert_eq!(partners[0]["id"], person.partner);
    assert_eq!(partners[0]["contact_name"], NAME);

    let mut kinds: Vec<&str> =
        data["messages"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    kinds.sort();
    let expected = [
        "champion.consent_request",
        "newsletter.confirm",
        "proposal.decision",
        "proposal.received",
        "registration.confirmed",
        "suggestion.decision",
    ];
    assert_eq!(kinds, expected);
    for message in data["messages"].as_array().unwrap() {
        let keys: Vec<&str> = message.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["created_at", "id", "kind", "sent_at", "status", "subject"], "never a body: {message}");
    }
    assert!(!text.contains("token="), "no live link in the document");

    let log = audit(&app, &admin, "privacy.access").await;
    assert_eq!(log["meta"]["total"], 1);
    assert_eq!(log["data"][0]["details"]["registrations"], 1);
    assert_eq!(log["data"][0]["details"]["messages"], 6);
    let log = log.to_string().to_lowercase();
    assert!(!log.contains(ADDRESS) && !log.contains("zephyrine"), "the entry holds no address or name: {log}");

    let nobody: Value =
        send(&app, ACCESS, &admin, &json!({ "email": "nobody@example.org" })).await.json().await.unwrap();
    assert_eq!(nobody["newsletter"], Value::Null);
    for list in ["suggestions", "registrations", "proposals", "sessions", "partner_contacts", "messages"] {
        assert_eq!(nobody[list], json!([]), "{list}");
    }
}

#[actix_web::test]
async fn after_erasure_no_table_holds_the_address_name_institution_or_needs() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let person = person_with_everything(&app, &admin).await;
    assert_eq!(app.get_json(&format!("/api/v1/champions/{SLUG}")).await["name"], NAME);

    let before = app.dump().await;
    for needle in [ADDRESS, NAME, INSTITUTION, ROLE, WORK, DIETARY, ACCESSIBILITY, SLUG] {
        assert!(!holding(&before, needle).is_empty(), "the fixture stored {needle}");
    }
    let with_address = [
        "audit_log",
        "champion_nominations",
        "newsletter_subscribers",
        "outbox",
        "partners",
        "proposals",
        "registrations",
        "suggestions",
    ];
    assert_eq!(tables_holding(&before, ADDRESS), with_address);
    let with_name = [
        "audit_log",
        "champion_nominations",
        "champions",
        "conference_sessions",
        "newsletter_subscribers",
        "partners",
        "proposals",
        "registrations",
        "suggestions",
    ];
    assert_eq!(tables_holding(&before, NAME), with_name);

    let response = send(&app, ERASURE, &admin, &json!({ "email": TYPED })).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(!text.to_lowercase().contains("zephyrine"), "no personal data echoed: {text}");
    let summary: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        summary,
        json!({
            "newsletter_subscribers": 1,
            "confirm_tokens": 1,
            "messages": 6,
            "suggestions": 1,
            "nominations_as_nominator": 1,
            "nominations_as_nominee": 1,
            "spotlights": 1,
            "registrations": 1,
            "proposals": 1,
            "sessions": 2,
            "partner_contacts": 1,
            "decision_reasons": 1,
            "audit_entries": 2,
        })
    );

    // THE check: every column of every row of every table.
    let after = app.dump().await;
    for needle in [ADDRESS, NAME, INSTITUTION, ROLE, WORK, DIETARY, ACCESSIBILITY, SLUG, "zephyrine"] {
        let found = holding(&after, needle);
        assert!(found.is_empty(), "{needle} is still stored: {found:#?}");
    }

    // The other person keeps everything; the records the Alliance keeps are still there.
    for needle in [OTHER, OTHER_NAME] {
        assert!(!holding(&after, needle).is_empty(), "{needle} was kept");
    }
    assert_eq!(app.count("suggestions").await, 1);
    assert_eq!(app.count("champion_nominations").await, 2);
    assert_eq!(app.count("champions").await, 1);
    assert_eq!(app.count("registrations").await, 2);
    assert_eq!(app.count("proposals").await, 1);
    assert_eq!(app.count("conference_sessions").await, 2);
    assert_eq!(app.count("partners").await, 1);
    assert_eq!(app.count("newsletter_subscribers").await, 1);

    let get = |path: String| app.get(&path).bearer_auth(&admin).json_value();
    let suggestion = get(format!("/api/v1/admin/suggestions/{}", person.suggestion)).await;
    assert_eq!(suggestion["submitter"]["name"], Value::Null);
    assert_eq!(suggestion["submitter"]["email"], Value::Null);
    assert_eq!(suggestion["decision_reason"], "[erased] sent this twice; we wrote back to [erased].");
    assert_eq!(suggestion["title"], "Community health workers in the curriculum", "the suggestion itself stays");
    let nominated = get(format!("/api/v1/admin/champion-nominations/{}", person.nominated)).await;
    assert_eq!(
        nominated["nominee"],
        json!({
            "name": "[erased]",
            "role": "[erased]",
            "institution": "[erased]",
            "profession": { "slug": "medicine", "label": "Medicine" },
            "email": null,
        })
    );
    assert_eq!(nominated["health_equity_work"], "[erased]");
    assert_eq!(nominated["nominator"]["name"], OTHER_NAME, "the nominator is someone else, who stays");
    assert_eq!(
        (nominated["status"].as_str(), nominated["nominee_consent"].as_str()),
        (Some("approved"), Some("given"))
    );
    let nominating = get(format!("/api/v1/admin/champion-nominations/{}", person.nominating)).await;
    assert_eq!(nominating["nominator"], json!({ "name": null, "email": null }));
    assert_eq!(nominating["nominee"]["name"], "Robin Third");
    let partner = get(format!("/api/v1/admin/partners/{}", person.partner)).await;
    assert_eq!((partner["contact_name"].as_str(), partner["contact_email"].as_str()), (Some("[erased]"), None));
    assert_eq!(partner["institution"], "Northwind Health Sciences Library");

    let proposal: Value = app
        .get(&format!("{EDITIONS}/{}/proposals/{}", person.edition, person.proposal))
        .bearer_auth(&admin)
        .json_value()
        .await;
    assert_eq!(proposal["authors"], json!(["Grace Hopper"]), "{proposal}");
    let agenda = app.get_json(&format!("/api/v1/conferences/{}", person.edition)).await.to_string();
    assert!(agenda.contains("Fitzhugh Mullan") && agenda.contains("Grace Hopper"), "the other speakers stay");

    // The spotlight is gone from the public pages.
    let champions = app.get_json("/api/v1/champions").await;
    assert_eq!(champions["meta"]["total"], 0, "{champions}");
    problem(app.get(&format!("/api/v1/champions/{SLUG}")).send().await.unwrap(), 404).await;
    let spotlight: Value =
        app.get(&format!("/api/v1/admin/champions/{}", person.spotlight)).bearer_auth(&admin).json_value().await;
    assert_eq!(spotlight["status"], "unpublished");
    assert_eq!(spotlight["name"], "[erased]");
    assert_eq!(spotlight["photo_url"], Value::Null);
    // And it cannot be published again: the person asked to be erased.
    let publish = format!("/api/v1/admin/champions/{}/publish", person.spotlight);
    refused(app.post(&publish).bearer_auth(&admin).send().await.unwrap(), ProblemType::ConsentWithdrawn).await;
    assert_eq!(app.get_json("/api/v1/champions").await["meta"]["total"], 0);

    // The erasure is audited with its counts, without the address.
    let log = audit(&app, &admin, "privacy.erase").await;
    assert_eq!(log["meta"]["total"], 1);
    assert_eq!(log["data"][0]["details"], summary);
    assert_eq!(log["data"][0]["entity_id"], "");

    // A link in an old message still answers, and brings nothing back.
    let response =
        app.post("/api/v1/newsletter/unsubscribe").json(&json!({ "token": person.unsubscribe_token })).send().await;
    let response = response.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "status": "unsubscribed" }));
    assert!(holding(&app.dump().await, ADDRESS).is_empty());

    // Erasing again is harmless: nothing left to touch.
    let again = staff_json(&app, ERASURE, &admin, &json!({ "email": ADDRESS }), 200).await;
    assert!(again.as_object().unwrap().values().all(|n| n == 0), "{again}");
    let nothing = staff_json(&app, ACCESS, &admin, &json!({ "email": ADDRESS }), 200).await;
    assert_eq!(nothing["newsletter"], Value::Null);
    assert_eq!(nothing["suggestions"], json!([]));
    assert_eq!(nothing["registrations"], json!([]));
}

#[actix_web::test]
async fn erasing_an_address_that_matches_nothing_answers_zeros_and_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    public_json(&app, "/api/v1/newsletter/subscriptions", &json!({ "email": OTHER, "consent": true }), 202).await;
    let before = app.dump().await;

    let summary = staff_json(&app, ERASURE, &admin, &json!({ "email": "Nobody@Example.org" }), 200).await;
    assert!(summary.as_object().unwrap().len() > 10 && summary.as_object().unwrap().values().all(|n| n == 0));
    let after: Vec<(String, String)> = app.dump().await.into_iter().filter(|(t, _)| t != "audit_log").collect();
    let before: Vec<(String, String)> = before.into_iter().filter(|(t, _)| t != "audit_log").collect();
    assert_eq!(after, before, "nothing else changed");
    let log = audit(&app, &admin, "privacy.erase").await;
    assert_eq!(log["meta"]["total"], 1);
    assert!(!log.to_string().to_lowercase().contains("nobody"), "{log}");
}
