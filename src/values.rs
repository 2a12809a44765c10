//! Values that parse once at the edge and then travel with their guarantee, so no later code
//! re-checks or re-normalises them (zero2prod's `SubscriberEmail` is the model: a private field,
//! `parse` returning a `Result`, `AsRef<str>` to read it).
//!
//! - [`Email`]: a syntactically valid address (the `validator` crate's rule, the one request
//!   types check), trimmed and lower-cased. Every stored address goes through it, so lookups,
//!   uniqueness and erasure by address can compare bytes (the columns' `CHECK (email =
//!   lower(email))` holds by construction).
//! - [`Slug`]: lower-case ASCII letters and digits in words joined by single hyphens, 1 to 80
//!   bytes (`taxonomy::slug::is_valid`), which is what the `slug` columns' CHECKs accept.

use std::fmt;

use validator::ValidateEmail;

use crate::error::ApiError;

/// An email address, trimmed and lower-cased, valid by the same rule as `#[validate(email)]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a text is not an [`Email`] or a [`Slug`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidValue {
    #[error("`{0}` is not a valid email address")]
    Email(String),
    #[error("`{0}` is not a valid slug")]
    Slug(String),
}

impl Email {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let email = text.trim().to_lowercase();
        if !email.is_empty() && email.validate_email() {
            Ok(Self(email))
        } else {
            Err(InvalidValue::Email(email))
        }
    }

    /// `parse` for a request field that `#[validate(email)]` has already accepted; should it still
    /// fail, the caller gets the same 422 that validation gives.
    pub fn from_field(text: &str, field: &str) -> Result<Self, ApiError> {
        Self::parse(text).map_err(|_| ApiError::invalid(field, "invalid_email", "must be a valid email address"))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A slug as the `slug` columns accept it: `pathways-admission-graduation`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        if crate::taxonomy::slug::is_valid(text) {
            Ok(Self(text.to_string()))
        } else {
            Err(InvalidValue::Slug(text.to_string()))
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Ada.Lovelace@Example.ORG \n").unwrap();
        assert_eq!(email.as_ref(), "ada.lovelace@example.org");
        assert_eq!(Email::parse(email.as_ref()).unwrap(), email, "parsing is idempotent");
        let refused = Email::parse(" Not An@Address ").unwrap_err();
        assert_eq!(refused.to_string(), "`not an@address` is not a valid email address");
    }

    #[test]
    fn an_invalid_email_is_refused() {
        for text in ["", "   ", "ada", "ada@", "@example.org", "ada lovelace@example.org", "ada@@example.org"] {
            assert!(Email::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn slugs_are_checked_not_made() {
        assert_eq!(Slug::parse("a-b-1").unwrap().as_ref(), "a-b-1");
        for text in ["", "A", "a--b", "-a", "a-", "a b", "é"] {
            assert!(Slug::parse(text).is_err(), "{text:?}");
        }
        assert!(Slug::parse(&"a".repeat(81)).is_err());
    }
}
