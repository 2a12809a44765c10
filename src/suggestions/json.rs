//! Wire types of suggestions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::{DuplicateRow, SuggestionRow};
use crate::forms::http_url;
use crate::forms::not_blank;

/// A resource someone thinks belongs in the library.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionInput {
    #[validate(custom(function = "not_blank"), length(min = 3, max = 300))]
    #[schema(min_length = 3, max_length = 300, example = "Pipeline programs and diversity in medical school")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub title: String,
    /// Where the resource is (http or https).
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000, example = "https://example.org/article")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub url: String,
    /// Why it belongs in the library.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub why: String,
    /// Social Mission Domain slugs (see `GET /api/v1/taxonomy`).
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 domains"))]
    #[schema(max_items = 10)]
    pub domains: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 topics"))]
    #[schema(max_items = 10)]
    pub topics: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 professions"))]
    #[schema(max_items = 10)]
    pub professions: Vec<String>,
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Ada Lovelace")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub submitter_name: String,
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "ada@example.org")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub submitter_email: String,
    /// May the editors email the submitter (the decision, questions)?
    #[serde(default)]
    pub consent_to_contact: bool,
    /// Leave out or empty: the website hides this field from people, so a filled one marks a
    /// robot, which gets a success-shaped answer while nothing is stored.
    #[serde(default)]
    pub website: Option<String>,
}

pub use super::model::SuggestionStatus;

/// The answer to a submission: nothing the submitter sent is echoed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionReceipt {
    pub id: Uuid,
    pub status: SuggestionStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Submitter {
    /// `null` once the person was erased.
    pub name: Option<String>,
    pub email: Option<String>,
    pub consent_to_contact: bool,
}

/// What the suggestion's URL (normalised: scheme, `www.`, host case, trailing slash, fragment
/// and tracking parameters aside) already matches: a resource, else an earlier suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct PossibleDuplicate {
    #[schema(example = "resource")]
    pub kind: DuplicateKind,
    pub id: Uuid,
    pub title: String,
    /// The staff path of the matching record.
    #[schema(example = "/api/v1/admin/resources/0192f0c4-6d3e-7a8b-9c1d-2e3f4a5b6c7d")]
    pub href: String,
}

pub use super::model::DuplicateKind;

impl From<DuplicateRow> for PossibleDuplicate {
    fn from(d: DuplicateRow) -> Self {
        let href = match d.kind {
            DuplicateKind::Resource => format!("/api/v1/admin/resources/{}", d.id),
            DuplicateKind::Suggestion => format!("/api/v1/admin/suggestions/{}", d.id),
        };
        Self { kind: d.kind, id: d.id, title: d.title, href }
    }
}

/// A suggestion as editors see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionJson {
    pub id: Uuid,
    pub title: String,
    pub url: String,
    pub why: String,
    pub domains: Vec<String>,
    pub topics: Vec<String>,
    pub professions: Vec<String>,
    pub submitter: Submitter,
    pub status: SuggestionStatus,
    pub possible_duplicate: Option<PossibleDuplicate>,
    /// The draft resource made from it (accepted suggestions).
    pub resource_id: Option<Uuid>,
    /// Why it was rejected.
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl SuggestionJson {
    pub fn new(row: SuggestionRow, duplicate: Option<DuplicateRow>) -> Self {
        Self {
            id: row.id,
            title: row.title,
            url: row.url,
            why: row.why,
            domains: row.domains,
            topics: row.topics,
            professions: row.professions,
            submitter: Submitter {
                name: row.submitter_name,
                email: row.submitter_email,
                consent_to_contact: row.consent_to_contact,
            },
            status: row.status,
            possible_duplicate: duplicate.map(Into::into),
            resource_id: row.resource_id,
            decision_reason: row.decision_reason,
            decided_by: row.decided_by,
            decided_at: row.decided_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionListQuery {
    /// Only suggestions in this status.
    pub status: Option<SuggestionStatus>,
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// Accepting makes a draft resource of this type from the suggestion.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptSuggestion {
    /// A resource type slug.
    #[validate(length(min = 1, max = 80))]
    #[schema(min_length = 1, max_length = 80, example = "peer-reviewed-article")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub resource_type: String,
}

/// A decision that needs its reason (rejections).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[validate(custom(function = "not_blank"), length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, example = "It is outside the library's scope.")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub reason: String,
}
