//! Wire types of partners and their keys.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::model::{KeyRow, PartnerRow};
use crate::forms::not_blank;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Example University Health Sciences Library")]
    pub institution: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub contact_name: String,
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub contact_email: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub notes: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerJson {
    pub id: Uuid,
    pub institution: String,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub notes: String,
    /// Keys not revoked.
    pub active_keys: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PartnerJson {
    pub fn new(p: PartnerRow, active_keys: i64) -> Self {
        Self {
            id: p.id,
            institution: p.institution,
            contact_name: p.contact_name,
            contact_email: p.contact_email,
            notes: p.notes,
            active_keys,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// What the key is for, to tell keys apart (`catalogue sync`).
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 120))]
    #[schema(max_length = 120, example = "catalogue sync")]
    pub name: String,
}

/// A key as listed: never the key itself, only its visible prefix.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyJson {
    pub id: Uuid,
    pub name: String,
    /// The key's first characters, shown to tell keys apart.
    #[schema(example = "sma_4f9c2a1b")]
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Requests made with the key.
    pub request_count: i64,
}

impl From<KeyRow> for KeyJson {
    fn from(k: KeyRow) -> Self {
        Self {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            revoked_at: k.revoked_at,
            last_used_at: k.last_used_at,
            request_count: k.request_count,
        }
    }
}

/// A new key: `key` is shown this once and cannot be read again (only its hash is kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedKey {
    #[serde(flatten)]
    pub key_info: KeyJson,
    /// Send it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.
    #[schema(example = "sma_4f9c2a1b_Zx8...")]
    pub key: String,
}
