//! The Atom 1.0 feed (RFC 4287) of the latest published resources.

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::resources::json::ResourceJson;
use crate::taxonomy::json::TermRef;

pub const CONTENT_TYPE: &str = "application/atom+xml";
/// How many resources the feed carries.
pub const ENTRIES: i64 = 50;
pub const PATH: &str = "/api/v1/resources/feed.atom";

/// XML 1.0 cannot carry most control characters, even escaped; a stored text might hold one.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}')))
        .collect()
}

fn time(t: DateTime<Utc>) -> FixedDateTime {
    t.fixed_offset()
}

fn link(rel: &str, href: String, mime_type: &str) -> Link {
    Link {
        rel: rel.into(),
        href: xml_text(&href),
        mime_type: Some(mime_type.into()).filter(|m: &String| !m.is_empty()),
        ..Default::default()
    }
}

/// The feed of `resources` (newest first). Its `updated` is the latest change among them (the
/// epoch when there are none), so an unchanged library gives an identical document and ETag.
pub fn atom(config: &Config, resources: &[ResourceJson]) -> anyhow::Result<String> {
    let feed_url = format!("{}{PATH}", config.public_base_url);
    let entries: Vec<Entry> = resources.iter().map(|r| entry(config, r)).collect();
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| time(DateTime::<Utc>::UNIX_EPOCH));
    let feed = Feed {
        id: feed_url.clone(),
        title: Text::plain("Social Mission Resource Library: new resources"),
        subtitle: Some(Text::plain("The resources most recently published in the Social Mission Resource Library")),
        updated,
        // Entries without authors of their own take the feed's (RFC 4287 §4.1.1).
        authors: vec![Person {
            name: "Social Mission Alliance".into(),
            uri: Some(config.website_url.clone()),
            ..Default::default()
        }],
        links: vec![
            link("self", feed_url, CONTENT_TYPE),
            link("alternate", format!("{}/resources", config.website_url), "text/html"),
        ],
        generator: Some(Generator { value: "Social Mission Alliance API".into(), ..Default::default() }),
        lang: Some("en".into()),
        entries,
        ..Default::default()
    };
    let xml = feed.write_to(Vec::new())?;
    Ok(String::from_utf8(xml)?)
}

fn entry(config: &Config, r: &ResourceJson) -> Entry {
    let published = r.published_at.unwrap_or(r.updated_at);
    let mut links = vec![
        link("alternate", format!("{}/resources/{}", config.website_url, r.slug), "text/html"),
        link("alternate", format!("{}/api/v1/resources/{}", config.public_base_url, r.id), "application/json"),
    ];
    if let Some(url) = r.url.clone().or_else(|| r.doi.as_ref().map(|d| format!("https://doi.org/{d}"))) {
        links.push(link("related", url, ""));
    }
    let category = |vocabulary: &str, term: &TermRef| Category {
        term: xml_text(&term.slug),
        scheme: Some(format!("{}/api/v1/taxonomy#{vocabulary}", config.public_base_url)),
        label: Some(xml_text(&term.label)),
    };
    let mut categories = vec![category("types", &r.resource_type)];
    categories.extend(r.domains.iter().map(|t| category("domains", t)));
    categories.extend(r.topics.iter().map(|t| category("topics", t)));
    categories.extend(r.professions.iter().map(|t| category("professions", t)));
    let summary = xml_text(r.summary.trim());
    Entry {
        id: format!("urn:uuid:{}", r.id),
        title: Text::plain(xml_text(&r.title)),
        updated: time(r.updated_at.max(published)),
        published: Some(time(published)),
        authors: r
            .authors
            .iter()
            .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|a| !a.is_empty())
            .map(|name| Person { name: xml_text(&name), ..Default::default() })
            .collect(),
        categories,
        links,
        summary: (!summary.is_empty()).then(|| Text::plain(summary)),
        ..Default::default()
    }
}
