//! The rules of registering: seats in order, the waiting list and its promotions, cancelling by
//! the attendee (code and token) or by staff, the desk's check-in, payments, the export, and the
//! registration types' capacities. Each change runs in one transaction with its emails (outbox)
//! and audit entry.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rand::Rng;
use serde_json::json;
use uuid::Uuid;

use super::json::{
    PaymentUpdate, RegistrationExportQuery, RegistrationInput, RegistrationJson, RegistrationListQuery,
    RegistrationReceipt, RegistrationStatus, RegistrationTypeInput, TypeRef,
};
use super::model::{NewRegistration, RegistrationRow};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::editions::json::RegistrationTypeJson;
use crate::editions::model::{ConferenceRow, ConferenceStatus, RegistrationTypeFields, RegistrationTypeRow};
use crate::editions::service::{load_edition, Scope};
use crate::editions::{self};
use crate::error::{ApiError, ApiResult, FieldCode, ProblemType};
use crate::extract::idempotency::Idempotency;
use crate::extract::respond::Csv;
use crate::extract::{Begin, PageRequest, Stored};
use crate::forms::{is_robot, new_token, token_hash};
use crate::jobs::outbox::{self, Message};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

/// Crockford's base32: no I, L, O or U, so a code read aloud or typed is not mistaken.
const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A free confirmation code: 8 characters (40 bits; a clash is retried).
pub async fn new_code(conn: &mut AsyncPgConnection) -> ApiResult<String> {
    loop {
        let code: String = {
            let mut rng = rand::rng();
            (0..8).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect()
        };
        if !queries::code_taken(conn, &code).await? {
            return Ok(code);
        }
    }
}

pub async fn types_by_id(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
) -> ApiResult<HashMap<Uuid, RegistrationTypeRow>> {
    Ok(editions::queries::types_of(conn, conference).await?.into_iter().map(|t| (t.id, t)).collect())
}

fn dates(c: &ConferenceRow) -> String {
    match (c.starts_on, c.ends_on) {
        (Some(starts), Some(ends)) if starts == ends => starts.format("%B %-d, %Y").to_string(),
        (Some(starts), Some(ends)) => format!("{} to {}", starts.format("%B %-d"), ends.format("%B %-d, %Y")),
        _ => c.year.to_string(),
    }
}

