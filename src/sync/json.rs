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
    #[validate(range(min = 1, max = 1000))]
    #[param(minimum = 1, maximum = 1000, default = 100)]
    pub limit: Option<u32>,
}

pub use super::model::ChangeKind;

/// One change, in commit order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeJson {
    pub kind: ChangeKind,
    pub id: Uuid,
    /// The slug at the time of the change (tombstones keep it).
    pub slug: String,
    pub changed_at: DateTime<Utc>,
    /// The resource as it is now, for `created` and `updated`; `null` for tombstones, and when it
    /// has left the library since (a later tombstone in the feed says so).
    pub resource: Option<ResourceJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesMeta {
    /// The next page's cursor; `null` when this page reached the end of the feed for now.
    pub next_cursor: Option<String>,
    /// Where to continue later (poll with it to get changes made after this page).
    pub resume_cursor: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesPage {
    pub data: Vec<ChangeJson>,
    pub meta: ChangesMeta,
}

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

/// A published resource in the export: the taxonomy as slugs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportRow {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub url: Option<String>,
    pub resource_type: String,
    pub domains: Vec<String>,
    pub topics: Vec<String>,
    pub professions: Vec<String>,
    pub year: Option<i32>,
    pub authors: Vec<String>,
    pub source: Option<String>,
    pub doi: Option<String>,
    pub open_access: bool,
    pub published_at: Option<DateTime<Utc>>,
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
