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

/// A nomination for the Champion Spotlight, sent from the website's form.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "nominee_name": "Maria Lopez",
    "nominee_role": "Associate Dean for Community Health",
    "nominee_institution": "University of New Mexico School of Medicine",
    "nominee_profession": "medicine",
    "nominee_email": "maria.lopez@example.org",
    "health_equity_work": "Maria Lopez built a rural track that places every third-year student with a community health worker team in northern New Mexico, and co-chairs the school's community advisory board, which now reviews admissions and curriculum changes.",
    "self_nomination": false,
    "nominator_name": "James Okafor",
    "nominator_email": "james.okafor@example.org",
    "consent_to_feature": true
}))]
// Struct rules run with the field rules (not after them), so one answer lists everything. Clippy
// takes the second rule's `skip_on_field_errors` for a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[validate(
    schema(function = "nominator_name_given", skip_on_field_errors = false),
    schema(function = "nominator_email_given", skip_on_field_errors = false)
)]
pub struct NominationInput {
    /// The nominee's name as it should appear on a spotlight (1 to 200 characters); the
    /// spotlight's slug is made from it.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Maria Lopez")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_name: String,
    /// The nominee's position or title (1 to 200 characters).
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Associate Dean for Community Health")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_role: String,
    /// Where the nominee works or studies (1 to 200 characters).
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "University of New Mexico School of Medicine")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_institution: String,
    /// The nominee's profession: an active Health Profession slug (see `GET /api/v1/taxonomy`;
    /// 422 `unknown_value` otherwise).
    #[validate(length(min = 1, max = 80))]
    #[schema(min_length = 1, max_length = 80, example = "medicine")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_profession: String,
    /// The nominee's own address: the link to agree to be featured (or decline) is sent there,
    /// on a self-nomination too. Never published.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "maria.lopez@example.org")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub nominee_email: String,
    /// What the nominee does to advance health equity (1 to 5000 characters); the spotlight's
    /// story unless the editors write another.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub health_equity_work: String,
    /// True when nominees nominate themselves; the nominator fields are then left out.
    pub self_nomination: bool,
    /// Who nominates (1 to 200 characters): required unless `self_nomination`, not kept when it
    /// is true.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "James Okafor")]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub nominator_name: Option<String>,
    /// The nominator's address: required unless `self_nomination`, not kept when it is true.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "james.okafor@example.org")]
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
#[schema(example = json!({
    "id": "01a1a248-55e0-7bd0-b0cf-507d18ec9ab6",
    "status": "pending",
    "created_at": "2026-11-03T16:40:12Z"
}))]
pub struct NominationReceipt {
    /// The nomination's id (the editors' `GET /api/v1/admin/champion-nominations/{id}`).
    pub id: Uuid,
    /// Always `pending`: the nomination waits for the nominee's consent and the editors.
    pub status: NominationStatus,
    /// When it was received.
    pub created_at: DateTime<Utc>,
}

/// The person nominated, as the form gave them. After the person was erased, the texts read
/// `[erased]` and `email` is `null`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "Maria Lopez",
    "role": "Associate Dean for Community Health",
    "institution": "University of New Mexico School of Medicine",
    "profession": { "slug": "medicine", "label": "Medicine" },
    "email": "maria.lopez@example.org"
}))]
pub struct Nominee {
    /// The nominee's name.
    pub name: String,
    /// The nominee's position or title.
    pub role: String,
    /// Where the nominee works or studies.
    pub institution: String,
    pub profession: TermRef,
    /// The nominee's address, where the consent link goes; `null` once the person was erased.
    #[schema(format = "email")]
    pub email: Option<String>,
}

/// Who nominated someone else.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "name": "James Okafor", "email": "james.okafor@example.org" }))]
pub struct Nominator {
    /// The nominator's name; `null` once the person was erased.
    pub name: Option<String>,
    /// The nominator's address; `null` once the person was erased.
    #[schema(format = "email")]
    pub email: Option<String>,
}

/// The spotlight an approved nomination became.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "id": "01a20de0-9218-7914-bef9-7fe16f1165a0", "slug": "maria-lopez" }))]
pub struct ChampionRef {
    /// The spotlight's id (`GET /api/v1/admin/champions/{id}`).
    pub id: Uuid,
    /// The spotlight's slug (`GET /api/v1/champions/{slug}` while it is published).
    pub slug: String,
}

