//! The library's rules. Reading: the public list (the search index first, the SQL when the index
//! cannot answer exactly), the staff list, and the published card of a resource as everyone
//! reads it (the detail path, citations, the feeds), served from the card cache when nothing
//! changed since. Curation: create, edit, delete, publish, unpublish, archive and the spotlight,
//! each in one transaction with its audit entry, after which the index applies the change.
//!
//! What the old `Terms` did is split here: the vocabularies are kept by `cache::Library`, a list
//! query becomes a `Filter` in `filter`, cards become wire types in `json::ResourceJson::from_card`
//! and counts become facets in `json::Facets::from_counts`.

use std::collections::HashMap;

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

pub use super::cache::Library;
use super::json::{
    AdminResourceJson, Facets, Highlights, Include, ResourceInput, ResourceJson, ResourceList, ResourceListMeta,
    ResourceListQuery, ResourceStatus, ServedJson, Snippet, Sort, SuggestQuery, Suggestion, SuggestionKind,
    SuggestionList, TextRange, UpdateResource,
};
use super::model::{IndexedTerm, ResourceCard, ResourceFields, ResourceRow};
use super::queries::{self, Filter, TextSearch};
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::error::{ApiError, ApiResult, FieldCode, FieldError, ProblemType};
use crate::extract::conditional::Rendered;
use crate::extract::pagination::PageMeta;
use crate::extract::PageRequest;
use crate::index::kept::Depends;
use crate::index::suggest::{Span, Typed};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::taxonomy::json::Vocabulary;
use crate::values::slug::{candidates, is_valid as valid_slug};
use crate::values::Slug;

/// Words the public paths use after `/resources/`: never a slug.
const RESERVED_SLUGS: [&str; 7] = ["spotlight", "changes", "export", "feed", "facets", "search", "suggest"];

/// A page of the SQL list: each resource as the public sees it, with its row.
pub struct Listed {
    pub rows: Vec<(ResourceJson, ResourceRow)>,
    pub meta: ResourceListMeta,
}

pub fn check_years(query: &ResourceListQuery) -> ApiResult<()> {
    match (query.year_from, query.year_to) {
        (Some(from), Some(to)) if from > to => {
            Err(ApiError::invalid("year_to", FieldCode::OutOfRange, "must not be before year_from"))
        }
        _ => Ok(()),
    }
}

/// The sort a query asked for, or its default.
pub fn sort_of(query: &ResourceListQuery) -> Sort {
    query.sort.unwrap_or(if query.q.as_deref().is_some_and(|q| !q.trim().is_empty()) {
        Sort::Relevance
    } else {
        Sort::Newest
    })
}

pub fn wants_facets(query: &ResourceListQuery) -> bool {
    query.include == Some(Include::Facets)
}

/// Ids of the slugs in one vocabulary; unknown slugs resolve to nothing (and so match nothing).
fn ids(terms: &[IndexedTerm], vocabulary: Vocabulary, slugs: &[String]) -> Vec<i32> {
    terms.iter().filter(|t| t.vocabulary == vocabulary && slugs.contains(&t.term.slug)).map(|t| t.id).collect()
}

/// A list query as a filter: its vocabulary slugs become value ids (`terms`: every value).
pub fn filter(terms: &[IndexedTerm], q: &ResourceListQuery, status: Option<ResourceStatus>) -> Filter {
    let mut by_vocabulary = HashMap::new();
    for (vocabulary, slugs) in [
        (Vocabulary::Types, &q.types),
        (Vocabulary::Domains, &q.domains),
        (Vocabulary::Topics, &q.topics),
        (Vocabulary::Professions, &q.professions),
    ] {
        if !slugs.is_empty() {
            by_vocabulary.insert(vocabulary, ids(terms, vocabulary, slugs));
        }
    }
    Filter {
        status,
        terms: by_vocabulary,
        open_access: q.open_access,
        year_from: q.year_from,
        year_to: q.year_to,
        q: q.q.as_deref().and_then(|s| TextSearch::new(s, q.prefix.unwrap_or(false))),
    }
}

