//! `GET /conferences` for everyone; editions, agenda and calls under `/admin/conferences` for
//! staff. Thin handlers: the rules are in `service`.

use actix_web::{delete, get, patch, post, put, web, HttpRequest};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::json::{
    AdminConferenceItem, AdminConferenceJson, CallInput, CallJson, ConferenceInput, ConferenceJson, ConferenceSummary,
    SessionInput, SessionJson, UpdateConference,
};
use super::service;
use crate::auth::Staff;
use crate::error::{ApiResult, ProblemType};
use crate::extract::conditional::Cached;
use crate::extract::pagination::link_header;
use crate::extract::respond::{Created, NoContent};
use crate::extract::{PageQuery, PageRequest, Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type AdminConferenceItemPage = Paginated<AdminConferenceItem>;
type ConferenceSummaryPage = Paginated<ConferenceSummary>;

/// Public GETs: the list of editions and an edition's page.
pub fn public_reads(cfg: &mut ServiceConfig) {
    cfg.service(list_conferences).service(get_conference);
}

/// Under `/admin`: editions, their agenda and their calls for proposals.
pub fn staff(cfg: &mut ServiceConfig) {
    cfg.service(list_admin_conferences)
        .service(create_conference)
        .service(get_admin_conference)
        .service(update_conference)
        .service(create_agenda_session)
        .service(replace_agenda_session)
        .service(delete_agenda_session)
        .service(create_call_for_proposals)
        .service(replace_call_for_proposals);
}

/// Published editions: upcoming ones first (soonest first), then past ones (most recent first).
/// A past edition whose dates are not known (`starts_on` and `ends_on` null: the Alliance's pages
/// name it by year only) counts as ending on December 31 of its `year`.
#[utoipa::path(
    operation_id = "listConferences",
    tag = "conference",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of editions", body = ConferenceSummaryPage, headers(("Link" = String), ("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/conferences")]
pub async fn list_conferences(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Cached<Paginated<ConferenceSummary>>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (data, total) = service::list_published(&state, page).await?;
    let link = link_header(&state.config.public_base_url, &req, total, page.page, page.per_page);
    Ok(Cached { body: Paginated::new(data, total, page), link: Some(link) })
}

/// One published edition with its calendar, lodging, awards, agenda, registration types (price,
/// capacity, seats left) and calls for proposals.
#[utoipa::path(
    operation_id = "getConference",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug")),
    responses(
        (status = 200, description = "The edition", body = ConferenceJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/conferences/{slug}")]
pub async fn get_conference(state: web::Data<AppState>, slug: web::Path<String>) -> ApiResult<Cached<ConferenceJson>> {
    Ok(Cached::new(service::get_published(&state, &slug).await?))
}

/// Every edition, drafts included, in the public list's order (an edition without dates counts
/// as ending on December 31 of its `year`).
#[utoipa::path(
    operation_id = "listAdminConferences",
    tag = "conference",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of editions", body = AdminConferenceItemPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/conferences")]
pub async fn list_admin_conferences(
    state: web::Data<AppState>,
    _staff: Staff,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Paginated<AdminConferenceItem>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (data, total) = service::list_all(&state, page).await?;
    Ok(Paginated::new(data, total, page))
}

/// Create an edition as a draft. The slug is made from the name when left out. Leave out both
/// dates only where they are not known (a past edition); then give its `year`.
#[utoipa::path(
    operation_id = "createConference",
    extensions(("x-problems" = json!([ProblemType::SlugTaken]))),
    tag = "conference",
    request_body = ConferenceInput,
    responses(
        (status = 201, description = "Created as a draft", body = AdminConferenceJson, headers(("Location" = String))),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences")]
pub async fn create_conference(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    ValidJson(input): ValidJson<ConferenceInput>,
) -> ApiResult<Created<AdminConferenceJson>> {
    let body = service::create(&state, &staff, &request_id, input).await?;
    Ok(Created { location: format!("/api/v1/admin/conferences/{}", body.conference.summary.slug), body })
}

/// One edition, draft or published, with everything.
#[utoipa::path(
    operation_id = "getAdminConference",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug")),
    responses(
        (status = 200, description = "The edition", body = AdminConferenceJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/conferences/{slug}")]
pub async fn get_admin_conference(
    state: web::Data<AppState>,
    _staff: Staff,
    slug: web::Path<String>,
) -> ApiResult<web::Json<AdminConferenceJson>> {
    Ok(web::Json(service::get_any(&state, &slug).await?))
}

/// Change an edition: only the fields sent change (a list sent replaces the stored one); the
/// result is validated as a whole. `status: published` shows it on the website. Sessions keep
/// their instants when the time zone changes.
#[utoipa::path(
    operation_id = "updateConference",
    extensions(("x-problems" = json!([ProblemType::SlugTaken]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug")),
    request_body = UpdateConference,
    responses(
        (status = 200, description = "The updated edition", body = AdminConferenceJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/conferences/{slug}")]
pub async fn update_conference(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(changes): ValidJson<UpdateConference>,
) -> ApiResult<web::Json<AdminConferenceJson>> {
    Ok(web::Json(service::update(&state, &staff, &request_id, &slug, changes).await?))
}

/// Add a session to the agenda; times are on the wall clock of the edition's time zone.
#[utoipa::path(
    operation_id = "createAgendaSession",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug")),
    request_body = SessionInput,
    responses(
        (status = 201, description = "Added", body = SessionJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/sessions")]
pub async fn create_agenda_session(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<SessionInput>,
) -> ApiResult<Created<SessionJson>> {
    let (slug, body) = service::create_session(&state, &staff, &request_id, &slug, input).await?;
    Ok(Created { location: format!("/api/v1/admin/conferences/{slug}/sessions/{}", body.id), body })
}

/// Replace a session.
#[utoipa::path(
    operation_id = "replaceAgendaSession",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The session's id")),
    request_body = SessionInput,
    responses(
        (status = 200, description = "The session", body = SessionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/sessions/{id}")]
pub async fn replace_agenda_session(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(input): ValidJson<SessionInput>,
) -> ApiResult<web::Json<SessionJson>> {
    let (slug, id) = path.into_inner();
    Ok(web::Json(service::replace_session(&state, &staff, &request_id, &slug, id, input).await?))
}

/// Remove a session from the agenda.
#[utoipa::path(
    operation_id = "deleteAgendaSession",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[delete("/conferences/{slug}/sessions/{id}")]
pub async fn delete_agenda_session(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
) -> ApiResult<NoContent> {
    let (slug, id) = path.into_inner();
    service::delete_session(&state, &staff, &request_id, &slug, id).await?;
    Ok(NoContent)
}

/// Open a call for proposals (presentations and workshops, or student posters), with its deadline and word limit.
#[utoipa::path(
    operation_id = "createCallForProposals",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug")),
    request_body = CallInput,
    responses(
        (status = 201, description = "Added", body = CallJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/calls")]
pub async fn create_call_for_proposals(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<CallInput>,
) -> ApiResult<Created<CallJson>> {
    let (slug, body) = service::create_call(&state, &staff, &request_id, &slug, input).await?;
    Ok(Created { location: format!("/api/v1/admin/conferences/{slug}/calls/{}", body.id), body })
}

/// Replace a call for proposals.
#[utoipa::path(
    operation_id = "replaceCallForProposals",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The call's id")),
    request_body = CallInput,
    responses(
        (status = 200, description = "The call", body = CallJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/calls/{id}")]
pub async fn replace_call_for_proposals(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(input): ValidJson<CallInput>,
) -> ApiResult<web::Json<CallJson>> {
    let (slug, id) = path.into_inner();
    Ok(web::Json(service::replace_call(&state, &staff, &request_id, &slug, id, input).await?))
}
