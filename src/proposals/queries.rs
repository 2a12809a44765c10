//! All SQL of proposals and their reviews.

use diesel::prelude::*;
use diesel::sql_types::{Array, Uuid as SqlUuid};
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::ProposalStatus;
use super::model::{NewProposal, ProposalRow, ReviewRow, ReviewStats};
use crate::db::schema::{conference_sessions as sessions, proposal_reviews as reviews, proposals, users};
use crate::extract::PageRequest;

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewProposal<'_>) -> QueryResult<ProposalRow> {
    diesel::insert_into(proposals::table).values(new).returning(ProposalRow::as_returning()).get_result(conn).await
}

/// A proposal of the edition.
pub async fn find(conn: &mut AsyncPgConnection, conference: Uuid, id: Uuid) -> QueryResult<Option<ProposalRow>> {
    proposals::table
        .filter(proposals::id.eq(id).and(proposals::conference_id.eq(conference)))
        .select(ProposalRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The proposal, locked until the transaction ends (reviews, decisions, scheduling).
pub async fn lock(conn: &mut AsyncPgConnection, conference: Uuid, id: Uuid) -> QueryResult<Option<ProposalRow>> {
    proposals::table
        .filter(proposals::id.eq(id).and(proposals::conference_id.eq(conference)))
        .for_update()
        .select(ProposalRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The edition's proposals, newest first, optionally of one status and one call.
pub async fn list(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
    status: Option<ProposalStatus>,
    call: Option<Uuid>,
    page: PageRequest,
) -> QueryResult<(Vec<ProposalRow>, i64)> {
    let filtered = || {
        let mut q = proposals::table.filter(proposals::conference_id.eq(conference)).into_boxed();
        if let Some(status) = status {
            q = q.filter(proposals::status.eq(status));
        }
        if let Some(call) = call {
            q = q.filter(proposals::call_id.eq(call));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((proposals::created_at.desc(), proposals::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(ProposalRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// The number of reviews and their average score (two decimals) of each of `ids` that has any.
pub async fn review_stats(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<ReviewStats>> {
    diesel::sql_query(
        "SELECT proposal_id, count(*) AS review_count, round(avg(score), 2)::float8 AS average_score
         FROM proposal_reviews
         WHERE proposal_id = ANY($1)
         GROUP BY proposal_id",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)
    .await
}

/// `(proposal id, session id)` of those of `ids` that are on the agenda.
pub async fn sessions_of(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, Uuid)>> {
    let rows: Vec<(Option<Uuid>, Uuid)> = sessions::table
        .filter(sessions::proposal_id.eq_any(ids))
        .select((sessions::proposal_id, sessions::id))
        .load(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|(proposal, session)| proposal.map(|p| (p, session))).collect())
}

/// The proposal's reviews, oldest first, each with its reviewer's name.
pub async fn reviews_of(conn: &mut AsyncPgConnection, proposal: Uuid) -> QueryResult<Vec<(ReviewRow, Option<String>)>> {
    reviews::table
        .left_join(users::table.on(users::id.nullable().eq(reviews::reviewer_id)))
        .filter(reviews::proposal_id.eq(proposal))
        .order((reviews::created_at, reviews::id))
        .select((ReviewRow::as_select(), users::name.nullable()))
        .load(conn)
        .await
}

pub async fn has_review(conn: &mut AsyncPgConnection, proposal: Uuid, reviewer: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        reviews::table.filter(reviews::proposal_id.eq(proposal).and(reviews::reviewer_id.eq(reviewer))),
    ))
    .get_result(conn)
    .await
}

/// The reviewer's one review of the proposal: made, or replaced.
pub async fn upsert_review(
    conn: &mut AsyncPgConnection,
    proposal: Uuid,
    reviewer: Uuid,
    score: i32,
    notes: &str,
) -> QueryResult<ReviewRow> {
    diesel::insert_into(reviews::table)
        .values((
            reviews::id.eq(Uuid::now_v7()),
            reviews::proposal_id.eq(proposal),
            reviews::reviewer_id.eq(reviewer),
            reviews::score.eq(score),
            reviews::notes.eq(notes),
        ))
        .on_conflict((reviews::proposal_id, reviews::reviewer_id))
        .do_update()
        .set((
            reviews::score.eq(excluded(reviews::score)),
            reviews::notes.eq(excluded(reviews::notes)),
            reviews::updated_at.eq(diesel::dsl::now),
        ))
        .returning(ReviewRow::as_returning())
        .get_result(conn)
        .await
}

/// A new status; a decision (accepted, rejected, withdrawn) is dated.
pub async fn set_status(conn: &mut AsyncPgConnection, id: Uuid, status: ProposalStatus) -> QueryResult<ProposalRow> {
    let decided_at = status.is_final().then(chrono::Utc::now);
    diesel::update(proposals::table.find(id))
        .set((
            proposals::status.eq(status),
            proposals::decided_at.eq(decided_at),
            proposals::updated_at.eq(diesel::dsl::now),
        ))
        .returning(ProposalRow::as_returning())
        .get_result(conn)
        .await
}
