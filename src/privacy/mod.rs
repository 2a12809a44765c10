//! A person's data, found by their email address: access (everything stored about them, as one
//! document) and erasure (their address, names and what they wrote about themselves leave every
//! table; the records the Alliance keeps stay, anonymised). Admin only. The README's "Erasure and
//! access" says what stays and why.

pub mod json;
pub mod mentions;
pub mod model;
pub mod queries;
pub mod retention;
pub mod routes;
pub mod service;

pub use queries::strip_registrations;
pub use service::erase;

/// What stands where a person's name or a required text was removed.
pub const ERASED: &str = "[erased]";

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::access).service(routes::erasure);
}
