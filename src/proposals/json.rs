//! Wire types of proposals and their reviews.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidateEmail, ValidationError, ValidationErrors, ValidationErrorsKind};

use super::model::{ProposalRow, ReviewRow, ReviewStats};
use crate::forms::not_blank;

/// A proposal answering one of an edition's calls.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// The call it answers (one of the edition's `calls`).
    pub call_id: Uuid,
    #[schema(min_length = 3, max_length = 300, example = "A community-based curriculum in rural family medicine")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub title: String,
    /// At most the call's `word_limit` words (words are separated by white space).
    #[serde(rename = "abstract", deserialize_with = "crate::forms::trimmed")]
    #[schema(rename = "abstract", min_length = 1, max_length = 100000)]
    pub abstract_: String,
    /// Everyone who wrote it, in the order to show them; each name 1 to 200 characters.
    #[serde(deserialize_with = "trimmed_list")]
    #[schema(min_items = 1, max_items = 20, example = json!(["Ada Lovelace", "Grace Hopper"]))]
    pub authors: Vec<String>,
    /// The author who presents, and is written to about the proposal.
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[schema(min_length = 1, max_length = 200, example = "Ada Lovelace")]
    pub presenter_name: String,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[schema(format = "email", max_length = 254, example = "ada@example.org")]
    pub presenter_email: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[schema(max_length = 120, example = "Community Engagement")]
    pub track: Option<String>,
    /// Leave out or empty: the website hides this field from people, so a filled one marks a
    /// robot, which gets a success-shaped answer while nothing is stored.
    #[serde(default)]
    pub website: Option<String>,
}

fn trimmed_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let list = <Vec<String> as Deserialize>::deserialize(d)?;
    Ok(list.into_iter().map(|s| s.trim().to_string()).collect())
}

/// What `validator`'s `length` rule reports, so the message is built the same way.
fn length_error(min: Option<usize>, max: usize) -> ValidationError {
    let mut e = ValidationError::new("length");
    if let Some(min) = min {
        e.add_param(Cow::Borrowed("min"), &min);
    }
    e.add_param(Cow::Borrowed("max"), &max);
    e
}

/// A required text: not blank, then `min..=max` characters.
fn text_error(value: &str, min: usize, max: usize) -> Option<ValidationError> {
    if let Err(e) = not_blank(value) {
        return Some(e);
    }
    let n = value.chars().count();
    (n < min || n > max).then(|| length_error(Some(min), max))
}

