//! The SQL of the feed.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::resource_cards;
use crate::resources::model::{ResourceCard, ResourceStatus};

/// The most recently published resources, newest first (read in the order of the partial index
/// `resources_published_newest`).
pub async fn latest_published(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<ResourceCard>> {
    resource_cards::table
        .filter(resource_cards::status.eq(ResourceStatus::Published))
        .order((resource_cards::published_at.desc(), resource_cards::id.desc()))
        .limit(limit)
        .select(ResourceCard::as_select())
        .load(conn)
        .await
}
