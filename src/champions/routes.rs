//! Nominations and the Champion Spotlight over HTTP: `POST /champion-nominations` and the
//! nominee's consent for visitors, `GET /champions` for everyone; the editors' queue under
//! `/admin/champion-nominations` and editing and (un)publishing under `/admin/champions`.

use actix_web::{get, patch, post, web, HttpRequest};
use uuid::Uuid;

use super::json::{
    AdminChampionJson, ApproveNomination, ChampionJson, ChampionStatusQuery, ConsentAnswer, ConsentRecorded,
    NominationInput, NominationJson, NominationListQuery, NominationReceipt, UpdateChampion,
};
use super::service;
use crate::auth::Staff;
use crate::error::{ApiResult, ProblemType};
use crate::extract::conditional::Cached;
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::pagination::link_header;
use crate::extract::{Idempotency, OptionalJson, PageQuery, PageRequest, Paginated, Stored, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::suggestions::json::Reason;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type AdminChampionPage = Paginated<AdminChampionJson>;
type ChampionPage = Paginated<ChampionJson>;
type NominationPage = Paginated<NominationJson>;

pub fn public_reads(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_champions).service(get_champion);
}

pub fn public_forms(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(nominate_champion);
}

pub fn token_links(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(answer_nominee_consent);
}

pub fn staff(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_champion_nominations)
        .service(get_champion_nomination)
        .service(approve_champion_nomination)
        .service(request_nominee_consent)
        .service(reject_champion_nomination)
        .service(list_admin_champions)
        .service(get_admin_champion)
        .service(update_champion)
        .service(publish_champion)
        .service(unpublish_champion);
}

