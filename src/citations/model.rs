//! A published resource seen as a citable work: what kind of work it is and the fields every
//! citation format takes from it.
//!
//! Authors as citations need them (`Name`, `parse_name`). The library stores each author as one
//! display string ("Ada Lovelace", "Lovelace, Ada", "Association of American Medical Colleges");
//! this splits it into family and given names, or keeps an organisation whole.

use chrono::NaiveDate;

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
        let authors: Vec<Name> = resource.authors.iter().filter_map(|a| parse_name(a)).collect();
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

/// One author of a work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Person(Person),
    /// An organisation (or a single-word name): cited exactly as written, never split.
    Literal(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    pub given: String,
    /// Lower-case words before the family name that belong to it ("van", "de la").
    pub particle: String,
    pub family: String,
    /// "Jr.", "III".
    pub suffix: String,
}

impl Person {
    /// The family name with its particle: "van Gogh".
    pub fn full_family(&self) -> String {
        join(&[&self.particle, &self.family])
    }
}

impl Name {
    /// What a key or a sort takes from the name: the family name, or an organisation's first word.
    pub fn family_or_first_word(&self) -> &str {
        match self {
            Name::Person(p) => &p.family,
            Name::Literal(l) => l.split_whitespace().next().unwrap_or(""),
        }
    }
}

/// Words that make an author an organisation rather than a person.
const ORGANISATION_WORDS: &[&str] = &[
    "academy",
    "administration",
    "agency",
    "alliance",
    "association",
    "authority",
    "board",
    "bureau",
    "center",
    "centre",
    "coalition",
    "college",
    "collaborative",
    "commission",
    "committee",
    "company",
    "consortium",
    "corporation",
    "council",
    "department",
    "federation",
    "foundation",
    "group",
    "hospital",
    "inc",
    "initiative",
    "institute",
    "institution",
    "league",
    "llc",
    "ltd",
    "ministry",
    "network",
    "office",
    "organisation",
    "organization",
    "partnership",
    "press",
    "program",
    "programme",
    "project",
    "school",
    "secretariat",
    "services",
    "society",
    "taskforce",
    "team",
    "trust",
    "union",
    "university",
];

/// Name suffixes kept with the name.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Degrees and credentials, as health-sciences author lists often carry them ("Jane Doe, MD, MPH");
/// a citation leaves them out. Compared case-sensitively with periods removed, so "Ma" (a name)
/// is not "MA".
const CREDENTIALS: &[&str] = &[
    "BSN", "CNM", "DDS", "DMD", "DNP", "DO", "DrPH", "EdD", "FAAN", "FACP", "FNP", "JD", "LCSW", "MA", "MBA", "MBBS",
    "MD", "MPH", "MS", "MSc", "MSN", "MSW", "NP", "PA-C", "PharmD", "PhD", "RN", "ScD",
];

fn is_suffix(word: &str) -> bool {
    SUFFIXES.contains(&word.trim_end_matches('.').to_lowercase().as_str())
}

fn is_credential(word: &str) -> bool {
    CREDENTIALS.contains(&word.replace('.', "").as_str())
}

fn is_lowercase_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

