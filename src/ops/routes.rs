//! Handlers for operators. None of them needs credentials; none of them reveals personal data.

use actix_web::http::header::ContentType;
use actix_web::{get, web, HttpResponse};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: the process is up and serving.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = Health)))]
#[get("/health/live")]
pub async fn live() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Readiness: the database answers and the instance is not stopping. 503 while the database does
/// not answer (200 again as soon as it does), and from the moment the instance is asked to stop.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<web::Json<Health>> {
    if state.is_stopping() {
        return Err(ApiError::Unavailable("the instance is stopping".into()));
    }
    let mut conn = state.pool.get().await?;
    diesel::sql_query("SELECT 1").execute(&mut conn).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness query failed");
        ApiError::Unavailable("the database is unavailable".into())
    })?;
    Ok(web::Json(Health { status: "ok" }))
}

/// Prometheus metrics: request counts and latency histograms per route, method and status,
/// and the database pool's gauges.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let text = state.metrics.render(&state.pool).map_err(ApiError::Internal)?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(text))
}

/// This document, generated from the code (OpenAPI 3.1).
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", body = Object))
)]
#[get("/openapi.json")]
pub async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header(ContentType::json()).body(state.openapi_json.clone())
}