/// Rows to wire types with their vocabulary values: one query for the links of all rows.
pub async fn hydrate(
    conn: &mut AsyncPgConnection,
    terms: &[IndexedTerm],
    rows: Vec<ResourceRow>,
) -> ApiResult<Vec<(ResourceJson, ResourceRow)>> {
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let mut links = queries::links(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let term_ids = links.remove(&row.id).unwrap_or_default();
            (ResourceJson::from_card(ResourceCard::new(row.clone(), term_ids), terms), row)
        })
        .collect())
}

/// Published cards as served, with the vocabularies as the library keeps them (see
/// `Library::vocabularies`), on a connection the caller holds.
pub async fn published_json(
    library: &Library,
    conn: &mut AsyncPgConnection,
    cards: Vec<ResourceCard>,
) -> ApiResult<Vec<ResourceJson>> {
    let vocabularies = library.vocabularies(conn).await?;
    Ok(cards.into_iter().map(|card| ResourceJson::from_card(card, &vocabularies.terms)).collect())
}

/// The public list: from the search index when it can answer, else from the SQL.
pub async fn list_published(
    state: &AppState,
    library: &Library,
    query: &ResourceListQuery,
) -> ApiResult<ResourceList<ServedJson>> {
    let answered = from_index(state, library, query).await?;
    state.metrics.list_answered(answered.is_some());
    Ok(match answered {
        Some(list) => list,
        None => {
            let list = list(state, query, Some(ResourceStatus::Published)).await?;
            let q = query.q.as_deref().and_then(|q| TextSearch::new(q, query.prefix.unwrap_or(false)));
            let mut marks = match q.filter(|_| query.highlight == Some(true)) {
                Some(q) => {
                    let ids: Vec<Uuid> = list.rows.iter().map(|(json, _)| json.id).collect();
                    highlights(state, &ids, &q, &[]).await?
                }
                None => HashMap::new(),
            };
            let data = list
                .rows
                .into_iter()
                .map(|(mut json, _)| {
                    json.highlights = marks.remove(&json.id);
                    Rendered::json(&json).map(ServedJson)
                })
                .collect::<Result<_, _>>()?;
            ResourceList { data, meta: list.meta }
        }
    })
}

/// The list from the search index and one query for the page's served cards; `None` when the
/// index is not ready or cannot evaluate the query exactly (then the SQL answers).
async fn from_index(
    state: &AppState,
    library: &Library,
    query: &ResourceListQuery,
) -> ApiResult<Option<ResourceList<ServedJson>>> {
    check_years(query)?;
    let Some((generation, vocabularies)) = library.current().await? else { return Ok(None) };
    let filter = filter(&vocabularies.terms, query, Some(ResourceStatus::Published));
    let page = PageRequest::new(query.page, query.per_page);
    let typo = query.typo.unwrap_or(false);
    let answered = library.search(&vocabularies, &filter, sort_of(query), page, wants_facets(query), typo).await?;
    let Some(answer) = answered else { return Ok(None) };
    // Resources served since the last change come from memory; the others in one query.
    let mut found: Vec<Option<Rendered>> = answer.ids.iter().map(|id| library.cached(*id, generation)).collect();
    let missing: Vec<_> = answer.ids.iter().zip(&found).filter(|(_, f)| f.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let mut conn = state.reads.current().await?;
        for card in queries::served_cards(&mut conn, &missing).await? {
            let id = card.resource_id;
            let rendered = Rendered::stored(card.body, &card.etag);
            library.remember(generation, None, id, rendered.clone());
            if let Some(i) = answer.ids.iter().position(|wanted| *wanted == id) {
                found[i] = Some(rendered);
            }
        }
    }
    // In the index's order; a resource unpublished since the index answered is left out.
    let cards: Vec<(Uuid, ServedJson)> =
        answer.ids.iter().zip(found).filter_map(|(id, card)| card.map(|c| (*id, ServedJson(c)))).collect();
    let data = match filter.q.as_ref().filter(|_| query.highlight == Some(true)) {
        Some(q) => {
            let ids: Vec<Uuid> = cards.iter().map(|(id, _)| *id).collect();
            let marks = highlights(state, &ids, q, &answer.corrections).await?;
            cards
                .into_iter()
                .map(|(id, card)| match marks.get(&id) {
                    Some(h) => card.with_highlights(h).map_err(|e| ApiError::Internal(e.into())),
                    None => Ok(card),
                })
                .collect::<ApiResult<_>>()?
        }
        None => cards.into_iter().map(|(_, card)| card).collect(),
    };
    let facets = answer.facets.map(|counts| Facets::from_counts(&vocabularies.terms, &counts));
    let meta =
        ResourceListMeta { page: PageMeta::new(answer.total, page), facets, corrected_query: answer.corrected_query };
    Ok(Some(ResourceList { data, meta }))
}

