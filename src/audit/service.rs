//! Recording and reading the audit log. `record` runs inside the caller's transaction, so an
//! entry exists exactly when the change it describes committed.

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use super::json::{AuditEntryJson, AuditQuery};
use super::model::NewAuditEntry;
use super::queries;
use crate::error::ApiResult;
use crate::extract::{PageRequest, Paginated};
use crate::state::AppState;

/// Writes one entry, in the caller's transaction.
pub async fn record(conn: &mut AsyncPgConnection, entry: NewAuditEntry<'_>) -> QueryResult<()> {
    queries::insert(conn, &entry).await
}

/// A page of the log, newest first.
pub async fn list(state: &AppState, query: &AuditQuery) -> ApiResult<Paginated<AuditEntryJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list(&mut conn, query, page).await?;
    Ok(Paginated::new(rows.into_iter().map(Into::into).collect(), total, page))
}
