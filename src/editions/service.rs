//! The rules of editions: loading one by slug (the one lookup registrations and proposals use
//! too), building its page, and the staff's changes to it, its agenda and its calls, each in one
//! transaction with its audit entry.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    AdminConferenceItem, AdminConferenceJson, CallInput, CallJson, ConferenceInput, ConferenceJson, ConferenceSummary,
    ImportantDate, RegistrationTypeJson, SessionInput, SessionJson, UpdateConference,
};
use super::model::{CallFields, ConferenceFields, ConferenceRow, ConferenceStatus, SessionFields};
use super::{queries, time};
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::error::{ApiError, ApiResult, FieldCode, FieldError, ProblemType};
use crate::extract::PageRequest;
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::slug::candidates;
use crate::values::Slug;

/// Which editions a lookup by slug may find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only published ones: what the website shows and takes proposals for.
    Published,
    /// Drafts too: for staff, and for registering (which answers a draft with a 409 saying
    /// registration is not open yet, not with a 404).
    Any,
}

/// The edition with this slug within `scope`, or 404.
pub async fn load_edition(conn: &mut AsyncPgConnection, slug: &str, scope: Scope) -> ApiResult<ConferenceRow> {
    let found = match scope {
        Scope::Published => queries::find_published(conn, slug).await?,
        Scope::Any => queries::find_by_slug(conn, slug).await?,
    };
    found.ok_or_else(|| ApiError::not_found("conference"))
}

/// The edition's time zone, UTC when the stored name does not parse.
pub fn zone_or_utc(row: &ConferenceRow) -> chrono_tz::Tz {
    time::zone(&row.time_zone, "time_zone").unwrap_or(chrono_tz::UTC)
}