/// Where `q` (and the words its typos were corrected to) matched in each of `ids`, read with
/// `ts_headline` in one round trip, so a match is exactly a word Postgres's parser found.
async fn highlights(
    state: &AppState,
    ids: &[Uuid],
    q: &TextSearch,
    corrections: &[String],
) -> ApiResult<HashMap<Uuid, Highlights>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = queries::highlights(&mut *state.reads.current().await?, ids, q, corrections).await?;
    Ok(rows
        .into_iter()
        .filter(|row| !row.marked_already)
        .map(|row| {
            let (text, matches) = marked(&row.snippet);
            let highlights = Highlights {
                title: marked(&row.title).1,
                summary: marked(&row.summary).1,
                snippet: Snippet { text, matches },
            };
            (row.id, highlights)
        })
        .collect())
}

/// `ts_headline`'s marked text: the text without its marks, and the marked ranges in Unicode
/// scalar values.
fn marked(text: &str) -> (String, Vec<TextRange>) {
    let mut out = String::with_capacity(text.len());
    let mut ranges = Vec::new();
    let (mut at, mut start) = (0u32, None);
    for c in text.chars() {
        match c {
            queries::HIGHLIGHT_START => start = Some(at),
            queries::HIGHLIGHT_END => {
                if let Some(start) = start.take() {
                    ranges.push(TextRange { start, end: at });
                }
            }
            c => {
                out.push(c);
                at += 1;
            }
        }
    }
    (out, ranges)
}

/// The list in SQL, behind both the public (when the index cannot answer) and the staff list.
pub async fn list(state: &AppState, query: &ResourceListQuery, status: Option<ResourceStatus>) -> ApiResult<Listed> {
    check_years(query)?;
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.reads.current().await?;
    let terms = queries::term_index(&mut conn).await?;
    let filter = filter(&terms, query, status);
    let (rows, total) = queries::list(&mut conn, &filter, sort_of(query), page).await?;
    let facets = if wants_facets(query) {
        Some(Facets::from_counts(&terms, &queries::facet_counts(&mut conn, &filter).await?))
    } else {
        None
    };
    let rows = hydrate(&mut conn, &terms, rows).await?;
    Ok(Listed { rows, meta: ResourceListMeta { page: PageMeta::new(total, page), facets, corrected_query: None } })
}

/// The staff list: every status, or the one asked for.
pub async fn list_admin(
    state: &AppState,
    query: &ResourceListQuery,
    status: Option<ResourceStatus>,
) -> ApiResult<ResourceList<AdminResourceJson>> {
    let list = list(state, query, status).await?;
    let data = list.rows.into_iter().map(|(json, row)| AdminResourceJson::new(json, row)).collect();
    Ok(ResourceList { data, meta: list.meta })
}

/// A published resource by id or slug (earlier slugs too) as served: from the card cache when
/// it holds it, else its stored card (`served_cards`); 404 for drafts, archived and unknown
/// resources. What `GET /resources/{key}` serves.
pub async fn published(state: &AppState, library: &Library, key: &str) -> ApiResult<Rendered> {
    let generation = library.generation();
    if let Some(card) = generation.and_then(|g| library.cached_by_key(key, g)) {
        return Ok(card);
    }
    let mut conn = state.reads.current().await?;
    let card = queries::served_card(&mut conn, key).await?.ok_or_else(|| ApiError::not_found("resource"))?;
    let id = card.resource_id;
    let rendered = Rendered::stored(card.body, &card.etag);
    if let Some(g) = generation {
        library.remember(g, Some(key), id, rendered.clone());
    }
    Ok(rendered)
}

