//! Wire types of OAI-PMH's HTTP side: the arguments as the API document describes them (the
//! protocol's own document is written by `xml`) and the 415 for a `POST` that is not a form.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{Problem, ProblemType};

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
#[schema(example = json!({
    "verb": "ListRecords",
    "metadataPrefix": "oai_dc",
    "from": "2026-01-01",
    "set": "domain:community-engagement"
}))]
#[allow(dead_code)] // only its derived documentation is used
pub struct OaiArguments {
    /// The request: `Identify`, `ListMetadataFormats`, `ListSets`, `ListIdentifiers`,
    /// `ListRecords` or `GetRecord`.
    #[param(inline, example = "ListRecords")]
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

/// A `POST /oai` whose body is not a form.
#[derive(Debug, thiserror::Error)]
#[error("the body is not a form")]
pub struct NotAForm;

impl ResponseError for NotAForm {
    fn status_code(&self) -> StatusCode {
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    }

    fn error_response(&self) -> HttpResponse {
        let problem = Problem::new(
            ProblemType::UnsupportedMediaType,
            "send the OAI-PMH arguments as `Content-Type: application/x-www-form-urlencoded`",
        );
        problem.response().body(problem.body())
    }
}
