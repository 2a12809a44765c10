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
#[schema(example = json!({
    "call_id": "019e8317-41c0-7fca-9a6c-5a7ac12ac746",
    "title": "A community-based curriculum in rural family medicine",
    "abstract": "Since 2019 our third-year students have spent twelve weeks with community health worker teams in four rural counties of northern New Mexico. We describe how the curriculum was built with the communities' advisory board, what students learn there that a hospital rotation does not teach, and the first outcomes: more graduates choosing family medicine and rural practice.",
    "authors": [
        "Maria Lopez",
        "James Okafor"
    ],
    "presenter_name": "Maria Lopez",
    "presenter_email": "maria.lopez@example.org",
    "track": "Community Engagement"
}))]
pub struct ProposalInput {
    /// The call it answers (an `id` of the edition's `calls`; 422 `unknown_value` otherwise).
    /// The call must be open (409 otherwise).
    pub call_id: Uuid,
    /// The session's or poster's title (3 to 300 characters).
    #[schema(min_length = 3, max_length = 300, example = "A community-based curriculum in rural family medicine")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub title: String,
    /// What it is about, in plain text: at most the call's `word_limit` words (words are
    /// separated by white space; 422 `too_many_words` otherwise).
    #[serde(rename = "abstract", deserialize_with = "crate::forms::trimmed")]
    #[schema(rename = "abstract", min_length = 1, max_length = 100000)]
    pub abstract_: String,
    /// Everyone who wrote it, in the order to show them; each name 1 to 200 characters.
    #[serde(deserialize_with = "trimmed_list")]
    #[schema(min_items = 1, max_items = 20, example = json!(["Maria Lopez", "James Okafor"]))]
    pub authors: Vec<String>,
    /// The author who presents, and is written to about the proposal (1 to 200 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[schema(min_length = 1, max_length = 200, example = "Maria Lopez")]
    pub presenter_name: String,
    /// The presenter's address: the confirmation and the decision are sent there.
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[schema(format = "email", max_length = 254, example = "maria.lopez@example.org")]
    pub presenter_email: String,
    /// The track it suits (free text, up to 120 characters); empty when left out.
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
#[schema(example = json!({
    "id": "01a1f813-a740-7971-bc6d-8996f2ad9e42",
    "status": "submitted",
    "created_at": "2026-11-20T08:30:00Z"
}))]
pub struct ProposalReceipt {
    /// The proposal's id (the staff's `GET /api/v1/admin/conferences/{slug}/proposals/{id}`).
    pub id: Uuid,
    /// Always `submitted`.
    #[schema(example = "submitted")]
    pub status: ProposalStatus,
    /// When it was received.
    pub created_at: DateTime<Utc>,
}

/// The author who presents a proposal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "Maria Lopez",
    "email": "maria.lopez@example.org"
}))]
pub struct Presenter {
    /// The presenter's name; `null` once the person was erased.
    pub name: Option<String>,
    /// The presenter's address; `null` once the person was erased.
    #[schema(format = "email")]
    pub email: Option<String>,
}

/// A proposal as staff see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = proposal_example)]
pub struct ProposalJson {
    /// The proposal's id.
    pub id: Uuid,
    /// The call it answers (an `id` of the edition's `calls`).
    pub call_id: Uuid,
    /// Its title.
    pub title: String,
    /// What it is about, in plain text.
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    /// Everyone who wrote it, in the order to show them (an erased author is taken out).
    pub authors: Vec<String>,
    pub presenter: Presenter,
    /// The track it suits, as the presenter wrote it; empty when none.
    pub track: String,
    pub status: ProposalStatus,
    /// How many reviewers have scored it.
    pub review_count: i64,
    /// The mean of the reviewers' scores (two decimals); `null` before the first review.
    #[schema(example = 4.5)]
    pub average_score: Option<f64>,
    /// The agenda session made from it (accepted proposals, once scheduled).
    pub session_id: Option<Uuid>,
    /// When it was accepted, rejected or withdrawn; `null` before that.
    pub decided_at: Option<DateTime<Utc>>,
    /// When it was received.
    pub created_at: DateTime<Utc>,
    /// When it last changed (its status, for one); a review does not change it.
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
#[schema(example = review_example)]
pub struct ReviewJson {
    /// The review's id.
    pub id: Uuid,
    /// The staff user who wrote it; `null` once the reviewer's account was deleted.
    pub reviewer_id: Option<Uuid>,
    /// The reviewer's name; `null` once the reviewer's account was deleted.
    pub reviewer_name: Option<String>,
    /// From 1 (weakest) to 5 (strongest).
    #[schema(minimum = 1, maximum = 5)]
    pub score: i32,
    /// The reviewer's notes; empty when none.
    pub notes: String,
    /// When the reviewer first reviewed the proposal.
    pub created_at: DateTime<Utc>,
    /// When the reviewer last replaced the review.
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
#[schema(example = proposal_detail_example)]
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
    /// The page to answer, from 1 (the default).
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// How many proposals a page holds: 1 to 100, 20 by default.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// The signed-in reviewer's score and notes; sending it again replaces them.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "score": 4,
    "notes": "Strong community partnership; the evaluation plan is thin."
}))]
pub struct ReviewInput {
    /// From 1 (weakest) to 5 (strongest).
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5, example = 4)]
    pub score: i32,
    /// The reviewer's notes, seen by staff only (up to 5000 characters); empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000, example = "Strong community partnership; the evaluation plan is thin.")]
    pub notes: String,
}

/// A move through the review: `submitted` → `under_review`, `accepted`, `rejected` or
/// `withdrawn`; `under_review` → `accepted`, `rejected` or `withdrawn`. The last three are final.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "status": "accepted" }))]
pub struct StatusChange {
    /// The status to move to (`submitted` is never one).
    #[schema(example = "accepted")]
    pub status: ProposalStatus,
}

