//! Handlers for operators. None of them needs credentials; none of them reveals personal data.

use actix_web::http::header::ContentType;
use actix_web::{get, web, HttpResponse};

use super::json::Health;
use super::service;
use crate::error::ApiResult;
use crate::state::AppState;

/// Outside `/api/v1`, without credentials or a rate limit.
pub fn operations(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_liveness).service(get_readiness).service(get_metrics).service(get_open_api_document);
}

/// Liveness: the process is up and serving.
#[utoipa::path(
    operation_id = "getLiveness",
    tag = "operations",
    responses((status = 200, description = "Alive", body = Health))
)]
#[get("/health/live")]
pub async fn get_liveness() -> web::Json<Health> {
    web::Json(Health { status: "ok", rate_limits: None })
}

/// Readiness: the database answers and the instance is not stopping. 503 while the database does
/// not answer (200 again as soon as it does), and from the moment the instance is asked to stop.
/// A shared rate-limit store (Redis) that does not answer is not a reason to stop sending
/// traffic (every instance would be pulled out at once): the answer stays 200, says `degraded`,
/// and `rate_limits` tells how limits are counted meanwhile.
#[utoipa::path(
    operation_id = "getReadiness",
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
#[get("/health/ready")]
pub async fn get_readiness(state: web::Data<AppState>) -> ApiResult<web::Json<Health>> {
    Ok(web::Json(service::readiness(&state).await?))
}

/// Prometheus metrics: request counts and latency histograms per route, method and status,
/// and the database pool's gauges.
#[utoipa::path(
    operation_id = "getMetrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn get_metrics(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let text = service::metrics(&state)?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(text))
}

/// This document, generated from the code (OpenAPI 3.1).
#[utoipa::path(
    operation_id = "getOpenApiDocument",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", body = Object))
)]
#[get("/openapi.json")]
pub async fn get_open_api_document(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header(ContentType::json()).body(state.openapi_json.clone())
}
