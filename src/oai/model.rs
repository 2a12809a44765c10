//! Rows OAI-PMH reads: the latest change of each resource the library ever published.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamptz};
use uuid::Uuid;

use crate::resources::model::ChangeKind;

/// A resource's latest entry in `library_changes`: its datestamp, and whether it is deleted.
#[derive(Debug, Clone, Queryable, QueryableByName)]
pub struct Change {
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub resource_id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: ChangeKind,
    #[diesel(sql_type = Timestamptz)]
    pub changed_at: DateTime<Utc>,
}

impl Change {
    /// Created or updated: the resource is published (unpublished and deleted ones are deleted
    /// records, for good).
    pub fn is_published(&self) -> bool {
        self.kind.is_published()
    }
}

/// What a list selects, resolved: `from` inclusive, `until` exclusive, and a set as the resource
/// types or the domain/topic values it stands for.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub types: Option<Vec<i32>>,
    pub terms: Option<Vec<i32>>,
}
