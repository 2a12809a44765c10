//! Registrations: seats handed out in the order people register, never more than a type's
//! capacity (Postgres keeps the count under a CHECK), then a waiting list; cancellations promote
//! the first waiting, who is emailed.

pub mod json;
pub mod queries;
pub mod routes;

use std::collections::HashMap;

use diesel_async::AsyncPgConnection;
use rand::Rng;
use uuid::Uuid;

use self::json::{EditionRef, RegistrationJson, RegistrationStatus, TypeRef};
use super::model::{ConferenceRow, RegistrationRow, RegistrationTypeRow};
use crate::error::ApiResult;
use crate::jobs::outbox::{self, Message};
use crate::state::AppState;

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

pub fn type_ref(t: &RegistrationTypeRow) -> TypeRef {
    TypeRef { id: t.id, name: t.name.clone(), price_minor: t.price_minor, currency: t.currency.clone() }
}

pub fn registration_json(
    conference: &ConferenceRow,
    types: &HashMap<Uuid, RegistrationTypeRow>,
    r: RegistrationRow,
) -> RegistrationJson {
    let registration_type = types.get(&r.registration_type_id).map(type_ref).unwrap_or(TypeRef {
        id: r.registration_type_id,
        name: String::new(),
        price_minor: 0,
        currency: String::new(),
    });
    RegistrationJson {
        code: r.code,
        status: r.status,
        waitlist_position: r.waitlist_position,
        conference: EditionRef {
            slug: conference.slug.clone(),
            name: conference.name.clone(),
            starts_on: conference.starts_on,
            ends_on: conference.ends_on,
        },
        registration_type,
        name: r.name,
        email: r.email,
        institution: r.institution,
        role: r.role,
        profession: r.profession,
        accessibility_needs: r.accessibility_needs,
        dietary_needs: r.dietary_needs,
        payment_status: r.payment_status,
        checked_in_at: r.checked_in_at,
        confirmed_at: r.confirmed_at,
        cancelled_at: r.cancelled_at,
        created_at: r.created_at,
    }
}

pub async fn types_by_id(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
) -> ApiResult<HashMap<Uuid, RegistrationTypeRow>> {
    Ok(super::queries::types_of(conn, conference).await?.into_iter().map(|t| (t.id, t)).collect())
}

fn dates(c: &ConferenceRow) -> String {
    if c.starts_on == c.ends_on {
        c.starts_on.format("%B %-d, %Y").to_string()
    } else {
        format!("{} to {}", c.starts_on.format("%B %-d"), c.ends_on.format("%B %-d, %Y"))
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
        let Some(t) = super::queries::lock_type(conn, conference.id, type_id).await? else { return Ok(()) };
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
    let t = super::queries::lock_type(conn, conference.id, r.registration_type_id).await?;
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
