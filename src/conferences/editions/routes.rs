//! `GET /conferences` for everyone; editions, agenda, registration types and calls under
//! `/admin/conferences` for staff.

use actix_web::{delete, get, patch, post, put, web, HttpRequest};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    AdminConferenceItem, AdminConferenceJson, CallInput, CallJson, ConferenceInput, ConferenceJson, ConferenceStatus,
    ConferenceSummary, RegistrationTypeInput, RegistrationTypeJson, SessionInput, SessionJson, UpdateConference,
};
use super::{admin_json, call_json, conference_json, session_json, summary, type_json};
use crate::audit::{self, NewAuditEntry};
use crate::auth::{Staff, StaffUser};
use crate::conferences::model::{CallFields, ConferenceFields, ConferenceRow, RegistrationTypeFields, SessionFields};
use crate::conferences::{queries, registrations, time};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::conditional::Cached;
use crate::extract::pagination::link_header;
use crate::extract::respond::{Created, NoContent};
use crate::extract::{PageQuery, PageRequest, Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::slug::candidates;
use crate::values::Slug;

/// Published editions: upcoming ones first (soonest first), then past ones (most recent first).
#[utoipa::path(
    tag = "conference",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of editions", body = Paginated<ConferenceSummary>, headers(("Link" = String), ("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/conferences")]
pub async fn list_public(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Cached<Paginated<ConferenceSummary>>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (rows, total) = queries::list(&mut *state.pool.get().await?, true, page).await?;
    let link = link_header(&state.config.public_base_url, &req, total, page.page, page.per_page);
    Ok(Cached { body: Paginated::new(rows.iter().map(summary).collect(), total, page), link: Some(link) })
}

/// One published edition with its calendar, lodging, awards, agenda, registration types (price,
/// capacity, seats left) and calls for proposals.
#[utoipa::path(
    tag = "conference",
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The edition", body = ConferenceJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/conferences/{slug}")]
pub async fn get_public(state: web::Data<AppState>, slug: web::Path<String>) -> ApiResult<Cached<ConferenceJson>> {
    let mut conn = state.pool.get().await?;
    let row = queries::find_published(&mut conn, &slug).await?.ok_or_else(|| ApiError::not_found("conference"))?;
    Ok(Cached::new(conference_json(&mut conn, &row).await?))
}

/// Every edition, drafts included.
#[utoipa::path(
    tag = "admin",
    params(PageQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of editions", body = Paginated<AdminConferenceItem>, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/conferences")]
pub async fn list_admin(
    state: web::Data<AppState>,
    _staff: Staff,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Paginated<AdminConferenceItem>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (rows, total) = queries::list(&mut *state.pool.get().await?, false, page).await?;
    let data = rows
        .iter()
        .map(|r| AdminConferenceItem {
            id: r.id,
            status: r.status,
            summary: summary(r),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect();
    Ok(Paginated::new(data, total, page))
}

/// The edition, or 404.
pub async fn edition(conn: &mut AsyncPgConnection, slug: &str) -> ApiResult<ConferenceRow> {
    queries::find_by_slug(conn, slug).await?.ok_or_else(|| ApiError::not_found("conference"))
}

/// Checks what one field's rules cannot: the time zone and the order of the dates.
fn fields(input: &ConferenceInput, status: ConferenceStatus) -> ApiResult<ConferenceFields> {
    let mut errors = Vec::new();
    if let Err(e) = time::zone(&input.time_zone, "time_zone") {
        errors.push(e);
    }
    if input.ends_on < input.starts_on {
        errors.push(FieldError::new("ends_on", "out_of_range", "must not be before starts_on"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(ConferenceFields {
        name: input.name.clone(),
        theme: input.theme.clone(),
        starts_on: input.starts_on,
        ends_on: input.ends_on,
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

fn entry<'a>(
    action: &'a str,
    staff: &StaffUser,
    id: Uuid,
    request_id: &'a RequestId,
    details: serde_json::Value,
) -> NewAuditEntry<'a> {
    NewAuditEntry::by_staff(staff, action, "conference", id, request_id, details)
}

/// Create an edition as a draft. The slug is made from the name when left out.
#[utoipa::path(
    tag = "admin",
    request_body = ConferenceInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Created as a draft", body = AdminConferenceJson, headers(("Location" = String))),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences")]
pub async fn create(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    ValidJson(input): ValidJson<ConferenceInput>,
) -> ApiResult<Created<AdminConferenceJson>> {
    let fields = fields(&input, ConferenceStatus::Draft)?;
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let slug = match &input.slug {
                Some(slug) => Slug::from_field(slug, "slug")?,
                None => candidates(&input.name, "conference").next().expect("candidates never end"),
            };
            if queries::slug_taken(conn, &slug).await? {
                return Err(ApiError::Conflict(format!("an edition with the slug `{slug}` already exists")));
            }
            let id = Uuid::now_v7();
            let row = queries::insert(conn, id, &slug, &fields).await?;
            audit::record(conn, entry("conference.create", &staff, id, &request_id, json!({ "slug": slug }))).await?;
            Ok(row)
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/admin/conferences/{}", row.slug),
        body: admin_json(&mut conn, &row).await?,
    })
}

/// One edition, draft or published, with everything.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The edition", body = AdminConferenceJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/conferences/{slug}")]
pub async fn get_admin(
    state: web::Data<AppState>,
    _staff: Staff,
    slug: web::Path<String>,
) -> ApiResult<web::Json<AdminConferenceJson>> {
    let mut conn = state.pool.get().await?;
    let row = edition(&mut conn, &slug).await?;
    Ok(web::Json(admin_json(&mut conn, &row).await?))
}

/// Change an edition: only the fields sent change (a list sent replaces the stored one); the
/// result is validated as a whole. `status: published` shows it on the website. Sessions keep
/// their instants when the time zone changes.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path)),
    request_body = UpdateConference,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The updated edition", body = AdminConferenceJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/conferences/{slug}")]
