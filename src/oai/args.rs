//! The arguments of an OAI-PMH request (a query string or a form body), checked as the protocol
//! says: which arguments each verb takes, which it requires, and their syntax. Everything wrong
//! here is a `badVerb` or a `badArgument`; what needs the database is decided in `service`.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::xml::{ErrorCode, OaiError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Identify,
    ListMetadataFormats,
    ListSets,
    ListIdentifiers,
    ListRecords,
    GetRecord,
}

impl Verb {
    const ALL: [Verb; 6] = [
        Verb::Identify,
        Verb::ListMetadataFormats,
        Verb::ListSets,
        Verb::ListIdentifiers,
        Verb::ListRecords,
        Verb::GetRecord,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Identify => "Identify",
            Verb::ListMetadataFormats => "ListMetadataFormats",
            Verb::ListSets => "ListSets",
            Verb::ListIdentifiers => "ListIdentifiers",
            Verb::ListRecords => "ListRecords",
            Verb::GetRecord => "GetRecord",
        }
    }

    /// The arguments the verb accepts besides `verb`.
    fn arguments(self) -> &'static [&'static str] {
        match self {
            Verb::Identify => &[],
            Verb::ListMetadataFormats => &["identifier"],
            Verb::ListSets => &["resumptionToken"],
            Verb::ListIdentifiers | Verb::ListRecords => &["metadataPrefix", "from", "until", "set", "resumptionToken"],
            Verb::GetRecord => &["identifier", "metadataPrefix"],
        }
    }
}

/// `from` or `until`, in either granularity the repository supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datestamp {
    /// The first second the value names (midnight for a day).
    pub start: DateTime<Utc>,
    pub day: bool,
}

impl Datestamp {
    pub fn parse(value: &str) -> Option<Self> {
        let b = value.as_bytes();
        let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
        let date_shape = |b: &[u8]| b.len() >= 10 && b[4] == b'-' && b[7] == b'-';
        // Year 0000 is no year in XML Schema, and so could not be echoed in the `request` element.
        if b.len() < 10 || !date_shape(b) || !digits(0..4) || !digits(5..7) || !digits(8..10) || &b[0..4] == b"0000" {
            return None;
        }
        match b.len() {
            10 => NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .map(|d| Self { start: d.and_time(chrono::NaiveTime::MIN).and_utc(), day: true }),
            20 if b[10] == b'T'
                && b[13] == b':'
                && b[16] == b':'
                && b[19] == b'Z'
                && digits(11..13)
                && digits(14..16)
                && digits(17..19) =>
            {
                NaiveDateTime::parse_from_str(&value[..19], "%Y-%m-%dT%H:%M:%S")
                    .ok()
                    .map(|t| Self { start: t.and_utc(), day: false })
            }
            _ => None,
        }
    }

    /// The first second after the value (for an inclusive `until`).
    pub fn end(&self) -> DateTime<Utc> {
        self.start + if self.day { Duration::days(1) } else { Duration::seconds(1) }
    }
}

/// What `ListIdentifiers` and `ListRecords` select when they start a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub metadata_prefix: String,
    pub from: Option<String>,
    pub until: Option<String>,
    pub set: Option<String>,
}

impl Selection {
    /// The bounds as instants: `from` inclusive, `until` exclusive (the end of its second or day).
    pub fn bounds(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let from = self.from.as_deref().and_then(Datestamp::parse).map(|d| d.start);
        let until = self.until.as_deref().and_then(Datestamp::parse).map(|d| d.end());
        (from, until)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListStart {
    Fresh(Selection),
    Resume(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Identify,
    ListMetadataFormats { identifier: Option<String> },
    ListSets { resumption_token: Option<String> },
    List { records: bool, start: ListStart },
    GetRecord { identifier: String, metadata_prefix: String },
}

/// A checked request and the arguments it was made with, for the response's `request` element.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub request: Request,
    /// `(name, value)` in the order the arguments came, `verb` first.
    pub echo: Vec<(String, String)>,
}

/// The `name=value` pairs of a query string or form body, percent-decoded.
pub fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(encoded).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// `[A-Za-z0-9\-_\.!~\*'\(\)]`: what a `metadataPrefix` and each part of a `setSpec` consist of.
fn spec_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c)
}

