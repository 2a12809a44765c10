//! Rows read about one person: the sections of the access document, and what the erasure must
//! know before it changes anything (ids, names, slugs).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::champions::model::{ChampionStatus, NominationStatus, NomineeConsent};
use crate::db::schema::{
    champion_nominations as nominations, champions, conference_sessions as sessions, newsletter_subscribers, outbox,
    partners, proposals, registrations, suggestions,
};
use crate::jobs::outbox::OutboxStatus;
use crate::newsletter::model::SubscriberStatus;
use crate::proposals::model::ProposalStatus;
use crate::registrations::model::{PaymentStatus, RegistrationStatus};
use crate::suggestions::model::SuggestionStatus;

pub use crate::values::ERASED;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = newsletter_subscribers)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SubscriberRow {
    pub id: Uuid,
    pub name: Option<String>,
    pub status: SubscriberStatus,
    pub consent_at: DateTime<Utc>,
    pub confirmation_sent_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = suggestions)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SuggestionRow {
    pub id: Uuid,
    pub title: String,
    pub url: String,
    pub why: String,
    pub submitter_name: Option<String>,
    pub consent_to_contact: bool,
    pub status: SuggestionStatus,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A nomination of the person.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = nominations)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct NomineeRow {
    pub id: Uuid,
    pub nominee_name: String,
    pub nominee_role: String,
    pub nominee_institution: String,
    pub health_equity_work: String,
    pub self_nomination: bool,
    pub consent_to_feature: bool,
    pub nominee_consent: NomineeConsent,
    pub consent_requested_at: Option<DateTime<Utc>>,
    pub consent_answered_at: Option<DateTime<Utc>>,
    pub status: NominationStatus,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A nomination the person made of someone else: only their own part of it.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = nominations)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct NominatorRow {
    pub id: Uuid,
    pub nominator_name: Option<String>,
    pub status: NominationStatus,
    pub created_at: DateTime<Utc>,
}

/// A spotlight made from a nomination of the person.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = champions)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SpotlightRow {
    pub id: Uuid,
    pub nomination_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
    pub role: String,
    pub institution: String,
    pub story: String,
    pub photo_url: Option<String>,
    pub status: ChampionStatus,
    pub published_on: NaiveDate,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = registrations)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct RegistrationRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub institution: String,
    pub role: String,
    pub profession: String,
    pub accessibility_needs: String,
    pub dietary_needs: String,
    pub consent: bool,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i32>,
    pub payment_status: PaymentStatus,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A registration with its edition's slug and name and its type's name.
pub type RegistrationWithEdition = (RegistrationRow, String, String, String);

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = proposals)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ProposalRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub title: String,
    pub abstract_: String,
    pub authors: Vec<String>,
    pub presenter_name: Option<String>,
    pub track: String,
    pub status: ProposalStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A proposal with its edition's slug and name.
pub type ProposalWithEdition = (ProposalRow, String, String);

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SessionRow {
    pub id: Uuid,
    pub proposal_id: Option<Uuid>,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub track: String,
    pub room: String,
    pub speakers: Vec<String>,
}

/// A session with its edition's slug.
pub type SessionWithEdition = (SessionRow, String);

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = partners)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct PartnerContactRow {
    pub id: Uuid,
    pub institution: String,
    pub contact_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A message to the person: never its body, which is sealed and carries live tokens.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = outbox)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct MessageRow {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A presenter's name on one edition's agenda: what their sessions' speakers are matched by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Speaker {
    pub conference_id: Uuid,
    pub name: String,
}