/// The same resource as a value (what citations cite), read through the `resource_cards` view.
pub async fn published_resource(state: &AppState, library: &Library, key: &str) -> ApiResult<ResourceJson> {
    let mut conn = state.reads.current().await?;
    let card = queries::published_card(&mut conn, key).await?.ok_or_else(|| ApiError::not_found("resource"))?;
    Ok(ResourceJson::from_card(card, &library.vocabularies(&mut conn).await?.terms))
}

/// Suggestions for what a search box has typed: up to three vocabulary values whose label holds
/// it (those starting with it first, then shorter), then published titles from the index.
pub async fn suggest(state: &AppState, library: &Library, query: &SuggestQuery) -> ApiResult<SuggestionList> {
    let typed = Typed::new(&query.q);
    let limit = query.limit.unwrap_or(8) as usize;
    let unavailable = || ApiError::Unavailable("the search index is loading".into());
    let (_, vocabularies) = library.current().await?.ok_or_else(unavailable)?;
    let ranges = |spans: Vec<Span>| spans.into_iter().map(|s| TextRange { start: s.start, end: s.end }).collect();
    let mut values: Vec<(bool, usize, Suggestion)> = Vec::new();
    if !typed.is_empty() {
        let keys: Vec<&str> = typed.whole.iter().chain(&typed.prefix).map(String::as_str).collect();
        for (term, folded) in vocabularies.terms.iter().zip(vocabularies.folded_labels()) {
            // Most labels hold none of the typed words: skipped before being split into words.
            if term.retired || !keys.iter().all(|k| folded.contains(k)) {
                continue;
            }
            let Some(spans) = typed.matches(&term.term.label) else { continue };
            let kind = match term.vocabulary {
                Vocabulary::Types => SuggestionKind::Type,
                Vocabulary::Domains => SuggestionKind::Domain,
                Vocabulary::Topics => SuggestionKind::Topic,
                Vocabulary::Professions => SuggestionKind::Profession,
            };
            let starts = spans.first().is_some_and(|s| s.start == 0);
            let words = term.term.label.split_whitespace().count();
            let text = term.term.label.clone();
            values.push((
                !starts,
                words,
                Suggestion { kind, text, slug: term.term.slug.clone(), matches: ranges(spans) },
            ));
        }
    }
    values.sort_by_key(|(later, words, _)| (*later, *words));
    let mut data: Vec<Suggestion> = values.into_iter().take(3.min(limit)).map(|(_, _, s)| s).collect();
    let titles = state.index.suggest(&typed, limit - data.len()).ok_or_else(unavailable)?;
    data.extend(titles.into_iter().map(|t| Suggestion {
        kind: SuggestionKind::Resource,
        text: t.title,
        slug: t.slug,
        matches: ranges(t.matches),
    }));
    Ok(SuggestionList { data })
}

/// The featured resource (its served card), kept once per change to the library.
pub async fn spotlight(state: &AppState) -> ApiResult<Rendered> {
    state
        .index
        .kept("spotlight", Depends::Library, async |conn| {
            let card = queries::served_spotlight(conn).await?.ok_or_else(|| {
                ApiError::refused(ProblemType::NoSpotlight, "no resource is the spotlight at the moment")
            })?;
            Ok(Rendered::stored(card.body, &card.etag))
        })
        .await
}

