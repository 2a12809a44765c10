//! Suggestions' rules: a suggestion is received once (idempotently, robots answered as if they
//! were not), listed with its possible duplicates, and decided once: accepting makes a draft
//! resource of it (through the library's service and queries), rejecting keeps the reason; either
//! way the submitter is told by email when they agreed to be contacted.

use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    AcceptSuggestion, SuggestionInput, SuggestionJson, SuggestionListQuery, SuggestionReceipt, SuggestionStatus,
};
use super::model::{NewSuggestion, SuggestionRow};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::crypto::DataKey;
use crate::error::{ApiError, ApiResult, FieldCode, ProblemType};
use crate::extract::{Begin, Idempotency, PageRequest, Paginated, Stored};
use crate::forms::is_robot;
use crate::jobs::outbox::{self, Message};
use crate::middleware::RequestId;
use crate::resources::model::ResourceFields;
use crate::resources::queries as resources;
use crate::resources::service::{free_slug, resolve_links};
use crate::state::AppState;
use crate::taxonomy::json::Vocabulary;
use crate::values::Email;

fn receipt(id: Uuid, created_at: DateTime<Utc>) -> Stored {
    Stored::new(
        StatusCode::CREATED,
        &SuggestionReceipt { id, status: SuggestionStatus::Pending, created_at },
        Some(format!("/api/v1/admin/suggestions/{id}")),
    )
}

/// Receives a suggestion (pending), or replays the answer to an earlier request with the same
/// `Idempotency-Key`.
pub async fn submit(state: &AppState, post: &Idempotency, input: SuggestionInput) -> ApiResult<Stored> {
    if is_robot(&input.website) {
        return Ok(receipt(Uuid::now_v7(), Utc::now()));
    }
    let mut conn = state.pool.get().await?;
    let claim = match post.begin(&mut conn).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            resolve_links(conn, &input.domains, &input.topics, &input.professions)
                .await?
                .map_err(ApiError::Validation)?;
            let email = Email::from_field(&input.submitter_email, "submitter_email")?;
            let row = queries::insert(
                conn,
                &NewSuggestion {
                    id: Uuid::now_v7(),
                    title: &input.title,
                    url: &input.url,
                    why: &input.why,
                    domains: &input.domains,
                    topics: &input.topics,
                    professions: &input.professions,
                    submitter_name: &input.submitter_name,
                    submitter_email: email.as_ref(),
                    consent_to_contact: input.consent_to_contact,
                },
            )
            .await?;
            let answer = receipt(row.id, row.created_at);
            claim.store(conn, &answer).await?;
            Ok(answer)
        })
        .await;
    claim.settle(&mut conn, result).await
}

async fn with_duplicates(conn: &mut AsyncPgConnection, rows: Vec<SuggestionRow>) -> ApiResult<Vec<SuggestionJson>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut duplicates = queries::duplicates(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let found = duplicates.iter().position(|d| d.suggestion_id == row.id).map(|i| duplicates.swap_remove(i));
            SuggestionJson::new(row, found)
        })
        .collect())
}

/// The queue, newest first, filtered by status.
pub async fn list(state: &AppState, query: &SuggestionListQuery) -> ApiResult<Paginated<SuggestionJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list(&mut conn, query.status, page).await?;
    Ok(Paginated::new(with_duplicates(&mut conn, rows).await?, total, page))
}

async fn one(conn: &mut AsyncPgConnection, row: SuggestionRow) -> ApiResult<SuggestionJson> {
    Ok(with_duplicates(conn, vec![row]).await?.remove(0))
}

/// One suggestion.
pub async fn get(state: &AppState, id: Uuid) -> ApiResult<SuggestionJson> {
    let mut conn = state.pool.get().await?;
    let row = queries::find(&mut conn, id).await?.ok_or_else(|| ApiError::not_found("suggestion"))?;
    one(&mut conn, row).await
}

