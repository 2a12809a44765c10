//! Staff sign-in sessions: login with email and password, rotating refresh tokens, logout and
//! the current user (`/auth`). A session is a row the `auth` extractors check on every request,
//! so a sign-out or a reused refresh token ends it at once. The accounts themselves are `users`'.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
