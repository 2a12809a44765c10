//! Wire types of the resource library.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::model::{IndexedTerm, ResourceCard, ResourceRow};
use crate::extract::conditional::Rendered;
use crate::extract::pagination::PageMeta;
use crate::forms::http_url;
use crate::taxonomy::json::{TermRef, Vocabulary};

/// A published resource, as the website and partners see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = resource_example)]
pub struct ResourceJson {
    /// The resource's id (a UUID); it never changes.
    pub id: Uuid,
    /// The resource's current slug, for links (`GET /resources/{slug}`); earlier slugs keep
    /// resolving after a rename.
    #[schema(example = "a-toolkit-for-medical-students-to-advocate-for-policy-and-practice")]
    pub slug: String,
    /// The title, as the library shows it.
    #[schema(example = "A toolkit for medical students to advocate for policy and practice")]
    pub title: String,
    /// A short description in plain text (at most 2,000 characters); may be empty.
    pub summary: String,
    /// Where to read the resource itself (an http or https URL); null when the library has no link.
    #[schema(format = "uri", example = "https://example.org/toolkits/medical-student-advocacy")]
    pub url: Option<String>,
    /// Its Resource Type.
    pub resource_type: TermRef,
    /// Its Social Mission Domains, in the vocabulary's display order.
    pub domains: Vec<TermRef>,
    /// Its Social Mission Topics, in display order; may be empty.
    pub topics: Vec<TermRef>,
    /// The Health Professions it concerns, in display order; may be empty.
    pub professions: Vec<TermRef>,
    /// The year it was published (1900 to next year); null when unknown.
    #[schema(example = 2024)]
    pub year: Option<i32>,
    /// Its authors as written, people ("Ada Lovelace", "Lovelace, Ada", "Fluker CJ") or
    /// organisations, in the order of the byline; may be empty.
    pub authors: Vec<String>,
    /// The journal or publisher; null when none is recorded.
    pub source: Option<String>,
    /// Its DOI without `https://doi.org/` (`10.1097/ACM.0000000000003121`); null when it has none.
    pub doi: Option<String>,
    /// Whether anyone can read it free of charge.
    pub open_access: bool,
    /// When it first entered the library (UTC); kept when it is unpublished and published again.
    /// Always set on a published resource; null on a draft that was never published.
    pub published_at: Option<DateTime<Utc>>,
    /// When the resource itself last changed (UTC); a relabelled vocabulary value does not change it.
    pub updated_at: DateTime<Utc>,
    /// Only in `GET /api/v1/resources` with `q` and `highlight=true`: where the search matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Highlights>,
}

/// Where a search matched in a resource, as ranges (not markup, so the website escapes the text
/// itself): every word of `title` and `summary` that matched, split into words as Postgres
/// splits them (`ts_headline`, so a match is exactly a word `q` found), and a short passage of
/// the summary around the best match. Ranges count Unicode scalar values (code points).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "title": [{ "start": 0, "end": 9 }, { "start": 10, "end": 16 }],
    "summary": [{ "start": 41, "end": 50 }],
    "snippet": { "text": "programs that place community health workers in rural clinics", "matches": [{ "start": 20, "end": 29 }] }
}))]
pub struct Highlights {
    /// Where the search matched in `title`, in order.
    pub title: Vec<TextRange>,
    /// Where the search matched in `summary`, in order.
    pub summary: Vec<TextRange>,
    pub snippet: Snippet,
}

/// A passage of the summary (about 15 to 35 words) around its best match, with the ranges of
/// the matches in it; the start of the summary when nothing in it matched.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({ "text": "programs that place community health workers in rural clinics", "matches": [{ "start": 20, "end": 29 }] }))]
pub struct Snippet {
    /// The passage, as written in the summary.
    pub text: String,
    /// Where the search matched in `text`, in order.
    pub matches: Vec<TextRange>,
}

