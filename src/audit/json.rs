//! Wire types of the audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::AuditRow;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryJson {
    pub id: i64,
    /// Who made the change (null when the account was since removed).
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    #[schema(example = "user.create")]
    pub action: String,
    #[schema(example = "user")]
    pub entity_type: String,
    pub entity_id: String,
    /// What changed (never a password or token).
    pub details: serde_json::Value,
    pub request_id: Option<String>,
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
    pub actor_id: Option<Uuid>,
    #[validate(length(max = 100))]
    pub entity_type: Option<String>,
    #[validate(length(max = 200))]
    pub entity_id: Option<String>,
    #[validate(length(max = 100))]
    pub action: Option<String>,
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}
