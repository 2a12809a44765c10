//! The rules of nominations and spotlights: consent comes only from the nominee's mailbox (a link
//! that works for `CONSENT_TTL_DAYS`), nothing about a nominee is published until they agree, a
//! withdrawn consent unpublishes at once, a decided nomination is not decided again; each staff
//! change audited in its transaction.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    AdminChampionJson, ApproveNomination, ChampionJson, ChampionRef, ChampionStatus, ConsentAnswer, ConsentRecorded,
    NominationInput, NominationJson, NominationListQuery, NominationReceipt, NominationStatus, NomineeConsent,
    UpdateChampion,
};
use super::model::{ChampionChanges, ChampionRow, NewChampion, NewNomination, NominationRow};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::error::{ApiError, ApiResult, FieldCode, ProblemType};
use crate::extract::idempotency::Claim;
use crate::extract::{Idempotency, PageRequest, Paginated, Stored};
use crate::forms::{is_robot, new_token, token_hash};
use crate::jobs::outbox::{self, Message};
use crate::middleware::RequestId;
use crate::resources::queries as resources;
use crate::state::AppState;
use crate::taxonomy::json::{TermRef, Vocabulary};
use crate::values::slug::candidates;
use crate::values::{Email, Slug};

/// How long the link that asks a nominee for consent works.
pub const CONSENT_TTL_DAYS: i64 = 30;

fn receipt(id: Uuid, created_at: DateTime<Utc>) -> Stored {
    Stored::new(
        StatusCode::CREATED,
        &NominationReceipt { id, status: NominationStatus::Pending, created_at },
        Some(format!("/api/v1/admin/champion-nominations/{id}")),
    )
}

/// The id of an active Health Profession, or a 422 naming `field`.
pub async fn profession_id(conn: &mut AsyncPgConnection, field: &str, slug: &str) -> ApiResult<i32> {
    resources::resolve_for_write(conn, Vocabulary::Professions, &[slug.to_string()]).await?[0]
        .ok_or_else(|| ApiError::invalid(field, FieldCode::UnknownValue, "is not an active Health Profession slug"))
}

fn consent_request(website: &str, row: &NominationRow, email: &str, token: &str) -> Message {
    let how = if row.self_nomination {
        "We received a nomination of you, made in your name, for the Social Mission Alliance's Champion Spotlight"
    } else {
        "You have been nominated for the Social Mission Alliance's Champion Spotlight"
    };
    let body = format!(
        "Hello {name},\n\n\
         {how}, which celebrates people who advance health equity in health professions education.\n\n\
         Nothing about you is published without your agreement. To agree to be featured, or to decline, open:\n\n\
         {website}/champions/consent?token={token}\n\n\
         The link works for {CONSENT_TTL_DAYS} days. If you do nothing, nothing about you is published.\n\n\
         The Social Mission Alliance\n",
        name = row.nominee_name
    );
    Message {
        kind: "champion.consent_request",
        to: email.to_string(),
        subject: "You have been nominated as a Social Mission Champion".into(),
        body,
        headers: Vec::new(),
    }
}

/// The check before anything is stored: a robot (the hidden field filled) gets a success-shaped
/// answer. (The nominator's fields, required unless it is a self-nomination, are checked by the
/// input's rules, so a form hears of them with its other errors.)
pub fn screen(input: &NominationInput) -> ApiResult<Option<Stored>> {
    Ok(is_robot(&input.website).then(|| receipt(Uuid::now_v7(), Utc::now())))
}

/// A nomination, in one transaction with its stored answer and the consent question emailed to
/// the nominee.
/// Receives a nomination once per `Idempotency-Key` (robots get a success-shaped answer and
/// nothing is stored); the nominee's consent question leaves through the outbox.
pub async fn nominate(state: &AppState, post: &Idempotency, input: &NominationInput) -> ApiResult<Stored> {
    if let Some(answer) = screen(input)? {
        return Ok(answer);
    }
    let mut conn = state.pool.get().await?;
    let result = post.once(&mut conn, async |conn, claim| record_nomination(state, conn, claim, input).await).await;
    state.outbox_wake.notify_one();
    result
}

