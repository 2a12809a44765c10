//! Wire types of sign-in: credentials, refresh tokens and the token pair answered.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// A staff member's credentials.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "email": "grace.okafor@example.org", "password": "correct horse battery staple" }))]
pub struct LoginRequest {
    /// The account's sign-in address (compared lower-cased).
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "grace.okafor@example.org")]
    pub email: String,
    /// The account's password.
    #[validate(length(min = 1, max = 1024))]
    #[schema(min_length = 1, max_length = 1024, format = "password", example = "correct horse battery staple")]
    pub password: String,
}

/// A refresh token to trade for a new token pair.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "refresh_token": "c92P2-zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpg" }))]
pub struct RefreshRequest {
    /// The `refresh_token` of the latest pair (each works once).
    #[validate(length(min = 1, max = 512))]
    #[schema(min_length = 1, max_length = 512, example = "c92P2-zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpg")]
    pub refresh_token: String,
}

/// A signed-in session's token pair.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMWEyMGNjOC04ZTgwLTc5MmItODg4Yi0yODc1NmJhZDZiZTIiLCJyb2xlIjoiZWRpdG9yIiwic2lkIjoiMDFhMjJiZDctZTk2MC03N2RiLTg0YTMtMzRiZmM2Y2Q3NWU5IiwiZXhwIjoxNzk2MDMyODAwLCJpYXQiOjE3OTYwMzE5MDAsImp0aSI6IjAxYTIyYmQ3LWU5NjAtNzk2My04NWU4LTE4ZmFjMDQzM2NiZCJ9.zaUxnCiAOja92gvfn0NqO4223g-urC5VswNQu8b0SUw",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "c92P2-zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpg"
}))]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Opaque; trade it at `/auth/refresh` for a new pair. Each one works once.
    #[schema(example = "c92P2-zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpg")]
    pub refresh_token: String,
}
