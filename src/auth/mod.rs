//! Staff authentication, shared below the features: passwords, JWT access tokens, opaque tokens,
//! sign-in throttling, the roles, and the extractors that resolve the signed-in user. Signing in
//! and out (the `/auth` routes) is the `sessions` feature.

pub mod extract;
pub mod jwt;
pub mod password;
pub mod queries;
pub mod role;
pub mod throttle;
pub mod tokens;

pub use extract::{Admin, Staff, StaffUser};
pub use role::Role;
