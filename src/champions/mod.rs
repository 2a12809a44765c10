//! Champion nominations and the Champion Spotlight. Anyone may nominate a person (or themselves);
//! editors approve a nomination into a published spotlight, which shows only what the nominee
//! agreed to show. Every nominee (self-nominations too) is asked through a link emailed to them, and nothing about them is
//! published until they agree.

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;
pub mod service;
