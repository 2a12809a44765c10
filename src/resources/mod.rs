//! The Social Mission Resource Library: published resources for everyone, curation for editors.

pub mod index;
pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod search;
pub mod seed;

pub fn configure_public(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `spotlight`, `changes`, `export` and `feed.atom` are registered before `{key}` so the words
    // are never read as slugs.
    cfg.service(routes::public::list_resources)
        .service(routes::public::spotlight)
        .configure(crate::sync::configure)
        .configure(crate::citations::configure)
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
