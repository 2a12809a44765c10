//! Calls for proposals: presenters submit to an edition's calls (before the deadline, within the
//! word limit); staff review them (scores and notes, never public), decide (the presenter is
//! emailed) and put accepted ones on the agenda.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::submit);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::list)
        .service(routes::get)
        .service(routes::review)
        .service(routes::set_status)
        .service(routes::schedule);
}
