//! Rows of `partners` and `api_keys`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{api_keys, partners};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partners)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct PartnerRow {
    pub id: Uuid,
    pub institution: String,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = partners)]
pub struct PartnerFields {
    pub institution: String,
    pub contact_name: String,
    #[diesel(treat_none_as_null = true)]
    pub contact_email: Option<String>,
    pub notes: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct KeyRow {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub request_count: i64,
}
