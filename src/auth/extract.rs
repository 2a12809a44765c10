//! Staff authentication, carried by the route groups (see `routes.rs`): `admit` is their policy.
//! It resolves the signed-in user from the bearer token's claims against the
//! database, so a deactivated user or a revoked session is refused at once (401), checks the
//! group's role (403 for an editor in the admin group), and leaves the user for the handler, whose
//! `Staff` or `Admin` argument reads it (and states in its signature what the group enforces).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use uuid::Uuid;

use super::jwt::Claims;
use super::queries;
use super::Role;
use crate::error::{ApiError, ProblemType};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct StaffUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub session_id: Uuid,
}

/// Any signed-in staff member (editor or admin).
#[derive(Debug, Clone)]
pub struct Staff(pub StaffUser);

/// A signed-in admin; an editor gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub StaffUser);

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

/// The verified claims of the request's access token.
fn claims(state: &AppState, req: &HttpRequest) -> Result<Claims, ApiError> {
    let token = bearer(req).ok_or_else(|| {
        ApiError::refused(
            ProblemType::AuthenticationRequired,
            "sign in and send `Authorization: Bearer <access_token>`",
        )
    })?;
    state
        .jwt
        .verify(&token)
        .ok_or_else(|| ApiError::refused(ProblemType::InvalidAccessToken, "the access token is invalid or has expired"))
}

async fn resolve(state: &AppState, claims: Claims) -> Result<StaffUser, ApiError> {
    let mut conn = state.pool.get().await?;
    let user = queries::session_user(&mut conn, claims.sid, state.config.session_max_age)
        .await?
        .filter(|u| u.id == claims.sub)
        .ok_or_else(|| {
            ApiError::refused(ProblemType::SessionEnded, "the session has ended or the account is deactivated")
        })?;
    Ok(StaffUser {
        id: user.id,
        email: user.email,
        name: user.name,
        // The role is read from the database, so a role change applies to live tokens too.
        role: user.role,
        session_id: claims.sid,
    })
}

fn needs(role: Option<Role>, user: &StaffUser) -> Result<(), ApiError> {
    match role {
        Some(Role::Admin) if user.role != Role::Admin => {
            Err(ApiError::refused(ProblemType::AdminRequired, "this action needs the admin role"))
        }
        _ => Ok(()),
    }
}

/// The signed-in user of a request, with at least `role` when one is given.
async fn authenticate(req: &HttpRequest, role: Option<Role>) -> Result<StaffUser, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered");
    let user = resolve(state, claims(state, req)?).await?;
    needs(role, &user)?;
    Ok(user)
}

/// The policy of the staff route groups (`routes.rs`): the signed-in user, with `role` when one
/// is given, left for the handler's `Staff` or `Admin`; or the refusal (401, 403).
pub async fn admit(req: &ServiceRequest, role: Option<Role>) -> Result<(), ApiError> {
    let user = authenticate(req.request(), role).await?;
    req.extensions_mut().insert(user);
    Ok(())
}

/// The user the group admitted; outside a staff group (never, in the route list) it is resolved here.
fn signed_in_user(req: &HttpRequest, role: Option<Role>) -> Pin<Box<dyn Future<Output = Result<StaffUser, ApiError>>>> {
    let admitted = req.extensions().get::<StaffUser>().cloned();
    let req = req.clone();
    Box::pin(async move {
        match admitted {
            Some(user) => needs(role, &user).map(|()| user),
            None => authenticate(&req, role).await,
        }
    })
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = signed_in_user(req, None);
        Box::pin(async move { user.await.map(Staff) })
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = signed_in_user(req, Some(Role::Admin));
        Box::pin(async move { user.await.map(Admin) })
    }
}
