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

/// A consent box that must be ticked.
pub fn must_be_true(consent: &bool) -> Result<(), ValidationError> {
    if *consent {
        Ok(())
    } else {
        Err(ValidationError::new("consent_required").with_message("must be true: we need your agreement".into()))
    }
}

/// A date a person would mean (years 1900 to 2200; PostgreSQL's dates go further than sense).
pub fn plausible_date(date: &chrono::NaiveDate) -> Result<(), ValidationError> {
    use chrono::Datelike;
    if (1900..=2200).contains(&date.year()) {
        Ok(())
    } else {
        Err(ValidationError::new("out_of_range").with_message("must be between 1900 and 2200".into()))
    }
}

/// For partial updates: `null` clears an optional field, a field left out stays as it is.
pub fn present<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A list of people's names (authors, speakers): each 1 to 200 characters.
pub fn names_ok(names: &[String]) -> Result<(), ValidationError> {
    if names.iter().all(|a| (1..=200).contains(&a.trim().chars().count())) {
        Ok(())
    } else {
        Err(ValidationError::new("invalid_length").with_message("each name must be 1 to 200 characters".into()))
    }
}

/// An absolute http(s) URL, written as stored: starting with `http://` or `https://` (lower case,
/// no leading space), as the tables' CHECK constraints require.
pub fn http_url(url: &str) -> Result<(), ValidationError> {
    let prefixed = url.starts_with("http://") || url.starts_with("https://");
    match url::Url::parse(url) {
        Ok(u) if prefixed && u.host().is_some() => Ok(()),
        _ => Err(ValidationError::new("invalid_url")
            .with_message("must be an http(s) URL starting with http:// or https://".into())),
    }
}
