//! The rules of calls for proposals: a submission within the call's window and word limit (the
//! presenter is emailed), the staff's reviews, the moves through the review (decisions are
//! emailed) and putting an accepted proposal on the edition's agenda.

use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    ProposalDetail, ProposalInput, ProposalJson, ProposalListQuery, ProposalReceipt, ProposalStatus, ReviewInput,
    ReviewJson, ScheduleInput, ScheduledSession,
};
use super::model::{NewProposal, ProposalRow};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::editions::model::{CallRow, ConferenceRow, SessionFields};
use crate::editions::service::{load_edition, Scope};
use crate::editions::{self, time};
use crate::error::{ApiError, ApiResult, FieldCode, FieldError, ProblemType};
use crate::extract::idempotency::Idempotency;
use crate::extract::{Begin, PageRequest, Stored};
use crate::forms::is_robot;
use crate::jobs::outbox::{self, Message};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

fn receipt(slug: &str, id: Uuid, created_at: DateTime<Utc>) -> Stored {
    Stored::new(
        StatusCode::CREATED,
        &ProposalReceipt { id, status: ProposalStatus::Submitted, created_at },
        Some(format!("/api/v1/admin/conferences/{slug}/proposals/{id}")),
    )
}

/// The edition's zone; a stored name that does not parse is the service's fault.
fn zone_of(conference: &ConferenceRow) -> ApiResult<Tz> {
    time::zone(&conference.time_zone, "time_zone")
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("conference {} has an unknown time zone", conference.slug)))
}

/// An instant as the website would say it: UTC, and the wall clock of the edition.
fn moment(tz: Option<Tz>, at: DateTime<Utc>) -> String {
    let utc = at.format("%Y-%m-%dT%H:%M:%SZ");
    match tz {
        Some(tz) => format!("{utc} ({} {tz})", time::to_local(tz, at).format("%Y-%m-%d %H:%M")),
        None => utc.to_string(),
    }
}

/// Proposals are taken from `opens_at` (when set) until the deadline.
fn check_open(call: &CallRow, conference: &ConferenceRow, now: DateTime<Utc>) -> ApiResult<()> {
    let tz = zone_of(conference).ok();
    if now > call.deadline {
        return Err(ApiError::refused(
            ProblemType::CallClosed,
            format!(
                "the call \"{}\" closed at its deadline, {}; proposals are no longer taken",
                call.title,
                moment(tz, call.deadline)
            ),
        ));
    }
    if let Some(opens_at) = call.opens_at.filter(|o| now < *o) {
        return Err(ApiError::refused(
            ProblemType::CallNotOpen,
            format!(
                "the call \"{}\" opens at {}; its deadline is {}",
                call.title,
                moment(tz, opens_at),
                moment(tz, call.deadline)
            ),
        ));
    }
    Ok(())
}

fn confirmation(conference: &ConferenceRow, call: &CallRow, row: &ProposalRow, email: &str) -> Message {
    let body = format!(
        "Hello {name},\n\n\
         Thank you for your proposal \"{title}\" for {conference} ({call}).\n\n\
         We have received it. The programme committee will review every proposal after the deadline \
         and write to you at this address with its decision.\n\n\
         Authors: {authors}\n\n\
         The Social Mission Alliance\n",
        name = row.presenter_name.as_deref().unwrap_or_default(),
        title = row.title,
        conference = conference.name,
        call = call.title,
        authors = row.authors.join(", "),
    );
    Message {
        kind: "proposal.received",
        to: email.to_string(),
        subject: format!("Proposal received: \"{}\"", row.title),
        body,
        headers: Vec::new(),
    }
}

