//! The newsletter: double opt-in signups, confirmation and one-click unsubscribe for visitors;
//! the subscriber list and CSV export for admins. Erasing a subscriber is the `privacy` feature's
//! (it erases the person everywhere, and depends on this feature, never the reverse).

pub mod json;
pub mod model;
pub mod queries;
pub mod routes;
pub mod service;
