//! Wire types of the resource library.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::model::{IndexedTerm, ResourceCard, ResourceRow};
use crate::extract::pagination::PageMeta;
use crate::forms::http_url;
use crate::taxonomy::json::{TermRef, Vocabulary};

/// A published resource, as the website and partners see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResourceJson {
    pub id: Uuid,
    #[schema(example = "bridge-to-dentistry-texas-a-m-college-of-dentistry")]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub url: Option<String>,
    pub resource_type: TermRef,
    pub domains: Vec<TermRef>,
    pub topics: Vec<TermRef>,
    pub professions: Vec<TermRef>,
    pub year: Option<i32>,
    pub authors: Vec<String>,
    /// The journal or publisher.
    pub source: Option<String>,
    pub doi: Option<String>,
    pub open_access: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl ResourceJson {
    /// A card to its wire type, with the labels of its vocabulary values (`terms`: every value,
    /// in display order, so its values come in that order).
    pub fn from_card(card: ResourceCard, terms: &[IndexedTerm]) -> Self {
        let resource_type = terms
            .iter()
            .find(|t| t.id == card.resource_type_id)
            .map(|t| t.term.clone())
            .unwrap_or(TermRef { slug: String::new(), label: String::new() });
        let mut json = ResourceJson {
            id: card.id,
            slug: card.slug,
            title: card.title,
            summary: card.summary,
            url: card.url,
            resource_type,
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
        for t in terms.iter().filter(|t| card.term_ids.contains(&t.id)) {
            match t.vocabulary {
                Vocabulary::Domains => json.domains.push(t.term.clone()),
                Vocabulary::Topics => json.topics.push(t.term.clone()),
                Vocabulary::Professions => json.professions.push(t.term.clone()),
                Vocabulary::Types => {}
            }
        }
        json
    }
}

pub use super::model::ResourceStatus;

/// A resource as editors see it: every status.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminResourceJson {
    #[serde(flatten)]
    pub resource: ResourceJson,
    pub status: ResourceStatus,
    pub is_spotlight: bool,
    pub created_at: DateTime<Utc>,
    /// The suggestion it was made from (`POST /admin/suggestions/{id}/accept`).
    pub suggestion_id: Option<Uuid>,
}