// The rules are written out rather than derived so that errors name `abstract` (`validator` would
// say `abstract_`) and each bad author by position (`authors[2]`). The abstract's word limit is
// the call's, checked by the handler once the call is known.
impl Validate for ProposalInput {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut add = |field: Cow<'static, str>, e: ValidationError| {
            errors.errors_mut().insert(field, ValidationErrorsKind::Field(vec![e]));
        };
        for (field, value, min, max) in [
            ("title", &self.title, 3, 300),
            ("abstract", &self.abstract_, 1, 100_000),
            ("presenter_name", &self.presenter_name, 1, 200),
        ] {
            if let Some(e) = text_error(value, min, max) {
                add(Cow::Borrowed(field), e);
            }
        }
        if self.authors.is_empty() || self.authors.len() > 20 {
            add(Cow::Borrowed("authors"), length_error(Some(1), 20).with_message("must list 1 to 20 authors".into()));
        }
        for (i, name) in self.authors.iter().enumerate() {
            if let Some(e) = text_error(name, 1, 200) {
                add(Cow::Owned(format!("authors[{i}]")), e);
            }
        }
        if !self.presenter_email.validate_email() || self.presenter_email.chars().count() > 254 {
            add(Cow::Borrowed("presenter_email"), ValidationError::new("email"));
        }
        if self.track.as_deref().is_some_and(|t| t.chars().count() > 120) {
            add(Cow::Borrowed("track"), length_error(None, 120));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

pub use super::model::ProposalStatus;

/// The answer to a submission: nothing the presenter sent is echoed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalReceipt {
    pub id: Uuid,
    #[schema(example = "submitted")]
    pub status: ProposalStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Presenter {
    /// `null` once the person was erased.
    pub name: Option<String>,
    pub email: Option<String>,
}

/// A proposal as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalJson {
    pub id: Uuid,
    pub call_id: Uuid,
    pub title: String,
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    pub authors: Vec<String>,
    pub presenter: Presenter,
    pub track: String,
    pub status: ProposalStatus,
    pub review_count: i64,
    /// The mean of the reviewers' scores (two decimals); `null` before the first review.
    #[schema(example = 4.5)]
    pub average_score: Option<f64>,
    /// The agenda session made from it (accepted proposals, once scheduled).
    pub session_id: Option<Uuid>,
    /// When it was accepted, rejected or withdrawn.
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProposalJson {
    pub fn new(row: ProposalRow, stats: Option<ReviewStats>, session_id: Option<Uuid>) -> Self {
        Self {
            id: row.id,
            call_id: row.call_id,
            title: row.title,
            abstract_: row.abstract_,
            authors: row.authors,
            presenter: Presenter { name: row.presenter_name, email: row.presenter_email },
            track: row.track,
            status: row.status,
            review_count: stats.as_ref().map_or(0, |s| s.review_count),
            average_score: stats.and_then(|s| s.average_score),
            session_id,
            decided_at: row.decided_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// One reviewer's review. Staff only: never on a public endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewJson {
    pub id: Uuid,
    /// `null` once the reviewer's account was deleted.
    pub reviewer_id: Option<Uuid>,
    pub reviewer_name: Option<String>,
    #[schema(minimum = 1, maximum = 5)]
    pub score: i32,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ReviewJson {
    pub fn new(row: ReviewRow, reviewer_name: Option<String>) -> Self {
        Self {
            id: row.id,
            reviewer_id: row.reviewer_id,
            reviewer_name,
            score: row.score,
            notes: row.notes,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A proposal with its reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub proposal: ProposalJson,
    /// Oldest first.
    pub reviews: Vec<ReviewJson>,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalListQuery {
    /// Only proposals in this status.
    pub status: Option<ProposalStatus>,
    /// Only proposals answering this call.
    pub call_id: Option<Uuid>,
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// The signed-in reviewer's score and notes; sending it again replaces them.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5, example = 4)]
    pub score: i32,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000, example = "Strong community partnership; the evaluation plan is thin.")]
    pub notes: String,
}

/// A move through the review: `submitted` → `under_review`, `accepted`, `rejected` or
/// `withdrawn`; `under_review` → `accepted`, `rejected` or `withdrawn`. The last three are final.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    #[schema(example = "accepted")]
    pub status: ProposalStatus,
}

/// Where and when an accepted proposal is presented: wall-clock times in the edition's time zone.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    #[schema(value_type = String, example = "2027-04-15T09:00:00")]
    pub starts_local: NaiveDateTime,
    /// After `starts_local`.
    #[schema(value_type = String, example = "2027-04-15T10:30:00")]
    pub ends_local: NaiveDateTime,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Ballroom B")]
    pub room: String,
    /// The proposal's own track when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(length(max = 120))]
    #[schema(max_length = 120)]
    pub track: Option<String>,
}

/// The agenda session made from a proposal (its title, abstract, and authors as speakers).
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduledSession {
    pub id: Uuid,
    pub proposal_id: Uuid,
    pub title: String,
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `starts_at` on the wall clock of `time_zone`.
    #[schema(value_type = String, example = "2027-04-15T09:00:00")]
    pub starts_local: NaiveDateTime,
    #[schema(value_type = String, example = "2027-04-15T10:30:00")]
    pub ends_local: NaiveDateTime,
    /// The edition's time zone.
    #[schema(example = "America/Chicago")]
    pub time_zone: String,
    pub track: String,
    pub room: String,
    pub speakers: Vec<String>,
}
