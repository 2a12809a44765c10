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
#[schema(example = json!({
    "name": "Hyatt Regency Tulsa",
    "address": "100 East 2nd Street, Tulsa, OK 74103",
    "booking_url": "https://hotel.example.org/beyond-flexner-2027",
    "group_rate": "$159 per night",
    "booking_deadline": "2027-03-15"
}))]
pub struct Hotel {
    /// The hotel's name (1 to 200 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Hyatt Regency Tulsa")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    /// Its street address (up to 300 characters); `null` when not given.
    #[validate(length(max = 300))]
    #[schema(max_length = 300, example = "100 East 2nd Street, Tulsa, OK 74103")]
    pub address: Option<String>,
    /// Where to book the group rate (an http(s) URL, up to 2000 characters); `null` when not given.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000, example = "https://hotel.example.org/beyond-flexner-2027")]
    pub booking_url: Option<String>,
    /// The conference rate as shown, e.g. `$159 per night` (free text, up to 200 characters);
    /// `null` when not given.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "$159 per night")]
    pub group_rate: Option<String>,
    /// The last day the group rate can be booked; `null` when not given.
    pub booking_deadline: Option<NaiveDate>,
}

/// What a calendar entry marks: `registration_opens`, `registration_closes`, `early_bird_ends`,
/// `proposal_deadline`, `award_nomination_deadline`, or `other` (its label says what). The
/// entries are shown as they are; they do not open or close anything (registration types and
/// calls have their own windows).
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
#[schema(example = json!({
    "kind": "early_bird_ends",
    "label": "Early-bird registration ends",
    "date": "2027-02-14"
}))]
pub struct ImportantDate {
    pub kind: DateKind,
    /// How the website shows the entry (1 to 200 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Early-bird registration ends")]
    pub label: String,
    /// The day, on the edition's calendar.
    pub date: NaiveDate,
}

/// An award presented at the edition.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Social Mission Champion Award",
    "description": "For a person whose work advances health equity in health professions education.",
    "nomination_deadline": "2027-02-14"
}))]
pub struct Award {
    /// The award's name (1 to 200 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Social Mission Champion Award")]
    pub name: String,
    /// What it recognises (up to 5000 characters); empty when not given.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: String,
    /// The last day to send a nomination; `null` when none is set.
    pub nomination_deadline: Option<NaiveDate>,
}

pub use super::model::ConferenceStatus;

/// Everything staff set on an edition. Creating takes it whole; `PATCH` merges its changes into
/// the stored edition and validates the result with the same rules.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = conference_input_example)]
pub struct ConferenceInput {
    /// The edition's address in URLs (`/conferences/{slug}`): lower-case letters and digits
    /// joined by single hyphens, at most 80 characters. Made from the name when left out; 409
    /// when another edition has it.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(custom(function = "crate::values::slug::validate"))]
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, example = "beyond-flexner-2027")]
    pub slug: Option<String>,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Beyond Flexner 2027")]
    /// The edition's name, as the website shows it (1 to 200 characters).
    pub name: String,
    /// The edition's theme (up to 300 characters); empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, example = "Social mission in health professions education")]
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
    /// An IANA time zone name such as `America/Chicago` (422 `invalid_time_zone` otherwise):
    /// the agenda is written and shown in it.
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(length(min = 1, max = 64))]
    #[schema(example = "America/Chicago", max_length = 64)]
    pub time_zone: String,
    /// Where it takes place, e.g. a hotel or campus (up to 300 characters); empty when not known.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, example = "Hyatt Regency Tulsa")]
    pub venue: String,
    /// The city, as the website writes it (up to 200 characters); empty when not known.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "Tulsa, Oklahoma")]
    pub city: String,
    /// About the edition, in plain text (up to 10000 characters); empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: String,
    /// Hotels for attendees, in the order to show them (at most 20); empty when left out.
    #[serde(default)]
    #[validate(length(max = 20, message = "must list at most 20 hotels"), nested)]
    #[schema(max_items = 20)]
    pub lodging: Vec<Hotel>,
    /// The calendar (at most 50 entries, in any order: it is answered in date order); empty
    /// when left out.
    #[serde(default)]
    #[validate(length(max = 50, message = "must list at most 50 dates"), nested)]
    #[schema(max_items = 50)]
    pub important_dates: Vec<ImportantDate>,
    /// Awards presented at the edition (at most 20); empty when left out.
    #[serde(default)]
    #[validate(length(max = 20, message = "must list at most 20 awards"), nested)]
    #[schema(max_items = 20)]
    pub awards: Vec<Award>,
}

