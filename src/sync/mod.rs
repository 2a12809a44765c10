//! Partners' pulls of the whole library: the exact change feed and the bulk export.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
