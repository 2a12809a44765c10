//! `POST /admin/privacy/access` and `POST /admin/privacy/erasure`. The address comes in the body,
//! never the path or query (which reach access logs), and the audit log never records it.

use actix_web::http::header;
use actix_web::{post, web, CustomizeResponder, Responder};
use diesel_async::AsyncConnection;

use super::json::{ErasureSummary, PersonInput, PersonalData};
use super::service;
use crate::audit::{self, NewAuditEntry};
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::extract::ValidJson;
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

/// Everything stored about a person (a data subject access request).
///
/// One document with every record that holds the address (compared lower-cased): the newsletter
/// subscription, suggestions they sent, Champion nominations of them (with the spotlight made from
/// each) and their own part of the nominations they made, conference registrations, proposals they
/// present and the agenda sessions made from them or naming them, partner institutions whose
/// contact they are, and the messages to them still in the outbox (never a message's body, which
/// carries live links). An address that matches nothing answers 200 with empty lists. The request
/// is audited as `privacy.access`, with counts and without the address.
#[utoipa::path(
    operation_id = "access_personal_data",
    tag = "admin",
    request_body = PersonInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Everything stored about the address", body = PersonalData,
            headers(("Cache-Control" = String, description = "`no-store`: personal data is kept by no cache"))),
        crate::openapi::JsonBodyErrors,
        crate::openapi::StaffErrors,
    )
)]
#[post("/privacy/access")]
pub async fn access(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidJson(input): ValidJson<PersonInput>,
) -> ApiResult<CustomizeResponder<web::Json<PersonalData>>> {
    let email = Email::from_field(&input.email, "email")?;
    let mut conn = state.pool.get().await?;
    let data = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let data = service::access(conn, &email).await?;
            let counts = serde_json::json!({
                "newsletter_subscribers": usize::from(data.newsletter.is_some()),
                "suggestions": data.suggestions.len(),
                "nominations_as_nominee": data.nominations_as_nominee.len(),
                "nominations_as_nominator": data.nominations_as_nominator.len(),
                "registrations": data.registrations.len(),
                "proposals": data.proposals.len(),
                "sessions": data.sessions.len(),
                "partner_contacts": data.partner_contacts.len(),
                "messages": data.messages.len(),
            });
            audit::record(conn, NewAuditEntry::by_staff(&admin, "privacy.access", "person", "", &request_id, counts))
                .await?;
            Ok(data)
        })
        .await?;
    Ok(web::Json(data).customize().insert_header((header::CACHE_CONTROL, "no-store")))
}

/// Erase a person (the right to erasure).
///
/// In one transaction, the address (compared lower-cased) leaves every table: the newsletter
/// subscriber and their unused confirmation links, and the messages to them, are deleted; the
/// records the Alliance keeps stay without the person: suggestions and nominations without their
/// sender, nominations of them anonymised (`[erased]`) and the spotlights made from them
/// unpublished and emptied, registrations without name, address, institution, role, profession
/// or needs, proposals without their presenter (also taken out of the authors and of the
/// sessions' speakers), partners without this contact. Mentions of the address or the person's
/// names in staff decision reasons on those records and in the audit log are replaced. Hashes of
/// their unsubscribe links stay, detached, so a link in an old message still answers.
///
/// Answers the number of records of each kind touched, never any personal data. An address that
/// matches nothing answers 200 with zeros, so erasing twice is harmless. Audited as
/// `privacy.erase` with the counts and without the address.
#[utoipa::path(
    operation_id = "erase_personal_data",
    tag = "admin",
    request_body = PersonInput,
    security(("staff_jwt" = [])),
    responses(
        (status = 200, description = "Erased; how many records of each kind were touched", body = ErasureSummary),
        crate::openapi::JsonBodyErrors,
        crate::openapi::StaffErrors,
    )
)]
#[post("/privacy/erasure")]
pub async fn erasure(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidJson(input): ValidJson<PersonInput>,
) -> ApiResult<web::Json<ErasureSummary>> {
    let email = Email::from_field(&input.email, "email")?;
    let mut conn = state.pool.get().await?;
    let summary = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let summary = service::erase(conn, &email).await?;
            let details = serde_json::to_value(&summary).map_err(|e| ApiError::Internal(e.into()))?;
            audit::record(conn, NewAuditEntry::by_staff(&admin, "privacy.erase", "person", "", &request_id, details))
                .await?;
            Ok(summary)
        })
        .await?;
    Ok(web::Json(summary))
}