impl ResourceJson {
    /// A card to its wire type, with the labels of its vocabulary values (`terms`: every value,
    /// in display order, so its values come in that order).
    pub fn from_card(card: ResourceCard, terms: &[IndexedTerm]) -> Self {
        let resource_type = terms
            .iter()
            .find(|t| t.id == card.resource_type_id)
            .map(|t| t.term.clone())
            .unwrap_or(TermRef { slug: String::new(), label: String::new() });
        let mut json = ResourceJson {
            id: card.id,
            slug: card.slug,
            title: card.title,
            summary: card.summary,
            url: card.url,
            resource_type,
            domains: Vec::new(),
            topics: Vec::new(),
            professions: Vec::new(),
            year: card.year,
            authors: card.authors,
            source: card.source,
            doi: card.doi,
            open_access: card.open_access,
            published_at: card.published_at,
            updated_at: card.updated_at,
            highlights: None,
        };
        for t in terms.iter().filter(|t| card.term_ids.contains(&t.id)) {
            match t.vocabulary {
                Vocabulary::Domains => json.domains.push(t.term.clone()),
                Vocabulary::Topics => json.topics.push(t.term.clone()),
                Vocabulary::Professions => json.professions.push(t.term.clone()),
                Vocabulary::Types => {}
            }
        }
        json
    }
}

pub use super::model::ResourceStatus;

/// A resource as editors see it: every status.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = admin_resource_example)]
pub struct AdminResourceJson {
    #[serde(flatten)]
    pub resource: ResourceJson,
    pub status: ResourceStatus,
    /// Whether it is the library's featured resource (the Resource Spotlight); at most one
    /// resource is, and only a published one.
    pub is_spotlight: bool,
    /// When it was created (UTC).
    pub created_at: DateTime<Utc>,
    /// The suggestion it was made from (`POST /admin/suggestions/{id}/accept`); null when an
    /// editor created it directly.
    pub suggestion_id: Option<Uuid>,
}

impl AdminResourceJson {
    /// The public view of a row with what only editors see.
    pub fn new(resource: ResourceJson, row: ResourceRow) -> Self {
        Self {
            resource,
            status: row.status,
            is_spotlight: row.is_spotlight,
            created_at: row.created_at,
            suggestion_id: row.suggestion_id,
        }
    }
}

/// The order of the resource list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best full-text match first (the default with `q`).
    Relevance,
    /// Most recently published first (the default without `q`).
    Newest,
    /// Earliest published first.
    Oldest,
    /// Alphabetical by lower-cased title, compared character code by character code (the same
    /// order on every server; accented initials come after `z`).
    Title,
}

/// Extras to add to the resource list's `meta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Include {
    /// Adds `meta.facets`.
    Facets,
}

