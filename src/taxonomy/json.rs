//! Wire types of the vocabularies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::Term;

pub use super::model::Vocabulary;

/// A vocabulary value as it appears on a resource.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct TermRef {
    #[schema(example = "community-engagement")]
    pub slug: String,
    #[schema(example = "Community Engagement")]
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermJson {
    pub slug: String,
    pub label: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VocabularyJson {
    pub vocabulary: Vocabulary,
    /// The query parameter of `GET /resources` that filters by this vocabulary.
    #[schema(example = "domain")]
    pub filter: &'static str,
    #[schema(example = "Social Mission Domains")]
    pub label: &'static str,
    /// In display order.
    pub terms: Vec<TermJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxonomyJson {
    pub vocabularies: Vec<VocabularyJson>,
}

impl TaxonomyJson {
    /// Every vocabulary with its values (`terms`, in display order).
    pub fn new(terms: &[Term]) -> Self {
        let vocabularies = Vocabulary::ALL
            .into_iter()
            .map(|v| VocabularyJson {
                vocabulary: v,
                filter: match v {
                    Vocabulary::Types => "type",
                    Vocabulary::Domains => "domain",
                    Vocabulary::Topics => "topic",
                    Vocabulary::Professions => "profession",
                },
                label: v.label(),
                terms: terms
                    .iter()
                    .filter(|t| t.vocabulary == v)
                    .map(|t| TermJson {
                        slug: t.slug.clone(),
                        label: t.label.clone(),
                        description: t.description.clone(),
                    })
                    .collect(),
            })
            .collect();
        Self { vocabularies }
    }
}

/// A value as staff see it, retired ones included.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminTermJson {
    pub slug: String,
    pub label: String,
    pub description: String,
    pub position: i32,
    pub retired_at: Option<DateTime<Utc>>,
    /// Resources (any status) that use the value.
    pub resource_count: i64,
}

impl AdminTermJson {
    pub fn new(t: Term, resource_count: i64) -> Self {
        Self {
            slug: t.slug,
            label: t.label,
            description: t.description,
            position: t.position,
            retired_at: t.retired_at,
            resource_count,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTerm {
    /// Generated from the label when left out; never changes afterwards.
    #[validate(length(min = 1, max = 80), custom(function = "crate::values::slug::validate"))]
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, example = "rural-health")]
    pub slug: Option<String>,
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Rural Health")]
    pub label: String,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Display position; the end of the list when left out.
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000)]
    pub position: Option<i32>,
}

/// Relabel, redescribe or reorder a value. The slug never changes.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTerm {
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120)]
    pub label: Option<String>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000)]
    pub position: Option<i32>,
}
