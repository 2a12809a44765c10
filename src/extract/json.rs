//! `ValidJson<T>`: the body extractor of every JSON endpoint. It answers 415 for another content
//! type, 413 over the body limit, 400 for malformed JSON, and one 422 naming every refused field:
//! unknown fields, missing fields, wrong types and `validator` rules together (see `recover`).
//! Hand-written because actix's `Json` reports neither the failing field's path nor lets us keep
//! submitted values out of messages.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldCode, FieldError};
use crate::extract::idempotency::{BodyDigest, IDEMPOTENCY_KEY};
use crate::extract::recover::{self, Failure, Seg};
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

/// `ValidJson` for a body whose fields are all optional (documented as an optional request body):
/// a request without a body (`Content-Length: 0`, or neither a length nor a `Content-Type`) and
/// a JSON `null` read as `{}`; any other body is read exactly as `ValidJson` reads it.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let headers = req.headers();
            let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).map(str::trim);
            let chunked = headers.contains_key(header::TRANSFER_ENCODING);
            let empty =
                length == Some("0") || (length.is_none() && !chunked && !headers.contains_key(header::CONTENT_TYPE));
            let body = if empty { web::BytesMut::new() } else { read_body(&req, payload).await? };
            let sent = body.trim_ascii();
            parse(if sent.is_empty() || sent == b"null" { b"{}" } else { sent }).map(OptionalJson)
        })
    }
}

/// Reads, parses and validates a JSON body: what `ValidJson` does, for handlers that read the
/// body only in some cases.
pub async fn read_valid<T: DeserializeOwned + Validate>(req: &HttpRequest, payload: Payload) -> Result<T, ApiError> {
    parse(&read_body(req, payload).await?)
}

/// Reads a JSON body's bytes: 415 for another content type, 413 over the limit.
async fn read_body(req: &HttpRequest, mut payload: Payload) -> Result<web::BytesMut, ApiError> {
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
    Ok(body)
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

/// Deserialises and validates a JSON body: 400 for a syntax error; otherwise one 422 listing every
/// refused field (shape errors and `validator` rules together), sorted by field. Strings holding
/// NUL are refused here: PostgreSQL cannot store them in text.
pub fn parse<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::BadRequest(format!("the request body is not valid JSON: {}", strip_position(&e.to_string())))
    })?;
    let mut nul = Vec::new();
    recover::nul_paths(&value, &mut Vec::new(), &mut nul);
    // A body serde accepts is read exactly as it always was; the rounds of `recover` run only
    // when something is wrong.
    if nul.is_empty() {
        if let Ok(parsed) = serde_json::from_value::<T>(value.clone()) {
            parsed.validate()?;
            return Ok(parsed);
        }
    }
    let mut doc = value;
    if !doc.is_object() {
        // Every request body is an object: for anything else, serde's one error says it all.
        if let Err(err) = serde_path_to_error::deserialize::<_, T>(doc) {
            let path = recover::segments(err.path()).unwrap_or_default();
            return Err(ApiError::Validation(vec![shape_error(&path, &err.into_inner().to_string()).entry]));
        }
        return Err(ApiError::Validation(found_nul(&nul)));
    }
    let found = found_nul(&nul);
    let repairs = nul.into_iter().map(|path| (path.clone(), recover::removal(&mut doc, &path))).collect();
    let (parsed, found, refused) = recover::deserialize_json::<T>(doc, found, repairs, shape_error);
    Err(ApiError::Validation(merge(parsed.as_ref(), found, &refused)))
}

/// The shape errors, and the `validator` errors of the fields that parsed (when the stand-ins
/// made a value), sorted by field.
pub(crate) fn merge<T: Validate>(
    parsed: Option<&T>,
    mut found: Vec<FieldError>,
    refused: &[String],
) -> Vec<FieldError> {
    if let Some(Err(errors)) = parsed.map(Validate::validate) {
        let rules = field_errors(&errors);
        found.extend(rules.into_iter().filter(|e| !refused.iter().any(|r| recover::is_within(&e.field, r))));
    }
    found.sort_by(|a, b| a.field.cmp(&b.field));
    found
}

