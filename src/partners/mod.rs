//! Partner institutions and their API keys, managed by admins; the rate limits of public reads,
//! which recognise the keys. The keys are recognised and counted by `keys::KeyStore`, which the
//! application registers as its own app data (beside `AppState`) and whose use it flushes in the
//! background; `limits` is the middleware that reads it.

pub mod json;
pub mod keys;
pub mod limits;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
