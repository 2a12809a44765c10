//! `POST /admin/privacy/access` and `POST /admin/privacy/erasure`. The address comes in the body,
//! never the path or query (which reach access logs), and the audit log never records it. Also
//! `DELETE /admin/newsletter/subscribers/{id}`, the same erasure for a subscriber's address.

use actix_web::http::header;
use actix_web::{delete, post, web, CustomizeResponder, Responder};
use uuid::Uuid;

use super::json::{ErasureSummary, PersonInput, PersonalData};
use super::service;
use crate::auth::Admin;
use crate::error::ApiResult;
use crate::extract::respond::NoContent;
use crate::extract::ValidJson;
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

pub fn admins(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(access_personal_data).service(erase_personal_data).service(erase_newsletter_subscriber);
}

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
    operation_id = "accessPersonalData",
    tag = "privacy",
    request_body = PersonInput,
    responses(
        (status = 200, description = "Everything stored about the address", body = PersonalData,
            headers(("Cache-Control" = String, description = "`no-store`: personal data is kept by no cache"))),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/privacy/access")]
pub async fn access_personal_data(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidJson(input): ValidJson<PersonInput>,
) -> ApiResult<CustomizeResponder<web::Json<PersonalData>>> {
    let email = Email::from_field(&input.email, "email")?;
    let data = service::access_person(&state, &admin, &request_id, &email).await?;
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
    operation_id = "erasePersonalData",
    tag = "privacy",
    request_body = PersonInput,
    responses(
        (status = 200, description = "Erased; how many records of each kind were touched", body = ErasureSummary),
        crate::openapi::JsonBodyErrors,
    )
)]
#[post("/privacy/erasure")]
pub async fn erase_personal_data(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    ValidJson(input): ValidJson<PersonInput>,
) -> ApiResult<web::Json<ErasureSummary>> {
    let email = Email::from_field(&input.email, "email")?;
    Ok(web::Json(service::erase_person(&state, &admin, &request_id, &email).await?))
}

/// Erase a subscriber, and with them everything stored about their address.
///
/// The complete erasure of `POST /admin/privacy/erasure`, for this subscriber's address: it
/// leaves every table, and the records the Alliance keeps (suggestions, nominations,
/// registrations, proposals, partners) stay without the person. Only the hashes of their
/// unsubscribe tokens are kept, so a link in an old message still unsubscribes (it answers and
/// changes nothing). Audited as `newsletter.erase` with the counts, never the address.
#[utoipa::path(
    operation_id = "eraseNewsletterSubscriber",
    tag = "newsletter",
    params(("id" = Uuid, Path, description = "The subscriber's id")),
    responses(
        (status = 204, description = "Erased"),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
#[delete("/newsletter/subscribers/{id}")]
pub async fn erase_newsletter_subscriber(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    request_id: RequestId,
    id: web::Path<Uuid>,
) -> ApiResult<NoContent> {
    service::erase_subscriber(&state, &admin, &request_id, id.into_inner()).await?;
    Ok(NoContent)
}