fn found_nul(paths: &[Vec<Seg>]) -> Vec<FieldError> {
    paths.iter().map(|path| nul_error(recover::display(path))).collect()
}

pub fn nul_error(field: String) -> FieldError {
    FieldError::new(field, FieldCode::InvalidCharacter, "must not contain NUL characters")
}

/// serde's messages end with " at line L column C", which means nothing to a form.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Turns serde's data error at `path` into a field entry, naming the field by its full path.
/// Values the client sent (`invalid type: string "hunter2"`) are dropped from the message.
fn shape_error(path: &[Seg], message: &str) -> Failure {
    let message = strip_position(message);
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string).unwrap_or_default();
    // serde_path_to_error already ends the path with an unknown field's name, but not a missing one's.
    let child = |name: String| {
        let mut target = path.to_vec();
        if target.last() != Some(&Seg::Key(name.clone())) {
            target.push(Seg::Key(name));
        }
        target
    };
    let failure = |target: Vec<Seg>, code, text: String, missing, unknown| Failure {
        entry: FieldError::new(recover::display(&target), code, text),
        target,
        message: message.clone(),
        missing,
        unknown,
    };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let target = child(quoted(rest));
        return failure(target, FieldCode::UnknownField, "is not a field of this request".into(), false, true);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let mut target = path.to_vec();
        target.push(Seg::Key(quoted(rest)));
        return failure(target, FieldCode::Required, "is required".into(), true, false);
    }
    let expected = message.split_once(", expected ").map(|(_, e)| e.to_string());
    let (code, text) = if message.starts_with("invalid type") {
        (FieldCode::InvalidType, expected.map_or("has the wrong type".into(), |e| format!("must be {e}")))
    } else if message.starts_with("unknown variant") {
        (
            FieldCode::InvalidChoice,
            expected.map_or("is not an allowed value".into(), |e| {
                format!("must be one of {}", e.trim_start_matches("one of "))
            }),
        )
    } else if message.starts_with("invalid value") || message.starts_with("invalid length") {
        (FieldCode::InvalidValue, expected.map_or("is not valid".into(), |e| format!("must be {e}")))
    } else {
        (FieldCode::Invalid, message.clone())
    };
    failure(path.to_vec(), code, text, false, false)
}

