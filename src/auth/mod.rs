//! Staff authentication: passwords, JWT access tokens, rotating refresh tokens, extractors.

pub mod extract;
pub mod json;
pub mod jwt;
pub mod password;
pub mod queries;
pub mod role;
pub mod routes;
pub mod throttle;
pub mod tokens;

pub use extract::{Admin, Staff, StaffUser};
pub use role::Role;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::login).service(routes::refresh).service(routes::logout).service(routes::me);
}
