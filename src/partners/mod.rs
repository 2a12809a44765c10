//! Partner institutions and their API keys; the rate limits of public reads.

pub fn configure_admin(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
