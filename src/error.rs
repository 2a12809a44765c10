//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.
//! A 500 never carries its cause to the client: the cause is logged inside the request's span,
//! which carries the request id.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::problems::ProblemType;

/// Why a field was refused: a stable code to branch on or translate (the `message` is English
/// for people). Every code the service answers is listed here; a new one is added to this enum
/// (and so to the document) or not at all.
///
/// - `required`: a required field or parameter is missing (or blank).
/// - `unknown_field`: the body names a field this request does not have.
/// - `invalid_type`: the value has the wrong JSON type (a number for a string, a string for a list…).
/// - `invalid_number`: a query parameter that must be a whole number is not one.
/// - `invalid_choice`: the value is not one of the allowed words; the message lists them.
/// - `invalid_value`: the value has the right type but cannot be read (a malformed date or id, a negative count…).
/// - `invalid_character`: text holds a NUL character.
/// - `invalid_length`: too short or too long (characters, or items of a list).
/// - `out_of_range`: a number or date outside its allowed range, or out of order with another field.
/// - `invalid_email`: not a valid email address.
/// - `invalid_url`: not a valid http(s) URL.
/// - `invalid_slug`: not a slug (lower-case letters and digits joined by single hyphens), or a reserved one.
/// - `invalid_doi`: not a DOI of the form `10.1234/abc`.
/// - `invalid_currency`: not an ISO 4217 currency code.
/// - `invalid_time_zone`: not an IANA time zone name.
/// - `nonexistent_time`: a local time that does not exist in the time zone (a daylight-saving gap).
/// - `not_after_start`: an end that is not after its start.
/// - `consent_required`: a consent that must be given (`true`) was not.
/// - `unknown_value`: a slug or id that names no active value here (a vocabulary value, a registration type, a call).
/// - `invalid_token`: a token or link that is not valid (wrong or already used).
/// - `expired_token`: a link's token that was valid but has expired; the message says how to get a new one.
/// - `invalid_cursor`: a feed cursor this service did not give out.
/// - `too_many_words`: more words than the limit.
/// - `key_reused`: an `Idempotency-Key` sent again with a different body.
/// - `invalid`: any other invalid value; the message says why.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    UnknownField,
    InvalidType,
    InvalidNumber,
    InvalidChoice,
    InvalidValue,
    InvalidCharacter,
    InvalidLength,
    OutOfRange,
    InvalidEmail,
    InvalidUrl,
    InvalidSlug,
    InvalidDoi,
    InvalidCurrency,
    InvalidTimeZone,
    NonexistentTime,
    NotAfterStart,
    ConsentRequired,
    UnknownValue,
    InvalidToken,
    ExpiredToken,
    InvalidCursor,
    TooManyWords,
    KeyReused,
    Invalid,
}

