//! Signup, confirmation and unsubscription for visitors; the subscriber list, export and
//! erasure for admins.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpRequest};
use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    ExportQuery, OneClickQuery, SubscribeInput, SubscriberJson, SubscriberListQuery, SubscriberStatus,
    SubscriptionAccepted, SubscriptionStatus, TokenInput,
};
use super::model::{SubscriberRow, TokenPurpose};
use super::queries;
use crate::audit::{self, NewAuditEntry};
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::extract::idempotency::{Claim, IdempotencyHeader};
use crate::extract::json::read_valid;
use crate::extract::limit::spend;
use crate::extract::respond::{Csv, NoContent};
use crate::extract::{
    Begin, Idempotency, PageRequest, Paginated, PublicPost, Stored, TokenPost, ValidJson, ValidQuery,
};
use crate::forms::{is_robot, new_token, token_hash};
use crate::jobs::outbox::{self, Message};
use crate::middleware::RequestId;
use crate::ratelimit::Policy;
use crate::state::AppState;
use crate::values::Email;

/// How long a confirmation link works.
pub const CONFIRM_TTL_DAYS: i64 = 7;
/// A repeated signup within this many seconds of the last confirmation message sends no other one.
pub const RESEND_AFTER_SECS: i64 = 60;

fn accepted() -> Stored {
    Stored::new(
        StatusCode::ACCEPTED,
        &SubscriptionAccepted {
            status: "accepted",
            detail: "If this address can receive mail, a message with a confirmation link is on its way.",
        },
        None,
    )
}

/// The double opt-in message, with its one-click unsubscribe headers (RFC 8058).
fn confirmation(state: &AppState, row: &SubscriberRow, confirm_token: &str, unsubscribe_token: &str) -> Message {
    let website = &state.config.website_url;
    let hello = row.name.as_deref().map_or("Hello,".to_string(), |n| format!("Hello {n},"));
    let body = format!(
        "{hello}\n\n\
         Please confirm that you want to receive the Social Mission Alliance newsletter by opening this link:\n\n\
         {website}/newsletter/confirm?token={confirm_token}\n\n\
         The link works for {CONFIRM_TTL_DAYS} days. If you did not ask for this, ignore this message: you will \
         not be subscribed.\n\n\
         To stop hearing from us: {website}/newsletter/unsubscribe?token={unsubscribe_token}\n\n\
         The Social Mission Alliance\n"
    );
    Message {
        kind: "newsletter.confirm",
        to: row.email.clone(),
        subject: "Confirm your subscription to the Social Mission Alliance newsletter".into(),
        body,
        headers: vec![
            (
                "List-Unsubscribe",
                format!("<{}/api/v1/newsletter/unsubscribe?token={unsubscribe_token}>", state.config.public_base_url),
            ),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into()),
        ],
    }
}

/// Subscribe to the newsletter (double opt-in).
///
/// Always 202, whatever the address's state, so the answer reveals nothing about who is
/// subscribed. A new, pending or unsubscribed address gets a confirmation message (its link works
/// for 7 days; subscribing again sends a new one, at most one a minute); concurrent repeats never
/// make a second subscriber.
#[utoipa::path(
    tag = "forms",
    request_body = SubscribeInput,
    params(IdempotencyHeader),
    responses(
        (status = 202, description = "Accepted", body = SubscriptionAccepted),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/newsletter/subscriptions")]
pub async fn subscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: PublicPost,
    ValidJson(input): ValidJson<SubscribeInput>,
) -> ApiResult<Stored> {
    if is_robot(&input.website) {
        return Ok(accepted());
    }
    let mut conn = state.pool.get().await?;
    let claim = match post.begin(&mut conn, &req).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let state_ref = state.get_ref();
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = queries::upsert_and_lock(conn, &Email::from_field(&input.email, "email")?).await?;
            let due = match row.status {
                SubscriberStatus::Subscribed => false,
                SubscriberStatus::Unsubscribed => true,
                SubscriberStatus::Pending => {
                    row.confirmation_sent_at.is_none_or(|sent| sent < Utc::now() - Duration::seconds(RESEND_AFTER_SECS))
                }
            };
            if due {
                let name = input.name.as_deref().or(row.name.as_deref());
                queries::restart(conn, row.id, name).await?;
                queries::delete_tokens(conn, row.id, TokenPurpose::Confirm).await?;
                let (confirm_token, confirm_hash) = new_token();
                let (unsubscribe_token, unsubscribe_hash) = new_token();
                let expires = Utc::now() + Duration::days(CONFIRM_TTL_DAYS);
                queries::insert_token(conn, &confirm_hash, row.id, TokenPurpose::Confirm, Some(expires)).await?;
                queries::insert_token(conn, &unsubscribe_hash, row.id, TokenPurpose::Unsubscribe, None).await?;
                let row = SubscriberRow { name: name.map(str::to_string), ..row };
                outbox::enqueue(
                    conn,
                    &state_ref.data_key,
                    confirmation(state_ref, &row, &confirm_token, &unsubscribe_token),
                )
                .await?;
            }
            let answer = accepted();
            claim.store(conn, &answer).await?;
            Ok(answer)
        })
        .await;
    let result = claim.settle(&mut conn, result).await;
    state.outbox_wake.notify_one();
    result
}

