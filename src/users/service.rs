//! The rules of staff accounts: unique addresses, hashed passwords, admins who cannot demote or
//! deactivate themselves, deactivation that ends every session at once; each change audited.

use chrono::Utc;
use diesel_async::AsyncConnection;
use serde_json::json;
use uuid::Uuid;

use super::json::{CreateUser, UpdateUser, UserJson, UserListQuery};
use super::model::{NewUser, User, UserChanges};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::{queries as auth, StaffUser};
use crate::error::{ApiError, ApiResult, ProblemType};
use crate::extract::{PageRequest, Paginated};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

/// Staff accounts, oldest first.
pub async fn list(state: &AppState, query: &UserListQuery) -> ApiResult<Paginated<UserJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (rows, total) = queries::list(&mut *state.pool.get().await?, query.role, query.active, page).await?;
    Ok(Paginated::new(rows.into_iter().map(Into::into).collect(), total, page))
}

/// One account, or a 404.
pub async fn get(state: &AppState, id: Uuid) -> ApiResult<User> {
    queries::find(&mut *state.pool.get().await?, id).await?.ok_or_else(|| ApiError::not_found("user"))
}

/// A new account (409 when the address is taken).
pub async fn create(state: &AppState, admin: &StaffUser, request_id: &RequestId, body: CreateUser) -> ApiResult<User> {
    let password_hash = state.passwords.hash(body.password).await?;
    let email = Email::from_field(&body.email, "email")?;
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        if queries::find_by_email(conn, &email).await?.is_some() {
            return Err(ApiError::refused(
                ProblemType::EmailTaken,
                format!("a user with the email {email} already exists"),
            ));
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
    .await
}

/// Renames, changes the role of, deactivates or reactivates an account. Deactivating ends its
/// sessions; admins cannot change their own role or deactivate themselves (409).
pub async fn update(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    body: UpdateUser,
) -> ApiResult<User> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let before = queries::find(conn, id).await?.ok_or_else(|| ApiError::not_found("user"))?;
        let new_role = body.role.filter(|r| *r != before.role);
        let new_active = body.is_active.filter(|a| *a != before.is_active);
        let new_name = body.name.clone().filter(|n| *n != before.name);
        if id == admin.id && (new_role.is_some() || new_active == Some(false)) {
            return Err(ApiError::refused(
                ProblemType::OwnAccount,
                "you cannot change your own role or deactivate yourself",
            ));
        }
        if new_role.is_none() && new_active.is_none() && new_name.is_none() {
            return Ok(before);
        }
        let changes =
            UserChanges { name: new_name.clone(), role: new_role, is_active: new_active, updated_at: Some(Utc::now()) };
        let user = queries::update(conn, id, &changes).await?;
        if new_active == Some(false) {
            auth::revoke_user_sessions(conn, id, "deactivated").await?;
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
    .await
}
