//! Operations: liveness, readiness, Prometheus metrics and the served OpenAPI document.

pub mod routes;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::live).service(routes::ready).service(routes::metrics).service(routes::openapi_json);
}
