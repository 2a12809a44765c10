//! Rows of the conference tables.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{conference_sessions, conferences, registration_types, registrations};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = conferences)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ConferenceRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub theme: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub time_zone: String,
    pub venue: String,
    pub city: String,
    pub description: String,
    pub lodging: serde_json::Value,
    pub important_dates: serde_json::Value,
    pub awards: serde_json::Value,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The editable fields of an edition, as stored.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = conferences)]
pub struct ConferenceFields {
    pub name: String,
    pub theme: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub time_zone: String,
    pub venue: String,
    pub city: String,
    pub description: String,
    pub lodging: serde_json::Value,
    pub important_dates: serde_json::Value,
    pub awards: serde_json::Value,
    pub status: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = registration_types)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct RegistrationTypeRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub name: String,
    pub description: String,
    pub price_minor: i64,
    pub currency: String,
    pub capacity: i32,
    pub seats_taken: i32,
    pub waitlist_last: i32,
    pub sales_start: Option<DateTime<Utc>>,
    pub sales_end: Option<DateTime<Utc>>,
    pub position: i32,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = registration_types)]
pub struct RegistrationTypeFields {
    pub name: String,
    pub description: String,
    pub price_minor: i64,
    pub currency: String,
    pub capacity: i32,
    #[diesel(treat_none_as_null = true)]
    pub sales_start: Option<DateTime<Utc>>,
    #[diesel(treat_none_as_null = true)]
    pub sales_end: Option<DateTime<Utc>>,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = conference_sessions)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SessionRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub title: String,
    pub abstract_: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub track: String,
    pub room: String,
    pub speakers: Vec<String>,
    pub proposal_id: Option<Uuid>,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = conference_sessions)]
pub struct SessionFields {
    pub title: String,
    pub abstract_: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub track: String,
    pub room: String,
    pub speakers: Vec<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = registrations)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct RegistrationRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub registration_type_id: Uuid,
    pub code: String,
    pub token_hash: Vec<u8>,
    pub name: String,
    pub email: Option<String>,
    pub institution: String,
    pub role: String,
    pub profession: String,
    pub accessibility_needs: String,
    pub dietary_needs: String,
    pub consent: bool,
    pub status: String,
    pub waitlist_position: Option<i32>,
    pub payment_status: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::proposal_calls)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct CallRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    pub word_limit: i32,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = crate::db::schema::proposal_calls)]
pub struct CallFields {
    pub kind: String,
    pub title: String,
    pub description: String,
    #[diesel(treat_none_as_null = true)]
    pub opens_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    pub word_limit: i32,
}
