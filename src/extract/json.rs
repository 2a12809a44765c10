//! `ValidJson<T>`: the body extractor of every JSON endpoint. It answers 415 for another content
//! type, 413 over the body limit, 400 for malformed JSON, and 422 naming the field for unknown
//! fields, missing fields, wrong types and `validator` rules. Hand-written because actix's `Json`
//! reports neither the failing field's path nor lets us keep submitted values out of messages.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};
use crate::extract::idempotency::{BodyDigest, IDEMPOTENCY_KEY};
use actix_web::HttpMessage;
use sha2::Digest;

/// The request body limit, set once in `build_app` from `BODY_LIMIT_BYTES`.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        Box::pin(async move { read_valid(&req, payload).await.map(ValidJson) })
    }
}

/// Reads, parses and validates a JSON body: what `ValidJson` does, for handlers that read the
/// body only in some cases.
pub async fn read_valid<T: DeserializeOwned + Validate>(
    req: &HttpRequest,
    mut payload: Payload,
) -> Result<T, ApiError> {
    let limit = req.app_data::<BodyLimit>().map_or(64 * 1024, |l| l.0);
    if !is_json(req) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let declared_len =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared_len.is_some_and(|len| len > limit) {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("could not read the request body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    // Only a request with an Idempotency-Key needs its body's fingerprint.
    if req.headers().contains_key(IDEMPOTENCY_KEY) {
        req.extensions_mut().insert(BodyDigest(sha2::Sha256::digest(&body).to_vec()));
    }
    let value: T = parse(&body)?;
    value.validate()?;
    Ok(value)
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(Ok(value)) = req.headers().get(header::CONTENT_TYPE).map(|v| v.to_str()) else {
        return false;
    };
    match value.parse::<mime::Mime>() {
        Ok(m) => m.type_() == mime::APPLICATION && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON)),
        Err(_) => false,
    }
}

/// Deserialises a JSON body, mapping serde's errors to 400 (syntax) or 422 (shape, with the field).
/// Strings holding NUL are refused here: PostgreSQL cannot store them in text.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::BadRequest(format!("the request body is not valid JSON: {}", strip_position(&e.to_string())))
    })?;
    if let Some(path) = nul_path(&value, "") {
        return Err(ApiError::Validation(vec![nul_error(path)]));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        ApiError::Validation(vec![shape_error(&path, &strip_position(&err.into_inner().to_string()))])
    })
}

pub fn nul_error(field: String) -> FieldError {
    FieldError::new(field, "invalid_character", "must not contain NUL characters")
}

/// The path of the first string (or key) that contains a NUL character.
fn nul_path(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let join = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    match value {
        Value::String(s) if s.contains('\0') => Some(path.to_string()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| nul_path(v, &format!("{path}[{i}]"))),
        Value::Object(map) => {
            map.iter().find_map(|(k, v)| if k.contains('\0') { Some(join(k)) } else { nul_path(v, &join(k)) })
        }
        _ => None,
    }
}

/// serde's messages end with " at line L column C", which means nothing to a form.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Turns serde's data error into a field entry, naming the field by its full path. Values the
/// client sent (`invalid type: string "hunter2"`) are dropped from the message.
fn shape_error(parent: &str, message: &str) -> FieldError {
    // serde_path_to_error already ends the path with an unknown field's name, but not a missing one's.
    let join = |name: &str| {
        if parent == name || parent.ends_with(&format!(".{name}")) {
            parent.to_string()
        } else if parent == "." || parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent}.{name}")
        }
    };
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = quoted(rest).unwrap_or_default();
        return FieldError::new(join(&name), "unknown_field", "is not a field of this request");
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = quoted(rest).unwrap_or_default();
        return FieldError::new(join(&name), "required", "is required");
    }
    let field = if parent == "." { String::new() } else { parent.to_string() };
    let expected = message.split_once(", expected ").map(|(_, e)| e.to_string());
    let (code, text) = if message.starts_with("invalid type") {
        ("invalid_type", expected.map_or("has the wrong type".into(), |e| format!("must be {e}")))
    } else if message.starts_with("unknown variant") {
        (
            "invalid_choice",
            expected.map_or("is not an allowed value".into(), |e| {
                format!("must be one of {}", e.trim_start_matches("one of "))
            }),
        )
    } else if message.starts_with("invalid value") || message.starts_with("invalid length") {
        ("invalid_value", expected.map_or("is not valid".into(), |e| format!("must be {e}")))
    } else {
        ("invalid", message.to_string())
    };
    FieldError::new(field, code, text)
}