/// A partial update: only the fields sent change (a list sent replaces the stored one). The
/// result is checked with the rules of `ConferenceInput`.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "venue": "Hyatt Regency Tulsa",
    "city": "Tulsa, Oklahoma",
    "status": "published"
}))]
pub struct UpdateConference {
    /// A new slug (lower-case letters and digits joined by single hyphens, at most 80
    /// characters); 409 when another edition has it. Links with the old slug stop working.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    pub slug: Option<String>,
    /// The edition's name (1 to 200 characters).
    pub name: Option<String>,
    /// The edition's theme (up to 300 characters; empty for none).
    pub theme: Option<String>,
    /// `null` clears the dates (with `ends_on`), for an edition whose dates are not known.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub starts_on: Option<Option<NaiveDate>>,
    /// The last day: on or after `starts_on`; `null` (with `starts_on`) clears the dates.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// Needed only for an edition without dates (otherwise the year of `starts_on`).
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<i32>, minimum = 1900, maximum = 2200)]
    pub year: Option<Option<i32>>,
    /// An IANA time zone name. Sessions keep their instants: their wall-clock times move.
    pub time_zone: Option<String>,
    /// Where it takes place (up to 300 characters; empty when not known).
    pub venue: Option<String>,
    /// The city (up to 200 characters; empty when not known).
    pub city: Option<String>,
    /// About the edition, in plain text (up to 10000 characters).
    pub description: Option<String>,
    /// Replaces the hotels (at most 20).
    pub lodging: Option<Vec<Hotel>>,
    /// Replaces the calendar (at most 50 entries).
    pub important_dates: Option<Vec<ImportantDate>>,
    /// Replaces the awards (at most 20).
    pub awards: Option<Vec<Award>>,
    /// `published` shows the edition on the website and opens its registration types' sales windows.
    #[schema(inline)]
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
#[schema(example = json!({
    "id": "01a0fbe5-3e20-7e7b-9a00-9fb0ebd09eb3",
    "title": "Opening plenary: the social mission of health professions education",
    "abstract": "How schools measure and strengthen their contribution to health equity, with the Social Mission Metrics Self Assessment as a starting point.",
    "starts_at": "2027-04-15T14:00:00Z",
    "ends_at": "2027-04-15T15:30:00Z",
    "starts_local": "2027-04-15T09:00:00",
    "ends_local": "2027-04-15T10:30:00",
    "track": "Plenary",
    "room": "Ballroom",
    "speakers": [
        "Maria Lopez",
        "James Okafor"
    ]
}))]
pub struct SessionJson {
    /// The session's id.
    pub id: Uuid,
    /// The session's title.
    pub title: String,
    /// What the session is about, in plain text; empty when none was given.
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// When it ends (UTC), after `starts_at`.
    pub ends_at: DateTime<Utc>,
    /// `starts_at` on the wall clock of the edition's time zone (no offset).
    #[schema(value_type = String, example = "2027-04-15T09:00:00")]
    pub starts_local: NaiveDateTime,
    /// `ends_at` on the wall clock of the edition's time zone (no offset).
    #[schema(value_type = String, example = "2027-04-15T10:30:00")]
    pub ends_local: NaiveDateTime,
    /// The track it belongs to; empty when none.
    pub track: String,
    /// Where it takes place; empty when not yet known.
    pub room: String,
    /// The speakers' names, in the order to show them; empty when none are listed.
    pub speakers: Vec<String>,
}

