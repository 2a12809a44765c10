//! Rows of `newsletter_subscribers`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::newsletter_subscribers;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = newsletter_subscribers)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SubscriberRow {
    pub id: Uuid,
    pub email: String,
    pub name: Option<String>,
    pub status: String,
    pub consent_at: DateTime<Utc>,
    pub confirmation_sent_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