/// Resolves the input's vocabulary slugs to active values, naming every unknown one.
async fn resolve_terms(conn: &mut AsyncPgConnection, input: &ResourceInput) -> ApiResult<(i32, Vec<i32>)> {
    let mut errors = Vec::new();
    let type_id =
        queries::resolve_for_write(conn, Vocabulary::Types, std::slice::from_ref(&input.resource_type)).await?[0];
    if type_id.is_none() {
        errors.push(FieldError::new("resource_type", FieldCode::UnknownValue, "is not an active resource type slug"));
    }
    let links = match resolve_links(conn, &input.domains, &input.topics, &input.professions).await? {
        Ok(links) => links,
        Err(more) => {
            errors.extend(more);
            Vec::new()
        }
    };
    match type_id {
        Some(type_id) if errors.is_empty() => Ok((type_id, links)),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// The ids of active domain, topic and profession values named by slug, or an error naming
/// each unknown one (`domains[1]`).
pub async fn resolve_links(
    conn: &mut AsyncPgConnection,
    domains: &[String],
    topics: &[String],
    professions: &[String],
) -> ApiResult<Result<Vec<i32>, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let mut links = Vec::new();
    for (vocabulary, field, slugs) in [
        (Vocabulary::Domains, "domains", domains),
        (Vocabulary::Topics, "topics", topics),
        (Vocabulary::Professions, "professions", professions),
    ] {
        for (i, id) in queries::resolve_for_write(conn, vocabulary, slugs).await?.into_iter().enumerate() {
            match id {
                Some(id) => links.push(id),
                None => errors.push(FieldError::new(
                    format!("{field}[{i}]"),
                    FieldCode::UnknownValue,
                    format!("is not an active value of {}", vocabulary.label()),
                )),
            }
        }
    }
    Ok(if errors.is_empty() { Ok(links) } else { Err(errors) })
}

fn fields(input: &ResourceInput, resource_type_id: i32) -> ResourceFields {
    let trimmed = |s: &Option<String>| s.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    ResourceFields {
        title: input.title.trim().to_string(),
        summary: input.summary.trim().to_string(),
        url: trimmed(&input.url),
        resource_type_id,
        year: input.year,
        authors: input.authors.iter().map(|a| a.trim().to_string()).collect(),
        source: trimmed(&input.source),
        doi: trimmed(&input.doi),
        open_access: input.open_access,
    }
}

/// A slug from the title that no resource has had and that is not a reserved word.
pub async fn free_slug(conn: &mut AsyncPgConnection, title: &str) -> ApiResult<Slug> {
    for candidate in candidates(title, "resource") {
        if !RESERVED_SLUGS.contains(&&*candidate) && !queries::slug_taken(conn, &candidate).await? {
            return Ok(candidate);
        }
    }
    unreachable!("some suffix is always free")
}

fn entry<'a>(
    action: &'a str,
    staff: &StaffUser,
    id: Uuid,
    request_id: &'a RequestId,
    details: serde_json::Value,
) -> NewAuditEntry<'a> {
    NewAuditEntry::by_staff(staff, action, "resource", id, request_id, details)
}

/// A row as editors see it, with the vocabularies as they are now.
async fn admin_view(conn: &mut AsyncPgConnection, row: ResourceRow) -> ApiResult<AdminResourceJson> {
    let terms = queries::term_index(conn).await?;
    let (json, row) = hydrate(conn, &terms, vec![row]).await?.remove(0);
    Ok(AdminResourceJson::new(json, row))
}