/// Nominate someone (or yourself) for the Champion Spotlight.
///
/// Answers 201 with status `pending`. The nominee (on a self-nomination too) is emailed a link to
/// agree to be featured or decline: only that answer is consent (`consent_to_feature` is the
/// submitter's statement), and nothing about them is published until they agree. Send an
/// `Idempotency-Key` to make retries safe.
#[utoipa::path(
    operation_id = "nominateChampion",
    tag = "champions",
    request_body = NominationInput,
    params(IdempotencyHeader),
    responses(
        (status = 201, description = "Received; waiting for the editors", body = NominationReceipt, headers(("Location" = String))),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations")]
pub async fn nominate_champion(
    state: web::Data<AppState>,
    post: Idempotency,
    ValidJson(input): ValidJson<NominationInput>,
) -> ApiResult<Stored> {
    service::nominate(&state, &post, &input).await
}

/// The nominee's answer: agree to be featured, or decline.
///
/// Takes the token from the message the nominee was sent (valid for 30 days). Declining after a
/// spotlight was published unpublishes it.
#[utoipa::path(
    operation_id = "answerNomineeConsent",
    tag = "champions",
    request_body = ConsentAnswer,
    params(IdempotencyHeader),
    responses(
        (status = 200, description = "The answer was recorded", body = ConsentRecorded),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations/consent")]
pub async fn answer_nominee_consent(
    state: web::Data<AppState>,
    post: Idempotency,
    ValidJson(input): ValidJson<ConsentAnswer>,
) -> ApiResult<Stored> {
    service::answer_consent(&state, &post, &input).await
}

/// The published Champion Spotlights, most recent first.
///
/// Only what each champion agreed to show: never an email, a nominator or an editor's note.
#[utoipa::path(
    operation_id = "listChampions",
    tag = "champions",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of spotlights", body = ChampionPage, headers(("Link" = String), ("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/champions")]
pub async fn list_champions(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Cached<Paginated<ChampionJson>>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (data, total) = service::list_champions(&state, page).await?;
    let link = link_header(&state.config.public_base_url, &req, total, page.page, page.per_page);
    Ok(Cached { body: Paginated::new(data, total, page), link: Some(link) })
}

/// One published spotlight.
#[utoipa::path(
    operation_id = "getChampion",
    tag = "champions",
    params(("slug" = String, Path, description = "The spotlight's slug")),
    responses(
        (status = 200, description = "The spotlight", body = ChampionJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/champions/{slug}")]
pub async fn get_champion(state: web::Data<AppState>, slug: web::Path<String>) -> ApiResult<Cached<ChampionJson>> {
    Ok(Cached::new(service::get_champion(&state, &slug).await?))
}

/// The nominations queue, newest first.
#[utoipa::path(
    operation_id = "listChampionNominations",
    tag = "champions",
    params(NominationListQuery),
    responses(
        (status = 200, description = "A page of nominations", body = NominationPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/champion-nominations")]
pub async fn list_champion_nominations(
    state: web::Data<AppState>,
    _staff: Staff,
    ValidQuery(query): ValidQuery<NominationListQuery>,
) -> ApiResult<Paginated<NominationJson>> {
    service::list_nominations(&state, &query).await
}

/// One nomination.
#[utoipa::path(
    operation_id = "getChampionNomination",
    tag = "champions",
    params(("id" = Uuid, Path, description = "The nomination's id")),
    responses(
        (status = 200, description = "The nomination", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/champion-nominations/{id}")]
pub async fn get_champion_nomination(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<NominationJson>> {
    Ok(web::Json(service::get_nomination(&state, *id).await?))
}

/// Approve: publishes a Champion Spotlight made from the nomination (409 without the nominee's consent, saying why).
#[utoipa::path(
    operation_id = "approveChampionNomination",
    extensions(("x-problems" = json!([ProblemType::AlreadyDecided, ProblemType::ConsentPending, ProblemType::NomineeDeclined]))),
    tag = "champions",
    params(("id" = Uuid, Path, description = "The nomination's id")),
    request_body = Option<ApproveNomination>,
    responses(
        (status = 200, description = "Approved; `champion` is the published spotlight", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations/{id}/approve")]
pub async fn approve_champion_nomination(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    OptionalJson(body): OptionalJson<ApproveNomination>,
) -> ApiResult<web::Json<NominationJson>> {
    Ok(web::Json(service::approve(&state, &staff, &request_id, id.into_inner(), &body).await?))
}

/// Reject, with the reason (kept for the editors, never published).
#[utoipa::path(
    operation_id = "rejectChampionNomination",
    extensions(("x-problems" = json!([ProblemType::AlreadyDecided]))),
    tag = "champions",
    params(("id" = Uuid, Path, description = "The nomination's id")),
    request_body = Reason,
    responses(
        (status = 200, description = "Rejected", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations/{id}/reject")]
pub async fn reject_champion_nomination(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<Reason>,
) -> ApiResult<web::Json<NominationJson>> {
    Ok(web::Json(service::reject(&state, &staff, &request_id, id.into_inner(), &body.reason).await?))
}

/// Email the nominee (again) the link to agree to be featured or decline.
///
/// For a pending nomination whose consent is `unconfirmed` (only a form claimed it) or `requested`
/// (unanswered, perhaps expired): a new link replaces the old one, valid for 30 days. A nominee who
/// already answered is not asked again (409), nor one whose address was erased (409).
#[utoipa::path(
    operation_id = "requestNomineeConsent",
    extensions(("x-problems" = json!([ProblemType::AlreadyDecided, ProblemType::NomineeAgreed, ProblemType::NomineeDeclined, ProblemType::NomineeAddressErased]))),
    tag = "champions",
    params(("id" = Uuid, Path, description = "The nomination's id")),
    responses(
        (status = 200, description = "Sent; `nominee_consent` is `requested`", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/champion-nominations/{id}/consent-request")]
pub async fn request_nominee_consent(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<NominationJson>> {
    Ok(web::Json(service::request_consent(&state, &staff, &request_id, id.into_inner()).await?))
}

/// Every spotlight, published or not, most recent first.
#[utoipa::path(
    operation_id = "listAdminChampions",
    tag = "champions",
    params(PageQuery, ChampionStatusQuery),
    responses(
        (status = 200, description = "A page of spotlights", body = AdminChampionPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/champions")]
pub async fn list_admin_champions(
    state: web::Data<AppState>,
    _staff: Staff,
    ValidQuery(query): ValidQuery<PageQuery>,
    ValidQuery(status): ValidQuery<ChampionStatusQuery>,
) -> ApiResult<Paginated<AdminChampionJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    service::list_admin_champions(&state, page, status.status).await
}

/// One spotlight.
#[utoipa::path(
    operation_id = "getAdminChampion",
    tag = "champions",
    params(("id" = Uuid, Path, description = "The spotlight's id")),
    responses(
        (status = 200, description = "The spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/champions/{id}")]
pub async fn get_admin_champion(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    Ok(web::Json(service::get_admin_champion(&state, *id).await?))
}

/// Edit a spotlight (only the fields sent change; `photo_url: null` removes the photo).
#[utoipa::path(
    operation_id = "updateChampion",
    tag = "champions",
    params(("id" = Uuid, Path, description = "The spotlight's id")),
    request_body = UpdateChampion,
    responses(
        (status = 200, description = "The updated spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/champions/{id}")]
pub async fn update_champion(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<UpdateChampion>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    Ok(web::Json(service::update_champion(&state, &staff, &request_id, id.into_inner(), body).await?))
}

/// Publish again (409 when the nominee has withdrawn their consent).
#[utoipa::path(
    operation_id = "publishChampion",
    extensions(("x-problems" = json!([ProblemType::ConsentWithdrawn]))),
    tag = "champions",
    params(("id" = Uuid, Path, description = "The spotlight's id")),
    responses(
        (status = 200, description = "The spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/champions/{id}/publish")]
pub async fn publish_champion(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    Ok(web::Json(service::publish_champion(&state, &staff, &request_id, id.into_inner()).await?))
}

/// Unpublish: the spotlight leaves `GET /champions` (kept for the editors).
#[utoipa::path(
    operation_id = "unpublishChampion",
    tag = "champions",
    params(("id" = Uuid, Path, description = "The spotlight's id")),
    responses(
        (status = 200, description = "The spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/champions/{id}/unpublish")]
pub async fn unpublish_champion(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    Ok(web::Json(service::unpublish_champion(&state, &staff, &request_id, id.into_inner()).await?))
}
