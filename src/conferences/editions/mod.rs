//! Editions: their page (calendar, lodging, awards, agenda, registration types, calls) for
//! everyone, and their management for staff.

pub mod json;
pub mod routes;

use chrono::{NaiveDate, Utc};
use diesel_async::AsyncPgConnection;

use self::json::{
    AdminConferenceJson, CallJson, ConferenceJson, ConferenceStatus, ConferenceSummary, RegistrationTypeJson,
    SessionJson,
};
use super::model::{CallRow, ConferenceRow, RegistrationTypeRow, SessionRow};
use super::queries;
use super::time;
use crate::error::ApiResult;

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub fn summary(row: &ConferenceRow) -> ConferenceSummary {
    ConferenceSummary {
        slug: row.slug.clone(),
        name: row.name.clone(),
        theme: row.theme.clone(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        time_zone: row.time_zone.clone(),
        venue: row.venue.clone(),
        city: row.city.clone(),
        upcoming: row.ends_on >= today(),
    }
}

pub fn session_json(tz: chrono_tz::Tz, s: SessionRow) -> SessionJson {
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

/// Whether the type takes registrations now.
pub fn on_sale(conference: &ConferenceRow, t: &RegistrationTypeRow) -> bool {
    let now = Utc::now();
    conference.status == ConferenceStatus::Published
        && t.sales_start.is_none_or(|start| start <= now)
        && t.sales_end.is_none_or(|end| now < end)
}

pub fn type_json(conference: &ConferenceRow, t: RegistrationTypeRow) -> RegistrationTypeJson {
    RegistrationTypeJson {
        on_sale: on_sale(conference, &t),
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

pub fn call_json(c: CallRow) -> CallJson {
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

/// The whole page of an edition: three more queries (agenda, types, calls).
pub async fn conference_json(conn: &mut AsyncPgConnection, row: &ConferenceRow) -> ApiResult<ConferenceJson> {
    let tz = time::zone(&row.time_zone, "time_zone").unwrap_or(chrono_tz::UTC);
    let agenda = queries::sessions_of(conn, row.id).await?.into_iter().map(|s| session_json(tz, s)).collect();
    let registration_types = queries::types_of(conn, row.id).await?.into_iter().map(|t| type_json(row, t)).collect();
    let calls = queries::calls_of(conn, row.id).await?.into_iter().map(call_json).collect();
    let mut important_dates: Vec<json::ImportantDate> =
        serde_json::from_value(row.important_dates.clone()).unwrap_or_default();
    important_dates.sort_by_key(|d| d.date);
    Ok(ConferenceJson {
        summary: summary(row),
        description: row.description.clone(),
        lodging: serde_json::from_value(row.lodging.clone()).unwrap_or_default(),
        important_dates,
        awards: serde_json::from_value(row.awards.clone()).unwrap_or_default(),
        agenda,
        registration_types,
        calls,
    })
}

pub async fn admin_json(conn: &mut AsyncPgConnection, row: &ConferenceRow) -> ApiResult<AdminConferenceJson> {
    Ok(AdminConferenceJson {
        id: row.id,
        status: row.status,
        conference: conference_json(conn, row).await?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
