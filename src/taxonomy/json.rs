//! Wire types of the vocabularies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::model::{Term, VocabularyText};

pub use super::model::Vocabulary;

/// A vocabulary value as it appears on a resource.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[schema(example = json!({ "slug": "community-engagement", "label": "Community Engagement" }))]
pub struct TermRef {
    /// The value's stable slug, as the list filters take it (`domain=community-engagement`).
    #[schema(example = "community-engagement")]
    pub slug: String,
    /// The value's label, as the library page writes it.
    #[schema(example = "Community Engagement")]
    pub label: String,
}

/// A value of a vocabulary, in the library page's words.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "students-faculty",
    "label": "Students and Faculty",
    "description": "This Domain includes advocacy training for students and faculty, faculty promotion, faculty research, and faculty & leadership demographics."
}))]
pub struct TermJson {
    /// Stable: filters and links use it; it never changes when the label does.
    #[schema(example = "students-faculty")]
    pub slug: String,
    /// As the library page writes it.
    #[schema(example = "Students and Faculty")]
    pub label: String,
    /// What the value covers, as the library page explains it; empty where the page gives no
    /// description (resource types, professions).
    #[schema(
        example = "This Domain includes advocacy training for students and faculty, faculty promotion, faculty research, and faculty & leadership demographics."
    )]
    pub description: String,
}

/// One vocabulary: its texts for the library page's sidebar and its values.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "vocabulary": "domains",
    "filter": "domain",
    "label": "Social Mission Domains",
    "heading": "Social Mission Domain",
    "introduction": "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Domains reflect core operations and functions of health professions education institutions and programs that can be targeted for action to advance equity. These are also the domains used for the Social Mission Metrics Self Assessment.\n\nUse this search filter if you are interested in resources describing actions, interventions, and inputs. The Social Mission Resource Library Domains are:",
    "terms": [
        {
            "slug": "pathways-admission-graduation",
            "label": "Pathways, Admission, & Graduation",
            "description": "This Domain includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support."
        },
        {
            "slug": "community-engagement",
            "label": "Community Engagement",
            "description": "This Domain includes community health needs assessments, community partnerships, and community representation in health professions education."
        }
    ]
}))]
pub struct VocabularyJson {
    pub vocabulary: Vocabulary,
    /// The query parameter of `GET /resources` that filters by this vocabulary.
    #[schema(example = "domain")]
    pub filter: &'static str,
    /// The vocabulary's name in the plural, for lists and messages.
    #[schema(example = "Social Mission Domains")]
    pub label: &'static str,
    /// The heading of this vocabulary's filter in the library page's sidebar.
    #[schema(example = "Social Mission Domain")]
    pub heading: String,
    /// What the vocabulary is and how to use its filter, as the library page explains it above the
    /// list of its values (paragraphs separated by a blank line, `\n\n`); empty where the page has
    /// no introduction (resource types, professions).
    #[schema(
        example = "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:"
    )]
    pub introduction: String,
    /// The vocabulary's active values, in display order (retired values are left out).
    pub terms: Vec<TermJson>,
}

/// The four vocabularies, in the order of the library page's sidebar.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "vocabularies": [{
    "vocabulary": "topics",
    "filter": "topic",
    "label": "Social Mission Topics",
    "heading": "Social Mission Topic",
    "introduction": "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:",
    "terms": [{
        "slug": "specialty-choice",
        "label": "Specialty choice",
        "description": "Learners and providers practicing in high need specialty areas, especially primary care."
    }]
}]}))]
pub struct TaxonomyJson {
    /// Resource Types, Social Mission Domains, Social Mission Topics and Health Professions, in
    /// that order.
    pub vocabularies: Vec<VocabularyJson>,
}

fn filter_of(v: Vocabulary) -> &'static str {
    match v {
        Vocabulary::Types => "type",
        Vocabulary::Domains => "domain",
        Vocabulary::Topics => "topic",
        Vocabulary::Professions => "profession",
    }
}

impl TaxonomyJson {
    /// Every vocabulary with its texts and its values (`terms`, in display order).
    pub fn new(terms: &[Term], texts: &[VocabularyText]) -> Self {
        let vocabularies = Vocabulary::ALL
            .into_iter()
            .map(|v| {
                let text = texts.iter().find(|t| t.vocabulary == v);
                VocabularyJson {
                    vocabulary: v,
                    filter: filter_of(v),
                    label: v.label(),
                    heading: text.map_or_else(|| v.label().to_string(), |t| t.heading.clone()),
                    introduction: text.map(|t| t.introduction.clone()).unwrap_or_default(),
                    terms: terms
                        .iter()
                        .filter(|t| t.vocabulary == v)
                        .map(|t| TermJson {
                            slug: t.slug.clone(),
                            label: t.label.clone(),
                            description: t.description.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        Self { vocabularies }
    }
}

/// A vocabulary's texts as staff see them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "vocabulary": "topics",
    "filter": "topic",
    "label": "Social Mission Topics",
    "heading": "Social Mission Topic",
    "introduction": "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:",
    "updated_at": "2026-11-30T09:00:00Z"
}))]
pub struct AdminVocabularyJson {
    pub vocabulary: Vocabulary,
    /// The query parameter of `GET /resources` that filters by this vocabulary.
    #[schema(example = "domain")]
    pub filter: &'static str,
    /// The vocabulary's name in the plural, for lists and messages (fixed; not editable).
    #[schema(example = "Social Mission Domains")]
    pub label: &'static str,
    /// The heading of the vocabulary's filter in the library page's sidebar.
    #[schema(example = "Social Mission Domain")]
    pub heading: String,
    /// The page's introduction of the vocabulary (paragraphs separated by `\n\n`); may be empty.
    #[schema(
        example = "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:"
    )]
    pub introduction: String,
    /// When the heading or introduction last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl AdminVocabularyJson {
    pub fn new(t: VocabularyText) -> Self {
        Self {
            vocabulary: t.vocabulary,
            filter: filter_of(t.vocabulary),
            label: t.vocabulary.label(),
            heading: t.heading,
            introduction: t.introduction,
            updated_at: t.updated_at,
        }
    }
}

