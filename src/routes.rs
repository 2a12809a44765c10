//! The one route list. It builds both the actix router and the OpenAPI document, so a route
//! cannot exist without its documentation.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    audit, champions, conferences, newsletter, oai, ops, partners, privacy, resources, sessions, suggestions, taxonomy,
    users,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(ops::routes::operations).configure(oai::configure).service(
        scope("/api/v1")
            .configure(sessions::routes::sign_in)
            .configure(resources::configure_public)
            .configure(taxonomy::configure_public)
            .configure(suggestions::configure_public)
            .configure(champions::routes::public_forms)
            .configure(champions::routes::token_links)
            .configure(champions::routes::public_reads)
            .configure(newsletter::routes::public_forms)
            .configure(newsletter::routes::token_links)
            .configure(newsletter::routes::one_click)
            .configure(conferences::configure_public)
            .service(
                scope("/admin")
                    .configure(users::routes::staff)
                    .configure(audit::routes::staff)
                    .configure(resources::configure_admin)
                    .configure(taxonomy::configure_admin)
                    .configure(suggestions::configure_admin)
                    .configure(champions::routes::staff)
                    .configure(newsletter::routes::staff)
                    .configure(conferences::configure_admin)
                    .configure(partners::routes::staff)
                    .configure(privacy::routes::staff),
            ),
    );
}