/// A nomination as editors see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a1a248-55e0-7bd0-b0cf-507d18ec9ab6",
    "nominee": {
        "name": "Maria Lopez",
        "role": "Associate Dean for Community Health",
        "institution": "University of New Mexico School of Medicine",
        "profession": { "slug": "medicine", "label": "Medicine" },
        "email": "maria.lopez@example.org"
    },
    "health_equity_work": "Maria Lopez built a rural track that places every third-year student with a community health worker team in northern New Mexico, and co-chairs the school's community advisory board, which now reviews admissions and curriculum changes.",
    "self_nomination": false,
    "nominator": { "name": "James Okafor", "email": "james.okafor@example.org" },
    "consent_to_feature": true,
    "nominee_consent": "given",
    "consent_requested_at": "2026-11-03T16:40:12Z",
    "consent_answered_at": "2026-11-05T09:21:44Z",
    "status": "approved",
    "decision_reason": null,
    "decided_by": "019caeeb-9280-7a3f-9666-34ee4752307f",
    "decided_at": "2026-11-24T14:05:51Z",
    "champion": { "id": "01a20de0-9218-7914-bef9-7fe16f1165a0", "slug": "maria-lopez" },
    "created_at": "2026-11-03T16:40:12Z"
}))]
pub struct NominationJson {
    /// The nomination's id.
    pub id: Uuid,
    pub nominee: Nominee,
    /// What the nominee does to advance health equity, as the form said (`[erased]` once the
    /// nominee was erased).
    pub health_equity_work: String,
    /// Whether nominees nominated themselves.
    pub self_nomination: bool,
    /// Who nominated; `null` for a self-nomination.
    pub nominator: Option<Nominator>,
    /// What the submitter stated on the form (never taken as consent).
    pub consent_to_feature: bool,
    pub nominee_consent: NomineeConsent,
    /// When the consent link was last emailed to the nominee; `null` if it never was.
    pub consent_requested_at: Option<DateTime<Utc>>,
    /// When the nominee answered through the link; `null` while unanswered.
    pub consent_answered_at: Option<DateTime<Utc>>,
    pub status: NominationStatus,
    /// Why it was rejected (kept for the editors, never published); `null` otherwise.
    pub decision_reason: Option<String>,
    /// The staff user who approved or rejected it; `null` while pending.
    pub decided_by: Option<Uuid>,
    /// When it was approved or rejected; `null` while pending.
    pub decided_at: Option<DateTime<Utc>>,
    /// The spotlight made from it (approved nominations); `null` otherwise.
    pub champion: Option<ChampionRef>,
    /// When it was received.
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
    /// Only nominations in this status (every status when left out).
    pub status: Option<NominationStatus>,
    /// The page to answer, from 1 (the default).
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// How many nominations a page holds: 1 to 100, 20 by default.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// The nominee's answer, with the token from the message they were sent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "token": "95YRW2Kaldm4P-k7QPmdfO0b8-Wo7kfBpVC5jAxja5A", "consent": true }))]
pub struct ConsentAnswer {
    /// The `token` query parameter of the link in the message (valid for 30 days; 422
    /// `invalid_token` or `expired_token` otherwise).
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "95YRW2Kaldm4P-k7QPmdfO0b8-Wo7kfBpVC5jAxja5A")]
    pub token: String,
    /// True to agree to be featured, false to decline.
    pub consent: bool,
}

/// The nominee's answer, as recorded.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "nominee_consent": "given" }))]
pub struct ConsentRecorded {
    /// `given` or `declined`, as the nominee answered.
    pub nominee_consent: NomineeConsent,
}

/// Approving publishes the spotlight; the story defaults to the nomination's text.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "story": "Maria Lopez built a rural track that places every third-year student with a community health worker team in northern New Mexico, and co-chairs the school's community advisory board, which now reviews admissions and curriculum changes.",
    "photo_url": "https://example.org/photos/maria-lopez.jpg"
}))]
pub struct ApproveNomination {
    /// The spotlight's story (1 to 10000 characters); the nomination's `health_equity_work`
    /// when left out.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub story: Option<String>,
    /// The champion's photo: an http(s) URL of an image hosted elsewhere (up to 2000
    /// characters); no photo when left out.
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000, example = "https://example.org/photos/maria-lopez.jpg")]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub photo_url: Option<String>,
}

