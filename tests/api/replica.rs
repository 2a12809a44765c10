//! `DATABASE_READ_URL`: public reads not answered from memory, the change feed, the export and
//! OAI-PMH read a real streaming replica (made by `pg_basebackup`, see `helpers::replica`);
//! writes and what a writer reads back use the primary, and nothing read from a replica that
//! lags is kept or served as current: an editor who publishes sees the page at once.

use std::collections::HashSet;

use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use serde_json::{json, Value};
use social_mission_api::users::json::Role;

use crate::helpers::replica::ReplicaPair;
use crate::helpers::{resource, TestApp};

async fn on_pair(pair: &ReplicaPair) -> TestApp {
    TestApp::spawn_at(&pair.primary_url, &[("DATABASE_READ_URL", pair.replica_url.as_str())]).await
}

/// Every change the feed gives, from the start, following its cursors to the end.
async fn feed(app: &TestApp) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    let mut path = "/api/v1/resources/changes?limit=3".to_string();
    loop {
        let page = app.get_json(&path).await;
        for change in page["data"].as_array().unwrap() {
            seen.push((change["id"].as_str().unwrap().to_string(), change["kind"].as_str().unwrap().to_string()));
        }
        match page["meta"]["next_cursor"].as_str() {
            Some(next) => path = format!("/api/v1/resources/changes?limit=3&cursor={next}"),
            None => return seen,
        }
    }
}

#[actix_web::test]
async fn public_reads_come_from_the_replica_and_an_editor_sees_a_change_at_once() {
    let pair = ReplicaPair::start().await;
    let app = on_pair(&pair).await;
    let editor = app.token(Role::Editor).await;
    let first = app.publish_resource(&editor, &resource(json!({ "title": "Rural pipeline programs" }))).await;
    let first_id = first["id"].as_str().unwrap().to_string();
    pair.caught_up().await;

    // Held back on the replica: from now on it answers from what it has replayed.
    pair.pause_replay(true).await;
    // A change on the primary that no instance hears of (no trigger, no notification): only a
    // read of the replica still shows the first title.
    let mut primary = pair.primary().await;
    primary.batch_execute("SET session_replication_role = replica").await.unwrap();
    diesel::sql_query(
        "UPDATE served_cards SET body = replace(body, 'Rural pipeline', 'Primary-only') WHERE resource_id = $1",
    )
    .bind::<SqlUuid, _>(uuid::Uuid::parse_str(&first_id).unwrap())
    .execute(&mut primary)
    .await
    .unwrap();
    let detail = app.get_json(&format!("/api/v1/resources/{first_id}")).await;
    assert_eq!(detail["title"], "Rural pipeline programs", "a cold detail reads the replica");

    // An editor publishes while the replica lags: the page, the list and the citation are there
    // at once (read from the primary, since the replica has not replayed the change).
    let second = app.publish_resource(&editor, &resource(json!({ "title": "Anchor institutions" }))).await;
    let slug = second["slug"].as_str().unwrap();
    let page = app.get(&format!("/api/v1/resources/{slug}")).send().await.unwrap();
    assert_eq!(page.status(), 200, "the editor sees the new page at once");
    let page: Value = page.json().await.unwrap();
    assert_eq!(page["title"], "Anchor institutions");
    let list = app.get_json("/api/v1/resources?q=anchor").await;
    assert_eq!(list["data"][0]["title"], "Anchor institutions");
    let cited = app.get(&format!("/api/v1/resources/{slug}/citation?format=bibtex")).send().await.unwrap();
    assert_eq!(cited.status(), 200);
    // The feed, the export and OAI-PMH read the replica: not there yet.
    let ids: HashSet<String> = feed(&app).await.into_iter().map(|(id, _)| id).collect();
    assert!(ids.contains(&first_id) && !ids.contains(second["id"].as_str().unwrap()), "{ids:?}");
    let export = app.get("/api/v1/resources/export").send().await.unwrap().text().await.unwrap();
    assert_eq!(export.lines().count(), 1, "{export}");
    let oai = app.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").send().await.unwrap().text().await.unwrap();
    assert_eq!(oai.matches("<identifier>").count(), 1, "{oai}");

    // Once the replica replays, there too; and a later edit on the primary is still seen at once.
    pair.pause_replay(false).await;
    pair.caught_up().await;
    let changes = feed(&app).await;
    assert_eq!(changes.iter().filter(|(id, _)| id == second["id"].as_str().unwrap()).count(), 1, "{changes:?}");
    let export = app.get("/api/v1/resources/export").send().await.unwrap().text().await.unwrap();
    assert_eq!(export.lines().count(), 2);
    pair.pause_replay(true).await;
    let id = second["id"].as_str().unwrap();
    let patch = app
        .patch(&format!("/api/v1/admin/resources/{id}"))
        .bearer_auth(&editor)
        .json(&json!({ "title": "Anchor institutions, revised" }));
    assert_eq!(patch.send().await.unwrap().status(), 200);
    assert_eq!(app.get_json(&format!("/api/v1/resources/{id}")).await["title"], "Anchor institutions, revised");
    pair.pause_replay(false).await;
}

#[actix_web::test]
async fn the_change_feed_read_from_the_replica_never_skips_or_repeats_a_change() {
    let pair = ReplicaPair::start().await;
    let app = on_pair(&pair).await;
    let editor = app.token(Role::Editor).await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let created = app.publish_resource(&editor, &resource(json!({ "title": format!("Resource {n}") }))).await;
        ids.push(created["id"].as_str().unwrap().to_string());
    }
    // Edits commit while a partner pages through the feed on the replica, three at a time.
    let writer = {
        let (address, client, editor, ids) = (app.address.clone(), app.client.clone(), editor.clone(), ids.clone());
        actix_web::rt::spawn(async move {
            for n in 0..30 {
                let id = &ids[n % ids.len()];
                let response = client
                    .patch(format!("{address}/api/v1/admin/resources/{id}"))
                    .bearer_auth(&editor)
                    .json(&json!({ "summary": format!("Edit {n}.") }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
            }
        })
    };
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut writing = true;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/resources/changes?limit=3&cursor={c}"),
            None => "/api/v1/resources/changes?limit=3".to_string(),
        };
        let page = app.get_json(&path).await;
        for change in page["data"].as_array().unwrap() {
            seen.push((change["id"].as_str().unwrap().to_string(), change["changed_at"].as_str().unwrap().to_string()));
        }
        cursor = Some(page["meta"]["resume_cursor"].as_str().unwrap().to_string());
        if page["meta"]["next_cursor"].is_null() {
            if !writing {
                break;
            }
            if writer.is_finished() {
                writing = false;
                pair.caught_up().await;
            }
        }
    }
    #[derive(diesel::QueryableByName)]
    struct Change {
        #[diesel(sql_type = Text)]
        id: String,
        #[diesel(sql_type = Text)]
        changed_at: String,
    }
    let on_primary: Vec<Change> = diesel::sql_query(
        "SELECT resource_id::text AS id, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS changed_at \
         FROM library_changes ORDER BY seq",
    )
    .load(&mut pair.primary().await)
    .await
    .unwrap();
    assert_eq!(seen.len(), on_primary.len(), "every change once: {} seen, {} made", seen.len(), on_primary.len());
    for ((id, at), change) in seen.iter().zip(&on_primary) {
        assert_eq!(id, &change.id);
        assert!(at.starts_with(&change.changed_at[..19]), "{at} vs {}", change.changed_at);
    }
    assert_eq!(on_primary.len(), 4 + 30);
}
