//! OAI-PMH 2.0 (`GET` and `POST /oai`): the published library for harvesters, in Dublin Core.
//! Records are the resources the library ever published, datestamped by their latest change in
//! `library_changes`; unpublished and deleted ones stay as deleted records (`persistent`). Sets
//! are the resource types, domains and topics. Resumption tokens are stateless and signed.

mod args;
mod model;
mod queries;
pub mod routes;
mod token;
mod verbs;
mod xml;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::oai_get).service(routes::oai_post);
}
