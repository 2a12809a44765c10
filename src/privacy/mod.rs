//! A person's data, found by their email address: access (everything stored about them, as one
//! document) and erasure (their address, names and what they wrote about themselves leave every
//! table; the records the Alliance keeps stay, anonymised). Admin only. The README's "Erasure and
//! access" says what stays and why. The erasure of a newsletter subscriber is here too (it is this
//! erasure, for their address), so privacy depends on the newsletter and never the reverse.
//! `retention` is privacy's background task: what is kept about people only as long as needed.

pub mod json;
pub mod model;
pub mod queries;
pub mod retention;
pub mod routes;
pub mod service;
