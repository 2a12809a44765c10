//! The audit log of every staff write. Every feature records into it (`service::record`, inside
//! the transaction of the change it describes); admins read it.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
