//! Wire types of nominations and spotlights.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::model::{ChampionRow, NominationRow};
use crate::forms::http_url;
use crate::forms::not_blank;
use crate::taxonomy::json::TermRef;

/// A nomination for the Champion Spotlight.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
// Struct rules run with the field rules (not after them), so one answer lists everything. Clippy
// takes the second rule's `skip_on_field_errors` for a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[validate(
    schema(function = "nominator_name_given", skip_on_field_errors = false),
    schema(function = "nominator_email_given", skip_on_field_errors = false)
)]
pub struct NominationInput {
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Dr. Maria Lopez")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_name: String,
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Associate Dean for Community Health")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_role: String,
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "University of New Mexico")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_institution: String,
    /// A Health Profession slug (see `GET /api/v1/taxonomy`).
    #[validate(length(min = 1, max = 80))]
    #[schema(min_length = 1, max_length = 80, example = "medicine")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_profession: String,
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_email: String,
    /// What the nominee does to advance health equity.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub health_equity_work: String,
    /// True when nominees nominate themselves; the nominator fields are then left out.
    pub self_nomination: bool,
    /// Required unless `self_nomination`.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub nominator_name: Option<String>,
    /// Required unless `self_nomination`.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub nominator_email: Option<String>,
    /// The submitter's statement that the nominee agrees to be featured. It is kept, but it is not
    /// consent: every nominee (self-nominations too) is emailed a link, and only the answer given
    /// through it counts.
    pub consent_to_feature: bool,
    /// Leave out or empty: the website hides this field from people, so a filled one marks a
    /// robot, which gets a success-shaped answer while nothing is stored.
    #[serde(default)]
    pub website: Option<String>,
}

/// The nominator's fields are required unless it is a self-nomination.
fn nominator_given(
    input: &NominationInput,
    field: &'static str,
    value: &Option<String>,
) -> Result<(), ValidationError> {
    if input.self_nomination || value.is_some() {
        return Ok(());
    }
    let mut e = ValidationError::new("required").with_message("is required unless self_nomination is true".into());
    e.add_param("field".into(), &field);
    Err(e)
}

fn nominator_name_given(input: &NominationInput) -> Result<(), ValidationError> {
    nominator_given(input, "nominator_name", &input.nominator_name)
}

fn nominator_email_given(input: &NominationInput) -> Result<(), ValidationError> {
    nominator_given(input, "nominator_email", &input.nominator_email)
}

pub use super::model::NominationStatus;

pub use super::model::NomineeConsent;

/// The answer to a nomination: nothing the nominator sent is echoed.
#[derive(Debug, Serialize, ToSchema)]
pub struct NominationReceipt {
    pub id: Uuid,
    pub status: NominationStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Nominee {
    pub name: String,
    pub role: String,
    pub institution: String,
    pub profession: TermRef,
    /// `null` once the person was erased.
    pub email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Nominator {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// The spotlight an approved nomination became.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChampionRef {
    pub id: Uuid,
    pub slug: String,
}

/// A nomination as editors see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NominationJson {
    pub id: Uuid,
    pub nominee: Nominee,
    pub health_equity_work: String,
    pub self_nomination: bool,
    /// `null` for a self-nomination.
    pub nominator: Option<Nominator>,
    /// What the submitter stated on the form (never taken as consent).
    pub consent_to_feature: bool,
    pub nominee_consent: NomineeConsent,
    pub consent_requested_at: Option<DateTime<Utc>>,
    pub consent_answered_at: Option<DateTime<Utc>>,
    pub status: NominationStatus,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub champion: Option<ChampionRef>,
    pub created_at: DateTime<Utc>,
}

impl NominationJson {
    /// The row, with its profession's slug and label and the spotlight made from it.
    pub fn new(r: NominationRow, profession: TermRef, champion: Option<ChampionRef>) -> Self {
        Self {
            id: r.id,
            nominee: Nominee {
                name: r.nominee_name,
                role: r.nominee_role,
                institution: r.nominee_institution,
                profession,
                email: r.nominee_email,
            },
            health_equity_work: r.health_equity_work,
            self_nomination: r.self_nomination,
            nominator: (!r.self_nomination).then_some(Nominator { name: r.nominator_name, email: r.nominator_email }),
            consent_to_feature: r.consent_to_feature,
            nominee_consent: r.nominee_consent,
            consent_requested_at: r.consent_requested_at,
            consent_answered_at: r.consent_answered_at,
            status: r.status,
            decision_reason: r.decision_reason,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            champion,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NominationListQuery {
    /// Only nominations in this status.
    pub status: Option<NominationStatus>,
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// The nominee's answer, with the token from the message they were sent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentAnswer {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    /// True to agree to be featured, false to decline.
    pub consent: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRecorded {
    pub nominee_consent: NomineeConsent,
}

/// Approving publishes the spotlight; the story defaults to the nomination's text.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveNomination {
    #[validate(custom(function = "not_blank"), length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub story: Option<String>,
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub photo_url: Option<String>,
}

pub use super::model::ChampionStatus;

/// A published Champion Spotlight: what the nominee agreed to show, never a contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChampionJson {
    #[schema(example = "maria-lopez")]
    pub slug: String,
    pub name: String,
    pub role: String,
    pub institution: String,
    pub profession: TermRef,
    pub story: String,
    pub photo_url: Option<String>,
    pub published_on: NaiveDate,
}

/// A spotlight as editors see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminChampionJson {
    pub id: Uuid,
    #[serde(flatten)]
    pub champion: ChampionJson,
    pub status: ChampionStatus,
    pub nomination_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AdminChampionJson {
    /// The row, with its profession's slug and label.
    pub fn new(r: ChampionRow, profession: TermRef) -> Self {
        Self {
            id: r.id,
            status: r.status,
            nomination_id: r.nomination_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
            champion: ChampionJson {
                slug: r.slug,
                name: r.name,
                role: r.role,
                institution: r.institution,
                profession,
                story: r.story,
                photo_url: r.photo_url,
                published_on: r.published_on,
            },
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChampionStatusQuery {
    /// Only spotlights in this status (both when left out).
    pub status: Option<ChampionStatus>,
}

/// Called only when a URL was sent (validator unwraps both `Option`s).
fn photo_url_ok(url: &str) -> Result<(), validator::ValidationError> {
    if url.chars().count() > 2000 {
        return Err(validator::ValidationError::new("invalid_length")
            .with_message("must be at most 2000 characters long".into()));
    }
    http_url(url)
}

/// Edit a spotlight: only the fields sent change.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateChampion {
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub name: Option<String>,
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub role: Option<String>,
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub institution: Option<String>,
    /// A Health Profession slug.
    #[validate(length(min = 1, max = 80))]
    #[schema(min_length = 1, max_length = 80)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub profession: Option<String>,
    #[validate(custom(function = "not_blank"), length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub story: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[validate(custom(function = "photo_url_ok"))]
    #[schema(value_type = Option<String>, format = "uri", max_length = 2000)]
    pub photo_url: Option<Option<String>>,
    /// The date shown as published (1900 to 2200).
    #[validate(custom(function = "crate::forms::plausible_date"))]
    pub published_on: Option<NaiveDate>,
}