/// Filters of the resource list. Repeat a vocabulary parameter to match any of its values
/// (`domain=a&domain=b`); different parameters must all match. An unknown slug matches nothing.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResourceListQuery {
    /// Full-text search in web-search syntax: `"quoted phrase"`, `or`, `-excluded` (at most 200
    /// characters).
    #[validate(length(max = 200))]
    #[param(max_length = 200, example = "holistic admissions")]
    pub q: Option<String>,
    /// `true`: the last word of `q` is a prefix (as typed in a search box: `community heal` finds
    /// "community health"), unless a space or punctuation follows it, it is excluded (`-word`) or
    /// it is inside a quoted phrase. It is stemmed as Postgres stems a prefix (`to_tsquery('english',
    /// 'word:*')`) and answered from the search index.
    pub prefix: Option<bool>,
    /// `true`: misspelt words of `q` also find what was meant: a word of 5 to 8 characters
    /// matches the library's words one edit away (an insertion, deletion, substitution or
    /// transposition), a word of 9 or more two edits away. Resources that match exactly always come
    /// before those found through a correction (with `sort=relevance`), and `meta.corrected_query`
    /// says how `q` was read when a word is in no resource. Left out, `q` matches exactly.
    /// Answered by the search index (when it is loading, `q` is matched exactly).
    pub typo: Option<bool>,
    /// `true` (with `q`): each resource gains `highlights`, the ranges where `q` matched in its
    /// title and summary and a short passage of the summary around the best match.
    pub highlight: Option<bool>,
    /// Resource Type slugs (`real-world-example`); repeat to match any of them.
    #[serde(default, rename = "type")]
    #[param(rename = "type")]
    #[validate(length(max = 20))]
    pub types: Vec<String>,
    /// Social Mission Domain slugs (`community-engagement`); repeat to match any of them.
    #[serde(default, rename = "domain")]
    #[param(rename = "domain")]
    #[validate(length(max = 20))]
    pub domains: Vec<String>,
    /// Social Mission Topic slugs (`specialty-choice`); repeat to match any of them.
    #[serde(default, rename = "topic")]
    #[param(rename = "topic")]
    #[validate(length(max = 20))]
    pub topics: Vec<String>,
    /// Health Profession slugs (`nursing`); repeat to match any of them.
    #[serde(default, rename = "profession")]
    #[param(rename = "profession")]
    #[validate(length(max = 20))]
    pub professions: Vec<String>,
    /// `true`: only open-access resources; `false`: only the others; left out: both.
    pub open_access: Option<bool>,
    /// Only resources published in this year or later; resources without a year are left out.
    #[validate(range(min = 1900, max = 2200))]
    #[param(minimum = 1900, maximum = 2200, example = 2020)]
    pub year_from: Option<i32>,
    /// Only resources published in this year or earlier; resources without a year are left out.
    #[validate(range(min = 1900, max = 2200))]
    #[param(minimum = 1900, maximum = 2200)]
    pub year_to: Option<i32>,
    /// The order: `relevance` (the default with `q`; the same as `newest` without it), `newest`
    /// (the default without `q`), `oldest` or `title`. In the staff list, drafts never published
    /// come after the others in `newest` and `oldest`.
    pub sort: Option<Sort>,
    /// `facets` adds `meta.facets`, the count of every vocabulary value under the other filters.
    pub include: Option<Include>,
    /// The page to return, from 1; a page past the last one is empty.
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// Resources per page, 1 to 100.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

/// The staff list takes the public filters plus a status.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// Only resources in this status (every status when left out).
    pub status: Option<ResourceStatus>,
}

/// One vocabulary value in the facet counts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "slug": "community-engagement", "label": "Community Engagement", "count": 14 }))]
pub struct FacetValue {
    /// The value's slug: the one to send in the vocabulary's filter parameter.
    #[schema(example = "community-engagement")]
    pub slug: String,
    /// The value's label, as the library page writes it.
    #[schema(example = "Community Engagement")]
    pub label: String,
    /// How many resources match the other active filters and this value: what a click on it returns.
    pub count: i64,
}

/// For every active value of each vocabulary (in display order, zeros included), how many
/// resources a click on it would return.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "types": [
        { "slug": "peer-reviewed-article", "label": "Peer Reviewed Articles", "count": 31 },
        { "slug": "implementation-guidance-tools", "label": "Implementation Guidance & Tools", "count": 12 },
        { "slug": "real-world-example", "label": "Real World Examples", "count": 9 }
    ],
    "domains": [
        { "slug": "pathways-admission-graduation", "label": "Pathways, Admission, & Graduation", "count": 18 },
        { "slug": "curriculum-programming", "label": "Curriculum & Programming", "count": 21 },
        { "slug": "community-engagement", "label": "Community Engagement", "count": 14 },
        { "slug": "students-faculty", "label": "Students and Faculty", "count": 11 },
        { "slug": "governance-accountability", "label": "Governance & Accountability", "count": 6 }
    ],
    "topics": [
        { "slug": "diversity-inclusion-belonging", "label": "Diversity, inclusion & belonging", "count": 17 },
        { "slug": "specialty-choice", "label": "Specialty choice", "count": 0 }
    ],
    "professions": [
        { "slug": "interdisciplinary", "label": "Interdisciplinary", "count": 8 },
        { "slug": "medicine", "label": "Medicine", "count": 25 }
    ]
}))]
pub struct Facets {
    /// Resource Types.
    pub types: Vec<FacetValue>,
    /// Social Mission Domains.
    pub domains: Vec<FacetValue>,
    /// Social Mission Topics.
    pub topics: Vec<FacetValue>,
    /// Health Professions.
    pub professions: Vec<FacetValue>,
}