pub async fn update(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(changes): ValidJson<UpdateConference>,
) -> ApiResult<web::Json<AdminConferenceJson>> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = edition(conn, &slug).await?;
            let status = changes.status.unwrap_or(before.status);
            let current = ConferenceInput {
                slug: Some(before.slug.clone()),
                name: before.name.clone(),
                theme: before.theme.clone(),
                starts_on: before.starts_on,
                ends_on: before.ends_on,
                time_zone: before.time_zone.clone(),
                venue: before.venue.clone(),
                city: before.city.clone(),
                description: before.description.clone(),
                lodging: serde_json::from_value(before.lodging.clone()).unwrap_or_default(),
                important_dates: serde_json::from_value(before.important_dates.clone()).unwrap_or_default(),
                awards: serde_json::from_value(before.awards.clone()).unwrap_or_default(),
            };
            let input = changes.apply(current);
            validator::Validate::validate(&input)?;
            let fields = fields(&input, status)?;
            let new_slug = input.slug.clone().unwrap_or_else(|| before.slug.clone());
            if new_slug != before.slug && queries::slug_taken(conn, &new_slug).await? {
                return Err(ApiError::Conflict(format!("an edition with the slug `{new_slug}` already exists")));
            }
            let row = queries::update(conn, before.id, &new_slug, &fields).await?;
            let details = json!({ "slug": new_slug, "status": row.status, "now": input });
            audit::record(conn, entry("conference.update", &staff, before.id, &request_id, details)).await?;
            Ok(row)
        })
        .await?;
    Ok(web::Json(admin_json(&mut conn, &row).await?))
}

fn session_fields(row: &ConferenceRow, input: &SessionInput) -> ApiResult<SessionFields> {
    let tz = time::zone(&row.time_zone, "time_zone").map_err(|e| ApiError::Validation(vec![e]))?;
    let mut errors = Vec::new();
    let starts = time::to_utc(tz, input.starts_local, "starts_local").map_err(|e| errors.push(e)).ok();
    let ends = time::to_utc(tz, input.ends_local, "ends_local").map_err(|e| errors.push(e)).ok();
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            errors.push(FieldError::new("ends_local", "out_of_range", "must be after starts_local"));
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

/// Add a session to the agenda; times are on the wall clock of the edition's time zone.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path)),
    request_body = SessionInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Added", body = SessionJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/sessions")]
pub async fn create_session(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<SessionInput>,
) -> ApiResult<Created<SessionJson>> {
    let mut conn = state.pool.get().await?;
    let (row, session) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = edition(conn, &slug).await?;
            let session = queries::insert_session(conn, row.id, &session_fields(&row, &input)?, None).await?;
            let details = json!({ "session_id": session.id, "title": session.title });
            audit::record(conn, entry("conference.session.create", &staff, row.id, &request_id, details)).await?;
            Ok((row, session))
        })
        .await?;
    let tz = time::zone(&row.time_zone, "time_zone").unwrap_or(chrono_tz::UTC);
    Ok(Created {
        location: format!("/api/v1/admin/conferences/{}/sessions/{}", row.slug, session.id),
        body: session_json(tz, session),
    })
}

/// Replace a session.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), ("id" = Uuid, Path)),
    request_body = SessionInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The session", body = SessionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/sessions/{id}")]
pub async fn replace_session(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(input): ValidJson<SessionInput>,
) -> ApiResult<web::Json<SessionJson>> {
    let (slug, id) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let (row, session) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = edition(conn, &slug).await?;
            queries::find_session(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("session"))?;
            let session = queries::update_session(conn, id, &session_fields(&row, &input)?).await?;
            let details = json!({ "session_id": id, "title": session.title });
            audit::record(conn, entry("conference.session.update", &staff, row.id, &request_id, details)).await?;
            Ok((row, session))
        })
        .await?;
    let tz = time::zone(&row.time_zone, "time_zone").unwrap_or(chrono_tz::UTC);
    Ok(web::Json(session_json(tz, session)))
}

