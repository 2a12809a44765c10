//! Values that parse once at the edge and then travel with their guarantee, so no later code
//! re-checks or re-normalises them (zero2prod's `SubscriberEmail` is the model: a private field,
//! `parse` returning a `Result`, `AsRef<str>` to read it).
//!
//! - [`Email`]: a syntactically valid address (the `validator` crate's rule, the one request
//!   types check), trimmed and lower-cased. Every stored address goes through it, so lookups,
//!   uniqueness and erasure by address can compare bytes (the columns' `CHECK (email =
//!   lower(email))` holds by construction).
//! - [`Slug`]: lower-case ASCII letters and digits in words joined by single hyphens, the
//!   pattern every `slug` column's CHECK shares (`^[a-z0-9]+(-[a-z0-9]+)*$`). Lengths differ by
//!   column (80 for vocabularies and editions, 120 for spotlights, none for resources), so they
//!   stay with the request validators and the CHECKs. Slugs made from names
//!   (`values::slug::candidates`) are `Slug`s; it reads as a `&str` (`Deref`, `AsRef`).

pub mod slug;

/// What stands where a person's name or a required text was removed by an erasure (privacy).
pub const ERASED: &str = "[erased]";

use std::fmt;
use std::ops::Deref;

use validator::ValidateEmail;

use crate::error::{ApiError, FieldCode};

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
        Self::parse(text)
            .map_err(|_| ApiError::invalid(field, FieldCode::InvalidEmail, "must be a valid email address"))
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let words = !text.is_empty()
            && text
                .split('-')
                .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if words {
            Ok(Self(text.to_string()))
        } else {
            Err(InvalidValue::Slug(text.to_string()))
        }
    }

    /// `parse` for a request field that `taxonomy::slug::validate` has already accepted; should it
    /// still fail, the caller gets the same 422 that validation gives.
    pub fn from_field(text: &str, field: &str) -> Result<Self, ApiError> {
        Self::parse(text).map_err(|_| {
            ApiError::invalid(
                field,
                FieldCode::InvalidSlug,
                "must be lower-case letters and digits joined by single hyphens",
            )
        })
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl Deref for Slug {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
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
        for text in ["pathways-admission-graduation", "", "Café 2024", "  !! "] {
            for made in crate::values::slug::candidates(text, "resource").take(3) {
                assert_eq!(Slug::parse(&made).unwrap(), made, "{text:?}");
            }
        }
    }
}
