//! What keeps people safe in front of the public (issue 11): no live secret at rest, control
//! characters in paths, CSV cells that a spreadsheet would run, `no-store` on personal answers,
//! production's CORS, and retention.

use std::time::Duration;

use diesel_async::RunQueryDsl;
use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::{problem, resource, SendJson, TestApp};

/// Every row of every table of the test's database as text, one line each.
async fn dump(app: &TestApp) -> String {
    app.dump().await.into_iter().map(|(table, row)| format!("{table} {row}\n")).collect()
}

fn after(text: &str, marker: &str) -> String {
    let start = text.find(marker).unwrap_or_else(|| panic!("no {marker} in:\n{text}")) + marker.len();
    text[start..].split(|c: char| c.is_whitespace() || c == '>' || c == '&').next().unwrap().to_string()
}

#[actix_web::test]
async fn a_copy_of_the_database_holds_no_token_the_service_handed_out() {
    let (app, sink) = TestApp::spawn_with_mail(&[("WEBSITE_URL", "https://www.example.test")]).await;
    let mut given: Vec<(&str, String)> = Vec::new();

    // Staff sign-in: access and refresh tokens.
    let (_, pair) = app.login_as(Role::Admin).await;
    let admin = pair["access_token"].as_str().unwrap().to_string();
    given.push(("access token", admin.clone()));
    given.push(("refresh token", pair["refresh_token"].as_str().unwrap().to_string()));

    // A partner's API key, shown once.
    let partner: Value = app
        .post("/api/v1/admin/partners")
        .bearer_auth(&admin)
        .json(&json!({ "institution": "Partner University", "contact_name": "Pat Partner" }))
        .json_value()
        .await;
    let key: Value = app
        .post(&format!("/api/v1/admin/partners/{}/keys", partner["id"].as_str().unwrap()))
        .bearer_auth(&admin)
        .json(&json!({ "name": "harvester" }))
        .json_value()
        .await;
    given.push(("API key", key["key"].as_str().expect("the key is shown once").to_string()));

    // A conference registration made with an Idempotency-Key: its answer (with the manage token)
    // is stored for replays.
    let edition: Value = app
        .post("/api/v1/admin/conferences")
        .bearer_auth(&admin)
        .json(&json!({
            "name": "Beyond Flexner 2027", "theme": "Health equity", "starts_on": "2027-04-14",
            "ends_on": "2027-04-16", "time_zone": "America/Chicago", "venue": "Hyatt", "city": "Tulsa",
            "description": "The annual meeting."
        }))
        .json_value()
        .await;
    let slug = edition["slug"].as_str().unwrap();
    let kind: Value = app
        .post(&format!("/api/v1/admin/conferences/{slug}/registration-types"))
        .bearer_auth(&admin)
        .json(&json!({ "name": "Professional", "price_minor": 45000, "currency": "USD", "capacity": 10 }))
        .json_value()
        .await;
    let published = app
        .patch(&format!("/api/v1/admin/conferences/{slug}"))
        .bearer_auth(&admin)
        .json(&json!({ "status": "published" }))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 200);
    let registration = app
        .post(&format!("/api/v1/conferences/{slug}/registrations"))
        .header("idempotency-key", "registration-1")
        .json(&json!({
            "registration_type_id": kind["id"], "name": "Ada Lovelace", "email": "ada@example.org",
            "institution": "University of Tulsa", "consent": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(registration.status(), 201);
    let receipt: Value = registration.json().await.unwrap();
    given.push(("manage token", receipt["manage_token"].as_str().unwrap().to_string()));
    assert_eq!(app.count("idempotency_keys WHERE response_status = 201").await, 1, "the answer is stored");

    // The newsletter's confirmation and unsubscribe links, and a nominee's consent link.
    let subscribed = app
        .post("/api/v1/newsletter/subscriptions")
        .json(&json!({ "email": "reader@example.org", "consent": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(subscribed.status(), 202);
    let nominated = app
        .post("/api/v1/champion-nominations")
        .json(&json!({
            "nominee_name": "Maria Lopez", "nominee_role": "Dean", "nominee_institution": "UNM",
            "nominee_profession": "nursing", "nominee_email": "maria@example.org",
            "health_equity_work": "Community partnerships.", "self_nomination": true, "consent_to_feature": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(nominated.status(), 201);

    let mail = sink.wait_for(3, Duration::from_secs(20)).await;
    for message in &mail {
        let text = message.text_body();
        for marker in ["/newsletter/confirm?token=", "/newsletter/unsubscribe?token=", "/champions/consent?token="] {
            if text.contains(marker) {
                given.push(("emailed link", after(&text, marker)));
            }
        }
        if let Some(header) = message.header("List-Unsubscribe") {
            given.push(("List-Unsubscribe", after(&header, "token=")));
        }
    }
    assert!(given.iter().filter(|(what, _)| *what == "emailed link").count() >= 3, "{given:?}");

    // Sent messages keep no body at all; what waits is sealed. Nothing in clear anywhere.
    assert_eq!(app.count("outbox WHERE status = 'sent' AND (sealed IS NOT NULL OR body IS NOT NULL)").await, 0);
    let dump = dump(&app).await;
    for (what, token) in &given {
        assert!(token.len() >= 20, "{what}: {token}");
        assert!(!dump.contains(token.as_str()), "the {what} is stored in clear:\n{dump}");
    }
}

#[actix_web::test]
async fn unsent_messages_and_stored_answers_are_sealed_and_still_work() {
    let app = TestApp::spawn().await;
    let body = json!({ "email": "reader@example.org", "consent": true });
    let first =
        app.post("/api/v1/newsletter/subscriptions").header("idempotency-key", "k1").json(&body).send().await.unwrap();
    assert_eq!(first.status(), 202);
    let replay =
        app.post("/api/v1/newsletter/subscriptions").header("idempotency-key", "k1").json(&body).send().await.unwrap();
    assert_eq!(replay.status(), 202);
    assert_eq!(replay.headers()["idempotent-replayed"], "true", "a sealed answer still replays");

    // Without SMTP the message is logged: its body stays, sealed, for development's `mail` command.
    app.run_pending_jobs().await;
    assert_eq!(app.count("outbox WHERE status = 'logged'").await, 1);
    let opened = app.messages_to("reader@example.org").await.remove(0);
    let token = after(opened.body.as_deref().unwrap(), "/newsletter/confirm?token=");
    assert!(!dump(&app).await.contains(&token));
    let confirmed = app.post("/api/v1/newsletter/confirm").json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(confirmed.status(), 200, "the link in the sealed body works");
}

#[actix_web::test]
async fn a_control_character_in_any_path_parameter_is_a_404_never_a_500() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let document: Value = serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    let mut tried = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        for bad in ["a%00b", "%0A", "x%1Fy", "%7F", "%C3%28"] {
            let mut concrete = String::new();
            for part in path.split('/') {
                if !concrete.is_empty() || part.is_empty() {
                    concrete.push('/');
                }
                concrete.push_str(if part.starts_with('{') { bad } else { part });
            }
            for method in item.as_object().unwrap().keys() {
                let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let response = app
                    .client
                    .request(method.clone(), app.url(&concrete))
                    .bearer_auth(&admin)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 404, "{method} {concrete}");
                problem(response, 404).await;
                tried += 1;
            }
        }
    }
    assert!(tried > 200, "every path parameter of every route: {tried}");
}

#[actix_web::test]
async fn every_csv_defuses_formulas_and_ndjson_stays_exact() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    let title = "=HYPERLINK(\"https://evil.example\",\"Click\")";
    app.publish_resource(&editor, &resource(json!({ "title": title, "source": "@source", "authors": ["-Minus, A."] })))
        .await;
    let csv = app.get("/api/v1/resources/export?format=csv").send().await.unwrap().text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row.get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_string();
    assert_eq!(cell("title"), format!("'{title}"));
    assert_eq!(cell("source"), "'@source");
    let ndjson = app.get("/api/v1/resources/export?format=ndjson").send().await.unwrap().text().await.unwrap();
    let line: Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    assert_eq!(line["title"], title, "NDJSON is the exact form");
}

#[actix_web::test]
async fn answers_with_a_token_or_a_persons_data_are_never_cached() {
    let app = TestApp::spawn().await;
    let (_, email) = app.create_user(Role::Admin).await;
    let login = app.login(&email, crate::helpers::PASSWORD).await;
    assert_eq!(login.headers()["cache-control"], "no-store");
    let pair: Value = login.json().await.unwrap();
    let refreshed =
        app.post("/api/v1/auth/refresh").json(&json!({ "refresh_token": pair["refresh_token"] })).send().await.unwrap();
    assert_eq!(refreshed.status(), 200);
    assert_eq!(refreshed.headers()["cache-control"], "no-store");
    let token = pair["access_token"].as_str().unwrap();
    for path in
        ["/api/v1/auth/me", "/api/v1/admin/users", "/api/v1/admin/newsletter/subscribers", "/api/v1/admin/audit-log"]
    {
        let response = app.get(path).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let suggestion = app
        .post("/api/v1/suggestions")
        .json(&json!({
            "title": "A toolkit", "url": "https://example.org/t", "why": "Useful.",
            "domains": ["community-engagement"], "submitter_name": "Ada",
            "submitter_email": "ada@example.org", "consent_to_contact": false
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(suggestion.status(), 201, "{:?}", suggestion.headers());
    assert_eq!(suggestion.headers()["cache-control"], "no-store");
    let missing = app.get("/api/v1/registrations/ABCDEFGH?token=nope").send().await.unwrap();
    assert_eq!(missing.headers()["cache-control"], "no-store");
    // Public reads keep choosing their own caching.
    let public = app.get("/api/v1/taxonomy").send().await.unwrap();
    assert_eq!(public.headers()["cache-control"], "public, max-age=60");
}

#[actix_web::test]
async fn production_allows_no_cors_origin_it_was_not_given() {
    let app = TestApp::spawn_with(&[
        ("APP_ENV", "production"),
        ("JWT_SECRET", "a-production-secret-of-more-than-32-characters"),
    ])
    .await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/resources"))
        .header("origin", "https://anywhere.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    let read = app.get("/api/v1/resources").header("origin", "https://anywhere.example").send().await.unwrap();
    assert!(read.headers().get("access-control-allow-origin").is_none());
}

#[actix_web::test]
async fn the_worker_purges_old_messages_idempotency_records_and_past_registrations_personal_data() {
    let app = TestApp::spawn_with(&[
        ("RETENTION_MESSAGES_DAYS", "30"),
        ("RETENTION_IDEMPOTENCY_HOURS", "24"),
        ("RETENTION_REGISTRATIONS_DAYS", "365"),
    ])
    .await;
    let mut conn = app.db().await;
    let statements = [
        // Messages: an old sent one and an old logged one go; a recent one and a pending one stay.
        "INSERT INTO outbox (kind, recipient, subject, status, created_at) VALUES \
           ('t', 'old-sent@example.org', 's', 'sent', now() - interval '31 days'), \
           ('t', 'old-logged@example.org', 's', 'logged', now() - interval '31 days'), \
           ('t', 'recent@example.org', 's', 'sent', now() - interval '29 days'), \
           ('t', 'pending@example.org', 's', 'pending', now() - interval '40 days')",
        "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES \
           ('POST /x', 'old', '\\x00', now() - interval '25 hours'), ('POST /x', 'new', '\\x00', now())",
        "INSERT INTO conferences (id, slug, name, theme, starts_on, ends_on, time_zone, venue, city, description, status) VALUES \
           ('00000000-0000-0000-0000-0000000000a1', 'old-edition', 'Old', '', current_date - 400, current_date - 398, 'UTC', '', '', '', 'published'), \
           ('00000000-0000-0000-0000-0000000000a2', 'recent-edition', 'Recent', '', current_date - 100, current_date - 98, 'UTC', '', '', '', 'published')",
        "INSERT INTO registration_types (id, conference_id, name, price_minor, currency, capacity) VALUES \
           ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000a1', 'P', 0, 'USD', 10), \
           ('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-0000000000a2', 'P', 0, 'USD', 10)",
        "INSERT INTO registrations (id, conference_id, registration_type_id, code, token_hash, name, email, institution, \
           role, profession, accessibility_needs, dietary_needs, consent, status, payment_status) VALUES \
           (gen_random_uuid(), '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000b1', 'AAAAAAAA', '\\x01', \
            'Old Attendee', 'old.attendee@example.org', 'Old University', 'Dean', 'Medicine', 'Wheelchair access', 'Halal meals', true, 'confirmed', 'paid'), \
           (gen_random_uuid(), '00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-0000000000b2', 'BBBBBBBB', '\\x02', \
            'Recent Attendee', 'recent.attendee@example.org', 'Recent University', 'Dean', 'Medicine', '', 'Vegan', true, 'confirmed', 'paid')",
    ];
    for statement in statements {
        diesel::sql_query(statement).execute(&mut conn).await.unwrap();
    }
    // The worker of a newly started instance runs retention at once (then every ten minutes).
    let other = app.another_instance().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while app.count("outbox").await != 2 || app.count("registrations WHERE email IS NULL").await != 1 {
        assert!(std::time::Instant::now() < deadline, "retention did not run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(other);
    assert_eq!(app.count("outbox WHERE recipient IN ('recent@example.org', 'pending@example.org')").await, 2);
    assert_eq!(app.count("idempotency_keys").await, 1);
    let dump = dump(&app).await;
    for gone in ["Old Attendee", "old.attendee@example.org", "Old University", "Wheelchair access", "Halal meals"] {
        assert!(!dump.contains(gone), "{gone} is still stored");
    }
    assert!(dump.contains("Recent Attendee") && dump.contains("Vegan"), "a recent edition's registrations stay");
    assert_eq!(
        app.count("registrations WHERE code = 'AAAAAAAA' AND status = 'confirmed' AND payment_status = 'paid'").await,
        1
    );
}

#[actix_web::test]
async fn the_migration_unconfirms_claimed_consents_and_the_start_seals_legacy_message_bodies() {
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    use diesel_async::AsyncPgConnection;
    use diesel_migrations::MigrationHarness;
    let app = TestApp::spawn().await;
    let url = app.database_url.clone();
    let migrate = |revert: bool| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn: AsyncConnectionWrapper<AsyncPgConnection> = diesel::Connection::establish(&url).unwrap();
            if revert {
                // Back to before the safety migration (and any that came after it).
                loop {
                    let version = conn.revert_last_migration(social_mission_api::db::MIGRATIONS).unwrap();
                    if version.to_string().replace('-', "").starts_with("20261130000007") {
                        break;
                    }
                }
            } else {
                conn.run_pending_migrations(social_mission_api::db::MIGRATIONS).unwrap();
            }
        })
    };
    migrate(true).await.unwrap();
    let mut conn = app.db().await;
    let legacy = [
        // A self-nomination whose consent only the form claimed, approved and published.
        "INSERT INTO champion_nominations (id, nominee_name, nominee_role, nominee_institution, profession_id, \
           nominee_email, health_equity_work, self_nomination, consent_to_feature, nominee_consent, status) \
         SELECT '00000000-0000-0000-0000-0000000000c1', 'Claimed Person', 'Dean', 'U', id, 'claimed@example.org', \
           'Work.', true, true, 'given', 'approved' FROM vocabulary_terms WHERE vocabulary = 'profession' LIMIT 1",
        "INSERT INTO champions (id, nomination_id, slug, name, role, institution, profession_id, story) \
         SELECT gen_random_uuid(), '00000000-0000-0000-0000-0000000000c1', 'claimed-person', 'Claimed Person', \
           'Dean', 'U', profession_id, 'Work.' FROM champion_nominations",
        // A message written before bodies were sealed, and a stored answer in clear.
        // (Due later, so this test's own worker leaves it alone.)
        "INSERT INTO outbox (kind, recipient, subject, body, headers, next_attempt_at) VALUES \
           ('newsletter.confirm', 'legacy@example.org', 'Confirm', 'Open https://x.test/confirm?token=LEGACYTOKEN123', \
            '{}', now() + interval '1 hour')",
        "INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body) VALUES \
           ('POST /x', 'k', '\\x00', 201, '{\"manage_token\":\"LEGACYMANAGE123\"}')",
    ];
    for statement in legacy {
        diesel::sql_query(statement).execute(&mut conn).await.unwrap();
    }
    migrate(false).await.unwrap();
    assert_eq!(app.count("champion_nominations WHERE nominee_consent = 'unconfirmed'").await, 1);
    assert_eq!(app.count("champions WHERE status = 'unpublished'").await, 1, "its spotlight is taken down");
    assert_eq!(app.count("idempotency_keys").await, 0, "stored answers in clear are gone");

    let key =
        social_mission_api::crypto::DataKey::derive(&social_mission_api::config::DEV_JWT_SECRET.to_string().into());
    assert_eq!(social_mission_api::jobs::outbox::seal_legacy(&mut conn, &key).await.unwrap(), 1);
    let dump = dump(&app).await;
    assert!(!dump.contains("LEGACYTOKEN123") && !dump.contains("LEGACYMANAGE123"));
    let body = app.messages_to("legacy@example.org").await.remove(0).body.unwrap();
    assert!(body.contains("LEGACYTOKEN123"), "the sealed legacy body still opens");
}

/// The access each operation's description states is the one its route group enforces: every
/// staff operation refuses a caller without a token (401) and every admin operation an editor
/// (403), whatever its path parameters and body, before anything else is read.
#[actix_web::test]
async fn every_staff_route_refuses_the_unsigned_and_every_admin_route_an_editor() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    let document: Value = app.get("/openapi.json").send().await.unwrap().json().await.unwrap();
    let (mut staff, mut admins) = (0, 0);
    for (path, item) in document["paths"].as_object().unwrap() {
        let concrete: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { "00000000-0000-0000-0000-000000000000" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for (method, operation) in item.as_object().unwrap() {
            let description = operation["description"].as_str().unwrap_or_default();
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let admin_only = description.contains("Access: signed-in admins");
            if !admin_only && !description.contains("Access: signed-in staff") {
                continue;
            }
            let unsigned =
                app.client.request(method.clone(), app.url(&concrete)).json(&json!({})).send().await.unwrap();
            assert_eq!(unsigned.status(), 401, "{method} {path} without a token");
            problem(unsigned, 401).await;
            if admin_only {
                let response = app
                    .client
                    .request(method.clone(), app.url(&concrete))
                    .bearer_auth(&editor)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 403, "{method} {path} as an editor");
                admins += 1;
            } else {
                staff += 1;
            }
        }
    }
    assert!(staff > 40 && admins > 15, "staff {staff}, admins {admins}");
}
