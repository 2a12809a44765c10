//! Resumption tokens. Stateless: a token carries the list's request (verb, `metadataPrefix`,
//! `from`, `until`, `set`), the position after which the next page starts (the last change's
//! sequence number, so a list never skips or repeats a record because the library changed
//! between pages: a record that changes meanwhile moves to the end of the list), the cursor, the
//! list size counted on the first page, and an expiry. It is signed with a key derived from
//! `JWT_SECRET`, so every instance accepts the others' tokens and a garbled or forged one is told
//! apart from a real one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::args::Selection;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenState {
    /// `true` for `ListRecords`, `false` for `ListIdentifiers`.
    #[serde(rename = "r")]
    pub records: bool,
    #[serde(rename = "m")]
    pub metadata_prefix: String,
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    /// The next page starts after this `library_changes.seq`.
    #[serde(rename = "a")]
    pub after: i64,
    /// Records returned before the next page.
    #[serde(rename = "c")]
    pub cursor: u64,
    #[serde(rename = "n")]
    pub complete_list_size: u64,
    /// Unix seconds.
    #[serde(rename = "e")]
    pub expires: i64,
}

impl TokenState {
    pub fn selection(&self) -> Selection {
        Selection {
            metadata_prefix: self.metadata_prefix.clone(),
            from: self.from.clone(),
            until: self.until.clone(),
            set: self.set.clone(),
        }
    }

    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.expires, 0).unwrap_or(DateTime::UNIX_EPOCH)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Garbled,
    Expired,
}

/// Signs tokens with a key of its own, derived from the JWT secret.
pub struct Signer {
    key: [u8; 32],
}

/// Bytes of the signature kept in a token: 128 bits.
const TAG_LEN: usize = 16;

impl Signer {
    pub fn new(secret: &SecretString) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"oai-pmh resumption token\0");
        hash.update(secret.expose_secret().as_bytes());
        Self { key: hash.finalize().into() }
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(payload.as_bytes());
        mac
    }

    pub fn encode(&self, state: &TokenState) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(state).expect("a token state always serialises"));
        let tag = self.mac(&payload).finalize().into_bytes();
        format!("{payload}.{}", URL_SAFE_NO_PAD.encode(&tag[..TAG_LEN]))
    }

    pub fn decode(&self, token: &str, now: DateTime<Utc>) -> Result<TokenState, TokenError> {
        let (payload, tag) = token.split_once('.').ok_or(TokenError::Garbled)?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| TokenError::Garbled)?;
        if tag.len() != TAG_LEN {
            return Err(TokenError::Garbled);
        }
        // Compared in constant time.
        self.mac(payload).verify_truncated_left(&tag).map_err(|_| TokenError::Garbled)?;
        let json = URL_SAFE_NO_PAD.decode(payload).map_err(|_| TokenError::Garbled)?;
        let state: TokenState = serde_json::from_slice(&json).map_err(|_| TokenError::Garbled)?;
        if state.expires <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(expires: i64) -> TokenState {
        TokenState {
            records: true,
            metadata_prefix: "oai_dc".into(),
            from: Some("2026-01-01".into()),
            until: None,
            set: Some("domain:community-engagement".into()),
            after: 42,
            cursor: 100,
            complete_list_size: 250,
            expires,
        }
    }

    #[test]
    fn tokens_round_trip_and_reject_tampering_expiry_and_other_keys() {
        let signer = Signer::new(&SecretString::from("secret one"));
        let now = Utc::now();
        let token = signer.encode(&state(now.timestamp() + 60));
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "{token}");
        assert_eq!(signer.decode(&token, now), Ok(state(now.timestamp() + 60)));

        let mut garbled = token.clone().into_bytes();
        garbled[3] = if garbled[3] == b'A' { b'B' } else { b'A' };
        assert_eq!(signer.decode(std::str::from_utf8(&garbled).unwrap(), now), Err(TokenError::Garbled));
        assert_eq!(signer.decode("not a token", now), Err(TokenError::Garbled));
        assert_eq!(signer.decode(&token[..token.len() - 2], now), Err(TokenError::Garbled));
        assert_eq!(signer.decode("", now), Err(TokenError::Garbled));

        let other = Signer::new(&SecretString::from("secret two"));
        assert_eq!(other.decode(&token, now), Err(TokenError::Garbled));

        let expired = signer.encode(&state(now.timestamp() - 1));
        assert_eq!(signer.decode(&expired, now), Err(TokenError::Expired));
    }
}