pub fn valid_metadata_prefix(value: &str) -> bool {
    !value.is_empty() && value.chars().all(spec_char)
}

pub fn valid_set_spec(value: &str) -> bool {
    value.split(':').all(valid_metadata_prefix)
}

/// An identifier must be a URI: no spaces, controls or characters URIs never hold.
fn valid_identifier(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c))
}

fn bad_argument(message: impl Into<String>) -> OaiError {
    OaiError::new(ErrorCode::BadArgument, message)
}

/// Checks the arguments. `Err` holds the `badVerb` or every `badArgument` found.
pub fn parse(pairs: &[(String, String)]) -> Result<Parsed, Vec<OaiError>> {
    let verbs: Vec<&str> = pairs.iter().filter(|(k, _)| k == "verb").map(|(_, v)| v.as_str()).collect();
    let verb = match verbs.as_slice() {
        [] => return Err(vec![OaiError::new(ErrorCode::BadVerb, "the verb argument is missing")]),
        [one] => match Verb::ALL.into_iter().find(|v| v.as_str() == *one) {
            Some(verb) => verb,
            None => {
                return Err(vec![OaiError::new(
                    ErrorCode::BadVerb,
                    "the value of the verb argument is not a legal OAI-PMH verb",
                )])
            }
        },
        _ => return Err(vec![OaiError::new(ErrorCode::BadVerb, "the verb argument is repeated")]),
    };

    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in pairs.iter().filter(|(k, _)| k != "verb") {
        if !verb.arguments().contains(&name.as_str()) {
            errors.push(bad_argument(format!("{} does not take the argument `{}`", verb.as_str(), printable(name))));
        } else if seen.contains(&name.as_str()) {
            errors.push(bad_argument(format!("the argument {name} is repeated")));
        } else {
            seen.push(name);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());

    let prefix = |errors: &mut Vec<OaiError>| match get("metadataPrefix") {
        None => {
            errors.push(bad_argument("the required argument metadataPrefix is missing"));
            None
        }
        Some(p) if !valid_metadata_prefix(&p) => {
            errors.push(bad_argument("metadataPrefix has an illegal syntax"));
            None
        }
        Some(p) => Some(p),
    };
    let identifier = |errors: &mut Vec<OaiError>| match get("identifier") {
        Some(id) if !valid_identifier(&id) => {
            errors.push(bad_argument("identifier has an illegal syntax (it must be a URI)"));
            None
        }
        other => other,
    };

    let request = match verb {
        Verb::Identify => Request::Identify,
        Verb::ListMetadataFormats => Request::ListMetadataFormats { identifier: identifier(&mut errors) },
        Verb::ListSets => Request::ListSets { resumption_token: get("resumptionToken") },
        Verb::GetRecord => {
            let id = identifier(&mut errors);
            if get("identifier").is_none() {
                errors.push(bad_argument("the required argument identifier is missing"));
            }
            let metadata_prefix = prefix(&mut errors);
            match (id, metadata_prefix) {
                (Some(identifier), Some(metadata_prefix)) => Request::GetRecord { identifier, metadata_prefix },
                _ => return Err(errors),
            }
        }
        Verb::ListIdentifiers | Verb::ListRecords => {
            let records = verb == Verb::ListRecords;
            if let Some(token) = get("resumptionToken") {
                if seen.len() > 1 {
                    return Err(vec![bad_argument(
                        "resumptionToken is an exclusive argument: send it alone with the verb",
                    )]);
                }
                Request::List { records, start: ListStart::Resume(token) }
            } else {
                let metadata_prefix = prefix(&mut errors);
                let mut datestamp = |name: &str| match get(name) {
                    None => None,
                    Some(v) => match Datestamp::parse(&v) {
                        Some(d) => Some((v, d)),
                        None => {
                            errors.push(bad_argument(format!(
                                "{name} must be a UTC date (YYYY-MM-DD) or time (YYYY-MM-DDThh:mm:ssZ)"
                            )));
                            None
                        }
                    },
                };
                let from = datestamp("from");
                let until = datestamp("until");
                if let (Some((_, f)), Some((_, u))) = (&from, &until) {
                    if f.day != u.day {
                        errors.push(bad_argument("from and until must have the same granularity"));
                    } else if f.start > u.start {
                        errors.push(bad_argument("from is later than until"));
                    }
                }
                let set = get("set");
                if set.as_deref().is_some_and(|s| !valid_set_spec(s)) {
                    errors.push(bad_argument("set has an illegal syntax"));
                }
                match metadata_prefix {
                    Some(metadata_prefix) if errors.is_empty() => Request::List {
                        records,
                        start: ListStart::Fresh(Selection {
                            metadata_prefix,
                            from: from.map(|(v, _)| v),
                            until: until.map(|(v, _)| v),
                            set,
                        }),
                    },
                    _ => return Err(errors),
                }
            }
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut echo = vec![("verb".to_string(), verb.as_str().to_string())];
    echo.extend(pairs.iter().filter(|(k, _)| k != "verb").cloned());
    Ok(Parsed { request, echo })
}

/// An argument name as it may be quoted back in an error message.
fn printable(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(query: &str) -> Result<Parsed, Vec<OaiError>> {
        parse(&pairs(query.as_bytes()))
    }

    fn codes(query: &str) -> Vec<ErrorCode> {
        args(query).unwrap_err().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn verbs_must_be_present_legal_and_single() {
        assert_eq!(codes(""), [ErrorCode::BadVerb]);
        assert_eq!(codes("verb=Frobnicate"), [ErrorCode::BadVerb]);
        assert_eq!(codes("verb=identify"), [ErrorCode::BadVerb], "verbs are case-sensitive");
        assert_eq!(codes("verb=Identify&verb=Identify"), [ErrorCode::BadVerb]);
        assert_eq!(args("verb=Identify").unwrap().request, Request::Identify);
    }

    #[test]
    fn arguments_are_checked_per_verb() {
        assert_eq!(codes("verb=Identify&metadataPrefix=oai_dc"), [ErrorCode::BadArgument]);
        assert_eq!(codes("verb=ListRecords"), [ErrorCode::BadArgument]);
        assert_eq!(codes("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc"), [ErrorCode::BadArgument]);
        assert_eq!(codes("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x"), [ErrorCode::BadArgument]);
        assert_eq!(codes("verb=GetRecord&metadataPrefix=oai_dc"), [ErrorCode::BadArgument]);
        assert_eq!(codes("verb=GetRecord&identifier=a%20b&metadataPrefix=oai_dc"), [ErrorCode::BadArgument]);
        assert_eq!(codes("verb=ListRecords&metadataPrefix=a%20b"), [ErrorCode::BadArgument]);
        assert_eq!(codes("verb=ListRecords&metadataPrefix=oai_dc&set=domain::x"), [ErrorCode::BadArgument]);
        assert!(matches!(
            args("verb=ListIdentifiers&resumptionToken=abc").unwrap().request,
            Request::List { records: false, start: ListStart::Resume(t) } if t == "abc"
        ));
    }

    #[test]
    fn dates_take_both_granularities_but_not_mixed_or_reversed() {
        assert!(args("verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-01").is_ok());
        assert!(args("verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01T00:00:00Z").is_ok());
        for bad in [
            "from=2026-01-01&until=2026-01-02T00:00:00Z",
            "from=2026-01-02&until=2026-01-01",
            "from=2026-1-1",
            "from=2026-01-01T00:00:00",
            "from=2026-01-01T00:00:00.5Z",
            "from=2026-01-01T00:00:00%2B01:00",
            "until=2026-02-30",
            "until=0000-01-01",
        ] {
            assert_eq!(
                codes(&format!("verb=ListRecords&metadataPrefix=oai_dc&{bad}")),
                [ErrorCode::BadArgument],
                "{bad}"
            );
        }
        let day = Datestamp::parse("2026-01-01").unwrap();
        assert_eq!(day.end().to_rfc3339(), "2026-01-02T00:00:00+00:00");
        let second = Datestamp::parse("2026-01-01T10:00:00Z").unwrap();
        assert_eq!(second.end().to_rfc3339(), "2026-01-01T10:00:01+00:00");
    }
}
