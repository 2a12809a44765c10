//! All SQL of nominations and spotlights.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::{ChampionStatus, NominationStatus, NomineeConsent};
use super::model::{ChampionChanges, ChampionRow, NewChampion, NewNomination, NominationRow};
use crate::db::schema::{champion_nominations as nominations, champions, vocabulary_terms};
use crate::extract::PageRequest;
use crate::taxonomy::json::TermRef;

pub async fn insert_nomination(conn: &mut AsyncPgConnection, new: &NewNomination<'_>) -> QueryResult<NominationRow> {
    diesel::insert_into(nominations::table).values(new).returning(NominationRow::as_returning()).get_result(conn).await
}

pub async fn find_nomination(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<NominationRow>> {
    nominations::table.find(id).select(NominationRow::as_select()).first(conn).await.optional()
}

pub async fn lock_nomination(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<NominationRow>> {
    nominations::table.find(id).for_update().select(NominationRow::as_select()).first(conn).await.optional()
}

/// The nomination a consent token was sent for, locked.
pub async fn lock_by_consent_token(conn: &mut AsyncPgConnection, hash: &[u8]) -> QueryResult<Option<NominationRow>> {
    nominations::table
        .filter(nominations::consent_token_hash.eq(hash))
        .for_update()
        .select(NominationRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn list_nominations(
    conn: &mut AsyncPgConnection,
    status: Option<NominationStatus>,
    page: PageRequest,
) -> QueryResult<(Vec<NominationRow>, i64)> {
    let filtered = || {
        let mut q = nominations::table.into_boxed();
        if let Some(status) = status {
            q = q.filter(nominations::status.eq(status));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((nominations::created_at.desc(), nominations::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(NominationRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// A new consent question: the new link's hash replaces the old one.
pub async fn request_consent(conn: &mut AsyncPgConnection, id: Uuid, token_hash: &[u8]) -> QueryResult<NominationRow> {
    diesel::update(nominations::table.find(id))
        .set((
            nominations::nominee_consent.eq(NomineeConsent::Requested),
            nominations::consent_token_hash.eq(token_hash),
            nominations::consent_requested_at.eq(diesel::dsl::now),
        ))
        .returning(NominationRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_consent(conn: &mut AsyncPgConnection, id: Uuid, consent: NomineeConsent) -> QueryResult<()> {
    diesel::update(nominations::table.find(id))
        .set((nominations::nominee_consent.eq(consent), nominations::consent_answered_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: NominationStatus,
    reason: Option<&str>,
    staff_id: Option<Uuid>,
) -> QueryResult<NominationRow> {
    diesel::update(nominations::table.find(id))
        .set((
            nominations::status.eq(status),
            nominations::decision_reason.eq(reason),
            nominations::decided_by.eq(staff_id),
            nominations::decided_at.eq(diesel::dsl::now),
        ))
        .returning(NominationRow::as_returning())
        .get_result(conn)
        .await
}

/// The spotlights made from these nominations, by nomination id.
pub async fn champions_of(
    conn: &mut AsyncPgConnection,
    nomination_ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, (Uuid, String)>> {
    let rows: Vec<(Option<Uuid>, Uuid, String)> = champions::table
        .filter(champions::nomination_id.eq_any(nomination_ids))
        .select((champions::nomination_id, champions::id, champions::slug))
        .load(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|(n, id, slug)| n.map(|n| (n, (id, slug)))).collect())
}

/// Slugs and labels of vocabulary values by id.
pub async fn terms(conn: &mut AsyncPgConnection, ids: &[i32]) -> QueryResult<HashMap<i32, TermRef>> {
    let rows: Vec<(i32, String, String)> = vocabulary_terms::table
        .filter(vocabulary_terms::id.eq_any(ids))
        .select((vocabulary_terms::id, vocabulary_terms::slug, vocabulary_terms::label))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|(id, slug, label)| (id, TermRef { slug, label })).collect())
}

pub async fn insert_champion(conn: &mut AsyncPgConnection, new: &NewChampion<'_>) -> QueryResult<ChampionRow> {
    diesel::insert_into(champions::table).values(new).returning(ChampionRow::as_returning()).get_result(conn).await
}

pub async fn slug_taken(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(champions::table.filter(champions::slug.eq(slug)))).get_result(conn).await
}

pub async fn find_champion(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ChampionRow>> {
    champions::table.find(id).select(ChampionRow::as_select()).first(conn).await.optional()
}

pub async fn published_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<ChampionRow>> {
    champions::table
        .filter(champions::slug.eq(slug).and(champions::status.eq(ChampionStatus::Published)))
        .select(ChampionRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Most recently published first.
pub async fn list_champions(
    conn: &mut AsyncPgConnection,
    status: Option<ChampionStatus>,
    page: PageRequest,
) -> QueryResult<(Vec<ChampionRow>, i64)> {
    let filtered = || {
        let mut q = champions::table.into_boxed();
        if let Some(status) = status {
            q = q.filter(champions::status.eq(status));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((champions::published_on.desc(), champions::created_at.desc(), champions::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(ChampionRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// Unpublishes the spotlight made from this nomination, if any.
pub async fn unpublish_by_nomination(conn: &mut AsyncPgConnection, nomination_id: Uuid) -> QueryResult<()> {
    diesel::update(champions::table.filter(champions::nomination_id.eq(nomination_id)))
        .set((champions::status.eq(ChampionStatus::Unpublished), champions::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_champion(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &ChampionChanges,
) -> QueryResult<ChampionRow> {
    diesel::update(champions::table.find(id)).set(changes).returning(ChampionRow::as_returning()).get_result(conn).await
}
