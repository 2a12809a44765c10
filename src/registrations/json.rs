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
#[schema(example = json!({
    "registration_type_id": "019e8313-4a20-78ea-9968-5514b45e299b",
    "name": "Jordan Rivera",
    "email": "jordan.rivera@example.org",
    "institution": "Oklahoma State University Center for Health Sciences",
    "role": "Assistant Professor of Family Medicine",
    "profession": "Medicine",
    "accessibility_needs": "Step-free access to session rooms",
    "dietary_needs": "Vegetarian",
    "consent": true
}))]
pub struct RegistrationInput {
    /// One of the edition's registration types (an `id` from its `registration_types`; 422
    /// `unknown_value` otherwise). It must be on sale (409 otherwise).
    pub registration_type_id: Uuid,
    /// The attendee's name, as on the badge (1 to 200 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Jordan Rivera")]
    pub name: String,
    /// The attendee's address: the confirmation (with the code and manage link) goes there. One
    /// live registration per address and edition (409 for a second).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "jordan.rivera@example.org")]
    pub email: String,
    /// Where the attendee works or studies (up to 200 characters); empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "Oklahoma State University Center for Health Sciences")]
    pub institution: String,
    /// The attendee's position or title (up to 200 characters); empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "Assistant Professor of Family Medicine")]
    pub role: String,
    /// The attendee's profession in their own words (free text, not a taxonomy slug; up to 200
    /// characters); empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "Medicine")]
    pub profession: String,
    /// What the attendee needs to take part (up to 2000 characters); empty when left out.
    /// Private: seen only by the attendee and staff.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, example = "Step-free access to session rooms")]
    pub accessibility_needs: String,
    /// Food the attendee cannot or does not eat (up to 2000 characters); empty when left out.
    /// Private: seen only by the attendee and staff.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, example = "Vegetarian")]
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

/// The registration type a registration is for, with its price.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019e8313-4a20-78ea-9968-5514b45e299b",
    "name": "Professional",
    "price_minor": 45000,
    "currency": "USD"
}))]
pub struct TypeRef {
    /// The registration type's id.
    pub id: Uuid,
    /// The type's name, e.g. `Student`.
    pub name: String,
    /// Its price in minor units of `currency` (cents): 45000 is 450.00.
    pub price_minor: i64,
    /// The price's currency: an ISO 4217 code.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

/// The edition a registration is for.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "beyond-flexner-2027",
    "name": "Beyond Flexner 2027",
    "starts_on": "2027-04-15",
    "ends_on": "2027-04-17"
}))]
pub struct EditionRef {
    /// The edition's slug (`GET /api/v1/conferences/{slug}`).
    pub slug: String,
    /// The edition's name.
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
#[schema(example = json!({
    "code": "7K3Q9PXM",
    "status": "confirmed",
    "waitlist_position": null,
    "manage_token": "-w15cznyp749189vAdwG84-9tiP7izTL8AmE4DWdt0E",
    "registration_type": {
        "id": "019e8313-4a20-78ea-9968-5514b45e299b",
        "name": "Professional",
        "price_minor": 45000,
        "currency": "USD"
    },
    "created_at": "2026-11-30T15:04:05Z"
}))]
pub struct RegistrationReceipt {
    /// Short and human-friendly: quote it at the desk. Eight characters of Crockford's base32
    /// (digits and upper-case letters without I, L, O and U).
    #[schema(example = "7K3Q9PXM")]
    pub code: String,
    /// `confirmed` (a seat is held) or `waitlisted` (the type's seats are all taken).
    pub status: RegistrationStatus,
    /// The number drawn on the type's waiting list (waitlisted only; `null` otherwise). Numbers
    /// are handed out in order and never renumbered, so they give the order, not how many wait ahead.
    pub waitlist_position: Option<i32>,
    /// The secret that, with the code, reads or cancels the registration
    /// (`/api/v1/registrations/{code}?token=...`). Shown only here and in the confirmation email.
    #[schema(example = "-w15cznyp749189vAdwG84-9tiP7izTL8AmE4DWdt0E")]
    pub manage_token: String,
    pub registration_type: TypeRef,
    /// When the registration was made.
    pub created_at: DateTime<Utc>,
}

