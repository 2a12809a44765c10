//! Registrations: seats handed out in the order people register, never more than a type's
//! capacity (Postgres keeps the count under a CHECK), then a waiting list; cancellations promote
//! the first waiting, who is emailed. Staff manage an edition's registration types here too,
//! since a raised capacity promotes from the waiting list. Editions come from
//! `editions::service::load_edition`.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