/// The message of a registration's state, to its attendee (`manage` is the link with the token,
/// known only when the registration was just made).
pub fn message(
    state: &AppState,
    conference: &ConferenceRow,
    type_name: &str,
    r: &RegistrationRow,
    manage: Option<&str>,
) -> Option<Message> {
    let to = r.email.clone()?;
    let place = [conference.venue.as_str(), conference.city.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let when = dates(conference);
    let link = manage
        .map(|token| {
            format!(
                "\n\nTo see or cancel your registration: {}/registrations/{}?token={token}",
                state.config.website_url, r.code
            )
        })
        .unwrap_or_default();
    let (kind, subject, text) = match (r.status, manage.is_some()) {
        (RegistrationStatus::Confirmed, true) => (
            "registration.confirmed",
            format!("Your registration for {}: {}", conference.name, r.code),
            format!("you are registered for {} ({when}, {place}) as {type_name}.", conference.name),
        ),
        (RegistrationStatus::Confirmed, false) => (
            "registration.promoted",
            format!("A seat is yours at {}: {}", conference.name, r.code),
            format!(
                "a seat has opened and is now yours: you are registered for {} ({when}, {place}) as {type_name}.",
                conference.name
            ),
        ),
        (RegistrationStatus::Waitlisted, _) => (
            "registration.waitlisted",
            format!("You are on the waiting list for {}: {}", conference.name, r.code),
            format!(
                "the {type_name} seats for {} are all taken, so you are number {} on the waiting list. We will \
                 write as soon as a seat is yours.",
                conference.name,
                r.waitlist_position.unwrap_or_default()
            ),
        ),
        (RegistrationStatus::Cancelled, _) => (
            "registration.cancelled",
            format!("Your registration for {} is cancelled: {}", conference.name, r.code),
            format!("your registration for {} is cancelled.", conference.name),
        ),
    };
    let body = format!(
        "Hello {},\n\n{text}\n\nYour confirmation code: {}{link}\n\nThe Social Mission Alliance\n",
        r.name, r.code
    );
    Some(Message { kind, to, subject, body, headers: Vec::new() })
}

/// Confirms people from the type's waiting list, first come first served, while seats are free;
/// each is emailed. Runs inside the caller's transaction, with the type locked.
pub async fn promote(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    conference: &ConferenceRow,
    type_id: Uuid,
) -> ApiResult<()> {
    loop {
        let Some(t) = queries::lock_type(conn, conference.id, type_id).await? else { return Ok(()) };
        if t.seats_taken >= t.capacity {
            return Ok(());
        }
        let Some(next) = queries::first_waiting(conn, type_id).await? else { return Ok(()) };
        let promoted = queries::set_status(conn, next.id, RegistrationStatus::Confirmed).await?;
        if let Some(m) = message(state, conference, &t.name, &promoted, None) {
            outbox::enqueue(conn, &state.data_key, m).await?;
        }
    }
}

/// Cancels a live registration (its type locked first, so seats and the waiting list stay in
/// order) and promotes the first waiting when it held a seat.
pub async fn cancel(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    conference: &ConferenceRow,
    r: &RegistrationRow,
) -> ApiResult<RegistrationRow> {
    let t = queries::lock_type(conn, conference.id, r.registration_type_id).await?;
    let cancelled = queries::set_status(conn, r.id, RegistrationStatus::Cancelled).await?;
    let type_name = t.as_ref().map(|t| t.name.as_str()).unwrap_or_default();
    if let Some(m) = message(state, conference, type_name, &cancelled, None) {
        outbox::enqueue(conn, &state.data_key, m).await?;
    }
    if r.status == RegistrationStatus::Confirmed {
        promote(state, conn, conference, r.registration_type_id).await?;
    }
    Ok(cancelled)
}

/// Registers for the edition `slug` (a draft edition is a 409, not a 404), under the request's
/// `Idempotency-Key` if any. A robot (the hidden `website` field filled) gets a success-shaped
/// answer while nothing is stored.
pub async fn register(
    state: &AppState,
    idempotency: &Idempotency,
    slug: &str,
    input: RegistrationInput,
) -> ApiResult<Stored> {
    let mut conn = state.pool.get().await?;
    let conference = load_edition(&mut conn, slug, Scope::Any).await?;
    if conference.status != ConferenceStatus::Published {
        return Err(ApiError::refused(
            ProblemType::ConferenceNotOpen,
            format!("registration for {} is not open yet", conference.name),
        ));
    }
    if is_robot(&input.website) {
        let t = editions::queries::find_type(&mut conn, conference.id, input.registration_type_id).await?;
        let receipt = RegistrationReceipt {
            code: new_code(&mut conn).await?,
            status: RegistrationStatus::Confirmed,
            waitlist_position: None,
            manage_token: new_token().0,
            registration_type: t.as_ref().map(TypeRef::from).ok_or_else(unknown_type)?,
            created_at: Utc::now(),
        };
        let location = format!("/api/v1/registrations/{}", receipt.code);
        return Ok(Stored::new(StatusCode::CREATED, &receipt, Some(location)));
    }
    let claim = match idempotency.begin(&mut conn).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            // Every registration of this type waits here for the one before it.
            let t =
                queries::lock_type(conn, conference.id, input.registration_type_id).await?.ok_or_else(unknown_type)?;
            if !t.on_sale(&conference) {
                let (kind, why) = match (t.sales_start, t.sales_end) {
                    (Some(start), _) if Utc::now() < start => {
                        (ProblemType::SalesNotStarted, format!("opens on {}", start.format("%Y-%m-%d %H:%M UTC")))
                    }
                    (_, Some(end)) => {
                        (ProblemType::SalesEnded, format!("closed on {}", end.format("%Y-%m-%d %H:%M UTC")))
                    }
                    _ => (ProblemType::SalesEnded, "is closed".to_string()),
                };
                return Err(ApiError::refused(kind, format!("registration as {} {why}", t.name)));
            }
            let email = Email::from_field(&input.email, "email")?;
            if queries::live_with_email(conn, conference.id, email.as_ref()).await? {
                return Err(ApiError::refused(
                    ProblemType::AlreadyRegistered,
                    format!(
                        "this email is already registered for {}; the confirmation message has its code",
                        conference.name
                    ),
                ));
            }
            let (status, position) = if t.seats_taken < t.capacity {
                (RegistrationStatus::Confirmed, None)
            } else {
                (RegistrationStatus::Waitlisted, Some(queries::next_waitlist_position(conn, t.id).await?))
            };
            let code = new_code(conn).await?;
            let (token, hash) = new_token();
            let row = queries::insert(
                conn,
                &NewRegistration {
                    id: Uuid::now_v7(),
                    conference_id: conference.id,
                    registration_type_id: t.id,
                    code: &code,
                    token_hash: &hash,
                    name: &input.name,
                    email: email.as_ref(),
                    institution: &input.institution,
                    role: &input.role,
                    profession: &input.profession,
                    accessibility_needs: &input.accessibility_needs,
                    dietary_needs: &input.dietary_needs,
                    consent: input.consent,
                    status,
                    waitlist_position: position,
                    confirmed_at: (status == RegistrationStatus::Confirmed).then(Utc::now),
                },
            )
            .await?;
            if let Some(m) = message(state, &conference, &t.name, &row, Some(&token)) {
                outbox::enqueue(conn, &state.data_key, m).await?;
            }
            let receipt = RegistrationReceipt {
                code: row.code.clone(),
                status,
                waitlist_position: position,
                manage_token: token,
                registration_type: TypeRef::from(&t),
                created_at: row.created_at,
            };
            let answer =
                Stored::new(StatusCode::CREATED, &receipt, Some(format!("/api/v1/registrations/{}", row.code)));
            claim.store(conn, &answer).await?;
            Ok(answer)
        })
        .await;
    let result = claim.settle(&mut conn, result).await;
    state.outbox_wake.notify_one();
    result
}

