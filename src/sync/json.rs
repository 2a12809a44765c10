//! Wire types of the change feed and the export.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::resources::json::ResourceJson;

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Where to continue: a `next_cursor` or `resume_cursor` from an earlier page; from the start when left out.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub cursor: Option<String>,
    /// Changes per page, 1 to 1,000.
    #[validate(range(min = 1, max = 1000))]
    #[param(minimum = 1, maximum = 1000, default = 100)]
    pub limit: Option<u32>,
}

pub use super::model::ChangeKind;

/// One change, in commit order.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = change_example)]
pub struct ChangeJson {
    pub kind: ChangeKind,
    /// The resource's id: the key to update or delete in a mirror.
    pub id: Uuid,
    /// The slug at the time of the change (tombstones keep it).
    #[schema(example = "a-toolkit-for-medical-students-to-advocate-for-policy-and-practice")]
    pub slug: String,
    /// When the change was made (UTC).
    pub changed_at: DateTime<Utc>,
    /// The resource as it is now, for `created` and `updated`; `null` for tombstones, and when it
    /// has left the library since (a later tombstone in the feed says so).
    pub resource: Option<ResourceJson>,
}

/// Where a page of the change feed stands: the cursor of the next page, and the one to poll with later.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "next_cursor": null,
    "resume_cursor": "YzE6MTg0Mg"
}))]
pub struct ChangesMeta {
    /// The next page's cursor; `null` when this page reached the end of the feed for now.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
    /// Where to continue later (poll with it to get changes made after this page).
    pub resume_cursor: String,
}

/// A page of the change feed: changes oldest first in `data`, the cursors in `meta`. The one cursor
/// envelope of the API (every other collection is paged by number).
#[derive(Debug, Serialize)]
pub struct ChangesPage {
    pub data: Vec<ChangeJson>,
    pub meta: ChangesMeta,
}

impl utoipa::PartialSchema for ChangesPage {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::extract::pagination::envelope::<ChangeJson, ChangesMeta>(
            "A page of the change feed: its changes, oldest first, in `data`; the cursors in `meta`. The one \
             cursor envelope of the API (every other collection is paged by number).",
        )
    }
}

impl ToSchema for ChangesPage {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        crate::extract::pagination::register::<ChangeJson, ChangesMeta>(schemas);
    }
}

/// The file format of the library export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One JSON object per line.
    #[default]
    Ndjson,
    /// RFC 4180, UTF-8 with a byte-order mark (so spreadsheet programs read the accents right);
    /// lists joined with `|` (slugs) and `; ` (authors).
    Csv,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `ndjson` (the default) or `csv`.
    pub format: Option<ExportFormat>,
}

/// A published resource in the export: the taxonomy as slugs. In CSV, each field is a column of
/// the same name; lists are joined with `|` (slugs) or `; ` (authors) and null is an empty cell.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = export_row_example)]
pub struct ExportRow {
    /// The resource's id (a UUID); it never changes.
    pub id: Uuid,
    /// The resource's current slug.
    pub slug: String,
    /// The title.
    pub title: String,
    /// A short description in plain text; may be empty.
    pub summary: String,
    /// Where to read the resource itself; null when the library has no link.
    #[schema(format = "uri")]
    pub url: Option<String>,
    /// The Resource Type's slug.
    #[schema(example = "implementation-guidance-tools")]
    pub resource_type: String,
    /// Social Mission Domain slugs, in display order.
    pub domains: Vec<String>,
    /// Social Mission Topic slugs, in display order; may be empty.
    pub topics: Vec<String>,
    /// Health Profession slugs, in display order; may be empty.
    pub professions: Vec<String>,
    /// The year it was published; null when unknown.
    pub year: Option<i32>,
    /// Its authors as written, in byline order; may be empty.
    pub authors: Vec<String>,
    /// The journal or publisher; null when none is recorded.
    pub source: Option<String>,
    /// Its DOI without `https://doi.org/`; null when it has none.
    pub doi: Option<String>,
    /// Whether anyone can read it free of charge.
    pub open_access: bool,
    /// When it first entered the library (UTC).
    pub published_at: Option<DateTime<Utc>>,
    /// When the resource itself last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<ResourceJson> for ExportRow {
    fn from(r: ResourceJson) -> Self {
        let slugs = |terms: Vec<crate::taxonomy::json::TermRef>| terms.into_iter().map(|t| t.slug).collect();
        Self {
            id: r.id,
            slug: r.slug,
            title: r.title,
            summary: r.summary,
            url: r.url,
            resource_type: r.resource_type.slug,
            domains: slugs(r.domains),
            topics: slugs(r.topics),
            professions: slugs(r.professions),
            year: r.year,
            authors: r.authors,
            source: r.source,
            doi: r.doi,
            open_access: r.open_access,
            published_at: r.published_at,
            updated_at: r.updated_at,
        }
    }
}

impl ExportRow {
    pub const CSV_HEADER: [&'static str; 16] = [
        "id",
        "slug",
        "title",
        "summary",
        "url",
        "resource_type",
        "domains",
        "topics",
        "professions",
        "year",
        "authors",
        "source",
        "doi",
        "open_access",
        "published_at",
        "updated_at",
    ];

    pub fn csv_record(self) -> [String; 16] {
        let time = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        [
            self.id.to_string(),
            self.slug,
            self.title,
            self.summary,
            self.url.unwrap_or_default(),
            self.resource_type,
            self.domains.join("|"),
            self.topics.join("|"),
            self.professions.join("|"),
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            self.authors.join("; "),
            self.source.unwrap_or_default(),
            self.doi.unwrap_or_default(),
            self.open_access.to_string(),
            time(self.published_at),
            self.updated_at.to_rfc3339(),
        ]
    }
}

/// The example of `ExportRow`: `ResourceJson`'s example with its vocabulary values as slugs.
fn export_row_example() -> serde_json::Value {
    let mut row = crate::resources::json::resource_example();
    for key in ["resource_type", "domains", "topics", "professions"] {
        row[key] = match row[key].take() {
            serde_json::Value::Array(terms) => terms.into_iter().map(|t| t["slug"].clone()).collect(),
            term => term["slug"].clone(),
        };
    }
    row
}

/// The example of `ChangeJson`: an update of the resource of `ResourceJson`'s example.
fn change_example() -> serde_json::Value {
    let resource = crate::resources::json::resource_example();
    serde_json::json!({
        "kind": "updated",
        "id": resource["id"],
        "slug": resource["slug"],
        "changed_at": "2026-11-26T16:40:05.318412Z",
        "resource": resource,
    })
}
