//! `GET /resources/{key}/citation` and `GET /resources/feed.atom`.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest};

use super::json::{csl, CitationFormat, CitationQuery, CslItem};
use super::negotiate::{self, CitationError};
use super::respond::Representation;
use super::work::Work;
use super::{bibtex, feed, queries, ris};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::ValidQuery;
use crate::resources::json::ResourceJson;
use crate::resources::queries as library;
use crate::resources::routes::Terms;
use crate::state::AppState;

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
pub async fn citation(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: web::Path<String>,
    ValidQuery(query): ValidQuery<CitationQuery>,
) -> Result<Representation, CitationError> {
    let format = match query.format {
        Some(format) => format,
        None => {
            // Every `Accept` line counts, as if they were one list; an unreadable one accepts nothing.
            let lines = req.headers().get_all(header::ACCEPT).map(|v| v.to_str()).collect::<Result<Vec<_>, _>>();
            let lines = lines.map_err(|_| CitationError::NotAcceptable)?;
            let accept = (!lines.is_empty()).then(|| lines.join(","));
            negotiate::from_accept(accept.as_deref()).ok_or(CitationError::NotAcceptable)?
        }
    };
    let work = Work::from_resource(&published(&state, &key).await?);
    let body = match format {
        CitationFormat::CslJson => {
            serde_json::to_string_pretty(&csl(&work)).map_err(|e| ApiError::Internal(e.into()))?
        }
        CitationFormat::Bibtex => bibtex::write(&work),
        CitationFormat::Ris => ris::write(&work),
    };
    let slug: String = work.slug.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Ok(Representation {
        body,
        content_type: format.content_type(),
        filename: Some(format!("{slug}.{}", format.extension())),
        vary_accept: query.format.is_none(),
    })
}

/// A published resource by id or slug, from the card cache when it holds it (as
/// `GET /resources/{key}` reads it).
async fn published(state: &AppState, key: &str) -> ApiResult<ResourceJson> {
    let generation = state.library.generation();
    if let Some(json) = generation.and_then(|g| state.library.cached_by_key(key, g)) {
        return Ok((*json).clone());
    }
    let mut conn = state.pool.get().await?;
    let card = library::published_card(&mut conn, key).await?.ok_or_else(|| ApiError::not_found("resource"))?;
    let json = Terms::current(state, &mut conn).await?.card_json(card);
    if let Some(g) = generation {
        state.library.remember(g, Some(key), Arc::new(json.clone()));
    }
    Ok(json)
}

/// The 50 most recently published resources as an Atom 1.0 feed.
///
/// Each entry's id is `urn:uuid:<resource id>`; it links to the resource's page on the website
/// (`alternate`, HTML), to its record in this API (`alternate`, JSON) and to the resource itself
/// (`related`), and carries the authors, the summary and the resource type, domains, topics and
/// professions as categories (scheme `…/api/v1/taxonomy#<vocabulary>`, term the slug).
#[utoipa::path(
    tag = "library",
    responses(
        (status = 200, description = "An Atom 1.0 feed (UTF-8)", body = String, content_type = "application/atom+xml",
            headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
    )
)]
#[get("/resources/feed.atom")]
pub async fn atom_feed(state: web::Data<AppState>) -> ApiResult<Representation> {
    let mut conn = state.pool.get().await?;
    let cards = queries::latest_published(&mut conn, feed::ENTRIES).await?;
    let terms = Terms::current(&state, &mut conn).await?;
    let resources: Vec<ResourceJson> = cards.into_iter().map(|card| terms.card_json(card)).collect();
    let body = feed::atom(&state.config, &resources).map_err(|e| ApiError::Internal(e.context("writing the feed")))?;
    Ok(Representation { body, content_type: feed::CONTENT_TYPE, filename: None, vary_accept: false })
}
