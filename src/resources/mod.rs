//! The Social Mission Resource Library: published resources for everyone, curation for editors.
//! The search index below it is shared (`crate::index`); `cache` keeps what the library serves
//! (cards, vocabularies) against the index's generations.

pub mod cache;
pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;
pub mod service;
