//! `/admin/users`: staff accounts, managed by admins.

use actix_web::{get, patch, post, web};
use uuid::Uuid;

use super::json::{CreateUser, UpdateUser, UserJson, UserListQuery};
use super::service;
use crate::auth::Admin;
use crate::error::{ApiResult, ProblemType};
use crate::extract::respond::Created;
use crate::extract::{Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type UserPage = Paginated<UserJson>;

pub fn admins(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users).service(create_user).service(get_user).service(update_user);
}

/// Staff accounts, oldest first.
#[utoipa::path(
    operation_id = "listUsers",
    tag = "users",
    params(UserListQuery),
    responses(
        (status = 200, description = "A page of users", body = UserPage),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<UserListQuery>,
) -> ApiResult<Paginated<UserJson>> {
    service::list(&state, &query).await
}

/// Create a staff account.
#[utoipa::path(
    operation_id = "createUser",
    extensions(("x-problems" = json!([ProblemType::EmailTaken]))),
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserJson, headers(("Location" = String))),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidJson(body): ValidJson<CreateUser>,
) -> ApiResult<Created<UserJson>> {
    let user = service::create(&state, &admin, &request_id, body).await?;
    Ok(Created { location: format!("/api/v1/admin/users/{}", user.id), body: user.into() })
}

/// One staff account.
#[utoipa::path(
    operation_id = "getUser",
    tag = "users",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The user", body = UserJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<UserJson>> {
    Ok(web::Json(service::get(&state, *id).await?.into()))
}

/// Rename, change the role of, deactivate or reactivate a staff account.
///
/// Deactivating ends every session of the user at once. Admins cannot change their own role or
/// deactivate themselves (409), so the service always keeps the admin who is acting.
#[utoipa::path(
    operation_id = "updateUser",
    extensions(("x-problems" = json!([ProblemType::OwnAccount]))),
    tag = "users",
    params(("id" = Uuid, Path, description = "The user's id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "The updated user", body = UserJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<UpdateUser>,
) -> ApiResult<web::Json<UserJson>> {
    Ok(web::Json(service::update(&state, &admin, &request_id, id.into_inner(), body).await?.into()))
}
