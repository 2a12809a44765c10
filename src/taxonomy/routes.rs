//! The vocabularies: read by anyone (`public_reads`), edited by admins (`staff`).

use actix_web::{delete, get, patch, post, web};

use super::json::{
    AdminTermJson, AdminVocabulariesJson, AdminVocabularyJson, CreateTerm, TaxonomyJson, UpdateTerm, UpdateVocabulary,
    Vocabulary,
};
use super::service;
use crate::auth::Admin;
use crate::error::{ApiResult, ProblemType};
use crate::extract::conditional::Rendered;
use crate::extract::respond::{Created, NoContent};
use crate::extract::{PageQuery, PageRequest, Paginated, ValidJson, ValidQuery};
use crate::middleware::RequestId;
use crate::state::AppState;

/// Named list envelopes: the document then refers to their items (see `pagination::envelope`).
type AdminTermPage = Paginated<AdminTermJson>;

pub fn public_reads(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_taxonomy);
}

pub fn admins(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_vocabularies)
        .service(update_vocabulary)
        .service(list_terms)
        .service(create_term)
        .service(update_term)
        .service(retire_term);
}

/// Every vocabulary with its sidebar heading, its introduction and its values' slugs, labels and
/// descriptions, in display order: the library page's own words (until admins edit them).
#[utoipa::path(
    operation_id = "getTaxonomy",
    tag = "library",
    responses(
        (status = 200, description = "The vocabularies", body = TaxonomyJson, headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag"),
    )
)]
#[get("/taxonomy")]
pub async fn get_taxonomy(state: web::Data<AppState>) -> ApiResult<Rendered> {
    service::taxonomy(&state).await
}

/// The four vocabularies' sidebar headings and introductions.
#[utoipa::path(
    operation_id = "listVocabularies",
    tag = "curation",
    responses(
        (status = 200, description = "The vocabularies' texts", body = AdminVocabulariesJson),
    )
)]
#[get("/taxonomy")]
pub async fn list_vocabularies(
    state: web::Data<AppState>,
    _admin: Admin,
) -> ApiResult<web::Json<AdminVocabulariesJson>> {
    Ok(web::Json(service::vocabularies(&state).await?))
}

/// Change a vocabulary's sidebar heading or introduction (fields left out stay).
#[utoipa::path(
    operation_id = "updateVocabulary",
    tag = "curation",
    params(("vocabulary" = Vocabulary, Path, description = "The vocabulary: `types`, `domains`, `topics` or `professions`")),
    request_body = UpdateVocabulary,
    responses(
        (status = 200, description = "Updated", body = AdminVocabularyJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/taxonomy/{vocabulary}")]
pub async fn update_vocabulary(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    vocabulary: web::Path<Vocabulary>,
    ValidJson(body): ValidJson<UpdateVocabulary>,
) -> ApiResult<web::Json<AdminVocabularyJson>> {
    Ok(web::Json(service::update_vocabulary(&state, &admin, &request_id, *vocabulary, body).await?))
}

/// Every value of one vocabulary, retired ones included, with how many resources use each.
#[utoipa::path(
    operation_id = "listTerms",
    tag = "curation",
    params(("vocabulary" = Vocabulary, Path, description = "The vocabulary: `types`, `domains`, `topics` or `professions`"), PageQuery),
    responses(
        (status = 200, description = "A page of the values, in their order", body = AdminTermPage, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[get("/taxonomy/{vocabulary}")]
pub async fn list_terms(
    state: web::Data<AppState>,
    _admin: Admin,
    vocabulary: web::Path<Vocabulary>,
    ValidQuery(query): ValidQuery<PageQuery>,
) -> ApiResult<Paginated<AdminTermJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    Ok(Paginated::of_all(service::list_terms(&state, *vocabulary).await?, page))
}

/// Add a value to a vocabulary.
#[utoipa::path(
    operation_id = "createTerm",
    extensions(("x-problems" = json!([ProblemType::SlugTaken]))),
    tag = "curation",
    params(("vocabulary" = Vocabulary, Path, description = "The vocabulary: `types`, `domains`, `topics` or `professions`")),
    request_body = CreateTerm,
    responses(
        (status = 201, description = "Added", body = AdminTermJson, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
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
    let body = service::create_term(&state, &admin, &request_id, vocabulary, body).await?;
    let location = format!("/api/v1/admin/taxonomy/{}/{}", vocabulary.key(), body.slug);
    Ok(Created { location, body })
}

/// Relabel, redescribe or reorder a value (`position` moves it there; the others shift).
#[utoipa::path(
    operation_id = "updateTerm",
    tag = "curation",
    params(
        ("vocabulary" = Vocabulary, Path, description = "The vocabulary: `types`, `domains`, `topics` or `professions`"),
        ("slug" = String, Path, description = "The value's slug")
    ),
    request_body = UpdateTerm,
    responses(
        (status = 200, description = "Updated", body = AdminTermJson),
        (status = 404, response = crate::openapi::NotFound),
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
    Ok(web::Json(service::update_term(&state, &admin, &request_id, vocabulary, &slug, body).await?))
}

/// Retire a value: it leaves the taxonomy and can no longer be chosen. Refused (409) while any
/// resource still uses it; the answer says how many do.
#[utoipa::path(
    operation_id = "retireTerm",
    extensions(("x-problems" = json!([ProblemType::ValueInUse]))),
    tag = "curation",
    params(
        ("vocabulary" = Vocabulary, Path, description = "The vocabulary: `types`, `domains`, `topics` or `professions`"),
        ("slug" = String, Path, description = "The value's slug")
    ),
    responses(
        (status = 204, description = "Retired"),
        (status = 404, response = crate::openapi::NotFound),
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
    service::retire_term(&state, &admin, &request_id, vocabulary, &slug).await?;
    Ok(NoContent)
}
