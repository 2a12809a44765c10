//! The library's four vocabularies: resource types, Social Mission Domains, Topics and Health Professions.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::taxonomy);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::list_terms)
        .service(routes::create_term)
        .service(routes::update_term)
        .service(routes::retire_term);
}