/// The whole page of an edition: three more queries (agenda, types, calls).
pub async fn conference_json(conn: &mut AsyncPgConnection, row: &ConferenceRow) -> ApiResult<ConferenceJson> {
    let tz = zone_or_utc(row);
    let agenda = queries::sessions_of(conn, row.id).await?.into_iter().map(|s| SessionJson::new(tz, s)).collect();
    let registration_types =
        queries::types_of(conn, row.id).await?.into_iter().map(|t| RegistrationTypeJson::new(row, t)).collect();
    let calls = queries::calls_of(conn, row.id).await?.into_iter().map(CallJson::from).collect();
    let mut important_dates: Vec<ImportantDate> =
        serde_json::from_value(row.important_dates.clone()).unwrap_or_default();
    important_dates.sort_by_key(|d| d.date);
    Ok(ConferenceJson {
        summary: row.into(),
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

/// A page of published editions: upcoming ones first (soonest first), then past ones (most
/// recent first); and how many there are.
pub async fn list_published(state: &AppState, page: PageRequest) -> ApiResult<(Vec<ConferenceSummary>, i64)> {
    let (rows, total) = queries::list(&mut *state.pool.get().await?, true, page).await?;
    Ok((rows.iter().map(ConferenceSummary::from).collect(), total))
}

/// One published edition's page.
pub async fn get_published(state: &AppState, slug: &str) -> ApiResult<ConferenceJson> {
    let mut conn = state.pool.get().await?;
    let row = load_edition(&mut conn, slug, Scope::Published).await?;
    conference_json(&mut conn, &row).await
}

/// A page of every edition, drafts included, in the same order as the public list.
pub async fn list_all(state: &AppState, page: PageRequest) -> ApiResult<(Vec<AdminConferenceItem>, i64)> {
    let (rows, total) = queries::list(&mut *state.pool.get().await?, false, page).await?;
    Ok((rows.iter().map(AdminConferenceItem::from).collect(), total))
}

/// One edition, draft or published, with everything.
pub async fn get_any(state: &AppState, slug: &str) -> ApiResult<AdminConferenceJson> {
    let mut conn = state.pool.get().await?;
    let row = load_edition(&mut conn, slug, Scope::Any).await?;
    admin_json(&mut conn, &row).await
}

/// Checks what one field's rules cannot: the time zone, the dates (both or neither, in order),
/// the year (that of the dates, or given when there are none) and that a published edition of
/// this year or later has its dates (the database's trigger says the same).
fn fields(input: &ConferenceInput, status: ConferenceStatus) -> ApiResult<ConferenceFields> {
    use chrono::Datelike;
    let mut errors = Vec::new();
    if let Err(e) = time::zone(&input.time_zone, "time_zone") {
        errors.push(e);
    }
    match (input.starts_on, input.ends_on) {
        (Some(starts), Some(ends)) if ends < starts => {
            errors.push(FieldError::new("ends_on", FieldCode::OutOfRange, "must not be before starts_on"))
        }
        (Some(_), None) => errors.push(FieldError::new("ends_on", FieldCode::Required, "is required with starts_on")),
        (None, Some(_)) => errors.push(FieldError::new("starts_on", FieldCode::Required, "is required with ends_on")),
        _ => {}
    }
    let year = match (input.starts_on, input.year) {
        (Some(starts), Some(year)) if year != starts.year() => {
            errors.push(FieldError::new("year", FieldCode::OutOfRange, "must be the year of starts_on"));
            year
        }
        (Some(starts), _) => starts.year(),
        (None, Some(year)) => year,
        (None, None) => {
            errors.push(FieldError::new("year", FieldCode::Required, "is required for an edition without dates"));
            0
        }
    };
    if status == ConferenceStatus::Published && input.starts_on.is_none() && year >= super::json::today().year() {
        errors.push(FieldError::new(
            "starts_on",
            FieldCode::Required,
            "is required: a published edition of this year or later must have its dates",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(ConferenceFields {
        name: input.name.clone(),
        theme: input.theme.clone(),
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        year,
        time_zone: input.time_zone.clone(),
        venue: input.venue.clone(),
        city: input.city.clone(),
        description: input.description.clone(),
        lodging: as_json(&input.lodging),
        important_dates: as_json(&input.important_dates),
        awards: as_json(&input.awards),
        status,
    })
}

/// The lists are stored as JSON arrays.
fn as_json<T: serde::Serialize>(items: &[T]) -> serde_json::Value {
    serde_json::to_value(items).unwrap_or_default()
}

/// The audit entry of a staff change to the edition `id`.
pub fn entry<'a>(
    action: &'a str,
    staff: &StaffUser,
    id: Uuid,
    request_id: &'a RequestId,
    details: serde_json::Value,
) -> NewAuditEntry<'a> {
    NewAuditEntry::by_staff(staff, action, "conference", id, request_id, details)
}

/// Creates an edition as a draft; the slug is made from the name when left out (409 when taken).
pub async fn create(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    input: ConferenceInput,
) -> ApiResult<AdminConferenceJson> {
    let fields = fields(&input, ConferenceStatus::Draft)?;
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let slug = match &input.slug {
                Some(slug) => Slug::from_field(slug, "slug")?,
                None => candidates(&input.name, "conference").next().expect("candidates never end"),
            };
            if queries::slug_taken(conn, &slug).await? {
                return Err(ApiError::refused(
                    ProblemType::SlugTaken,
                    format!("an edition with the slug `{slug}` already exists"),
                ));
            }
            let id = Uuid::now_v7();
            let row = queries::insert(conn, id, &slug, &fields).await?;
            audit::record(conn, entry("conference.create", staff, id, request_id, json!({ "slug": slug }))).await?;
            Ok(row)
        })
        .await?;
    admin_json(&mut conn, &row).await
}

/// Merges `changes` into the stored edition and validates the result as a whole.
pub async fn update(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    changes: UpdateConference,
) -> ApiResult<AdminConferenceJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = load_edition(conn, slug, Scope::Any).await?;
            let status = changes.status.unwrap_or(before.status);
            let current = ConferenceInput {
                slug: Some(before.slug.clone()),
                name: before.name.clone(),
                theme: before.theme.clone(),
                starts_on: before.starts_on,
                ends_on: before.ends_on,
                // Dated, the year follows the dates; without dates, it is the stored one.
                year: before.starts_on.is_none().then_some(before.year),
                time_zone: before.time_zone.clone(),
                venue: before.venue.clone(),
                city: before.city.clone(),
                description: before.description.clone(),
                lodging: serde_json::from_value(before.lodging.clone()).unwrap_or_default(),
                important_dates: serde_json::from_value(before.important_dates.clone()).unwrap_or_default(),
                awards: serde_json::from_value(before.awards.clone()).unwrap_or_default(),
            };
            let mut input = changes.apply(current);
            if input.starts_on.is_none() && input.year.is_none() {
                // Dates cleared without a year: the edition keeps the year it had.
                input.year = Some(before.year);
            }
            validator::Validate::validate(&input)?;
            let fields = fields(&input, status)?;
            let new_slug = input.slug.clone().unwrap_or_else(|| before.slug.clone());
            if new_slug != before.slug && queries::slug_taken(conn, &new_slug).await? {
                return Err(ApiError::refused(
                    ProblemType::SlugTaken,
                    format!("an edition with the slug `{new_slug}` already exists"),
                ));
            }
            let row = queries::update(conn, before.id, &new_slug, &fields).await?;
            let details = json!({ "slug": new_slug, "status": row.status, "now": input });
            audit::record(conn, entry("conference.update", staff, before.id, request_id, details)).await?;
            Ok(row)
        })
        .await?;
    admin_json(&mut conn, &row).await
}