fn unknown_type() -> ApiError {
    ApiError::invalid("registration_type_id", FieldCode::UnknownValue, "is not a registration type of this edition")
}

fn not_found() -> ApiError {
    ApiError::NotFound("no registration has this code and token".into())
}

/// The registration with this code, locked for a change. Its type is locked first: every writer
/// takes a type's lock before any of its registrations' (a promotion holds the type and then
/// locks the first waiting), so a cancellation that locked its row first could deadlock with one.
async fn lock_with_type(conn: &mut AsyncPgConnection, code: &str) -> ApiResult<Option<RegistrationRow>> {
    let Some(found) = queries::find_by_code(conn, code).await? else { return Ok(None) };
    queries::lock_type(conn, found.conference_id, found.registration_type_id).await?;
    Ok(queries::lock_by_code(conn, code).await?)
}

/// The registration with this code, when the token is its own; else the same 404 as an unknown
/// code. Takes no lock: a wrong token must never wait for, or hold up, anyone else.
async fn own(conn: &mut AsyncPgConnection, code: &str, token: &str) -> ApiResult<RegistrationRow> {
    let row = queries::find_by_code(conn, code).await?.ok_or_else(not_found)?;
    // Both hashes are SHA-256 of secrets; comparing them leaks nothing useful about the token.
    if row.token_hash != token_hash(token) {
        return Err(not_found());
    }
    Ok(row)
}

async fn view(
    conn: &mut AsyncPgConnection,
    conference: &ConferenceRow,
    row: RegistrationRow,
) -> ApiResult<RegistrationJson> {
    let types = types_by_id(conn, conference.id).await?;
    Ok(RegistrationJson::new(conference, &types, row))
}

/// One's own registration, by its code and token.
pub async fn get_own(state: &AppState, code: &str, token: &str) -> ApiResult<RegistrationJson> {
    let mut conn = state.pool.get().await?;
    let row = own(&mut conn, code, token).await?;
    let conference = editions::queries::find(&mut conn, row.conference_id).await?;
    view(&mut conn, &conference, row).await
}