fn join(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

fn is_organisation(name: &str) -> bool {
    name.contains('&')
        || name.split(|c: char| c.is_whitespace() || c == ',').any(|word| {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            ORGANISATION_WORDS.contains(&word.as_str())
        })
}

/// Splits a stored author. `None` for a blank one.
///
/// - "Lovelace, Ada" is family, given; "King, Jr., Martin Luther" (BibTeX's order) and
///   "King, Martin Luther, Jr." (RIS's) carry a suffix.
/// - "Ada Lovelace": the last word is the family name, with any lower-case words just before it
///   ("Vincent van Gogh"); a trailing "Jr." or "III" is the suffix. PubMed's "Fluker CJ" (up to
///   three capitals last) is family name and initials.
/// - One word, or a name with a word such as "Association" or "Alliance", is an organisation.
/// - Credentials after a comma ("Jane Doe, MD") are dropped.
pub fn parse_name(raw: &str) -> Option<Name> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.trim_matches(|c: char| c == ',' || c.is_whitespace());
    if name.is_empty() {
        return None;
    }
    if is_organisation(name) {
        return Some(Name::Literal(name.to_string()));
    }
    let mut parts: Vec<&str> = name.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| is_credential(p)) {
        parts.pop();
    }
    let person = match parts.as_slice() {
        [] => return None,
        [display] => display_form(display, ""),
        // "Martin Luther King, Jr.": a display name with its suffix after a comma.
        [display, suffix] if is_suffix(suffix) => display_form(display, suffix),
        [family, given] => family_first(family, given, ""),
        [family, suffix, given] if is_suffix(suffix) => family_first(family, given, suffix),
        [family, given, suffix] if is_suffix(suffix) => family_first(family, given, suffix),
        [family, rest @ ..] => family_first(family, &rest.join(" "), ""),
    };
    match person {
        Some(p) => Some(Name::Person(p)),
        None => Some(Name::Literal(name.to_string())),
    }
}

/// PubMed's (Vancouver's) initials after the family name: "CJ" in "Fluker CJ".
fn is_initials(word: &str) -> bool {
    (1..=3).contains(&word.chars().count())
        && word.chars().all(char::is_uppercase)
        && !matches!(word, "II" | "III" | "IV")
}

/// "Ada Lovelace", "Vincent van Gogh", "Martin Luther King Jr.", and PubMed's "Fluker CJ"
/// (family name, then initials). `None` for a single word.
fn display_form(display: &str, suffix: &str) -> Option<Person> {
    let mut words: Vec<&str> = display.split(' ').collect();
    let mut suffix = suffix.to_string();
    if suffix.is_empty() && words.len() > 2 && words.last().is_some_and(|w| is_suffix(w)) {
        suffix = words.pop().unwrap_or_default().to_string();
    }
    if words.len() < 2 {
        return None;
    }
    if let Some(initials) = words.last().filter(|w| is_initials(w)) {
        let given = initials.chars().map(|c| format!("{c}.")).collect::<Vec<_>>().join(" ");
        words.pop();
        return family_first(&words.join(" "), &given, &suffix);
    }
    let family = words.pop().unwrap_or_default();
    // Lower-case words just before the family name are its particle; at least one given word stays.
    let mut start = words.len();
    while start > 1 && is_lowercase_word(words[start - 1]) {
        start -= 1;
    }
    Some(Person {
        given: words[..start].join(" "),
        particle: words[start..].join(" "),
        family: family.to_string(),
        suffix,
    })
}

