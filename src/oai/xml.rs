//! The OAI-PMH response document: what a response holds, and writing it as XML that validates
//! against `OAI-PMH.xsd` and `oai_dc.xsd`. Written with `quick-xml`'s writer, which escapes
//! every text and attribute value, so no response is assembled from strings.

use std::io;

use actix_web::body::BoxBody;
use actix_web::{HttpRequest, HttpResponse, Responder};
use chrono::{DateTime, Utc};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

pub const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
const OAI_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";
pub const OAI_DC_NS: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
pub const OAI_DC_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The protocol's error codes (section 3.6 of the specification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
    NoSetHierarchy,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadArgument => "badArgument",
            ErrorCode::BadResumptionToken => "badResumptionToken",
            ErrorCode::BadVerb => "badVerb",
            ErrorCode::CannotDisseminateFormat => "cannotDisseminateFormat",
            ErrorCode::IdDoesNotExist => "idDoesNotExist",
            ErrorCode::NoRecordsMatch => "noRecordsMatch",
            ErrorCode::NoSetHierarchy => "noSetHierarchy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    pub code: ErrorCode,
    pub message: String,
}

impl OaiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

pub struct Identify {
    pub repository_name: &'static str,
    pub base_url: String,
    pub admin_email: String,
    pub earliest_datestamp: DateTime<Utc>,
}

pub struct Set {
    pub spec: String,
    pub name: String,
    pub description: Option<String>,
}

pub struct Header {
    pub identifier: String,
    pub datestamp: DateTime<Utc>,
    pub deleted: bool,
    pub sets: Vec<String>,
}

/// A header and, unless the record is deleted, its Dublin Core: `(element, value)` in order,
/// the element without its `dc:` prefix.
pub struct Record {
    pub header: Header,
    pub dc: Option<Vec<(&'static str, String)>>,
}

/// The `resumptionToken` element: an empty `value` marks the last page of a list.
pub struct Resumption {
    pub value: String,
    pub expires: Option<DateTime<Utc>>,
    pub complete_list_size: u64,
    pub cursor: u64,
}

pub enum Body {
    Errors(Vec<OaiError>),
    Identify(Identify),
    ListMetadataFormats,
    ListSets(Vec<Set>),
    ListIdentifiers(Vec<Header>, Option<Resumption>),
    ListRecords(Vec<Record>, Option<Resumption>),
    GetRecord(Record),
}

pub struct Response {
    /// The `request` element's attributes: the request's arguments, or none after a
    /// `badVerb` or `badArgument` (as the specification requires).
    pub echo: Vec<(String, String)>,
    pub body: Body,
}

/// An OAI-PMH document as `text/xml; charset=utf-8`.
pub struct Xml(pub Vec<u8>);

impl Responder for Xml {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok().content_type("text/xml; charset=utf-8").body(self.0)
    }
}

/// UTC to the second, as datestamps and `responseDate` are written.
pub fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Drops what XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF).
fn xml_chars(s: &str) -> std::borrow::Cow<'_, str> {
    let legal = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if s.chars().all(legal) {
        s.into()
    } else {
        s.chars().filter(|c| legal(*c)).collect::<String>().into()
    }
}

type W = Writer<Vec<u8>>;

fn text(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name).write_text_content(BytesText::new(&xml_chars(value)))?;
    Ok(())
}

pub fn render(response: &Response, base_url: &str, now: DateTime<Utc>) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    write(&mut w, response, base_url, now).expect("writing to memory cannot fail");
    w.into_inner()
}

fn write(w: &mut W, response: &Response, base_url: &str, now: DateTime<Utc>) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("OAI-PMH")
        .with_attribute(("xmlns", OAI_NS))
        .with_attribute(("xmlns:xsi", XSI_NS))
        .with_attribute(("xsi:schemaLocation", format!("{OAI_NS} {OAI_SCHEMA}").as_str()))
        .write_inner_content(|w| {
            text(w, "responseDate", &utc(now))?;
            let echo: Vec<(String, String)> =
                response.echo.iter().map(|(k, v)| (k.clone(), xml_chars(v).into_owned())).collect();
            w.create_element("request")
                .with_attributes(echo.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .write_text_content(BytesText::new(base_url))?;
            body(w, &response.body)
        })?;
    Ok(())
}

