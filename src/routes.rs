//! The one route list. It builds both the actix router and the OpenAPI document, so a route
//! cannot exist without its documentation.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    audit, auth, champions, citations, conferences, newsletter, oai, ops, partners, privacy, resources, suggestions,
    sync, taxonomy, users,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(ops::configure).configure(oai::routes::public_reads).service(
        scope("/api/v1")
            .configure(auth::configure)
            // Sync's and citations' `/resources/changes`, `/export`, `/feed.atom` before the
            // library's `/resources/{key}`, so the words are never read as slugs.
            .configure(sync::routes::public_reads)
            .configure(citations::routes::public_reads)
            .configure(resources::routes::public_reads)
            .configure(taxonomy::routes::public_reads)
            .configure(suggestions::routes::public_forms)
            .configure(champions::configure_public)
            .configure(newsletter::configure_public)
            .configure(conferences::configure_public)
            .service(
                scope("/admin")
                    .configure(users::configure)
                    .configure(audit::configure)
                    .configure(resources::routes::staff)
                    .configure(taxonomy::routes::staff)
                    .configure(suggestions::routes::staff)
                    .configure(champions::configure_admin)
                    .configure(newsletter::configure_admin)
                    .configure(conferences::configure_admin)
                    .configure(partners::configure_admin)
                    .configure(privacy::configure),
            ),
    );
}
