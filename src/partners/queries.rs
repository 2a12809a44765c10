//! SQL of partners and their keys.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::{KeyRow, PartnerFields, PartnerRow};
use crate::db::schema::{api_keys, partners};
use crate::extract::PageRequest;

pub async fn insert(conn: &mut AsyncPgConnection, fields: &PartnerFields) -> QueryResult<PartnerRow> {
    diesel::insert_into(partners::table)
        .values((partners::id.eq(Uuid::now_v7()), fields))
        .returning(PartnerRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, fields: &PartnerFields) -> QueryResult<PartnerRow> {
    diesel::update(partners::table.find(id))
        .set((fields, partners::updated_at.eq(diesel::dsl::now)))
        .returning(PartnerRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<PartnerRow>> {
    partners::table.find(id).select(PartnerRow::as_select()).first(conn).await.optional()
}

pub async fn list(conn: &mut AsyncPgConnection, page: PageRequest) -> QueryResult<(Vec<(PartnerRow, i64)>, i64)> {
    let total = partners::table.count().get_result(conn).await?;
    let rows: Vec<PartnerRow> = partners::table
        .order((partners::institution, partners::id))
        .limit(page.limit())
        .offset(page.offset())
        .select(PartnerRow::as_select())
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
    let counts: Vec<(Uuid, i64)> = api_keys::table
        .filter(api_keys::partner_id.eq_any(&ids).and(api_keys::revoked_at.is_null()))
        .group_by(api_keys::partner_id)
        .select((api_keys::partner_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let with_counts = rows
        .into_iter()
        .map(|p| {
            let n = counts.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
            (p, n)
        })
        .collect();
    Ok((with_counts, total))
}

pub async fn active_keys(conn: &mut AsyncPgConnection, partner: Uuid) -> QueryResult<i64> {
    api_keys::table
        .filter(api_keys::partner_id.eq(partner).and(api_keys::revoked_at.is_null()))
        .count()
        .get_result(conn)
        .await
}

pub async fn insert_key(
    conn: &mut AsyncPgConnection,
    partner: Uuid,
    name: &str,
    prefix: &str,
    hash: &[u8],
) -> QueryResult<KeyRow> {
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(Uuid::now_v7()),
            api_keys::partner_id.eq(partner),
            api_keys::name.eq(name),
            api_keys::prefix.eq(prefix),
            api_keys::key_hash.eq(hash),
        ))
        .returning(KeyRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn keys_of(conn: &mut AsyncPgConnection, partner: Uuid) -> QueryResult<Vec<KeyRow>> {
    api_keys::table
        .filter(api_keys::partner_id.eq(partner))
        .order((api_keys::created_at, api_keys::id))
        .select(KeyRow::as_select())
        .load(conn)
        .await
}

pub async fn revoke(conn: &mut AsyncPgConnection, partner: Uuid, id: Uuid) -> QueryResult<Option<(KeyRow, Vec<u8>)>> {
    diesel::update(api_keys::table.filter(api_keys::id.eq(id).and(api_keys::partner_id.eq(partner))))
        .set(api_keys::revoked_at.eq(diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>>(
            "coalesce(revoked_at, now())",
        )))
        .returning((KeyRow::as_returning(), api_keys::key_hash))
        .get_result(conn)
        .await
        .optional()
}

/// The live key with this hash: its id and partner.
pub async fn active_by_hash(conn: &mut AsyncPgConnection, hash: &[u8]) -> QueryResult<Option<(Uuid, Uuid)>> {
    api_keys::table
        .filter(api_keys::key_hash.eq(hash).and(api_keys::revoked_at.is_null()))
        .select((api_keys::id, api_keys::partner_id))
        .first(conn)
        .await
        .optional()
}

pub async fn record_usage(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    requests: i64,
    last: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(api_keys::table.find(id))
        .set((
            api_keys::request_count.eq(api_keys::request_count + requests),
            api_keys::last_used_at.eq(diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>>(
                "greatest(last_used_at, ",
            )
            .bind::<diesel::sql_types::Timestamptz, _>(last)
            .sql(")")),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