/// Cancels one's own registration (by code and token); its seat goes to the first waiting.
pub async fn cancel_own(state: &AppState, code: &str, token: &str) -> ApiResult<RegistrationJson> {
    let mut conn = state.pool.get().await?;
    let json = conn
        .transaction::<_, ApiError, _>(async |conn| {
            // The token first, without a lock; only its owner waits for the type's and the row's.
            own(conn, code, token).await?;
            let row = lock_with_type(conn, code).await?.ok_or_else(not_found)?;
            if row.status == RegistrationStatus::Cancelled {
                return Err(ApiError::refused(ProblemType::AlreadyCancelled, "this registration is already cancelled"));
            }
            let conference = editions::queries::find(conn, row.conference_id).await?;
            let cancelled = cancel(state, conn, &conference, &row).await?;
            view(conn, &conference, cancelled).await
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(json)
}

/// A page of the edition's registrations, in the order people registered; and how many match.
pub async fn list(
    state: &AppState,
    slug: &str,
    q: &RegistrationListQuery,
    page: PageRequest,
) -> ApiResult<(Vec<RegistrationJson>, i64)> {
    let mut conn = state.pool.get().await?;
    let conference = load_edition(&mut conn, slug, Scope::Any).await?;
    let (rows, total) = queries::list(&mut conn, conference.id, q, page).await?;
    let types = types_by_id(&mut conn, conference.id).await?;
    Ok((rows.into_iter().map(|r| RegistrationJson::new(&conference, &types, r)).collect(), total))
}

/// The edition's registrations as CSV; the export is in the audit log.
pub async fn export(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    q: RegistrationExportQuery,
) -> ApiResult<Csv> {
    let mut conn = state.pool.get().await?;
    let conference = load_edition(&mut conn, slug, Scope::Any).await?;
    let filter = RegistrationListQuery {
        status: q.status,
        registration_type_id: q.registration_type_id,
        payment_status: None,
        checked_in: None,
        q: None,
        page: None,
        per_page: None,
    };
    let rows = queries::all(&mut conn, conference.id, &filter).await?;
    let types = types_by_id(&mut conn, conference.id).await?;
    let time = |t: Option<chrono::DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    let count = rows.len();
    let records = rows.into_iter().map(|r| {
        let type_name = types.get(&r.registration_type_id).map(|t| t.name.clone()).unwrap_or_default();
        vec![
            r.code,
            r.status.as_str().to_owned(),
            r.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
            type_name,
            r.name,
            r.email.unwrap_or_default(),
            r.institution,
            r.role,
            r.profession,
            r.accessibility_needs,
            r.dietary_needs,
            r.payment_status.as_str().to_owned(),
            time(r.checked_in_at),
            r.created_at.to_rfc3339(),
        ]
    });
    let header = [
        "code",
        "status",
        "waitlist_position",
        "registration_type",
        "name",
        "email",
        "institution",
        "role",
        "profession",
        "accessibility_needs",
        "dietary_needs",
        "payment_status",
        "checked_in_at",
        "created_at",
    ];
    let filename = "registrations.csv";
    let csv = Csv::build(filename, &header, records)?;
    let details = json!({ "slug": conference.slug, "rows": count });
    audit::record(
        &mut conn,
        NewAuditEntry::by_staff(admin, "registration.export", "conference", conference.id, request_id, details),
    )
    .await?;
    Ok(csv)
}

/// The edition and its registration with this code, locked for a staff change.
async fn locked(conn: &mut AsyncPgConnection, slug: &str, code: &str) -> ApiResult<(ConferenceRow, RegistrationRow)> {
    let conference = load_edition(conn, slug, Scope::Any).await?;
    let row = lock_with_type(conn, code)
        .await?
        .filter(|r| r.conference_id == conference.id)
        .ok_or_else(|| ApiError::not_found("registration"))?;
    Ok((conference, row))
}

/// Audits a staff change and answers with the registration.
async fn changed(
    conn: &mut AsyncPgConnection,
    staff: &StaffUser,
    request_id: &RequestId,
    action: &'static str,
    conference: &ConferenceRow,
    row: RegistrationRow,
) -> ApiResult<RegistrationJson> {
    let details = json!({ "code": row.code, "status": row.status, "payment_status": row.payment_status });
    audit::record(conn, NewAuditEntry::by_staff(staff, action, "registration", row.id, request_id, details)).await?;
    view(conn, conference, row).await
}

/// Checks a confirmed attendee in, once (a second time is a 409 saying when the first was).
pub async fn check_in(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    code: &str,
) -> ApiResult<RegistrationJson> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (conference, row) = locked(conn, slug, code).await?;
        if let Some(at) = row.checked_in_at {
            return Err(ApiError::refused(
                ProblemType::AlreadyCheckedIn,
                format!("already checked in at {}", at.to_rfc3339()),
            ));
        }
        if row.status != RegistrationStatus::Confirmed {
            return Err(ApiError::refused(
                ProblemType::RegistrationNotConfirmed,
                format!("only a confirmed registration can check in; this one is {}", row.status.as_str()),
            ));
        }
        let row = queries::check_in(conn, row.id).await?;
        changed(conn, staff, request_id, "registration.check_in", &conference, row).await
    })
    .await
}