impl FieldCode {
    /// The code of a `validator` error: its built-in rules' names and our own rules' codes.
    pub fn from_rule(code: &str) -> Self {
        match code {
            "required" => Self::Required,
            "email" | "invalid_email" => Self::InvalidEmail,
            "url" | "invalid_url" => Self::InvalidUrl,
            "length" | "invalid_length" => Self::InvalidLength,
            "range" | "out_of_range" => Self::OutOfRange,
            "invalid_slug" => Self::InvalidSlug,
            "invalid_doi" => Self::InvalidDoi,
            "invalid_currency" => Self::InvalidCurrency,
            "consent_required" => Self::ConsentRequired,
            "not_after_start" => Self::NotAfterStart,
            "too_many_words" => Self::TooManyWords,
            "unknown_value" => Self::UnknownValue,
            "invalid_token" => Self::InvalidToken,
            "expired_token" => Self::ExpiredToken,
            "invalid_cursor" => Self::InvalidCursor,
            "invalid_time_zone" => Self::InvalidTimeZone,
            "nonexistent_time" => Self::NonexistentTime,
            "key_reused" => Self::KeyReused,
            _ => Self::Invalid,
        }
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
#[schema(example = json!({"field": "email", "code": "invalid_email", "message": "must be a valid email address"}))]
pub struct FieldError {
    /// The field or query parameter, as a dotted path for nested values (`domains[1]`).
    #[schema(example = "email")]
    pub field: String,
    /// A stable machine-readable code.
    #[schema(example = "invalid_email")]
    pub code: FieldCode,
    /// A sentence for people.
    #[schema(example = "must be a valid email address")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation-failed",
    "title": "Invalid fields",
    "status": 422,
    "detail": "the request has 1 invalid field",
    "errors": [{"field": "email", "code": "invalid_email", "message": "must be a valid email address"}]
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: ProblemType,
    /// A short summary of the problem type, the same for every occurrence.
    #[schema(example = "Invalid fields")]
    pub title: String,
    /// The HTTP status code of the answer.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong this time, in English for people; do not parse it.
    #[schema(example = "the request has 1 invalid field")]
    pub detail: String,
    /// One entry per invalid field (422 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl Problem {
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> Self {
        Self {
            type_: kind,
            title: kind.title().to_string(),
            status: kind.status(),
            detail: detail.into(),
            errors: None,
        }
    }

    /// The start of this problem's answer: its status, `application/problem+json`, and its type
    /// kept in the response's extensions, where the route policy counts it (`sma_problems_total`).
    pub fn response(&self) -> HttpResponseBuilder {
        let mut response =
            HttpResponse::build(StatusCode::from_u16(self.status).expect("the catalogue's statuses are valid"));
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        response.extensions_mut().insert(self.type_);
        response
    }

    /// The answer's body.
    pub fn body(&self) -> String {
        serde_json::to_string(self).expect("a problem always serialises")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A request the service understood and refuses by one of its rules (a 401, 403, 404 or 409
    /// of the catalogue): the type says which rule, the text says why this time.
    #[error("refused ({0:?}): {1}")]
    Refused(ProblemType, String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method {0} not allowed")]
    MethodNotAllowed(String),
    #[error("payload too large")]
    PayloadTooLarge(usize),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A spent budget: `kind` is one of the catalogue's 429 types.
    #[error("too many requests")]
    TooManyRequests { kind: ProblemType, retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("{what} not found"))
    }

    pub fn invalid(field: &str, code: FieldCode, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A refusal by the rule `kind`, with this occurrence's explanation.
    pub fn refused(kind: ProblemType, detail: impl Into<String>) -> Self {
        Self::Refused(kind, detail.into())
    }

    /// The catalogue's type of this error.
    pub fn problem_type(&self) -> ProblemType {
        match self {
            Self::Validation(_) => ProblemType::ValidationFailed,
            Self::BadRequest(_) => ProblemType::BadRequest,
            Self::Refused(kind, _) | Self::TooManyRequests { kind, .. } => *kind,
            Self::NotFound(_) => ProblemType::NotFound,
            Self::MethodNotAllowed(_) => ProblemType::MethodNotAllowed,
            Self::PayloadTooLarge(_) => ProblemType::PayloadTooLarge,
            Self::UnsupportedMediaType => ProblemType::UnsupportedMediaType,
            Self::Unavailable(_) => ProblemType::Unavailable,
            Self::Internal(_) => ProblemType::InternalError,
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::Validation(errors) if errors.len() == 1 => "the request has 1 invalid field".into(),
            Self::Validation(errors) => format!("the request has {} invalid fields", errors.len()),
            Self::BadRequest(d) | Self::Refused(_, d) | Self::NotFound(d) | Self::Unavailable(d) => d.clone(),
            Self::MethodNotAllowed(m) => format!("this path does not accept {m}; see the Allow header"),
            Self::PayloadTooLarge(limit) => format!("the request body is larger than the limit of {limit} bytes"),
            Self::UnsupportedMediaType => "the request body must be sent as `Content-Type: application/json`".into(),
            Self::TooManyRequests { retry_after_secs, .. } => {
                format!("too many requests: try again in {retry_after_secs} seconds")
            }
            Self::Internal(_) => "an unexpected error occurred; quote the X-Request-Id header when reporting it".into(),
        }
    }

    pub fn problem(&self) -> Problem {
        let mut problem = Problem::new(self.problem_type(), self.detail());
        if let Self::Validation(errors) = self {
            problem.errors = Some(errors.clone());
        }
        problem
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem_type().status()).expect("the catalogue's statuses are valid")
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            // `{:#}` prints anyhow's whole chain of causes; this runs inside the request's span.
            Self::Internal(cause) => tracing::error!(error = format!("{cause:#}"), "request failed"),
            Self::Unavailable(why) => tracing::warn!(reason = %why, "service unavailable"),
            _ => {}
        }
        let problem = self.problem();
        let mut response = problem.response();
        match self {
            Self::Refused(kind, _) if kind.status() == 401 => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::TooManyRequests { retry_after_secs, .. } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response.body(problem.body())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::not_found("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let what = info.constraint_name().unwrap_or("a unique key").to_string();
                tracing::info!(constraint = %what, "unique violation");
                // A race the handler's own check could not see: name the rule where the index says it.
                let (kind, detail) = match what.as_str() {
                    "users_email_key" => (ProblemType::EmailTaken, "a user with this email already exists"),
                    "registrations_one_per_person" => {
                        (ProblemType::AlreadyRegistered, "this email is already registered for the edition")
                    }
                    slug if slug.ends_with("slug_key") => (ProblemType::SlugTaken, "another record has this slug"),
                    "registration_types_conference_id_name_key" => {
                        (ProblemType::NameTaken, "the edition already has a registration type of this name")
                    }
                    _ => (ProblemType::Duplicate, "a record with the same unique value already exists"),
                };
                Self::refused(kind, detail)
            }
            // `DATABASE_STATEMENT_TIMEOUT_MS` ran out (SQLSTATE 57014): the request asked too much
            // of the database, or it is overloaded; either way a retry later may succeed.
            other if crate::db::is_cancelled(&other) => {
                tracing::warn!(error = %other, "a query was cancelled");
                Self::Unavailable("the request took too long; try again later, or ask for less at once".into())
            }
            other => Self::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        tracing::warn!(error = %e, "no database connection available");
        Self::Unavailable("the database is unavailable; try again shortly".into())
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        Self::Validation(crate::extract::json::field_errors(&errors))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
