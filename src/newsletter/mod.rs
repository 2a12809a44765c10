//! The newsletter: double opt-in signups, confirmation and one-click unsubscribe for visitors;
//! the subscriber list, CSV export and erasure for admins.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::subscribe).service(routes::confirm).service(routes::unsubscribe);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `export` before `{id}`, so the word is never read as an id.
    cfg.service(routes::list).service(routes::export).service(routes::erase);
}
