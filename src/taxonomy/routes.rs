//! The vocabularies: read by anyone, edited by admins.

use actix_web::{delete, get, patch, post, web};
use chrono::Utc;
use diesel_async::AsyncConnection;
use serde_json::json;

use super::json::{AdminTermJson, CreateTerm, TaxonomyJson, TermJson, UpdateTerm, Vocabulary, VocabularyJson};
use super::model::{NewTerm, Term, TermChanges};
use super::queries;
use crate::audit::{self, NewAuditEntry};
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::extract::conditional::Cached;
use crate::extract::respond::{Created, NoContent};
use crate::extract::ValidJson;
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::slug;

/// Every vocabulary with its values' slugs, labels and descriptions, in display order.
#[utoipa::path(
    tag = "library",
    responses(
        (status = 200, description = "The vocabularies", body = TaxonomyJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
    )
)]
#[get("/taxonomy")]
pub async fn taxonomy(state: web::Data<AppState>) -> ApiResult<Cached<TaxonomyJson>> {
    let terms = queries::list(&mut *state.pool.get().await?, None, false).await?;
    let vocabularies = Vocabulary::ALL
        .into_iter()
        .map(|v| VocabularyJson {
            vocabulary: v,
            filter: match v {
                Vocabulary::Types => "type",
                Vocabulary::Domains => "domain",
                Vocabulary::Topics => "topic",
                Vocabulary::Professions => "profession",
            },
            label: v.label(),
            terms: terms
                .iter()
                .filter(|t| t.vocabulary == v)
                .map(|t| TermJson { slug: t.slug.clone(), label: t.label.clone(), description: t.description.clone() })
                .collect(),
        })
        .collect();
    Ok(Cached::new(TaxonomyJson { vocabularies }))
}

/// Every value of one vocabulary, retired ones included, with how many resources use each.
#[utoipa::path(
    tag = "admin",
    params(("vocabulary" = Vocabulary, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The values", body = [AdminTermJson]),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/taxonomy/{vocabulary}")]
pub async fn list_terms(
    state: web::Data<AppState>,
    _admin: Admin,
    vocabulary: web::Path<Vocabulary>,
) -> ApiResult<web::Json<Vec<AdminTermJson>>> {
    let mut conn = state.pool.get().await?;
    let used = queries::usage_counts(&mut conn, *vocabulary).await?;
    let terms = queries::list(&mut conn, Some(*vocabulary), true).await?;
    Ok(web::Json(
        terms
            .into_iter()
            .map(|t| {
                let count = used.get(&t.id).copied().unwrap_or(0);
                AdminTermJson::new(t, count)
            })
            .collect(),
    ))
}

fn audit_entry<'a>(
    action: &'a str,
    vocabulary: Vocabulary,
    slug: &str,
    actor: uuid::Uuid,
    request_id: &'a RequestId,
    details: serde_json::Value,
) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_id: Some(actor),
        action,
        entity_type: "vocabulary_term",
        entity_id: format!("{}/{slug}", vocabulary.key()),
        details,
        request_id: Some(&request_id.0),
    }
}

/// Add a value to a vocabulary.
#[utoipa::path(
    tag = "admin",
    params(("vocabulary" = Vocabulary, Path)),
    request_body = CreateTerm,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "Added", body = AdminTermJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/taxonomy/{vocabulary}")]
