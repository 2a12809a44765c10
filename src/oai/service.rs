//! The six verbs: a checked request in (`args`), a response document out (`xml`). Protocol
//! errors are answered in the document (HTTP 200), as OAI-PMH requires; only a failing database
//! is an HTTP error.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::args::{self, ListStart, Request};
use super::model::{Change, Scope};
use super::queries;
use super::token::{Signer, TokenError, TokenState};
use super::xml::{self, Body, ErrorCode, Header, Identify, OaiError, Record, Response, Resumption, Set, Xml};
use crate::error::ApiResult;
use crate::resources::json::ResourceJson;
use crate::resources::model::{IndexedTerm, ResourceCard, ResourceStatus};
use crate::state::AppState;
use crate::taxonomy::json::Vocabulary;
use crate::taxonomy::model::Term;

pub const REPOSITORY_NAME: &str = "Social Mission Resource Library";
pub const METADATA_PREFIX: &str = "oai_dc";

/// The vocabularies that are sets, with the first part of their `setSpec`s.
const SET_VOCABULARIES: [(Vocabulary, &str); 3] =
    [(Vocabulary::Types, "type"), (Vocabulary::Domains, "domain"), (Vocabulary::Topics, "topic")];

type Answer = Result<Body, Vec<OaiError>>;

fn fail(code: ErrorCode, message: impl Into<String>) -> Answer {
    Err(vec![OaiError::new(code, message)])
}

/// What every verb needs to know about the repository and the moment.
struct Repository<'a> {
    state: &'a AppState,
    /// The host of `PUBLIC_BASE_URL`: identifiers are `oai:<host>:<uuid>`.
    host: String,
    now: DateTime<Utc>,
}

