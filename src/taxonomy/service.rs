//! The vocabularies' rules: a value's slug is unique in its vocabulary, positions stay a
//! sequence, a value in use cannot be retired. Every change is audited, then the shared search
//! index is told (`AppState::index`), which moves its vocabulary generation on so that what the
//! library keeps of the vocabularies is read again.

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use super::json::{
    AdminTermJson, AdminVocabulariesJson, AdminVocabularyJson, CreateTerm, TaxonomyJson, UpdateTerm, UpdateVocabulary,
    Vocabulary,
};
use super::model::{NewTerm, Term, TermChanges, VocabularyTextChanges};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::error::{ApiError, ApiResult, FieldCode, ProblemType};
use crate::extract::conditional::Rendered;
use crate::index::kept::Depends;
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::slug;

/// Every vocabulary with its heading, introduction and active values, in display order.
pub async fn taxonomy(state: &AppState) -> ApiResult<Rendered> {
    state
        .index
        .kept("taxonomy", Depends::Vocabularies, async |conn| {
            let terms = queries::list(conn, None, false).await?;
            let texts = queries::texts(conn).await?;
            Rendered::json(&TaxonomyJson::new(&terms, &texts))
        })
        .await
}

/// The vocabularies' headings and introductions, in the sidebar's order.
pub async fn vocabularies(state: &AppState) -> ApiResult<AdminVocabulariesJson> {
    let mut texts = queries::texts(&mut *state.pool.get().await?).await?;
    texts.sort_by_key(|t| Vocabulary::ALL.iter().position(|v| *v == t.vocabulary));
    Ok(AdminVocabulariesJson { vocabularies: texts.into_iter().map(AdminVocabularyJson::new).collect() })
}

/// Changes a vocabulary's sidebar heading or introduction.
pub async fn update_vocabulary(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    vocabulary: Vocabulary,
    body: UpdateVocabulary,
) -> ApiResult<AdminVocabularyJson> {
    let mut conn = state.pool.get().await?;
    let text = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let changes = VocabularyTextChanges {
                heading: body.heading.clone(),
                introduction: body.introduction.clone(),
                updated_at: Some(Utc::now()),
            };
            let text = queries::update_text(conn, vocabulary, &changes).await?;
            let details = json!({
                "heading": text.heading,
                "introduction_changed": body.introduction.is_some(),
            });
            let entry = NewAuditEntry {
                actor_id: Some(admin.id),
                action: "taxonomy.update_vocabulary",
                entity_type: "vocabulary",
                entity_id: vocabulary.key().to_string(),
                details,
                request_id: Some(&request_id.0),
            };
            audit::record(conn, entry).await?;
            Ok(text)
        })
        .await?;
    // The public taxonomy carries the texts: this instance forgets its copy now, the others when
    // the `vocabularies` trigger's notification reaches them.
    state.index.taxonomy_changed().await;
    Ok(AdminVocabularyJson::new(text))
}

/// Every value of one vocabulary, retired ones included, with how many resources use each.
pub async fn list_terms(state: &AppState, vocabulary: Vocabulary) -> ApiResult<Vec<AdminTermJson>> {
    let mut conn = state.pool.get().await?;
    let used = queries::usage_counts(&mut conn, vocabulary).await?;
    let terms = queries::list(&mut conn, Some(vocabulary), true).await?;
    Ok(terms
        .into_iter()
        .map(|t| {
            let count = used.get(&t.id).copied().unwrap_or(0);
            AdminTermJson::new(t, count)
        })
        .collect())
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

/// Adds a value (its slug from the label unless given), at the end or at `position`.
pub async fn create_term(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    vocabulary: Vocabulary,
    body: CreateTerm,
) -> ApiResult<AdminTermJson> {
    let slug = body.slug.clone().unwrap_or_else(|| slug::slugify(&body.label));
    if !slug::is_valid(&slug) {
        return Err(ApiError::invalid(
            "label",
            FieldCode::InvalidSlug,
            "must contain letters or digits to make a slug from",
        ));
    }
    let mut conn = state.pool.get().await?;
    let term = conn
        .transaction::<_, ApiError, _>(async |conn| {
            if queries::find(conn, vocabulary, &slug).await?.is_some() {
                return Err(ApiError::refused(
                    ProblemType::SlugTaken,
                    format!("{} already has a value with the slug `{slug}`", vocabulary.key()),
                ));
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
            audit::record(conn, audit_entry("taxonomy.add", vocabulary, &slug, admin.id, request_id, details)).await?;
            Ok(term)
        })
        .await?;
    state.index.taxonomy_changed().await;
    Ok(AdminTermJson::new(term, 0))
}

async fn find_term(conn: &mut AsyncPgConnection, vocabulary: Vocabulary, slug: &str) -> ApiResult<Term> {
    queries::find(conn, vocabulary, slug).await?.ok_or_else(|| ApiError::not_found("vocabulary value"))
}

/// Relabels, redescribes or moves a value (the others shift); with how many resources use it.
pub async fn update_term(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    vocabulary: Vocabulary,
    slug: &str,
    body: UpdateTerm,
) -> ApiResult<AdminTermJson> {
    let mut conn = state.pool.get().await?;
    let (term, used) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find_term(conn, vocabulary, slug).await?;
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
            audit::record(conn, audit_entry("taxonomy.update", vocabulary, slug, admin.id, request_id, details))
                .await?;
            let used = queries::usage(conn, &term).await?;
            Ok((term, used))
        })
        .await?;
    state.index.taxonomy_changed().await;
    Ok(AdminTermJson::new(term, used))
}

/// Retires a value (again: nothing happens); 409 while any resource uses it.
pub async fn retire_term(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    vocabulary: Vocabulary,
    slug: &str,
) -> ApiResult<()> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let term = find_term(conn, vocabulary, slug).await?;
        if term.retired_at.is_some() {
            return Ok(());
        }
        queries::lock(conn, term.id).await?;
        let used = queries::usage(conn, &term).await?;
        if used > 0 {
            let plural = if used == 1 { "resource uses" } else { "resources use" };
            return Err(ApiError::refused(
                ProblemType::ValueInUse,
                format!("`{slug}` cannot be retired: {used} {plural} it"),
            ));
        }
        queries::retire(conn, term.id).await?;
        audit::record(conn, audit_entry("taxonomy.retire", vocabulary, slug, admin.id, request_id, json!({})))
            .await
            .map_err(ApiError::from)
    })
    .await?;
    state.index.taxonomy_changed().await;
    Ok(())
}