pub async fn create_term(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    vocabulary: web::Path<Vocabulary>,
    ValidJson(body): ValidJson<CreateTerm>,
) -> ApiResult<Created<AdminTermJson>> {
    let vocabulary = *vocabulary;
    let slug = body.slug.clone().unwrap_or_else(|| slug::slugify(&body.label));
    if !slug::is_valid(&slug) {
        return Err(ApiError::invalid("label", "invalid_slug", "must contain letters or digits to make a slug from"));
    }
    let mut conn = state.pool.get().await?;
    let term = conn
        .transaction::<_, ApiError, _>(async |conn| {
            if queries::find(conn, vocabulary, &slug).await?.is_some() {
                return Err(ApiError::Conflict(format!(
                    "{} already has a value with the slug `{slug}`",
                    vocabulary.key()
                )));
            }
            let position = queries::next_position(conn, vocabulary).await?;
            let description = body.description.clone().unwrap_or_default();
            let new = NewTerm { vocabulary, slug: &slug, label: &body.label, description: &description, position };
            let mut term = queries::insert(conn, &new).await?;
            if let Some(at) = body.position.filter(|p| *p < position) {
                queries::move_to(conn, vocabulary, term.id, at).await?;
                term.position = at;
            }
            let details = json!({ "label": term.label, "position": term.position });
            audit::record(conn, audit_entry("taxonomy.add", vocabulary, &slug, admin.id, &request_id, details)).await?;
            Ok(term)
        })
        .await?;
    let location = format!("/api/v1/admin/taxonomy/{}/{}", vocabulary.key(), term.slug);
    state.library.taxonomy_changed().await;
    Ok(Created { location, body: AdminTermJson::new(term, 0) })
}

async fn find_term(conn: &mut diesel_async::AsyncPgConnection, vocabulary: Vocabulary, slug: &str) -> ApiResult<Term> {
    queries::find(conn, vocabulary, slug).await?.ok_or_else(|| ApiError::not_found("vocabulary value"))
}

/// Relabel, redescribe or reorder a value (`position` moves it there; the others shift).
#[utoipa::path(
    tag = "admin",
    params(("vocabulary" = Vocabulary, Path), ("slug" = String, Path)),
    request_body = UpdateTerm,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Updated", body = AdminTermJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/taxonomy/{vocabulary}/{slug}")]
pub async fn update_term(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    path: web::Path<(Vocabulary, String)>,
    ValidJson(body): ValidJson<UpdateTerm>,
) -> ApiResult<web::Json<AdminTermJson>> {
    let (vocabulary, slug) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let (term, used) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find_term(conn, vocabulary, &slug).await?;
            let changes = TermChanges {
                label: body.label.clone(),
                description: body.description.clone(),
                updated_at: Some(Utc::now()),
            };
            if let Some(position) = body.position {
                queries::move_to(conn, vocabulary, before.id, position).await?;
            }
            let term = queries::update(conn, before.id, &changes).await?;
            let details = json!({
                "label": { "from": before.label, "to": term.label },
                "position": { "from": before.position, "to": term.position },
                "description_changed": before.description != term.description,
            });
            audit::record(conn, audit_entry("taxonomy.update", vocabulary, &slug, admin.id, &request_id, details))
                .await?;
            let used = queries::usage(conn, &term).await?;
            Ok((term, used))
        })
        .await?;
    state.library.taxonomy_changed().await;
    Ok(web::Json(AdminTermJson::new(term, used)))
}

/// Retire a value: it leaves the taxonomy and can no longer be chosen. Refused (409) while any
/// resource still uses it; the answer says how many do.
#[utoipa::path(
    tag = "admin",
    params(("vocabulary" = Vocabulary, Path), ("slug" = String, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 204, description = "Retired"),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[delete("/taxonomy/{vocabulary}/{slug}")]
pub async fn retire_term(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    path: web::Path<(Vocabulary, String)>,
) -> ApiResult<NoContent> {
    let (vocabulary, slug) = path.into_inner();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let term = find_term(conn, vocabulary, &slug).await?;
        if term.retired_at.is_some() {
            return Ok(());
        }
        queries::lock(conn, term.id).await?;
        let used = queries::usage(conn, &term).await?;
        if used > 0 {
            let plural = if used == 1 { "resource uses" } else { "resources use" };
            return Err(ApiError::Conflict(format!("`{slug}` cannot be retired: {used} {plural} it")));
        }
        queries::retire(conn, term.id).await?;
        audit::record(conn, audit_entry("taxonomy.retire", vocabulary, &slug, admin.id, &request_id, json!({})))
            .await
            .map_err(ApiError::from)
    })
    .await?;
    state.library.taxonomy_changed().await;
    Ok(NoContent)
}