async fn find_row(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<ResourceRow> {
    queries::find(conn, id).await?.ok_or_else(|| ApiError::not_found("resource"))
}

/// One resource in any status.
pub async fn get_admin(state: &AppState, id: Uuid) -> ApiResult<AdminResourceJson> {
    let mut conn = state.pool.get().await?;
    let row = find_row(&mut conn, id).await?;
    admin_view(&mut conn, row).await
}

/// Creates a draft; the slug is made from the title.
pub async fn create(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    input: ResourceInput,
) -> ApiResult<AdminResourceJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (type_id, links) = resolve_terms(conn, &input).await?;
            let slug = free_slug(conn, &input.title).await?;
            let id = Uuid::now_v7();
            let row = queries::insert(conn, id, &slug, &fields(&input, type_id)).await?;
            queries::replace_links(conn, id, &links).await?;
            audit::record(
                conn,
                entry("resource.create", staff, id, request_id, json!({ "title": row.title, "slug": slug })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    admin_view(&mut conn, row).await
}

/// Merges the changes into the stored resource and validates the result as a whole, with the
/// rules of creation. A new `slug` renames it; every earlier slug keeps resolving.
pub async fn update(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    changes: UpdateResource,
) -> ApiResult<AdminResourceJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find_row(conn, id).await?;
            let terms = queries::term_index(conn).await?;
            let (current, _) = hydrate(conn, &terms, vec![before.clone()]).await?.remove(0);
            let input = ResourceInput {
                title: current.title,
                summary: current.summary,
                url: current.url,
                resource_type: current.resource_type.slug,
                domains: current.domains.into_iter().map(|t| t.slug).collect(),
                topics: current.topics.into_iter().map(|t| t.slug).collect(),
                professions: current.professions.into_iter().map(|t| t.slug).collect(),
                year: current.year,
                authors: current.authors,
                source: current.source,
                doi: current.doi,
                open_access: current.open_access,
            };
            let new_slug = changes.slug.clone();
            let input = changes.apply(input);
            validator::Validate::validate(&input)?;
            let (type_id, links) = resolve_terms(conn, &input).await?;
            let slug = match new_slug {
                Some(slug) if slug != before.slug => {
                    if !valid_slug(&slug) || RESERVED_SLUGS.contains(&slug.as_str()) {
                        return Err(ApiError::invalid(
                            "slug",
                            FieldCode::InvalidSlug,
                            "must be lower-case letters and digits joined by single hyphens, and not a reserved word",
                        ));
                    }
                    match queries::find_by_key(conn, &slug).await? {
                        Some(other) if other.id != id => {
                            return Err(ApiError::refused(
                                ProblemType::SlugTaken,
                                format!("the slug `{slug}` belongs to another resource"),
                            ))
                        }
                        Some(_) => {} // one of its own earlier slugs
                        None => queries::add_slug(conn, id, &slug).await?,
                    }
                    slug
                }
                _ => before.slug.clone(),
            };
            let row = queries::update_fields(conn, id, &slug, &fields(&input, type_id)).await?;
            queries::replace_links(conn, id, &links).await?;
            let details = serde_json::to_value(&input).unwrap_or_default();
            audit::record(
                conn,
                entry("resource.update", staff, id, request_id, json!({ "slug": slug, "now": details })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    let (id, view) = (row.id, admin_view(&mut conn, row).await?);
    // The index refresh takes a connection of its own: give this one back first, or concurrent
    // writes could hold the whole pool while each waits for one more.
    drop(conn);
    state.index.changed(&[id]).await;
    Ok(view)
}

/// Deletes a resource for good.
pub async fn delete(state: &AppState, staff: &StaffUser, request_id: &RequestId, id: Uuid) -> ApiResult<()> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = find_row(conn, id).await?;
        queries::delete(conn, id).await?;
        audit::record(
            conn,
            entry("resource.delete", staff, id, request_id, json!({ "title": row.title, "slug": row.slug })),
        )
        .await?;
        Ok(())
    })
    .await?;
    drop(conn);
    state.index.changed(&[id]).await;
    Ok(())
}

/// A change of status (or, with `None`, making a published resource the spotlight).
async fn transition(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    action: &'static str,
    status: Option<ResourceStatus>,
) -> ApiResult<AdminResourceJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find_row(conn, id).await?;
            let row = match status {
                Some(status) => queries::set_status(conn, id, status).await?,
                None if before.status != ResourceStatus::Published => {
                    return Err(ApiError::refused(
                        ProblemType::SpotlightNotPublished,
                        "only a published resource can be the spotlight",
                    ))
                }
                None => queries::set_spotlight(conn, id).await?,
            };
            audit::record(
                conn,
                entry(action, staff, id, request_id, json!({ "from": before.status, "to": row.status })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    let view = admin_view(&mut conn, row).await?;
    drop(conn);
    state.index.changed(&[id]).await;
    Ok(view)
}

/// Publishes: the resource appears in the library (its first publication date is kept).
pub async fn publish(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
) -> ApiResult<AdminResourceJson> {
    transition(state, staff, request_id, id, "resource.publish", Some(ResourceStatus::Published)).await
}

/// Back to draft: it leaves the library and stops being the spotlight.
pub async fn unpublish(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
) -> ApiResult<AdminResourceJson> {
    transition(state, staff, request_id, id, "resource.unpublish", Some(ResourceStatus::Draft)).await
}

/// Kept for the record, never shown.
pub async fn archive(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
) -> ApiResult<AdminResourceJson> {
    transition(state, staff, request_id, id, "resource.archive", Some(ResourceStatus::Archived)).await
}

/// Makes a published resource the spotlight (the previous one stops being it); 409 otherwise.
pub async fn make_spotlight(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
) -> ApiResult<AdminResourceJson> {
    transition(state, staff, request_id, id, "resource.spotlight", None).await
}
