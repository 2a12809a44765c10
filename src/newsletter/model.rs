//! Rows of `newsletter_subscribers`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::newsletter_subscribers;
use crate::text_enum;

/// Where a subscriber is in the double opt-in: `pending` until the emailed link is followed,
/// then `subscribed`; `unsubscribed` after an unsubscription (signing up again makes them
/// `pending` once more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum SubscriberStatus {
    Pending,
    Subscribed,
    Unsubscribed,
}
text_enum!(SubscriberStatus { Pending = "pending", Subscribed = "subscribed", Unsubscribed = "unsubscribed" });

/// What a row of `newsletter_tokens` is for: confirming the subscription, or unsubscribing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum TokenPurpose {
    Confirm,
    Unsubscribe,
}
text_enum!(TokenPurpose { Confirm = "confirm", Unsubscribe = "unsubscribe" });

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = newsletter_subscribers)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct SubscriberRow {
    pub id: Uuid,
    pub email: String,
    pub name: Option<String>,
    pub status: SubscriberStatus,
    pub consent_at: DateTime<Utc>,
    pub confirmation_sent_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