fn session_fields(row: &ConferenceRow, input: &SessionInput) -> ApiResult<SessionFields> {
    let tz = time::zone(&row.time_zone, "time_zone").map_err(|e| ApiError::Validation(vec![e]))?;
    let mut errors = Vec::new();
    let starts = time::to_utc(tz, input.starts_local, "starts_local").map_err(|e| errors.push(e)).ok();
    let ends = time::to_utc(tz, input.ends_local, "ends_local").map_err(|e| errors.push(e)).ok();
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            errors.push(FieldError::new("ends_local", FieldCode::OutOfRange, "must be after starts_local"));
        }
    }
    match (starts, ends) {
        (Some(starts_at), Some(ends_at)) if errors.is_empty() => Ok(SessionFields {
            title: input.title.clone(),
            abstract_: input.abstract_.clone(),
            starts_at,
            ends_at,
            track: input.track.clone(),
            room: input.room.clone(),
            speakers: input.speakers.iter().map(|s| s.trim().to_string()).collect(),
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Adds a session to the agenda; answers the edition's slug and the session.
pub async fn create_session(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    input: SessionInput,
) -> ApiResult<(String, SessionJson)> {
    let mut conn = state.pool.get().await?;
    let (row, session) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = load_edition(conn, slug, Scope::Any).await?;
            let session = queries::insert_session(conn, row.id, &session_fields(&row, &input)?, None).await?;
            let details = json!({ "session_id": session.id, "title": session.title });
            audit::record(conn, entry("conference.session.create", staff, row.id, request_id, details)).await?;
            Ok((row, session))
        })
        .await?;
    let tz = zone_or_utc(&row);
    Ok((row.slug, SessionJson::new(tz, session)))
}

/// Replaces a session of the edition's agenda.
pub async fn replace_session(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    id: Uuid,
    input: SessionInput,
) -> ApiResult<SessionJson> {
    let mut conn = state.pool.get().await?;
    let (row, session) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = load_edition(conn, slug, Scope::Any).await?;
            queries::find_session(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("session"))?;
            let session = queries::update_session(conn, id, &session_fields(&row, &input)?).await?;
            let details = json!({ "session_id": id, "title": session.title });
            audit::record(conn, entry("conference.session.update", staff, row.id, request_id, details)).await?;
            Ok((row, session))
        })
        .await?;
    Ok(SessionJson::new(zone_or_utc(&row), session))
}

/// Removes a session from the edition's agenda.
pub async fn delete_session(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    id: Uuid,
) -> ApiResult<()> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = load_edition(conn, slug, Scope::Any).await?;
        let session = queries::find_session(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("session"))?;
        queries::delete_session(conn, id).await?;
        let details = json!({ "session_id": id, "title": session.title });
        audit::record(conn, entry("conference.session.delete", staff, row.id, request_id, details)).await?;
        Ok(())
    })
    .await
}

fn call_fields(input: &CallInput) -> ApiResult<CallFields> {
    if input.opens_at.is_some_and(|opens| opens >= input.deadline) {
        return Err(ApiError::invalid("deadline", FieldCode::OutOfRange, "must be after opens_at"));
    }
    Ok(CallFields {
        kind: input.kind,
        title: input.title.clone(),
        description: input.description.clone(),
        opens_at: input.opens_at,
        deadline: input.deadline,
        word_limit: input.word_limit,
    })
}

/// Opens a call for proposals; answers the edition's slug and the call.
pub async fn create_call(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    input: CallInput,
) -> ApiResult<(String, CallJson)> {
    let fields = call_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let (row, call) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = load_edition(conn, slug, Scope::Any).await?;
            let call = queries::insert_call(conn, row.id, &fields).await?;
            let details = json!({ "call_id": call.id, "title": call.title });
            audit::record(conn, entry("conference.call.create", staff, row.id, request_id, details)).await?;
            Ok((row, call))
        })
        .await?;
    Ok((row.slug, call.into()))
}

/// Replaces a call for proposals of the edition.
pub async fn replace_call(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    id: Uuid,
    input: CallInput,
) -> ApiResult<CallJson> {
    let fields = call_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let call = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = load_edition(conn, slug, Scope::Any).await?;
            queries::find_call(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("call"))?;
            let call = queries::update_call(conn, id, &fields).await?;
            let details = json!({ "call_id": id, "title": call.title });
            audit::record(conn, entry("conference.call.update", staff, row.id, request_id, details)).await?;
            Ok(call)
        })
        .await?;
    Ok(call.into())
}
