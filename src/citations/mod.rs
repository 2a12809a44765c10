//! Citations of a resource (BibTeX, RIS, CSL-JSON) and the Atom feed of the latest resources.
//!
//! A resource becomes a [`model::Work`] (its kind, key and split author names) and each format
//! writes that: `bibtex` and `ris` by hand (no maintained crate writes them), CSL-JSON with serde
//! (`json`), the feed with `atom_syndication` (`atom`).

pub mod atom;
pub mod bibtex;
pub mod json;
pub mod model;
pub mod queries;
pub mod ris;
pub mod routes;
pub mod service;