fn invalid_token(what: &str) -> ApiError {
    ApiError::invalid("token", "invalid_token", &format!("is not a valid {what} link"))
}

/// Confirm a subscription with the token from the confirmation message.
///
/// Limited per client address (`RATE_LIMIT_TOKENS_PER_MINUTE`), like every use of a token.
#[utoipa::path(
    tag = "forms",
    request_body = TokenInput,
    params(IdempotencyHeader),
    responses(
        (status = 200, description = "Subscribed", body = SubscriptionStatus),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/newsletter/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: TokenPost,
    ValidJson(input): ValidJson<TokenInput>,
) -> ApiResult<Stored> {
    let mut conn = state.pool.get().await?;
    let claim = match post.begin(&mut conn, &req).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (subscriber, expires) = queries::find_token(conn, &token_hash(&input.token), TokenPurpose::Confirm)
                .await?
                .ok_or_else(|| invalid_token("confirmation"))?;
            if expires.is_some_and(|e| e < Utc::now()) {
                return Err(ApiError::invalid(
                    "token",
                    "expired_token",
                    "the confirmation link has expired; subscribe again to get a new one",
                ));
            }
            let row = match subscriber {
                Some(id) => queries::lock(conn, id).await?,
                None => None,
            };
            let row = row.ok_or_else(|| invalid_token("confirmation"))?;
            if row.status == SubscriberStatus::Pending {
                queries::set_status(conn, row.id, SubscriberStatus::Subscribed).await?;
            }
            respond(conn, &claim, SubscriberStatus::Subscribed).await
        })
        .await;
    claim.settle(&mut conn, result).await
}

async fn respond(conn: &mut AsyncPgConnection, claim: &Claim, status: SubscriberStatus) -> ApiResult<Stored> {
    let answer = Stored::new(StatusCode::OK, &SubscriptionStatus { status }, None);
    claim.store(conn, &answer).await?;
    Ok(answer)
}

/// Unsubscribe with the token from any message.
///
/// Takes `{"token": ...}` as JSON, or works as the one-click unsubscribe of RFC 8058: a `POST`
/// to the message's `List-Unsubscribe` link (token in the query) with the form body
/// `List-Unsubscribe=One-Click`. A link from before the person was erased still answers.
///
/// The JSON form is limited per client address (`RATE_LIMIT_TOKENS_PER_MINUTE`). The one-click
/// form is not: mail providers send it from a few addresses for many people, and its 256-bit
/// token is what protects it.
#[utoipa::path(
    tag = "forms",
    request_body(content = TokenInput, description = "JSON with the token; or, for one-click, the form `List-Unsubscribe=One-Click` with the token in the query"),
    params(OneClickQuery, IdempotencyHeader),
    responses(
        (status = 200, description = "Unsubscribed", body = SubscriptionStatus),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/newsletter/unsubscribe")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: Idempotency,
    ValidQuery(query): ValidQuery<OneClickQuery>,
    payload: web::Payload,
) -> ApiResult<Stored> {
    let token = match query.token {
        Some(token) => token,
        None => {
            spend(&req, Policy::Tokens)?;
            read_valid::<TokenInput>(&req, payload.into_inner()).await?.token
        }
    };
    let mut conn = state.pool.get().await?;
    let claim = match post.begin(&mut conn, &req).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (subscriber, _) = queries::find_token(conn, &token_hash(&token), TokenPurpose::Unsubscribe)
                .await?
                .ok_or_else(|| invalid_token("unsubscribe"))?;
            // A detached token belonged to an erased person: nothing is left to unsubscribe.
            if let Some(row) = match subscriber {
                Some(id) => queries::lock(conn, id).await?,
                None => None,
            } {
                if row.status != SubscriberStatus::Unsubscribed {
                    queries::set_status(conn, row.id, SubscriberStatus::Unsubscribed).await?;
                }
                queries::delete_tokens(conn, row.id, TokenPurpose::Confirm).await?;
            }
            respond(conn, &claim, SubscriberStatus::Unsubscribed).await
        })
        .await;
    claim.settle(&mut conn, result).await
}

