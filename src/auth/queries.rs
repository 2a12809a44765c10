//! The SQL the extractors need: the user behind a live session, and ending a user's sessions
//! (what deactivation does). Starting and rotating sessions is the `sessions` feature's.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::Role;
use crate::db::schema::{sessions, users};

/// The signed-in user as the extractors see it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SessionUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
}

pub async fn revoke_user_sessions(conn: &mut AsyncPgConnection, user_id: Uuid, reason: &str) -> QueryResult<usize> {
    diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(diesel::dsl::now), sessions::revoked_reason.eq(reason)))
        .execute(conn)
        .await
}

/// The user behind a live session: active, the session not revoked and begun less than
/// `max_age` ago. One query per authenticated request, so deactivation, sign-out and the
/// session's end take effect at once.
pub async fn session_user(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    max_age: std::time::Duration,
) -> QueryResult<Option<SessionUser>> {
    let begun_after = chrono::Duration::from_std(max_age)
        .ok()
        .and_then(|age| Utc::now().checked_sub_signed(age))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    users::table
        .inner_join(sessions::table)
        .filter(users::is_active.eq(true))
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::created_at.gt(begun_after))
        .select(SessionUser::as_select())
        .first(conn)
        .await
        .optional()
}
