//! Web-search text (and a prefix) to a parsed `tsquery`, remembered: Postgres parses (stemming
//! and stop words are its own), and the parse depends on nothing but the text, so it never goes stale.

use std::sync::Arc;

use diesel::sql_types::{Nullable, Text};
use diesel_async::RunQueryDsl;

use super::text::TsQuery;
use super::TextSearch;
use crate::db::reads::Reads;
use crate::error::ApiError;

pub(super) struct ParseCache {
    /// The `tsquery` of a text search (`None`: outside what the index evaluates).
    parsed: quick_cache::sync::Cache<TextSearch, Option<Arc<TsQuery>>>,
}

impl ParseCache {
    pub fn new(capacity: usize) -> Self {
        Self { parsed: quick_cache::sync::Cache::new(capacity) }
    }

    /// The parsed web-search query, or `None` when the index cannot evaluate it exactly. Asked
    /// of a read connection (the worker's own, or the replica's: the parse reads no table), as
    /// every new query of a long tail of searches is.
    pub async fn parse(&self, reads: &Reads, q: &TextSearch) -> Result<Option<Arc<TsQuery>>, ApiError> {
        if let Some(parsed) = self.parsed.get(q) {
            return Ok(parsed);
        }
        let conn = &mut *reads.bulk().await?;
        #[derive(diesel::QueryableByName)]
        struct Parsed {
            #[diesel(sql_type = Text)]
            query: String,
        }
        let row: Parsed = diesel::sql_query(
            "SELECT (websearch_to_tsquery('english', $1) && coalesce(to_tsquery('english', $2), ''))::text AS query",
        )
        .bind::<Text, _>(&q.words)
        .bind::<Nullable<Text>, _>(q.prefix_operand())
        .get_result(conn)
        .await?;
        let parsed = TsQuery::parse(&row.query).filter(TsQuery::supported).map(Arc::new);
        if parsed.is_none() {
            tracing::warn!(tsquery = %row.query, "query outside what the search index evaluates; using SQL");
        }
        self.parsed.insert(q.clone(), parsed.clone());
        Ok(parsed)
    }
}