fn body(w: &mut W, body: &Body) -> io::Result<()> {
    match body {
        Body::Errors(errors) => {
            for e in errors {
                w.create_element("error")
                    .with_attribute(("code", e.code.as_str()))
                    .write_text_content(BytesText::new(&xml_chars(&e.message)))?;
            }
        }
        Body::Identify(i) => {
            w.create_element("Identify").write_inner_content(|w| {
                text(w, "repositoryName", i.repository_name)?;
                text(w, "baseURL", &i.base_url)?;
                text(w, "protocolVersion", "2.0")?;
                text(w, "adminEmail", &i.admin_email)?;
                text(w, "earliestDatestamp", &utc(i.earliest_datestamp))?;
                text(w, "deletedRecord", "persistent")?;
                text(w, "granularity", "YYYY-MM-DDThh:mm:ssZ")?;
                // Answers are gzipped for clients that ask (`Accept-Encoding`).
                text(w, "compression", "gzip")
            })?;
        }
        Body::ListMetadataFormats => {
            w.create_element("ListMetadataFormats").write_inner_content(|w| {
                w.create_element("metadataFormat").write_inner_content(|w| {
                    text(w, "metadataPrefix", "oai_dc")?;
                    text(w, "schema", OAI_DC_SCHEMA)?;
                    text(w, "metadataNamespace", OAI_DC_NS)
                })?;
                Ok(())
            })?;
        }
        Body::ListSets(sets) => {
            w.create_element("ListSets").write_inner_content(|w| {
                for set in sets {
                    w.create_element("set").write_inner_content(|w| {
                        text(w, "setSpec", &set.spec)?;
                        text(w, "setName", &set.name)?;
                        if let Some(description) = &set.description {
                            w.create_element("setDescription")
                                .write_inner_content(|w| dublin_core(w, &[("description", description.clone())]))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        }
        Body::ListIdentifiers(headers, resumption) => {
            w.create_element("ListIdentifiers").write_inner_content(|w| {
                for h in headers {
                    header(w, h)?;
                }
                resumption_token(w, resumption.as_ref())
            })?;
        }
        Body::ListRecords(records, resumption) => {
            w.create_element("ListRecords").write_inner_content(|w| {
                for r in records {
                    record(w, r)?;
                }
                resumption_token(w, resumption.as_ref())
            })?;
        }
        Body::GetRecord(r) => {
            w.create_element("GetRecord").write_inner_content(|w| record(w, r))?;
        }
    }
    Ok(())
}

fn header(w: &mut W, h: &Header) -> io::Result<()> {
    let mut element = w.create_element("header");
    if h.deleted {
        element = element.with_attribute(("status", "deleted"));
    }
    element.write_inner_content(|w| {
        text(w, "identifier", &h.identifier)?;
        text(w, "datestamp", &utc(h.datestamp))?;
        for spec in &h.sets {
            text(w, "setSpec", spec)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn record(w: &mut W, r: &Record) -> io::Result<()> {
    w.create_element("record").write_inner_content(|w| {
        header(w, &r.header)?;
        if let Some(dc) = &r.dc {
            w.create_element("metadata").write_inner_content(|w| dublin_core(w, dc))?;
        }
        Ok(())
    })?;
    Ok(())
}

fn dublin_core(w: &mut W, fields: &[(&'static str, String)]) -> io::Result<()> {
    w.create_element("oai_dc:dc")
        .with_attribute(("xmlns:oai_dc", OAI_DC_NS))
        .with_attribute(("xmlns:dc", DC_NS))
        .with_attribute(("xmlns:xsi", XSI_NS))
        .with_attribute(("xsi:schemaLocation", format!("{OAI_DC_NS} {OAI_DC_SCHEMA}").as_str()))
        .write_inner_content(|w| {
            for (element, value) in fields {
                text(w, &format!("dc:{element}"), value)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn resumption_token(w: &mut W, token: Option<&Resumption>) -> io::Result<()> {
    let Some(t) = token else { return Ok(()) };
    let expires = t.expires.map(utc);
    let size = t.complete_list_size.to_string();
    let cursor = t.cursor.to_string();
    let mut element = w.create_element("resumptionToken");
    if let Some(expires) = &expires {
        element = element.with_attribute(("expirationDate", expires.as_str()));
    }
    let element =
        element.with_attribute(("completeListSize", size.as_str())).with_attribute(("cursor", cursor.as_str()));
    if t.value.is_empty() {
        element.write_empty()?;
    } else {
        element.write_text_content(BytesText::new(&t.value))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_stripped_of_what_xml_cannot_hold() {
        let response = Response {
            echo: vec![("verb".into(), "GetRecord".into()), ("identifier".into(), "a\"b<c\u{1}".into())],
            body: Body::Errors(vec![OaiError::new(ErrorCode::IdDoesNotExist, "x < y & \u{0}z")]),
        };
        let out = String::from_utf8(render(&response, "http://h/oai", DateTime::UNIX_EPOCH)).unwrap();
        assert!(out.contains(r#"identifier="a&quot;b&lt;c""#), "{out}");
        assert!(out.contains("x &lt; y &amp; z</error>"), "{out}");
        assert!(out.contains("<responseDate>1970-01-01T00:00:00Z</responseDate>"), "{out}");
    }
}
