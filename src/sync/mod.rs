//! Partners' pulls of the whole library: the exact change feed and the bulk export.

pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
