//! Wire types of the audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::AuditRow;

/// One change in the audit log, recorded in the same transaction as the change itself.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1842,
    "actor_id": "01a20cc8-8e80-792b-888b-28756bad6be2",
    "actor_email": "grace.okafor@example.org",
    "action": "resource.publish",
    "entity_type": "resource",
    "entity_id": "01a20d01-7cb8-7809-91c9-bc701e7ea419",
    "details": { "from": "draft", "to": "published" },
    "request_id": "01a20d02-9a3c-7e41-8b2d-5f6a7c8e9d01",
    "created_at": "2026-11-24T10:15:00Z"
}))]
pub struct AuditEntryJson {
    /// The entry's number, given in increasing order.
    #[schema(example = 1842)]
    pub id: i64,
    /// Who made the change; null for changes made from the command line (such as the first
    /// admin's account) and when the account was since deleted.
    pub actor_id: Option<Uuid>,
    /// The actor's current sign-in address; null when there is no actor.
    #[schema(example = "grace.okafor@example.org")]
    pub actor_email: Option<String>,
    /// What was done, as `<kind>.<verb>` (`resource.publish`, `user.create`, `privacy.erase`).
    #[schema(example = "resource.publish")]
    pub action: String,
    /// The kind of record changed (`resource`, `user`, `partner`, `vocabulary_term`, `person`…).
    #[schema(example = "resource")]
    pub entity_type: String,
    /// The changed record's id as text (a UUID, or `domains/community-engagement` for a vocabulary
    /// value); empty for a person, whose address is never logged.
    #[schema(example = "01a20d01-7cb8-7809-91c9-bc701e7ea419")]
    pub entity_id: String,
    /// What changed (never a password or token).
    pub details: serde_json::Value,
    /// The `X-Request-Id` of the request that made the change; null from the command line.
    pub request_id: Option<String>,
    /// When the change was made (UTC).
    pub created_at: DateTime<Utc>,
}

impl From<(AuditRow, Option<String>)> for AuditEntryJson {
    fn from((row, actor_email): (AuditRow, Option<String>)) -> Self {
        Self {
            id: row.id,
            actor_id: row.actor_id,
            actor_email,
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            details: row.details,
            request_id: row.request_id,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only changes made by this staff account (its id).
    pub actor_id: Option<Uuid>,
    /// Only changes to this kind of record, exactly as written in the entries (`resource`).
    #[validate(length(max = 100))]
    #[param(example = "resource")]
    pub entity_type: Option<String>,
    /// Only changes to the record with this id, exactly as written in the entries.
    #[validate(length(max = 200))]
    pub entity_id: Option<String>,
    /// Only this action, exactly as written in the entries (`resource.publish`).
    #[validate(length(max = 100))]
    #[param(example = "resource.publish")]
    pub action: Option<String>,
    /// The page to return, from 1; a page past the last one is empty.
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// Entries per page, 1 to 100.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}
