//! Demo data and the first admin. The library, submissions and conference issues extend `demo`.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::password;
use crate::users::json::Role;
use crate::users::model::{NewUser, User};
use crate::users::queries;
use crate::values::Email;

/// The demo staff's password, development only: `serve` seeds these accounts on first start.
pub const DEMO_PASSWORD: &str = "social-mission-demo";
pub const DEMO_STAFF: [(&str, &str, Role); 2] =
    [("admin@example.org", "Demo Admin", Role::Admin), ("editor@example.org", "Demo Editor", Role::Editor)];

pub async fn create_staff(
    conn: &mut AsyncPgConnection,
    email: &str,
    name: &str,
    role: Role,
    password: String,
) -> anyhow::Result<User> {
    let email = Email::parse(email)?;
    anyhow::ensure!((1..=200).contains(&name.trim().chars().count()), "the name must be 1 to 200 characters");
    anyhow::ensure!(password.chars().count() >= 12, "the password must be at least 12 characters");
    let password_hash = password::hash(password).await?;
    let name = name.trim().to_string();
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        anyhow::ensure!(
            queries::find_by_email(conn, &email).await?.is_none(),
            "a user with the email {email} already exists"
        );
        let new =
            NewUser { id: Uuid::now_v7(), email: email.as_ref(), name: &name, role, password_hash: &password_hash };
        let user = queries::insert(conn, &new).await?;
        audit::record(
            conn,
            NewAuditEntry {
                actor_id: None,
                action: "user.create",
                entity_type: "user",
                entity_id: user.id.to_string(),
                details: json!({ "email": user.email, "role": user.role, "via": "command line" }),
                request_id: None,
            },
        )
        .await?;
        Ok(user)
    })
    .await
}

/// The vocabularies, seeded on every start: values are only ever added, never overwritten.
pub async fn vocabularies(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    crate::taxonomy::seed::vocabularies(conn).await?;
    Ok(())
}

/// Adds whatever demo data is missing (staff, the library's real examples, a sample Champion spotlight, the conference's editions); running it twice
/// changes nothing. `resources` synthetic resources are added on top each time.
pub async fn demo(conn: &mut AsyncPgConnection, resources: usize) -> anyhow::Result<()> {
    vocabularies(conn).await?;
    crate::resources::seed::examples(conn).await?;
    crate::champions::seed::demo(conn).await?;
    crate::editions::seed::demo(conn).await?;
    if resources > 0 {
        let started = std::time::Instant::now();
        let total = crate::resources::seed::synthetic(conn, resources).await?;
        tracing::info!(
            added = resources,
            total,
            seconds = started.elapsed().as_secs_f64(),
            "seeded synthetic resources"
        );
    }
    for (email, name, role) in DEMO_STAFF {
        if queries::find_by_email(conn, &Email::parse(email)?).await?.is_none() {
            create_staff(conn, email, name, role, DEMO_PASSWORD.to_string()).await?;
        }
    }
    tracing::info!(
        "demo staff: {} and {}, password `{DEMO_PASSWORD}` (development data; never seed it in production)",
        DEMO_STAFF[0].0,
        DEMO_STAFF[1].0
    );
    Ok(())
}

/// In production: an active account that still opens with the demo password (the README prints
/// it) is deactivated and its sessions end, and the log says so.
pub async fn disable_demo_staff(conn: &mut AsyncPgConnection) -> anyhow::Result<usize> {
    let mut disabled = 0;
    for user in queries::active(conn).await? {
        if !password::verify(DEMO_PASSWORD.into(), user.password_hash.clone()).await? {
            continue;
        }
        conn.transaction::<_, anyhow::Error, _>(async |conn| {
            queries::deactivate(conn, user.id).await?;
            crate::auth::queries::revoke_user_sessions(conn, user.id, "demo password in production").await?;
            audit::record(
                conn,
                NewAuditEntry {
                    actor_id: None,
                    action: "user.disable_demo",
                    entity_type: "user",
                    entity_id: user.id.to_string(),
                    details: json!({ "reason": "the account opened with the published demo password in production" }),
                    request_id: None,
                },
            )
            .await?;
            Ok(())
        })
        .await?;
        tracing::warn!(
            user_id = %user.id,
            "production: deactivated a staff account that opened with the published demo password; \
             create real staff with `social-mission-api create-admin` and /api/v1/admin/users"
        );
        disabled += 1;
    }
    Ok(disabled)
}

/// In development, seeds the demo data into a database that has no users yet.
pub async fn demo_on_first_start(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    if queries::count(conn).await? == 0 {
        demo(conn, 0).await?;
    }
    Ok(())
}
