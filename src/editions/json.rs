//! Wire types of editions, their agenda, registration types and calls.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::model::{CallRow, ConferenceRow, RegistrationTypeRow, SessionRow};
use super::time;
use crate::forms::http_url;
use crate::forms::not_blank;

/// A hotel of the edition's lodging.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Hotel {
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Hyatt Regency Tulsa")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000)]
    pub booking_url: Option<String>,
    /// The conference rate as shown, e.g. `$159 per night`.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "$159 per night")]
    pub group_rate: Option<String>,
    /// The last day the group rate can be booked.
    pub booking_deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    RegistrationOpens,
    RegistrationCloses,
    EarlyBirdEnds,
    ProposalDeadline,
    AwardNominationDeadline,
    Other,
}

/// One entry of the edition's calendar.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportantDate {
    pub kind: DateKind,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Early-bird registration ends")]
    pub label: String,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Award {
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: String,
    pub nomination_deadline: Option<NaiveDate>,
}

pub use super::model::ConferenceStatus;

/// Everything staff set on an edition. Creating takes it whole; `PATCH` merges its changes into
/// the stored edition and validates the result with the same rules.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConferenceInput {
    /// Made from the name when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(custom(function = "crate::values::slug::validate"))]
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, example = "beyond-flexner-2027")]
    pub slug: Option<String>,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Beyond Flexner 2027")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub theme: String,
    /// The first day. Leave both dates out (or `null`) only where they are not known, as for the
    /// past editions the Alliance's pages name by year alone; then `year` is required. A
    /// published edition of this year or later must have its dates.
    #[serde(default)]
    #[validate(custom(function = "crate::forms::plausible_date"))]
    #[schema(example = "2027-04-15")]
    pub starts_on: Option<NaiveDate>,
    /// The last day: on or after `starts_on`; given with it or not at all.
    #[serde(default)]
    #[validate(custom(function = "crate::forms::plausible_date"))]
    #[schema(example = "2027-04-17")]
    pub ends_on: Option<NaiveDate>,
    /// The edition's year: taken from `starts_on` when left out (and must be its year when both
    /// are given); required for an edition without dates.
    #[serde(default)]
    #[validate(range(min = 1900, max = 2200))]
    #[schema(minimum = 1900, maximum = 2200, example = 2027)]
    pub year: Option<i32>,
    /// An IANA time zone name: the agenda is written and shown in it.
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(length(min = 1, max = 64))]
    #[schema(example = "America/Chicago", max_length = 64)]
    pub time_zone: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub venue: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub city: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: String,
    #[serde(default)]
    #[validate(length(max = 20, message = "must list at most 20 hotels"), nested)]
    #[schema(max_items = 20)]
    pub lodging: Vec<Hotel>,
    #[serde(default)]
    #[validate(length(max = 50, message = "must list at most 50 dates"), nested)]
    #[schema(max_items = 50)]
    pub important_dates: Vec<ImportantDate>,
    #[serde(default)]
    #[validate(length(max = 20, message = "must list at most 20 awards"), nested)]
    #[schema(max_items = 20)]
    pub awards: Vec<Award>,
}

/// A partial update: only the fields sent change (a list sent replaces the stored one).
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateConference {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    pub slug: Option<String>,
    pub name: Option<String>,
    pub theme: Option<String>,
    /// `null` clears the dates (with `ends_on`), for an edition whose dates are not known.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// Needed only for an edition without dates (otherwise the year of `starts_on`).
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<i32>, minimum = 1900, maximum = 2200)]
    pub year: Option<Option<i32>>,
    pub time_zone: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub description: Option<String>,
    pub lodging: Option<Vec<Hotel>>,
    pub important_dates: Option<Vec<ImportantDate>>,
    pub awards: Option<Vec<Award>>,
    /// `published` shows the edition on the website and opens its registration types' sales windows.
    pub status: Option<ConferenceStatus>,
}

impl UpdateConference {
    pub fn apply(self, mut input: ConferenceInput) -> ConferenceInput {
        macro_rules! set {
            ($($field:ident),*) => { $( if let Some(v) = self.$field { input.$field = v; } )* };
        }
        set!(
            name,
            theme,
            starts_on,
            ends_on,
            year,
            time_zone,
            venue,
            city,
            description,
            lodging,
            important_dates,
            awards
        );
        let trim = |s: String| s.trim().to_string();
        input.name = trim(input.name);
        input.theme = trim(input.theme);
        input.time_zone = trim(input.time_zone);
        input.venue = trim(input.venue);
        input.city = trim(input.city);
        input.description = trim(input.description);
        if let Some(slug) = self.slug {
            input.slug = Some(slug.trim().to_string());
        }
        input
    }
}

/// A session of the agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionJson {
    pub id: Uuid,
    pub title: String,
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `starts_at` on the wall clock of the edition's time zone.
    #[schema(value_type = String, example = "2027-04-15T09:00:00")]
    pub starts_local: NaiveDateTime,
    #[schema(value_type = String, example = "2027-04-15T10:30:00")]
    pub ends_local: NaiveDateTime,
    pub track: String,
    pub room: String,
    pub speakers: Vec<String>,
}

/// A session as staff write it: times on the wall clock of the edition's time zone.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    #[serde(default, rename = "abstract", deserialize_with = "crate::forms::trimmed")]
    /// (Bounded by the body limit, below the stored maximum of 100,000 characters.)
    #[schema(rename = "abstract")]
    pub abstract_: String,
    #[schema(value_type = String, example = "2027-04-15T09:00:00")]
    pub starts_local: NaiveDateTime,
    /// After `starts_local`.
    #[schema(value_type = String, example = "2027-04-15T10:30:00")]
    pub ends_local: NaiveDateTime,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 120))]
    #[schema(max_length = 120)]
    pub track: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 120))]
    #[schema(max_length = 120)]
    pub room: String,
    #[serde(default)]
    #[validate(
        length(max = 30, message = "must list at most 30 speakers"),
        custom(function = "crate::forms::names_ok")
    )]
    #[schema(max_items = 30)]
    pub speakers: Vec<String>,
}