/// A session as staff write it: times on the wall clock of the edition's time zone.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Opening plenary: the social mission of health professions education",
    "abstract": "How schools measure and strengthen their contribution to health equity, with the Social Mission Metrics Self Assessment as a starting point.",
    "starts_local": "2027-04-15T09:00:00",
    "ends_local": "2027-04-15T10:30:00",
    "track": "Plenary",
    "room": "Ballroom",
    "speakers": [
        "Maria Lopez",
        "James Okafor"
    ]
}))]
pub struct SessionInput {
    /// The session's title (1 to 300 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    #[serde(default, rename = "abstract", deserialize_with = "crate::forms::trimmed")]
    /// What the session is about, in plain text; empty when left out. (Bounded by the body
    /// limit, below the stored maximum of 100,000 characters.)
    #[schema(rename = "abstract")]
    pub abstract_: String,
    /// When it starts, on the wall clock of the edition's time zone (`YYYY-MM-DDTHH:MM:SS`, no
    /// offset); a time skipped by a daylight-saving change is refused (422 `nonexistent_time`).
    #[schema(value_type = String, example = "2027-04-15T09:00:00")]
    pub starts_local: NaiveDateTime,
    /// When it ends, on the same wall clock: after `starts_local`.
    #[schema(value_type = String, example = "2027-04-15T10:30:00")]
    pub ends_local: NaiveDateTime,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    /// The track it belongs to (up to 120 characters); empty when left out.
    #[validate(length(max = 120))]
    #[schema(max_length = 120, example = "Plenary")]
    pub track: String,
    /// Where it takes place (up to 120 characters); empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 120))]
    #[schema(max_length = 120, example = "Ballroom")]
    pub room: String,
    /// The speakers' names in the order to show them: at most 30, each 1 to 200 characters.
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
#[schema(example = json!({
    "id": "019e8312-d4f0-71e7-a090-26cdf1b5f8c8",
    "name": "Student",
    "description": "For students of any health profession; bring your student ID to the desk.",
    "price_minor": 15000,
    "currency": "USD",
    "capacity": 100,
    "seats_left": 81,
    "sales_start": "2026-11-30T06:00:00Z",
    "sales_end": "2027-04-15T05:00:00Z",
    "on_sale": true
}))]
pub struct RegistrationTypeJson {
    /// The type's id: `registration_type_id` when registering.
    pub id: Uuid,
    /// The type's name, e.g. `Student`.
    #[schema(example = "Student")]
    pub name: String,
    /// Who it is for, in plain text; empty when none was given.
    pub description: String,
    /// In minor units of `currency` (cents): 15000 is 150.00; 0 for a free registration.
    #[schema(example = 15000)]
    pub price_minor: i64,
    /// The price's currency: an ISO 4217 code.
    #[schema(pattern = "^[A-Z]{3}$", example = "USD")]
    pub currency: String,
    /// How many seats it has in all.
    pub capacity: i32,
    /// Seats not yet taken; at 0 new registrations join the waiting list.
    pub seats_left: i32,
    /// When registrations open; `null`: open from the edition's publication.
    pub sales_start: Option<DateTime<Utc>>,
    /// When registrations close (that instant excluded); `null`: they never close by themselves.
    pub sales_end: Option<DateTime<Utc>>,
    /// Whether registrations are taken now (the edition is published and now is within the sales window).
    pub on_sale: bool,
}

pub use super::model::CallKind;

/// A call for proposals.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019e8317-41c0-7fca-9a6c-5a7ac12ac746",
    "kind": "presentation",
    "title": "Presentations and workshops",
    "description": "Share a program, a study or a lesson learned in advancing social mission: 60-minute sessions and 90-minute workshops.",
    "opens_at": "2026-11-02T06:00:00Z",
    "deadline": "2027-01-16T05:59:00Z",
    "word_limit": 300,
    "open": true
}))]
pub struct CallJson {
    /// The call's id: `call_id` when submitting a proposal.
    pub id: Uuid,
    pub kind: CallKind,
    /// The call's title, e.g. `Student posters`.
    pub title: String,
    /// What the call asks for, in plain text; empty when none was given.
    pub description: String,
    /// When proposals start being taken; `null`: as soon as the call exists.
    pub opens_at: Option<DateTime<Utc>>,
    /// The last instant proposals are taken (included).
    pub deadline: DateTime<Utc>,
    /// The abstract's limit, in words.
    pub word_limit: i32,
    /// Whether proposals are taken now.
    pub open: bool,
}

/// A call for proposals as staff write it.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "presentation",
    "title": "Presentations and workshops",
    "description": "Share a program, a study or a lesson learned in advancing social mission: 60-minute sessions and 90-minute workshops.",
    "opens_at": "2026-11-02T06:00:00Z",
    "deadline": "2027-01-16T05:59:00Z",
    "word_limit": 300
}))]
pub struct CallInput {
    pub kind: CallKind,
    /// The call's title (1 to 200 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Presentations and workshops")]
    pub title: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    /// What the call asks for, in plain text (up to 5000 characters); empty when left out.
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: String,
    /// When proposals start being taken; `null` or left out: at once.
    pub opens_at: Option<DateTime<Utc>>,
    /// The last instant proposals are taken: after `opens_at` when that is given.
    pub deadline: DateTime<Utc>,
    /// The most words a proposal's abstract may have (1 to 10000).
    #[validate(range(min = 1, max = 10000))]
    #[schema(minimum = 1, maximum = 10000, example = 300)]
    pub word_limit: i32,
}

