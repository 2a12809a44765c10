//! Resource suggestions: visitors propose a resource; editors accept it (it becomes a draft
//! resource, linked both ways) or reject it with a reason.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::submit);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::list).service(routes::get).service(routes::accept).service(routes::reject);
}
