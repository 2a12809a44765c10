//! Rows of registrations and their typed values (status, payment).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::registrations;
use crate::text_enum;

/// Where a registration stands: `confirmed` (it holds a seat), `waitlisted` (on its type's
/// waiting list: confirmed in turn when a seat frees up, and emailed then) or `cancelled` (final;
/// a seat it held goes to the first waiting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}
text_enum!(RegistrationStatus { Confirmed = "confirmed", Waitlisted = "waitlisted", Cancelled = "cancelled" });

/// What staff recorded about payment (the service takes no payments): `unpaid` (every
/// registration starts so), `paid` or `waived`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Unpaid,
    Paid,
    Waived,
}
text_enum!(PaymentStatus { Unpaid = "unpaid", Paid = "paid", Waived = "waived" });

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = registrations)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct RegistrationRow {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub registration_type_id: Uuid,
    pub code: String,
    pub token_hash: Vec<u8>,
    pub name: String,
    pub email: Option<String>,
    pub institution: String,
    pub role: String,
    pub profession: String,
    pub accessibility_needs: String,
    pub dietary_needs: String,
    pub consent: bool,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i32>,
    pub payment_status: PaymentStatus,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = registrations)]
pub struct NewRegistration<'a> {
    pub id: Uuid,
    pub conference_id: Uuid,
    pub registration_type_id: Uuid,
    pub code: &'a str,
    pub token_hash: &'a [u8],
    pub name: &'a str,
    pub email: &'a str,
    pub institution: &'a str,
    pub role: &'a str,
    pub profession: &'a str,
    pub accessibility_needs: &'a str,
    pub dietary_needs: &'a str,
    pub consent: bool,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i32>,
    pub confirmed_at: Option<DateTime<Utc>>,
}
