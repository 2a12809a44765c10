//! The Social Mission Alliance API.

pub mod app;
pub mod audit;
pub mod auth;
pub mod champions;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod forms;
pub mod jobs;
pub mod metrics;
pub mod middleware;
pub mod newsletter;
pub mod openapi;
pub mod ops;
pub mod privacy;
pub mod ratelimit;
pub mod resources;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod suggestions;
pub mod taxonomy;
pub mod telemetry;
pub mod users;
