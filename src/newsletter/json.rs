//! Wire types of the newsletter.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::SubscriberRow;
use crate::forms::not_blank;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscribeInput {
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "ada@example.org")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub email: String,
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    pub name: Option<String>,
    /// Must be true: the person agrees to receive the newsletter.
    #[validate(custom(function = "crate::forms::must_be_true"))]
    pub consent: bool,
    /// Leave out or empty: the website hides this field from people, so a filled one marks a
    /// robot, which gets the usual answer while nothing is stored or sent.
    #[serde(default)]
    pub website: Option<String>,
}

/// The same answer whatever the address's state, so it reveals nothing about who is subscribed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionAccepted {
    #[schema(example = "accepted")]
    pub status: &'static str,
    pub detail: &'static str,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// The token from the link in the message.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

pub use super::model::SubscriberStatus;

/// The subscriber's status after the confirmation or unsubscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionStatus {
    pub status: SubscriberStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriberJson {
    pub id: Uuid,
    pub email: String,
    pub name: Option<String>,
    pub status: SubscriberStatus,
    /// When the person last agreed (their latest signup).
    pub consent_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<SubscriberRow> for SubscriberJson {
    fn from(r: SubscriberRow) -> Self {
        Self {
            id: r.id,
            email: r.email,
            name: r.name,
            status: r.status,
            consent_at: r.consent_at,
            confirmed_at: r.confirmed_at,
            unsubscribed_at: r.unsubscribed_at,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubscriberListQuery {
    /// Only subscribers in this status.
    pub status: Option<SubscriberStatus>,
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Only subscribers in this status (every status when left out).
    pub status: Option<SubscriberStatus>,
}

/// The one-click unsubscribe link carries its token in the query (RFC 8058).
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OneClickQuery {
    /// The token of a `List-Unsubscribe` link; the body is then the form `List-Unsubscribe=One-Click`.
    #[validate(length(min = 1, max = 200))]
    #[param(min_length = 1, max_length = 200)]
    pub token: Option<String>,
}
