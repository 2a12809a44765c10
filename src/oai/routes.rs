//! `GET /oai` and `POST /oai` (arguments as a form body): the same protocol either way
//! (`public_reads`).

use actix_web::http::header::{self, HeaderMap};
use actix_web::{get, post, web, HttpRequest};
use futures_util::StreamExt;

use super::json::{NotAForm, OaiArguments};
use super::{args, service, xml::Xml};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub fn public_reads(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(harvest_oai_pmh).service(harvest_oai_pmh_by_post);
}

/// OAI-PMH 2.0: the library for harvesters, in Dublin Core.
///
/// Verbs: `Identify`, `ListMetadataFormats` (`oai_dc`), `ListSets` (resource types, domains and
/// topics), `ListIdentifiers`, `ListRecords` and `GetRecord`; `POST /oai` takes the same
/// arguments as a form. Identifiers are `oai:<host of the public URL>:<resource id>`; datestamps
/// are the time (UTC, to the second) of a resource's latest change; resources that were
/// unpublished or deleted stay as records with `status="deleted"` headers. Lists come in pages
/// with resumption tokens (`completeListSize`, `cursor`, `expirationDate`). Protocol errors
/// (`badVerb`, `badArgument`, `cannotDisseminateFormat`, `idDoesNotExist`, `noRecordsMatch`,
/// `badResumptionToken`, `noSetHierarchy`) are `error` elements of a 200 response, as the
/// protocol requires.
#[utoipa::path(
    operation_id = "harvestOaiPmh",
    tag = "partners",
    params(OaiArguments),
    responses(
        (status = 200, description = "An OAI-PMH response document (valid against OAI-PMH.xsd); protocol errors included",
            body = String, content_type = "text/xml"),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
#[get("/oai")]
pub async fn harvest_oai_pmh(state: web::Data<AppState>, req: HttpRequest) -> Result<Xml, ApiError> {
    service::answer(&state, args::pairs(req.query_string().as_bytes())).await
}

/// OAI-PMH 2.0, the arguments as a form.
///
/// The same as `GET /oai`, with the arguments in an `application/x-www-form-urlencoded` body.
#[utoipa::path(
    operation_id = "harvestOaiPmhByPost",
    tag = "partners",
    request_body(content = OaiArguments, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An OAI-PMH response document (valid against OAI-PMH.xsd); protocol errors included",
            body = String, content_type = "text/xml"),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 415, description = "The body was not sent as `application/x-www-form-urlencoded`",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
#[post("/oai")]
pub async fn harvest_oai_pmh_by_post(
    state: web::Data<AppState>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<Xml, actix_web::Error> {
    if !is_form(req.headers()) {
        return Err(NotAForm.into());
    }
    let limit = state.config.body_limit_bytes;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(limit).into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(service::answer(&state, args::pairs(&body)).await?)
}

/// A form, or no `Content-Type` at all (as some harvesters send).
fn is_form(headers: &HeaderMap) -> bool {
    match headers.get(header::CONTENT_TYPE) {
        None => true,
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.essence_str() == mime::APPLICATION_WWW_FORM_URLENCODED.essence_str()),
    }
}
