//! Rows of the `audit_log` table.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::audit_log;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct AuditRow {
    pub id: i64,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub details: serde_json::Value,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry<'a> {
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    pub details: serde_json::Value,
    pub request_id: Option<&'a str>,
}

impl<'a> NewAuditEntry<'a> {
    /// What a signed-in staff member did to one record, in the request `request_id`.
    pub fn by_staff(
        staff: &crate::auth::StaffUser,
        action: &'a str,
        entity_type: &'a str,
        entity_id: impl ToString,
        request_id: &'a crate::middleware::RequestId,
        details: serde_json::Value,
    ) -> Self {
        Self {
            actor_id: Some(staff.id),
            action,
            entity_type,
            entity_id: entity_id.to_string(),
            details,
            request_id: Some(&request_id.0),
        }
    }
}
