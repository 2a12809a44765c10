//! The public library: list and search, one resource, the spotlight.

use std::sync::Arc;

use actix_web::{get, web, HttpRequest};

use super::Terms;
use crate::error::{ApiError, ApiResult};
use crate::extract::conditional::Cached;
use crate::extract::pagination::link_header;
use crate::extract::{PageRequest, ValidQuery};
use crate::resources::json::{
    Include, ResourceJson, ResourceList, ResourceListMeta, ResourceListQuery, ResourceStatus, Sort,
};
use crate::resources::queries;
use crate::state::AppState;

/// Published resources: filter, search, sort, page, and optionally the facet counts.
///
/// Vocabulary filters (`type`, `domain`, `topic`, `profession`) repeat: values of one filter are
/// OR-ed, different filters AND-ed. An unknown slug matches nothing rather than failing.
/// `q` uses web-search syntax (`"a phrase"`, `or`, `-word`); a title match ranks above an
/// author or journal match, which ranks above a summary match. `include=facets` adds, for every
/// value of every vocabulary, how many resources match with that value under the *other*
/// active filters: what a click on it would return.
#[utoipa::path(
    tag = "library",
    params(ResourceListQuery),
    responses(
        (status = 200, description = "A page of resources", body = ResourceList<ResourceJson>,
            headers(("ETag" = String), ("Cache-Control" = String), ("Link" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources")]
pub async fn list_resources(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<ResourceListQuery>,
) -> ApiResult<Cached<ResourceList<ResourceJson>>> {
    let list = match from_index(&state, &query).await? {
        Some(list) => list,
        None => {
            let list = super::admin::list_for(&state, &query, Some(ResourceStatus::Published)).await?;
            ResourceList { data: list.rows.into_iter().map(|(json, _)| json).collect(), meta: list.meta }
        }
    };
    let link = link_header(&state.config.public_base_url, &req, list.meta.total, list.meta.page, list.meta.per_page);
    Ok(Cached { body: list, link: Some(link) })
}

/// The list from the search index and one query for the page's resources; `None` when the
/// index is not ready or cannot evaluate the query exactly (then the SQL answers).
async fn from_index(state: &AppState, query: &ResourceListQuery) -> ApiResult<Option<ResourceList<ResourceJson>>> {
    super::admin::check_years(query)?;
    let Some((generation, vocabularies)) = state.library.current().await? else { return Ok(None) };
    let terms = Terms::kept(vocabularies);
    let filter = terms.filter(query, Some(ResourceStatus::Published));
    let page = PageRequest::new(query.page, query.per_page);
    let answered =
        state.library.search(terms.vocabularies(), &filter, sort_of(query), page, wants_facets(query)).await?;
    let Some(answer) = answered else { return Ok(None) };
    // Resources served since the last change come from memory; the others in one query.
    let mut found: Vec<Option<Arc<ResourceJson>>> =
        answer.ids.iter().map(|id| state.library.cached(*id, generation)).collect();
    let missing: Vec<_> = answer.ids.iter().zip(&found).filter(|(_, f)| f.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let mut conn = state.pool.get().await?;
        for card in queries::published_cards(&mut conn, &missing).await? {
            let json = Arc::new(terms.card_json(card));
            state.library.remember(generation, None, json.clone());
            if let Some(i) = answer.ids.iter().position(|id| *id == json.id) {
                found[i] = Some(json);
            }
        }
    }
    // In the index's order; a resource unpublished since the index answered is left out.
    let data = found.into_iter().flatten().map(|json| (*json).clone()).collect();
    let facets = answer.facets.map(|counts| terms.facets(&counts));
    Ok(Some(ResourceList {
        data,
        meta: ResourceListMeta { total: answer.total, page: page.page, per_page: page.per_page, facets },
    }))
}

/// One published resource by id or slug (earlier slugs still resolve). Drafts, archived and
/// unknown resources are 404.
#[utoipa::path(
    tag = "library",
    params(("key" = String, Path, description = "The resource's id or slug")),
    responses(
        (status = 200, description = "The resource", body = ResourceJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/resources/{key}")]
pub async fn get_resource(state: web::Data<AppState>, key: web::Path<String>) -> ApiResult<Cached<ResourceJson>> {
    let generation = state.library.generation();
    if let Some(json) = generation.and_then(|g| state.library.cached_by_key(&key, g)) {
        return Ok(Cached::new((*json).clone()));
    }
    let mut conn = state.pool.get().await?;
    let card = queries::published_card(&mut conn, &key).await?.ok_or_else(|| ApiError::not_found("resource"))?;
    let json = Terms::current(&state, &mut conn).await?.card_json(card);
    if let Some(g) = generation {
        state.library.remember(g, Some(&key), Arc::new(json.clone()));
    }
    Ok(Cached::new(json))
}

/// The featured resource.
#[utoipa::path(
    tag = "library",
    responses(
        (status = 200, description = "The spotlight", body = ResourceJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/resources/spotlight")]
pub async fn spotlight(state: web::Data<AppState>) -> ApiResult<Cached<ResourceJson>> {
    let mut conn = state.pool.get().await?;
    let card = queries::spotlight_card(&mut conn).await?.ok_or_else(|| ApiError::not_found("spotlight resource"))?;
    Ok(Cached::new(Terms::current(&state, &mut conn).await?.card_json(card)))
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
