//! Partner institutions and their API keys; the rate limits of public reads.

pub mod json;
pub mod keys;
pub mod limits;
pub mod model;
pub mod queries;
pub mod routes;

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::list)
        .service(routes::create)
        .service(routes::get)
        .service(routes::replace)
        .service(routes::list_keys)
        .service(routes::issue_key)
        .service(routes::revoke_key);
}
