//! Rows of `resources`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::resources;
use crate::taxonomy::json::TermRef;
use crate::taxonomy::model::{Term, Vocabulary};
use crate::text_enum;

/// Where a resource is in its life: `draft` (new, or unpublished: only staff see it),
/// `published` (in the library, public) or `archived` (kept for the record, never shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum ResourceStatus {
    Draft,
    Published,
    Archived,
}
text_enum!(ResourceStatus { Draft = "draft", Published = "published", Archived = "archived" });

// A row of `library_changes` (written by the triggers on `resources`), which the sync feed and
// OAI-PMH read.
/// What happened to a resource in the published library: `created` and `updated` carry it as it
/// is now; `unpublished` and `deleted` are tombstones (it left the library).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The resource entered the library (published).
    Created,
    /// Something a reader sees changed: its fields, its vocabulary values or its slug.
    Updated,
    /// Tombstone: the resource left the library (back to draft or archived).
    Unpublished,
    /// Tombstone: the resource was deleted.
    Deleted,
}

text_enum!(ChangeKind { Created = "created", Updated = "updated", Unpublished = "unpublished", Deleted = "deleted" });

impl ChangeKind {
    /// Created or updated: the resource is in the library (unpublished and deleted are tombstones).
    pub fn is_published(self) -> bool {
        matches!(self, Self::Created | Self::Updated)
    }
}

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = resources)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ResourceRow {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub url: Option<String>,
    pub resource_type_id: i32,
    pub year: Option<i32>,
    pub authors: Vec<String>,
    pub source: Option<String>,
    pub doi: Option<String>,
    pub open_access: bool,
    pub status: ResourceStatus,
    pub is_spotlight: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The suggestion the resource was made from.
    pub suggestion_id: Option<Uuid>,
}

/// The editable fields, as stored.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = resources)]
#[diesel(treat_none_as_null = true)]
pub struct ResourceFields {
    pub title: String,
    pub summary: String,
    pub url: Option<String>,
    pub resource_type_id: i32,
    pub year: Option<i32>,
    pub authors: Vec<String>,
    pub source: Option<String>,
    pub doi: Option<String>,
    pub open_access: bool,
}

/// A resource with the ids of its domains, topics and professions (the `resource_cards` view):
/// what the public reads need, in one query.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::resource_cards)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ResourceCard {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub url: Option<String>,
    pub resource_type_id: i32,
    pub year: Option<i32>,
    pub authors: Vec<String>,
    pub source: Option<String>,
    pub doi: Option<String>,
    pub open_access: bool,
    pub status: ResourceStatus,
    pub is_spotlight: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub term_ids: Vec<i32>,
}

impl ResourceCard {
    pub fn new(row: ResourceRow, term_ids: Vec<i32>) -> Self {
        let ResourceRow {
            id,
            slug,
            title,
            summary,
            url,
            resource_type_id,
            year,
            authors,
            source,
            doi,
            open_access,
            status,
            is_spotlight,
            published_at,
            created_at,
            updated_at,
            suggestion_id: _,
        } = row;
        Self {
            id,
            slug,
            title,
            summary,
            url,
            resource_type_id,
            year,
            authors,
            source,
            doi,
            open_access,
            status,
            is_spotlight,
            published_at,
            created_at,
            updated_at,
            term_ids,
        }
    }
}

/// A published resource as served (`served_cards`, rendered by the database's triggers whenever
/// the resource, its links or a value it shows change): its JSON and ETag.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::served_cards)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ServedCard {
    pub resource_id: Uuid,
    pub body: String,
    pub etag: String,
}

/// A vocabulary value as the library's read paths need it.
#[derive(Debug, Clone)]
pub struct IndexedTerm {
    pub id: i32,
    pub vocabulary: Vocabulary,
    pub term: TermRef,
    pub retired: bool,
}

impl From<Term> for IndexedTerm {
    fn from(t: Term) -> Self {
        Self {
            id: t.id,
            vocabulary: t.vocabulary,
            retired: t.retired_at.is_some(),
            term: TermRef { slug: t.slug, label: t.label },
        }
    }
}