/// Answers a request given as its `name=value` pairs.
pub async fn answer(state: &AppState, pairs: Vec<(String, String)>) -> ApiResult<Xml> {
    let now = Utc::now();
    let base_url = format!("{}/oai", state.config.public_base_url);
    let host = url::Url::parse(&state.config.public_base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    let repository = Repository { state, host, now };
    let response = match args::parse(&pairs) {
        Err(errors) => Response { echo: Vec::new(), body: Body::Errors(errors) },
        Ok(parsed) => {
            let body = repository.respond(parsed.request, &base_url).await?.unwrap_or_else(Body::Errors);
            Response { echo: parsed.echo, body }
        }
    };
    Ok(Xml(xml::render(&response, &base_url, now)))
}

impl Repository<'_> {
    async fn respond(&self, request: Request, base_url: &str) -> ApiResult<Answer> {
        let mut conn = self.state.reads.bulk().await?;
        let conn = &mut *conn;
        match request {
            Request::Identify => {
                let earliest = queries::earliest_datestamp(conn).await?;
                Ok(Ok(Body::Identify(Identify {
                    repository_name: REPOSITORY_NAME,
                    base_url: base_url.to_string(),
                    admin_email: self.state.config.oai_admin_email.clone(),
                    // An empty library: whatever comes will be later than now.
                    earliest_datestamp: earliest.unwrap_or(self.now),
                })))
            }
            Request::ListMetadataFormats { identifier } => {
                if let Some(identifier) = identifier {
                    if self.item(conn, &identifier).await?.is_none() {
                        return Ok(fail(ErrorCode::IdDoesNotExist, "no item has this identifier"));
                    }
                }
                Ok(Ok(Body::ListMetadataFormats))
            }
            Request::ListSets { resumption_token: Some(_) } => {
                Ok(fail(ErrorCode::BadResumptionToken, "this repository issues no resumption tokens for ListSets"))
            }
            Request::ListSets { resumption_token: None } => {
                let sets = sets(&crate::taxonomy::queries::list(conn, None, true).await?);
                if sets.is_empty() {
                    return Ok(fail(ErrorCode::NoSetHierarchy, "the library has no sets yet"));
                }
                Ok(Ok(Body::ListSets(sets)))
            }
            Request::GetRecord { identifier, metadata_prefix } => {
                conn.build_transaction()
                    .read_only()
                    .repeatable_read()
                    .run(async |conn| {
                        crate::db::lift_statement_timeout(conn).await?;
                        self.get_record(conn, &identifier, &metadata_prefix).await
                    })
                    .await
            }
            Request::List { records, start } => {
                conn.build_transaction()
                    .read_only()
                    .repeatable_read()
                    .run(async |conn| {
                        // A page counts the whole set on its first request: no statement timeout.
                        crate::db::lift_statement_timeout(conn).await?;
                        self.list(conn, records, &start).await
                    })
                    .await
            }
        }
    }

    /// The resource an identifier names, with its latest change; `None` for an identifier of
    /// another repository or of a resource that was never published.
    async fn item(&self, conn: &mut AsyncPgConnection, identifier: &str) -> ApiResult<Option<Change>> {
        let Some(id) = parse_identifier(identifier, &self.host) else { return Ok(None) };
        Ok(queries::latest_change(conn, id).await?)
    }

    async fn get_record(&self, conn: &mut AsyncPgConnection, identifier: &str, prefix: &str) -> ApiResult<Answer> {
        let mut errors = Vec::new();
        if prefix != METADATA_PREFIX {
            errors.push(cannot_disseminate(prefix));
        }
        let change = self.item(conn, identifier).await?;
        if change.is_none() {
            errors.push(OaiError::new(ErrorCode::IdDoesNotExist, "no item has this identifier"));
        }
        let Some(change) = change.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
        let terms = crate::taxonomy::queries::list(conn, None, true).await?;
        let mut records = self.records(conn, &terms, vec![change]).await?;
        Ok(Ok(Body::GetRecord(records.remove(0))))
    }

    async fn list(&self, conn: &mut AsyncPgConnection, records: bool, start: &ListStart) -> ApiResult<Answer> {
        let (selection, after, cursor, known_size) = match start {
            ListStart::Fresh(selection) => (selection.clone(), 0, 0, None),
            ListStart::Resume(token) => match Signer::new(&self.state.config.jwt_secret).decode(token, self.now) {
                Ok(t) if t.records == records => (t.selection(), t.after, t.cursor, Some(t.complete_list_size)),
                Ok(_) => {
                    return Ok(fail(
                        ErrorCode::BadResumptionToken,
                        "the resumptionToken continues a list of the other verb",
                    ))
                }
                Err(TokenError::Expired) => {
                    return Ok(fail(ErrorCode::BadResumptionToken, "the resumptionToken has expired"))
                }
                Err(TokenError::Garbled) => {
                    return Ok(fail(
                        ErrorCode::BadResumptionToken,
                        "the resumptionToken is not one this repository issued",
                    ))
                }
            },
        };
        if selection.metadata_prefix != METADATA_PREFIX {
            return Ok(Err(vec![cannot_disseminate(&selection.metadata_prefix)]));
        }
        let terms = crate::taxonomy::queries::list(conn, None, true).await?;
        let (from, until) = selection.bounds();
        let mut scope = Scope { from, until, ..Scope::default() };
        if let Some(spec) = &selection.set {
            if sets(&terms).is_empty() {
                return Ok(fail(ErrorCode::NoSetHierarchy, "the library has no sets yet"));
            }
            match resolve_set(&terms, spec) {
                Some((types, values)) => (scope.types, scope.terms) = (types, values),
                None => return Ok(fail(ErrorCode::NoRecordsMatch, "there is no such set")),
            }
        }
        let page_size = self.state.config.oai_page_size;
        let mut changes = queries::page(conn, &scope, after, page_size as i64 + 1).await?;
        if changes.is_empty() {
            return Ok(fail(ErrorCode::NoRecordsMatch, "no records match the request"));
        }
        let more = changes.len() > page_size;
        changes.truncate(page_size);
        let last = changes.last().map_or(after, |c| c.seq);
        let returned = cursor + changes.len() as u64;
        let size = match known_size {
            Some(n) => n,
            None => queries::count(conn, &scope).await? as u64,
        }
        // Records that changed during the harvest come again at the end: never report fewer.
        .max(returned);
        let resumption = if more {
            let expires = self.now + self.state.config.oai_token_ttl;
            let state = TokenState {
                records,
                metadata_prefix: selection.metadata_prefix.clone(),
                from: selection.from.clone(),
                until: selection.until.clone(),
                set: selection.set.clone(),
                after: last,
                cursor: returned,
                complete_list_size: size,
                expires: expires.timestamp(),
            };
            let value = Signer::new(&self.state.config.jwt_secret).encode(&state);
            Some(Resumption { value, expires: Some(state.expires_at()), complete_list_size: size, cursor })
        } else {
            // The last page of a list that was resumed ends with an empty token.
            known_size.map(|_| Resumption { value: String::new(), expires: None, complete_list_size: size, cursor })
        };
        let records_or_headers = self.records(conn, &terms, changes).await?;
        Ok(Ok(if records {
            Body::ListRecords(records_or_headers, resumption)
        } else {
            Body::ListIdentifiers(records_or_headers.into_iter().map(|r| r.header).collect(), resumption)
        }))
    }

    /// Changes to records: a published resource with its Dublin Core, anything else a deleted
    /// record (with the sets it is known to belong to, if it still exists).
    async fn records(
        &self,
        conn: &mut AsyncPgConnection,
        terms: &[Term],
        changes: Vec<Change>,
    ) -> ApiResult<Vec<Record>> {
        let ids: Vec<Uuid> = changes.iter().map(|c| c.resource_id).collect();
        let mut cards: HashMap<Uuid, ResourceCard> =
            queries::cards(conn, &ids).await?.into_iter().map(|c| (c.id, c)).collect();
        let terms = card_terms(terms);
        Ok(changes
            .into_iter()
            .map(|change| {
                let card = cards.remove(&change.resource_id);
                let published =
                    change.is_published() && card.as_ref().is_some_and(|c| c.status == ResourceStatus::Published);
                let json = card.map(|c| ResourceJson::from_card(c, &terms));
                let header = Header {
                    identifier: format!("oai:{}:{}", self.host, change.resource_id),
                    datestamp: change.changed_at,
                    deleted: !published,
                    sets: json.as_ref().map(set_specs).unwrap_or_default(),
                };
                let dc = json.filter(|_| published).map(|j| dublin_core(&j, &self.state.config.website_url));
                Record { header, dc }
            })
            .collect())
    }
}

