//! Wire types of the newsletter.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::SubscriberRow;
use crate::forms::not_blank;

/// A signup for the newsletter mailing list, from the website's form.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "email": "sam.taylor@example.org", "name": "Sam Taylor", "consent": true }))]
pub struct SubscribeInput {
    /// The address to subscribe; the confirmation message goes there.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "sam.taylor@example.org")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub email: String,
    /// How to greet the person (1 to 200 characters); optional, and kept from an earlier signup
    /// when left out.
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Sam Taylor")]
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
#[schema(example = json!({
    "status": "accepted",
    "detail": "If this address can receive mail, a message with a confirmation link is on its way."
}))]
pub struct SubscriptionAccepted {
    /// Always `accepted`.
    #[schema(example = "accepted")]
    pub status: &'static str,
    /// What happens next, in English, for people.
    #[schema(example = "If this address can receive mail, a message with a confirmation link is on its way.")]
    pub detail: &'static str,
}

/// A token from a link in a newsletter message.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "token": "lnE--_bM-G0c2rSrAWI8XTk3feMU1QhuKDd-ozKqUlA" }))]
pub struct TokenInput {
    /// The `token` query parameter of the link in the message (a confirmation link works for 7
    /// days; an unsubscribe link does not expire). 422 `invalid_token` or `expired_token` otherwise.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "lnE--_bM-G0c2rSrAWI8XTk3feMU1QhuKDd-ozKqUlA")]
    pub token: String,
}

pub use super::model::SubscriberStatus;

/// The subscriber's status after the confirmation or unsubscription.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "status": "subscribed" }))]
pub struct SubscriptionStatus {
    /// `subscribed` after a confirmation, `unsubscribed` after an unsubscription.
    pub status: SubscriberStatus,
}

/// A newsletter subscriber, as admins see them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a15a8c-a468-7f91-b4aa-96ea20b7d9ba",
    "email": "sam.taylor@example.org",
    "name": "Sam Taylor",
    "status": "subscribed",
    "consent_at": "2026-10-20T18:22:09Z",
    "confirmed_at": "2026-10-20T18:31:47Z",
    "unsubscribed_at": null,
    "created_at": "2026-10-20T18:22:09Z"
}))]
pub struct SubscriberJson {
    /// The subscriber's id.
    pub id: Uuid,
    /// The subscribed address.
    #[schema(format = "email")]
    pub email: String,
    /// How to greet them; `null` when they gave no name.
    pub name: Option<String>,
    pub status: SubscriberStatus,
    /// When the person last agreed (their latest signup).
    pub consent_at: DateTime<Utc>,
    /// When they last confirmed through an emailed link; `null` if they never did (an earlier
    /// confirmation stays when they sign up again, so compare with `consent_at`).
    pub confirmed_at: Option<DateTime<Utc>>,
    /// When they last unsubscribed; `null` if they never did (it stays when they sign up again).
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// When the address first signed up.
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
    /// Only subscribers in this status (every status when left out).
    pub status: Option<SubscriberStatus>,
    /// The page to answer, from 1 (the default).
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// How many subscribers a page holds: 1 to 100, 20 by default.
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
