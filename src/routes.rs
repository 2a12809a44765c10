//! The one route list. It builds both the actix router and the OpenAPI document, so a route
//! cannot exist without its documentation.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    audit, auth, champions, editions, newsletter, oai, ops, partners, privacy, proposals, registrations, resources,
    suggestions, taxonomy, users,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(ops::configure).configure(oai::configure).service(
        scope("/api/v1")
            .configure(auth::configure)
            .configure(resources::configure_public)
            .configure(taxonomy::configure_public)
            .configure(suggestions::configure_public)
            .configure(champions::configure_public)
            .configure(newsletter::configure_public)
            .configure(editions::routes::public_reads)
            .configure(registrations::routes::public_forms)
            .configure(registrations::routes::token_links)
            .configure(proposals::routes::public_forms)
            .service(
                scope("/admin")
                    .configure(users::configure)
                    .configure(audit::configure)
                    .configure(resources::configure_admin)
                    .configure(taxonomy::configure_admin)
                    .configure(suggestions::configure_admin)
                    .configure(champions::configure_admin)
                    .configure(newsletter::configure_admin)
                    .configure(editions::routes::staff)
                    .configure(registrations::routes::staff)
                    .configure(proposals::routes::staff)
                    .configure(partners::configure_admin)
                    .configure(privacy::configure),
            ),
    );
}
