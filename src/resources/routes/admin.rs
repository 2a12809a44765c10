//! Curation: editors and admins list every status, create drafts, edit, publish, unpublish,
//! archive, delete and choose the spotlight. Every change is in the audit log.

use actix_web::{delete, get, patch, post, web, HttpRequest};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::public::{sort_of, wants_facets};
use super::{admin_json, hydrate, Terms};
use crate::audit::{self, NewAuditEntry};
use crate::auth::{Staff, StaffUser};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::pagination::link_header;
use crate::extract::respond::{Created, NoContent, WithLink};
use crate::extract::{PageRequest, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::resources::json::{
    AdminResourceJson, ResourceInput, ResourceJson, ResourceList, ResourceListMeta, ResourceListQuery, ResourceStatus,
    StatusQuery, UpdateResource,
};
use crate::resources::model::{ResourceFields, ResourceRow};
use crate::resources::queries;
use crate::state::AppState;
use crate::taxonomy::json::Vocabulary;
use crate::values::slug::{candidates, is_valid as valid_slug};
use crate::values::Slug;

pub struct Listed {
    pub rows: Vec<(ResourceJson, ResourceRow)>,
    pub meta: ResourceListMeta,
}

pub fn check_years(query: &ResourceListQuery) -> ApiResult<()> {
    match (query.year_from, query.year_to) {
        (Some(from), Some(to)) if from > to => {
            Err(ApiError::invalid("year_to", "out_of_range", "must not be before year_from"))
        }
        _ => Ok(()),
    }
}

/// The list behind both the public and the staff endpoint.
pub async fn list_for(
    state: &AppState,
    query: &ResourceListQuery,
    status: Option<ResourceStatus>,
) -> ApiResult<Listed> {
    check_years(query)?;
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let terms = Terms::load(&mut conn).await?;
    let filter = terms.filter(query, status);
    let (rows, total) = queries::list(&mut conn, &filter, sort_of(query), page).await?;
    let facets =
        if wants_facets(query) { Some(terms.facets(&queries::facet_counts(&mut conn, &filter).await?)) } else { None };
    let rows = hydrate(&mut conn, &terms, rows).await?;
    Ok(Listed { rows, meta: ResourceListMeta { total, page: page.page, per_page: page.per_page, facets } })
}

/// Every resource in any status, with the public filters and `status`.
#[utoipa::path(
    tag = "admin",
    params(ResourceListQuery, StatusQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of resources", body = ResourceList<AdminResourceJson>, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/resources")]
pub async fn list_resources(
    state: web::Data<AppState>,
    _staff: Staff,
    req: HttpRequest,
    ValidQuery(query): ValidQuery<ResourceListQuery>,
    ValidQuery(status): ValidQuery<StatusQuery>,
) -> ApiResult<WithLink<ResourceList<AdminResourceJson>>> {
    let list = list_for(&state, &query, status.status).await?;
    let link = link_header(&state.config.public_base_url, &req, list.meta.total, list.meta.page, list.meta.per_page);
    let data = list.rows.into_iter().map(admin_json).collect();
    Ok(WithLink { body: ResourceList { data, meta: list.meta }, link })
}

const RESERVED_SLUGS: [&str; 6] = ["spotlight", "changes", "export", "feed", "facets", "search"];

