//! The Champion Spotlight: `GET /champions` for everyone; editing and (un)publishing under
//! `/admin/champions`.

use actix_web::{get, patch, post, web, HttpRequest};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::champions_json;
use super::nominations::profession_id;
use crate::audit::{self, NewAuditEntry};
use crate::auth::Staff;
use crate::champions::json::{AdminChampionJson, ChampionJson, ChampionStatus, ChampionStatusQuery, UpdateChampion};
use crate::champions::model::{ChampionChanges, ChampionRow, NomineeConsent};
use crate::champions::queries;
use crate::db::schema::champions;
use crate::error::{ApiError, ApiResult};
use crate::extract::conditional::Cached;
use crate::extract::pagination::link_header;
use crate::extract::{PageQuery, PageRequest, Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// A nominee who withdraws consent is unpublished at once.
pub async fn withdraw(conn: &mut AsyncPgConnection, nomination_id: Uuid) -> ApiResult<()> {
    diesel::update(champions::table.filter(champions::nomination_id.eq(nomination_id)))
        .set((champions::status.eq(ChampionStatus::Unpublished), champions::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await?;
    Ok(())
}

/// The published Champion Spotlights, most recent first.
///
/// Only what each champion agreed to show: never an email, a nominator or an editor's note.
#[utoipa::path(
    tag = "champions",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of spotlights", body = Paginated<ChampionJson>, headers(("Link" = String), ("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/champions")]
pub async fn list_public(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Cached<Paginated<ChampionJson>>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list_champions(&mut conn, Some(ChampionStatus::Published), page).await?;
    let data = champions_json(&mut conn, rows).await?.into_iter().map(|c| c.champion).collect();
    let link = link_header(&state.config.public_base_url, &req, total, page.page, page.per_page);
    Ok(Cached { body: Paginated::new(data, total, page), link: Some(link) })
}

/// One published spotlight.
#[utoipa::path(
    tag = "champions",
    params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The spotlight", body = ChampionJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/champions/{slug}")]
pub async fn get_public(state: web::Data<AppState>, slug: web::Path<String>) -> ApiResult<Cached<ChampionJson>> {
    let mut conn = state.pool.get().await?;
    let row = queries::published_by_slug(&mut conn, &slug).await?.ok_or_else(|| ApiError::not_found("champion"))?;
    Ok(Cached::new(champions_json(&mut conn, vec![row]).await?.remove(0).champion))
}

/// Every spotlight, published or not, most recent first.
#[utoipa::path(
    tag = "admin",
    params(PageQuery, ChampionStatusQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of spotlights", body = Paginated<AdminChampionJson>, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/champions")]
pub async fn list_admin(
    state: web::Data<AppState>,
    _staff: Staff,
    ValidQuery(query): ValidQuery<PageQuery>,
    ValidQuery(status): ValidQuery<ChampionStatusQuery>,
) -> ApiResult<Paginated<AdminChampionJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list_champions(&mut conn, status.status, page).await?;
    Ok(Paginated::new(champions_json(&mut conn, rows).await?, total, page))
}

async fn one(conn: &mut AsyncPgConnection, row: ChampionRow) -> ApiResult<web::Json<AdminChampionJson>> {
    Ok(web::Json(champions_json(conn, vec![row]).await?.remove(0)))
}

async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<ChampionRow> {
    queries::find_champion(conn, id).await?.ok_or_else(|| ApiError::not_found("champion"))
}

/// One spotlight.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/champions/{id}")]
pub async fn get_admin(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    let mut conn = state.pool.get().await?;
    let row = find(&mut conn, *id).await?;
    one(&mut conn, row).await
}

async fn change(
    state: &AppState,
    staff: &Staff,
    request_id: &RequestId,
    id: Uuid,
    action: &'static str,
    body: UpdateChampion,
    status: Option<ChampionStatus>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find(conn, id).await?;
            if status == Some(ChampionStatus::Published) {
                if let Some(nomination) = before.nomination_id {
                    let n = queries::find_nomination(conn, nomination).await?;
                    if n.is_some_and(|n| n.nominee_consent != NomineeConsent::Given) {
                        return Err(ApiError::Conflict("the nominee withdrew their consent to be featured".into()));
                    }
                }
            }
            let profession_id = match &body.profession {
                Some(slug) => Some(profession_id(conn, "profession", slug).await?),
                None => None,
            };
            let changes = ChampionChanges {
                name: body.name.clone(),
                role: body.role.clone(),
                institution: body.institution.clone(),
                profession_id,
                story: body.story.clone(),
                photo_url: body.photo_url.clone(),
                published_on: body.published_on,
                status,
                updated_at: Some(Utc::now()),
            };
            let row = queries::update_champion(conn, id, &changes).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    &staff.0,
                    action,
                    "champion",
                    id,
                    request_id,
                    json!({ "from": before.status, "to": row.status, "fields": body_fields(&body) }),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    one(&mut conn, row).await
}

/// The names of the fields an edit sent (the audit log keeps which, not the texts).
fn body_fields(body: &UpdateChampion) -> Vec<&'static str> {
    [
        ("name", body.name.is_some()),
        ("role", body.role.is_some()),
        ("institution", body.institution.is_some()),
        ("profession", body.profession.is_some()),
        ("story", body.story.is_some()),
        ("photo_url", body.photo_url.is_some()),
        ("published_on", body.published_on.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, sent)| sent.then_some(name))
    .collect()
}

/// Edit a spotlight (only the fields sent change; `photo_url: null` removes the photo).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    request_body = UpdateChampion,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The updated spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/champions/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    staff: Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<UpdateChampion>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    change(&state, &staff, &request_id, id.into_inner(), "champion.update", body, None).await
}

/// Publish again (409 when the nominee has withdrawn their consent).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/champions/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    staff: Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    let body = UpdateChampion::default();
    change(&state, &staff, &request_id, id.into_inner(), "champion.publish", body, Some(ChampionStatus::Published))
        .await
}

/// Unpublish: the spotlight leaves `GET /champions` (kept for the editors).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The spotlight", body = AdminChampionJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[post("/champions/{id}/unpublish")]
pub async fn unpublish(
    state: web::Data<AppState>,
    staff: Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminChampionJson>> {
    let body = UpdateChampion::default();
    change(&state, &staff, &request_id, id.into_inner(), "champion.unpublish", body, Some(ChampionStatus::Unpublished))
        .await
}
