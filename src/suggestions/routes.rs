//! `POST /suggestions` for visitors (`public_forms`); the editors' queue under
//! `/admin/suggestions` (`staff`).

use actix_web::{get, post, web};
use uuid::Uuid;

use super::json::{AcceptSuggestion, Reason, SuggestionInput, SuggestionJson, SuggestionListQuery, SuggestionReceipt};
use super::service;
use crate::auth::Staff;
use crate::error::{ApiResult, ProblemType};
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::{Idempotency, Paginated, Stored, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type SuggestionPage = Paginated<SuggestionJson>;

pub fn public_forms(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_suggestion);
}

pub fn staff(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_suggestions).service(get_suggestion).service(accept_suggestion).service(reject_suggestion);
}

/// Suggest a resource for the library.
///
/// Answers 201 with the suggestion's id and status `pending`; it waits in the editors' queue.
/// Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    operation_id = "submitSuggestion",
    tag = "submissions",
    request_body = SuggestionInput,
    params(IdempotencyHeader),
    responses(
        (status = 201, description = "Received; waiting for the editors", body = SuggestionReceipt, headers(("Location" = String))),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/suggestions")]
pub async fn submit_suggestion(
    state: web::Data<AppState>,
    post: Idempotency,
    ValidJson(input): ValidJson<SuggestionInput>,
) -> ApiResult<Stored> {
    service::submit(&state, &post, input).await
}

/// The suggestions queue, newest first; each flagged when its URL matches a resource or an earlier suggestion.
#[utoipa::path(
    operation_id = "listSuggestions",
    tag = "submissions",
    params(SuggestionListQuery),
    responses(
        (status = 200, description = "A page of suggestions", body = SuggestionPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/suggestions")]
pub async fn list_suggestions(
    state: web::Data<AppState>,
    _staff: Staff,
    ValidQuery(query): ValidQuery<SuggestionListQuery>,
) -> ApiResult<Paginated<SuggestionJson>> {
    service::list(&state, &query).await
}

/// One suggestion.
#[utoipa::path(
    operation_id = "getSuggestion",
    tag = "submissions",
    params(("id" = Uuid, Path, description = "The suggestion's id")),
    responses(
        (status = 200, description = "The suggestion", body = SuggestionJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/suggestions/{id}")]
pub async fn get_suggestion(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<SuggestionJson>> {
    Ok(web::Json(service::get(&state, *id).await?))
}

/// Accept: a draft resource of the given type is made from the suggestion (title, URL, the
/// domains, topics and professions that are still active), linked both ways.
#[utoipa::path(
    operation_id = "acceptSuggestion",
    extensions(("x-problems" = json!([ProblemType::AlreadyDecided]))),
    tag = "submissions",
    params(("id" = Uuid, Path, description = "The suggestion's id")),
    request_body = AcceptSuggestion,
    responses(
        (status = 200, description = "Accepted; `resource_id` is the new draft", body = SuggestionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/suggestions/{id}/accept")]
pub async fn accept_suggestion(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<AcceptSuggestion>,
) -> ApiResult<web::Json<SuggestionJson>> {
    Ok(web::Json(service::accept(&state, &staff, &request_id, id.into_inner(), body).await?))
}

/// Reject, with the reason (emailed to the submitter when they agreed to be contacted).
#[utoipa::path(
    operation_id = "rejectSuggestion",
    extensions(("x-problems" = json!([ProblemType::AlreadyDecided]))),
    tag = "submissions",
    params(("id" = Uuid, Path, description = "The suggestion's id")),
    request_body = Reason,
    responses(
        (status = 200, description = "Rejected", body = SuggestionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/suggestions/{id}/reject")]
pub async fn reject_suggestion(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<Reason>,
) -> ApiResult<web::Json<SuggestionJson>> {
    Ok(web::Json(service::reject(&state, &staff, &request_id, id.into_inner(), &body.reason).await?))
}
