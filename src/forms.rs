//! What the public forms share: text rules, the honeypot, and the secrets sent in messages.

use validator::ValidationError;

/// A required text must hold more than white space.
pub fn not_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        Err(ValidationError::new("required").with_message("must not be blank".into()))
    } else {
        Ok(())
    }
}

/// The honeypot: a field people never see (the website hides it), so only robots fill it. A
/// filled one is answered exactly like a success, and nothing is stored or sent.
pub fn is_robot(honeypot: &Option<String>) -> bool {
    honeypot.as_deref().is_some_and(|v| !v.trim().is_empty())
}

/// Emails are compared and stored lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A secret for a link in a message (256 random bits, base64url) and the SHA-256 that is stored.
pub fn new_token() -> (String, Vec<u8>) {
    crate::auth::tokens::new_refresh_token()
}

pub fn token_hash(token: &str) -> Vec<u8> {
    crate::auth::tokens::hash(token)
}

/// Deserialises a string without its surrounding white space, so length rules and the stored
/// value agree (`"  a  "` is one character, not five).
pub fn trimmed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    Ok(s.trim().to_string())
}

/// `trimmed` for optional strings.
pub fn trimmed_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = <Option<String> as serde::Deserialize>::deserialize(d)?;
    Ok(s.map(|s| s.trim().to_string()))
}
