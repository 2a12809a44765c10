//! Rows of `suggestions`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::suggestions;
use crate::text_enum;

/// Where a suggestion is in the editors' queue: `pending` until an editor decides, then
/// `accepted` (a draft resource was made from it) or `rejected` (with a reason). A decision is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionStatus {
    Pending,
    Accepted,
    Rejected,
}
text_enum!(SuggestionStatus { Pending = "pending", Accepted = "accepted", Rejected = "rejected" });

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = suggestions)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SuggestionRow {
    pub id: Uuid,
    pub title: String,
    pub url: String,
    pub why: String,
    pub domains: Vec<String>,
    pub topics: Vec<String>,
    pub professions: Vec<String>,
    pub submitter_name: Option<String>,
    pub submitter_email: Option<String>,
    pub consent_to_contact: bool,
    pub status: SuggestionStatus,
    pub resource_id: Option<Uuid>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = suggestions)]
pub struct NewSuggestion<'a> {
    pub id: Uuid,
    pub title: &'a str,
    pub url: &'a str,
    pub why: &'a str,
    pub domains: &'a [String],
    pub topics: &'a [String],
    pub professions: &'a [String],
    pub submitter_name: &'a str,
    pub submitter_email: &'a str,
    pub consent_to_contact: bool,
}

// The `kind` column of `queries::duplicates`, computed in its SQL.
/// What a possible duplicate is: a `resource` of the library, or an earlier `suggestion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum DuplicateKind {
    Resource,
    Suggestion,
}
text_enum!(DuplicateKind { Resource = "resource", Suggestion = "suggestion" });

/// What a suggestion's URL matches: an existing resource, else an earlier suggestion.
#[derive(Debug, Clone, QueryableByName)]
pub struct DuplicateRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub suggestion_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: DuplicateKind,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title: String,
}
