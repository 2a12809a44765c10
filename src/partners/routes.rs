//! `/admin/partners`: partner institutions and their API keys, managed by admins.

use actix_web::{delete, get, post, put, web};
use uuid::Uuid;

use super::json::{IssuedKey, KeyInput, KeyJson, PartnerInput, PartnerJson};
use super::keys::KeyStore;
use super::service;
use crate::auth::Admin;
use crate::error::ApiResult;
use crate::extract::respond::Created;
use crate::extract::{OptionalJson, PageQuery, PageRequest, Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type PartnerPage = Paginated<PartnerJson>;
type KeyPage = Paginated<KeyJson>;

pub fn admins(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_partners)
        .service(create_partner)
        .service(get_partner)
        .service(replace_partner)
        .service(list_partner_keys)
        .service(issue_partner_key)
        .service(revoke_partner_key);
}

/// Partner institutions, by name.
#[utoipa::path(
    operation_id = "listPartners",
    tag = "partners",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of partners", body = PartnerPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/partners")]
pub async fn list_partners(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Paginated<PartnerJson>> {
    service::list(&state, PageRequest::new(query.page, query.per_page)).await
}

/// Register a partner institution.
#[utoipa::path(
    operation_id = "createPartner",
    tag = "partners",
    request_body = PartnerInput,
    responses(
        (status = 201, description = "Registered", body = PartnerJson, headers(("Location" = String))),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/partners")]
pub async fn create_partner(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidJson(input): ValidJson<PartnerInput>,
) -> ApiResult<Created<PartnerJson>> {
    let body = service::create(&state, &admin, &request_id, &input).await?;
    Ok(Created { location: format!("/api/v1/admin/partners/{}", body.id), body })
}

/// One partner.
#[utoipa::path(
    operation_id = "getPartner",
    tag = "partners",
    params(("id" = Uuid, Path, description = "The partner's id")),
    responses(
        (status = 200, description = "The partner", body = PartnerJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/partners/{id}")]
pub async fn get_partner(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<PartnerJson>> {
    Ok(web::Json(service::get(&state, *id).await?))
}

/// Replace a partner's details.
#[utoipa::path(
    operation_id = "replacePartner",
    tag = "partners",
    params(("id" = Uuid, Path, description = "The partner's id")),
    request_body = PartnerInput,
    responses(
        (status = 200, description = "The partner", body = PartnerJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/partners/{id}")]
pub async fn replace_partner(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(input): ValidJson<PartnerInput>,
) -> ApiResult<web::Json<PartnerJson>> {
    Ok(web::Json(service::replace(&state, &admin, &request_id, id.into_inner(), &input).await?))
}

/// A partner's keys (prefixes, use, revocation; never the keys themselves).
#[utoipa::path(
    operation_id = "listPartnerKeys",
    tag = "partners",
    params(("id" = Uuid, Path, description = "The partner's id"), PageQuery),
    responses(
        (status = 200, description = "A page of the keys, oldest first", body = KeyPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/partners/{id}/keys")]
pub async fn list_partner_keys(
    state: web::Data<AppState>,
    keys: web::Data<KeyStore>,
    _admin: Admin,
    id: web::Path<Uuid>,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Paginated<KeyJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Paginated::of_all(service::list_keys(&state, &keys, *id).await?, page))
}

/// Issue a key. The answer holds the key itself, this once: only its hash is kept.
#[utoipa::path(
    operation_id = "issuePartnerKey",
    tag = "partners",
    params(("id" = Uuid, Path, description = "The partner's id")),
    request_body = Option<KeyInput>,
    responses(
        (status = 201, description = "Issued", body = IssuedKey, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/partners/{id}/keys")]
pub async fn issue_partner_key(
    state: web::Data<AppState>,
    keys: web::Data<KeyStore>,
    Admin(admin): Admin,
    request_id: RequestId,
    id: web::Path<Uuid>,
    OptionalJson(input): OptionalJson<KeyInput>,
) -> ApiResult<Created<IssuedKey>> {
    let id = id.into_inner();
    let body = service::issue_key(&state, &keys, &admin, &request_id, id, &input).await?;
    Ok(Created { location: format!("/api/v1/admin/partners/{id}/keys"), body })
}

/// Revoke a key: it is refused (401) from now on.
#[utoipa::path(
    operation_id = "revokePartnerKey",
    tag = "partners",
    params(
        ("id" = Uuid, Path, description = "The partner's id"),
        ("key_id" = Uuid, Path, description = "The key's id, as the partner's key list gives it")
    ),
    responses(
        (status = 200, description = "Revoked", body = KeyJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[delete("/partners/{id}/keys/{key_id}")]
pub async fn revoke_partner_key(
    state: web::Data<AppState>,
    keys: web::Data<KeyStore>,
    Admin(admin): Admin,
    request_id: RequestId,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<KeyJson>> {
    let (id, key_id) = path.into_inner();
    Ok(web::Json(service::revoke_key(&state, &keys, &admin, &request_id, id, key_id).await?))
}