/// The pending suggestion, locked for a decision.
async fn pending(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<SuggestionRow> {
    let row = queries::lock(conn, id).await?.ok_or_else(|| ApiError::not_found("suggestion"))?;
    if row.status != SuggestionStatus::Pending {
        return Err(ApiError::refused(
            ProblemType::AlreadyDecided,
            format!("the suggestion was already {}", row.status.as_str()),
        ));
    }
    Ok(row)
}

/// The decision, emailed when the submitter agreed to be contacted.
async fn notify(conn: &mut AsyncPgConnection, key: &DataKey, row: &SuggestionRow) -> ApiResult<()> {
    let (Some(email), true) = (&row.submitter_email, row.consent_to_contact) else { return Ok(()) };
    let hello = row.submitter_name.as_deref().map_or("Hello,".to_string(), |n| format!("Hello {n},"));
    let decision = match &row.decision_reason {
        None => "Our editors have accepted it: it will appear in the Social Mission Resource Library once it has been prepared.".to_string(),
        Some(reason) => format!("Our editors have decided not to add it to the library this time. Their reason:\n\n{reason}"),
    };
    let body = format!(
        "{hello}\n\nThank you for suggesting \"{}\" ({}).\n\n{decision}\n\nThank you for helping us grow the library.\n\nThe Social Mission Alliance\n",
        row.title, row.url
    );
    outbox::enqueue(
        conn,
        key,
        Message {
            kind: "suggestion.decision",
            to: email.clone(),
            subject: "Your suggestion for the Social Mission Resource Library".into(),
            body,
            headers: Vec::new(),
        },
    )
    .await?;
    Ok(())
}

/// Accepts a pending suggestion: a draft resource of the given type is made from it (title,
/// URL, the domains, topics and professions that are still active), linked both ways.
pub async fn accept(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    body: AcceptSuggestion,
) -> ApiResult<SuggestionJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let suggestion = pending(conn, id).await?;
            let type_id =
                resources::resolve_for_write(conn, Vocabulary::Types, std::slice::from_ref(&body.resource_type))
                    .await?[0]
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "resource_type",
                            FieldCode::UnknownValue,
                            "is not an active resource type slug",
                        )
                    })?;
            // Values retired since the suggestion was sent are left out.
            let mut links = Vec::new();
            for (vocabulary, slugs) in [
                (Vocabulary::Domains, &suggestion.domains),
                (Vocabulary::Topics, &suggestion.topics),
                (Vocabulary::Professions, &suggestion.professions),
            ] {
                links.extend(resources::resolve_for_write(conn, vocabulary, slugs).await?.into_iter().flatten());
            }
            let resource_id = Uuid::now_v7();
            let slug = free_slug(conn, &suggestion.title).await?;
            let fields = ResourceFields {
                title: suggestion.title.clone(),
                summary: String::new(),
                url: Some(suggestion.url.clone()),
                resource_type_id: type_id,
                year: None,
                authors: Vec::new(),
                source: None,
                doi: None,
                open_access: false,
            };
            resources::insert(conn, resource_id, &slug, &fields).await?;
            resources::replace_links(conn, resource_id, &links).await?;
            queries::link_resource(conn, resource_id, id).await?;
            let row = queries::decide(conn, id, SuggestionStatus::Accepted, None, Some(resource_id), staff.id).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    staff,
                    "suggestion.accept",
                    "suggestion",
                    id,
                    request_id,
                    json!({ "resource_id": resource_id }),
                ),
            )
            .await?;
            notify(conn, &state.data_key, &row).await?;
            Ok(row)
        })
        .await?;
    state.outbox_wake.notify_one();
    one(&mut conn, row).await
}

/// Rejects a pending suggestion with the reason.
pub async fn reject(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    reason: &str,
) -> ApiResult<SuggestionJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            pending(conn, id).await?;
            let row = queries::decide(conn, id, SuggestionStatus::Rejected, Some(reason), None, staff.id).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    staff,
                    "suggestion.reject",
                    "suggestion",
                    id,
                    request_id,
                    json!({ "reason": reason }),
                ),
            )
            .await?;
            notify(conn, &state.data_key, &row).await?;
            Ok(row)
        })
        .await?;
    state.outbox_wake.notify_one();
    one(&mut conn, row).await
}
