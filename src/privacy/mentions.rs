//! Finding a person in free text: their address and names, case-insensitively and only as whole
//! words ("Al" leaves "Also" alone, `pat@example.org` leaves `john.pat@example.org` alone), each
//! replaced by `ERASED`. Used on the texts that stay after an erasure: staff decision reasons and
//! the audit log's details.

use serde_json::Value;

use super::ERASED;

pub struct Mentions {
    /// Lower-cased (one char per char), longest first, so a full name wins over a part of it.
    needles: Vec<Vec<char>>,
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// A character that continues a word or an address before a match.
fn joins_before(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '+' | '-' | '%')
}

/// A character that continues a word after a match (a sentence's full stop does not).
fn joins_after(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-')
}

impl Mentions {
    /// The address and names (blank ones, and `ERASED` itself, are left out).
    pub fn new(address: &str, names: impl IntoIterator<Item = String>) -> Self {
        let mut needles: Vec<Vec<char>> = std::iter::once(address.to_string())
            .chain(names)
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty() && n != ERASED)
            .map(|n| n.chars().map(fold).collect())
            .collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self { needles }
    }

    /// The text with every mention replaced, or `None` when it mentions nobody.
    pub fn scrub(&self, text: &str) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        let folded: Vec<char> = chars.iter().copied().map(fold).collect();
        let mut out = String::with_capacity(text.len());
        let mut changed = false;
        let mut i = 0;
        'scan: while i < chars.len() {
            if i == 0 || !joins_before(chars[i - 1]) {
                for needle in &self.needles {
                    let end = i + needle.len();
                    if end <= chars.len()
                        && folded[i..end] == needle[..]
                        && (end == chars.len() || !joins_after(chars[end]))
                    {
                        out.push_str(ERASED);
                        changed = true;
                        i = end;
                        continue 'scan;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        changed.then_some(out)
    }

    /// Scrubs every string value (not the keys, which the service writes) of a JSON document;
    /// true when something changed.
    pub fn scrub_json(&self, value: &mut Value) -> bool {
        match value {
            Value::String(s) => match self.scrub(s) {
                Some(scrubbed) => {
                    *s = scrubbed;
                    true
                }
                None => false,
            },
            Value::Array(items) => items.iter_mut().fold(false, |changed, v| self.scrub_json(v) | changed),
            Value::Object(map) => map.values_mut().fold(false, |changed, v| self.scrub_json(v) | changed),
            _ => false,
        }
    }

    /// `ILIKE` patterns that match a JSON document's text (`jsonb::text`) holding a mention: each
    /// needle as JSON escapes it, with `LIKE`'s wildcards escaped. They may match more than
    /// `scrub` replaces (a part of a longer word), never less.
    pub fn like_patterns(&self) -> Vec<String> {
        self.needles
            .iter()
            .map(|needle| {
                let text: String = needle.iter().collect();
                let json = serde_json::to_string(&text).expect("a string serialises");
                let inner = &json[1..json.len() - 1];
                let escaped = inner.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                format!("%{escaped}%")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn mentions() -> Mentions {
        Mentions::new("pat.q@example.org", ["Pat Quill".to_string(), "Al".to_string(), "  ".to_string()])
    }

    #[test]
    fn the_address_and_names_are_replaced_whatever_their_case_and_only_as_whole_words() {
        let m = mentions();
        assert_eq!(
            m.scrub("Write to PAT.Q@example.org, as pat quill asked.").as_deref(),
            Some("Write to [erased], as [erased] asked.")
        );
        assert_eq!(m.scrub("Al said: also Alan, AL.").as_deref(), Some("[erased] said: also Alan, [erased]."));
        assert_eq!(m.scrub("john.pat.q@example.org and pat.q@example.org-x stay"), None);
        assert_eq!(m.scrub("Pat Quillfeather is someone else"), None);
        assert_eq!(m.scrub("nothing here"), None);
        assert_eq!(m.scrub(""), None);
    }

    #[test]
    fn a_full_name_is_replaced_before_a_part_of_it() {
        let m = Mentions::new("x@example.org", ["Pat".to_string(), "Pat Quill".to_string()]);
        assert_eq!(m.scrub("Pat Quill and Pat").as_deref(), Some("[erased] and [erased]"));
    }

    #[test]
    fn blank_names_and_the_erased_marker_are_not_needles() {
        let m = Mentions::new("x@example.org", ["".to_string(), ERASED.to_string()]);
        assert_eq!(m.like_patterns(), vec!["%x@example.org%".to_string()]);
        assert_eq!(m.scrub("[erased] stays"), None);
    }

    #[test]
    fn json_string_values_are_scrubbed_at_any_depth_and_keys_are_left_alone() {
        let m = mentions();
        let mut value = json!({
            "reason": "Pat Quill sent it twice",
            "Al": ["ok", {"to": "pat.q@example.org"}, 3, null],
            "count": 2
        });
        assert!(m.scrub_json(&mut value));
        assert_eq!(
            value,
            json!({ "reason": "[erased] sent it twice", "Al": ["ok", {"to": "[erased]"}, 3, null], "count": 2 })
        );
        assert!(!m.scrub_json(&mut value), "a second pass finds nothing");
    }

    #[test]
    fn like_patterns_match_the_json_text_with_wildcards_escaped() {
        let m = Mentions::new("a_b%c@example.org", ["O\"Brien\\".to_string()]);
        assert_eq!(m.like_patterns(), vec![r"%a\_b\%c@example.org%".to_string(), r#"%o\\"brien\\\\%"#.to_string()]);
    }
}
