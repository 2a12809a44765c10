//! Rows of `champion_nominations` and `champions`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::{champion_nominations, champions};
use crate::text_enum;

/// Where a nomination is in the editors' queue: `pending` until an editor decides, then
/// `approved` (a spotlight was published from it) or `rejected`. A decision is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum NominationStatus {
    Pending,
    Approved,
    Rejected,
}
text_enum!(NominationStatus { Pending = "pending", Approved = "approved", Rejected = "rejected" });

/// The nominee's own answer to being featured, which only ever comes through the link emailed to
/// the nominee's address: `given` or `declined`; `requested` while that question is unanswered;
/// `unconfirmed` for a consent that only a form claimed, before consent came from the mailbox
/// (staff can send such a nominee the question with `POST .../{id}/consent-request`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum NomineeConsent {
    Given,
    Declined,
    Requested,
    Unconfirmed,
}
text_enum!(NomineeConsent { Given = "given", Declined = "declined", Requested = "requested", Unconfirmed = "unconfirmed" });

/// Whether a spotlight shows on the website: `published` (listed by `GET /champions`) or
/// `unpublished` (kept for the editors only; a nominee who withdraws consent is unpublished at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum ChampionStatus {
    Published,
    Unpublished,
}
text_enum!(ChampionStatus { Published = "published", Unpublished = "unpublished" });

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = champion_nominations)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct NominationRow {
    pub id: Uuid,
    pub nominee_name: String,
    pub nominee_role: String,
    pub nominee_institution: String,
    pub profession_id: i32,
    pub nominee_email: Option<String>,
    pub health_equity_work: String,
    pub self_nomination: bool,
    pub nominator_name: Option<String>,
    pub nominator_email: Option<String>,
    pub consent_to_feature: bool,
    pub nominee_consent: NomineeConsent,
    pub consent_requested_at: Option<DateTime<Utc>>,
    pub consent_answered_at: Option<DateTime<Utc>>,
    pub status: NominationStatus,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = champion_nominations)]
pub struct NewNomination<'a> {
    pub id: Uuid,
    pub nominee_name: &'a str,
    pub nominee_role: &'a str,
    pub nominee_institution: &'a str,
    pub profession_id: i32,
    pub nominee_email: &'a str,
    pub health_equity_work: &'a str,
    pub self_nomination: bool,
    pub nominator_name: Option<&'a str>,
    pub nominator_email: Option<&'a str>,
    pub consent_to_feature: bool,
    pub nominee_consent: NomineeConsent,
    pub consent_token_hash: Option<Vec<u8>>,
    pub consent_requested_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = champions)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ChampionRow {
    pub id: Uuid,
    pub nomination_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
    pub role: String,
    pub institution: String,
    pub profession_id: i32,
    pub story: String,
    pub photo_url: Option<String>,
    pub status: ChampionStatus,
    pub published_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = champions)]
pub struct NewChampion<'a> {
    pub id: Uuid,
    pub nomination_id: Uuid,
    pub slug: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub institution: &'a str,
    pub profession_id: i32,
    pub story: &'a str,
    pub photo_url: Option<&'a str>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = champions)]
pub struct ChampionChanges {
    pub name: Option<String>,
    pub role: Option<String>,
    pub institution: Option<String>,
    pub profession_id: Option<i32>,
    pub story: Option<String>,
    pub photo_url: Option<Option<String>>,
    pub published_on: Option<NaiveDate>,
    pub status: Option<ChampionStatus>,
    pub updated_at: Option<DateTime<Utc>>,
}