/// Remove a session from the agenda.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), ("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[delete("/conferences/{slug}/sessions/{id}")]
pub async fn delete_session(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
) -> ApiResult<NoContent> {
    let (slug, id) = path.into_inner();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = edition(conn, &slug).await?;
        let session = queries::find_session(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("session"))?;
        queries::delete_session(conn, id).await?;
        let details = json!({ "session_id": id, "title": session.title });
        audit::record(conn, entry("conference.session.delete", &staff, row.id, &request_id, details)).await?;
        Ok(())
    })
    .await?;
    Ok(NoContent)
}

fn type_fields(input: &RegistrationTypeInput) -> ApiResult<RegistrationTypeFields> {
    if let (Some(start), Some(end)) = (input.sales_start, input.sales_end) {
        if end <= start {
            return Err(ApiError::invalid("sales_end", "out_of_range", "must be after sales_start"));
        }
    }
    Ok(RegistrationTypeFields {
        name: input.name.clone(),
        description: input.description.clone(),
        price_minor: input.price_minor,
        currency: input.currency.clone(),
        capacity: input.capacity,
        sales_start: input.sales_start,
        sales_end: input.sales_end,
        position: input.position,
    })
}

/// Add a registration type (price in minor units, capacity, sales window).
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path)),
    request_body = RegistrationTypeInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Added", body = RegistrationTypeJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/registration-types")]
pub async fn create_type(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<RegistrationTypeInput>,
) -> ApiResult<Created<RegistrationTypeJson>> {
    let fields = type_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let (row, created) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = edition(conn, &slug).await?;
            let created = queries::insert_type(conn, row.id, &fields).await?;
            let details =
                json!({ "registration_type_id": created.id, "name": created.name, "capacity": created.capacity });
            audit::record(conn, entry("conference.registration_type.create", &staff, row.id, &request_id, details))
                .await?;
            Ok((row, created))
        })
        .await?;
    Ok(Created {
        location: format!("/api/v1/admin/conferences/{}/registration-types/{}", row.slug, created.id),
        body: type_json(&row, created),
    })
}

/// Replace a registration type. Its capacity cannot go below the seats taken (409); raising it
/// confirms the first people on its waiting list, in order, and emails them.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), ("id" = Uuid, Path)),
    request_body = RegistrationTypeInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The registration type", body = RegistrationTypeJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/registration-types/{id}")]
pub async fn replace_type(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(input): ValidJson<RegistrationTypeInput>,
) -> ApiResult<web::Json<RegistrationTypeJson>> {
    let (slug, id) = path.into_inner();
    let fields = type_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let state_ref = state.get_ref();
    let (row, updated) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = edition(conn, &slug).await?;
            let before =
                queries::lock_type(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("registration type"))?;
            if fields.capacity < before.seats_taken {
                return Err(ApiError::Conflict(format!(
                    "{} seats of this type are taken; the capacity cannot go below that (cancel registrations first)",
                    before.seats_taken
                )));
            }
            queries::update_type(conn, id, &fields).await?;
            registrations::promote(state_ref, conn, &row, id).await?;
            let updated =
                queries::find_type(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("registration type"))?;
            let details = json!({ "registration_type_id": id, "name": updated.name, "capacity": updated.capacity });
            audit::record(conn, entry("conference.registration_type.update", &staff, row.id, &request_id, details))
                .await?;
            Ok((row, updated))
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(web::Json(type_json(&row, updated)))
}

fn call_fields(input: &CallInput) -> ApiResult<CallFields> {
    if input.opens_at.is_some_and(|opens| opens >= input.deadline) {
        return Err(ApiError::invalid("deadline", "out_of_range", "must be after opens_at"));
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

/// Open a call for proposals (presentations and workshops, or student posters), with its deadline and word limit.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path)),
    request_body = CallInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Added", body = CallJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/calls")]
pub async fn create_call(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<CallInput>,
) -> ApiResult<Created<CallJson>> {
    let fields = call_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let (row, call) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = edition(conn, &slug).await?;
            let call = queries::insert_call(conn, row.id, &fields).await?;
            let details = json!({ "call_id": call.id, "title": call.title });
            audit::record(conn, entry("conference.call.create", &staff, row.id, &request_id, details)).await?;
            Ok((row, call))
        })
        .await?;
    Ok(Created { location: format!("/api/v1/admin/conferences/{}/calls/{}", row.slug, call.id), body: call_json(call) })
}

/// Replace a call for proposals.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), ("id" = Uuid, Path)),
    request_body = CallInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The call", body = CallJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/calls/{id}")]
pub async fn replace_call(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(input): ValidJson<CallInput>,
) -> ApiResult<web::Json<CallJson>> {
    let (slug, id) = path.into_inner();
    let fields = call_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let call = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = edition(conn, &slug).await?;
            queries::find_call(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("call"))?;
            let call = queries::update_call(conn, id, &fields).await?;
            let details = json!({ "call_id": id, "title": call.title });
            audit::record(conn, entry("conference.call.update", &staff, row.id, &request_id, details)).await?;
            Ok(call)
        })
        .await?;
    Ok(web::Json(call_json(call)))
}
