//! Web-search text (and a prefix) to a parsed `tsquery`, remembered: Postgres parses (stemming
//! and stop words are its own), and the parse depends on nothing but the text, so it never goes
//! stale. The commonest query, a few of the library's own words, is made from what Postgres said
//! of those words when the index learnt them, without a round trip (`of_written_words`).

use std::sync::Arc;

use diesel::sql_types::{Nullable, Text};
use diesel_async::RunQueryDsl;

use super::fuzzy::Surface;
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

/// `websearch_to_tsquery('english', q)` made without asking Postgres, for a few plain words
/// (ASCII letters only, none repeated), each a written word of the library: its lexeme is what
/// Postgres gave when the words were learnt, `english_stem` of the lower-cased word, which is what
/// the `english` configuration makes of such a word in a query too; and the query is those
/// lexemes joined by `&`, as Postgres writes it. `None` for anything else (a stop word, which the
/// written words lack; digits, punctuation, quotes, `-`, `or`; a prefix; a word the library does
/// not have): Postgres parses those.
pub(super) fn of_written_words(surface: &Surface, q: &TextSearch) -> Option<TsQuery> {
    if q.prefix.is_some() {
        return None;
    }
    let mut lexemes: Vec<&str> = Vec::new();
    for word in q.words.split_ascii_whitespace() {
        if word.len() > 64 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let lexeme = surface.lexeme(&word.to_ascii_lowercase())?;
        if lexeme.is_empty() || !lexeme.bytes().all(|b| b.is_ascii_lowercase()) || lexemes.contains(&lexeme) {
            return None;
        }
        lexemes.push(lexeme);
    }
    let text: Vec<String> = lexemes.iter().map(|l| format!("'{l}'")).collect();
    TsQuery::parse(&text.join(" & ")).filter(TsQuery::supported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_known_words_are_parsed_as_postgres_writes_them_and_nothing_else() {
        let mut surface = Surface::default();
        for (word, lexeme) in
            [("community", "communiti"), ("health", "health"), ("healthy", "health"), ("equity", "equiti")]
        {
            surface.add(word.into(), lexeme.into());
        }
        let parsed = |q: &str, prefix: bool| of_written_words(&surface, &TextSearch::new(q, prefix).unwrap());
        assert_eq!(
            parsed("Community  HEALTH\tequity", false),
            TsQuery::parse("'communiti' & 'health' & 'equiti'"),
            "Postgres's text of websearch_to_tsquery('english', 'community health equity')"
        );
        assert_eq!(parsed("health", false), TsQuery::parse("'health'"));
        for q in [
            "health of community", // a stop word (not a written word)
            "health healthy",      // one lexeme twice
            "community-health",    // punctuation
            "covid19 health",      // digits
            "\"community health\"",
            "-health",
            "health or equity",
            "xyzzy",
            "santé",
        ] {
            assert_eq!(parsed(q, false), None, "{q}");
        }
        assert_eq!(parsed("community heal", true), None, "a prefix");
    }
}
