//! Staff sign-in: login, refresh (rotating), logout and the current user.

use actix_web::{get, post, web, HttpRequest};

use super::json::{LoginRequest, RefreshRequest, TokenResponse};
use super::service;
use crate::auth::Staff;
use crate::error::{ApiResult, ProblemType};
use crate::extract::respond::NoContent;
use crate::extract::{client_key, ValidJson};
use crate::state::AppState;
use crate::users::json::UserJson;

/// `/auth`: anonymous sign-in and refresh (limited by the sign-in throttle of `auth::throttle`),
/// logout and the current user (a staff access token).
/// Signing in and refreshing: anonymous, limited by failed attempts (`auth::throttle`).
pub fn sign_in(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(log_in).service(refresh_session);
}

/// Signing out and the current user: a signed-in staff member.
pub fn staff(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(log_out).service(get_current_user);
}

/// Sign in with email and password.
///
/// An unknown email and a wrong password get the same answer in the same time. Only failures
/// count (per client address, and per account and address), so nobody else's failures can
/// refuse the right password. An account with many recent failures from anywhere is slowed (up
/// to a few seconds), never locked.
#[utoipa::path(
    operation_id = "logIn",
    extensions(("x-problems" = json!([ProblemType::InvalidCredentials, ProblemType::SignInThrottled]))),
    tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/auth/login")]
pub async fn log_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidJson(body): ValidJson<LoginRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let address = client_key(&req, &state.config.trusted_proxies);
    Ok(web::Json(service::log_in(&state, &address, &body.email, body.password).await?))
}

/// Trade a refresh token for a new token pair.
///
/// Each refresh token works once. Presenting one that was already used ends the whole session
/// (every token issued from the same sign-in), since it means the token was copied. A session
/// ends `SESSION_MAX_AGE_DAYS` after its sign-in, however often it was refreshed.
#[utoipa::path(
    operation_id = "refreshSession",
    extensions(("x-problems" = json!([ProblemType::InvalidRefreshToken]))),
    tag = "sessions",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_session(
    state: web::Data<AppState>,
    ValidJson(body): ValidJson<RefreshRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    Ok(web::Json(service::refresh(&state, &body.refresh_token).await?))
}

/// Sign out: ends the session of the presented access token and all its refresh tokens.
#[utoipa::path(
    operation_id = "logOut",
    tag = "sessions",
    responses(
        (status = 204, description = "Signed out"),
    )
)]
#[post("/auth/logout")]
pub async fn log_out(state: web::Data<AppState>, Staff(user): Staff) -> ApiResult<NoContent> {
    service::log_out(&state, &user).await?;
    Ok(NoContent)
}

/// The signed-in staff member.
#[utoipa::path(
    operation_id = "getCurrentUser",
    tag = "sessions",
    responses(
        (status = 200, description = "The current user", body = UserJson),
    )
)]
#[get("/auth/me")]
pub async fn get_current_user(state: web::Data<AppState>, Staff(user): Staff) -> ApiResult<web::Json<UserJson>> {
    Ok(web::Json(service::current_user(&state, &user).await?.into()))
}