fn cannot_disseminate(prefix: &str) -> OaiError {
    OaiError::new(
        ErrorCode::CannotDisseminateFormat,
        format!("{prefix} is not a metadata format of this repository; it offers {METADATA_PREFIX}"),
    )
}

/// `oai:<host>:<uuid>` → the uuid, when the host is ours.
fn parse_identifier(identifier: &str, host: &str) -> Option<Uuid> {
    let (their_host, id) = identifier.strip_prefix("oai:")?.rsplit_once(':')?;
    if !their_host.eq_ignore_ascii_case(host) {
        return None;
    }
    Uuid::parse_str(id).ok()
}

/// The vocabularies as the resource cards read them.
fn card_terms(terms: &[Term]) -> Vec<IndexedTerm> {
    terms.iter().cloned().map(IndexedTerm::from).collect()
}

/// Every set: each vocabulary that has active values (`type`, `domain`, `topic`), then its values
/// (`type:<slug>`, ...), in display order, with their descriptions.
fn sets(terms: &[Term]) -> Vec<Set> {
    let mut sets = Vec::new();
    for (vocabulary, prefix) in SET_VOCABULARIES {
        let values: Vec<&Term> = terms
            .iter()
            .filter(|t| t.vocabulary == vocabulary && t.retired_at.is_none() && args::valid_set_spec(&t.slug))
            .collect();
        if values.is_empty() {
            continue;
        }
        sets.push(Set { spec: prefix.into(), name: vocabulary.label().into(), description: None });
        for t in values {
            sets.push(Set {
                spec: format!("{prefix}:{}", t.slug),
                name: t.label.clone(),
                description: Some(t.description.trim().to_string()).filter(|d| !d.is_empty()),
            });
        }
    }
    sets
}

