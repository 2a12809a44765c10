//! The library's four vocabularies: resource types, Social Mission Domains, Topics and Health Professions.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;
pub mod service;