/// Submits a proposal to a call of the published edition `slug`, under the request's
/// `Idempotency-Key` if any. A robot (the hidden `website` field filled) gets a success-shaped
/// answer while nothing is stored.
pub async fn submit(
    state: &AppState,
    idempotency: &Idempotency,
    slug: &str,
    input: ProposalInput,
) -> ApiResult<Stored> {
    if is_robot(&input.website) {
        return Ok(receipt(slug, Uuid::now_v7(), Utc::now()));
    }
    let mut conn = state.pool.get().await?;
    let claim = match idempotency.begin(&mut conn).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let conference = load_edition(conn, slug, Scope::Published).await?;
            let call = editions::queries::find_call(conn, conference.id, input.call_id).await?.ok_or_else(|| {
                ApiError::invalid("call_id", FieldCode::UnknownValue, "is not a call for proposals of this conference")
            })?;
            check_open(&call, &conference, Utc::now())?;
            let words = input.abstract_.split_whitespace().count();
            if words > usize::try_from(call.word_limit).unwrap_or(0) {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "abstract",
                    FieldCode::TooManyWords,
                    format!("must be at most {} words, the call's limit (it has {words})", call.word_limit),
                )]));
            }
            let email = Email::from_field(&input.presenter_email, "presenter_email")?;
            let row = queries::insert(
                conn,
                &NewProposal {
                    id: Uuid::now_v7(),
                    conference_id: conference.id,
                    call_id: call.id,
                    title: &input.title,
                    abstract_: &input.abstract_,
                    authors: &input.authors,
                    presenter_name: &input.presenter_name,
                    presenter_email: email.as_ref(),
                    track: input.track.as_deref().unwrap_or_default(),
                },
            )
            .await?;
            outbox::enqueue(conn, &state.data_key, confirmation(&conference, &call, &row, email.as_ref())).await?;
            let answer = receipt(&conference.slug, row.id, row.created_at);
            claim.store(conn, &answer).await?;
            Ok(answer)
        })
        .await;
    let result = claim.settle(&mut conn, result).await;
    state.outbox_wake.notify_one();
    result
}

/// The rows with their review counts, average scores and sessions.
async fn with_stats(conn: &mut AsyncPgConnection, rows: Vec<ProposalRow>) -> ApiResult<Vec<ProposalJson>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut stats = queries::review_stats(conn, &ids).await?;
    let sessions = queries::sessions_of(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let found = stats.iter().position(|s| s.proposal_id == row.id).map(|i| stats.swap_remove(i));
            let session = sessions.iter().find(|(p, _)| *p == row.id).map(|(_, s)| *s);
            ProposalJson::new(row, found, session)
        })
        .collect())
}

async fn detail(conn: &mut AsyncPgConnection, row: ProposalRow) -> ApiResult<ProposalDetail> {
    let reviews = queries::reviews_of(conn, row.id).await?;
    let proposal = with_stats(conn, vec![row]).await?.remove(0);
    Ok(ProposalDetail {
        proposal,
        reviews: reviews.into_iter().map(|(row, name)| ReviewJson::new(row, name)).collect(),
    })
}

/// The edition and its proposal, locked until the transaction ends.
async fn locked(conn: &mut AsyncPgConnection, slug: &str, id: Uuid) -> ApiResult<(ConferenceRow, ProposalRow)> {
    let conference = load_edition(conn, slug, Scope::Any).await?;
    let row = queries::lock(conn, conference.id, id).await?.ok_or_else(|| ApiError::not_found("proposal"))?;
    Ok((conference, row))
}

/// The decision, emailed to the presenter.
fn decision(conference: &ConferenceRow, row: &ProposalRow, email: &str, accepted: bool) -> Message {
    let hello = row.presenter_name.as_deref().map_or("Hello,".to_string(), |n| format!("Hello {n},"));
    let (subject, news) = if accepted {
        (
            format!("Your proposal \"{}\" was accepted", row.title),
            format!(
                "We are glad to tell you that the programme committee has accepted it for {}. \
                 We will write again with the day, time and room of your session.",
                conference.name
            ),
        )
    } else {
        (
            format!("The decision on your proposal \"{}\"", row.title),
            format!(
                "We are sorry to tell you that the programme committee could not include it in the programme of {} \
                 this time. We received many more strong proposals than the programme has room for.",
                conference.name
            ),
        )
    };
    let body =
        format!("{hello}\n\nThank you for proposing \"{}\".\n\n{news}\n\nThe Social Mission Alliance\n", row.title);
    Message { kind: "proposal.decision", to: email.to_string(), subject, body, headers: Vec::new() }
}

/// A page of the edition's proposals, newest first, with their review counts and average scores.
pub async fn list(
    state: &AppState,
    slug: &str,
    query: &ProposalListQuery,
    page: PageRequest,
) -> ApiResult<(Vec<ProposalJson>, i64)> {
    let mut conn = state.pool.get().await?;
    let conference = load_edition(&mut conn, slug, Scope::Any).await?;
    let (rows, total) = queries::list(&mut conn, conference.id, query.status, query.call_id, page).await?;
    Ok((with_stats(&mut conn, rows).await?, total))
}

/// One proposal of the edition with its reviews.
pub async fn get(state: &AppState, slug: &str, id: Uuid) -> ApiResult<ProposalDetail> {
    let mut conn = state.pool.get().await?;
    let conference = load_edition(&mut conn, slug, Scope::Any).await?;
    let row = queries::find(&mut conn, conference.id, id).await?.ok_or_else(|| ApiError::not_found("proposal"))?;
    detail(&mut conn, row).await
}