/// A kind of registration, as the website shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistrationTypeJson {
    pub id: Uuid,
    #[schema(example = "Student")]
    pub name: String,
    pub description: String,
    /// In minor units of `currency` (cents): 15000 is 150.00.
    #[schema(example = 15000)]
    pub price_minor: i64,
    #[schema(example = "USD")]
    pub currency: String,
    pub capacity: i32,
    /// Seats not yet taken; at 0 new registrations join the waiting list.
    pub seats_left: i32,
    pub sales_start: Option<DateTime<Utc>>,
    pub sales_end: Option<DateTime<Utc>>,
    /// Whether registrations are taken now (the edition is published and now is within the sales window).
    pub on_sale: bool,
}

pub use super::model::CallKind;

/// A call for proposals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallJson {
    pub id: Uuid,
    pub kind: CallKind,
    pub title: String,
    pub description: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    /// The abstract's limit, in words.
    pub word_limit: i32,
    /// Whether proposals are taken now.
    pub open: bool,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    pub kind: CallKind,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Presentations and workshops")]
    pub title: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    #[validate(range(min = 1, max = 10000))]
    #[schema(minimum = 1, maximum = 10000, example = 300)]
    pub word_limit: i32,
}

/// An edition in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConferenceSummary {
    #[schema(example = "beyond-flexner-2027")]
    pub slug: String,
    #[schema(example = "Beyond Flexner 2027")]
    pub name: String,
    pub theme: String,
    /// Always set: the year of `starts_on`, or the only date known of an edition without dates.
    #[schema(example = 2027)]
    pub year: i32,
    /// The first day, or `null` for a past edition whose dates are not known: the Alliance's pages
    /// give only the name and year of its past editions (Beyond Flexner 2012, in Tulsa, 2015,
    /// 2016, 2018), and the service does not invent dates. `starts_on` and `ends_on` are both set
    /// or both `null`; a published edition of this year or later always has them. Show `year` then.
    #[schema(required = true, example = "2027-04-15")]
    pub starts_on: Option<NaiveDate>,
    /// The last day; `null` exactly when `starts_on` is.
    #[schema(required = true, example = "2027-04-17")]
    pub ends_on: Option<NaiveDate>,
    #[schema(example = "America/Chicago")]
    pub time_zone: String,
    pub venue: String,
    pub city: String,
    /// Not yet over (an edition without dates is over once its year is).
    pub upcoming: bool,
}

/// An edition with everything the website shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConferenceJson {
    #[serde(flatten)]
    pub summary: ConferenceSummary,
    pub description: String,
    pub lodging: Vec<Hotel>,
    /// The calendar, in date order.
    pub important_dates: Vec<ImportantDate>,
    pub awards: Vec<Award>,
    /// Sessions in time order.
    pub agenda: Vec<SessionJson>,
    pub registration_types: Vec<RegistrationTypeJson>,
    pub calls: Vec<CallJson>,
}

/// An edition as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminConferenceJson {
    pub id: Uuid,
    pub status: ConferenceStatus,
    #[serde(flatten)]
    pub conference: ConferenceJson,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An edition in the staff list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminConferenceItem {
    pub id: Uuid,
    pub status: ConferenceStatus,
    #[serde(flatten)]
    pub summary: ConferenceSummary,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The day it is now (UTC): an edition is upcoming until its last day has passed.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

impl From<&ConferenceRow> for ConferenceSummary {
    fn from(row: &ConferenceRow) -> Self {
        ConferenceSummary {
            slug: row.slug.clone(),
            name: row.name.clone(),
            theme: row.theme.clone(),
            year: row.year,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            time_zone: row.time_zone.clone(),
            venue: row.venue.clone(),
            city: row.city.clone(),
            upcoming: row.last_day() >= today(),
        }
    }
}

impl From<&ConferenceRow> for AdminConferenceItem {
    fn from(r: &ConferenceRow) -> Self {
        AdminConferenceItem {
            id: r.id,
            status: r.status,
            summary: r.into(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl SessionJson {
    /// The session, with its times also on the wall clock of `tz` (the edition's zone).
    pub fn new(tz: chrono_tz::Tz, s: SessionRow) -> Self {
        SessionJson {
            id: s.id,
            title: s.title,
            abstract_: s.abstract_,
            starts_local: time::to_local(tz, s.starts_at),
            ends_local: time::to_local(tz, s.ends_at),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            track: s.track,
            room: s.room,
            speakers: s.speakers,
        }
    }
}

impl RegistrationTypeJson {
    pub fn new(conference: &ConferenceRow, t: RegistrationTypeRow) -> Self {
        RegistrationTypeJson {
            on_sale: t.on_sale(conference),
            id: t.id,
            name: t.name,
            description: t.description,
            price_minor: t.price_minor,
            currency: t.currency,
            capacity: t.capacity,
            seats_left: (t.capacity - t.seats_taken).max(0),
            sales_start: t.sales_start,
            sales_end: t.sales_end,
        }
    }
}

impl From<CallRow> for CallJson {
    fn from(c: CallRow) -> Self {
        let now = Utc::now();
        CallJson {
            open: c.opens_at.is_none_or(|o| o <= now) && now <= c.deadline,
            id: c.id,
            kind: c.kind,
            title: c.title,
            description: c.description,
            opens_at: c.opens_at,
            deadline: c.deadline,
            word_limit: c.word_limit,
        }
    }
}