/// A `setSpec` to the type ids or the domain/topic ids it selects (`domain` alone: any domain).
/// `None` for a set that does not exist.
#[allow(clippy::type_complexity)]
fn resolve_set(terms: &[Term], spec: &str) -> Option<(Option<Vec<i32>>, Option<Vec<i32>>)> {
    let (prefix, slug) = match spec.split_once(':') {
        Some((prefix, slug)) => (prefix, Some(slug)),
        None => (spec, None),
    };
    let (vocabulary, _) = SET_VOCABULARIES.into_iter().find(|(_, p)| *p == prefix)?;
    let ids: Vec<i32> = terms
        .iter()
        .filter(|t| t.vocabulary == vocabulary && slug.is_none_or(|s| s == t.slug))
        .filter(|t| slug.is_some() || t.retired_at.is_none())
        .map(|t| t.id)
        .collect();
    if ids.is_empty() {
        return None;
    }
    Some(if vocabulary == Vocabulary::Types { (Some(ids), None) } else { (None, Some(ids)) })
}

/// The sets a resource belongs to.
fn set_specs(r: &ResourceJson) -> Vec<String> {
    let typed = (!r.resource_type.slug.is_empty()).then(|| format!("type:{}", r.resource_type.slug));
    typed
        .into_iter()
        .chain(r.domains.iter().map(|d| format!("domain:{}", d.slug)))
        .chain(r.topics.iter().map(|t| format!("topic:{}", t.slug)))
        .filter(|s| args::valid_set_spec(s))
        .collect()
}

/// A published resource in simple Dublin Core.
fn dublin_core(r: &ResourceJson, website_url: &str) -> Vec<(&'static str, String)> {
    let mut dc = vec![("title", r.title.clone())];
    dc.extend(r.authors.iter().map(|a| ("creator", a.clone())));
    dc.extend(r.domains.iter().chain(&r.topics).chain(&r.professions).map(|t| ("subject", t.label.clone())));
    if !r.summary.trim().is_empty() {
        dc.push(("description", r.summary.clone()));
    }
    if let Some(year) = r.year {
        dc.push(("date", year.to_string()));
    }
    if !r.resource_type.label.is_empty() {
        dc.push(("type", r.resource_type.label.clone()));
    }
    dc.extend(r.url.iter().map(|u| ("identifier", u.clone())));
    dc.extend(r.doi.iter().map(|d| ("identifier", format!("https://doi.org/{d}"))));
    dc.push(("identifier", format!("{website_url}/resources/{}", r.slug)));
    // The journal or publisher the resource appeared in.
    dc.extend(r.source.iter().map(|s| ("source", s.clone())));
    dc.push(("language", "en".into()));
    if r.open_access {
        // The OpenAIRE access-rights term, which aggregators read.
        dc.push(("rights", "info:eu-repo/semantics/openAccess".into()));
    }
    dc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oai::args::Selection;

    #[test]
    fn identifiers_name_this_host_and_a_uuid() {
        let id = Uuid::now_v7();
        assert_eq!(parse_identifier(&format!("oai:example.org:{id}"), "example.org"), Some(id));
        assert_eq!(parse_identifier(&format!("oai:other.org:{id}"), "example.org"), None);
        assert_eq!(parse_identifier("oai:example.org:nope", "example.org"), None);
        assert_eq!(parse_identifier(&id.to_string(), "example.org"), None);
    }

    #[test]
    fn selections_reach_the_token_unchanged() {
        let selection = Selection {
            metadata_prefix: "oai_dc".into(),
            from: Some("2026-01-01".into()),
            until: None,
            set: Some("topic:x".into()),
        };
        let state = TokenState {
            records: false,
            metadata_prefix: selection.metadata_prefix.clone(),
            from: selection.from.clone(),
            until: None,
            set: selection.set.clone(),
            after: 1,
            cursor: 1,
            complete_list_size: 2,
            expires: 0,
        };
        assert_eq!(state.selection(), selection);
    }
}
