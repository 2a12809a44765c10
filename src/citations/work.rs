//! A published resource seen as a citable work: what kind of work it is and the fields every
//! citation format takes from it.

use chrono::NaiveDate;

use super::name::{self, Name};
use crate::resources::json::ResourceJson;

/// How a resource is cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A peer-reviewed article with its journal (`source`): BibTeX `@article`, RIS `JOUR`, CSL
    /// `article-journal`.
    Article,
    /// Anything else with a URL (guidance, tools, examples on the web): BibTeX `@misc` with the
    /// URL and when it was checked, RIS `ELEC`, CSL `webpage`.
    Web,
    /// Anything else without a URL: BibTeX `@misc`, RIS `GEN`, CSL `document`.
    Document,
}

#[derive(Debug, Clone)]
pub struct Work {
    pub kind: Kind,
    pub key: String,
    /// The resource's slug, for file names.
    pub slug: String,
    pub title: String,
    pub authors: Vec<Name>,
    pub year: Option<i32>,
    /// The journal of an article.
    pub journal: Option<String>,
    /// The publisher or organisation of anything else.
    pub publisher: Option<String>,
    pub doi: Option<String>,
    /// The resource's URL, or its DOI's for a resource with a DOI and no URL.
    pub url: Option<String>,
    /// When the library last checked the record: a web page's "accessed" date.
    pub accessed: Option<NaiveDate>,
    /// The resource's domains and topics, as labels. Only RIS carries them (one `KW` line each):
    /// BibTeX and CSL separate keywords with commas, which labels such as "Pathways, Admission &
    /// Graduation" contain.
    pub keywords: Vec<String>,
}

impl Work {
    pub fn from_resource(resource: &ResourceJson) -> Self {
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let source = clean(&resource.source);
        let doi = clean(&resource.doi);
        let own_url = clean(&resource.url);
        let is_article = resource.resource_type.slug.contains("article");
        let kind = match (&source, &own_url) {
            (Some(_), _) if is_article => Kind::Article,
            (_, Some(_)) => Kind::Web,
            _ => Kind::Document,
        };
        let url = own_url.or_else(|| doi.as_ref().map(|d| format!("https://doi.org/{d}")));
        let authors: Vec<Name> = resource.authors.iter().filter_map(|a| name::parse(a)).collect();
        let title = resource.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let (journal, publisher) = if kind == Kind::Article { (source, None) } else { (None, source) };
        Work {
            kind,
            key: citation_key(authors.first(), resource.year, &title),
            slug: resource.slug.clone(),
            title,
            authors,
            year: resource.year,
            journal,
            publisher,
            doi,
            accessed: (kind == Kind::Web).then(|| resource.updated_at.date_naive()),
            url,
            keywords: resource.domains.iter().chain(&resource.topics).map(|t| t.label.clone()).collect(),
        }
    }
}

/// Words a key skips when it looks for the title's first word.
const STOP_WORDS: &[&str] = &["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with"];

fn ascii_word(word: &str) -> String {
    deunicode::deunicode(word).chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

/// A stable, readable key in Google Scholar's shape: the first author's family name, the year and
/// the title's first significant word, ASCII only ("lovelace2020community"). The same resource
/// always gets the same key; two resources share one only when all three agree.
pub fn citation_key(first_author: Option<&Name>, year: Option<i32>, title: &str) -> String {
    let author = first_author.map(|a| ascii_word(a.family_or_first_word())).unwrap_or_default();
    let word = title
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(ascii_word)
        .find(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
        .unwrap_or_default();
    let year = year.map(|y| y.to_string()).unwrap_or_default();
    let key = format!("{author}{year}{word}");
    // A key must not start with a digit for some tools; an authorless one gets a word first.
    if key.is_empty() || key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("anon{key}")
    } else {
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ascii_and_stable() {
        let author = name::parse("Jürgen Müller");
        assert_eq!(citation_key(author.as_ref(), Some(2020), "The Community & {HIV} care"), "muller2020community");
        let org = name::parse("Association of American Medical Colleges");
        assert_eq!(citation_key(org.as_ref(), Some(2019), "Łódź pathways"), "association2019lodz");
        assert_eq!(citation_key(None, Some(2021), "A guide"), "anon2021guide");
        assert_eq!(citation_key(None, None, "—"), "anon");
    }
}
