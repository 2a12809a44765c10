//! Web-search text to a parsed `tsquery`, remembered: Postgres parses (stemming and stop words
//! are its own), and the parse depends on nothing but the text, so it never goes stale.

use std::sync::Arc;

use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;

use super::text::TsQuery;
use crate::db::DbPool;
use crate::error::ApiError;

pub(super) struct ParseCache {
    /// `websearch_to_tsquery('english', q)` by `q` (`None`: outside what the index evaluates).
    parsed: quick_cache::sync::Cache<String, Option<Arc<TsQuery>>>,
}

impl ParseCache {
    pub fn new(capacity: usize) -> Self {
        Self { parsed: quick_cache::sync::Cache::new(capacity) }
    }

    /// The parsed web-search query, or `None` when the index cannot evaluate it exactly.
    pub async fn parse(&self, pool: &DbPool, q: &str) -> Result<Option<Arc<TsQuery>>, ApiError> {
        if let Some(parsed) = self.parsed.get(q) {
            return Ok(parsed);
        }
        let conn = &mut *pool.get().await?;
        #[derive(diesel::QueryableByName)]
        struct Parsed {
            #[diesel(sql_type = Text)]
            query: String,
        }
        let row: Parsed = diesel::sql_query("SELECT websearch_to_tsquery('english', $1)::text AS query")
            .bind::<Text, _>(q)
            .get_result(conn)
            .await?;
        let parsed = TsQuery::parse(&row.query).filter(TsQuery::supported).map(Arc::new);
        if parsed.is_none() {
            tracing::warn!(tsquery = %row.query, "query outside what the search index evaluates; using SQL");
        }
        self.parsed.insert(q.to_string(), parsed.clone());
        Ok(parsed)
    }
}
