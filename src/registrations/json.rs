//! Wire types of registrations.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::model::RegistrationRow;
use crate::editions::model::{ConferenceRow, RegistrationTypeRow};
use crate::forms::not_blank;

/// An attendee's registration.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    /// One of the edition's registration types.
    pub registration_type_id: Uuid,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Ada Lovelace")]
    pub name: String,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub institution: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub role: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "Nursing")]
    pub profession: String,
    /// Private: seen only by the attendee and staff.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub accessibility_needs: String,
    /// Private: seen only by the attendee and staff.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub dietary_needs: String,
    /// Must be true: the attendee agrees that these details are kept for the conference.
    #[validate(custom(function = "crate::forms::must_be_true"))]
    pub consent: bool,
    /// Leave out or empty: the website hides this field from people, so a filled one marks a
    /// robot, which gets a success-shaped answer while nothing is stored.
    #[serde(default)]
    pub website: Option<String>,
}

pub use super::model::{PaymentStatus, RegistrationStatus};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TypeRef {
    pub id: Uuid,
    pub name: String,
    pub price_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EditionRef {
    pub slug: String,
    pub name: String,
    /// The edition's first day; `null` (with `ends_on`) only for a past edition whose dates are not
    /// known: the Alliance's pages name it by name and year alone.
    #[schema(required = true, example = "2027-04-15")]
    pub starts_on: Option<NaiveDate>,
    /// The edition's last day; `null` exactly when `starts_on` is.
    #[schema(required = true, example = "2027-04-17")]
    pub ends_on: Option<NaiveDate>,
}

/// The answer to a registration. `manage_token` is shown once (it is also in the confirmation
/// email): with the code it reads or cancels the registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationReceipt {
    /// Short and human-friendly: quote it at the desk.
    #[schema(example = "7K3Q9PXM")]
    pub code: String,
    pub status: RegistrationStatus,
    /// The place on the type's waiting list (waitlisted only).
    pub waitlist_position: Option<i32>,
    pub manage_token: String,
    pub registration_type: TypeRef,
    pub created_at: DateTime<Utc>,
}

/// A registration as its attendee (with the token) and staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationJson {
    pub code: String,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i32>,
    pub conference: EditionRef,
    pub registration_type: TypeRef,
    pub name: String,
    /// `null` once the person was erased.
    pub email: Option<String>,
    pub institution: String,
    pub role: String,
    pub profession: String,
    pub accessibility_needs: String,
    pub dietary_needs: String,
    pub payment_status: PaymentStatus,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The secret sent with a registration.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// The manage token from the confirmation (a wrong one answers 404, like an unknown code).
    #[validate(length(min = 1, max = 200))]
    #[param(min_length = 1, max_length = 200)]
    pub token: String,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationListQuery {
    pub status: Option<RegistrationStatus>,
    pub registration_type_id: Option<Uuid>,
    pub payment_status: Option<PaymentStatus>,
    /// `true`: only those checked in; `false`: only those not yet.
    pub checked_in: Option<bool>,
    /// Part of a name, email or code.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationExportQuery {
    pub status: Option<RegistrationStatus>,
    pub registration_type_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentUpdate {
    pub payment_status: PaymentStatus,
}

fn currency_code(code: &str) -> Result<(), ValidationError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ValidationError::new("invalid_currency").with_message("must be an ISO 4217 code such as USD".into()))
    }
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationTypeInput {
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Professional")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: String,
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000, example = 45000)]
    pub price_minor: i64,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "currency_code"))]
    #[schema(pattern = "^[A-Z]{3}$", example = "USD")]
    pub currency: String,
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000)]
    pub capacity: i32,
    pub sales_start: Option<DateTime<Utc>>,
    /// After `sales_start`.
    pub sales_end: Option<DateTime<Utc>>,
    /// Display order (lower first).
    #[serde(default)]
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: i32,
}

impl From<&RegistrationTypeRow> for TypeRef {
    fn from(t: &RegistrationTypeRow) -> Self {
        TypeRef { id: t.id, name: t.name.clone(), price_minor: t.price_minor, currency: t.currency.clone() }
    }
}

impl RegistrationJson {
    /// The registration with its edition and its type (looked up in `types`, the edition's).
    pub fn new(conference: &ConferenceRow, types: &HashMap<Uuid, RegistrationTypeRow>, r: RegistrationRow) -> Self {
        let registration_type = types.get(&r.registration_type_id).map(TypeRef::from).unwrap_or(TypeRef {
            id: r.registration_type_id,
            name: String::new(),
            price_minor: 0,
            currency: String::new(),
        });
        RegistrationJson {
            code: r.code,
            status: r.status,
            waitlist_position: r.waitlist_position,
            conference: EditionRef {
                slug: conference.slug.clone(),
                name: conference.name.clone(),
                starts_on: conference.starts_on,
                ends_on: conference.ends_on,
            },
            registration_type,
            name: r.name,
            email: r.email,
            institution: r.institution,
            role: r.role,
            profession: r.profession,
            accessibility_needs: r.accessibility_needs,
            dietary_needs: r.dietary_needs,
            payment_status: r.payment_status,
            checked_in_at: r.checked_in_at,
            confirmed_at: r.confirmed_at,
            cancelled_at: r.cancelled_at,
            created_at: r.created_at,
        }
    }
}
