//! Wire types of suggestions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::{DuplicateRow, SuggestionRow};
use crate::forms::http_url;
use crate::forms::not_blank;

/// A resource someone thinks belongs in the library, sent from the website's suggestion form.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Pipeline programs and diversity in medical school",
    "url": "https://example.org/journal/pipeline-programs-and-diversity",
    "why": "A review of pathway programs that prepare students from underrepresented backgrounds for medical school, with admission and graduation outcomes from twelve programs.",
    "domains": ["pathways-admission-graduation"],
    "topics": ["diversity-inclusion-belonging"],
    "professions": ["medicine"],
    "submitter_name": "Jordan Rivera",
    "submitter_email": "jordan.rivera@example.org",
    "consent_to_contact": true
}))]
pub struct SuggestionInput {
    /// The resource's title, as its publisher gives it (3 to 300 characters).
    #[validate(custom(function = "not_blank"), length(min = 3, max = 300))]
    #[schema(min_length = 3, max_length = 300, example = "Pipeline programs and diversity in medical school")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub title: String,
    /// Where the resource is (http or https).
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(
        format = "uri",
        max_length = 2000,
        example = "https://example.org/journal/pipeline-programs-and-diversity"
    )]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub url: String,
    /// Why it belongs in the library, in the submitter's words (up to 5000 characters).
    #[validate(custom(function = "not_blank"), length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub why: String,
    /// Social Mission Domain slugs (see `GET /api/v1/taxonomy`), at most 10; each must be an
    /// active value (422 `unknown_value` otherwise). Empty when left out.
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 domains"))]
    #[schema(max_items = 10, example = json!(["pathways-admission-graduation"]))]
    pub domains: Vec<String>,
    /// Social Mission Topic slugs (see `GET /api/v1/taxonomy`), at most 10; each must be an
    /// active value. Empty when left out.
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 topics"))]
    #[schema(max_items = 10, example = json!(["diversity-inclusion-belonging"]))]
    pub topics: Vec<String>,
    /// Health Profession slugs (see `GET /api/v1/taxonomy`), at most 10; each must be an active
    /// value. Empty when left out.
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 professions"))]
    #[schema(max_items = 10, example = json!(["medicine"]))]
    pub professions: Vec<String>,
    /// Who suggests it (1 to 200 characters); seen only by the editors.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Jordan Rivera")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub submitter_name: String,
    /// The submitter's address; written to only when `consent_to_contact` is true.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "jordan.rivera@example.org")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub submitter_email: String,
    /// May the editors email the submitter (the decision, questions)? `false` when left out.
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
#[schema(example = json!({
    "id": "01a21c7d-8d80-7a5b-b2a9-a288a573613c",
    "status": "pending",
    "created_at": "2026-11-27T10:12:00Z"
}))]
pub struct SuggestionReceipt {
    /// The suggestion's id (the editors' `GET /api/v1/admin/suggestions/{id}`).
    pub id: Uuid,
    /// Always `pending`: the suggestion waits in the editors' queue.
    pub status: SuggestionStatus,
    /// When it was received.
    pub created_at: DateTime<Utc>,
}

/// Who sent a suggestion, for the editors.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "Jordan Rivera",
    "email": "jordan.rivera@example.org",
    "consent_to_contact": true
}))]
pub struct Submitter {
    /// The submitter's name; `null` once the person was erased.
    pub name: Option<String>,
    /// The submitter's address; `null` once the person was erased.
    #[schema(format = "email")]
    pub email: Option<String>,
    /// Whether they agreed to be emailed about the suggestion (they are told the decision only then).
    pub consent_to_contact: bool,
}

/// What the suggestion's URL (normalised: scheme, `www.`, host case, trailing slash, fragment
/// and tracking parameters aside) already matches: a resource, else an earlier suggestion.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "suggestion",
    "id": "01a0a002-c438-73c5-bdf9-158c4d64c496",
    "title": "Pipeline programs and diversity in medical school",
    "href": "/api/v1/admin/suggestions/01a0a002-c438-73c5-bdf9-158c4d64c496"
}))]
pub struct PossibleDuplicate {
    #[schema(example = "resource")]
    pub kind: DuplicateKind,
    /// The id of the matching resource or earlier suggestion.
    pub id: Uuid,
    /// The matching record's title.
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
#[schema(example = json!({
    "id": "01a21c7d-8d80-7a5b-b2a9-a288a573613c",
    "title": "Pipeline programs and diversity in medical school",
    "url": "https://example.org/journal/pipeline-programs-and-diversity",
    "why": "A review of pathway programs that prepare students from underrepresented backgrounds for medical school, with admission and graduation outcomes from twelve programs.",
    "domains": ["pathways-admission-graduation"],
    "topics": ["diversity-inclusion-belonging"],
    "professions": ["medicine"],
    "submitter": {
        "name": "Jordan Rivera",
        "email": "jordan.rivera@example.org",
        "consent_to_contact": true
    },
    "status": "pending",
    "possible_duplicate": {
        "kind": "suggestion",
        "id": "01a0a002-c438-73c5-bdf9-158c4d64c496",
        "title": "Pipeline programs and diversity in medical school",
        "href": "/api/v1/admin/suggestions/01a0a002-c438-73c5-bdf9-158c4d64c496"
    },
    "resource_id": null,
    "decision_reason": null,
    "decided_by": null,
    "decided_at": null,
    "created_at": "2026-11-27T10:12:00Z"
}))]
pub struct SuggestionJson {
    /// The suggestion's id.
    pub id: Uuid,
    /// The resource's title, as the submitter gave it.
    pub title: String,
    /// Where the resource is (an http or https URL).
    #[schema(format = "uri")]
    pub url: String,
    /// Why the submitter thinks it belongs in the library.
    pub why: String,
    /// Social Mission Domain slugs, as submitted (a value retired since stays listed here).
    pub domains: Vec<String>,
    /// Social Mission Topic slugs, as submitted.
    pub topics: Vec<String>,
    /// Health Profession slugs, as submitted.
    pub professions: Vec<String>,
    pub submitter: Submitter,
    pub status: SuggestionStatus,
    /// A resource, else an earlier suggestion, with the same URL (normalised); `null` when none.
    pub possible_duplicate: Option<PossibleDuplicate>,
    /// The draft resource made from it (accepted suggestions); `null` otherwise.
    pub resource_id: Option<Uuid>,
    /// Why it was rejected (rejected suggestions); `null` otherwise.
    pub decision_reason: Option<String>,
    /// The staff user who accepted or rejected it; `null` while pending.
    pub decided_by: Option<Uuid>,
    /// When it was accepted or rejected; `null` while pending.
    pub decided_at: Option<DateTime<Utc>>,
    /// When it was received.
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
    /// Only suggestions in this status (every status when left out).
    pub status: Option<SuggestionStatus>,
    /// The page to answer, from 1 (the default).
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// How many suggestions a page holds: 1 to 100, 20 by default.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// Accepting makes a draft resource of this type from the suggestion.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "resource_type": "peer-reviewed-article" }))]
pub struct AcceptSuggestion {
    /// The Resource Type of the draft: an active resource type slug (see `GET /api/v1/taxonomy`).
    #[validate(length(min = 1, max = 80))]
    #[schema(min_length = 1, max_length = 80, example = "peer-reviewed-article")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub resource_type: String,
}

/// A decision that needs its reason (rejections).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "It is outside the library's scope." }))]
pub struct Reason {
    /// Why (1 to 2000 characters). A suggestion's submitter who agreed to be contacted is emailed
    /// it; a nomination's reason is kept for the editors only.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, example = "It is outside the library's scope.")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub reason: String,
}
