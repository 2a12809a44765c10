//! Rows of `proposals` and `proposal_reviews`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::{proposal_reviews, proposals};
use crate::text_enum;

/// Where a proposal is in the review: `submitted`, then `under_review` (optional), then
/// `accepted`, `rejected` or `withdrawn`, which are final. Accepting or rejecting emails the presenter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Submitted,
    UnderReview,
    Accepted,
    Rejected,
    Withdrawn,
}
text_enum!(ProposalStatus { Submitted = "submitted", UnderReview = "under_review", Accepted = "accepted", Rejected = "rejected", Withdrawn = "withdrawn" });

impl ProposalStatus {
    /// Accepted, rejected and withdrawn proposals never change again.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Accepted | Self::Rejected | Self::Withdrawn)
    }

    /// The statuses a proposal in this one may be moved to.
    pub fn next(self) -> &'static [ProposalStatus] {
        match self {
            Self::Submitted => &[Self::UnderReview, Self::Accepted, Self::Rejected, Self::Withdrawn],
            Self::UnderReview => &[Self::Accepted, Self::Rejected, Self::Withdrawn],
            Self::Accepted | Self::Rejected | Self::Withdrawn => &[],
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = proposals)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ProposalRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub call_id: Uuid,
    pub title: String,
    pub abstract_: String,
    pub authors: Vec<String>,
    /// `None` once the person was erased.
    pub presenter_name: Option<String>,
    pub presenter_email: Option<String>,
    pub track: String,
    pub status: ProposalStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = proposals)]
pub struct NewProposal<'a> {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub call_id: Uuid,
    pub title: &'a str,
    pub abstract_: &'a str,
    pub authors: &'a [String],
    pub presenter_name: &'a str,
    pub presenter_email: &'a str,
    pub track: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = proposal_reviews)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ReviewRow {
    pub id: Uuid,
    pub proposal_id: Uuid,
    /// `None` once the reviewer's account was deleted.
    pub reviewer_id: Option<Uuid>,
    pub score: i32,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How a proposal's reviews add up.
#[derive(Debug, Clone, QueryableByName)]
pub struct ReviewStats {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub proposal_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub review_count: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    pub average_score: Option<f64>,
}
