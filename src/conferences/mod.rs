//! The annual conference: editions with their calendar, lodging, awards and agenda; registration
//! types and registrations that never oversell; calls for proposals and their review.

pub mod model;
pub mod proposals;
pub mod queries;
pub mod time;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(proposals::configure_public);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(proposals::configure_admin);
}