/// Sets the payment status.
pub async fn set_payment(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    code: &str,
    body: PaymentUpdate,
) -> ApiResult<RegistrationJson> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let (conference, row) = locked(conn, slug, code).await?;
        let row = queries::set_payment(conn, row.id, body.payment_status).await?;
        changed(conn, staff, request_id, "registration.payment", &conference, row).await
    })
    .await
}

/// Cancels a registration for staff; its seat goes to the first waiting.
pub async fn cancel_by_staff(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    code: &str,
) -> ApiResult<RegistrationJson> {
    let mut conn = state.pool.get().await?;
    let json = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (conference, row) = locked(conn, slug, code).await?;
            if row.status == RegistrationStatus::Cancelled {
                return Err(ApiError::refused(ProblemType::AlreadyCancelled, "this registration is already cancelled"));
            }
            let row = cancel(state, conn, &conference, &row).await?;
            changed(conn, staff, request_id, "registration.cancel", &conference, row).await
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(json)
}

fn type_fields(input: &RegistrationTypeInput) -> ApiResult<RegistrationTypeFields> {
    if let (Some(start), Some(end)) = (input.sales_start, input.sales_end) {
        if end <= start {
            return Err(ApiError::invalid("sales_end", FieldCode::OutOfRange, "must be after sales_start"));
        }
    }
    Ok(RegistrationTypeFields {
        name: input.name.clone(),
        description: input.description.clone(),
        price_minor: input.price_minor,
        currency: input.currency.clone(),
        capacity: input.capacity,
        sales_start: input.sales_start,
        sales_end: input.sales_end,
        position: input.position,
    })
}

/// Adds a registration type to the edition; answers the edition's slug and the type.
pub async fn create_type(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    input: RegistrationTypeInput,
) -> ApiResult<(String, RegistrationTypeJson)> {
    let fields = type_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let (row, created) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = load_edition(conn, slug, Scope::Any).await?;
            let created = editions::queries::insert_type(conn, row.id, &fields).await?;
            let details =
                json!({ "registration_type_id": created.id, "name": created.name, "capacity": created.capacity });
            audit::record(
                conn,
                editions::service::entry("conference.registration_type.create", staff, row.id, request_id, details),
            )
            .await?;
            Ok((row, created))
        })
        .await?;
    let json = RegistrationTypeJson::new(&row, created);
    Ok((row.slug, json))
}

/// Replaces a registration type. Its capacity cannot go below the seats taken (409); raising it
/// confirms the first people on its waiting list, in order, and emails them.
pub async fn replace_type(
    state: &AppState,
    staff: &StaffUser,
    request_id: &RequestId,
    slug: &str,
    id: Uuid,
    input: RegistrationTypeInput,
) -> ApiResult<RegistrationTypeJson> {
    let fields = type_fields(&input)?;
    let mut conn = state.pool.get().await?;
    let (row, updated) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = load_edition(conn, slug, Scope::Any).await?;
            let before =
                queries::lock_type(conn, row.id, id).await?.ok_or_else(|| ApiError::not_found("registration type"))?;
            if fields.capacity < before.seats_taken {
                return Err(ApiError::refused(
                    ProblemType::CapacityBelowTaken,
                    format!(
                    "{} seats of this type are taken; the capacity cannot go below that (cancel registrations first)",
                    before.seats_taken
                ),
                ));
            }
            editions::queries::update_type(conn, id, &fields).await?;
            promote(state, conn, &row, id).await?;
            let updated = editions::queries::find_type(conn, row.id, id)
                .await?
                .ok_or_else(|| ApiError::not_found("registration type"))?;
            let details = json!({ "registration_type_id": id, "name": updated.name, "capacity": updated.capacity });
            audit::record(
                conn,
                editions::service::entry("conference.registration_type.update", staff, row.id, request_id, details),
            )
            .await?;
            Ok((row, updated))
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(RegistrationTypeJson::new(&row, updated))
}