/// The four vocabularies' texts, in the sidebar's order.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "vocabularies": [
    {
        "vocabulary": "types", "filter": "type", "label": "Resource Types",
        "heading": "Resource Type", "introduction": "", "updated_at": "2026-11-30T09:00:00Z"
    },
    {
        "vocabulary": "domains", "filter": "domain", "label": "Social Mission Domains",
        "heading": "Social Mission Domain",
        "introduction": "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Domains reflect core operations and functions of health professions education institutions and programs that can be targeted for action to advance equity. These are also the domains used for the Social Mission Metrics Self Assessment.\n\nUse this search filter if you are interested in resources describing actions, interventions, and inputs. The Social Mission Resource Library Domains are:",
        "updated_at": "2026-11-30T09:00:00Z"
    },
    {
        "vocabulary": "topics", "filter": "topic", "label": "Social Mission Topics",
        "heading": "Social Mission Topic",
        "introduction": "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:",
        "updated_at": "2026-11-30T09:00:00Z"
    },
    {
        "vocabulary": "professions", "filter": "profession", "label": "Health Professions",
        "heading": "Health Profession", "introduction": "", "updated_at": "2026-11-30T09:00:00Z"
    }
]}))]
pub struct AdminVocabulariesJson {
    /// Resource Types, Social Mission Domains, Social Mission Topics and Health Professions, in
    /// that order.
    pub vocabularies: Vec<AdminVocabularyJson>,
}

/// Change a vocabulary's sidebar heading or introduction; fields left out stay.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "heading": "Social Mission Topic" }))]
pub struct UpdateVocabulary {
    /// The heading of the vocabulary's filter in the sidebar, 1 to 120 characters.
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Social Mission Topic")]
    pub heading: Option<String>,
    /// Paragraphs separated by a blank line (`\n\n`); empty for none.
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub introduction: Option<String>,
}

/// A value as staff see it, retired ones included.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "community-engagement",
    "label": "Community Engagement",
    "description": "This Domain includes community health needs assessments, community partnerships, and community representation in health professions education.",
    "position": 2,
    "retired_at": null,
    "resource_count": 14
}))]
pub struct AdminTermJson {
    /// The value's slug; it never changes.
    #[schema(example = "community-engagement")]
    pub slug: String,
    /// The label the library shows.
    #[schema(example = "Community Engagement")]
    pub label: String,
    /// What the value covers; may be empty.
    pub description: String,
    /// Its place in the vocabulary's display order, from 0 (retired values keep theirs).
    #[schema(example = 2)]
    pub position: i32,
    /// When it was retired (UTC); null while it can be chosen.
    pub retired_at: Option<DateTime<Utc>>,
    /// Resources (any status) that use the value.
    #[schema(example = 14)]
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

/// A new value for a vocabulary.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "slug": "occupational-therapy", "label": "Occupational Therapy", "position": 6 }))]
pub struct CreateTerm {
    /// Lower-case letters and digits joined by single hyphens, unique in the vocabulary; made
    /// from the label when left out; never changes afterwards.
    #[validate(length(min = 1, max = 80), custom(function = "crate::values::slug::validate"))]
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, example = "occupational-therapy")]
    pub slug: Option<String>,
    /// The label the library shows, 1 to 120 characters.
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Occupational Therapy")]
    pub label: String,
    /// What the value covers, at most 2,000 characters; empty when left out.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Display position, from 0 (the values from there on move down one); the end of the list
    /// when left out or past the end.
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000)]
    pub position: Option<i32>,
}

/// Relabel, redescribe or reorder a value. The slug never changes.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "label": "Students and Faculty", "position": 3 }))]
pub struct UpdateTerm {
    /// A new label, 1 to 120 characters.
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Students and Faculty")]
    pub label: Option<String>,
    /// A new description, at most 2,000 characters; `""` empties it.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// A new display position, from 0: the value moves there and the others shift (past the end:
    /// last).
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000)]
    pub position: Option<i32>,
}
