//! Signup, confirmation and unsubscription for visitors; the subscriber list and export for
//! admins.

use actix_web::{get, post, web, HttpRequest};

use super::json::{
    ExportQuery, OneClickQuery, SubscribeInput, SubscriberJson, SubscriberListQuery, SubscriptionAccepted,
    SubscriptionStatus, TokenInput,
};
use super::service;
use crate::auth::Admin;
use crate::error::{ApiResult, ProblemType};
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::json::read_valid;
use crate::extract::limit::spend;
use crate::extract::respond::Csv;
use crate::extract::{Idempotency, Paginated, Stored, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::ratelimit::Policy;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type SubscriberPage = Paginated<SubscriberJson>;

pub fn public_forms(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(subscribe_to_newsletter);
}

pub fn token_links(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(confirm_newsletter_subscription);
}

pub fn one_click(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(unsubscribe_from_newsletter);
}

pub fn admins(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `export` before `{id}` (privacy's erasure of a subscriber), so the word is never read as an id.
    cfg.service(list_newsletter_subscribers).service(export_newsletter_subscribers);
}

/// Subscribe to the newsletter (double opt-in).
///
/// Always 202, whatever the address's state, so the answer reveals nothing about who is
/// subscribed. A new, pending or unsubscribed address gets a confirmation message (its link works
/// for 7 days; subscribing again sends a new one, at most one a minute); concurrent repeats never
/// make a second subscriber.
#[utoipa::path(
    operation_id = "subscribeToNewsletter",
    tag = "newsletter",
    request_body = SubscribeInput,
    params(IdempotencyHeader),
    responses(
        (status = 202, description = "Accepted", body = SubscriptionAccepted),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/newsletter/subscriptions")]
pub async fn subscribe_to_newsletter(
    state: web::Data<AppState>,
    post: Idempotency,
    ValidJson(input): ValidJson<SubscribeInput>,
) -> ApiResult<Stored> {
    service::subscribe(&state, &post, &input).await
}

/// Confirm a subscription with the token from the confirmation message.
#[utoipa::path(
    operation_id = "confirmNewsletterSubscription",
    tag = "newsletter",
    request_body = TokenInput,
    params(IdempotencyHeader),
    responses(
        (status = 200, description = "Subscribed", body = SubscriptionStatus),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/newsletter/confirm")]
pub async fn confirm_newsletter_subscription(
    state: web::Data<AppState>,
    post: Idempotency,
    ValidJson(input): ValidJson<TokenInput>,
) -> ApiResult<Stored> {
    service::confirm(&state, &post, &input.token).await
}

/// Unsubscribe with the token from any message.
///
/// Takes `{"token": ...}` as JSON, or works as the one-click unsubscribe of RFC 8058: a `POST`
/// to the message's `List-Unsubscribe` link (token in the query) with the form body
/// `List-Unsubscribe=One-Click`. A link from before the person was erased still answers.
///
/// The one-click form is never rate-limited: mail providers send it from a few addresses for
/// many people, and its 256-bit token is what protects it.
#[utoipa::path(
    operation_id = "unsubscribeFromNewsletter",
    extensions(("x-problems" = json!([ProblemType::LinkLimitReached]))),
    tag = "newsletter",
    request_body(content = TokenInput, description = "JSON with the token; or, for one-click, the form `List-Unsubscribe=One-Click` with the token in the query"),
    params(OneClickQuery, IdempotencyHeader),
    responses(
        (status = 200, description = "Unsubscribed", body = SubscriptionStatus),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/newsletter/unsubscribe")]
pub async fn unsubscribe_from_newsletter(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: Idempotency,
    ValidQuery(query): ValidQuery<OneClickQuery>,
    payload: web::Payload,
) -> ApiResult<Stored> {
    let token = match query.token {
        Some(token) => token,
        None => {
            spend(&req, Policy::Tokens).await?;
            read_valid::<TokenInput>(&req, payload.into_inner()).await?.token
        }
    };
    service::unsubscribe(&state, &post, &token).await
}

/// Subscribers, oldest first.
#[utoipa::path(
    operation_id = "listNewsletterSubscribers",
    tag = "newsletter",
    params(SubscriberListQuery),
    responses(
        (status = 200, description = "A page of subscribers", body = SubscriberPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/newsletter/subscribers")]
pub async fn list_newsletter_subscribers(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<SubscriberListQuery>,
) -> ApiResult<Paginated<SubscriberJson>> {
    service::list(&state, &query).await
}

/// Every subscriber (of one status) as CSV (RFC 4180, UTF-8): email, name, status, consent_at,
/// confirmed_at, unsubscribed_at, created_at. Cells that a spreadsheet would read as a formula
/// are prefixed with `'`. The export is in the audit log.
#[utoipa::path(
    operation_id = "exportNewsletterSubscribers",
    tag = "newsletter",
    params(ExportQuery),
    responses(
        (status = 200, description = "The subscribers", content_type = "text/csv", body = String, headers(("Content-Disposition" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/newsletter/subscribers/export")]
pub async fn export_newsletter_subscribers(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidQuery(query): ValidQuery<ExportQuery>,
) -> ApiResult<Csv> {
    service::export(&state, &admin, &request_id, &query).await
}
