//! BibTeX, written by hand: the crates that write it are unmaintained or only parse, and an entry
//! is a few lines. What matters is the escaping:
//!
//! - LaTeX's special characters become commands (`\&`, `\%`, `\textbackslash{}`). Braces become
//!   `\{` and `\}` when they pair up in the text; otherwise `\textbraceleft{}` and
//!   `\textbraceright{}`, since BibTeX counts every brace, escaped or not, and a lone `\{` would
//!   swallow the rest of the entry.
//! - Styles lower-case titles; every word of the title with a capital is wrapped in braces so
//!   "HIV" and "Texas" stay as written.
//! - Names are joined with " and " (BibTeX's separator), an organisation is wrapped in braces so
//!   neither its words nor an "and" in it are read as names, and a person is "von Last, Jr, First".
//! - URLs and DOIs are verbatim (biblatex reads them so); only characters that would break the
//!   field (braces, backslashes, spaces) are percent-encoded, which leaves them resolving.

use super::model::Name;
use super::model::{Kind, Work};

pub const CONTENT_TYPE: &str = "application/x-bibtex";

pub fn write(work: &Work) -> String {
    let entry_type = match work.kind {
        Kind::Article => "article",
        Kind::Web | Kind::Document => "misc",
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !work.authors.is_empty() {
        fields.push(("author", work.authors.iter().map(name).collect::<Vec<_>>().join(" and ")));
    }
    fields.push(("title", title(&work.title)));
    if let Some(journal) = &work.journal {
        fields.push(("journal", escape(journal)));
    }
    if let Some(year) = work.year {
        fields.push(("year", year.to_string()));
    }
    match (work.kind, &work.publisher) {
        (Kind::Web, Some(publisher)) => fields.push(("organization", escape(publisher))),
        (Kind::Document, Some(publisher)) => fields.push(("howpublished", escape(publisher))),
        _ => {}
    }
    if let Some(doi) = &work.doi {
        fields.push(("doi", verbatim(doi)));
    }
    if let Some(url) = &work.url {
        if work.kind == Kind::Web {
            // Classic BibTeX styles print `howpublished` and `note`; biblatex reads `url` and `urldate`.
            fields.push(("howpublished", format!("\\url{{{}}}", verbatim(url))));
        }
        fields.push(("url", verbatim(url)));
    }
    if let Some(accessed) = work.accessed {
        fields.push(("urldate", accessed.format("%Y-%m-%d").to_string()));
        fields.push(("note", format!("Accessed: {}", accessed.format("%Y-%m-%d"))));
    }
    let mut out = format!("@{entry_type}{{{},\n", work.key);
    for (i, (field, value)) in fields.iter().enumerate() {
        let comma = if i + 1 < fields.len() { "," } else { "" };
        out.push_str(&format!("  {field} = {{{value}}}{comma}\n"));
    }
    out.push_str("}\n");
    out
}

/// Whether every `}` of the text closes an earlier `{` and every `{` is closed.
fn braces_pair(text: &str) -> bool {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return false,
            '}' => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

/// A value in LaTeX text: the special characters escaped, control characters as spaces.
pub fn escape(text: &str) -> String {
    escape_with(text, braces_pair(text))
}

/// `paired`: whether the braces of the whole value pair up (see the module's note).
fn escape_with(text: &str, paired: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' if paired => out.push_str("\\{"),
            '}' if paired => out.push_str("\\}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A title: escaped, with each run of letters and digits holding a capital wrapped in braces so
/// a style's change of case leaves it as written.
fn title(text: &str) -> String {
    let paired = braces_pair(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.chars().any(char::is_uppercase) {
            out.push('{');
            out.push_str(word);
            out.push('}');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push_str(&escape_with(&c.to_string(), paired));
        }
    }
    flush(&mut word, &mut out);
    out
}

/// One author: "von Last, Jr, First" for a person (each part escaped, a stray word "and"
/// braced), an organisation in braces.
fn name(name: &Name) -> String {
    let part = |s: &str| {
        s.split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| if w.eq_ignore_ascii_case("and") { format!("{{{}}}", escape(w)) } else { escape(w) })
            .collect::<Vec<_>>()
            .join(" ")
    };
    match name {
        Name::Literal(literal) => format!("{{{}}}", escape(literal)),
        Name::Person(p) => {
            let mut out = part(&p.full_family());
            if !p.suffix.is_empty() {
                out.push_str(", ");
                out.push_str(&part(&p.suffix));
            }
            if !p.given.is_empty() {
                out.push_str(", ");
                out.push_str(&part(&p.given));
            }
            out
        }
    }
}

/// A URL or DOI as biblatex reads them (verbatim), with what would break the field encoded.
fn verbatim(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citations::model::parse_name as parse;

    #[test]
    fn escapes_latex_and_keeps_braces_balanced() {
        assert_eq!(
            escape("R&D 100% $5 #1 a_b ~ ^"),
            "R\\&D 100\\% \\$5 \\#1 a\\_b \\textasciitilde{} \\textasciicircum{}"
        );
        assert_eq!(escape("{x} \\"), "\\{x\\} \\textbackslash{}");
        assert_eq!(escape("a } b {"), "a \\textbraceright{} b \\textbraceleft{}");
    }

    #[test]
    fn titles_protect_capitals() {
        assert_eq!(title("Improving HIV care in Texas"), "{Improving} {HIV} care in {Texas}");
        assert_eq!(title("COVID-19: what's next?"), "{COVID}-19: what's next?");
        assert_eq!(title("Équité {in} care"), "{Équité} \\{in\\} care");
        assert_eq!(title("Odd { brace"), "{Odd} \\textbraceleft{} brace");
    }

    #[test]
    fn names() {
        let n = |s: &str| name(&parse(s).unwrap());
        assert_eq!(n("Ada Lovelace"), "Lovelace, Ada");
        assert_eq!(n("Vincent van Gogh"), "van Gogh, Vincent");
        assert_eq!(n("Martin Luther King Jr."), "King, Jr., Martin Luther");
        assert_eq!(n("Health Resources and Services Administration"), "{Health Resources and Services Administration}");
        assert_eq!(n("Johnson & Johnson"), "{Johnson \\& Johnson}");
    }

    #[test]
    fn urls_stay_verbatim() {
        assert_eq!(verbatim("https://x.org/a%20b#c_d"), "https://x.org/a%20b#c_d");
        assert_eq!(verbatim("https://x.org/{a}\\ b\u{a0}"), "https://x.org/%7Ba%7D%5C%20b%C2%A0");
    }
}
