//! `GET /resources/changes` and `GET /resources/export` (`public_reads`).

use actix_web::{get, web};

use super::json::{ChangesPage, ChangesQuery, ExportQuery, ExportRow};
use super::service;
use crate::error::ApiResult;
use crate::extract::respond::Streamed;
use crate::extract::ValidQuery;
use crate::resources::service::Library;
use crate::state::AppState;

/// Mounted inside `/api/v1` before the library's `GET /resources/{key}`, so `changes` and
/// `export` are never read as slugs.
pub fn public_reads(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_resource_changes).service(export_resources);
}

/// Every change to the published library in the order it committed.
///
/// `created` and `updated` carry the resource as it is now; `unpublished` and `deleted` are
/// tombstones with the id and slug. Replaying the feed from the start, or from the last cursor,
/// leaves a mirror holding exactly the published library: a change that commits late is never
/// skipped (changes are numbered under a lock held until commit). Poll with `meta.resume_cursor`.
#[utoipa::path(
    operation_id = "listResourceChanges",
    tag = "partners",
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = ChangesPage),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources/changes")]
pub async fn list_resource_changes(
    state: web::Data<AppState>,
    library: web::Data<Library>,
    ValidQuery(query): ValidQuery<ChangesQuery>,
) -> ApiResult<web::Json<ChangesPage>> {
    Ok(web::Json(service::changes(&state, &library, &query).await?))
}

/// The whole published library, streamed in constant memory: NDJSON (one resource per line) or
/// CSV (RFC 4180, UTF-8 with a byte-order mark), the taxonomy as slugs, in id order. NDJSON is the
/// exact form: in CSV a cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
/// `@`, tab or carriage return) gets a leading `'`. Each export streams on a database connection
/// of its own, a few at once per instance: one more waits up to 3 s for a place, then gets a 503.
#[utoipa::path(
    operation_id = "exportResources",
    tag = "partners",
    params(ExportQuery),
    responses(
        (status = 200, description = "Every published resource", content(
            (ExportRow = "application/x-ndjson"),
            (String = "text/csv"),
        ), headers(("Content-Disposition" = String))),
        (status = 422, response = crate::openapi::Invalid),
        (status = 503, response = crate::openapi::Unavailable),
    )
)]
#[get("/resources/export")]
pub async fn export_resources(
    state: web::Data<AppState>,
    library: web::Data<Library>,
    ValidQuery(query): ValidQuery<ExportQuery>,
) -> ApiResult<Streamed> {
    service::export(&state, library, query.format.unwrap_or_default()).await
}