/// A registration as its attendee (with the token) and staff see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "7K3Q9PXM",
    "status": "confirmed",
    "waitlist_position": null,
    "conference": {
        "slug": "beyond-flexner-2027",
        "name": "Beyond Flexner 2027",
        "starts_on": "2027-04-15",
        "ends_on": "2027-04-17"
    },
    "registration_type": {
        "id": "019e8313-4a20-78ea-9968-5514b45e299b",
        "name": "Professional",
        "price_minor": 45000,
        "currency": "USD"
    },
    "name": "Jordan Rivera",
    "email": "jordan.rivera@example.org",
    "institution": "Oklahoma State University Center for Health Sciences",
    "role": "Assistant Professor of Family Medicine",
    "profession": "Medicine",
    "accessibility_needs": "Step-free access to session rooms",
    "dietary_needs": "Vegetarian",
    "payment_status": "paid",
    "checked_in_at": null,
    "confirmed_at": "2026-11-30T15:04:05Z",
    "cancelled_at": null,
    "created_at": "2026-11-30T15:04:05Z"
}))]
pub struct RegistrationJson {
    /// The confirmation code: eight characters of Crockford's base32.
    #[schema(example = "7K3Q9PXM")]
    pub code: String,
    pub status: RegistrationStatus,
    /// The number drawn on the type's waiting list (waitlisted only; `null` otherwise); it gives
    /// the order, not how many wait ahead.
    pub waitlist_position: Option<i32>,
    pub conference: EditionRef,
    pub registration_type: TypeRef,
    /// The attendee's name (`[erased]` once the person was erased).
    pub name: String,
    /// The attendee's address; `null` once the person was erased.
    #[schema(format = "email")]
    pub email: Option<String>,
    /// Where the attendee works or studies; empty when not given.
    pub institution: String,
    /// The attendee's position or title; empty when not given.
    pub role: String,
    /// The attendee's profession in their own words; empty when not given.
    pub profession: String,
    /// What the attendee needs to take part; empty when nothing. Private: the attendee and staff only.
    pub accessibility_needs: String,
    /// Food the attendee cannot or does not eat; empty when nothing. Private: the attendee and staff only.
    pub dietary_needs: String,
    pub payment_status: PaymentStatus,
    /// When the attendee was checked in at the desk; `null` until then.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// When the registration got its seat (at once, or later from the waiting list); `null` if it never did.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// When it was cancelled (by the attendee or staff); `null` unless cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// When the registration was made.
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
    /// Only registrations in this status (every status when left out).
    pub status: Option<RegistrationStatus>,
    /// Only registrations of this registration type (an `id` of the edition's `registration_types`).
    pub registration_type_id: Option<Uuid>,
    /// Only registrations with this payment status.
    pub payment_status: Option<PaymentStatus>,
    /// `true`: only those checked in; `false`: only those not yet.
    pub checked_in: Option<bool>,
    /// Part of a name, email or code.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// The page to answer, from 1 (the default).
    #[validate(range(min = 1, max = 100000))]
    #[param(minimum = 1, maximum = 100000, default = 1)]
    pub page: Option<u32>,
    /// How many registrations a page holds: 1 to 100, 20 by default.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationExportQuery {
    /// Only registrations in this status (every status when left out).
    pub status: Option<RegistrationStatus>,
    /// Only registrations of this registration type (every type when left out).
    pub registration_type_id: Option<Uuid>,
}

/// What staff record about a registration's payment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "payment_status": "paid" }))]
pub struct PaymentUpdate {
    /// The new payment status; any change is allowed.
    pub payment_status: PaymentStatus,
}

fn currency_code(code: &str) -> Result<(), ValidationError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ValidationError::new("invalid_currency").with_message("must be an ISO 4217 code such as USD".into()))
    }
}

/// A registration type as staff write it.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Professional",
    "description": "For faculty, clinicians, administrators and other professionals.",
    "price_minor": 45000,
    "currency": "USD",
    "capacity": 300,
    "sales_start": "2026-11-30T06:00:00Z",
    "sales_end": "2027-04-15T05:00:00Z",
    "position": 1
}))]
pub struct RegistrationTypeInput {
    /// The type's name, as the website shows it (1 to 120 characters).
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Professional")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    /// Who it is for, in plain text (up to 2000 characters); empty when left out.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: String,
    /// The price in minor units of `currency` (cents): 45000 is 450.00; 0 for free.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000, example = 45000)]
    pub price_minor: i64,
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "currency_code"))]
    /// The price's currency: an ISO 4217 code, three upper-case letters (422 `invalid_currency`
    /// otherwise).
    #[schema(pattern = "^[A-Z]{3}$", example = "USD")]
    pub currency: String,
    /// How many seats it has (0 to 100000); not below the seats already taken when replacing
    /// (409). Raising it confirms people from the waiting list.
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000, example = 300)]
    pub capacity: i32,
    /// When registrations open; `null` or left out: as soon as the edition is published.
    pub sales_start: Option<DateTime<Utc>>,
    /// When registrations close (that instant excluded): after `sales_start`; `null` or left
    /// out: never by themselves.
    pub sales_end: Option<DateTime<Utc>>,
    /// Display order (lower first, 0 to 1000); 0 when left out.
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