/// Subscribers, oldest first.
#[utoipa::path(
    tag = "admin",
    params(SubscriberListQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of subscribers", body = Paginated<SubscriberJson>, headers(("Link" = String))),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/newsletter/subscribers")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: Admin,
    ValidQuery(query): ValidQuery<SubscriberListQuery>,
) -> ApiResult<Paginated<SubscriberJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (rows, total) = queries::list(&mut *state.pool.get().await?, query.status, page).await?;
    Ok(Paginated::new(rows.into_iter().map(Into::into).collect(), total, page))
}

/// Every subscriber (of one status) as CSV (RFC 4180, UTF-8): email, name, status, consent_at,
/// confirmed_at, unsubscribed_at, created_at. Cells that a spreadsheet would read as a formula
/// are prefixed with `'`. The export is in the audit log.
#[utoipa::path(
    tag = "admin",
    params(ExportQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The subscribers", content_type = "text/csv", body = String, headers(("Content-Disposition" = String))),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/newsletter/subscribers/export")]
pub async fn export(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidQuery(query): ValidQuery<ExportQuery>,
) -> ApiResult<Csv> {
    let mut conn = state.pool.get().await?;
    let rows = queries::all(&mut conn, query.status).await?;
    let time = |t: Option<chrono::DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    let records = rows.iter().map(|r| {
        vec![
            r.email.clone(),
            r.name.clone().unwrap_or_default(),
            r.status.as_str().to_owned(),
            r.consent_at.to_rfc3339(),
            time(r.confirmed_at),
            time(r.unsubscribed_at),
            r.created_at.to_rfc3339(),
        ]
    });
    let header = ["email", "name", "status", "consent_at", "confirmed_at", "unsubscribed_at", "created_at"];
    let csv = Csv::build("newsletter-subscribers.csv", &header, records)?;
    audit::record(
        &mut conn,
        NewAuditEntry::by_staff(
            &admin,
            "newsletter.export",
            "newsletter_subscriber",
            "",
            &request_id,
            json!({ "status": query.status, "rows": rows.len() }),
        ),
    )
    .await?;
    Ok(csv)
}

/// Erase a subscriber, and with them everything stored about their address.
///
/// The complete erasure of `POST /admin/privacy/erasure`, for this subscriber's address: it
/// leaves every table, and the records the Alliance keeps (suggestions, nominations,
/// registrations, proposals, partners) stay without the person. Only the hashes of their
/// unsubscribe tokens are kept, so a link in an old message still unsubscribes (it answers and
/// changes nothing). Audited as `newsletter.erase` with the counts, never the address.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 204, description = "Erased"),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[delete("/newsletter/subscribers/{id}")]
pub async fn erase(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<NoContent> {
    let id = id.into_inner();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = queries::lock(conn, id).await?.ok_or_else(|| ApiError::not_found("subscriber"))?;
        let summary =
            crate::privacy::erase(conn, &Email::parse(&row.email).map_err(|e| ApiError::Internal(e.into()))?).await?;
        // The entry names the record and the counts, never the address.
        let details = serde_json::to_value(&summary).map_err(|e| ApiError::Internal(e.into()))?;
        audit::record(
            conn,
            NewAuditEntry::by_staff(&admin, "newsletter.erase", "newsletter_subscriber", id, &request_id, details),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(NoContent)
}
