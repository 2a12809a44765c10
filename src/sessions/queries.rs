//! All SQL of sign-in sessions and refresh tokens.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::Consumed;
use crate::db::schema::{refresh_tokens, sessions};

pub async fn create_session(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(sessions::table)
        .values((sessions::id.eq(id), sessions::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    Ok(id)
}

pub async fn insert_refresh_token(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(Uuid::now_v7()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a refresh token used, atomically: of two concurrent uses only one can rotate.
pub async fn consume_refresh_token(conn: &mut AsyncPgConnection, token_hash: &[u8]) -> QueryResult<Consumed> {
    let rotated: Option<Uuid> = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::expires_at.gt(diesel::dsl::now)),
    )
    .set(refresh_tokens::used_at.eq(diesel::dsl::now))
    .returning(refresh_tokens::session_id)
    .get_result(conn)
    .await
    .optional()?;
    if let Some(session_id) = rotated {
        return Ok(Consumed::Rotated { session_id });
    }
    let used: Option<(Uuid, Option<DateTime<Utc>>)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((refresh_tokens::session_id, refresh_tokens::used_at))
        .first(conn)
        .await
        .optional()?;
    Ok(match used {
        Some((session_id, Some(_))) => Consumed::Reused { session_id },
        _ => Consumed::Invalid,
    })
}

pub async fn revoke_session(conn: &mut AsyncPgConnection, session_id: Uuid, reason: &str) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(diesel::dsl::now), sessions::revoked_reason.eq(reason)))
        .execute(conn)
        .await?;
    Ok(())
}
