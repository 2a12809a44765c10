//! Staff sign-in: login, refresh (rotating), logout and the current user.

use actix_web::{get, post, web, HttpRequest};
use chrono::{Duration, Utc};

use super::json::{LoginRequest, RefreshRequest, TokenResponse};
use super::jwt::ACCESS_TOKEN_TTL_SECS;
use super::{password, queries, tokens, Staff};
use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::respond::NoContent;
use crate::extract::{client_ip, ValidJson};
use crate::ratelimit::Policy;
use crate::users::json::UserJson;
use crate::users::model::User;
use crate::users::queries as users;
use diesel_async::{AsyncConnection, AsyncPgConnection};

pub const REFRESH_TOKEN_TTL_DAYS: i64 = 30;

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized("the email or password is wrong".into())
}

/// Starts a session's next token pair: stores the hashed refresh token and signs the JWT.
async fn issue_pair(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    user: &User,
    session_id: uuid::Uuid,
) -> ApiResult<TokenResponse> {
    let (refresh_token, hash) = tokens::new_refresh_token();
    queries::insert_refresh_token(conn, session_id, &hash, Utc::now() + Duration::days(REFRESH_TOKEN_TTL_DAYS)).await?;
    Ok(TokenResponse {
        access_token: state.jwt.issue(user.id, &user.role, session_id)?,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_TTL_SECS,
        refresh_token,
    })
}

/// Sign in with email and password.
///
/// An unknown email and a wrong password get the same answer in the same time. Attempts are
/// limited per client IP and per account (`RATE_LIMIT_LOGIN_PER_MINUTE`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidJson(body): ValidJson<LoginRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let ip = client_ip(&req, &state.config.trusted_proxies).map(|ip| ip.to_string()).unwrap_or_default();
    let email = body.email.to_lowercase();
    state.limiter.check(Policy::Login, &format!("ip:{ip}")).into_result()?;
    state.limiter.check(Policy::Login, &format!("account:{email}")).into_result()?;

    let user = users::find_by_email(&mut *state.pool.get().await?, &email).await?;
    // Verify against a dummy hash when the email is unknown, so both failures take as long.
    let stored = user.as_ref().map_or_else(|| state.dummy_password_hash.clone(), |u| u.password_hash.clone());
    let matches = password::verify(body.password, stored).await?;
    let user = match user {
        Some(user) if matches && user.is_active => user,
        _ => return Err(invalid_credentials()),
    };

    let mut conn = state.pool.get().await?;
    let state_ref = state.get_ref();
    let tokens = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let session_id = queries::create_session(conn, user.id).await?;
            users::touch_last_login(conn, user.id).await?;
            issue_pair(conn, state_ref, &user, session_id).await
        })
        .await?;
    tracing::info!(user_id = %user.id, "staff signed in");
    Ok(web::Json(tokens))
}

/// Trade a refresh token for a new token pair.
///
/// Each refresh token works once. Presenting one that was already used ends the whole session
/// (every token issued from the same sign-in), since it means the token was copied.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, response = crate::openapi::Unauthorized),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    ValidJson(body): ValidJson<RefreshRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let hash = tokens::hash(&body.refresh_token);
    let mut conn = state.pool.get().await?;
    let state_ref = state.get_ref();
    // The reuse branch must commit its revocation, so it returns a value rather than an error.
    let outcome = conn
        .transaction::<_, ApiError, _>(async |conn| match queries::consume_refresh_token(conn, &hash).await? {
            queries::Consumed::Rotated { session_id } => match queries::session_user(conn, session_id).await? {
                Some(user) => Ok(Some(issue_pair(conn, state_ref, &user, session_id).await?)),
                None => Ok(None),
            },
            queries::Consumed::Reused { session_id } => {
                tracing::warn!(%session_id, "a used refresh token was presented again; ending its session");
                queries::revoke_session(conn, session_id, "refresh token reuse").await?;
                Ok(None)
            }
            queries::Consumed::Invalid => Ok(None),
        })
        .await?;
    outcome
        .map(web::Json)
        .ok_or_else(|| ApiError::Unauthorized("the refresh token is invalid, expired or already used".into()))
}

/// Sign out: ends the session of the presented access token and all its refresh tokens.
#[utoipa::path(
    tag = "auth",
    security(("staff_jwt" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, response = crate::openapi::Unauthorized),
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, Staff(user): Staff) -> ApiResult<NoContent> {
    queries::revoke_session(&mut *state.pool.get().await?, user.session_id, "signed out").await?;
    Ok(NoContent)
}

/// The signed-in staff member.
#[utoipa::path(
    tag = "auth",
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The current user", body = UserJson),
        (status = 401, response = crate::openapi::Unauthorized),
    )
)]
#[get("/auth/me")]
pub async fn me(state: web::Data<AppState>, Staff(user): Staff) -> ApiResult<web::Json<UserJson>> {
    let user = users::find(&mut *state.pool.get().await?, user.id).await?.ok_or_else(|| ApiError::not_found("user"))?;
    Ok(web::Json(user.into()))
}