pub use super::model::ChampionStatus;

/// A published Champion Spotlight: what the nominee agreed to show, never a contact.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = champion_example)]
pub struct ChampionJson {
    /// Stable address of the spotlight (`GET /api/v1/champions/{slug}`), made from the name when
    /// the nomination was approved; an edit of the name does not change it.
    #[schema(example = "maria-lopez")]
    pub slug: String,
    /// The champion's name.
    pub name: String,
    /// The champion's position or title.
    pub role: String,
    /// Where the champion works or studies.
    pub institution: String,
    pub profession: TermRef,
    /// The spotlight's text, in plain text.
    pub story: String,
    /// The champion's photo (an http(s) URL hosted elsewhere); `null` when there is none.
    #[schema(format = "uri")]
    pub photo_url: Option<String>,
    /// The date shown as published: the day the nomination was approved, unless an editor set another.
    pub published_on: NaiveDate,
}

/// A spotlight as editors see it: the public fields and its state.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = admin_champion_example)]
pub struct AdminChampionJson {
    /// The spotlight's id.
    pub id: Uuid,
    #[serde(flatten)]
    pub champion: ChampionJson,
    pub status: ChampionStatus,
    /// The nomination it was made from; `null` for a spotlight with no nomination on record.
    pub nomination_id: Option<Uuid>,
    /// When the spotlight was made (the nomination's approval).
    pub created_at: DateTime<Utc>,
    /// When it last changed (an edit, publishing or unpublishing).
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
#[schema(example = json!({
    "role": "Vice Dean for Community Health",
    "photo_url": "https://example.org/photos/maria-lopez-2027.jpg"
}))]
pub struct UpdateChampion {
    /// The champion's name (1 to 200 characters); the slug stays as it is.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub name: Option<String>,
    /// The champion's position or title (1 to 200 characters).
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub role: Option<String>,
    /// Where the champion works or studies (1 to 200 characters).
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub institution: Option<String>,
    /// An active Health Profession slug (see `GET /api/v1/taxonomy`).
    #[validate(length(min = 1, max = 80))]
    #[schema(min_length = 1, max_length = 80, example = "medicine")]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub profession: Option<String>,
    /// The spotlight's text (1 to 10000 characters).
    #[validate(custom(function = "not_blank"), length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub story: Option<String>,
    /// A new photo (an http(s) URL, up to 2000 characters), or `null` to remove the photo.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[validate(custom(function = "photo_url_ok"))]
    #[schema(value_type = Option<String>, format = "uri", max_length = 2000)]
    pub photo_url: Option<Option<String>>,
    /// The date shown as published (1900 to 2200).
    #[validate(custom(function = "crate::forms::plausible_date"))]
    pub published_on: Option<NaiveDate>,
}

/// The example of `ChampionJson`, which `AdminChampionJson`'s example extends.
fn champion_example() -> serde_json::Value {
    serde_json::json!({
        "slug": "maria-lopez",
        "name": "Maria Lopez",
        "role": "Associate Dean for Community Health",
        "institution": "University of New Mexico School of Medicine",
        "profession": { "slug": "medicine", "label": "Medicine" },
        "story": "Maria Lopez built a rural track that places every third-year student with a community health worker team in northern New Mexico, and co-chairs the school's community advisory board, which now reviews admissions and curriculum changes.",
        "photo_url": "https://example.org/photos/maria-lopez.jpg",
        "published_on": "2026-11-24"
    })
}

/// The example of `AdminChampionJson`: the published spotlight with its state.
fn admin_champion_example() -> serde_json::Value {
    let mut example = champion_example();
    example["id"] = serde_json::json!("01a20de0-9218-7914-bef9-7fe16f1165a0");
    example["status"] = serde_json::json!("published");
    example["nomination_id"] = serde_json::json!("01a1a248-55e0-7bd0-b0cf-507d18ec9ab6");
    example["created_at"] = serde_json::json!("2026-11-24T14:05:51Z");
    example["updated_at"] = serde_json::json!("2026-11-24T14:05:51Z");
    example
}
