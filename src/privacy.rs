//! Erasing a person: their address leaves every table that holds one. A subscriber row and the
//! messages to them go; a suggestion they sent stays without its submitter's name and address; a
//! nomination stays without the nominator's name and address, or, when they were the nominee,
//! without their address (the nominee's name is what the record is about; a published spotlight is
//! the editors' to unpublish); conference registrations and proposals stay without their address.
//! The hashes of their unsubscribe tokens stay, detached, so a link in an old message still answers.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{
    champion_nominations as nominations, newsletter_subscribers, newsletter_tokens, outbox, proposals, registrations,
    suggestions,
};

/// What stands where a person's name or a required text was removed.
pub const ERASED: &str = "[erased]";

/// Removes the personal data of these registrations (name, email, institution, role, profession,
/// needs), keeping what the Alliance counts (code, type, status, payment, check-in).
pub async fn strip_registrations(conn: &mut AsyncPgConnection, ids: &[uuid::Uuid]) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(registrations::table.filter(registrations::id.eq_any(ids)))
        .set((
            registrations::name.eq(ERASED),
            registrations::email.eq(None::<String>),
            registrations::institution.eq(""),
            registrations::role.eq(""),
            registrations::profession.eq(""),
            registrations::accessibility_needs.eq(""),
            registrations::dietary_needs.eq(""),
            registrations::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
}

/// Inside the caller's transaction. `email` is lower-cased, as every table stores it.
pub async fn erase_email(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<()> {
    let subscriber_ids = newsletter_subscribers::table
        .filter(newsletter_subscribers::email.eq(email))
        .select(newsletter_subscribers::id.nullable());
    diesel::delete(
        newsletter_tokens::table
            .filter(newsletter_tokens::purpose.eq("confirm"))
            .filter(newsletter_tokens::subscriber_id.eq_any(subscriber_ids)),
    )
    .execute(conn)
    .await?;
    diesel::delete(newsletter_subscribers::table.filter(newsletter_subscribers::email.eq(email))).execute(conn).await?;
    diesel::delete(outbox::table.filter(outbox::recipient.eq(email))).execute(conn).await?;
    diesel::update(suggestions::table.filter(suggestions::submitter_email.eq(email)))
        .set((suggestions::submitter_email.eq(None::<String>), suggestions::submitter_name.eq(None::<String>)))
        .execute(conn)
        .await?;
    diesel::update(nominations::table.filter(nominations::nominator_email.eq(email)))
        .set((nominations::nominator_email.eq(None::<String>), nominations::nominator_name.eq(None::<String>)))
        .execute(conn)
        .await?;
    diesel::update(nominations::table.filter(nominations::nominee_email.eq(email)))
        .set(nominations::nominee_email.eq(None::<String>))
        .execute(conn)
        .await?;
    diesel::update(registrations::table.filter(registrations::email.eq(email)))
        .set(registrations::email.eq(None::<String>))
        .execute(conn)
        .await?;
    diesel::update(proposals::table.filter(proposals::presenter_email.eq(email)))
        .set(proposals::presenter_email.eq(None::<String>))
        .execute(conn)
        .await?;
    Ok(())
}
