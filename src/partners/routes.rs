//! `/admin/partners`: partner institutions and their API keys, managed by admins.

use actix_web::{delete, get, post, put, web};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{IssuedKey, KeyInput, KeyJson, PartnerInput, PartnerJson};
use super::keys::{generate, ApiKey};
use super::model::{PartnerFields, PartnerRow};
use super::queries;
use crate::audit::{self, NewAuditEntry};
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::extract::respond::Created;
use crate::extract::{PageQuery, PageRequest, Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

fn fields(input: &PartnerInput) -> ApiResult<PartnerFields> {
    Ok(PartnerFields {
        institution: input.institution.clone(),
        contact_name: input.contact_name.clone(),
        contact_email: input
            .contact_email
            .as_deref()
            .map(|e| Email::from_field(e, "contact_email").map(Email::into_inner))
            .transpose()?,
        notes: input.notes.clone(),
    })
}

async fn partner(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<PartnerRow> {
    queries::find(conn, id).await?.ok_or_else(|| ApiError::not_found("partner"))
}

/// Partner institutions, by name.
#[utoipa::path(
    tag = "admin",
    params(PageQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of partners", body = Paginated<PartnerJson>, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/partners")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Paginated<PartnerJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (rows, total) = queries::list(&mut *state.pool.get().await?, page).await?;
    Ok(Paginated::new(rows.into_iter().map(|(p, n)| PartnerJson::new(p, n)).collect(), total, page))
}

/// Register a partner institution.
#[utoipa::path(
    tag = "admin",
    request_body = PartnerInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Registered", body = PartnerJson, headers(("Location" = String))),
        crate::openapi::JsonBodyErrors,
        crate::openapi::StaffErrors,
    )
)]
#[post("/partners")]
pub async fn create(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidJson(input): ValidJson<PartnerInput>,
) -> ApiResult<Created<PartnerJson>> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = queries::insert(conn, &fields(&input)?).await?;
            let details = json!({ "institution": row.institution });
            audit::record(
                conn,
                NewAuditEntry::by_staff(&admin, "partner.create", "partner", row.id, &request_id, details),
            )
            .await?;
            Ok(row)
        })
        .await?;
    Ok(Created { location: format!("/api/v1/admin/partners/{}", row.id), body: PartnerJson::new(row, 0) })
}

/// One partner.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The partner", body = PartnerJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/partners/{id}")]
pub async fn get(state: web::Data<AppState>, _admin: Admin, id: web::Path<Uuid>) -> ApiResult<web::Json<PartnerJson>> {
    let mut conn = state.pool.get().await?;
    let row = partner(&mut conn, *id).await?;
    let keys = queries::active_keys(&mut conn, row.id).await?;
    Ok(web::Json(PartnerJson::new(row, keys)))
}

/// Replace a partner's details.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    request_body = PartnerInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The partner", body = PartnerJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/partners/{id}")]
pub async fn replace(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(input): ValidJson<PartnerInput>,
) -> ApiResult<web::Json<PartnerJson>> {
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let (row, keys) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            partner(conn, id).await?;
            let row = queries::update(conn, id, &fields(&input)?).await?;
            let details = json!({ "institution": row.institution });
            audit::record(conn, NewAuditEntry::by_staff(&admin, "partner.update", "partner", id, &request_id, details))
                .await?;
            Ok((row, queries::active_keys(conn, id).await?))
        })
        .await?;
    Ok(web::Json(PartnerJson::new(row, keys)))
}

/// A partner's keys (prefixes, use, revocation; never the keys themselves).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The keys, oldest first", body = Vec<KeyJson>),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/partners/{id}/keys")]
pub async fn list_keys(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<KeyJson>>> {
    // This instance's counted use first, so the figures are current.
    state.partner_keys.flush().await.map_err(ApiError::Internal)?;
    let mut conn = state.pool.get().await?;
    partner(&mut conn, *id).await?;
    Ok(web::Json(queries::keys_of(&mut conn, *id).await?.into_iter().map(Into::into).collect()))
}

/// Issue a key. The answer holds the key itself, this once: only its hash is kept.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    request_body = KeyInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Issued", body = IssuedKey, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/partners/{id}/keys")]
pub async fn issue_key(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(input): ValidJson<KeyInput>,
) -> ApiResult<Created<IssuedKey>> {
    let id = id.into_inner();
    let (key, prefix, hash) = generate();
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            partner(conn, id).await?;
            let row = queries::insert_key(conn, id, &input.name, &prefix, &hash).await?;
            let details = json!({ "key_id": row.id, "prefix": row.prefix, "name": row.name });
            audit::record(
                conn,
                NewAuditEntry::by_staff(&admin, "partner.key.issue", "partner", id, &request_id, details),
            )
            .await?;
            Ok(row)
        })
        .await?;
    // Known live at once on this instance, so its first reads spend no anonymous budget.
    state.partner_keys.remember(hash, ApiKey { id: row.id, partner_id: id });
    Ok(Created { location: format!("/api/v1/admin/partners/{id}/keys"), body: IssuedKey { key_info: row.into(), key } })
}

/// Revoke a key: it is refused (401) from now on.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path), ("key_id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Revoked", body = KeyJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[delete("/partners/{id}/keys/{key_id}")]
pub async fn revoke_key(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<KeyJson>> {
    let (id, key_id) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let (row, hash) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let revoked = queries::revoke(conn, id, key_id).await?.ok_or_else(|| ApiError::not_found("key"))?;
            let details = json!({ "key_id": key_id, "prefix": revoked.0.prefix });
            audit::record(
                conn,
                NewAuditEntry::by_staff(&admin, "partner.key.revoke", "partner", id, &request_id, details),
            )
            .await?;
            Ok(revoked)
        })
        .await?;
    state.partner_keys.forget(&hash);
    Ok(web::Json(row.into()))
}
