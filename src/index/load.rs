//! The SQL the index reads: published resources with what it keeps of them. Postgres computes
//! `lower(title)` and the `tsvector` text, so sorting and matching use Postgres's own values.

use chrono::{DateTime, Utc};
use diesel::sql_types::{Array, BigInt, Bool, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// A resource as the index loads it.
#[derive(diesel::QueryableByName)]
pub(super) struct IndexRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    pub published_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub title_key: String,
    #[diesel(sql_type = Nullable<Int4>)]
    pub year: Option<i32>,
    #[diesel(sql_type = Bool)]
    pub open_access: bool,
    #[diesel(sql_type = Int4)]
    pub resource_type_id: i32,
    #[diesel(sql_type = Array<Int4>)]
    pub term_ids: Vec<i32>,
    #[diesel(sql_type = Text)]
    pub search: String,
}

const INDEX_ROWS: &str =
    "SELECT r.id, r.published_at, r.slug, r.title, lower(r.title) AS title_key, r.year, r.open_access, \
     r.resource_type_id, ARRAY(SELECT t.term_id FROM resource_terms t WHERE t.resource_id = r.id) AS term_ids, \
     r.search::text AS search FROM resources r WHERE r.status = 'published'";

/// Up to `limit` published resources with ids above `after`, by id (a full load reads in batches).
pub(super) async fn batch_after(
    conn: &mut AsyncPgConnection,
    after: Uuid,
    limit: i64,
) -> diesel::QueryResult<Vec<IndexRow>> {
    diesel::sql_query(format!("{INDEX_ROWS} AND r.id > $1 ORDER BY r.id LIMIT $2"))
        .bind::<SqlUuid, _>(after)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await
}

/// Those of `ids` that are published.
pub(super) async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> diesel::QueryResult<Vec<IndexRow>> {
    diesel::sql_query(format!("{INDEX_ROWS} AND r.id = ANY($1)")).bind::<Array<SqlUuid>, _>(ids).load(conn).await
}

/// A written word of the library and the lexeme Postgres makes of it.
#[derive(diesel::QueryableByName)]
pub(super) struct WrittenWord {
    #[diesel(sql_type = Text)]
    pub word: String,
    #[diesel(sql_type = Text)]
    pub lexeme: String,
}

/// The written words (Postgres's `simple` configuration: the parser's words, lower case) of the
/// published resources' searched fields (all, or those of `ids`), each with its `english_stem`
/// lexeme; stop words (no lexeme) left out.
pub(super) async fn written_words(
    conn: &mut AsyncPgConnection,
    ids: Option<&[Uuid]>,
) -> diesel::QueryResult<Vec<WrittenWord>> {
    // `ts_stat` takes the text of a query; the ids are written into it (UUIDs, so nothing to escape).
    let only = ids.map_or(String::new(), |ids| {
        let list: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        format!(" AND r.id = ANY(''{{{}}}''::uuid[])", list.join(","))
    });
    diesel::sql_query(format!(
        "SELECT s.word, l.lexeme FROM ts_stat('SELECT to_tsvector(''simple'', r.title || '' '' || \
         array_to_string(r.authors, '' '') || '' '' || coalesce(r.source, '''') || '' '' || r.summary) \
         FROM resources r WHERE r.status = ''published''{only}') s \
         CROSS JOIN LATERAL (SELECT (ts_lexize('english_stem', s.word))[1] AS lexeme) l WHERE l.lexeme IS NOT NULL"
    ))
    .load(conn)
    .await
}
