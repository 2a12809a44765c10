//! `ValidQuery<T>`: query-string parameters with one 422 naming every refused parameter: missing,
//! mistyped and out of range together with the `validator` rules (see `recover`).

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::{ApiError, FieldCode, FieldError};
use crate::extract::recover::{self, Repair};

pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned + Validate> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(ValidQuery))
    }
}

/// A bound on deserialisation rounds (each finds one problem or tries one stand-in).
const MAX_ROUNDS: usize = 128;

pub fn parse_query<T: DeserializeOwned + Validate>(query: &str) -> Result<T, ApiError> {
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    // PostgreSQL cannot store or compare text holding NUL: such parameters are refused and left out.
    let mut found = Vec::new();
    let mut repairs: Vec<Repair<String>> = Vec::new();
    for (key, _) in pairs.iter().filter(|(k, v)| k.contains('\0') || v.contains('\0')) {
        let name = key.replace('\0', "");
        if !repairs.iter().any(|r| r.name == name) {
            found.push(crate::extract::json::nul_error(name.clone()));
            repairs.push(Repair::new(name, true, recover::query_fillers()));
        }
    }
    pairs.retain(|(k, v)| !k.contains('\0') && !v.contains('\0'));
    if found.is_empty() {
        // A query serde accepts is read exactly as it always was.
        if let Ok(value) = deserialize::<T>(query) {
            value.validate()?;
            return Ok(value);
        }
    }
    let mut parsed = None;
    for _ in 0..MAX_ROUNDS {
        let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
        let err = match deserialize::<T>(&encoded) {
            Ok(value) => {
                parsed = Some(value);
                break;
            }
            Err(err) => err,
        };
        let (field, entry, message, missing) = describe(err);
        // `domain[1]` is repaired as the parameter `domain`.
        let key = field.split(['[', '.']).next().unwrap_or_default().to_string();
        let hint = recover::expected_word(&message).map(str::to_string);
        let next = if let Some(repair) = repairs.iter_mut().find(|r| r.name == key) {
            if let Some(h) = hint {
                repair.hint(h);
            }
            repair.advance().cloned()
        } else {
            found.push(entry);
            let mut repair = Repair::new(key.clone(), !missing, recover::query_fillers());
            if let Some(h) = hint {
                repair.hint(h);
            }
            let first = repair.current().cloned();
            repairs.push(repair);
            first
        };
        // A key of its own that nothing repairs (serde named no parameter) ends the search.
        let Some(next) = next.filter(|_| !key.is_empty()) else { break };
        pairs.retain(|(k, _)| *k != key);
        if let Some(value) = next {
            pairs.push((key, value));
        }
    }
    let refused: Vec<String> = repairs.into_iter().map(|r| r.name).collect();
    Err(ApiError::Validation(crate::extract::json::merge(parsed.as_ref(), found, &refused)))
}

fn deserialize<T: DeserializeOwned>(query: &str) -> Result<T, serde_path_to_error::Error<serde::de::value::Error>> {
    // serde_html_form reads repeated keys (`domain=a&domain=b`) into a Vec.
    serde_path_to_error::deserialize(serde_html_form::Deserializer::from_bytes(query.as_bytes()))
}

/// The parameter serde refused, its entry, serde's message, and whether it was missing.
fn describe(err: serde_path_to_error::Error<serde::de::value::Error>) -> (String, FieldError, String, bool) {
    let mut field = err.path().to_string();
    let message = err.into_inner().to_string();
    let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next()).map(str::to_string);
    let is_missing = missing.is_some();
    let (code, text) = if let Some(name) = missing {
        field = name;
        (FieldCode::Required, "is required".to_string())
    } else if message.contains("invalid digit") || message.contains("invalid type") {
        (FieldCode::InvalidNumber, "must be a whole number".to_string())
    } else if message.contains("number too large") {
        (FieldCode::OutOfRange, "is too large".to_string())
    } else if let Some((_, expected)) = message.split_once(", expected ") {
        (FieldCode::InvalidChoice, format!("must be one of {}", expected.trim_start_matches("one of ")))
    } else {
        (FieldCode::Invalid, "is not valid".to_string())
    };
    if field == "." {
        field.clear();
    }
    (field.clone(), FieldError::new(field, code, text), message, is_missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, Validate)]
    #[allow(dead_code)]
    struct Query {
        #[validate(length(min = 1, max = 5))]
        token: String,
        #[validate(range(min = 1, max = 100))]
        per_page: Option<u32>,
        page: Option<u32>,
        #[serde(default)]
        domain: Vec<String>,
        sort: Option<Sort>,
        #[validate(length(max = 3))]
        q: Option<String>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Sort {
        Newest,
        Oldest,
    }

    fn codes(query: &str) -> Vec<(String, String)> {
        let Err(ApiError::Validation(errors)) = parse_query::<Query>(query) else { panic!("not a 422: {query}") };
        errors.into_iter().map(|e| (e.field, serde_json::to_value(e.code).unwrap().as_str().unwrap().into())).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect()
    }

    #[test]
    fn every_problem_of_a_query_is_listed_at_once() {
        assert_eq!(
            codes("page=abc&per_page=500&sort=worst&q=toolong&domain=a&domain=b"),
            pairs(&[
                ("page", "invalid_number"),
                ("per_page", "out_of_range"),
                ("q", "invalid_length"),
                ("sort", "invalid_choice"),
                ("token", "required"),
            ])
        );
        assert_eq!(codes("token=a%00b&page=-1"), pairs(&[("page", "invalid_number"), ("token", "invalid_character")]));
        assert_eq!(
            codes("token=abcdefg&page=99999999999"),
            pairs(&[("page", "out_of_range"), ("token", "invalid_length")])
        );
        let ok = parse_query::<Query>("token=abc&domain=a&domain=b&sort=oldest").unwrap();
        assert_eq!(ok.domain, vec!["a", "b"]);
    }
}
