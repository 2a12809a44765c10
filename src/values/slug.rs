//! Slugs: lower-case ASCII words joined by hyphens, made from titles and labels.

use validator::ValidationError;

use super::Slug;

/// `Pathways, Admission & Graduation` → `pathways-admission-graduation`. Accents are dropped
/// with the rest of non-ASCII; at most 80 characters, cut at a word boundary.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_ascii_lowercase();
        if slug.len() + word.len() + 1 > 80 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    slug
}

/// The slugs to try for a new record named `text`, in order: `name`, `name-2`, `name-3`, ...
/// (`fallback` when the text has no ASCII letters or digits). Endless: a caller stops at a free one.
pub fn candidates(text: &str, fallback: &str) -> impl Iterator<Item = Slug> {
    let base = Some(slugify(text)).filter(|s| !s.is_empty()).unwrap_or_else(|| fallback.to_string());
    (1..).map(move |n: u64| {
        let slug = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        // slugify writes only slug words, and the fallbacks are words.
        Slug::parse(&slug).expect("a made slug is a slug")
    })
}

pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

pub fn validate(slug: &str) -> Result<(), ValidationError> {
    if is_valid(slug) {
        Ok(())
    } else {
        Err(ValidationError::new("invalid_slug")
            .with_message("must be lower-case letters and digits joined by single hyphens".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_titles() {
        assert_eq!(slugify("Pathways, Admission & Graduation"), "pathways-admission-graduation");
        assert_eq!(slugify("  Diversity, Inclusion & Belonging!! "), "diversity-inclusion-belonging");
        assert_eq!(slugify("Café 2024"), "caf-2024");
        assert!(slugify(&"word ".repeat(40)).len() <= 80);
        assert!(is_valid("a-b-1") && !is_valid("a--b") && !is_valid("-a") && !is_valid("A"));
    }
}