/// Where and when an accepted proposal is presented: wall-clock times in the edition's time zone.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "starts_local": "2027-04-16T14:00:00",
    "ends_local": "2027-04-16T15:00:00",
    "room": "Ballroom B",
    "track": "Community Engagement"
}))]
pub struct ScheduleInput {
    /// When it starts, on the wall clock of the edition's time zone (`YYYY-MM-DDTHH:MM:SS`, no
    /// offset); a time skipped by a daylight-saving change is refused (422 `nonexistent_time`).
    #[schema(value_type = String, example = "2027-04-16T14:00:00")]
    pub starts_local: NaiveDateTime,
    /// When it ends, on the same wall clock: after `starts_local` (422 `not_after_start` otherwise).
    #[schema(value_type = String, example = "2027-04-16T15:00:00")]
    pub ends_local: NaiveDateTime,
    /// Where it takes place (1 to 120 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Ballroom B")]
    pub room: String,
    /// The session's track (up to 120 characters); the proposal's own track when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(length(max = 120))]
    #[schema(max_length = 120, example = "Community Engagement")]
    pub track: Option<String>,
}

/// The agenda session made from a proposal (its title, abstract, and authors as speakers).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a22198-ed00-7b69-a94b-9def8eb1b81a",
    "proposal_id": "01a1f813-a740-7971-bc6d-8996f2ad9e42",
    "title": "A community-based curriculum in rural family medicine",
    "abstract": "Since 2019 our third-year students have spent twelve weeks with community health worker teams in four rural counties of northern New Mexico. We describe how the curriculum was built with the communities' advisory board, what students learn there that a hospital rotation does not teach, and the first outcomes: more graduates choosing family medicine and rural practice.",
    "starts_at": "2027-04-16T19:00:00Z",
    "ends_at": "2027-04-16T20:00:00Z",
    "starts_local": "2027-04-16T14:00:00",
    "ends_local": "2027-04-16T15:00:00",
    "time_zone": "America/Chicago",
    "track": "Community Engagement",
    "room": "Ballroom B",
    "speakers": [
        "Maria Lopez",
        "James Okafor"
    ]
}))]
pub struct ScheduledSession {
    /// The session's id on the edition's agenda.
    pub id: Uuid,
    /// The proposal it was made from.
    pub proposal_id: Uuid,
    /// The proposal's title.
    pub title: String,
    /// The proposal's abstract.
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// When it ends (UTC).
    pub ends_at: DateTime<Utc>,
    /// `starts_at` on the wall clock of `time_zone`.
    #[schema(value_type = String, example = "2027-04-16T14:00:00")]
    pub starts_local: NaiveDateTime,
    /// `ends_at` on the wall clock of `time_zone`.
    #[schema(value_type = String, example = "2027-04-16T15:00:00")]
    pub ends_local: NaiveDateTime,
    /// The edition's time zone.
    #[schema(example = "America/Chicago")]
    pub time_zone: String,
    /// The session's track; empty when none.
    pub track: String,
    /// Where it takes place.
    pub room: String,
    /// The proposal's authors, as the session's speakers.
    pub speakers: Vec<String>,
}

/// The example of `ProposalJson`, which `ProposalDetail`'s example extends.
fn proposal_example() -> serde_json::Value {
    serde_json::json!({
        "id": "01a1f813-a740-7971-bc6d-8996f2ad9e42",
        "call_id": "019e8317-41c0-7fca-9a6c-5a7ac12ac746",
        "title": "A community-based curriculum in rural family medicine",
        "abstract": "Since 2019 our third-year students have spent twelve weeks with community health worker teams in four rural counties of northern New Mexico. We describe how the curriculum was built with the communities' advisory board, what students learn there that a hospital rotation does not teach, and the first outcomes: more graduates choosing family medicine and rural practice.",
        "authors": [
            "Maria Lopez",
            "James Okafor"
        ],
        "presenter": {
            "name": "Maria Lopez",
            "email": "maria.lopez@example.org"
        },
        "track": "Community Engagement",
        "status": "accepted",
        "review_count": 2,
        "average_score": 4.5,
        "session_id": "01a22198-ed00-7b69-a94b-9def8eb1b81a",
        "decided_at": "2026-11-27T16:00:00Z",
        "created_at": "2026-11-20T08:30:00Z",
        "updated_at": "2026-11-27T16:00:00Z"
    })
}

/// The example of `ProposalDetail`: the proposal with its reviews.
fn proposal_detail_example() -> serde_json::Value {
    let mut example = proposal_example();
    example["reviews"] = serde_json::json!( [
        {
            "id": "01a2125c-c780-7092-8e32-5ba7d93de2b3",
            "reviewer_id": "019caeeb-9280-7a3f-9666-34ee4752307f",
            "reviewer_name": "Dana Whitfield",
            "score": 5,
            "notes": "A model other rural programs can copy; the outcome data are convincing.",
            "created_at": "2026-11-25T11:00:00Z",
            "updated_at": "2026-11-25T11:00:00Z"
        },
        review_example()
    ]);
    example
}

/// The example of `ReviewJson`, the second review of `ProposalDetail`'s example.
fn review_example() -> serde_json::Value {
    serde_json::json!({
        "id": "01a218b1-4340-72b7-8872-f1d5eaaadcef",
        "reviewer_id": "019d769e-9e80-76aa-9f7b-a9a38c8e91ec",
        "reviewer_name": "Priya Raman",
        "score": 4,
        "notes": "Strong community partnership; the evaluation plan is thin.",
        "created_at": "2026-11-26T16:30:00Z",
        "updated_at": "2026-11-26T16:30:00Z"
    })
}
