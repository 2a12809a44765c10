//! Staff authentication in two steps. `signed_in` is the middleware of the staff route group
//! (see `routes.rs`): no valid, unexpired access token, no entry (401), before any handler or
//! extractor runs. `Staff` and `Admin` then resolve the signed-in user from the token's claims
//! against the database, so a deactivated user or a revoked session is refused at once, and
//! check the role the handler asks for (403).

use std::future::Future;
use std::pin::Pin;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, ResponseError};
use uuid::Uuid;

use super::jwt::Claims;
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

/// The verified claims of the request's access token.
fn claims(state: &AppState, req: &HttpRequest) -> Result<Claims, ApiError> {
    if let Some(claims) = req.extensions().get::<Claims>() {
        return Ok(claims.clone());
    }
    let token = bearer(req)
        .ok_or_else(|| ApiError::Unauthorized("sign in and send `Authorization: Bearer <access_token>`".into()))?;
    state.jwt.verify(&token).ok_or_else(|| ApiError::Unauthorized("the access token is invalid or has expired".into()))
}

/// The staff group's middleware: a request without a valid access token ends here with a 401;
/// the claims are kept for the extractors.
pub async fn signed_in(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered");
    match claims(state, req.request()) {
        Ok(claims) => {
            req.extensions_mut().insert(claims);
            next.call(req).await.map(ServiceResponse::map_into_left_body)
        }
        Err(refused) => Ok(req.into_response(refused.error_response()).map_into_right_body()),
    }
}

async fn resolve(state: web::Data<AppState>, claims: Result<Claims, ApiError>) -> Result<StaffUser, ApiError> {
    let claims = claims?;
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
        let claims = claims(&state, req);
        Box::pin(async move { resolve(state, claims).await.map(Staff) })
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned().expect("AppState is registered");
        let claims = claims(&state, req);
        Box::pin(async move {
            let user = resolve(state, claims).await?;
            if user.role != Role::Admin {
                return Err(ApiError::Forbidden("this action needs the admin role".into()));
            }
            Ok(Admin(user))
        })
    }
}
