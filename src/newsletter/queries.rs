//! All SQL of the newsletter.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::SubscriberStatus;
use super::model::{SubscriberRow, TokenPurpose};
use crate::db::schema::{newsletter_subscribers as subscribers, newsletter_tokens as tokens};
use crate::extract::PageRequest;
use crate::values::Email;

/// The subscriber with this email, created as `pending` if new, locked until the transaction
/// ends. Concurrent signups of one address wait on the unique index and end with one row.
pub async fn upsert_and_lock(conn: &mut AsyncPgConnection, email: &Email) -> QueryResult<SubscriberRow> {
    let email = email.as_ref();
    diesel::insert_into(subscribers::table)
        .values((
            subscribers::id.eq(Uuid::now_v7()),
            subscribers::email.eq(email),
            subscribers::status.eq(SubscriberStatus::Pending),
            subscribers::consent_at.eq(diesel::dsl::now),
        ))
        .on_conflict(subscribers::email)
        .do_nothing()
        .execute(conn)
        .await?;
    subscribers::table
        .filter(subscribers::email.eq(email))
        .for_update()
        .select(SubscriberRow::as_select())
        .first(conn)
        .await
}

pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<SubscriberRow>> {
    subscribers::table.find(id).for_update().select(SubscriberRow::as_select()).first(conn).await.optional()
}

/// A new signup of this person: pending again, with a fresh consent and confirmation.
pub async fn restart(conn: &mut AsyncPgConnection, id: Uuid, name: Option<&str>) -> QueryResult<()> {
    diesel::update(subscribers::table.find(id))
        .set((
            subscribers::status.eq(SubscriberStatus::Pending),
            subscribers::name.eq(name),
            subscribers::consent_at.eq(diesel::dsl::now),
            subscribers::confirmation_sent_at.eq(diesel::dsl::now),
            subscribers::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(conn: &mut AsyncPgConnection, id: Uuid, status: SubscriberStatus) -> QueryResult<()> {
    let target = subscribers::table.find(id);
    let now = diesel::dsl::now;
    match status {
        SubscriberStatus::Subscribed => {
            diesel::update(target)
                .set((
                    subscribers::status.eq(SubscriberStatus::Subscribed),
                    subscribers::confirmed_at.eq(now),
                    subscribers::updated_at.eq(now),
                ))
                .execute(conn)
                .await?
        }
        SubscriberStatus::Unsubscribed => {
            diesel::update(target)
                .set((
                    subscribers::status.eq(SubscriberStatus::Unsubscribed),
                    subscribers::unsubscribed_at.eq(now),
                    subscribers::updated_at.eq(now),
                ))
                .execute(conn)
                .await?
        }
        SubscriberStatus::Pending => {
            diesel::update(target).set(subscribers::status.eq(SubscriberStatus::Pending)).execute(conn).await?
        }
    };
    Ok(())
}

pub async fn insert_token(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
    subscriber: Uuid,
    purpose: TokenPurpose,
    expires_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    diesel::insert_into(tokens::table)
        .values((
            tokens::token_hash.eq(hash),
            tokens::subscriber_id.eq(subscriber),
            tokens::purpose.eq(purpose),
            tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_tokens(conn: &mut AsyncPgConnection, subscriber: Uuid, purpose: TokenPurpose) -> QueryResult<()> {
    diesel::delete(tokens::table.filter(tokens::subscriber_id.eq(subscriber).and(tokens::purpose.eq(purpose))))
        .execute(conn)
        .await?;
    Ok(())
}

/// The subscriber a token belongs to (`Some(None)` once they were erased) and when it expires.
pub async fn find_token(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
    purpose: TokenPurpose,
) -> QueryResult<Option<(Option<Uuid>, Option<DateTime<Utc>>)>> {
    tokens::table
        .filter(tokens::token_hash.eq(hash).and(tokens::purpose.eq(purpose)))
        .select((tokens::subscriber_id, tokens::expires_at))
        .first(conn)
        .await
        .optional()
}

fn filtered(status: Option<SubscriberStatus>) -> subscribers::BoxedQuery<'static, diesel::pg::Pg> {
    let mut q = subscribers::table.into_boxed();
    if let Some(status) = status {
        q = q.filter(subscribers::status.eq(status));
    }
    q
}

/// Oldest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    status: Option<SubscriberStatus>,
    page: PageRequest,
) -> QueryResult<(Vec<SubscriberRow>, i64)> {
    let total = filtered(status).count().get_result(conn).await?;
    let rows = filtered(status)
        .order((subscribers::created_at.asc(), subscribers::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(SubscriberRow::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

pub async fn all(conn: &mut AsyncPgConnection, status: Option<SubscriberStatus>) -> QueryResult<Vec<SubscriberRow>> {
    filtered(status)
        .order((subscribers::created_at.asc(), subscribers::id.asc()))
        .select(SubscriberRow::as_select())
        .load(conn)
        .await
}