impl Facets {
    /// Every active value of every vocabulary (`terms`, in display order) with its count (0 when
    /// absent from `counts`, which are by value id).
    pub fn from_counts(terms: &[IndexedTerm], counts: &HashMap<i32, i64>) -> Self {
        let values = |vocabulary: Vocabulary| {
            terms
                .iter()
                .filter(|t| t.vocabulary == vocabulary && !t.retired)
                .map(|t| FacetValue {
                    slug: t.term.slug.clone(),
                    label: t.term.label.clone(),
                    count: counts.get(&t.id).copied().unwrap_or(0),
                })
                .collect()
        };
        Self {
            types: values(Vocabulary::Types),
            domains: values(Vocabulary::Domains),
            topics: values(Vocabulary::Topics),
            professions: values(Vocabulary::Professions),
        }
    }
}

/// Where a page of resources stands (as on every paged list) and, with `include=facets`, how many
/// matching resources each vocabulary value has.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "total": 3, "page": 1, "per_page": 20, "total_pages": 1 }))]
pub struct ResourceListMeta {
    /// `total`, `page`, `per_page` and `total_pages`, as on every paged list.
    #[serde(flatten)]
    pub page: PageMeta,
    /// With `include=facets` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// With `typo=true`, when a word of `q` is in no resource and was read as a word of the
    /// library one or two edits away: `q` with the corrections, for "Showing results for …".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "community health equity")]
    pub corrected_query: Option<String>,
}

/// A page of resources, as every paged list (`PageMeta`'s fields in `meta`) with the facets.
#[derive(Debug, Serialize)]
pub struct ResourceList<T: ToSchema> {
    pub data: Vec<T>,
    pub meta: ResourceListMeta,
}

impl<T: ToSchema> utoipa::PartialSchema for ResourceList<T> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::extract::pagination::envelope::<T, ResourceListMeta>(
            "A page of resources: the records in `data`; `meta` has where the page stands (as on every paged \
             list) and, with `include=facets`, the counts of each vocabulary value.",
        )
    }
}

impl<T: ToSchema> ToSchema for ResourceList<T> {
    fn name() -> std::borrow::Cow<'static, str> {
        format!("ResourceList_{}", T::name()).into()
    }

    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        crate::extract::pagination::register::<T, ResourceListMeta>(schemas);
    }
}

impl ResourceList<ServedJson> {
    /// The page as served: the cards' bytes between the envelope's, byte for byte what serde
    /// writes for it (`{"data":[…],"meta":{…}}`) without checking each card again as `RawValue`
    /// would; its ETag is made from the cards' own ETags and `meta` rather than by hashing every
    /// card again, and changes whenever a card, the order or `meta` does.
    pub fn rendered(&self) -> Result<Rendered, serde_json::Error> {
        let meta = serde_json::to_vec(&self.meta)?;
        let cards: usize = self.data.iter().map(|c| c.0.bytes().len() + 1).sum();
        let mut body = Vec::with_capacity(cards + meta.len() + 20);
        let mut tags = Vec::with_capacity(self.data.len() * 27 + meta.len());
        body.extend_from_slice(b"{\"data\":[");
        for (i, card) in self.data.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(card.0.bytes());
            tags.extend_from_slice(card.0.etag());
        }
        body.extend_from_slice(b"],\"meta\":");
        body.extend_from_slice(&meta);
        body.push(b'}');
        tags.extend_from_slice(&meta);
        Ok(Rendered::with_etag(body, &crate::extract::conditional::etag_for(&tags)))
    }
}

/// A published resource's JSON as served (its stored card, or one rendered here), spliced into a
/// list as it is rather than parsed into a `ResourceJson` and written again.
#[derive(Debug, Clone)]
pub struct ServedJson(pub Rendered);

