//! The Social Mission Resource Library: published resources for everyone, curation for editors.

pub mod index;
pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `spotlight` is registered before `{key}` so the word is never read as a slug.
    cfg.service(routes::public::list_resources)
        .service(routes::public::spotlight)
        .service(routes::public::get_resource);
}

pub fn configure_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    use routes::admin::*;
    cfg.service(list_resources)
        .service(create_resource)
        .service(get_resource)
        .service(update_resource)
        .service(delete_resource)
        .service(publish)
        .service(unpublish)
        .service(archive)
        .service(spotlight);
}
