//! OAI-PMH 2.0 (`GET` and `POST /oai`): the published library for harvesters, in Dublin Core.
//! Records are the resources the library ever published, datestamped by their latest change in
//! `library_changes`; unpublished and deleted ones stay as deleted records (`persistent`). Sets
//! are the resource types, domains and topics. Resumption tokens are stateless and signed.

pub mod args;
pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
pub mod token;
pub mod xml;