/// Flattens `validator`'s nested errors into one entry per field, sorted by field. The messages
/// are built from the rule's limits, never from `params.value` (which echoes what was sent).
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    fn walk(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
        for (name, kind) in errors.errors() {
            let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
            match kind {
                ValidationErrorsKind::Field(list) => {
                    // A blank value breaks its length rule too; "required" says it better.
                    if let Some(e) = list.iter().find(|e| e.code == "required").or(list.first()) {
                        out.push(describe(&path, e));
                    }
                }
                ValidationErrorsKind::Struct(inner) => walk(&path, inner, out),
                ValidationErrorsKind::List(items) => {
                    for (i, inner) in items {
                        walk(&format!("{path}[{i}]"), inner, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn describe(field: &str, e: &validator::ValidationError) -> FieldError {
    let param = |k: &str| e.params.get(k).filter(|v| !v.is_null()).map(|v| v.to_string());
    let (code, default_message) = match e.code.as_ref() {
        "email" => ("invalid_email".to_string(), "must be a valid email address".to_string()),
        "url" => ("invalid_url".to_string(), "must be a valid http(s) URL".to_string()),
        "length" => {
            let message = match (param("min"), param("max"), param("equal")) {
                (_, _, Some(eq)) => format!("must be exactly {eq} characters long"),
                (Some(min), Some(max), _) => format!("must be between {min} and {max} characters long"),
                (Some(min), None, _) => format!("must be at least {min} characters long"),
                (None, Some(max), _) => format!("must be at most {max} characters long"),
                _ => "has the wrong length".to_string(),
            };
            ("invalid_length".to_string(), message)
        }
        "range" => {
            let message = match (param("min"), param("max")) {
                (Some(min), Some(max)) => format!("must be between {min} and {max}"),
                (Some(min), None) => format!("must be at least {min}"),
                (None, Some(max)) => format!("must be at most {max}"),
                _ => "is out of range".to_string(),
            };
            ("out_of_range".to_string(), message)
        }
        "required" => ("required".to_string(), "is required".to_string()),
        other => (other.to_string(), "is not valid".to_string()),
    };
    let message = e.message.as_ref().map_or(default_message, |m| m.to_string());
    FieldError::new(field, code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        password: String,
        nested: Option<Nested>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Nested {
        count: u32,
    }

    fn err(body: &str) -> ApiError {
        parse::<Login>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn syntax_errors_are_400_and_shape_errors_name_the_field() {
        assert!(matches!(err("{\"email\": "), ApiError::BadRequest(_)));
        assert!(matches!(err(""), ApiError::BadRequest(_)));
        let ApiError::Validation(e) = err(r#"{"email":"a\u0000b","password":"b"}"#) else { panic!() };
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("email", "invalid_character"));
        let ApiError::Validation(e) = err(r#"{"email":"a","password":"b","role":"x"}"#) else { panic!() };
        assert_eq!(e, vec![FieldError::new("role", "unknown_field", "is not a field of this request")]);
        let ApiError::Validation(e) = err(r#"{"email":"a"}"#) else { panic!() };
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("password", "required"));
        let ApiError::Validation(e) = err(r#"{"email":"a","password":"b","nested":{"count":"hunter2"}}"#) else {
            panic!()
        };
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("nested.count", "invalid_type"));
        assert!(!e[0].message.contains("hunter2"), "{}", e[0].message);
        let ApiError::Validation(e) = err(r#"{"email":"a","password":"b","nested":{"count":1,"x":2}}"#) else {
            panic!()
        };
        assert_eq!(e[0].field, "nested.x");
    }
}
