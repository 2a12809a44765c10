//! The public library: list and search, one resource, the spotlight.

use actix_web::{get, web, HttpRequest};

use super::{hydrate, Terms};
use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::conditional::Cached;
use crate::extract::pagination::link_header;
use crate::extract::ValidQuery;
use crate::resources::json::{Include, ResourceJson, ResourceList, ResourceListQuery, ResourceStatus, Sort};
use crate::resources::queries;

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
    let list = super::admin::list_for(&state, &query, Some(ResourceStatus::Published)).await?;
    let data = list.rows.into_iter().map(|(json, _)| json).collect();
    let link = link_header(&state.config.public_base_url, &req, list.meta.total, list.meta.page, list.meta.per_page);
    Ok(Cached { body: ResourceList { data, meta: list.meta }, link: Some(link) })
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
    let mut conn = state.pool.get().await?;
    let row = queries::find_by_key(&mut conn, &key)
        .await?
        .filter(|r| r.status == "published")
        .ok_or_else(|| ApiError::not_found("resource"))?;
    published_json(&mut conn, row).await
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
    let row = queries::spotlight(&mut conn).await?.ok_or_else(|| ApiError::not_found("spotlight resource"))?;
    published_json(&mut conn, row).await
}

async fn published_json(
    conn: &mut diesel_async::AsyncPgConnection,
    row: crate::resources::model::ResourceRow,
) -> ApiResult<Cached<ResourceJson>> {
    let terms = Terms::load(conn).await?;
    let (json, _) = hydrate(conn, &terms, vec![row]).await?.remove(0);
    Ok(Cached::new(json))
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
