//! `POST /champion-nominations` and the nominee's consent for visitors; the editors' queue under
//! `/admin/champion-nominations`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest};
use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::nominations_json;
use crate::audit::{self, NewAuditEntry};
use crate::auth::Staff;
use crate::champions::json::{
    ApproveNomination, ConsentAnswer, ConsentRecorded, NominationInput, NominationJson, NominationListQuery,
    NominationReceipt, NominationStatus, NomineeConsent,
};
use crate::champions::model::{NewChampion, NewNomination, NominationRow};
use crate::champions::queries;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::{Begin, PageRequest, Paginated, PublicPost, Stored, TokenPost, ValidJson, ValidQuery};
use crate::forms::{is_robot, new_token, token_hash};
use crate::jobs::outbox::{self, Message};
use crate::middleware::RequestId;
use crate::resources::queries as resources;
use crate::state::AppState;
use crate::suggestions::json::Reason;
use crate::taxonomy::json::Vocabulary;
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
        .ok_or_else(|| ApiError::invalid(field, "unknown_value", "is not an active Health Profession slug"))
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

/// Nominate someone (or yourself) for the Champion Spotlight.
///
/// Answers 201 with status `pending`. The nominee (on a self-nomination too) is emailed a link to
/// agree to be featured or decline: only that answer is consent (`consent_to_feature` is the
/// submitter's statement), and nothing about them is published until they agree. Limited per
/// client IP; send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "forms",
    request_body = NominationInput,
    params(IdempotencyHeader),
    responses(
        (status = 201, description = "Received; waiting for the editors", body = NominationReceipt, headers(("Location" = String))),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations")]
pub async fn nominate(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: PublicPost,
    ValidJson(input): ValidJson<NominationInput>,
) -> ApiResult<Stored> {
    let mut missing = Vec::new();
    if !input.self_nomination {
        for (field, value) in [("nominator_email", &input.nominator_email), ("nominator_name", &input.nominator_name)] {
            if value.is_none() {
                missing.push(FieldError::new(field, "required", "is required unless self_nomination is true"));
            }
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::Validation(missing));
    }
    if is_robot(&input.website) {
        return Ok(receipt(Uuid::now_v7(), Utc::now()));
    }
    let mut conn = state.pool.get().await?;
    let claim = match post.begin(&mut conn, &req).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let website = &state.config.website_url;
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
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
                    nominator_email: if input.self_nomination {
                        None
                    } else {
                        nominator_email.as_ref().map(AsRef::as_ref)
                    },
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
        .await;
    let result = claim.settle(&mut conn, result).await;
    state.outbox_wake.notify_one();
    result
}

/// The nominee's answer: agree to be featured, or decline.
///
/// Takes the token from the message the nominee was sent (valid for 30 days). Declining after a
/// spotlight was published unpublishes it. Limited per client address
/// (`RATE_LIMIT_TOKENS_PER_MINUTE`), like every use of a token.
#[utoipa::path(
    tag = "forms",
    request_body = ConsentAnswer,
    params(IdempotencyHeader),
    responses(
        (status = 200, description = "The answer was recorded", body = ConsentRecorded),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations/consent")]
pub async fn answer_consent(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: TokenPost,
    ValidJson(input): ValidJson<ConsentAnswer>,
) -> ApiResult<Stored> {
    let mut conn = state.pool.get().await?;
    let claim = match post.begin(&mut conn, &req).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = queries::lock_by_consent_token(conn, &token_hash(&input.token))
                .await?
                .ok_or_else(|| ApiError::invalid("token", "invalid_token", "is not a valid consent link"))?;
            let asked = row.consent_requested_at.unwrap_or(row.created_at);
            if asked + Duration::days(CONSENT_TTL_DAYS) < Utc::now() {
                return Err(ApiError::invalid(
                    "token",
                    "expired_token",
                    "the consent link has expired; write to the Alliance to be asked again",
                ));
            }
            let consent = if input.consent { NomineeConsent::Given } else { NomineeConsent::Declined };
            queries::set_consent(conn, row.id, consent).await?;
            if !input.consent {
                super::spotlights::withdraw(conn, row.id).await?;
            }
            let answer = Stored::new(StatusCode::OK, &ConsentRecorded { nominee_consent: consent }, None);
            claim.store(conn, &answer).await?;
            Ok(answer)
        })
        .await;
    claim.settle(&mut conn, result).await
}

/// The nominations queue, newest first.
#[utoipa::path(
    tag = "admin",
    params(NominationListQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of nominations", body = Paginated<NominationJson>, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/champion-nominations")]
