//! Handlers of the library, and what they share: turning rows into wire types.

pub mod admin;
pub mod public;

use std::collections::HashMap;
use std::sync::Arc;

use diesel_async::AsyncPgConnection;

use super::json::{AdminResourceJson, FacetValue, Facets, ResourceJson, ResourceListQuery, ResourceStatus};
use super::model::{ResourceCard, ResourceRow};
use super::queries::{self, Filter, IndexedTerm};
use super::search::Vocabularies;
use crate::error::ApiResult;
use crate::taxonomy::json::{TermRef, Vocabulary};

/// Every vocabulary value (retired too) in display order: the copy kept beside the search index
/// when it is ready (see `resources::search`), else read for this request.
pub struct Terms(Arc<Vocabularies>);

impl From<Arc<Vec<IndexedTerm>>> for Terms {
    fn from(terms: Arc<Vec<IndexedTerm>>) -> Self {
        Self(Arc::new(Vocabularies::new(Arc::unwrap_or_clone(terms))))
    }
}

impl Terms {
    pub async fn load(conn: &mut AsyncPgConnection) -> ApiResult<Self> {
        Ok(Self(Arc::new(Vocabularies::new(queries::term_index(conn).await?))))
    }

    pub async fn current(state: &crate::state::AppState, conn: &mut AsyncPgConnection) -> ApiResult<Self> {
        Ok(Self(state.library.vocabularies(conn).await?))
    }

    /// The copy kept beside the search index (see `Library::current`).
    pub fn kept(vocabularies: Arc<Vocabularies>) -> Self {
        Self(vocabularies)
    }

    pub fn vocabularies(&self) -> &Vocabularies {
        &self.0
    }

    /// A card to its wire type; its values in display order.
    pub fn card_json(&self, card: ResourceCard) -> ResourceJson {
        let mut json = ResourceJson {
            id: card.id,
            slug: card.slug,
            title: card.title,
            summary: card.summary,
            url: card.url,
            resource_type: self.label(card.resource_type_id),
            domains: Vec::new(),
            topics: Vec::new(),
            professions: Vec::new(),
            year: card.year,
            authors: card.authors,
            source: card.source,
            doi: card.doi,
            open_access: card.open_access,
            published_at: card.published_at,
            updated_at: card.updated_at,
        };
        for t in self.0.terms.iter().filter(|t| card.term_ids.contains(&t.id)) {
            match t.vocabulary {
                Vocabulary::Domains => json.domains.push(t.term.clone()),
                Vocabulary::Topics => json.topics.push(t.term.clone()),
                Vocabulary::Professions => json.professions.push(t.term.clone()),
                Vocabulary::Types => {}
            }
        }
        json
    }

    fn label(&self, id: i32) -> TermRef {
        self.0
            .terms
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.term.clone())
            .unwrap_or(TermRef { slug: String::new(), label: String::new() })
    }

    /// Ids of the slugs in one vocabulary; unknown slugs resolve to nothing (and so match nothing).
    fn ids(&self, vocabulary: Vocabulary, slugs: &[String]) -> Vec<i32> {
        self.0
            .terms
            .iter()
            .filter(|t| t.vocabulary == vocabulary && slugs.contains(&t.term.slug))
            .map(|t| t.id)
            .collect()
    }

    pub fn filter(&self, q: &ResourceListQuery, status: Option<ResourceStatus>) -> Filter {
        let mut terms = HashMap::new();
        for (vocabulary, slugs) in [
            (Vocabulary::Types, &q.types),
            (Vocabulary::Domains, &q.domains),
            (Vocabulary::Topics, &q.topics),
            (Vocabulary::Professions, &q.professions),
        ] {
            if !slugs.is_empty() {
                terms.insert(vocabulary, self.ids(vocabulary, slugs));
            }
        }
        Filter {
            status,
            terms,
            open_access: q.open_access,
            year_from: q.year_from,
            year_to: q.year_to,
            q: q.q.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        }
    }

    /// Every active value of every vocabulary with its count (0 when absent).
    pub fn facets(&self, counts: &HashMap<i32, i64>) -> Facets {
        let values = |vocabulary: Vocabulary| {
            self.0
                .terms
                .iter()
                .filter(|t| t.vocabulary == vocabulary && !t.retired)
                .map(|t| FacetValue {
                    slug: t.term.slug.clone(),
                    label: t.term.label.clone(),
                    count: counts.get(&t.id).copied().unwrap_or(0),
                })
                .collect()
        };
        Facets {
            types: values(Vocabulary::Types),
            domains: values(Vocabulary::Domains),
            topics: values(Vocabulary::Topics),
            professions: values(Vocabulary::Professions),
        }
    }
}

/// Rows to wire types with their vocabulary values: one query for the links of all rows.
pub async fn hydrate(
    conn: &mut AsyncPgConnection,
    terms: &Terms,
    rows: Vec<ResourceRow>,
) -> ApiResult<Vec<(ResourceJson, ResourceRow)>> {
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let mut links = queries::links(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let term_ids = links.remove(&row.id).unwrap_or_default();
            (terms.card_json(ResourceCard::new(row.clone(), term_ids)), row)
        })
        .collect())
}

pub fn admin_json((resource, row): (ResourceJson, ResourceRow)) -> AdminResourceJson {
    AdminResourceJson {
        resource,
        status: row.status,
        is_spotlight: row.is_spotlight,
        created_at: row.created_at,
        suggestion_id: row.suggestion_id,
    }
}
