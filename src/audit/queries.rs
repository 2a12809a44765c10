//! All SQL of the audit log.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::json::AuditQuery;
use super::model::{AuditRow, NewAuditEntry};
use crate::db::schema::{audit_log, users};
use crate::extract::PageRequest;

pub async fn insert(conn: &mut AsyncPgConnection, entry: &NewAuditEntry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table).values(entry).execute(conn).await?;
    Ok(())
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &AuditQuery,
    page: PageRequest,
) -> QueryResult<(Vec<(AuditRow, Option<String>)>, i64)> {
    let filtered = || {
        let mut q = audit_log::table.left_join(users::table).into_boxed();
        if let Some(actor) = filter.actor_id {
            q = q.filter(audit_log::actor_id.eq(actor));
        }
        if let Some(t) = &filter.entity_type {
            q = q.filter(audit_log::entity_type.eq(t.clone()));
        }
        if let Some(id) = &filter.entity_id {
            q = q.filter(audit_log::entity_id.eq(id.clone()));
        }
        if let Some(a) = &filter.action {
            q = q.filter(audit_log::action.eq(a.clone()));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select((AuditRow::as_select(), users::email.nullable()))
        .load(conn)
        .await?;
    Ok((rows, total))
}
