//! All SQL of OAI-PMH. Records are the latest change of each resource in `library_changes`,
//! listed in commit order (`seq`), so paging by the last `seq` seen is stable while the library
//! changes: a record that changes during a harvest leaves its place and reappears at the end.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Int4, Nullable, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::{Change, Scope};
use crate::db::schema::{library_changes, resource_cards};
use crate::resources::model::ResourceCard;

/// The latest change of each resource within a scope. A resource that no longer exists (deleted)
/// belongs to every set: its set memberships went with it, and a selective harvester must still
/// learn of its deletion.
macro_rules! latest_in_scope {
    () => {
        "FROM library_changes c LEFT JOIN resources r ON r.id = c.resource_id \
         WHERE NOT EXISTS (SELECT 1 FROM library_changes d WHERE d.resource_id = c.resource_id AND d.seq > c.seq) \
           AND ($1::timestamptz IS NULL OR c.changed_at >= $1) \
           AND ($2::timestamptz IS NULL OR c.changed_at < $2) \
           AND ($3::int4[] IS NULL OR r.id IS NULL OR r.resource_type_id = ANY($3)) \
           AND ($4::int4[] IS NULL OR r.id IS NULL OR EXISTS \
                (SELECT 1 FROM resource_terms t WHERE t.resource_id = r.id AND t.term_id = ANY($4)))"
    };
}

/// Up to `limit` records of the scope after `after`, in commit order.
pub async fn page(conn: &mut AsyncPgConnection, scope: &Scope, after: i64, limit: i64) -> QueryResult<Vec<Change>> {
    diesel::sql_query(concat!(
        "SELECT c.seq, c.resource_id, c.kind, c.changed_at ",
        latest_in_scope!(),
        " AND c.seq > $5 ORDER BY c.seq LIMIT $6"
    ))
    .bind::<Nullable<Timestamptz>, _>(scope.from)
    .bind::<Nullable<Timestamptz>, _>(scope.until)
    .bind::<Nullable<Array<Int4>>, _>(scope.types.as_deref())
    .bind::<Nullable<Array<Int4>>, _>(scope.terms.as_deref())
    .bind::<BigInt, _>(after)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many records the scope holds.
pub async fn count(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<i64> {
    let counted: Counted = diesel::sql_query(concat!("SELECT count(*) AS n ", latest_in_scope!()))
        .bind::<Nullable<Timestamptz>, _>(scope.from)
        .bind::<Nullable<Timestamptz>, _>(scope.until)
        .bind::<Nullable<Array<Int4>>, _>(scope.types.as_deref())
        .bind::<Nullable<Array<Int4>>, _>(scope.terms.as_deref())
        .get_result(conn)
        .await?;
    Ok(counted.n)
}

/// The latest change of one resource; `None` when it was never published.
pub async fn latest_change(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Change>> {
    library_changes::table
        .filter(library_changes::resource_id.eq(id))
        .order(library_changes::seq.desc())
        .select((
            library_changes::seq,
            library_changes::resource_id,
            library_changes::kind,
            library_changes::changed_at,
        ))
        .first(conn)
        .await
        .optional()
}

/// The oldest datestamp there is: no record's datestamp is earlier.
pub async fn earliest_datestamp(conn: &mut AsyncPgConnection) -> QueryResult<Option<DateTime<Utc>>> {
    library_changes::table.select(diesel::dsl::min(library_changes::changed_at)).first(conn).await
}

/// Resources by id with their vocabulary links, whatever their status (order not kept).
pub async fn cards(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<ResourceCard>> {
    resource_cards::table.filter(resource_cards::id.eq_any(ids)).select(ResourceCard::as_select()).load(conn).await
}
