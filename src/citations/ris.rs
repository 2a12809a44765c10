//! RIS (Research Information Systems), written by hand: no maintained crate writes it, and a
//! record is a few tagged lines. Each line is `TAG  - value` ending in CR LF, as the format's
//! specification has it; a value is one line, so line breaks and control characters in stored
//! text become spaces (nothing can start a tag of its own). A record ends with `ER  - `.

use super::model::Name;
use super::model::{Kind, Work};

pub const CONTENT_TYPE: &str = "application/x-research-info-systems";

pub fn write(work: &Work) -> String {
    let mut out = String::new();
    let mut line = |tag: &str, value: &str| {
        let value = one_line(value);
        if !value.is_empty() {
            out.push_str(&format!("{tag}  - {value}\r\n"));
        }
    };
    line(
        "TY",
        match work.kind {
            Kind::Article => "JOUR",
            Kind::Web => "ELEC",
            Kind::Document => "GEN",
        },
    );
    line("ID", &work.key);
    for author in &work.authors {
        line("AU", &name(author));
    }
    line("TI", &work.title);
    if let Some(journal) = &work.journal {
        // T2 is the secondary (journal) title EndNote and Zotero read; JO the journal name others read.
        line("T2", journal);
        line("JO", journal);
    }
    if let Some(publisher) = &work.publisher {
        line("PB", publisher);
    }
    if let Some(year) = work.year {
        line("PY", &year.to_string());
    }
    if let Some(doi) = &work.doi {
        line("DO", doi);
    }
    if let Some(url) = &work.url {
        line("UR", url);
    }
    if let Some(accessed) = work.accessed {
        // The access date, in RIS's YYYY/MM/DD/ date shape.
        line("Y2", &accessed.format("%Y/%m/%d/").to_string());
    }
    for keyword in &work.keywords {
        line("KW", keyword);
    }
    out.push_str("ER  - \r\n");
    out
}

/// "Last, First, Suffix" for a person (RIS's author shape), an organisation as written.
fn name(name: &Name) -> String {
    match name {
        Name::Literal(literal) => literal.clone(),
        Name::Person(p) => {
            let mut parts = vec![p.full_family()];
            if !p.given.is_empty() || !p.suffix.is_empty() {
                parts.push(p.given.clone());
            }
            if !p.suffix.is_empty() {
                parts.push(p.suffix.clone());
            }
            parts.join(", ")
        }
    }
}

fn one_line(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citations::model::parse_name as parse;

    #[test]
    fn names_and_lines() {
        let n = |s: &str| name(&parse(s).unwrap());
        assert_eq!(n("Ada Lovelace"), "Lovelace, Ada");
        assert_eq!(n("Vincent van Gogh"), "van Gogh, Vincent");
        assert_eq!(n("Martin Luther King Jr."), "King, Martin Luther, Jr.");
        assert_eq!(n("Social Mission Alliance"), "Social Mission Alliance");
        assert_eq!(one_line("a\r\nER  - b\t"), "a  ER  - b");
    }
}
