//! Resource suggestions: visitors propose a resource; editors accept it (it becomes a draft
//! resource, linked both ways) or reject it with a reason.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
