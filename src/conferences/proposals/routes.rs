//! `POST /conferences/{slug}/proposals` for presenters; the review under
//! `/admin/conferences/{slug}/proposals`.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    ProposalDetail, ProposalInput, ProposalJson, ProposalListQuery, ProposalReceipt, ProposalStatus, ReviewInput,
    ReviewJson, ScheduleInput, ScheduledSession, StatusChange,
};
use super::model::{NewProposal, ProposalRow};
use super::queries;
use crate::audit::{self, NewAuditEntry};
use crate::auth::Staff;
use crate::conferences::model::{CallRow, ConferenceRow, SessionFields};
use crate::conferences::queries as conferences;
use crate::conferences::time;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::{Begin, PageRequest, Paginated, PublicPost, Stored, ValidJson, ValidQuery};
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
        return Err(ApiError::Conflict(format!(
            "the call \"{}\" closed at its deadline, {}; proposals are no longer taken",
            call.title,
            moment(tz, call.deadline)
        )));
    }
    if let Some(opens_at) = call.opens_at.filter(|o| now < *o) {
        return Err(ApiError::Conflict(format!(
            "the call \"{}\" opens at {}; its deadline is {}",
            call.title,
            moment(tz, opens_at),
            moment(tz, call.deadline)
        )));
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

/// Propose a session, workshop or poster for an edition's call.
///
/// Answers 201 with the proposal's id and status `submitted`, and emails the presenter a
/// confirmation. A call takes proposals from `opens_at` until its `deadline` (409 outside that
/// window); the abstract may have at most the call's `word_limit` words. Limited per client IP;
/// send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    operation_id = "submit_proposal",
    tag = "conference",
    params(("slug" = String, Path, description = "The edition's slug"), IdempotencyHeader),
    request_body = ProposalInput,
    responses(
        (status = 201, description = "Received; the presenter is emailed a confirmation", body = ProposalReceipt, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/proposals")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: PublicPost,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<ProposalInput>,
) -> ApiResult<Stored> {
    let slug = slug.into_inner();
    if is_robot(&input.website) {
        return Ok(receipt(&slug, Uuid::now_v7(), Utc::now()));
    }
    let mut conn = state.pool.get().await?;
    let claim = match post.begin(&mut conn, &req).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let conference =
                conferences::find_published(conn, &slug).await?.ok_or_else(|| ApiError::not_found("conference"))?;
            let call = conferences::find_call(conn, conference.id, input.call_id).await?.ok_or_else(|| {
                ApiError::invalid("call_id", "unknown_value", "is not a call for proposals of this conference")
            })?;
            check_open(&call, &conference, Utc::now())?;
            let words = input.abstract_.split_whitespace().count();
            if words > usize::try_from(call.word_limit).unwrap_or(0) {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "abstract",
                    "too_many_words",
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

/// Any edition, draft or published, for staff.
async fn edition(conn: &mut AsyncPgConnection, slug: &str) -> ApiResult<ConferenceRow> {
    conferences::find_by_slug(conn, slug).await?.ok_or_else(|| ApiError::not_found("conference"))
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

/// An edition's proposals, newest first, each with its review count and average score.
#[utoipa::path(
    operation_id = "list_proposals",
    tag = "admin",
    params(("slug" = String, Path, description = "The edition's slug"), ProposalListQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of proposals", body = Paginated<ProposalJson>, headers(("Link" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/conferences/{slug}/proposals")]
pub async fn list(
    state: web::Data<AppState>,
    _staff: Staff,
    slug: web::Path<String>,
    ValidQuery(query): ValidQuery<ProposalListQuery>,
) -> ApiResult<Paginated<ProposalJson>> {
    let page = PageRequest::new(query.page, query.per_page);
    let mut conn = state.pool.get().await?;
    let conference = edition(&mut conn, &slug).await?;
    let (rows, total) = queries::list(&mut conn, conference.id, query.status, query.call_id, page).await?;
    Ok(Paginated::new(with_stats(&mut conn, rows).await?, total, page))
}

/// One proposal with its reviews.
#[utoipa::path(
    operation_id = "get_proposal",
    tag = "admin",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The proposal and its reviews", body = ProposalDetail),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
    )
)]
#[get("/conferences/{slug}/proposals/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _staff: Staff,
    path: web::Path<(String, Uuid)>,
) -> ApiResult<web::Json<ProposalDetail>> {
    let (slug, id) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let conference = edition(&mut conn, &slug).await?;
    let row = queries::find(&mut conn, conference.id, id).await?.ok_or_else(|| ApiError::not_found("proposal"))?;
    Ok(web::Json(detail(&mut conn, row).await?))
}

/// The edition and its proposal, locked until the transaction ends.
async fn locked(conn: &mut AsyncPgConnection, slug: &str, id: Uuid) -> ApiResult<(ConferenceRow, ProposalRow)> {
    let conference = edition(conn, slug).await?;
    let row = queries::lock(conn, conference.id, id).await?.ok_or_else(|| ApiError::not_found("proposal"))?;
    Ok((conference, row))
}

