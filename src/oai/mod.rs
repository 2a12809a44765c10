//! OAI-PMH 2.0 (`GET` and `POST /oai`): the published library for harvesters, in Dublin Core.

pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
