//! Staff users: the accounts that sign in to the back office.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::list_users).service(routes::create_user).service(routes::get_user).service(routes::update_user);
}
