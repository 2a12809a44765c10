//! Citations of a resource (BibTeX, RIS, CSL-JSON) and the Atom feed of the latest resources.
//!
//! A resource becomes a [`work::Work`] (its kind, key and split author names) and each format
//! writes that: `bibtex` and `ris` by hand (no maintained crate writes them), CSL-JSON with serde
//! (`json`), the feed with `atom_syndication`.

pub mod bibtex;
pub mod feed;
pub mod json;
pub mod name;
pub mod negotiate;
pub mod queries;
pub mod respond;
pub mod ris;
pub mod routes;
pub mod work;

/// Registered inside `/api/v1` before `GET /resources/{key}`, so `feed.atom` is never read as a slug.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::atom_feed).service(routes::citation);
}
