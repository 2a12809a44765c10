//! The API's test binary: the real app over HTTP against a real Postgres, one database per test.

mod helpers;
mod highlights;

mod as_you_type;
mod audit;
mod auth;
mod champions;
mod citations;
mod conference;
mod curation;
mod errors;
mod layers;
mod library;
mod middleware;
mod newsletter;
mod oai;
mod openapi;
mod ops;
mod outbox;
mod partners;
mod privacy;
mod process;
mod proposals;
mod relevance;
mod replica;
mod safety;
mod search_index;
mod shared_limits;
mod smtp_sink;
mod suggestions;
mod taxonomy;
mod throttling;
mod typed_values;
mod typos;
mod users;
