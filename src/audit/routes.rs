//! `GET /admin/audit-log`: who changed what, when.

use actix_web::{get, web};

use super::json::{AuditEntryJson, AuditQuery};
use super::queries;
use crate::auth::Admin;
use crate::error::ApiResult;
use crate::extract::{PageRequest, Paginated, ValidQuery};
use crate::state::AppState;

/// The audit log, newest first.
#[utoipa::path(
    tag = "admin",
    params(AuditQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of audit entries", body = Paginated<AuditEntryJson>),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<AuditQuery>,
) -> ApiResult<Paginated<AuditEntryJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list(&mut conn, &query, page).await?;
    Ok(Paginated::new(rows.into_iter().map(Into::into).collect(), total, page))
}
