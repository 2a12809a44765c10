//! `/admin/users`: staff accounts, managed by admins.

use actix_web::{get, patch, post, web};
use chrono::Utc;
use diesel_async::AsyncConnection;
use serde_json::json;
use uuid::Uuid;

use super::json::{CreateUser, UpdateUser, UserJson, UserListQuery};
use super::model::{NewUser, UserChanges};
use super::queries;
use crate::audit::{self, NewAuditEntry};
use crate::auth::{queries as sessions, Admin};
use crate::error::{ApiError, ApiResult};
use crate::extract::respond::Created;
use crate::extract::{PageRequest, Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

/// Staff accounts, oldest first.
#[utoipa::path(
    tag = "admin",
    params(UserListQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of users", body = Paginated<UserJson>),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<UserListQuery>,
) -> ApiResult<Paginated<UserJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (rows, total) = queries::list(&mut *state.pool.get().await?, query.role, query.active, page).await?;
    Ok(Paginated::new(rows.into_iter().map(Into::into).collect(), total, page))
}

/// Create a staff account.
#[utoipa::path(
    tag = "admin",
    request_body = CreateUser,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Created", body = UserJson, headers(("Location" = String))),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
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
    let password_hash = state.passwords.hash(body.password).await?;
    let email = Email::from_field(&body.email, "email")?;
    let mut conn = state.pool.get().await?;
    let user = conn
        .transaction::<_, ApiError, _>(async |conn| {
            if queries::find_by_email(conn, &email).await?.is_some() {
                return Err(ApiError::Conflict(format!("a user with the email {email} already exists")));
            }
            let new = NewUser {
                id: Uuid::now_v7(),
                email: email.as_ref(),
                name: &body.name,
                role: body.role,
                password_hash: &password_hash,
            };
            let user = queries::insert(conn, &new).await?;
            audit::record(
                conn,
                NewAuditEntry {
                    actor_id: Some(admin.id),
                    action: "user.create",
                    entity_type: "user",
                    entity_id: user.id.to_string(),
                    details: json!({ "email": user.email, "name": user.name, "role": user.role }),
                    request_id: Some(&request_id.0),
                },
            )
            .await?;
            Ok(user)
        })
        .await?;
    Ok(Created { location: format!("/api/v1/admin/users/{}", user.id), body: user.into() })
}

/// One staff account.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path, description = "The user's id")),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The user", body = UserJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<UserJson>> {
    let user = queries::find(&mut *state.pool.get().await?, *id).await?.ok_or_else(|| ApiError::not_found("user"))?;
    Ok(web::Json(user.into()))
}

/// Rename, change the role of, deactivate or reactivate a staff account.
///
/// Deactivating ends every session of the user at once. Admins cannot change their own role or
/// deactivate themselves (409), so the service always keeps the admin who is acting.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path, description = "The user's id")),
    request_body = UpdateUser,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The updated user", body = UserJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
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
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let user = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = queries::find(conn, id).await?.ok_or_else(|| ApiError::not_found("user"))?;
            let new_role = body.role.filter(|r| *r != before.role);
            let new_active = body.is_active.filter(|a| *a != before.is_active);
            let new_name = body.name.clone().filter(|n| *n != before.name);
            if id == admin.id && (new_role.is_some() || new_active == Some(false)) {
                return Err(ApiError::Conflict("you cannot change your own role or deactivate yourself".into()));
            }
            if new_role.is_none() && new_active.is_none() && new_name.is_none() {
                return Ok(before);
            }
            let changes = UserChanges {
                name: new_name.clone(),
                role: new_role,
                is_active: new_active,
                updated_at: Some(Utc::now()),
            };
            let user = queries::update(conn, id, &changes).await?;
            if new_active == Some(false) {
                sessions::revoke_user_sessions(conn, id, "deactivated").await?;
            }
            let mut details = serde_json::Map::new();
            if let Some(name) = &new_name {
                details.insert("name".into(), json!({ "from": before.name, "to": name }));
            }
            if let Some(role) = &new_role {
                details.insert("role".into(), json!({ "from": before.role, "to": role }));
            }
            if let Some(active) = new_active {
                details.insert("is_active".into(), json!({ "from": before.is_active, "to": active }));
            }
            let action = match new_active {
                Some(false) => "user.deactivate",
                Some(true) => "user.reactivate",
                None => "user.update",
            };
            audit::record(
                conn,
                NewAuditEntry {
                    actor_id: Some(admin.id),
                    action,
                    entity_type: "user",
                    entity_id: id.to_string(),
                    details: details.into(),
                    request_id: Some(&request_id.0),
                },
            )
            .await?;
            Ok(user)
        })
        .await?;
    Ok(web::Json(user.into()))
}
