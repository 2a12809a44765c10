//! `GET /admin/audit-log`: who changed what, when.

use actix_web::{get, web};

use super::json::{AuditEntryJson, AuditQuery};
use super::service;
use crate::auth::Admin;
use crate::error::ApiResult;
use crate::extract::{Paginated, ValidQuery};
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type AuditEntryPage = Paginated<AuditEntryJson>;

pub fn admins(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit_log);
}

/// The audit log, newest first.
#[utoipa::path(
    operation_id = "listAuditLog",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit entries", body = AuditEntryPage),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<AuditQuery>,
) -> ApiResult<Paginated<AuditEntryJson>> {
    service::list(&state, &query).await
}
