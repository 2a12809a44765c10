//! Extractors and responders shared by every feature.

pub mod client_ip;
pub mod conditional;
pub mod idempotency;
pub mod json;
pub mod limit;
pub mod pagination;
pub mod query;
pub mod recover;
pub mod respond;

pub use client_ip::{client_ip, client_key};
pub use idempotency::{Begin, Idempotency, Stored};
pub use json::{OptionalJson, ValidJson};
pub use pagination::{PageQuery, PageRequest, Paginated};
pub use query::ValidQuery;
