//! Rows of the change feed: entries of `library_changes` (written by the triggers on
//! `resources`). The export reads the library's own cards (`resources::model::ResourceCard`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

pub use crate::resources::model::ChangeKind;

/// One change, numbered in commit order.
#[derive(Debug, Clone, Queryable)]
pub struct ChangeRow {
    pub seq: i64,
    pub resource_id: Uuid,
    pub kind: ChangeKind,
    /// The slug at the time of the change.
    pub slug: String,
    pub changed_at: DateTime<Utc>,
}