async fn record_nomination(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    claim: &Claim,
    input: &NominationInput,
) -> ApiResult<Stored> {
    let website = &state.config.website_url;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let profession_id = profession_id(conn, "nominee_profession", &input.nominee_profession).await?;
        let email = Email::from_field(&input.nominee_email, "nominee_email")?;
        let nominator_email =
            input.nominator_email.as_deref().map(|e| Email::from_field(e, "nominator_email")).transpose()?;
        // Whatever the form says, consent comes only from the nominee's mailbox.
        let (token, hash) = new_token();
        let row = queries::insert_nomination(
            conn,
            &NewNomination {
                id: Uuid::now_v7(),
                nominee_name: &input.nominee_name,
                nominee_role: &input.nominee_role,
                nominee_institution: &input.nominee_institution,
                profession_id,
                nominee_email: email.as_ref(),
                health_equity_work: &input.health_equity_work,
                self_nomination: input.self_nomination,
                nominator_name: if input.self_nomination { None } else { input.nominator_name.as_deref() },
                nominator_email: if input.self_nomination { None } else { nominator_email.as_ref().map(AsRef::as_ref) },
                consent_to_feature: input.consent_to_feature,
                nominee_consent: NomineeConsent::Requested,
                consent_token_hash: Some(hash),
                consent_requested_at: Some(Utc::now()),
            },
        )
        .await?;
        outbox::enqueue(conn, &state.data_key, consent_request(website, &row, email.as_ref(), &token)).await?;
        let answer = receipt(row.id, row.created_at);
        claim.store(conn, &answer).await?;
        Ok(answer)
    })
    .await
}

/// The nominee's answer through their link (422 when the link is invalid or expired); declining
/// unpublishes a spotlight made from the nomination.
/// Records the nominee's answer once per `Idempotency-Key`.
pub async fn answer_consent(state: &AppState, post: &Idempotency, input: &ConsentAnswer) -> ApiResult<Stored> {
    let mut conn = state.pool.get().await?;
    post.once(&mut conn, async |conn, claim| record_consent(conn, claim, input).await).await
}

async fn record_consent(conn: &mut AsyncPgConnection, claim: &Claim, input: &ConsentAnswer) -> ApiResult<Stored> {
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = queries::lock_by_consent_token(conn, &token_hash(&input.token))
            .await?
            .ok_or_else(|| ApiError::invalid("token", FieldCode::InvalidToken, "is not a valid consent link"))?;
        let asked = row.consent_requested_at.unwrap_or(row.created_at);
        if asked + Duration::days(CONSENT_TTL_DAYS) < Utc::now() {
            return Err(ApiError::invalid(
                "token",
                FieldCode::ExpiredToken,
                "the consent link has expired; write to the Alliance to be asked again",
            ));
        }
        let consent = if input.consent { NomineeConsent::Given } else { NomineeConsent::Declined };
        queries::set_consent(conn, row.id, consent).await?;
        if !input.consent {
            // A nominee who withdraws consent is unpublished at once.
            queries::unpublish_by_nomination(conn, row.id).await?;
        }
        let answer = Stored::new(StatusCode::OK, &ConsentRecorded { nominee_consent: consent }, None);
        claim.store(conn, &answer).await?;
        Ok(answer)
    })
    .await
}

fn unknown_term() -> TermRef {
    TermRef { slug: String::new(), label: String::new() }
}

fn profession(terms: &HashMap<i32, TermRef>, id: i32) -> TermRef {
    terms.get(&id).cloned().unwrap_or_else(unknown_term)
}

/// Nominations as editors see them: with their professions and the spotlights made from them.
pub async fn nominations_json(
    conn: &mut AsyncPgConnection,
    rows: Vec<NominationRow>,
) -> ApiResult<Vec<NominationJson>> {
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let mut champions = queries::champions_of(conn, &ids).await?;
    let terms = queries::terms(conn, &rows.iter().map(|r| r.profession_id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let champion = champions.remove(&r.id).map(|(id, slug)| ChampionRef { id, slug });
            let profession = profession(&terms, r.profession_id);
            NominationJson::new(r, profession, champion)
        })
        .collect())
}

/// Spotlights as editors see them, with their professions.
pub async fn champions_json(conn: &mut AsyncPgConnection, rows: Vec<ChampionRow>) -> ApiResult<Vec<AdminChampionJson>> {
    let terms = queries::terms(conn, &rows.iter().map(|r| r.profession_id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let profession = profession(&terms, r.profession_id);
            AdminChampionJson::new(r, profession)
        })
        .collect())
}

async fn nomination_json(conn: &mut AsyncPgConnection, row: NominationRow) -> ApiResult<NominationJson> {
    Ok(nominations_json(conn, vec![row]).await?.remove(0))
}

async fn champion_json(conn: &mut AsyncPgConnection, row: ChampionRow) -> ApiResult<AdminChampionJson> {
    Ok(champions_json(conn, vec![row]).await?.remove(0))
}

/// The nominations queue, newest first.
pub async fn list_nominations(state: &AppState, query: &NominationListQuery) -> ApiResult<Paginated<NominationJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list_nominations(&mut conn, query.status, page).await?;
    Ok(Paginated::new(nominations_json(&mut conn, rows).await?, total, page))
}

