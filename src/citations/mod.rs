//! Citations of a resource (BibTeX, RIS, CSL-JSON) and the Atom feed of the latest resources.

pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
