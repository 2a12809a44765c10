//! Wire types: the citation's query and CSL-JSON, the Citation Style Language's input format
//! (what citeproc, Zotero, Mendeley and Pandoc read); the answer in a format of its own
//! (`Representation`) and the 406 (`CitationError`).

use actix_web::body::BoxBody;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::model::{Kind, Name, Work};
use crate::error::{ApiError, Problem, ProblemType};
use crate::extract::conditional::{etag_for, none_match, PUBLIC_CACHE_CONTROL};

pub const CSL_CONTENT_TYPE: &str = "application/vnd.citationstyles.csl+json";

/// A citation format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CitationFormat {
    /// CSL-JSON (`application/vnd.citationstyles.csl+json`).
    CslJson,
    /// BibTeX (`application/x-bibtex`).
    Bibtex,
    /// RIS (`application/x-research-info-systems`).
    Ris,
}

impl CitationFormat {
    /// In the order of preference when a caller accepts several equally (`*/*` gives the first).
    pub const ALL: [CitationFormat; 3] = [CitationFormat::CslJson, CitationFormat::Bibtex, CitationFormat::Ris];

    pub fn content_type(self) -> &'static str {
        match self {
            CitationFormat::CslJson => CSL_CONTENT_TYPE,
            CitationFormat::Bibtex => super::bibtex::CONTENT_TYPE,
            CitationFormat::Ris => super::ris::CONTENT_TYPE,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            CitationFormat::CslJson => "json",
            CitationFormat::Bibtex => "bib",
            CitationFormat::Ris => "ris",
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CitationQuery {
    /// The format; it wins over `Accept`. Without it, `Accept` chooses.
    #[param(inline, example = "bibtex")]
    pub format: Option<CitationFormat>,
}

/// One item of CSL-JSON. Only the variables the library knows are sent.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "weaver2024toolkit",
    "type": "webpage",
    "title": "A toolkit for medical students to advocate for policy and practice",
    "author": [{ "family": "Weaver", "given": "J." }, { "family": "Fluker", "given": "C. J." }],
    "issued": { "date-parts": [[2024]] },
    "URL": "https://example.org/toolkits/medical-student-advocacy",
    "accessed": { "date-parts": [[2026, 11, 26]] }
}))]
pub struct CslItem {
    /// The same key as the BibTeX entry's: the first author's family name, the year and the
    /// title's first significant word, in ASCII.
    #[schema(example = "weaver2024toolkit")]
    pub id: String,
    /// `article-journal` (a peer-reviewed article with its journal), `webpage` (anything else
    /// with a URL) or `document` (the rest).
    #[serde(rename = "type")]
    #[schema(example = "webpage")]
    pub type_: &'static str,
    /// The resource's title.
    #[schema(example = "A toolkit for medical students to advocate for policy and practice")]
    pub title: String,
    /// The authors in byline order; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    /// The year of publication; left out when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub issued: Option<CslDate>,
    /// The journal of an article; left out for anything else.
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub container_title: Option<String>,
    /// The publisher or organisation of anything but an article; left out when none is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub publisher: Option<String>,
    /// The DOI, without `https://doi.org/`; left out when there is none.
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "10.1097/ACM.0000000000003121")]
    pub doi: Option<String>,
    /// The resource's URL, or its DOI's (`https://doi.org/…`) when it has a DOI and no URL; left
    /// out when it has neither.
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = "uri")]
    pub url: Option<String>,
    /// When the library last checked a web page (the resource's last change); `webpage` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub accessed: Option<CslDate>,
}

/// A person (`family`, `given`, …) or an organisation (`literal`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "family": "Fluker", "given": "C. J." }))]
pub struct CslName {
    /// A person's family name, without its particle (`Gogh` in "Vincent van Gogh").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Fluker")]
    pub family: Option<String>,
    /// A person's given names or initials; left out when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "C. J.")]
    pub given: Option<String>,
    /// Lower-case words that belong with the family name (`van`, `de la`); left out when none.
    #[serde(rename = "non-dropping-particle", skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub non_dropping_particle: Option<String>,
    /// `Jr.`, `III` and the like; left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub suffix: Option<String>,
    /// An organisation's name, cited whole (`Association of American Medical Colleges`); the
    /// other fields are then left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub literal: Option<String>,
}

/// A date as CSL writes it: `{"date-parts": [[2020]]}` or `[[2024, 5, 1]]`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "date-parts": [[2026, 11, 26]] }))]
pub struct CslDate {
    /// One date as `[year]` or `[year, month, day]`, in a list of one.
    #[serde(rename = "date-parts")]
    pub date_parts: Vec<Vec<i32>>,
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.is_empty())
}

impl From<&Name> for CslName {
    fn from(name: &Name) -> Self {
        match name {
            Name::Literal(literal) => CslName {
                family: None,
                given: None,
                non_dropping_particle: None,
                suffix: None,
                literal: Some(literal.clone()),
            },
            Name::Person(p) => CslName {
                family: Some(p.family.clone()),
                given: non_empty(&p.given),
                non_dropping_particle: non_empty(&p.particle),
                suffix: non_empty(&p.suffix),
                literal: None,
            },
        }
    }
}

/// A CSL-JSON document is an array of items; a citation is one.
pub fn csl(work: &Work) -> Vec<CslItem> {
    use chrono::Datelike;
    vec![CslItem {
        id: work.key.clone(),
        type_: match work.kind {
            Kind::Article => "article-journal",
            Kind::Web => "webpage",
            Kind::Document => "document",
        },
        title: work.title.clone(),
        author: work.authors.iter().map(CslName::from).collect(),
        issued: work.year.map(|y| CslDate { date_parts: vec![vec![y]] }),
        container_title: work.journal.clone(),
        publisher: work.publisher.clone(),
        doi: work.doi.clone(),
        url: work.url.clone(),
        accessed: work.accessed.map(|d| CslDate { date_parts: vec![vec![d.year(), d.month() as i32, d.day() as i32]] }),
    }]
}

/// A public read in a format of its own (a citation, the feed), served like the JSON reads
/// (`extract::conditional`): an `ETag` from the body's hash, `Cache-Control`, 304 on a matching
/// `If-None-Match`.
pub struct Representation {
    pub body: String,
    /// The media type; `charset=utf-8` is added.
    pub content_type: &'static str,
    /// `Content-Disposition: inline; filename="…"` (the name is ASCII: a slug and an extension).
    pub filename: Option<String>,
    /// Whether the body was chosen by `Accept`, so caches keep one copy per format.
    pub vary_accept: bool,
}

impl Responder for Representation {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let etag = etag_for(self.body.as_bytes());
        let fresh = none_match(req, &etag);
        let mut response = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
        response.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, PUBLIC_CACHE_CONTROL));
        if self.vary_accept {
            response.insert_header((header::VARY, "Accept"));
        }
        if fresh {
            return response.finish();
        }
        if let Some(filename) = self.filename {
            response.insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")));
        }
        response.content_type(format!("{}; charset=utf-8", self.content_type)).body(self.body)
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
                let problem = Problem::new(
                    ProblemType::NotAcceptable,
                    format!(
                        "a citation is available as {}; name one in Accept, or use ?format=csl-json|bibtex|ris",
                        offered.join(", ")
                    ),
                );
                problem.response().insert_header((header::VARY, "Accept")).body(problem.body())
            }
        }
    }
}
