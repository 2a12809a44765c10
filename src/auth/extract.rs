//! `Staff` and `Admin`: the signed-in user, resolved once per request from the bearer token and
//! checked against the database, so a deactivated user or a revoked session is refused at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use uuid::Uuid;

use super::queries;
use super::Role;
use crate::error::ApiError;
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

async fn resolve(state: web::Data<AppState>, token: Option<String>) -> Result<StaffUser, ApiError> {
    let token = token
        .ok_or_else(|| ApiError::Unauthorized("sign in and send `Authorization: Bearer <access_token>`".into()))?;
    let claims = state
        .jwt
        .verify(&token)
        .ok_or_else(|| ApiError::Unauthorized("the access token is invalid or has expired".into()))?;
    let mut conn = state.pool.get().await?;
    let user = queries::session_user(&mut conn, claims.sid, state.config.session_max_age)
        .await?
        .filter(|u| u.id == claims.sub)
        .ok_or_else(|| ApiError::Unauthorized("the session has ended or the account is deactivated".into()))?;
    Ok(StaffUser {
        id: user.id,
        email: user.email,
        name: user.name,
        // The role is read from the database, so a role change applies to live tokens too.
        role: user.role,
        session_id: claims.sid,
    })
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned().expect("AppState is registered");
        let token = bearer(req);
        Box::pin(async move { resolve(state, token).await.map(Staff) })
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned().expect("AppState is registered");
        let token = bearer(req);
        Box::pin(async move {
            let user = resolve(state, token).await?;
            if user.role != Role::Admin {
                return Err(ApiError::Forbidden("this action needs the admin role".into()));
            }
            Ok(Admin(user))
        })
    }
}
