//! Rows of editions, their agenda, registration types and calls for proposals, and their typed values.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::{conference_sessions, conferences, registration_types};
use crate::text_enum;

/// Whether an edition shows on the website: a `draft` is seen only by staff (and takes no
/// registrations or proposals); `published` shows it under `GET /conferences`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum ConferenceStatus {
    Draft,
    Published,
}
text_enum!(ConferenceStatus { Draft = "draft", Published = "published" });

/// What a call for proposals asks for: `presentation` (sessions and talks), `workshop`, or
/// `poster` (such as the student posters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum CallKind {
    /// Presentations and workshops.
    Presentation,
    Workshop,
    /// Student posters.
    Poster,
}
text_enum!(CallKind { Presentation = "presentation", Workshop = "workshop", Poster = "poster" });

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = conferences)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ConferenceRow {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub theme: String,
    /// Unknown (with `ends_on`) for a past edition the Alliance's pages name only by year.
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub time_zone: String,
    pub venue: String,
    pub city: String,
    pub description: String,
    pub lodging: serde_json::Value,
    pub important_dates: serde_json::Value,
    pub awards: serde_json::Value,
    pub status: ConferenceStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The year of `starts_on`, or the only date known of an edition without dates.
    pub year: i32,
}

impl ConferenceRow {
    /// The edition's last day; for one without dates, the last day of its year (so it is over
    /// once its year is, for the list's order and for retention).
    pub fn last_day(&self) -> NaiveDate {
        self.ends_on.unwrap_or_else(|| end_of_year(self.year))
    }
}

/// December 31 of `year` (the years stored are 1900 to 2200).
pub fn end_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The editable fields of an edition, as stored.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = conferences)]
pub struct ConferenceFields {
    pub name: String,
    pub theme: String,
    #[diesel(treat_none_as_null = true)]
    pub starts_on: Option<NaiveDate>,
    #[diesel(treat_none_as_null = true)]
    pub ends_on: Option<NaiveDate>,
    pub year: i32,
    pub time_zone: String,
    pub venue: String,
    pub city: String,
    pub description: String,
    pub lodging: serde_json::Value,
    pub important_dates: serde_json::Value,
    pub awards: serde_json::Value,
    pub status: ConferenceStatus,
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

impl RegistrationTypeRow {
    /// Whether the type takes registrations now: its edition is published and now is within
    /// its sales window.
    pub fn on_sale(&self, conference: &ConferenceRow) -> bool {
        let now = Utc::now();
        conference.status == ConferenceStatus::Published
            && self.sales_start.is_none_or(|start| start <= now)
            && self.sales_end.is_none_or(|end| now < end)
    }
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
#[diesel(table_name = crate::db::schema::proposal_calls)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct CallRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub kind: CallKind,
    pub title: String,
    pub description: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    pub word_limit: i32,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = crate::db::schema::proposal_calls)]
pub struct CallFields {
    pub kind: CallKind,
    pub title: String,
    pub description: String,
    #[diesel(treat_none_as_null = true)]
    pub opens_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    pub word_limit: i32,
}