/// An edition in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "beyond-flexner-2027",
    "name": "Beyond Flexner 2027",
    "theme": "Social mission in health professions education",
    "year": 2027,
    "starts_on": "2027-04-15",
    "ends_on": "2027-04-17",
    "time_zone": "America/Chicago",
    "venue": "Hyatt Regency Tulsa",
    "city": "Tulsa, Oklahoma",
    "upcoming": true
}))]
pub struct ConferenceSummary {
    /// The edition's address in URLs (`GET /api/v1/conferences/{slug}`).
    #[schema(example = "beyond-flexner-2027")]
    pub slug: String,
    /// The edition's name.
    #[schema(example = "Beyond Flexner 2027")]
    pub name: String,
    /// The edition's theme; empty when it has none.
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
    /// The IANA time zone of the edition's agenda.
    #[schema(example = "America/Chicago")]
    pub time_zone: String,
    /// Where it takes place; empty when not known.
    pub venue: String,
    /// The city; empty when not known.
    pub city: String,
    /// Not yet over: its last day is today (UTC) or later (an edition without dates is over
    /// once its year is).
    pub upcoming: bool,
}

/// An edition with everything the website shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = conference_example)]
pub struct ConferenceJson {
    #[serde(flatten)]
    pub summary: ConferenceSummary,
    /// About the edition, in plain text; empty when none.
    pub description: String,
    /// Hotels for attendees, in the order staff listed them.
    pub lodging: Vec<Hotel>,
    /// The calendar, in date order.
    pub important_dates: Vec<ImportantDate>,
    /// Awards presented at the edition.
    pub awards: Vec<Award>,
    /// Sessions in time order.
    pub agenda: Vec<SessionJson>,
    /// The ways to register, in display order, with their prices and seats left.
    pub registration_types: Vec<RegistrationTypeJson>,
    /// Its calls for proposals, earliest deadline first (closed ones too: see `open`).
    pub calls: Vec<CallJson>,
}

/// An edition as staff see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = admin_conference_example)]
pub struct AdminConferenceJson {
    /// The edition's id.
    pub id: Uuid,
    pub status: ConferenceStatus,
    #[serde(flatten)]
    pub conference: ConferenceJson,
    /// When the edition was created.
    pub created_at: DateTime<Utc>,
    /// When its own fields last changed (not its agenda, registration types or calls).
    pub updated_at: DateTime<Utc>,
}

