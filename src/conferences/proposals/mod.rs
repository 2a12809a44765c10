//! Calls for proposals: submissions, reviews and decisions.

pub fn configure_public(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}

pub fn configure_admin(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
