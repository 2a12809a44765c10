//! Citations' rules: which format a request asks for (`format`, else `Accept` as RFC 9110
//! §12.5.1 reads it), a published resource as a citation in that format, and the Atom feed of the
//! latest resources. The resource comes from the library's service, as `GET /resources/{key}`
//! reads it (the card cache included).

use super::json::{csl, CitationError, CitationFormat, Representation};
use super::model::Work;
use super::{atom, bibtex, queries, ris};
use crate::error::{ApiError, ApiResult};
use crate::resources::service::{self as library, Library};
use crate::state::AppState;

/// The format asked for: `format` when given, else the `Accept` lines (every line counts, as if
/// they were one list; `None` when one was unreadable: it accepts nothing). 406 when it names none.
pub fn choose_format(
    format: Option<CitationFormat>,
    accept: Option<Vec<&str>>,
) -> Result<CitationFormat, CitationError> {
    if let Some(format) = format {
        return Ok(format);
    }
    let lines = accept.ok_or(CitationError::NotAcceptable)?;
    let accept = (!lines.is_empty()).then(|| lines.join(","));
    from_accept(accept.as_deref()).ok_or(CitationError::NotAcceptable)
}

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

/// A citation of the published resource `key` (id or slug) in `format`; `vary_accept` when the
/// format was chosen by `Accept`.
pub async fn citation(
    state: &AppState,
    library: &Library,
    key: &str,
    format: CitationFormat,
    vary_accept: bool,
) -> ApiResult<Representation> {
    let work = Work::from_resource(&library::published_resource(state, library, key).await?);
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
        vary_accept,
    })
}

/// The Atom feed of the most recently published resources.
pub async fn feed(state: &AppState, library: &Library) -> ApiResult<Representation> {
    let mut conn = state.reads.current().await?;
    let cards = queries::latest_published(&mut conn, atom::ENTRIES).await?;
    let resources = library::published_json(library, &mut conn, cards).await?;
    let body = atom::atom(&state.config, &resources).map_err(|e| ApiError::Internal(e.context("writing the feed")))?;
    Ok(Representation { body, content_type: atom::CONTENT_TYPE, filename: None, vary_accept: false })
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