/// Resolves the input's vocabulary slugs to active values, naming every unknown one.
async fn resolve_terms(conn: &mut AsyncPgConnection, input: &ResourceInput) -> ApiResult<(i32, Vec<i32>)> {
    let mut errors = Vec::new();
    let type_id =
        queries::resolve_for_write(conn, Vocabulary::Types, std::slice::from_ref(&input.resource_type)).await?[0];
    if type_id.is_none() {
        errors.push(FieldError::new("resource_type", "unknown_value", "is not an active resource type slug"));
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
                    "unknown_value",
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

async fn admin_view(conn: &mut AsyncPgConnection, row: ResourceRow) -> ApiResult<AdminResourceJson> {
    let terms = Terms::load(conn).await?;
    Ok(admin_json(hydrate(conn, &terms, vec![row]).await?.remove(0)))
}

async fn find_row(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<ResourceRow> {
    queries::find(conn, id).await?.ok_or_else(|| ApiError::not_found("resource"))
}

/// Create a resource as a draft. The slug is made from the title.
#[utoipa::path(
    tag = "admin",
    request_body = ResourceInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Created as a draft", body = AdminResourceJson, headers(("Location" = String))),
        crate::openapi::StaffErrors,
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
                entry("resource.create", &staff, id, &request_id, json!({ "title": row.title, "slug": slug })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    let location = format!("/api/v1/admin/resources/{}", row.id);
    Ok(Created { location, body: admin_view(&mut conn, row).await? })
}

/// One resource in any status.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/resources/{id}")]
pub async fn get_resource(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    let mut conn = state.pool.get().await?;
    let row = find_row(&mut conn, *id).await?;
    Ok(web::Json(admin_view(&mut conn, row).await?))
}

/// Change some fields. The result is validated as a whole, with the same rules as creation.
/// Sending `slug` renames the resource; every earlier slug keeps resolving.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    request_body = UpdateResource,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The updated resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
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
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find_row(conn, id).await?;
            let terms = Terms::load(conn).await?;
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
                            "invalid_slug",
                            "must be lower-case letters and digits joined by single hyphens, and not a reserved word",
                        ));
                    }
                    match queries::find_by_key(conn, &slug).await? {
                        Some(other) if other.id != id => {
                            return Err(ApiError::Conflict(format!("the slug `{slug}` belongs to another resource")))
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
                entry("resource.update", &staff, id, &request_id, json!({ "slug": slug, "now": details })),
            )
            .await?;
            Ok(row)
        })
        .await?;
    let (id, view) = (row.id, admin_view(&mut conn, row).await?);
    // The index refresh takes a connection of its own: give this one back first, or concurrent
    // writes could hold the whole pool while each waits for one more.
    drop(conn);
    state.library.changed(&[id]).await;
    Ok(web::Json(view))
}

/// Delete a resource for good (unpublishing or archiving keeps it).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[delete("/resources/{id}")]
pub async fn delete_resource(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<NoContent> {
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = find_row(conn, id).await?;
        queries::delete(conn, id).await?;
        audit::record(
            conn,
            entry("resource.delete", &staff, id, &request_id, json!({ "title": row.title, "slug": row.slug })),
        )
        .await?;
        Ok(())
    })
    .await?;
    drop(conn);
    state.library.changed(&[id]).await;
    Ok(NoContent)
}

async fn transition(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    action: &'static str,
    status: Option<ResourceStatus>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find_row(conn, id).await?;
            let row = match status {
                Some(status) => queries::set_status(conn, id, status).await?,
                None if before.status != ResourceStatus::Published => {
                    return Err(ApiError::Conflict("only a published resource can be the spotlight".into()))
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
    state.library.changed(&[id]).await;
    Ok(web::Json(view))
}

/// Publish: the resource appears in the library (its first publication date is kept).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/resources/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    transition(&state, &staff, &request_id, id.into_inner(), "resource.publish", Some(ResourceStatus::Published)).await
}

/// Unpublish: back to draft; it leaves the library and stops being the spotlight.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/resources/{id}/unpublish")]
pub async fn unpublish(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    transition(&state, &staff, &request_id, id.into_inner(), "resource.unpublish", Some(ResourceStatus::Draft)).await
}

/// Archive: kept for the record, never shown.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/resources/{id}/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    transition(&state, &staff, &request_id, id.into_inner(), "resource.archive", Some(ResourceStatus::Archived)).await
}

/// Make this published resource the spotlight (the previous one stops being it); 409 for an unpublished one.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The resource", body = AdminResourceJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/resources/{id}/spotlight")]
pub async fn spotlight(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminResourceJson>> {
    transition(&state, &staff, &request_id, id.into_inner(), "resource.spotlight", None).await
}
