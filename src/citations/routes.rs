//! `GET /resources/{key}/citation` and `GET /resources/feed.atom` (`public_reads`).

use actix_web::http::header;
use actix_web::{get, web, HttpRequest};

use super::json::{CitationError, CitationQuery, CslItem, Representation};
use super::service;
use crate::error::{ApiResult, Problem, ProblemType};
use crate::extract::ValidQuery;
use crate::resources::service::Library;
use crate::state::AppState;

/// Mounted inside `/api/v1` before the library's `GET /resources/{key}`, so `feed.atom` is
/// never read as a slug.
pub fn public_reads(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_resource_feed).service(get_resource_citation);
}

/// A citation of a published resource, as CSL-JSON, BibTeX or RIS.
///
/// `format` chooses; without it, `Accept` does: `application/vnd.citationstyles.csl+json`
/// (also `application/json`), `application/x-bibtex` or `application/x-research-info-systems`,
/// by `q`. No `Accept` or `*/*` gives CSL-JSON; an `Accept` naming none of them is a 406.
/// A peer-reviewed article with its journal is cited as a journal article (`@article`, `JOUR`,
/// `article-journal`); anything else with a URL as a web page (`@misc` with the URL and the
/// date the library last checked it, `ELEC`, `webpage`); the rest as a document (`@misc`, `GEN`,
/// `document`). Authors stored as "Ada Lovelace" or "Lovelace, Ada" are split into family and
/// given names; organisations are kept whole.
#[utoipa::path(
    operation_id = "getResourceCitation",
    extensions(("x-problems" = json!([ProblemType::NotAcceptable]))),
    tag = "library",
    params(
        ("key" = String, Path, description = "The resource's id or slug",
            example = "an-advocacy-toolkit-for-medical-students"),
        CitationQuery,
    ),
    responses(
        (status = 200, description = "The citation, in the format asked for (UTF-8)",
            content(
                (Vec<CslItem> = "application/vnd.citationstyles.csl+json"),
                (String = "application/x-bibtex", example = "@article{lovelace2020community,\n  author = {Lovelace, Ada},\n  title = {{Community} health},\n  journal = {Academic Medicine},\n  year = {2020}\n}\n"),
                (String = "application/x-research-info-systems", example = "TY  - JOUR\r\nAU  - Lovelace, Ada\r\nTI  - Community health\r\nER  - \r\n"),
            ),
            headers(
                ("ETag" = String), ("Cache-Control" = String),
                ("Content-Disposition" = String, description = "`inline; filename=\"<slug>.json|.bib|.ris\"`"),
                ("Vary" = String, description = "`Accept`: the format may be chosen by it"),
            )),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 404, response = crate::openapi::NotFound),
        (status = 406, description = "`Accept` names none of the citation formats (and no `format` was given)",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources/{key}/citation")]
pub async fn get_resource_citation(
    state: web::Data<AppState>,
    library: web::Data<Library>,
    req: HttpRequest,
    key: web::Path<String>,
    ValidQuery(query): ValidQuery<CitationQuery>,
) -> Result<Representation, CitationError> {
    let accept = req.headers().get_all(header::ACCEPT).map(|v| v.to_str()).collect::<Result<Vec<_>, _>>().ok();
    let format = service::choose_format(query.format, accept)?;
    Ok(service::citation(&state, &library, &key, format, query.format.is_none()).await?)
}

/// The 50 most recently published resources as an Atom 1.0 feed.
///
/// Each entry's id is `urn:uuid:<resource id>`; it links to the resource's page on the website
/// (`alternate`, HTML), to its record in this API (`alternate`, JSON) and to the resource itself
/// (`related`), and carries the authors, the summary and the resource type, domains, topics and
/// professions as categories (scheme `…/api/v1/taxonomy#<vocabulary>`, term the slug).
#[utoipa::path(
    operation_id = "getResourceFeed",
    tag = "library",
    responses(
        (status = 200, description = "An Atom 1.0 feed (UTF-8)", body = String, content_type = "application/atom+xml",
            headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
    )
)]
#[get("/resources/feed.atom")]
pub async fn get_resource_feed(state: web::Data<AppState>, library: web::Data<Library>) -> ApiResult<Representation> {
    service::feed(&state, &library).await
}
