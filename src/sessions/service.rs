//! The rules of signing in: the throttle before the password is checked, the same answer in the
//! same time for an unknown email and a wrong password, refresh tokens that work once (a reused
//! one ends its session), sessions that end `SESSION_MAX_AGE_DAYS` after sign-in.

use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::json::TokenResponse;
use super::model::Consumed;
use super::queries;
use crate::auth::jwt::ACCESS_TOKEN_TTL_SECS;
use crate::auth::queries::session_user;
use crate::auth::throttle::Attempt;
use crate::auth::{tokens, Role, StaffUser};
use crate::error::{ApiError, ApiResult, ProblemType};
use crate::state::AppState;
use crate::users::model::User;
use crate::users::queries as users;
use crate::values::Email;

pub const REFRESH_TOKEN_TTL_DAYS: i64 = 30;

fn invalid_credentials() -> ApiError {
    ApiError::refused(ProblemType::InvalidCredentials, "the email or password is wrong")
}

/// Starts a session's next token pair: stores the hashed refresh token and signs the JWT.
async fn issue_pair(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    user_id: Uuid,
    role: Role,
    session_id: Uuid,
) -> ApiResult<TokenResponse> {
    let (refresh_token, hash) = tokens::new_refresh_token();
    queries::insert_refresh_token(conn, session_id, &hash, Utc::now() + Duration::days(REFRESH_TOKEN_TTL_DAYS)).await?;
    Ok(TokenResponse {
        access_token: state.jwt.issue(user_id, role.as_str(), session_id)?,
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

/// Signs in from `address` (the caller's rate-limit key): a new session and its first token pair.
pub async fn log_in(state: &AppState, address: &str, email: &str, password: String) -> ApiResult<TokenResponse> {
    let email = Email::from_field(email, "email")?;
    let attempt =
        Attempt::begin(&state.limiter, address, email.as_ref(), state.config.rate_limit_login_per_minute).await?;
    // Before the password's turn: a waiting sign-in holds no hashing slot.
    tokio::time::sleep(attempt.delay).await;
    let user = match credentials(state, &email, password).await {
        Ok(Some(user)) => {
            attempt.forgive().await;
            user
        }
        // Wrong credentials: the attempt's units stay taken.
        Ok(None) => return Err(invalid_credentials()),
        // Not the caller's failure (the database, say): it counts for nothing.
        Err(error) => {
            attempt.forgive().await;
            return Err(error);
        }
    };

    let mut conn = state.pool.get().await?;
    let tokens = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let session_id = queries::create_session(conn, user.id).await?;
            users::touch_last_login(conn, user.id).await?;
            issue_pair(conn, state, user.id, user.role, session_id).await
        })
        .await?;
    tracing::info!(user_id = %user.id, "staff signed in");
    Ok(tokens)
}

/// Trades a refresh token for the next pair of its session (401 when it is invalid, expired or
/// already used; a reused one ends the session).
pub async fn refresh(state: &AppState, refresh_token: &str) -> ApiResult<TokenResponse> {
    let hash = tokens::hash(refresh_token);
    let mut conn = state.pool.get().await?;
    let max_age = state.config.session_max_age;
    // The reuse branch must commit its revocation, so it returns a value rather than an error.
    let outcome = conn
        .transaction::<_, ApiError, _>(async |conn| match queries::consume_refresh_token(conn, &hash).await? {
            Consumed::Rotated { session_id } => match session_user(conn, session_id, max_age).await? {
                Some(user) => Ok(Some(issue_pair(conn, state, user.id, user.role, session_id).await?)),
                None => Ok(None),
            },
            Consumed::Reused { session_id } => {
                tracing::warn!(%session_id, "a used refresh token was presented again; ending its session");
                queries::revoke_session(conn, session_id, "refresh token reuse").await?;
                Ok(None)
            }
            Consumed::Invalid => Ok(None),
        })
        .await?;
    outcome.ok_or_else(|| {
        ApiError::refused(ProblemType::InvalidRefreshToken, "the refresh token is invalid, expired or already used")
    })
}

/// Ends the session of the signed-in user's access token, and with it all its refresh tokens.
pub async fn log_out(state: &AppState, user: &StaffUser) -> ApiResult<()> {
    queries::revoke_session(&mut *state.pool.get().await?, user.session_id, "signed out").await?;
    Ok(())
}

/// The signed-in user's account.
pub async fn current_user(state: &AppState, user: &StaffUser) -> ApiResult<User> {
    users::find(&mut *state.pool.get().await?, user.id).await?.ok_or_else(|| ApiError::not_found("user"))
}