/// Makes or replaces the staff member's review of the proposal; answers it and whether it is
/// their first (`true`) or replaced one.
pub async fn review(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    id: Uuid,
    body: ReviewInput,
) -> ApiResult<(ReviewJson, bool)> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        locked(conn, slug, id).await?;
        let existed = queries::has_review(conn, id, staff.id).await?;
        let row = queries::upsert_review(conn, id, staff.id, body.score, &body.notes).await?;
        audit::record(
            conn,
            NewAuditEntry::by_staff(
                staff,
                "proposal.review",
                "proposal",
                id,
                request_id,
                json!({ "review_id": row.id, "score": row.score, "replaced": existed }),
            ),
        )
        .await?;
        Ok((ReviewJson::new(row, Some(staff.name.clone())), !existed))
    })
    .await
}

/// Moves the proposal to `to` when the review allows it (409 otherwise); accepting or rejecting
/// emails the presenter.
pub async fn set_status(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    id: Uuid,
    to: ProposalStatus,
) -> ApiResult<ProposalDetail> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (conference, row) = locked(conn, slug, id).await?;
            let from = row.status;
            if !from.next().contains(&to) {
                let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                return Err(ApiError::refused(
                    ProblemType::TransitionNotAllowed,
                    if allowed.is_empty() {
                        format!("the proposal is {}, which is final", from.as_str())
                    } else {
                        format!(
                            "a proposal that is {} can become {}, not {}",
                            from.as_str(),
                            allowed.join(", "),
                            to.as_str()
                        )
                    },
                ));
            }
            let row = queries::set_status(conn, id, to).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    staff,
                    "proposal.status",
                    "proposal",
                    id,
                    request_id,
                    json!({ "from": from.as_str(), "to": to.as_str() }),
                ),
            )
            .await?;
            if let (Some(email), ProposalStatus::Accepted | ProposalStatus::Rejected) = (&row.presenter_email, to) {
                outbox::enqueue(
                    conn,
                    &state.data_key,
                    decision(&conference, &row, email, to == ProposalStatus::Accepted),
                )
                .await?;
            }
            Ok(row)
        })
        .await?;
    state.outbox_wake.notify_one();
    detail(&mut conn, row).await
}

/// Puts an accepted proposal on the edition's agenda, once.
pub async fn schedule(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    id: Uuid,
    body: ScheduleInput,
) -> ApiResult<ScheduledSession> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (conference, row) = locked(conn, slug, id).await?;
        if row.status != ProposalStatus::Accepted {
            return Err(ApiError::refused(
                ProblemType::ProposalNotAccepted,
                format!("only an accepted proposal can be scheduled; this one is {}", row.status.as_str()),
            ));
        }
        if let Some((_, session)) = queries::sessions_of(conn, &[id]).await?.first() {
            return Err(ApiError::refused(
                ProblemType::AlreadyScheduled,
                format!("the proposal is already scheduled as session {session}"),
            ));
        }
        let tz = zone_of(&conference)?;
        let starts = time::to_utc(tz, body.starts_local, "starts_local");
        let ends = time::to_utc(tz, body.ends_local, "ends_local");
        let (starts_at, ends_at) = match (starts, ends) {
            (Ok(s), Ok(e)) if e > s => (s, e),
            (Ok(_), Ok(_)) => {
                return Err(ApiError::invalid("ends_local", FieldCode::NotAfterStart, "must be after starts_local"));
            }
            (s, e) => return Err(ApiError::Validation([s.err(), e.err()].into_iter().flatten().collect())),
        };
        let fields = SessionFields {
            title: row.title.clone(),
            abstract_: row.abstract_.clone(),
            starts_at,
            ends_at,
            track: body.track.clone().unwrap_or_else(|| row.track.clone()),
            room: body.room.clone(),
            speakers: row.authors.clone(),
        };
        let session = editions::queries::insert_session(conn, conference.id, &fields, Some(id)).await?;
        audit::record(
            conn,
            NewAuditEntry::by_staff(
                staff,
                "proposal.schedule",
                "proposal",
                id,
                request_id,
                json!({ "session_id": session.id, "starts_at": starts_at, "ends_at": ends_at, "room": session.room }),
            ),
        )
        .await?;
        Ok(ScheduledSession {
            id: session.id,
            proposal_id: id,
            title: session.title,
            abstract_: session.abstract_,
            starts_local: time::to_local(tz, session.starts_at),
            ends_local: time::to_local(tz, session.ends_at),
            starts_at: session.starts_at,
            ends_at: session.ends_at,
            time_zone: conference.time_zone,
            track: session.track,
            room: session.room,
            speakers: session.speakers,
        })
    })
    .await
}
