//! Registering, and one's own registration by code and token, for attendees; the registrations
//! and registration types of an edition for staff. Thin handlers: the rules are in `service`.

use actix_web::{delete, get, patch, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::json::{
    PaymentUpdate, RegistrationExportQuery, RegistrationInput, RegistrationJson, RegistrationListQuery,
    RegistrationReceipt, RegistrationTypeInput, TokenQuery,
};
use super::service;
use crate::auth::{Admin, Staff};
use crate::editions::json::RegistrationTypeJson;
use crate::error::{ApiResult, ProblemType};
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::respond::{Created, Csv};
use crate::extract::{Idempotency, PageRequest, Paginated, Stored, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type RegistrationPage = Paginated<RegistrationJson>;

/// Anonymous POSTs: registering.
pub fn public_forms(cfg: &mut ServiceConfig) {
    cfg.service(register_for_conference);
}

/// Under `/admin`, for admins: the export of registrations (people's addresses).
pub fn admins(cfg: &mut ServiceConfig) {
    cfg.service(export_registrations);
}

/// One's own registration, by its code and manage token.
pub fn token_links(cfg: &mut ServiceConfig) {
    cfg.service(get_own_registration).service(cancel_own_registration);
}

/// Under `/admin`: registration types and registrations.
pub fn staff(cfg: &mut ServiceConfig) {
    cfg.service(create_registration_type)
        .service(replace_registration_type)
        .service(list_registrations)
        .service(check_in_registration)
        .service(set_registration_payment)
        .service(cancel_registration);
}

/// Register for an edition.
///
/// Answers 201 with status `confirmed` and a confirmation code, or `waitlisted` with a place on
/// the type's waiting list when its seats are taken; seats go in the order requests arrive and
/// never exceed the capacity. `manage_token` (shown once, also emailed) with the code reads or
/// cancels the registration. One registration per email and edition: a second is a 409. Outside
/// the type's sales window, or for an edition that is not published, a 409 says why.
#[utoipa::path(
    operation_id = "registerForConference",
    extensions(("x-problems" = json!([ProblemType::ConferenceNotOpen, ProblemType::SalesNotStarted, ProblemType::SalesEnded, ProblemType::AlreadyRegistered]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), IdempotencyHeader),
    request_body = RegistrationInput,
    responses(
        (status = 201, description = "Registered (`confirmed` or `waitlisted`)", body = RegistrationReceipt, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/registrations")]
pub async fn register_for_conference(
    state: web::Data<AppState>,
    post: Idempotency,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<RegistrationInput>,
) -> ApiResult<Stored> {
    service::register(&state, &post, &slug, input).await
}

/// One's own registration, by its code and the token sent with it.
#[utoipa::path(
    operation_id = "getOwnRegistration",
    tag = "conference",
    params(("code" = String, Path, description = "The registration's confirmation code"), TokenQuery),
    responses(
        (status = 200, description = "The registration", body = RegistrationJson, headers(("Cache-Control" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/registrations/{code}")]
pub async fn get_own_registration(
    state: web::Data<AppState>,
    code: web::Path<String>,
    ValidQuery(q): ValidQuery<TokenQuery>,
) -> ApiResult<web::Json<RegistrationJson>> {
    Ok(web::Json(service::get_own(&state, &code, &q.token).await?))
}

/// Cancel one's own registration: its seat goes to the first on the waiting list, who is emailed.
#[utoipa::path(
    operation_id = "cancelOwnRegistration",
    extensions(("x-problems" = json!([ProblemType::AlreadyCancelled]))),
    tag = "conference",
    params(("code" = String, Path, description = "The registration's confirmation code"), TokenQuery),
    responses(
        (status = 200, description = "Cancelled", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[delete("/registrations/{code}")]
pub async fn cancel_own_registration(
    state: web::Data<AppState>,
    code: web::Path<String>,
    ValidQuery(q): ValidQuery<TokenQuery>,
) -> ApiResult<web::Json<RegistrationJson>> {
    Ok(web::Json(service::cancel_own(&state, &code, &q.token).await?))
}

/// An edition's registrations, in the order people registered.
#[utoipa::path(
    operation_id = "listRegistrations",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), RegistrationListQuery),
    responses(
        (status = 200, description = "A page of registrations", body = RegistrationPage, headers(("Link" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/conferences/{slug}/registrations")]
pub async fn list_registrations(
    state: web::Data<AppState>,
    _staff: Staff,
    slug: web::Path<String>,
    ValidQuery(q): ValidQuery<RegistrationListQuery>,
) -> ApiResult<Paginated<RegistrationJson>> {
    let page = PageRequest::new(q.page, q.per_page);
    let (data, total) = service::list(&state, &slug, &q, page).await?;
    Ok(Paginated::new(data, total, page))
}

/// An edition's registrations as CSV (RFC 4180, UTF-8), for the desk and the caterers; in the audit log.
#[utoipa::path(
    operation_id = "exportRegistrations",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), RegistrationExportQuery),
    responses(
        (status = 200, description = "The registrations", content_type = "text/csv", body = String, headers(("Content-Disposition" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/conferences/{slug}/registrations/export")]
pub async fn export_registrations(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidQuery(q): ValidQuery<RegistrationExportQuery>,
) -> ApiResult<Csv> {
    service::export(&state, &admin, &request_id, &slug, q).await
}

/// Check an attendee in at the desk. Only once: a second check-in is a 409 saying when the first was.
#[utoipa::path(
    operation_id = "checkInRegistration",
    extensions(("x-problems" = json!([ProblemType::AlreadyCheckedIn, ProblemType::RegistrationNotConfirmed]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("code" = String, Path, description = "The registration's confirmation code")),
    responses(
        (status = 200, description = "Checked in", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/conferences/{slug}/registrations/{code}/check-in")]
pub async fn check_in_registration(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let (slug, code) = path.into_inner();
    Ok(web::Json(service::check_in(&state, &staff, &request_id, &slug, &code).await?))
}

/// Set the payment status (unpaid, paid, waived); there is no payment processor.
#[utoipa::path(
    operation_id = "setRegistrationPayment",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("code" = String, Path, description = "The registration's confirmation code")),
    request_body = PaymentUpdate,
    responses(
        (status = 200, description = "Updated", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/conferences/{slug}/registrations/{code}")]
pub async fn set_registration_payment(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, String)>,
    ValidJson(body): ValidJson<PaymentUpdate>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let (slug, code) = path.into_inner();
    Ok(web::Json(service::set_payment(&state, &staff, &request_id, &slug, &code, body).await?))
}

/// Cancel a registration; its seat goes to the first on the waiting list, who is emailed.
#[utoipa::path(
    operation_id = "cancelRegistration",
    extensions(("x-problems" = json!([ProblemType::AlreadyCancelled]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("code" = String, Path, description = "The registration's confirmation code")),
    responses(
        (status = 200, description = "Cancelled", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/conferences/{slug}/registrations/{code}/cancel")]
pub async fn cancel_registration(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let (slug, code) = path.into_inner();
    Ok(web::Json(service::cancel_by_staff(&state, &staff, &request_id, &slug, &code).await?))
}

/// Add a registration type (price in minor units, capacity, sales window).
#[utoipa::path(
    operation_id = "createRegistrationType",
    extensions(("x-problems" = json!([ProblemType::NameTaken]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug")),
    request_body = RegistrationTypeInput,
    responses(
        (status = 201, description = "Added", body = RegistrationTypeJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/registration-types")]
pub async fn create_registration_type(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<RegistrationTypeInput>,
) -> ApiResult<Created<RegistrationTypeJson>> {
    let (slug, body) = service::create_type(&state, &staff, &request_id, &slug, input).await?;
    Ok(Created { location: format!("/api/v1/admin/conferences/{slug}/registration-types/{}", body.id), body })
}

/// Replace a registration type. Its capacity cannot go below the seats taken (409); raising it
/// confirms the first people on its waiting list, in order, and emails them.
#[utoipa::path(
    operation_id = "replaceRegistrationType",
    extensions(("x-problems" = json!([ProblemType::CapacityBelowTaken, ProblemType::NameTaken]))),
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path, description = "The registration type's id")),
    request_body = RegistrationTypeInput,
    responses(
        (status = 200, description = "The registration type", body = RegistrationTypeJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/registration-types/{id}")]
pub async fn replace_registration_type(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(input): ValidJson<RegistrationTypeInput>,
) -> ApiResult<web::Json<RegistrationTypeJson>> {
    let (slug, id) = path.into_inner();
    Ok(web::Json(service::replace_type(&state, &staff, &request_id, &slug, id, input).await?))
}
