//! `ValidQuery<T>`: query-string parameters with 422s that name the parameter.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::{ApiError, FieldError};

pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned + Validate> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(ValidQuery))
    }
}

pub fn parse_query<T: DeserializeOwned + Validate>(query: &str) -> Result<T, ApiError> {
    // PostgreSQL cannot store or compare text holding NUL.
    if let Some((key, _)) = form_urlencoded_parse(query).find(|(k, v)| k.contains('\0') || v.contains('\0')) {
        return Err(ApiError::Validation(vec![crate::extract::json::nul_error(key.replace('\0', ""))]));
    }
    // serde_html_form reads repeated keys (`domain=a&domain=b`) into a Vec.
    let de = serde_html_form::Deserializer::from_bytes(query.as_bytes());
    let value: T = serde_path_to_error::deserialize(de).map_err(|err| {
        let mut field = err.path().to_string();
        let message = err.into_inner().to_string();
        let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next()).map(str::to_string);
        let (code, text) = if let Some(name) = missing {
            field = name;
            ("required", "is required".to_string())
        } else if message.contains("invalid digit") || message.contains("invalid type") {
            ("invalid_number", "must be a whole number".to_string())
        } else if message.contains("number too large") {
            ("out_of_range", "is too large".to_string())
        } else if let Some((_, expected)) = message.split_once(", expected ") {
            ("invalid_choice", format!("must be one of {}", expected.trim_start_matches("one of ")))
        } else {
            ("invalid", "is not valid".to_string())
        };
        ApiError::Validation(vec![FieldError::new(field, code, text)])
    })?;
    value.validate()?;
    Ok(value)
}

fn form_urlencoded_parse(query: &str) -> url::form_urlencoded::Parse<'_> {
    url::form_urlencoded::parse(query.as_bytes())
}