impl ServedJson {
    /// The same resource with its `highlights` added (the card is a JSON object: its closing
    /// brace gives way to the field).
    pub fn with_highlights(&self, highlights: &Highlights) -> Result<Self, serde_json::Error> {
        let card = self.0.bytes();
        let mut body = Vec::with_capacity(card.len() + 256);
        body.extend_from_slice(card.strip_suffix(b"}").unwrap_or(card));
        body.extend_from_slice(b",\"highlights\":");
        serde_json::to_writer(&mut body, highlights)?;
        body.push(b'}');
        let etag = crate::extract::conditional::etag_for(&body);
        Ok(Self(Rendered::with_etag(body, &etag)))
    }
}

/// Documented as what it is: a `ResourceJson`.
impl utoipa::PartialSchema for ServedJson {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        ResourceJson::schema()
    }
}

impl ToSchema for ServedJson {
    fn name() -> std::borrow::Cow<'static, str> {
        ResourceJson::name()
    }

    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        ResourceJson::schemas(schemas);
    }
}

fn next_year() -> i32 {
    Utc::now().year() + 1
}

fn year_in_range(year: i32) -> Result<(), ValidationError> {
    if (1900..=next_year()).contains(&year) {
        Ok(())
    } else {
        Err(ValidationError::new("out_of_range")
            .with_message(format!("must be between 1900 and {}", next_year()).into()))
    }
}

fn doi_shape(doi: &str) -> Result<(), ValidationError> {
    let ok = doi.strip_prefix("10.").and_then(|rest| rest.split_once('/')).is_some_and(|(registrant, suffix)| {
        (4..=9).contains(&registrant.len())
            && registrant.bytes().all(|b| b.is_ascii_digit())
            && !suffix.is_empty()
            && !suffix.chars().any(char::is_whitespace)
    });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("invalid_doi")
            .with_message("must look like 10.1234/abc (without https://doi.org/)".into()))
    }
}

/// Everything an editor sets on a resource. Creating takes it whole; `PATCH` merges its changes
/// into the stored resource and validates the result with the same rules.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Texas A&M College of Dentistry’s Bridge to Dentistry program",
    "summary": "Texas A&M College of Dentistry’s Bridge to Dentistry program demonstrates a transformative approach to increasing diversity in dental education.",
    "url": "https://example.org/bridge-to-dentistry",
    "resource_type": "real-world-example",
    "domains": ["pathways-admission-graduation"],
    "topics": ["diversity-inclusion-belonging"],
    "professions": ["dentistry"],
    "year": 2024,
    "authors": [],
    "source": null,
    "doi": null,
    "open_access": true
}))]
pub struct ResourceInput {
    /// The title, 3 to 300 characters; the slug is made from it on creation.
    #[validate(length(min = 3, max = 300))]
    #[schema(
        min_length = 3,
        max_length = 300,
        example = "Texas A&M College of Dentistry’s Bridge to Dentistry program"
    )]
    pub title: String,
    /// A short description in plain text, at most 2,000 characters; empty when left out.
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub summary: String,
    /// Where to read the resource: an absolute URL starting with `http://` or `https://`; null
    /// or left out for none.
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000, example = "https://example.org/bridge-to-dentistry")]
    pub url: Option<String>,
    /// The slug of an active Resource Type (`GET /taxonomy` lists them).
    #[validate(length(min = 1, max = 80))]
    #[schema(example = "real-world-example")]
    pub resource_type: String,
    /// Slugs of active Social Mission Domains: 1 to 10.
    #[validate(length(min = 1, max = 10, message = "must name 1 to 10 domains"))]
    #[schema(min_items = 1, max_items = 10, example = json!(["pathways-admission-graduation"]))]
    pub domains: Vec<String>,
    /// Slugs of active Social Mission Topics: at most 10; none when left out.
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 topics"))]
    #[schema(max_items = 10, example = json!(["diversity-inclusion-belonging"]))]
    pub topics: Vec<String>,
    /// Slugs of active Health Professions: at most 10; none when left out.
    #[serde(default)]
    #[validate(length(max = 10, message = "must name at most 10 professions"))]
    #[schema(max_items = 10, example = json!(["dentistry"]))]
    pub professions: Vec<String>,
    /// The year it was published, from 1900 to next year; null or left out when unknown.
    #[validate(custom(function = "year_in_range"))]
    #[schema(minimum = 1900, example = 2024)]
    pub year: Option<i32>,
    /// Its authors as they should be shown, people ("Ada Lovelace", "Lovelace, Ada", "Fluker CJ")
    /// or organisations, each 1 to 200 characters; at most 50, none when left out.
    #[serde(default)]
    #[validate(
        length(max = 50, message = "must list at most 50 authors"),
        custom(function = "crate::forms::names_ok")
    )]
    #[schema(max_items = 50)]
    pub authors: Vec<String>,
    /// The journal or publisher, 1 to 300 characters; null or left out for none.
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300, example = "Academic Medicine")]
    pub source: Option<String>,
    /// Its DOI, without `https://doi.org/`; null or left out for none.
    #[validate(length(max = 200), custom(function = "doi_shape"))]
    #[schema(max_length = 200, pattern = r"^10\.[0-9]{4,9}/\S+$", example = "10.1097/ACM.0000000000003121")]
    pub doi: Option<String>,
    /// Whether anyone can read it free of charge; `false` when left out.
    #[serde(default)]
    pub open_access: bool,
}