/// An edition in the staff list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019e830e-1a00-79a3-9248-bedfaf012448",
    "status": "published",
    "slug": "beyond-flexner-2027",
    "name": "Beyond Flexner 2027",
    "theme": "Social mission in health professions education",
    "year": 2027,
    "starts_on": "2027-04-15",
    "ends_on": "2027-04-17",
    "time_zone": "America/Chicago",
    "venue": "Hyatt Regency Tulsa",
    "city": "Tulsa, Oklahoma",
    "upcoming": true,
    "created_at": "2026-06-01T12:00:00Z",
    "updated_at": "2026-11-03T16:40:12Z"
}))]
pub struct AdminConferenceItem {
    /// The edition's id.
    pub id: Uuid,
    pub status: ConferenceStatus,
    #[serde(flatten)]
    pub summary: ConferenceSummary,
    /// When the edition was created.
    pub created_at: DateTime<Utc>,
    /// When its own fields last changed.
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

/// The example of `ConferenceInput`: what staff set of `ConferenceJson`'s example.
fn conference_input_example() -> serde_json::Value {
    const SET: [&str; 13] = [
        "slug",
        "name",
        "theme",
        "year",
        "starts_on",
        "ends_on",
        "time_zone",
        "venue",
        "city",
        "description",
        "lodging",
        "important_dates",
        "awards",
    ];
    let mut example = conference_example();
    example.as_object_mut().expect("an object").retain(|key, _| SET.contains(&key.as_str()));
    example
}

/// The example of `ConferenceJson` (the coming edition in Tulsa), which staff see too.
fn conference_example() -> serde_json::Value {
    serde_json::json!({
        "slug": "beyond-flexner-2027",
        "name": "Beyond Flexner 2027",
        "theme": "Social mission in health professions education",
        "year": 2027,
        "starts_on": "2027-04-15",
        "ends_on": "2027-04-17",
        "time_zone": "America/Chicago",
        "venue": "Hyatt Regency Tulsa",
        "city": "Tulsa, Oklahoma",
        "upcoming": true,
        "description": "The Beyond Flexner Alliance meets in Tulsa, Oklahoma, where the movement began in 2012: three days of plenaries, workshops and student posters on training health professionals as agents of more equitable health care.",
        "lodging": [
            {
                "name": "Hyatt Regency Tulsa",
                "address": "100 East 2nd Street, Tulsa, OK 74103",
                "booking_url": "https://hotel.example.org/beyond-flexner-2027",
                "group_rate": "$159 per night",
                "booking_deadline": "2027-03-15"
            }
        ],
        "important_dates": [
            {
                "kind": "registration_opens",
                "label": "Registration opens",
                "date": "2026-11-30"
            },
            {
                "kind": "proposal_deadline",
                "label": "Proposals due",
                "date": "2027-01-15"
            },
            {
                "kind": "award_nomination_deadline",
                "label": "Champion Award nominations due",
                "date": "2027-02-14"
            },
            {
                "kind": "early_bird_ends",
                "label": "Early-bird registration ends",
                "date": "2027-02-14"
            },
            {
                "kind": "registration_closes",
                "label": "Registration closes",
                "date": "2027-04-08"
            }
        ],
        "awards": [
            {
                "name": "Social Mission Champion Award",
                "description": "For a person whose work advances health equity in health professions education.",
                "nomination_deadline": "2027-02-14"
            }
        ],
        "agenda": [
            {
                "id": "01a0fbe5-3e20-7e7b-9a00-9fb0ebd09eb3",
                "title": "Opening plenary: the social mission of health professions education",
                "abstract": "How schools measure and strengthen their contribution to health equity, with the Social Mission Metrics Self Assessment as a starting point.",
                "starts_at": "2027-04-15T14:00:00Z",
                "ends_at": "2027-04-15T15:30:00Z",
                "starts_local": "2027-04-15T09:00:00",
                "ends_local": "2027-04-15T10:30:00",
                "track": "Plenary",
                "room": "Ballroom",
                "speakers": [
                    "Maria Lopez",
                    "James Okafor"
                ]
            },
            {
                "id": "01a0fbe7-8bf8-71e7-90a0-bbbd136c05ca",
                "title": "Pathways into the health professions for underrepresented students",
                "abstract": "",
                "starts_at": "2027-04-15T16:00:00Z",
                "ends_at": "2027-04-15T17:15:00Z",
                "starts_local": "2027-04-15T11:00:00",
                "ends_local": "2027-04-15T12:15:00",
                "track": "Pathways",
                "room": "Room A",
                "speakers": [
                    "Jordan Rivera"
                ]
            }
        ],
        "registration_types": [
            {
                "id": "019e8312-d4f0-71e7-a090-26cdf1b5f8c8",
                "name": "Student",
                "description": "For students of any health profession; bring your student ID to the desk.",
                "price_minor": 15000,
                "currency": "USD",
                "capacity": 100,
                "seats_left": 81,
                "sales_start": "2026-11-30T06:00:00Z",
                "sales_end": "2027-04-15T05:00:00Z",
                "on_sale": true
            },
            {
                "id": "019e8313-4a20-78ea-9968-5514b45e299b",
                "name": "Professional",
                "description": "",
                "price_minor": 45000,
                "currency": "USD",
                "capacity": 300,
                "seats_left": 212,
                "sales_start": "2026-11-30T06:00:00Z",
                "sales_end": "2027-04-15T05:00:00Z",
                "on_sale": true
            },
            {
                "id": "019e8313-a010-717c-b8d4-c9993c42a7ec",
                "name": "Community Member",
                "description": "For community partners and members of the public.",
                "price_minor": 7500,
                "currency": "USD",
                "capacity": 50,
                "seats_left": 0,
                "sales_start": "2026-11-30T06:00:00Z",
                "sales_end": "2027-04-15T05:00:00Z",
                "on_sale": true
            }
        ],
        "calls": [
            {
                "id": "019e8317-41c0-7fca-9a6c-5a7ac12ac746",
                "kind": "presentation",
                "title": "Presentations and workshops",
                "description": "Share a program, a study or a lesson learned in advancing social mission: 60-minute sessions and 90-minute workshops.",
                "opens_at": "2026-11-02T06:00:00Z",
                "deadline": "2027-01-16T05:59:00Z",
                "word_limit": 300,
                "open": true
            },
            {
                "id": "019e8318-7a40-746c-aa2b-ac8f39cfe0c1",
                "kind": "poster",
                "title": "Student posters",
                "description": "For students and trainees of every health profession.",
                "opens_at": null,
                "deadline": "2027-02-15T05:59:00Z",
                "word_limit": 250,
                "open": true
            }
        ]
    })
}

/// The example of `AdminConferenceJson`: the same edition with its staff fields.
fn admin_conference_example() -> serde_json::Value {
    let mut example = conference_example();
    example["id"] = serde_json::json!("019e830e-1a00-79a3-9248-bedfaf012448");
    example["status"] = serde_json::json!("published");
    example["created_at"] = serde_json::json!("2026-06-01T12:00:00Z");
    example["updated_at"] = serde_json::json!("2026-11-03T16:40:12Z");
    example
}
