//! Wire types of the staff user endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::User;

pub use super::model::Role;

/// A staff account (never its password).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a20cc8-8e80-792b-888b-28756bad6be2",
    "email": "grace.okafor@example.org",
    "name": "Grace Okafor",
    "role": "editor",
    "is_active": true,
    "last_login_at": "2026-11-30T09:45:00Z",
    "created_at": "2026-11-24T09:00:00Z",
    "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct UserJson {
    /// The account's id.
    pub id: Uuid,
    /// The sign-in address, lower-cased; unique among accounts.
    #[schema(example = "grace.okafor@example.org")]
    pub email: String,
    /// The staff member's name, as other staff see it.
    #[schema(example = "Grace Okafor")]
    pub name: String,
    pub role: Role,
    /// Whether the account can sign in; `false` once deactivated.
    pub is_active: bool,
    /// When the account last signed in with its password (UTC); null if never.
    pub last_login_at: Option<DateTime<Utc>>,
    /// When the account was created (UTC).
    pub created_at: DateTime<Utc>,
    /// When its name, role or active state last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserJson {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            is_active: u.is_active,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A new staff account.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "grace.okafor@example.org",
    "name": "Grace Okafor",
    "role": "editor",
    "password": "correct horse battery staple"
}))]
pub struct CreateUser {
    /// The sign-in address (stored lower-cased); 409 when an account already has it.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "grace.okafor@example.org")]
    pub email: String,
    /// The staff member's name, 1 to 200 characters.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Grace Okafor")]
    pub name: String,
    pub role: Role,
    /// The first password, 12 to 1,024 characters; only its hash is stored.
    #[validate(length(min = 12, max = 1024))]
    #[schema(min_length = 12, max_length = 1024, format = "password")]
    pub password: String,
}

/// Every field is optional; `is_active: false` deactivates the user and ends their sessions.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "role": "admin" }))]
pub struct UpdateUser {
    /// A new name, 1 to 200 characters.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Grace Okafor")]
    pub name: Option<String>,
    /// A new role; changing your own is refused (409).
    pub role: Option<Role>,
    /// `false` deactivates the account and ends its sessions at once (refused for your own, 409);
    /// `true` reactivates it.
    pub is_active: Option<bool>,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only active (`true`) or deactivated (`false`) users.
    pub active: Option<bool>,
    /// The page to return, from 1; a page past the last one is empty.
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// Accounts per page, 1 to 100.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}
