//! Work done in the background of the service's own process: the outbox of messages, its
//! worker and the mail transport it sends through.

pub mod mailer;
pub mod outbox;