/// Flattens `validator`'s nested errors into one entry per field, sorted by field. The messages
/// are built from the rule's limits, never from `params.value` (which echoes what was sent).
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    fn walk(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
        for (name, kind) in errors.errors() {
            let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
            match kind {
                // A rule on the whole struct (`#[validate(schema(...))]`) names its field in the
                // `field` parameter, so one struct rule can refuse several fields.
                ValidationErrorsKind::Field(list) if name == "__all__" => {
                    for e in list {
                        let field = e.params.get("field").and_then(|f| f.as_str()).unwrap_or_default();
                        let field = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
                        out.push(describe(&field, e));
                    }
                }
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
    let code = FieldCode::from_rule(&e.code);
    let default_message = match e.code.as_ref() {
        "email" => "must be a valid email address".to_string(),
        "url" => "must be a valid http(s) URL".to_string(),
        "length" => match (param("min"), param("max"), param("equal")) {
            (_, _, Some(eq)) => format!("must be exactly {eq} characters long"),
            (Some(min), Some(max), _) => format!("must be between {min} and {max} characters long"),
            (Some(min), None, _) => format!("must be at least {min} characters long"),
            (None, Some(max), _) => format!("must be at most {max} characters long"),
            _ => "has the wrong length".to_string(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".to_string(),
        },
        "required" => "is required".to_string(),
        _ => "is not valid".to_string(),
    };
    let message = e.message.as_ref().map_or(default_message, |m| m.to_string());
    FieldError::new(field, code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        #[validate(email)]
        email: String,
        #[validate(length(min = 3))]
        password: String,
        #[validate(nested)]
        nested: Option<Nested>,
        kind: Option<Kind>,
        #[validate(range(max = 10))]
        count: Option<u32>,
    }
    #[derive(Debug, serde::Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Nested {
        #[validate(range(min = 1))]
        count: u32,
        when: chrono::NaiveDate,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Short,
        Long,
    }

    fn err(body: &str) -> ApiError {
        parse::<Login>(body.as_bytes()).unwrap_err()
    }

    fn codes(body: &str) -> Vec<(String, String)> {
        let ApiError::Validation(errors) = err(body) else { panic!("not a 422: {body}") };
        errors.into_iter().map(|e| (e.field, serde_json::to_value(e.code).unwrap().as_str().unwrap().into())).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect()
    }

    #[test]
    fn syntax_errors_are_400_and_shape_errors_name_the_field() {
        assert!(matches!(err("{\"email\": "), ApiError::BadRequest(_)));
        assert!(matches!(err(""), ApiError::BadRequest(_)));
        assert_eq!(codes(r#"{"email":"a\u0000b","password":"bcd"}"#), pairs(&[("email", "invalid_character")]));
        let ApiError::Validation(e) = err(r#"{"email":"a@b.org","password":"bcd","role":"x"}"#) else { panic!() };
        assert_eq!(e, vec![FieldError::new("role", FieldCode::UnknownField, "is not a field of this request")]);
        assert_eq!(codes(r#"{"email":"a@b.org"}"#), pairs(&[("password", "required")]));
        let body = r#"{"email":"a@b.org","password":"bcd","nested":{"count":"hunter2","when":"1970-01-01"}}"#;
        let ApiError::Validation(e) = err(body) else { panic!() };
        assert_eq!((e[0].field.as_str(), e[0].code), ("nested.count", FieldCode::InvalidType));
        assert!(!e[0].message.contains("hunter2"), "{}", e[0].message);
        let body = r#"{"email":"a@b.org","password":"bcd","nested":{"count":1,"when":"1970-01-01","x":2}}"#;
        assert_eq!(codes(body), pairs(&[("nested.x", "unknown_field")]));
        assert_eq!(codes("[1]"), pairs(&[("[0]", "invalid_type")]));
        assert_eq!(codes("\"x\""), pairs(&[("", "invalid_type")]));
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        // Missing, mistyped, unknown, out of range, a bad choice, nested and rule violations together.
        let body = r#"{"email":"nope","nested":{"count":0,"when":7},"kind":"medium","count":11,"x":1}"#;
        assert_eq!(
            codes(body),
            pairs(&[
                ("count", "out_of_range"),
                ("email", "invalid_email"),
                ("kind", "invalid_choice"),
                ("nested.count", "out_of_range"),
                ("nested.when", "invalid_type"),
                ("password", "required"),
                ("x", "unknown_field"),
            ])
        );
        // A mistyped required field is reported once, not also as missing or too short.
        assert_eq!(
            codes(r#"{"email":5,"password":[1]}"#),
            pairs(&[("email", "invalid_type"), ("password", "invalid_type")])
        );
        // A mistyped object is reported once, not as its fields.
        assert_eq!(
            codes(r#"{"email":"a@b.org","password":"bcd","nested":"x","count":"2"}"#),
            pairs(&[("count", "invalid_type"), ("nested", "invalid_type")])
        );
        assert_eq!(
            codes(r#"{"email":"a\u0000@b.org","password":"x"}"#),
            pairs(&[("email", "invalid_character"), ("password", "invalid_length")])
        );
        assert!(parse::<Login>(br#"{"email":"a@b.org","password":"bcd","kind":"long"}"#).is_ok());
    }
}