impl AdminResourceJson {
    /// The public view of a row with what only editors see.
    pub fn new(resource: ResourceJson, row: ResourceRow) -> Self {
        Self {
            resource,
            status: row.status,
            is_spotlight: row.is_spotlight,
            created_at: row.created_at,
            suggestion_id: row.suggestion_id,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best full-text match first (the default with `q`).
    Relevance,
    /// Most recently published first (the default without `q`).
    Newest,
    Oldest,
    /// Alphabetical by lower-cased title, compared character code by character code (the same
    /// order on every server; accented initials come after `z`).
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Include {
    /// Adds `meta.facets`.
    Facets,
}

/// Filters of the resource list. Repeat a vocabulary parameter to match any of its values
/// (`domain=a&domain=b`); different parameters must all match. An unknown slug matches nothing.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResourceListQuery {
    /// Full-text search in web-search syntax: `"quoted phrase"`, `or`, `-excluded`.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Resource type slugs.
    #[serde(default, rename = "type")]
    #[param(rename = "type")]
    #[validate(length(max = 20))]
    pub types: Vec<String>,
    /// Social Mission Domain slugs.
    #[serde(default, rename = "domain")]
    #[param(rename = "domain")]
    #[validate(length(max = 20))]
    pub domains: Vec<String>,
    /// Social Mission Topic slugs.
    #[serde(default, rename = "topic")]
    #[param(rename = "topic")]
    #[validate(length(max = 20))]
    pub topics: Vec<String>,
    /// Health Profession slugs.
    #[serde(default, rename = "profession")]
    #[param(rename = "profession")]
    #[validate(length(max = 20))]
    pub professions: Vec<String>,
    pub open_access: Option<bool>,
    #[validate(range(min = 1900, max = 2200))]
    #[param(minimum = 1900, maximum = 2200)]
    pub year_from: Option<i32>,
    #[validate(range(min = 1900, max = 2200))]
    #[param(minimum = 1900, maximum = 2200)]
    pub year_to: Option<i32>,
    pub sort: Option<Sort>,
    pub include: Option<Include>,
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// The staff list takes the public filters plus a status.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// Only resources in this status (every status when left out).
    pub status: Option<ResourceStatus>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    pub slug: String,
    pub label: String,
    /// How many resources match the other active filters and this value: what a click on it returns.
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Facets {
    pub types: Vec<FacetValue>,
    pub domains: Vec<FacetValue>,
    pub topics: Vec<FacetValue>,
    pub professions: Vec<FacetValue>,
}

impl Facets {
    /// Every active value of every vocabulary (`terms`, in display order) with its count (0 when
    /// absent from `counts`, which are by value id).
    pub fn from_counts(terms: &[IndexedTerm], counts: &HashMap<i32, i64>) -> Self {
        let values = |vocabulary: Vocabulary| {
            terms
                .iter()
                .filter(|t| t.vocabulary == vocabulary && !t.retired)
                .map(|t| FacetValue {
                    slug: t.term.slug.clone(),
                    label: t.term.label.clone(),
                    count: counts.get(&t.id).copied().unwrap_or(0),
                })
                .collect()
        };
        Self {
            types: values(Vocabulary::Types),
            domains: values(Vocabulary::Domains),
            topics: values(Vocabulary::Topics),
            professions: values(Vocabulary::Professions),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceListMeta {
    /// `total`, `page`, `per_page` and `total_pages`, as on every paged list.
    #[serde(flatten)]
    pub page: PageMeta,
    /// With `include=facets` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceList<T: ToSchema> {
    /// This page's resources.
    pub data: Vec<T>,
    pub meta: ResourceListMeta,
}

fn next_year() -> i32 {
    Utc::now().year() + 1
}

fn year_in_range(year: i32) -> Result<(), ValidationError> {
    if (1900..=next_year()).contains(&year) {
        Ok(())
    } else {
        Err(ValidationError::new("out_of_range")
            .with_message(format!("must be between 1900 and {}", next_year()).into()))
    }
}

fn doi_shape(doi: &str) -> Result<(), ValidationError> {
    let ok = doi.strip_prefix("10.").and_then(|rest| rest.split_once('/')).is_some_and(|(registrant, suffix)| {
        (4..=9).contains(&registrant.len())
            && registrant.bytes().all(|b| b.is_ascii_digit())
            && !suffix.is_empty()
            && !suffix.chars().any(char::is_whitespace)
    });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("invalid_doi")
            .with_message("must look like 10.1234/abc (without https://doi.org/)".into()))
    }
}

/// Everything an editor sets on a resource. Creating takes it whole; `PATCH` merges its changes
/// into the stored resource and validates the result with the same rules.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceInput {
    #[validate(length(min = 3, max = 300))]
    #[schema(min_length = 3, max_length = 300)]
    pub title: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub summary: String,
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000, example = "https://example.org/article")]
    pub url: Option<String>,
    /// A resource type slug.
    #[validate(length(min = 1, max = 80))]
    #[schema(example = "real-world-example")]
    pub resource_type: String,
    /// Social Mission Domain slugs; at least one.
    #[validate(length(min = 1, max = 10, message = "must name 1 to 10 domains"))]
    #[schema(min_items = 1, max_items = 10)]
    pub domains: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 topics"))]
    #[schema(max_items = 10)]
    pub topics: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 professions"))]
    #[schema(max_items = 10)]
    pub professions: Vec<String>,
    /// 1900 to next year.
    #[validate(custom(function = "year_in_range"))]
    #[schema(minimum = 1900)]
    pub year: Option<i32>,
    #[serde(default)]
    #[validate(
        length(max = 50, message = "must list at most 50 authors"),
        custom(function = "crate::forms::names_ok")
    )]
    #[schema(max_items = 50)]
    pub authors: Vec<String>,
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub source: Option<String>,
    #[validate(length(max = 200), custom(function = "doi_shape"))]
    #[schema(max_length = 200, example = "10.1097/ACM.0000000000001234")]
    pub doi: Option<String>,
    #[serde(default)]
    pub open_access: bool,
}

/// A partial update: only the fields sent change. `slug` renames the resource; the old slug
/// keeps resolving.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateResource {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    pub slug: Option<String>,
    #[schema(min_length = 3, max_length = 300)]
    pub title: Option<String>,
    #[schema(max_length = 2000)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<String>, format = "uri")]
    pub url: Option<Option<String>>,
    pub resource_type: Option<String>,
    pub domains: Option<Vec<String>>,
    pub topics: Option<Vec<String>>,
    pub professions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<i32>)]
    pub year: Option<Option<i32>>,
    pub authors: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<String>)]
    pub doi: Option<Option<String>>,
    pub open_access: Option<bool>,
}

impl UpdateResource {
    pub fn apply(self, mut input: ResourceInput) -> ResourceInput {
        macro_rules! set {
            ($($field:ident),*) => { $( if let Some(v) = self.$field { input.$field = v; } )* };
        }
        set!(title, summary, url, resource_type, domains, topics, professions, year, authors, source, doi, open_access);
        input
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_shapes() {
        assert!(doi_shape("10.1097/ACM.0000000000001234").is_ok());
        assert!(doi_shape("10.12345/a/b(c)").is_ok());
        assert!(doi_shape("https://doi.org/10.1097/x").is_err());
        assert!(doi_shape("10.12/x").is_err());
        assert!(doi_shape("10.1097/ has space").is_err());
    }
}