pub async fn get_nomination(state: &AppState, id: Uuid) -> ApiResult<NominationJson> {
    let mut conn = state.pool.get().await?;
    let row = queries::find_nomination(&mut conn, id).await?.ok_or_else(|| ApiError::not_found("nomination"))?;
    nomination_json(&mut conn, row).await
}

/// The nomination, locked, if it is still pending (409 when it was decided).
async fn pending(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<NominationRow> {
    let row = queries::lock_nomination(conn, id).await?.ok_or_else(|| ApiError::not_found("nomination"))?;
    if row.status != NominationStatus::Pending {
        return Err(ApiError::refused(
            ProblemType::AlreadyDecided,
            format!("the nomination was already {}", row.status.as_str()),
        ));
    }
    Ok(row)
}

/// Why a nomination cannot be published yet, if it cannot.
fn consent_problem(row: &NominationRow) -> Option<ApiError> {
    match row.nominee_consent {
        NomineeConsent::Given => None,
        NomineeConsent::Declined => {
            Some(ApiError::refused(ProblemType::NomineeDeclined, "the nominee declined to be featured"))
        }
        NomineeConsent::Requested => Some(ApiError::refused(
            ProblemType::ConsentPending,
            format!(
                "the nominee has not yet agreed to be featured: the consent request emailed on {} is unanswered \
             (POST /api/v1/admin/champion-nominations/{}/consent-request sends a new link)",
                row.consent_requested_at.unwrap_or(row.created_at).format("%Y-%m-%d"),
                row.id
            ),
        )),
        NomineeConsent::Unconfirmed => Some(ApiError::refused(
            ProblemType::ConsentPending,
            format!(
                "the nominee's consent was only stated on the form and never confirmed by the nominee; \
             POST /api/v1/admin/champion-nominations/{}/consent-request emails them the question",
                row.id
            ),
        )),
    }
}

/// A free spotlight slug made from the name.
async fn free_slug(conn: &mut AsyncPgConnection, name: &str) -> ApiResult<Slug> {
    for candidate in candidates(name, "champion") {
        if !queries::slug_taken(conn, &candidate).await? {
            return Ok(candidate);
        }
    }
    unreachable!("some suffix is always free")
}

/// Approves a pending nomination the nominee agreed to, publishing a spotlight made from it.
pub async fn approve(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    body: &ApproveNomination,
) -> ApiResult<NominationJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = pending(conn, id).await?;
            if let Some(refusal) = consent_problem(&row) {
                return Err(refusal);
            }
            let slug = free_slug(conn, &row.nominee_name).await?;
            let champion = queries::insert_champion(
                conn,
                &NewChampion {
                    id: Uuid::now_v7(),
                    nomination_id: id,
                    slug: &slug,
                    name: &row.nominee_name,
                    role: &row.nominee_role,
                    institution: &row.nominee_institution,
                    profession_id: row.profession_id,
                    story: body.story.as_deref().unwrap_or(&row.health_equity_work),
                    photo_url: body.photo_url.as_deref(),
                },
            )
            .await?;
            let row = queries::decide(conn, id, NominationStatus::Approved, None, Some(staff.id)).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    staff,
                    "champion_nomination.approve",
                    "champion_nomination",
                    id,
                    request_id,
                    json!({ "champion_id": champion.id, "slug": slug }),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    nomination_json(&mut conn, row).await
}

/// Rejects a pending nomination, keeping the reason for the editors.
pub async fn reject(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    reason: &str,
) -> ApiResult<NominationJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            pending(conn, id).await?;
            let row = queries::decide(conn, id, NominationStatus::Rejected, Some(reason), Some(staff.id)).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    staff,
                    "champion_nomination.reject",
                    "champion_nomination",
                    id,
                    request_id,
                    json!({ "reason": reason }),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    nomination_json(&mut conn, row).await
}

/// Emails the nominee of a pending nomination (again) the link to agree or decline; never one
/// who already answered or whose address was erased (409).
pub async fn request_consent(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
) -> ApiResult<NominationJson> {
    let mut conn = state.pool.get().await?;
    let website = &state.config.website_url;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = pending(conn, id).await?;
            match row.nominee_consent {
                NomineeConsent::Given => {
                    return Err(ApiError::refused(ProblemType::NomineeAgreed, "the nominee already agreed"))
                }
                NomineeConsent::Declined => {
                    return Err(ApiError::refused(
                        ProblemType::NomineeDeclined,
                        "the nominee declined; they are not asked again",
                    ))
                }
                NomineeConsent::Requested | NomineeConsent::Unconfirmed => {}
            }
            let Some(email) = row.nominee_email.clone() else {
                return Err(ApiError::refused(
                    ProblemType::NomineeAddressErased,
                    "the nominee's address was erased; they cannot be asked",
                ));
            };
            let (token, hash) = new_token();
            let row = queries::request_consent(conn, id, &hash).await?;
            outbox::enqueue(conn, &state.data_key, consent_request(website, &row, &email, &token)).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    staff,
                    "champion_nomination.consent_request",
                    "champion_nomination",
                    id,
                    request_id,
                    json!({}),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    state.outbox_wake.notify_one();
    nomination_json(&mut conn, row).await
}

