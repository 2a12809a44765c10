//! Wire types of partners and their keys.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::model::{KeyRow, PartnerRow};
use crate::forms::not_blank;

/// A partner institution's details, whole: creating takes them, and `PUT` replaces the stored ones
/// (a field left out is emptied). Text fields are trimmed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "institution": "Example University Health Sciences Library",
    "contact_name": "Jordan Rivera",
    "contact_email": "jordan.rivera@example.org",
    "notes": "Harvests the library nightly over OAI-PMH into the university's discovery catalogue."
}))]
pub struct PartnerInput {
    /// The institution's name, 1 to 200 characters.
    #[serde(deserialize_with = "crate::forms::trimmed")]
    #[validate(custom(function = "not_blank"), length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Example University Health Sciences Library")]
    pub institution: String,
    /// The person to write to about the partnership, at most 200 characters; empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200, example = "Jordan Rivera")]
    pub contact_name: String,
    /// The contact's email address (stored lower-cased); null or left out for none.
    #[serde(default, deserialize_with = "crate::forms::trimmed_opt")]
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "jordan.rivera@example.org")]
    pub contact_email: Option<String>,
    /// Staff notes about the partner, at most 2,000 characters; empty when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub notes: String,
}

/// A partner institution, as admins see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a21d85-3980-7e50-b929-2d22e255accb",
    "institution": "Example University Health Sciences Library",
    "contact_name": "Jordan Rivera",
    "contact_email": "jordan.rivera@example.org",
    "notes": "Harvests the library nightly over OAI-PMH into the university's discovery catalogue.",
    "active_keys": 1,
    "created_at": "2026-11-27T15:00:00Z",
    "updated_at": "2026-11-27T15:00:00Z"
}))]
pub struct PartnerJson {
    /// The partner's id.
    pub id: Uuid,
    /// The institution's name.
    #[schema(example = "Example University Health Sciences Library")]
    pub institution: String,
    /// The contact person's name; may be empty.
    pub contact_name: String,
    /// The contact's email address, lower-cased; null when none is recorded.
    pub contact_email: Option<String>,
    /// Staff notes; may be empty.
    pub notes: String,
    /// Keys not revoked.
    pub active_keys: i64,
    /// When the partner was registered (UTC).
    pub created_at: DateTime<Utc>,
    /// When its details last changed (UTC).
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

/// A new key for a partner.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "name": "catalogue sync" }))]
pub struct KeyInput {
    /// What the key is for, to tell keys apart (`catalogue sync`), at most 120 characters; empty
    /// when left out.
    #[serde(default, deserialize_with = "crate::forms::trimmed")]
    #[validate(length(max = 120))]
    #[schema(max_length = 120, example = "catalogue sync")]
    pub name: String,
}

/// A key as listed: never the key itself, only its visible prefix.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a21d89-5c18-78e6-9f19-950499dd251d",
    "name": "catalogue sync",
    "prefix": "sma_4f9c2a1b",
    "created_at": "2026-11-27T15:04:31Z",
    "revoked_at": null,
    "last_used_at": "2026-11-30T02:00:07Z",
    "request_count": 1284
}))]
pub struct KeyJson {
    /// The key's id (`DELETE /admin/partners/{id}/keys/{key_id}` revokes it).
    pub id: Uuid,
    /// What the key is for; may be empty.
    #[schema(example = "catalogue sync")]
    pub name: String,
    /// The key's first characters (`sma_` and 8 hex digits), shown to tell keys apart.
    #[schema(example = "sma_4f9c2a1b")]
    pub prefix: String,
    /// When it was issued (UTC).
    pub created_at: DateTime<Utc>,
    /// When it was revoked (UTC); null while it works.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was last used (UTC, written every few seconds); null if never.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Requests made with the key.
    #[schema(example = 1284)]
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
#[schema(example = json!({
    "id": "01a21d89-5c18-78e6-9f19-950499dd251d",
    "name": "catalogue sync",
    "prefix": "sma_4f9c2a1b",
    "created_at": "2026-11-27T15:04:31Z",
    "revoked_at": null,
    "last_used_at": null,
    "request_count": 0,
    "key": "sma_4f9c2a1b_UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA_TkB_yOaE"
}))]
pub struct IssuedKey {
    #[serde(flatten)]
    pub key_info: KeyJson,
    /// The key itself: `sma_`, 8 hex digits, `_` and 43 base64url characters. Send it as
    /// `Authorization: Bearer <key>` or `X-Api-Key: <key>`.
    #[schema(example = "sma_4f9c2a1b_UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA_TkB_yOaE")]
    pub key: String,
}
