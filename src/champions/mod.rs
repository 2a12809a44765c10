//! Champion nominations and the Champion Spotlight. Anyone may nominate a person (or themselves);
//! editors approve a nomination into a published spotlight, which shows only what the nominee
//! agreed to show. Every nominee (self-nominations too) is asked through a link emailed to them, and nothing about them is
//! published until they agree.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    use routes::{nominations, spotlights};
    cfg.service(nominations::nominate)
        .service(nominations::answer_consent)
        .service(spotlights::list_public)
        .service(spotlights::get_public);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    use routes::{nominations, spotlights};
    cfg.service(nominations::list)
        .service(nominations::get)
        .service(nominations::approve)
        .service(nominations::request_consent)
        .service(nominations::reject)
        .service(spotlights::list_admin)
        .service(spotlights::get_admin)
        .service(spotlights::update)
        .service(spotlights::publish)
        .service(spotlights::unpublish);
}
