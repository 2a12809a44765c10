//! Registering, and one's own registration by code and token, for attendees; the registrations
//! of an edition for staff.

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest};
use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{
    PaymentUpdate, RegistrationExportQuery, RegistrationInput, RegistrationJson, RegistrationListQuery,
    RegistrationReceipt, RegistrationStatus, TokenQuery,
};
use super::queries::{self, NewRegistration};
use super::{cancel, message, new_code, registration_json, type_ref, types_by_id};
use crate::audit::{self, NewAuditEntry};
use crate::auth::{Admin, Staff, StaffUser};
use crate::conferences::editions::on_sale;
use crate::conferences::editions::routes::edition;
use crate::conferences::model::{ConferenceRow, ConferenceStatus, RegistrationRow};
use crate::conferences::queries as editions;
use crate::error::{ApiError, ApiResult};
use crate::extract::idempotency::IdempotencyHeader;
use crate::extract::respond::Csv;
use crate::extract::{Begin, PageRequest, Paginated, PublicPost, Stored, TokenUse, ValidJson, ValidQuery};
use crate::forms::{is_robot, new_token, token_hash};
use crate::jobs::outbox;
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

/// Register for an edition.
///
/// Answers 201 with status `confirmed` and a confirmation code, or `waitlisted` with a place on
/// the type's waiting list when its seats are taken; seats go in the order requests arrive and
/// never exceed the capacity. `manage_token` (shown once, also emailed) with the code reads or
/// cancels the registration. One registration per email and edition: a second is a 409. Outside
/// the type's sales window, or for an edition that is not published, a 409 says why.
#[utoipa::path(
    tag = "conference",
    params(("slug" = String, Path), IdempotencyHeader),
    request_body = RegistrationInput,
    responses(
        (status = 201, description = "Registered (`confirmed` or `waitlisted`)", body = RegistrationReceipt, headers(("Location" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 429, response = crate::openapi::TooManyRequests),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/conferences/{slug}/registrations")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    post: PublicPost,
    slug: web::Path<String>,
    ValidJson(input): ValidJson<RegistrationInput>,
) -> ApiResult<Stored> {
    let mut conn = state.pool.get().await?;
    let conference = edition(&mut conn, &slug).await?;
    if conference.status != ConferenceStatus::Published {
        return Err(ApiError::Conflict(format!("registration for {} is not open yet", conference.name)));
    }
    if is_robot(&input.website) {
        let t = editions::find_type(&mut conn, conference.id, input.registration_type_id).await?;
        let receipt = RegistrationReceipt {
            code: new_code(&mut conn).await?,
            status: RegistrationStatus::Confirmed,
            waitlist_position: None,
            manage_token: new_token().0,
            registration_type: t.as_ref().map(type_ref).ok_or_else(unknown_type)?,
            created_at: Utc::now(),
        };
        let location = format!("/api/v1/registrations/{}", receipt.code);
        return Ok(Stored::new(StatusCode::CREATED, &receipt, Some(location)));
    }
    let claim = match post.begin(&mut conn, &req).await? {
        Begin::Replay(answer) => return Ok(answer),
        Begin::Proceed(claim) => claim,
    };
    let state_ref = state.get_ref();
    let result = conn
        .transaction::<_, ApiError, _>(async |conn| {
            // Every registration of this type waits here for the one before it.
            let t =
                editions::lock_type(conn, conference.id, input.registration_type_id).await?.ok_or_else(unknown_type)?;
            if !on_sale(&conference, &t) {
                let why = match (t.sales_start, t.sales_end) {
                    (Some(start), _) if Utc::now() < start => {
                        format!("opens on {}", start.format("%Y-%m-%d %H:%M UTC"))
                    }
                    (_, Some(end)) => format!("closed on {}", end.format("%Y-%m-%d %H:%M UTC")),
                    _ => "is closed".to_string(),
                };
                return Err(ApiError::Conflict(format!("registration as {} {why}", t.name)));
            }
            let email = Email::from_field(&input.email, "email")?;
            if queries::live_with_email(conn, conference.id, email.as_ref()).await? {
                return Err(ApiError::Conflict(format!(
                    "this email is already registered for {}; the confirmation message has its code",
                    conference.name
                )));
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
            if let Some(m) = message(state_ref, &conference, &t.name, &row, Some(&token)) {
                outbox::enqueue(conn, &state_ref.data_key, m).await?;
            }
            let receipt = RegistrationReceipt {
                code: row.code.clone(),
                status,
                waitlist_position: position,
                manage_token: token,
                registration_type: type_ref(&t),
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
    ApiError::invalid("registration_type_id", "unknown_value", "is not a registration type of this edition")
}

fn not_found() -> ApiError {
    ApiError::NotFound("no registration has this code and token".into())
}

/// The registration with this code, locked for a change. Its type is locked first: every writer
/// takes a type's lock before any of its registrations' (a promotion holds the type and then
/// locks the first waiting), so a cancellation that locked its row first could deadlock with one.
async fn lock_with_type(conn: &mut AsyncPgConnection, code: &str) -> ApiResult<Option<RegistrationRow>> {
    let Some(found) = queries::find_by_code(conn, code).await? else { return Ok(None) };
    editions::lock_type(conn, found.conference_id, found.registration_type_id).await?;
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
    Ok(registration_json(conference, &types, row))
}

/// One's own registration, by its code and the token sent with it.
///
/// Limited per client address (`RATE_LIMIT_TOKENS_PER_MINUTE`), like every use of a token.
#[utoipa::path(
    tag = "conference",
    params(("code" = String, Path), TokenQuery),
    responses(
        (status = 200, description = "The registration", body = RegistrationJson, headers(("Cache-Control" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
        (status = 429, response = crate::openapi::TooManyRequests),
    )
)]
#[get("/registrations/{code}")]
pub async fn get_own(
    state: web::Data<AppState>,
    _limited: TokenUse,
    code: web::Path<String>,
    ValidQuery(q): ValidQuery<TokenQuery>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let mut conn = state.pool.get().await?;
    let row = own(&mut conn, &code, &q.token).await?;
    let conference = editions::find(&mut conn, row.conference_id).await?;
    Ok(web::Json(view(&mut conn, &conference, row).await?))
}

/// Cancel one's own registration: its seat goes to the first on the waiting list, who is emailed.
///
/// Limited per client address (`RATE_LIMIT_TOKENS_PER_MINUTE`), like every use of a token.
#[utoipa::path(
    tag = "conference",
    params(("code" = String, Path), TokenQuery),
    responses(
        (status = 200, description = "Cancelled", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 422, response = crate::openapi::Invalid),
        (status = 429, response = crate::openapi::TooManyRequests),
    )
)]
#[delete("/registrations/{code}")]
pub async fn cancel_own(
    state: web::Data<AppState>,
    _limited: TokenUse,
    code: web::Path<String>,
    ValidQuery(q): ValidQuery<TokenQuery>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let mut conn = state.pool.get().await?;
    let state_ref = state.get_ref();
    let json = conn
        .transaction::<_, ApiError, _>(async |conn| {
            // The token first, without a lock; only its owner waits for the type's and the row's.
            own(conn, &code, &q.token).await?;
            let row = lock_with_type(conn, &code).await?.ok_or_else(not_found)?;
            if row.status == RegistrationStatus::Cancelled {
                return Err(ApiError::Conflict("this registration is already cancelled".into()));
            }
            let conference = editions::find(conn, row.conference_id).await?;
            let cancelled = cancel(state_ref, conn, &conference, &row).await?;
            view(conn, &conference, cancelled).await
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(web::Json(json))
}

/// An edition's registrations, in the order people registered.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), RegistrationListQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "A page of registrations", body = Paginated<RegistrationJson>, headers(("Link" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/conferences/{slug}/registrations")]
pub async fn list(
    state: web::Data<AppState>,
    _staff: Staff,
    slug: web::Path<String>,
    ValidQuery(q): ValidQuery<RegistrationListQuery>,
) -> ApiResult<Paginated<RegistrationJson>> {
    let page = PageRequest::new(q.page, q.per_page);
    let mut conn = state.pool.get().await?;
    let conference = edition(&mut conn, &slug).await?;
    let (rows, total) = queries::list(&mut conn, conference.id, &q, page).await?;
    let types = types_by_id(&mut conn, conference.id).await?;
    let data = rows.into_iter().map(|r| registration_json(&conference, &types, r)).collect();
    Ok(Paginated::new(data, total, page))
}

/// An edition's registrations as CSV (RFC 4180, UTF-8), for the desk and the caterers; in the audit log.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), RegistrationExportQuery),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "The registrations", content_type = "text/csv", body = String, headers(("Content-Disposition" = String))),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid),
        crate::openapi::StaffErrors,
    )
)]
#[get("/conferences/{slug}/registrations/export")]
pub async fn export(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    slug: web::Path<String>,
    ValidQuery(q): ValidQuery<RegistrationExportQuery>,
) -> ApiResult<Csv> {
    let mut conn = state.pool.get().await?;
    let conference = edition(&mut conn, &slug).await?;
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
        NewAuditEntry::by_staff(&admin, "registration.export", "conference", conference.id, &request_id, details),
    )
    .await?;
    Ok(csv)
}

/// The edition and its registration with this code, locked for a staff change.
async fn locked(conn: &mut AsyncPgConnection, slug: &str, code: &str) -> ApiResult<(ConferenceRow, RegistrationRow)> {
    let conference = edition(conn, slug).await?;
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

/// Check an attendee in at the desk. Only once: a second check-in is a 409 saying when the first was.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), ("code" = String, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Checked in", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/conferences/{slug}/registrations/{code}/check-in")]
pub async fn check_in(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let (slug, code) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let json = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (conference, row) = locked(conn, &slug, &code).await?;
            if let Some(at) = row.checked_in_at {
                return Err(ApiError::Conflict(format!("already checked in at {}", at.to_rfc3339())));
            }
            if row.status != RegistrationStatus::Confirmed {
                return Err(ApiError::Conflict(format!(
                    "only a confirmed registration can check in; this one is {}",
                    row.status.as_str()
                )));
            }
            let row = queries::check_in(conn, row.id).await?;
            changed(conn, &staff, &request_id, "registration.check_in", &conference, row).await
        })
        .await?;
    Ok(web::Json(json))
}

/// Set the payment status (unpaid, paid, waived); there is no payment processor.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), ("code" = String, Path)),
    request_body = PaymentUpdate,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Updated", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
        crate::openapi::StaffErrors,
        crate::openapi::JsonBodyErrors,
    )
)]
#[patch("/conferences/{slug}/registrations/{code}")]
pub async fn set_payment(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, String)>,
    ValidJson(body): ValidJson<PaymentUpdate>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let (slug, code) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let json = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (conference, row) = locked(conn, &slug, &code).await?;
            let row = queries::set_payment(conn, row.id, body.payment_status).await?;
            changed(conn, &staff, &request_id, "registration.payment", &conference, row).await
        })
        .await?;
    Ok(web::Json(json))
}

/// Cancel a registration; its seat goes to the first on the waiting list, who is emailed.
#[utoipa::path(
    tag = "admin",
    params(("slug" = String, Path), ("code" = String, Path)),
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Cancelled", body = RegistrationJson),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        crate::openapi::StaffErrors,
    )
)]
#[post("/conferences/{slug}/registrations/{code}/cancel")]
pub async fn cancel_by_staff(
    state: web::Data<AppState>,
    Staff(staff): Staff,
    request_id: RequestId,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<RegistrationJson>> {
    let (slug, code) = path.into_inner();
    let state_ref = state.get_ref();
    let mut conn = state.pool.get().await?;
    let json = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let (conference, row) = locked(conn, &slug, &code).await?;
            if row.status == RegistrationStatus::Cancelled {
                return Err(ApiError::Conflict("this registration is already cancelled".into()));
            }
            let row = cancel(state_ref, conn, &conference, &row).await?;
            changed(conn, &staff, &request_id, "registration.cancel", &conference, row).await
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(web::Json(json))
}
