//! SQL of the change feed and the export.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::ChangeRow;
use crate::db::schema::{library_changes, resource_cards};
use crate::resources::model::{ResourceCard, ResourceStatus};

/// Changes after `after`, in commit order (see the migration: numbers are taken under a lock
/// held to commit, so every change up to the largest visible number is visible).
pub async fn changes_after(conn: &mut AsyncPgConnection, after: i64, limit: i64) -> QueryResult<Vec<ChangeRow>> {
    library_changes::table
        .filter(library_changes::seq.gt(after))
        .order(library_changes::seq)
        .limit(limit)
        .select((
            library_changes::seq,
            library_changes::resource_id,
            library_changes::kind,
            library_changes::slug,
            library_changes::changed_at,
        ))
        .load(conn)
        .await
}

/// A batch of published resources after `after` in id order (the export's keyset; the nil
/// UUID, which no resource has, for the first batch): one statement for every batch, prepared
/// once per connection.
pub async fn published_after(conn: &mut AsyncPgConnection, after: Uuid, limit: i64) -> QueryResult<Vec<ResourceCard>> {
    resource_cards::table
        .filter(resource_cards::status.eq(ResourceStatus::Published))
        .filter(resource_cards::id.gt(after))
        .order(resource_cards::id)
        .limit(limit)
        .select(ResourceCard::as_select())
        .load(conn)
        .await
}
