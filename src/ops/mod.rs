//! Operations: liveness, readiness, Prometheus metrics and the served OpenAPI document.
//!
//! No `model.rs`: operations store nothing and read no rows (readiness only asks the database to
//! answer).

pub mod json;
pub mod queries;
pub mod routes;
pub mod service;
