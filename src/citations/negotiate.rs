//! Choosing a citation's format from `Accept` (RFC 9110 §12.5.1), and the 406 when it names none.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use super::json::CitationFormat;
use crate::error::{ApiError, Problem};

/// The format `Accept` asks for: the highest `q`, a more specific range before a wildcard, then
/// our order of preference (CSL-JSON first). No header, a blank one or `*/*` gives CSL-JSON;
/// `application/json` is taken as CSL-JSON. `None` when it accepts none of the formats.
pub fn from_accept(accept: Option<&str>) -> Option<CitationFormat> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else { return Some(CitationFormat::ALL[0]) };
    let ranges: Vec<(String, f32)> = accept.split(',').filter_map(media_range).collect();
    let mut best: Option<(CitationFormat, f32, u8)> = None;
    for format in CitationFormat::ALL {
        // The most specific range that matches decides the format's quality.
        let Some((q, specificity)) = ranges
            .iter()
            .filter_map(|(range, q)| matches(range, format).map(|s| (*q, s)))
            .max_by_key(|(_, specificity)| *specificity)
        else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(_, bq, bs)| q > bq || (q == bq && specificity > bs)) {
            best = Some((format, q, specificity));
        }
    }
    best.map(|(format, _, _)| format)
}

/// `type/subtype;q=0.5` to the lower-cased type and its quality; `None` when malformed.
fn media_range(item: &str) -> Option<(String, f32)> {
    let mut parts = item.split(';');
    let range = parts.next()?.trim().to_ascii_lowercase();
    let (kind, subtype) = range.split_once('/')?;
    if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
        return None;
    }
    let mut q = 1.0;
    for param in parts {
        if let Some((name, value)) = param.split_once('=') {
            if name.trim().eq_ignore_ascii_case("q") {
                q = value.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
            }
        }
    }
    Some((range, q))
}

/// How specifically `range` names `format` (3 exact, 2 an alias, 1 `application/*`, 0 `*/*`).
fn matches(range: &str, format: CitationFormat) -> Option<u8> {
    match range {
        r if r == format.content_type() => Some(3),
        "application/json" if format == CitationFormat::CslJson => Some(2),
        "text/x-bibtex" if format == CitationFormat::Bibtex => Some(2),
        "application/*" => Some(1),
        "*/*" => Some(0),
        _ => None,
    }
}

/// What a citation handler can fail with: the API's errors and 406.
#[derive(Debug, thiserror::Error)]
pub enum CitationError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("not acceptable")]
    NotAcceptable,
}

impl ResponseError for CitationError {
    fn status_code(&self) -> StatusCode {
        match self {
            CitationError::Api(e) => e.status_code(),
            CitationError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            CitationError::Api(e) => e.error_response(),
            CitationError::NotAcceptable => {
                let offered: Vec<&str> = CitationFormat::ALL.iter().map(|f| f.content_type()).collect();
                let problem = Problem {
                    type_: "/problems/not-acceptable".into(),
                    title: "Not Acceptable".into(),
                    status: 406,
                    detail: format!(
                        "a citation is available as {}; name one in Accept, or use ?format=csl-json|bibtex|ris",
                        offered.join(", ")
                    ),
                    errors: None,
                };
                HttpResponse::NotAcceptable()
                    .insert_header((header::CONTENT_TYPE, "application/problem+json"))
                    .insert_header((header::VARY, "Accept"))
                    .body(serde_json::to_string(&problem).expect("a problem always serialises"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CitationFormat::*;

    #[test]
    fn accept_chooses() {
        assert_eq!(from_accept(None), Some(CslJson));
        assert_eq!(from_accept(Some("  ")), Some(CslJson));
        assert_eq!(from_accept(Some("*/*")), Some(CslJson));
        assert_eq!(from_accept(Some("application/x-bibtex")), Some(Bibtex));
        assert_eq!(from_accept(Some("Application/X-Research-Info-Systems; charset=utf-8")), Some(Ris));
        assert_eq!(from_accept(Some("application/vnd.citationstyles.csl+json")), Some(CslJson));
        assert_eq!(from_accept(Some("application/x-bibtex;q=0.5, application/x-research-info-systems")), Some(Ris));
        assert_eq!(from_accept(Some("text/html, application/x-bibtex;q=0.9, */*;q=0.1")), Some(Bibtex));
        assert_eq!(from_accept(Some("application/x-bibtex, */*")), Some(Bibtex), "exact beats a wildcard");
        assert_eq!(from_accept(Some("application/json")), Some(CslJson));
        assert_eq!(from_accept(Some("application/*;q=0.2, application/x-research-info-systems")), Some(Ris));
    }

    #[test]
    fn accept_refuses() {
        assert_eq!(from_accept(Some("text/html")), None);
        assert_eq!(from_accept(Some("application/x-bibtex;q=0")), None);
        assert_eq!(from_accept(Some("*/*;q=0")), None);
        assert_eq!(from_accept(Some("*/*, application/x-bibtex;q=0")), Some(CslJson), "q=0 refuses only that type");
        assert_eq!(from_accept(Some("garbage")), None);
        assert_eq!(from_accept(Some("application/x-bibtex;q=2")), None);
    }
}
