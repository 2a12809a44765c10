//! The audit log of every staff write.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;

pub use model::NewAuditEntry;
pub use queries::record;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::list_audit_log);
}
