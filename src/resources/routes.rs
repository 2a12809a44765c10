//! Handlers of the library: the public list, one resource and the spotlight (`public_reads`);
//! curation by editors and admins under `/admin` (`staff`), every change in the audit log.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::json::{
    AdminResourceJson, ResourceInput, ResourceJson, ResourceList, ResourceListQuery, StatusQuery, SuggestQuery,
    SuggestionList, UpdateResource,
};
use super::service::{self, Library};
use crate::auth::Staff;
use crate::error::{ApiError, ApiResult, ProblemType};
use crate::extract::conditional::Rendered;
use crate::extract::pagination::link_header;
use crate::extract::respond::{Created, NoContent, WithLink};
use crate::extract::{ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type AdminResourcePage = ResourceList<AdminResourceJson>;
type ResourcePage = ResourceList<ResourceJson>;

/// Public reads. `spotlight` is registered before `{key}` so the word is never read as a slug;
/// the route list mounts sync's and citations' `/resources/...` reads before these for the same
/// reason.
pub fn public_reads(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_resources).service(get_spotlight_resource).service(get_resource);
}

/// As-you-type suggestions: a group of their own (a budget of their own), mounted before the
/// public reads so the word is never read as a slug.
pub fn suggestions(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(suggest_resources);
}

/// Suggestions while someone types in the search box.
///
/// What a search box shows under the field at each keystroke: vocabulary values (at most three)
/// and published titles whose words hold what was typed, best first, each with the ranges of
/// its text that matched (to bold them). Every typed word must be a word of the suggestion, all
/// whole except the last, which may be the start of one (`community heal` suggests "Community
/// Health Workers"); letter case and accents do not matter. Values come first (those whose label
/// starts with the first typed word, then shorter labels); then titles whose first word is the
/// first typed word, then the others, each group shorter titles first, then newest. Answered
/// from memory, with an ETag.
#[utoipa::path(
    operation_id = "suggestResources",
    tag = "library",
    params(SuggestQuery),
    responses(
        (status = 200, description = "Suggestions, best first", body = SuggestionList,
            headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources/suggest")]
pub async fn suggest_resources(
    state: web::Data<AppState>,
    library: web::Data<Library>,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<SuggestQuery>,
) -> ApiResult<HttpResponse> {
    let list = service::suggest(&state, &library, &query).await?;
    Ok(Rendered::json(&list)?.answer(&req, None))
}

/// Curation, under `/admin`.
pub fn staff(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_admin_resources)
        .service(create_resource)
        .service(get_admin_resource)
        .service(update_resource)
        .service(delete_resource)
        .service(publish_resource)
        .service(unpublish_resource)
        .service(archive_resource)
        .service(spotlight_resource);
}

/// Published resources: filter, search, sort, page, and optionally the facet counts.
///
/// Vocabulary filters (`type`, `domain`, `topic`, `profession`) repeat: values of one filter are
/// OR-ed, different filters AND-ed. An unknown slug matches nothing rather than failing.
/// `q` uses web-search syntax (`"a phrase"`, `or`, `-word`); a title match ranks above an
/// author or journal match, which ranks above a summary match. `include=facets` adds, for every
/// value of every vocabulary, how many resources match with that value under the *other*
/// active filters: what a click on it would return.
#[utoipa::path(
    operation_id = "listResources",
    tag = "library",
    params(ResourceListQuery),
    responses(
        (status = 200, description = "A page of resources", body = ResourcePage,
            headers(("ETag" = String), ("Cache-Control" = String), ("Link" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources")]
pub async fn list_resources(
    state: web::Data<AppState>,
    library: web::Data<Library>,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<ResourceListQuery>,
) -> ApiResult<HttpResponse> {
    let list = service::list_published(&state, &library, &query).await?;
    let link = link_header(
        &state.config.public_base_url,
        &req,
        list.meta.page.total,
        list.meta.page.page,
        list.meta.page.per_page,
    );
    let rendered = list.rendered().map_err(|e| ApiError::Internal(e.into()))?;
    Ok(rendered.answer(&req, Some(&link)))
}

/// One published resource by id or slug (earlier slugs still resolve). Drafts, archived and
/// unknown resources are 404.
#[utoipa::path(
    operation_id = "getResource",
    tag = "library",
    params(("key" = String, Path, description = "The resource's id or slug")),
    responses(
        (status = 200, description = "The resource", body = ResourceJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/resources/{key}")]
pub async fn get_resource(
    state: web::Data<AppState>,
    library: web::Data<Library>,
    key: web::Path<String>,
) -> ApiResult<Rendered> {
    service::published(&state, &library, &key).await
}

/// The featured resource.
#[utoipa::path(
    operation_id = "getSpotlightResource",
    extensions(("x-problems" = json!([ProblemType::NoSpotlight]))),
    tag = "library",
    responses(
        (status = 200, description = "The spotlight", body = ResourceJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/resources/spotlight")]
pub async fn get_spotlight_resource(state: web::Data<AppState>) -> ApiResult<Rendered> {
    service::spotlight(&state).await
}

/// Every resource in any status, with the public filters and `status`.
#[utoipa::path(
    operation_id = "listAdminResources",
    tag = "curation",
    params(ResourceListQuery, StatusQuery),
    responses(
        (status = 200, description = "A page of resources", body = AdminResourcePage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources")]
pub async fn list_admin_resources(
    state: web::Data<AppState>,
    _staff: Staff,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<ResourceListQuery>,
    ValidQuery(status): ValidQuery<StatusQuery>,
) -> ApiResult<WithLink<ResourceList<AdminResourceJson>>> {
    let list = service::list_admin(&state, &query, status.status).await?;
    let link = link_header(
        &state.config.public_base_url,
        &req,
        list.meta.page.total,
        list.meta.page.page,
        list.meta.page.per_page,
    );
    Ok(WithLink { body: list, link })
}

/// Create a resource as a draft. The slug is made from the title.
#[utoipa::path(
    operation_id = "createResource",
    tag = "curation",
    request_body = ResourceInput,
    responses(
        (status = 201, description = "Created as a draft", body = AdminResourceJson, headers(("Location" = String))),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/resources")]
pub async fn create_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    ValidJson(input): ValidJson<ResourceInput>,
) -> ApiResult<Created<AdminResourceJson>> {
    let body = service::create(&state, &staff, &request_id, input).await?;
    let location = format!("/api/v1/admin/resources/{}", body.resource.id);
    Ok(Created { location, body })
}

/// One resource in any status.
#[utoipa::path(
    operation_id = "getAdminResource",
    tag = "curation",
    params(("id" = Uuid, Path, description = "The resource's id")),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/resources/{id}")]
pub async fn get_admin_resource(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    Ok(web::Json(service::get_admin(&state, *id).await?))
}

/// Change some fields. The result is validated as a whole, with the same rules as creation.
/// Sending `slug` renames the resource; every earlier slug keeps resolving.
#[utoipa::path(
    operation_id = "updateResource",
    extensions(("x-problems" = json!([ProblemType::SlugTaken]))),
    tag = "curation",
    params(("id" = Uuid, Path, description = "The resource's id")),
    request_body = UpdateResource,
    responses(
        (status = 200, description = "The updated resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/resources/{id}")]
pub async fn update_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(changes): ValidJson<UpdateResource>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    Ok(web::Json(service::update(&state, &staff, &request_id, id.into_inner(), changes).await?))
}

/// Delete a resource for good (unpublishing or archiving keeps it).
#[utoipa::path(
    operation_id = "deleteResource",
    tag = "curation",
    params(("id" = Uuid, Path, description = "The resource's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[delete("/resources/{id}")]
pub async fn delete_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<NoContent> {
    service::delete(&state, &staff, &request_id, id.into_inner()).await?;
    Ok(NoContent)
}

/// Publish: the resource appears in the library (its first publication date is kept).
#[utoipa::path(
    operation_id = "publishResource",
    tag = "curation",
    params(("id" = Uuid, Path, description = "The resource's id")),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/resources/{id}/publish")]
pub async fn publish_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    Ok(web::Json(service::publish(&state, &staff, &request_id, id.into_inner()).await?))
}

/// Unpublish: back to draft; it leaves the library and stops being the spotlight.
#[utoipa::path(
    operation_id = "unpublishResource",
    tag = "curation",
    params(("id" = Uuid, Path, description = "The resource's id")),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/resources/{id}/unpublish")]
pub async fn unpublish_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    Ok(web::Json(service::unpublish(&state, &staff, &request_id, id.into_inner()).await?))
}

/// Archive: kept for the record, never shown.
#[utoipa::path(
    operation_id = "archiveResource",
    tag = "curation",
    params(("id" = Uuid, Path, description = "The resource's id")),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/resources/{id}/archive")]
pub async fn archive_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    Ok(web::Json(service::archive(&state, &staff, &request_id, id.into_inner()).await?))
}

/// Make this published resource the spotlight (the previous one stops being it); 409 for an unpublished one.
#[utoipa::path(
    operation_id = "spotlightResource",
    extensions(("x-problems" = json!([ProblemType::SpotlightNotPublished]))),
    tag = "curation",
    params(("id" = Uuid, Path, description = "The resource's id")),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[post("/resources/{id}/spotlight")]
pub async fn spotlight_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    Ok(web::Json(service::make_spotlight(&state, &staff, &request_id, id.into_inner()).await?))
}
