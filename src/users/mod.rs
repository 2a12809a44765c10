//! Staff users: the accounts that sign in to the back office, managed by admins. Signing in
//! itself is `sessions`; the roles live with `auth`, which checks them.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
