//! Calls for proposals: presenters submit to an edition's calls (before the deadline, within the
//! word limit); staff review them (scores and notes, never public), decide (the presenter is
//! emailed) and put accepted ones on the agenda. The calls themselves, and the agenda, belong to
//! `editions`; editions are loaded through `editions::service::load_edition`.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