/// A partial update: only the fields sent change. `slug` renames the resource; the old slug
/// keeps resolving.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "domains": ["community-engagement", "governance-accountability"],
    "topics": ["community-partnerships"],
    "source": "Academic Medicine",
    "doi": "10.1097/ACM.0000000000003121"
}))]
pub struct UpdateResource {
    /// A new slug (lower-case letters and digits joined by single hyphens, at most 80
    /// characters, not a reserved word such as `spotlight`); the old slug keeps resolving.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80, example = "bridge-to-dentistry")]
    pub slug: Option<String>,
    /// A new title, 3 to 300 characters (the slug stays unless `slug` is sent).
    #[schema(min_length = 3, max_length = 300)]
    pub title: Option<String>,
    /// A new summary, at most 2,000 characters; `""` empties it.
    #[schema(max_length = 2000)]
    pub summary: Option<String>,
    /// A new http(s) URL; `null` removes the link.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<String>, format = "uri")]
    pub url: Option<Option<String>>,
    /// The slug of an active Resource Type.
    pub resource_type: Option<String>,
    /// Replaces the Social Mission Domains: 1 to 10 slugs.
    pub domains: Option<Vec<String>>,
    /// Replaces the Social Mission Topics: at most 10 slugs; `[]` removes them all.
    pub topics: Option<Vec<String>>,
    /// Replaces the Health Professions: at most 10 slugs; `[]` removes them all.
    pub professions: Option<Vec<String>>,
    /// A new year (1900 to next year); `null` clears it.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<i32>)]
    pub year: Option<Option<i32>>,
    /// Replaces the authors (at most 50, each 1 to 200 characters); `[]` removes them all.
    pub authors: Option<Vec<String>>,
    /// A new journal or publisher (1 to 300 characters); `null` clears it.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    /// A new DOI without `https://doi.org/`; `null` clears it.
    #[serde(default, deserialize_with = "crate::forms::present")]
    #[schema(value_type = Option<String>, max_length = 200, pattern = r"^10\.[0-9]{4,9}/\S+$")]
    pub doi: Option<Option<String>>,
    /// Whether anyone can read it free of charge.
    pub open_access: Option<bool>,
}

impl UpdateResource {
    pub fn apply(self, mut input: ResourceInput) -> ResourceInput {
        macro_rules! set {
            ($($field:ident),*) => { $( if let Some(v) = self.$field { input.$field = v; } )* };
        }
        set!(title, summary, url, resource_type, domains, topics, professions, year, authors, source, doi, open_access);
        input
    }
}

