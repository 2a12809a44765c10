//! Staff sign-in: login, refresh (rotating), logout and the current user.

use actix_web::{get, post, web, HttpRequest};
use chrono::{Duration, Utc};

use super::json::{LoginRequest, RefreshRequest, TokenResponse};
use super::jwt::ACCESS_TOKEN_TTL_SECS;
use super::throttle::Attempt;
use super::{queries, tokens, Staff};
use crate::error::{ApiError, ApiResult};
use crate::extract::respond::NoContent;
use crate::extract::{client_key, ValidJson};
use crate::state::AppState;
use crate::users::json::UserJson;
use crate::users::model::User;
use crate::users::queries as users;
use crate::values::Email;
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
        access_token: state.jwt.issue(user.id, user.role.as_str(), session_id)?,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_TTL_SECS,
        refresh_token,
    })
}

/// The active user whose password this is; `None` for wrong credentials.
async fn credentials(state: &AppState, email: &Email, password: String) -> ApiResult<Option<User>> {
    let user = users::find_by_email(&mut *state.pool.get().await?, email).await?;
    // Verify against a dummy hash when the email is unknown, so both failures take as long.
    let stored = user.as_ref().map_or_else(|| state.dummy_password_hash.clone(), |u| u.password_hash.clone());
    let matches = state.passwords.verify(password, stored).await?;
    Ok(user.filter(|u| matches && u.is_active))
}

/// Sign in with email and password.
///
/// An unknown email and a wrong password get the same answer in the same time. Failed attempts
/// are limited per client address and per account and address (`RATE_LIMIT_LOGIN_PER_MINUTE`;
/// successful ones do not count), so nobody else's failures can refuse the right password. An
/// account with many recent failures from anywhere is slowed (up to a few seconds), never locked.
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
    let address = client_key(&req, &state.config.trusted_proxies);
    let email = Email::from_field(&body.email, "email")?;
    let attempt =
        Attempt::begin(state.limiter.as_ref(), &address, email.as_ref(), state.config.rate_limit_login_per_minute)?;
    // Before the password's turn: a waiting sign-in holds no hashing slot.
    tokio::time::sleep(attempt.delay).await;
    let user = match credentials(&state, &email, body.password).await {
        Ok(Some(user)) => {
            attempt.forgive();
            user
        }
        // Wrong credentials: the attempt's units stay taken.
        Ok(None) => return Err(invalid_credentials()),
        // Not the caller's failure (the database, say): it counts for nothing.
        Err(error) => {
            attempt.forgive();
            return Err(error);
        }
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
/// (every token issued from the same sign-in), since it means the token was copied. A session
/// ends `SESSION_MAX_AGE_DAYS` after its sign-in, however often it was refreshed.
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
    let max_age = state.config.session_max_age;
    // The reuse branch must commit its revocation, so it returns a value rather than an error.
    let outcome = conn
        .transaction::<_, ApiError, _>(async |conn| match queries::consume_refresh_token(conn, &hash).await? {
            queries::Consumed::Rotated { session_id } => {
                match queries::session_user(conn, session_id, max_age).await? {
                    Some(user) => Ok(Some(issue_pair(conn, state_ref, &user, session_id).await?)),
                    None => Ok(None),
                }
            }
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
