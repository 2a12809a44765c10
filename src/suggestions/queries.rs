//! All SQL of suggestions.

use diesel::prelude::*;
use diesel::sql_types::{Array, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::SuggestionStatus;
use super::model::{DuplicateRow, NewSuggestion, SuggestionRow};
use crate::db::schema::{resources, suggestions};
use crate::extract::PageRequest;

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewSuggestion<'_>) -> QueryResult<SuggestionRow> {
    diesel::insert_into(suggestions::table).values(new).returning(SuggestionRow::as_returning()).get_result(conn).await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<SuggestionRow>> {
    suggestions::table.find(id).select(SuggestionRow::as_select()).first(conn).await.optional()
}

/// The suggestion, locked until the transaction ends (decisions).
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<SuggestionRow>> {
    suggestions::table.find(id).for_update().select(SuggestionRow::as_select()).first(conn).await.optional()
}

/// Newest first, optionally of one status.
pub async fn list(
    conn: &mut AsyncPgConnection,
    status: Option<SuggestionStatus>,
    page: PageRequest,
) -> QueryResult<(Vec<SuggestionRow>, i64)> {
    let filtered = || {
        let mut q = suggestions::table.into_boxed();
        if let Some(status) = status {
            q = q.filter(suggestions::status.eq(status));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((suggestions::created_at.desc(), suggestions::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(SuggestionRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// For each of `ids`, the resource whose URL is the same page (other than the one made from the
/// suggestion), else the earliest earlier suggestion of it. Both lookups use `url_key` indexes.
pub async fn duplicates(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<DuplicateRow>> {
    diesel::sql_query(
        "SELECT s.id AS suggestion_id, d.kind, d.id, d.title
         FROM suggestions s
         CROSS JOIN LATERAL (
             (SELECT 'resource' AS kind, r.id, r.title, 0 AS rank, r.created_at
              FROM resources r
              WHERE r.url IS NOT NULL AND url_key(r.url) = url_key(s.url) AND r.id IS DISTINCT FROM s.resource_id
              ORDER BY r.created_at, r.id LIMIT 1)
             UNION ALL
             (SELECT 'suggestion', o.id, o.title, 1, o.created_at
              FROM suggestions o
              WHERE url_key(o.url) = url_key(s.url) AND (o.created_at, o.id) < (s.created_at, s.id)
              ORDER BY o.created_at, o.id LIMIT 1)
             ORDER BY rank LIMIT 1
         ) d
         WHERE s.id = ANY($1)",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)
    .await
}

pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: SuggestionStatus,
    reason: Option<&str>,
    resource_id: Option<Uuid>,
    staff_id: Uuid,
) -> QueryResult<SuggestionRow> {
    diesel::update(suggestions::table.find(id))
        .set((
            suggestions::status.eq(status),
            suggestions::decision_reason.eq(reason),
            suggestions::resource_id.eq(resource_id),
            suggestions::decided_by.eq(staff_id),
            suggestions::decided_at.eq(diesel::dsl::now),
        ))
        .returning(SuggestionRow::as_returning())
        .get_result(conn)
        .await
}

/// The resource's half of the link.
pub async fn link_resource(conn: &mut AsyncPgConnection, resource_id: Uuid, suggestion_id: Uuid) -> QueryResult<()> {
    diesel::update(resources::table.find(resource_id))
        .set(resources::suggestion_id.eq(suggestion_id))
        .execute(conn)
        .await?;
    Ok(())
}