/// Score a proposal (1 to 5) with notes: each reviewer has one review per proposal, which
/// sending again replaces. Reviews are for staff only and never shown publicly.
#[utoipa::path(
    operation_id = "review_proposal",
    tag = "admin",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path)),
    request_body = ReviewInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The reviewer's review, replaced", body = ReviewJson),
        (status = 201, description = "The reviewer's first review of it", body = ReviewJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[put("/conferences/{slug}/proposals/{id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(body): ValidJson<ReviewInput>,
) -> ApiResult<(web::Json<ReviewJson>, StatusCode)> {
    let (slug, id) = path.into_inner();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        locked(conn, &slug, id).await?;
        let existed = queries::has_review(conn, id, staff.id).await?;
        let row = queries::upsert_review(conn, id, staff.id, body.score, &body.notes).await?;
        audit::record(
            conn,
            NewAuditEntry::by_staff(
                &staff,
                "proposal.review",
                "proposal",
                id,
                &request_id,
                json!({ "review_id": row.id, "score": row.score, "replaced": existed }),
            ),
        )
        .await?;
        let status = if existed { StatusCode::OK } else { StatusCode::CREATED };
        Ok((web::Json(ReviewJson::new(row, Some(staff.name.clone()))), status))
    })
    .await
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

/// Move a proposal through the review: `submitted` → `under_review`, `accepted`, `rejected` or
/// `withdrawn`; `under_review` → `accepted`, `rejected` or `withdrawn`. Accepted, rejected and
/// withdrawn are final (409). Accepting or rejecting emails the presenter the decision.
#[utoipa::path(
    operation_id = "set_proposal_status",
    tag = "admin",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path)),
    request_body = StatusChange,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The proposal in its new status", body = ProposalDetail),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/proposals/{id}/status")]
pub async fn set_status(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(body): ValidJson<StatusChange>,
) -> ApiResult<web::Json<ProposalDetail>> {
    let (slug, id) = path.into_inner();
    let to = body.status;
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (conference, row) = locked(conn, &slug, id).await?;
            let from = row.status;
            if !from.next().contains(&to) {
                let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                return Err(ApiError::Conflict(if allowed.is_empty() {
                    format!("the proposal is {}, which is final", from.as_str())
                } else {
                    format!(
                        "a proposal that is {} can become {}, not {}",
                        from.as_str(),
                        allowed.join(", "),
                        to.as_str()
                    )
                }));
            }
            let row = queries::set_status(conn, id, to).await?;
            audit::record(
                conn,
                NewAuditEntry::by_staff(
                    &staff,
                    "proposal.status",
                    "proposal",
                    id,
                    &request_id,
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
    Ok(web::Json(detail(&mut conn, row).await?))
}

/// Put an accepted proposal on the agenda: a session with its title, abstract and authors (as
/// speakers), at wall-clock times of the edition's time zone. A proposal has at most one session.
#[utoipa::path(
    operation_id = "schedule_proposal",
    tag = "admin",
    params(("slug" = String, Path, description = "The edition's slug"), ("id" = Uuid, Path)),
    request_body = ScheduleInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 201, description = "The session made from the proposal", body = ScheduledSession),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/proposals/{id}/session")]
pub async fn schedule(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, Uuid)>,
    ValidJson(body): ValidJson<ScheduleInput>,
) -> ApiResult<(web::Json<ScheduledSession>, StatusCode)> {
    let (slug, id) = path.into_inner();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (conference, row) = locked(conn, &slug, id).await?;
        if row.status != ProposalStatus::Accepted {
            return Err(ApiError::Conflict(format!(
                "only an accepted proposal can be scheduled; this one is {}",
                row.status.as_str()
            )));
        }
        if let Some((_, session)) = queries::sessions_of(conn, &[id]).await?.first() {
            return Err(ApiError::Conflict(format!("the proposal is already scheduled as session {session}")));
        }
        let tz = zone_of(&conference)?;
        let starts = time::to_utc(tz, body.starts_local, "starts_local");
        let ends = time::to_utc(tz, body.ends_local, "ends_local");
        let (starts_at, ends_at) = match (starts, ends) {
            (Ok(s), Ok(e)) if e > s => (s, e),
            (Ok(_), Ok(_)) => {
                return Err(ApiError::invalid("ends_local", "not_after_start", "must be after starts_local"));
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
        let session = conferences::insert_session(conn, conference.id, &fields, Some(id)).await?;
        audit::record(
            conn,
            NewAuditEntry::by_staff(
                &staff,
                "proposal.schedule",
                "proposal",
                id,
                &request_id,
                json!({ "session_id": session.id, "starts_at": starts_at, "ends_at": ends_at, "room": session.room }),
            ),
        )
        .await?;
        let answer = ScheduledSession {
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
        };
        Ok((web::Json(answer), StatusCode::CREATED))
    })
    .await
}