/// A page of the published spotlights, most recent first, and how many there are.
pub async fn list_champions(state: &AppState, page: PageRequest) -> ApiResult<(Vec<ChampionJson>, i64)> {
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list_champions(&mut conn, Some(ChampionStatus::Published), page).await?;
    Ok((champions_json(&mut conn, rows).await?.into_iter().map(|c| c.champion).collect(), total))
}

/// One published spotlight.
pub async fn get_champion(state: &AppState, slug: &str) -> ApiResult<ChampionJson> {
    let mut conn = state.pool.get().await?;
    let row = queries::published_by_slug(&mut conn, slug).await?.ok_or_else(|| ApiError::not_found("champion"))?;
    Ok(champion_json(&mut conn, row).await?.champion)
}

/// Every spotlight (of one status), most recent first.
pub async fn list_admin_champions(
    state: &AppState,
    page: PageRequest,
    status: Option<ChampionStatus>,
) -> ApiResult<Paginated<AdminChampionJson>> {
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list_champions(&mut conn, status, page).await?;
    Ok(Paginated::new(champions_json(&mut conn, rows).await?, total, page))
}

async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<ChampionRow> {
    queries::find_champion(conn, id).await?.ok_or_else(|| ApiError::not_found("champion"))
}

pub async fn get_admin_champion(state: &AppState, id: Uuid) -> ApiResult<AdminChampionJson> {
    let mut conn = state.pool.get().await?;
    let row = find(&mut conn, id).await?;
    champion_json(&mut conn, row).await
}

/// Edits a spotlight and perhaps (un)publishes it; publishing needs the nominee's consent (409).
async fn change(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    action: &'static str,
    body: UpdateChampion,
    status: Option<ChampionStatus>,
) -> ApiResult<AdminChampionJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let before = find(conn, id).await?;
            if status == Some(ChampionStatus::Published) && before.name == crate::values::ERASED {
                // The person asked to be erased: their emptied spotlight is never shown again.
                return Err(ApiError::refused(
                    ProblemType::ConsentWithdrawn,
                    "the person of this spotlight was erased; it cannot be published",
                ));
            }
            if status == Some(ChampionStatus::Published) {
                if let Some(nomination) = before.nomination_id {
                    let n = queries::find_nomination(conn, nomination).await?;
                    if n.is_some_and(|n| n.nominee_consent != NomineeConsent::Given) {
                        return Err(ApiError::refused(
                            ProblemType::ConsentWithdrawn,
                            "the nominee withdrew their consent to be featured",
                        ));
                    }
                }
            }
            let profession_id = match &body.profession {
                Some(slug) => Some(profession_id(conn, "profession", slug).await?),
                None => None,
            };
            let changes = ChampionChanges {
                name: body.name.clone(),
                role: body.role.clone(),
                institution: body.institution.clone(),
                profession_id,
                story: body.story.clone(),
                photo_url: body.photo_url.clone(),
                published_on: body.published_on,
                status,
                updated_at: Some(Utc::now()),
            };
            let row = queries::update_champion(conn, id, &changes).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    staff,
                    action,
                    "champion",
                    id,
                    request_id,
                    json!({ "from": before.status, "to": row.status, "fields": body_fields(&body) }),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    champion_json(&mut conn, row).await
}

/// The names of the fields an edit sent (the audit log keeps which, not the texts).
fn body_fields(body: &UpdateChampion) -> Vec<&'static str> {
    [
        ("name", body.name.is_some()),
        ("role", body.role.is_some()),
        ("institution", body.institution.is_some()),
        ("profession", body.profession.is_some()),
        ("story", body.story.is_some()),
        ("photo_url", body.photo_url.is_some()),
        ("published_on", body.published_on.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, sent)| sent.then_some(name))
    .collect()
}

pub async fn update_champion(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    body: UpdateChampion,
) -> ApiResult<AdminChampionJson> {
    change(state, staff, request_id, id, "champion.update", body, None).await
}

pub async fn publish_champion(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
) -> ApiResult<AdminChampionJson> {
    let body = UpdateChampion::default();
    change(state, staff, request_id, id, "champion.publish", body, Some(ChampionStatus::Published)).await
}

pub async fn unpublish_champion(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
) -> ApiResult<AdminChampionJson> {
    let body = UpdateChampion::default();
    change(state, staff, request_id, id, "champion.unpublish", body, Some(ChampionStatus::Unpublished)).await
}