/// "van Gogh", "Vincent": the family part's leading lower-case words are its particle.
fn family_first(family: &str, given: &str, suffix: &str) -> Option<Person> {
    let words: Vec<&str> = family.split(' ').collect();
    let mut start = 0;
    while start + 1 < words.len() && is_lowercase_word(words[start]) {
        start += 1;
    }
    Some(Person {
        given: given.to_string(),
        particle: words[..start].join(" "),
        family: words[start..].join(" "),
        suffix: suffix.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ascii_and_stable() {
        let author = parse_name("Jürgen Müller");
        assert_eq!(citation_key(author.as_ref(), Some(2020), "The Community & {HIV} care"), "muller2020community");
        let org = parse_name("Association of American Medical Colleges");
        assert_eq!(citation_key(org.as_ref(), Some(2019), "Łódź pathways"), "association2019lodz");
        assert_eq!(citation_key(None, Some(2021), "A guide"), "anon2021guide");
        assert_eq!(citation_key(None, None, "—"), "anon");
    }
}

#[cfg(test)]
mod name_tests {
    use super::parse_name as parse;
    use super::*;

    fn person(given: &str, particle: &str, family: &str, suffix: &str) -> Option<Name> {
        Some(Name::Person(Person {
            given: given.into(),
            particle: particle.into(),
            family: family.into(),
            suffix: suffix.into(),
        }))
    }

    fn literal(name: &str) -> Option<Name> {
        Some(Name::Literal(name.into()))
    }

    #[test]
    fn display_and_comma_forms() {
        assert_eq!(parse("Ada Lovelace"), person("Ada", "", "Lovelace", ""));
        assert_eq!(parse("  Lovelace,   Ada "), person("Ada", "", "Lovelace", ""));
        assert_eq!(parse("Ada Augusta King Lovelace"), person("Ada Augusta King", "", "Lovelace", ""));
        assert_eq!(parse("A. B. Lovelace"), person("A. B.", "", "Lovelace", ""));
        assert_eq!(parse("José Álvarez-Núñez"), person("José", "", "Álvarez-Núñez", ""));
        assert_eq!(parse("García Márquez, Gabriel"), person("Gabriel", "", "García Márquez", ""));
    }

    #[test]
    fn particles_and_suffixes() {
        assert_eq!(parse("Vincent van Gogh"), person("Vincent", "van", "Gogh", ""));
        assert_eq!(parse("Johannes Diderik van der Waals"), person("Johannes Diderik", "van der", "Waals", ""));
        assert_eq!(parse("van Gogh, Vincent"), person("Vincent", "van", "Gogh", ""));
        assert_eq!(parse("bell hooks"), person("bell", "", "hooks", ""));
        assert_eq!(parse("Martin Luther King Jr."), person("Martin Luther", "", "King", "Jr."));
        assert_eq!(parse("Martin Luther King, Jr."), person("Martin Luther", "", "King", "Jr."));
        assert_eq!(parse("King, Jr., Martin Luther"), person("Martin Luther", "", "King", "Jr."));
        assert_eq!(parse("King, Martin Luther, III"), person("Martin Luther", "", "King", "III"));
    }

    #[test]
    fn pubmed_initials() {
        assert_eq!(parse("Fluker CJ"), person("C. J.", "", "Fluker", ""));
        assert_eq!(parse("Weaver J"), person("J.", "", "Weaver", ""));
        assert_eq!(parse("Smith JR"), person("J. R.", "", "Smith", ""));
        assert_eq!(parse("van Gogh V"), person("V.", "van", "Gogh", ""));
        assert_eq!(parse("García Márquez G"), person("G.", "", "García Márquez", ""));
        assert_eq!(parse("King ML Jr"), person("M. L.", "", "King", "Jr"));
        assert_eq!(parse("Henry Ford III"), person("Henry", "", "Ford", "III"));
    }

    #[test]
    fn credentials_are_dropped() {
        assert_eq!(parse("Jane Doe, MD, MPH"), person("Jane", "", "Doe", ""));
        assert_eq!(parse("Doe, Jane, Ph.D."), person("Jane", "", "Doe", ""));
        assert_eq!(parse("Wei Ma"), person("Wei", "", "Ma", ""));
        assert_eq!(parse("Ma, Wei"), person("Wei", "", "Ma", ""));
    }

    #[test]
    fn organisations_and_single_words_stay_whole() {
        assert_eq!(
            parse("Association of American Medical Colleges"),
            literal("Association of American Medical Colleges")
        );
        assert_eq!(parse("Social Mission Alliance"), literal("Social Mission Alliance"));
        assert_eq!(
            parse("Health Resources and Services Administration"),
            literal("Health Resources and Services Administration")
        );
        assert_eq!(
            parse("University of California, San Francisco"),
            literal("University of California, San Francisco")
        );
        assert_eq!(parse("Johnson & Johnson"), literal("Johnson & Johnson"));
        assert_eq!(parse("WHO"), literal("WHO"));
        assert_eq!(parse("Lovelace,"), literal("Lovelace"));
        assert_eq!(parse("   "), None);
    }
}
