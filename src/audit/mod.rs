//! The audit log of every staff write. Every feature records into it (`service::record`, inside
//! the transaction of the change it describes); admins read it.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;

// The paths every feature has used so far (`audit::record`, `audit::NewAuditEntry`), kept while
// the features that call them are reshaped on other branches.
pub use model::NewAuditEntry;
pub use service::record;
