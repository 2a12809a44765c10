//! The annual conference's editions: their page (calendar, lodging, awards, agenda, registration
//! types, calls for proposals) for everyone, and their management for staff. Registrations and
//! proposals are features of their own that build on this one (they load an edition through
//! `service::load_edition`); this one never imports them.
//!
//! Registration types are part of an edition's offer: their rows and SQL live here (the page and
//! the seed need them), while selling them (seats, waiting list) belongs to `registrations`.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;
pub mod service;
pub mod time;
