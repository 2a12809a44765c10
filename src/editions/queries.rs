//! SQL of editions, their agenda, registration types and calls for proposals. (Locking a type to
//! sell its seats is `registrations::queries::lock_type`.)

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::{
    CallFields, CallRow, ConferenceFields, ConferenceRow, ConferenceStatus, RegistrationTypeFields,
    RegistrationTypeRow, SessionFields, SessionRow,
};
use crate::db::schema::{conference_sessions as sessions, conferences, proposal_calls as calls, registration_types};
use crate::extract::PageRequest;

pub async fn find_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<ConferenceRow>> {
    conferences::table
        .filter(conferences::slug.eq(slug))
        .select(ConferenceRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_published(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<ConferenceRow>> {
    conferences::table
        .filter(conferences::slug.eq(slug).and(conferences::status.eq(ConferenceStatus::Published)))
        .select(ConferenceRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn slug_taken(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(conferences::table.filter(conferences::slug.eq(slug)))).get_result(conn).await
}

/// Upcoming editions (not yet ended) first, soonest first; then past ones, most recent first.
/// An edition without dates counts as ending on the last day of its year and, among past ones,
/// as starting then too (so it comes before the dated editions of its year).
pub async fn list(
    conn: &mut AsyncPgConnection,
    published_only: bool,
    page: PageRequest,
) -> QueryResult<(Vec<ConferenceRow>, i64)> {
    let filtered = || {
        let mut q = conferences::table.into_boxed();
        if published_only {
            q = q.filter(conferences::status.eq(ConferenceStatus::Published));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((
            diesel::dsl::sql::<diesel::sql_types::Bool>("coalesce(ends_on, make_date(year, 12, 31)) < current_date"),
            diesel::dsl::sql::<diesel::sql_types::Integer>(
                "CASE WHEN coalesce(ends_on, make_date(year, 12, 31)) >= current_date \
                 THEN coalesce(starts_on, make_date(year, 12, 31)) - current_date \
                 ELSE current_date - coalesce(starts_on, make_date(year, 12, 31)) END",
            ),
            conferences::id,
        ))
        .limit(page.limit())
        .offset(page.offset())
        .select(ConferenceRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    slug: &str,
    fields: &ConferenceFields,
) -> QueryResult<ConferenceRow> {
    diesel::insert_into(conferences::table)
        .values((conferences::id.eq(id), conferences::slug.eq(slug), fields))
        .returning(ConferenceRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    slug: &str,
    fields: &ConferenceFields,
) -> QueryResult<ConferenceRow> {
    diesel::update(conferences::table.find(id))
        .set((fields, conferences::slug.eq(slug), conferences::updated_at.eq(diesel::dsl::now)))
        .returning(ConferenceRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn sessions_of(conn: &mut AsyncPgConnection, conference: Uuid) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::conference_id.eq(conference))
        .order((sessions::starts_at, sessions::room, sessions::id))
        .select(SessionRow::as_select())
        .load(conn)
        .await
}

pub async fn insert_session(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
    fields: &SessionFields,
    proposal: Option<Uuid>,
) -> QueryResult<SessionRow> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(Uuid::now_v7()),
            sessions::conference_id.eq(conference),
            sessions::proposal_id.eq(proposal),
            fields,
        ))
        .returning(SessionRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_session(conn: &mut AsyncPgConnection, conference: Uuid, id: Uuid) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .filter(sessions::id.eq(id).and(sessions::conference_id.eq(conference)))
        .select(SessionRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn update_session(conn: &mut AsyncPgConnection, id: Uuid, fields: &SessionFields) -> QueryResult<SessionRow> {
    diesel::update(sessions::table.find(id))
        .set((fields, sessions::updated_at.eq(diesel::dsl::now)))
        .returning(SessionRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn delete_session(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(id)).execute(conn).await
}

pub async fn types_of(conn: &mut AsyncPgConnection, conference: Uuid) -> QueryResult<Vec<RegistrationTypeRow>> {
    registration_types::table
        .filter(registration_types::conference_id.eq(conference))
        .order((registration_types::position, registration_types::created_at, registration_types::id))
        .select(RegistrationTypeRow::as_select())
        .load(conn)
        .await
}

pub async fn find_type(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
    id: Uuid,
) -> QueryResult<Option<RegistrationTypeRow>> {
    registration_types::table
        .filter(registration_types::id.eq(id).and(registration_types::conference_id.eq(conference)))
        .select(RegistrationTypeRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert_type(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
    fields: &RegistrationTypeFields,
) -> QueryResult<RegistrationTypeRow> {
    diesel::insert_into(registration_types::table)
        .values((registration_types::id.eq(Uuid::now_v7()), registration_types::conference_id.eq(conference), fields))
        .returning(RegistrationTypeRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_type(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    fields: &RegistrationTypeFields,
) -> QueryResult<RegistrationTypeRow> {
    diesel::update(registration_types::table.find(id))
        .set((fields, registration_types::updated_at.eq(diesel::dsl::now)))
        .returning(RegistrationTypeRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn calls_of(conn: &mut AsyncPgConnection, conference: Uuid) -> QueryResult<Vec<CallRow>> {
    calls::table
        .filter(calls::conference_id.eq(conference))
        .order((calls::deadline, calls::id))
        .select(CallRow::as_select())
        .load(conn)
        .await
}

pub async fn find_call(conn: &mut AsyncPgConnection, conference: Uuid, id: Uuid) -> QueryResult<Option<CallRow>> {
    calls::table
        .filter(calls::id.eq(id).and(calls::conference_id.eq(conference)))
        .select(CallRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert_call(conn: &mut AsyncPgConnection, conference: Uuid, fields: &CallFields) -> QueryResult<CallRow> {
    diesel::insert_into(calls::table)
        .values((calls::id.eq(Uuid::now_v7()), calls::conference_id.eq(conference), fields))
        .returning(CallRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update_call(conn: &mut AsyncPgConnection, id: Uuid, fields: &CallFields) -> QueryResult<CallRow> {
    diesel::update(calls::table.find(id))
        .set((fields, calls::updated_at.eq(diesel::dsl::now)))
        .returning(CallRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<ConferenceRow> {
    conferences::table.find(id).select(ConferenceRow::as_select()).first(conn).await
}