pub async fn list(
    state: web::Data<AppState>,
    _staff: Staff,
    ValidQuery(query): ValidQuery<NominationListQuery>,
) -> ApiResult<Paginated<NominationJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let (rows, total) = queries::list_nominations(&mut conn, query.status, page).await?;
    Ok(Paginated::new(nominations_json(&mut conn, rows).await?, total, page))
}

async fn one(conn: &mut AsyncPgConnection, row: NominationRow) -> ApiResult<web::Json<NominationJson>> {
    Ok(web::Json(nominations_json(conn, vec![row]).await?.remove(0)))
}

/// One nomination.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The nomination", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/champion-nominations/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _staff: Staff,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<NominationJson>> {
    let mut conn = state.pool.get().await?;
    let row = queries::find_nomination(&mut conn, *id).await?.ok_or_else(|| ApiError::not_found("nomination"))?;
    one(&mut conn, row).await
}

async fn pending(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<NominationRow> {
    let row = queries::lock_nomination(conn, id).await?.ok_or_else(|| ApiError::not_found("nomination"))?;
    if row.status != NominationStatus::Pending {
        return Err(ApiError::Conflict(format!("the nomination was already {}", row.status.as_str())));
    }
    Ok(row)
}

/// Why a nomination cannot be published yet, if it cannot.
fn consent_problem(row: &NominationRow) -> Option<String> {
    match row.nominee_consent {
        NomineeConsent::Given => None,
        NomineeConsent::Declined => Some("the nominee declined to be featured".into()),
        NomineeConsent::Requested => Some(format!(
            "the nominee has not yet agreed to be featured: the consent request emailed on {} is unanswered \
             (POST /api/v1/admin/champion-nominations/{}/consent-request sends a new link)",
            row.consent_requested_at.unwrap_or(row.created_at).format("%Y-%m-%d"),
            row.id
        )),
        NomineeConsent::Unconfirmed => Some(format!(
            "the nominee's consent was only stated on the form and never confirmed by the nominee; \
             POST /api/v1/admin/champion-nominations/{}/consent-request emails them the question",
            row.id
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

/// Approve: publishes a Champion Spotlight made from the nomination (409 without the nominee's consent, saying why).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    request_body = ApproveNomination,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Approved; `champion` is the published spotlight", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<ApproveNomination>,
) -> ApiResult<web::Json<NominationJson>> {
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = pending(conn, id).await?;
            if let Some(why) = consent_problem(&row) {
                return Err(ApiError::Conflict(why));
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
                    &staff,
                    "champion_nomination.approve",
                    "champion_nomination",
                    id,
                    &request_id,
                    json!({ "champion_id": champion.id, "slug": slug }),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    one(&mut conn, row).await
}

/// Reject, with the reason (kept for the editors, never published).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    request_body = Reason,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Rejected", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/champion-nominations/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
    ValidJson(body): ValidJson<Reason>,
) -> ApiResult<web::Json<NominationJson>> {
    let id = id.into_inner();
    let reason = body.reason.as_str();
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            pending(conn, id).await?;
            let row = queries::decide(conn, id, NominationStatus::Rejected, Some(reason), Some(staff.id)).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    &staff,
                    "champion_nomination.reject",
                    "champion_nomination",
                    id,
                    &request_id,
                    json!({ "reason": reason }),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    one(&mut conn, row).await
}

/// Email the nominee (again) the link to agree to be featured or decline.
///
/// For a pending nomination whose consent is `unconfirmed` (only a form claimed it) or `requested`
/// (unanswered, perhaps expired): a new link replaces the old one, valid for 30 days. A nominee who
/// already answered is not asked again (409), nor one whose address was erased (409).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Sent; `nominee_consent` is `requested`", body = NominationJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/champion-nominations/{id}/consent-request")]
pub async fn request_consent(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<NominationJson>> {
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let website = &state.config.website_url;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = pending(conn, id).await?;
            match row.nominee_consent {
                NomineeConsent::Given => return Err(ApiError::Conflict("the nominee already agreed".into())),
                NomineeConsent::Declined => {
                    return Err(ApiError::Conflict("the nominee declined; they are not asked again".into()))
                }
                NomineeConsent::Requested | NomineeConsent::Unconfirmed => {}
            }
            let Some(email) = row.nominee_email.clone() else {
                return Err(ApiError::Conflict("the nominee's address was erased; they cannot be asked".into()));
            };
            let (token, hash) = new_token();
            let row = queries::request_consent(conn, id, &hash).await?;
            outbox::enqueue(conn, &state.data_key, consent_request(website, &row, &email, &token)).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    &staff,
                    "champion_nomination.consent_request",
                    "champion_nomination",
                    id,
                    &request_id,
                    json!({}),
                ),
            )
            .await?;
            Ok(row)
        })
        .await?;
    state.outbox_wake.notify_one();
    one(&mut conn, row).await
}
