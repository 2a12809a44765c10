//! `POST /conferences/{slug}/proposals` for presenters; the review under
//! `/admin/conferences/{slug}/proposals`. Thin handlers: the rules are in `service`.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::json::{
    ProposalDetail, ProposalInput, ProposalJson, ProposalListQuery, ProposalReceipt, ReviewInput, ReviewJson,
    ScheduleInput, ScheduledSession, StatusChange,
};
use super::service;
use crate::auth::Staff;
use crate::error::{ApiResult, ProblemType};
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::{Idempotency, PageRequest, Paginated, Stored, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type ProposalPage = Paginated<ProposalJson>;

/// Anonymous POSTs: submitting a proposal.
pub fn public_forms(cfg: &mut ServiceConfig) {
    cfg.service(submit_proposal);
}

/// Under `/admin`: the review.
pub fn staff(cfg: &mut ServiceConfig) {
    cfg.service(list_proposals)
        .service(get_proposal)
        .service(review_proposal)
        .service(set_proposal_status)
        .service(schedule_proposal);
}

/// Propose a session, workshop or poster for an edition's call.
///
/// Answers 201 with the proposal's id and status `submitted`, and emails the presenter a
/// confirmation. A call takes proposals from `opens_at` until its `deadline` (409 outside that
/// window); the abstract may have at most the call's `word_limit` words. Send an
/// `Idempotency-Key` to make retries safe.
#[utoipa::path(
    operation_id = "submitProposal",
    extensions(("x-problems" = json!([ProblemType::CallNotOpen, ProblemType::CallClosed]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), IdempotencyHeader),
    request_body = ProposalInput,
    responses(
        (status = 201, description = "Received; the presenter is emailed a confirmation", body = ProposalReceipt, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/proposals")]
pub async fn submit_proposal(
    state: web::Data<AppState>,
    post: Idempotency,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<ProposalInput>,
) -> ApiResult<Stored> {
    service::submit(&state, &post, &slug, input).await
}

/// An edition's proposals, newest first, each with its review count and average score.
#[utoipa::path(
    operation_id = "listProposals",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ProposalListQuery),
    responses(
        (status = 200, description = "A page of proposals", body = ProposalPage, headers(("Link" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/conferences/{slug}/proposals")]
pub async fn list_proposals(
    state: web::Data<AppState>,
    _staff: Staff,
    slug: web::Path<String>,
    ValidQuery(query): ValidQuery<ProposalListQuery>,
) -> ApiResult<Paginated<ProposalJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (data, total) = service::list(&state, &slug, &query, page).await?;
    Ok(Paginated::new(data, total, page))
}

/// One proposal with its reviews.
#[utoipa::path(
    operation_id = "getProposal",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The proposal's id")),
    responses(
        (status = 200, description = "The proposal and its reviews", body = ProposalDetail),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/conferences/{slug}/proposals/{id}")]
pub async fn get_proposal(
    state: web::Data<AppState>,
    _staff: Staff,
    path: web::Path<(String, Uuid)>,
) -> ApiResult<web::Json<ProposalDetail>> {
    let (slug, id) = path.into_inner();
    Ok(web::Json(service::get(&state, &slug, id).await?))
}

/// Score a proposal (1 to 5) with notes: each reviewer has one review per proposal, which
/// sending again replaces. Reviews are for staff only and never shown publicly.
#[utoipa::path(
    operation_id = "reviewProposal",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The proposal's id")),
    request_body = ReviewInput,
    responses(
        (status = 200, description = "The reviewer's review, replaced", body = ReviewJson),
        (status = 201, description = "The reviewer's first review of it", body = ReviewJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/proposals/{id}/review")]
pub async fn review_proposal(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(body): ValidJson<ReviewInput>,
) -> ApiResult<(web::Json<ReviewJson>, StatusCode)> {
    let (slug, id) = path.into_inner();
    let (review, first) = service::review(&state, &staff, &request_id, &slug, id, body).await?;
    Ok((web::Json(review), if first { StatusCode::CREATED } else { StatusCode::OK }))
}

/// Move a proposal through the review: `submitted` → `under_review`, `accepted`, `rejected` or
/// `withdrawn`; `under_review` → `accepted`, `rejected` or `withdrawn`. Accepted, rejected and
/// withdrawn are final (409). Accepting or rejecting emails the presenter the decision.
#[utoipa::path(
    operation_id = "setProposalStatus",
    extensions(("x-problems" = json!([ProblemType::TransitionNotAllowed]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The proposal's id")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "The proposal in its new status", body = ProposalDetail),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/proposals/{id}/status")]
pub async fn set_proposal_status(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(body): ValidJson<StatusChange>,
) -> ApiResult<web::Json<ProposalDetail>> {
    let (slug, id) = path.into_inner();
    Ok(web::Json(service::set_status(&state, &staff, &request_id, &slug, id, body.status).await?))
}

/// Put an accepted proposal on the agenda: a session with its title, abstract and authors (as
/// speakers), at wall-clock times of the edition's time zone. A proposal has at most one session.
#[utoipa::path(
    operation_id = "scheduleProposal",
    extensions(("x-problems" = json!([ProblemType::ProposalNotAccepted, ProblemType::AlreadyScheduled]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The proposal's id")),
    request_body = ScheduleInput,
    responses(
        (status = 201, description = "The session made from the proposal", body = ScheduledSession),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/proposals/{id}/session")]
pub async fn schedule_proposal(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(body): ValidJson<ScheduleInput>,
) -> ApiResult<(web::Json<ScheduledSession>, StatusCode)> {
    let (slug, id) = path.into_inner();
    let session = service::schedule(&state, &staff, &request_id, &slug, id, body).await?;
    Ok((web::Json(session), StatusCode::CREATED))
}