/// The example of `ResourceJson` (a real example of the library page), which the change feed's
/// example carries too.
pub(crate) fn resource_example() -> serde_json::Value {
    serde_json::json!({
        "id": "01a20d01-7cb8-7809-91c9-bc701e7ea419",
        "slug": "a-toolkit-for-medical-students-to-advocate-for-policy-and-practice",
        "title": "A toolkit for medical students to advocate for policy and practice",
        "summary": "A toolkit for medical students to advocate for policy and practice.",
        "url": "https://example.org/toolkits/medical-student-advocacy",
        "resource_type": { "slug": "implementation-guidance-tools", "label": "Implementation Guidance & Tools" },
        "domains": [{ "slug": "students-faculty", "label": "Students and Faculty" }],
        "topics": [{ "slug": "health-equity-champions", "label": "Health equity champions" }],
        "professions": [{ "slug": "medicine", "label": "Medicine" }],
        "year": 2024,
        "authors": ["Weaver J", "Fluker CJ"],
        "source": null,
        "doi": null,
        "open_access": true,
        "published_at": "2026-11-24T10:15:00Z",
        "updated_at": "2026-11-26T16:40:05Z"
    })
}

/// The example of `AdminResourceJson`: `ResourceJson`'s example as editors see it.
fn admin_resource_example() -> serde_json::Value {
    let mut example = resource_example();
    let extra = serde_json::json!({
        "status": "published",
        "is_spotlight": false,
        "created_at": "2026-11-24T09:58:41Z",
        "suggestion_id": "01a211fa-92e0-71a7-b3f4-9249dc28ff90"
    });
    for (key, value) in extra.as_object().expect("an object") {
        example[key] = value.clone();
    }
    example
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_shapes() {
        assert!(doi_shape("10.1097/ACM.0000000000001234").is_ok());
        assert!(doi_shape("10.12345/a/b(c)").is_ok());
        assert!(doi_shape("https://doi.org/10.1097/x").is_err());
        assert!(doi_shape("10.12/x").is_err());
        assert!(doi_shape("10.1097/ has space").is_err());
    }
}

/// What a search box has typed so far.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The text typed so far (1 to 100 characters). Every word must be a word of the suggestion,
    /// all whole except the last, which may be the start of one unless a space follows it.
    /// Letter case and accents do not matter (`muller` finds "Müller").
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100, example = "community heal")]
    pub q: String,
    /// How many suggestions to return, 1 to 20.
    #[validate(range(min = 1, max = 20))]
    #[param(minimum = 1, maximum = 20, default = 8)]
    pub limit: Option<u32>,
}

/// What a suggestion is: a published resource (its title), or a vocabulary value (its label),
/// named by the list filter that selects it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    Resource,
    Type,
    Domain,
    Topic,
    Profession,
}

/// Where the typed text matched, in Unicode scalar values (code points, not bytes or UTF-16
/// units): `start` inclusive, `end` exclusive. In JavaScript, `Array.from(text).slice(start, end)`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(example = json!({ "start": 0, "end": 9 }))]
pub struct TextRange {
    /// The first character of the match, counted from 0.
    pub start: u32,
    /// The character after the match.
    pub end: u32,
}

/// One suggestion.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "resource",
    "text": "Community Health Workers in Rural Clinics",
    "slug": "community-health-workers-in-rural-clinics",
    "matches": [{ "start": 0, "end": 9 }, { "start": 10, "end": 14 }]
}))]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// The title of the resource, or the label of the value, as shown.
    pub text: String,
    /// The resource's slug (`GET /api/v1/resources/{slug}`), or the value's (`?domain={slug}`).
    pub slug: String,
    /// Where what was typed matched in `text`, in order.
    pub matches: Vec<TextRange>,
}

/// Suggestions for what was typed, best first: vocabulary values (at most 3), then published
/// titles.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "data": [
        { "kind": "topic", "text": "Community Health", "slug": "community-health", "matches": [{ "start": 0, "end": 9 }, { "start": 10, "end": 14 }] },
        { "kind": "resource", "text": "Community Health Workers in Rural Clinics", "slug": "community-health-workers-in-rural-clinics", "matches": [{ "start": 0, "end": 9 }, { "start": 10, "end": 14 }] }
    ]
}))]
pub struct SuggestionList {
    /// The suggestions, best first (none when nothing matches).
    pub data: Vec<Suggestion>,
}
