//! SQL of registrations.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::RegistrationListQuery;
use super::model::{NewRegistration, PaymentStatus, RegistrationRow, RegistrationStatus};
use crate::db::schema::{registration_types, registrations};
use crate::editions::model::RegistrationTypeRow;
use crate::extract::PageRequest;

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewRegistration<'_>) -> QueryResult<RegistrationRow> {
    diesel::insert_into(registrations::table)
        .values(new)
        .returning(RegistrationRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn code_taken(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(registrations::table.filter(registrations::code.eq(code))))
        .get_result(conn)
        .await
}

/// The type, locked until the transaction ends: registrations of one type queue here, which is
/// what hands out seats and waiting-list places in order.
pub async fn lock_type(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
    id: Uuid,
) -> QueryResult<Option<RegistrationTypeRow>> {
    registration_types::table
        .filter(registration_types::id.eq(id).and(registration_types::conference_id.eq(conference)))
        .for_update()
        .select(RegistrationTypeRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The next waiting-list place of a (locked) type.
pub async fn next_waitlist_position(conn: &mut AsyncPgConnection, type_id: Uuid) -> QueryResult<i32> {
    diesel::update(registration_types::table.find(type_id))
        .set(registration_types::waitlist_last.eq(registration_types::waitlist_last + 1))
        .returning(registration_types::waitlist_last)
        .get_result(conn)
        .await
}

pub async fn live_with_email(conn: &mut AsyncPgConnection, conference: Uuid, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registrations::table.filter(
            registrations::conference_id
                .eq(conference)
                .and(registrations::email.eq(email))
                .and(registrations::status.ne(RegistrationStatus::Cancelled)),
        ),
    ))
    .get_result(conn)
    .await
}

pub async fn find_by_code(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .filter(registrations::code.eq(code))
        .select(RegistrationRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn lock_by_code(conn: &mut AsyncPgConnection, code: &str) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .filter(registrations::code.eq(code))
        .for_update()
        .select(RegistrationRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The first on a type's waiting list, locked.
pub async fn first_waiting(conn: &mut AsyncPgConnection, type_id: Uuid) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .filter(
            registrations::registration_type_id
                .eq(type_id)
                .and(registrations::status.eq(RegistrationStatus::Waitlisted)),
        )
        .order((registrations::waitlist_position, registrations::created_at))
        .limit(1)
        .for_update()
        .select(RegistrationRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn set_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: RegistrationStatus,
) -> QueryResult<RegistrationRow> {
    let now = diesel::dsl::now;
    let target = registrations::table.find(id);
    match status {
        RegistrationStatus::Confirmed => {
            diesel::update(target)
                .set((
                    registrations::status.eq(RegistrationStatus::Confirmed),
                    registrations::waitlist_position.eq(None::<i32>),
                    registrations::confirmed_at.eq(now),
                    registrations::updated_at.eq(now),
                ))
                .returning(RegistrationRow::as_returning())
                .get_result(conn)
                .await
        }
        RegistrationStatus::Cancelled => {
            diesel::update(target)
                .set((
                    registrations::status.eq(RegistrationStatus::Cancelled),
                    registrations::waitlist_position.eq(None::<i32>),
                    registrations::cancelled_at.eq(now),
                    registrations::updated_at.eq(now),
                ))
                .returning(RegistrationRow::as_returning())
                .get_result(conn)
                .await
        }
        RegistrationStatus::Waitlisted => target.select(RegistrationRow::as_select()).first(conn).await,
    }
}

pub async fn check_in(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<RegistrationRow> {
    diesel::update(registrations::table.find(id))
        .set((registrations::checked_in_at.eq(diesel::dsl::now), registrations::updated_at.eq(diesel::dsl::now)))
        .returning(RegistrationRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_payment(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    payment: PaymentStatus,
) -> QueryResult<RegistrationRow> {
    diesel::update(registrations::table.find(id))
        .set((registrations::payment_status.eq(payment), registrations::updated_at.eq(diesel::dsl::now)))
        .returning(RegistrationRow::as_returning())
        .get_result(conn)
        .await
}

fn filtered(conference: Uuid, q: &RegistrationListQuery) -> registrations::BoxedQuery<'static, diesel::pg::Pg> {
    let mut query = registrations::table.filter(registrations::conference_id.eq(conference)).into_boxed();
    if let Some(status) = q.status {
        query = query.filter(registrations::status.eq(status));
    }
    if let Some(t) = q.registration_type_id {
        query = query.filter(registrations::registration_type_id.eq(t));
    }
    if let Some(p) = q.payment_status {
        query = query.filter(registrations::payment_status.eq(p));
    }
    match q.checked_in {
        Some(true) => query = query.filter(registrations::checked_in_at.is_not_null()),
        Some(false) => query = query.filter(registrations::checked_in_at.is_null()),
        None => {}
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // ILIKE with the pattern's own wildcards escaped.
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        query = query.filter(
            registrations::name
                .ilike(pattern.clone())
                .or(registrations::email.ilike(pattern.clone()))
                .or(registrations::code.ilike(pattern)),
        );
    }
    query
}

/// Oldest first (the order people registered in).
pub async fn list(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
    q: &RegistrationListQuery,
    page: PageRequest,
) -> QueryResult<(Vec<RegistrationRow>, i64)> {
    let total = filtered(conference, q).count().get_result(conn).await?;
    let rows = filtered(conference, q)
        .order((registrations::created_at, registrations::id))
        .limit(page.limit())
        .offset(page.offset())
        .select(RegistrationRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

pub async fn all(
    conn: &mut AsyncPgConnection,
    conference: Uuid,
    q: &RegistrationListQuery,
) -> QueryResult<Vec<RegistrationRow>> {
    filtered(conference, q)
        .order((registrations::created_at, registrations::id))
        .select(RegistrationRow::as_select())
        .load(conn)
        .await
}
