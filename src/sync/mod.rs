//! Partners' pulls of the whole library: the exact change feed and the bulk export.

pub mod json;
pub mod queries;
pub mod routes;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::changes).service(routes::export);
}
