//! The rules of the newsletter: double opt-in (a confirmation link that works for
//! `CONFIRM_TTL_DAYS`, at most one message a minute), the same answer whatever the address's
//! state, unsubscribe links that work for ever (even after an erasure), audited exports.

use actix_web::http::StatusCode;
use chrono::{Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use super::json::{
    ExportQuery, SubscribeInput, SubscriberJson, SubscriberListQuery, SubscriberStatus, SubscriptionAccepted,
    SubscriptionStatus,
};
use super::model::{SubscriberRow, TokenPurpose};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::error::{ApiError, ApiResult, FieldCode};
use crate::extract::idempotency::Claim;
use crate::extract::respond::Csv;
use crate::extract::{Idempotency, PageRequest, Paginated, Stored};
use crate::forms::{is_robot, new_token, token_hash};
use crate::jobs::outbox::{self, Message};
use crate::middleware::RequestId;
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

/// The answer to a robot (the hidden field was filled): the usual one, while nothing is stored or sent.
pub fn screen(input: &SubscribeInput) -> Option<Stored> {
    is_robot(&input.website).then(accepted)
}

/// A signup, in one transaction with its stored answer: the subscriber (pending), new links and
/// the confirmation message when one is due. Always `accepted`.
pub async fn subscribe(state: &AppState, post: &Idempotency, input: &SubscribeInput) -> ApiResult<Stored> {
    if let Some(answer) = screen(input) {
        return Ok(answer);
    }
    let mut conn = state.pool.get().await?;
    let result = post.once(&mut conn, async |conn, claim| record_signup(state, conn, claim, input).await).await;
    state.outbox_wake.notify_one();
    result
}

async fn record_signup(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    claim: &Claim,
    input: &SubscribeInput,
) -> ApiResult<Stored> {
    conn.transaction::<_, ApiError, _>(async |conn| {
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
            outbox::enqueue(conn, &state.data_key, confirmation(state, &row, &confirm_token, &unsubscribe_token))
                .await?;
        }
        let answer = accepted();
        claim.store(conn, &answer).await?;
        Ok(answer)
    })
    .await
}

fn invalid_token(what: &str) -> ApiError {
    ApiError::invalid("token", FieldCode::InvalidToken, &format!("is not a valid {what} link"))
}

async fn respond(conn: &mut AsyncPgConnection, claim: &Claim, status: SubscriberStatus) -> ApiResult<Stored> {
    let answer = Stored::new(StatusCode::OK, &SubscriptionStatus { status }, None);
    claim.store(conn, &answer).await?;
    Ok(answer)
}

/// Confirms the subscription a confirmation token was sent for (422 when invalid or expired).
pub async fn confirm(state: &AppState, post: &Idempotency, token: &str) -> ApiResult<Stored> {
    let mut conn = state.pool.get().await?;
    post.once(&mut conn, async |conn, claim| record_confirmation(conn, claim, token).await).await
}

async fn record_confirmation(conn: &mut AsyncPgConnection, claim: &Claim, token: &str) -> ApiResult<Stored> {
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (subscriber, expires) = queries::find_token(conn, &token_hash(token), TokenPurpose::Confirm)
            .await?
            .ok_or_else(|| invalid_token("confirmation"))?;
        if expires.is_some_and(|e| e < Utc::now()) {
            return Err(ApiError::invalid(
                "token",
                FieldCode::ExpiredToken,
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
        respond(conn, claim, SubscriberStatus::Subscribed).await
    })
    .await
}

/// Unsubscribes the subscriber an unsubscribe token was sent to; a token of an erased person
/// answers and changes nothing.
pub async fn unsubscribe(state: &AppState, post: &Idempotency, token: &str) -> ApiResult<Stored> {
    let mut conn = state.pool.get().await?;
    post.once(&mut conn, async |conn, claim| record_unsubscription(conn, claim, token).await).await
}

async fn record_unsubscription(conn: &mut AsyncPgConnection, claim: &Claim, token: &str) -> ApiResult<Stored> {
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (subscriber, _) = queries::find_token(conn, &token_hash(token), TokenPurpose::Unsubscribe)
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
        respond(conn, claim, SubscriberStatus::Unsubscribed).await
    })
    .await
}

/// Subscribers, oldest first.
pub async fn list(state: &AppState, query: &SubscriberListQuery) -> ApiResult<Paginated<SubscriberJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let (rows, total) = queries::list(&mut *state.pool.get().await?, query.status, page).await?;
    Ok(Paginated::new(rows.into_iter().map(Into::into).collect(), total, page))
}

/// Every subscriber (of one status) as CSV, the export audited.
pub async fn export(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    query: &ExportQuery,
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
            admin,
            "newsletter.export",
            "newsletter_subscriber",
            "",
            request_id,
            json!({ "status": query.status, "rows": rows.len() }),
        ),
    )
    .await?;
    Ok(csv)
}
