//! `GET /oai` and `POST /oai` (arguments as a form body): the same protocol either way.

use actix_web::http::header::{self, HeaderMap};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{args, verbs, xml::Xml};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// An OAI-PMH verb. Any other value (or none, or a repeated one) is answered with a `badVerb` error.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)] // only its derived documentation is used
pub enum OaiVerb {
    Identify,
    ListMetadataFormats,
    ListSets,
    ListIdentifiers,
    ListRecords,
    GetRecord,
}

/// The protocol's arguments. Which a verb takes (and requires) is the protocol's: an argument a
/// verb does not take, a missing required one, a repeated one or one of illegal syntax is a
/// `badArgument` error, answered in the XML document with status 200 like every protocol error.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // only its derived documentation is used
pub struct OaiArguments {
    #[param(inline)]
    #[schema(inline)]
    verb: OaiVerb,
    /// `GetRecord` (required), `ListMetadataFormats`: an item's identifier, `oai:<host>:<uuid>`.
    #[param(example = "oai:localhost:0192f0c4-6d3e-7a8b-9c1d-2e3f4a5b6c7d")]
    #[schema(nullable = false)]
    identifier: Option<String>,
    /// `GetRecord`, `ListIdentifiers`, `ListRecords` (required unless resuming): `oai_dc`.
    #[param(example = "oai_dc")]
    #[schema(nullable = false)]
    metadata_prefix: Option<String>,
    /// `ListIdentifiers`, `ListRecords`: records changed at or after this UTC date
    /// (`YYYY-MM-DD`) or second (`YYYY-MM-DDThh:mm:ssZ`).
    #[param(example = "2026-01-01")]
    #[schema(nullable = false)]
    from: Option<String>,
    /// `ListIdentifiers`, `ListRecords`: records changed at or before this date or second (the
    /// same granularity as `from`).
    #[schema(nullable = false)]
    until: Option<String>,
    /// `ListIdentifiers`, `ListRecords`: a set from `ListSets`: `type`, `domain`, `topic`, or
    /// one value of them, such as `domain:community-engagement`.
    #[param(example = "domain:community-engagement")]
    #[schema(nullable = false)]
    set: Option<String>,
    /// `ListIdentifiers`, `ListRecords`: the token of the previous page; sent alone with the verb.
    #[schema(nullable = false)]
    resumption_token: Option<String>,
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
    tag = "library",
    params(OaiArguments),
    responses(
        (status = 200, description = "An OAI-PMH response document (valid against OAI-PMH.xsd); protocol errors included",
            body = String, content_type = "text/xml"),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
#[get("/oai")]
pub async fn oai_get(state: web::Data<AppState>, req: HttpRequest) -> Result<Xml, ApiError> {
    verbs::answer(&state, args::pairs(req.query_string().as_bytes())).await
}

/// OAI-PMH 2.0, the arguments as a form.
///
/// The same as `GET /oai`, with the arguments in an `application/x-www-form-urlencoded` body.
#[utoipa::path(
    tag = "library",
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
pub async fn oai_post(
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
    Ok(verbs::answer(&state, args::pairs(&body)).await?)
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

/// A `POST /oai` whose body is not a form.
#[derive(Debug, thiserror::Error)]
#[error("the body is not a form")]
struct NotAForm;

impl ResponseError for NotAForm {
    fn status_code(&self) -> StatusCode {
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    }

    fn error_response(&self) -> HttpResponse {
        let problem = Problem {
            type_: "/problems/unsupported-media-type".into(),
            title: "Unsupported Media Type".into(),
            status: 415,
            detail: "send the OAI-PMH arguments as `Content-Type: application/x-www-form-urlencoded`".into(),
            errors: None,
        };
        HttpResponse::build(self.status_code())
            .content_type("application/problem+json")
            .body(serde_json::to_string(&problem).expect("a problem always serialises"))
    }
}
