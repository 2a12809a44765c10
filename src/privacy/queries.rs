//! All SQL of access and erasure. Every function takes the caller's connection, so an erasure
//! runs in one transaction. Addresses are compared lower-cased, as every table stores them.

use diesel::dsl::{array_remove, now};
use diesel::prelude::*;
use diesel::sql_types::{Array, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::ERASED;
use super::model::{
    MessageRow, NominatorRow, NomineeRow, PartnerContactRow, ProposalRow, ProposalWithEdition, RegistrationRow,
    RegistrationWithEdition, SessionRow, SessionWithEdition, Speaker, SpotlightRow, SubscriberRow, SuggestionRow,
};
use crate::champions::model::ChampionStatus;
use crate::db::schema::{
    audit_log, champion_nominations as nominations, champions, conference_sessions as sessions, conferences,
    newsletter_subscribers as subscribers, newsletter_tokens, outbox, partners, proposals, registration_types,
    registrations, suggestions,
};
use crate::newsletter::model::TokenPurpose;

// ---------------------------------------------------------------------------------------------
// What is stored about the address.
// ---------------------------------------------------------------------------------------------

pub async fn subscriber(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<SubscriberRow>> {
    subscribers::table
        .filter(subscribers::email.eq(email))
        .select(SubscriberRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn suggestions(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Vec<SuggestionRow>> {
    suggestions::table
        .filter(suggestions::submitter_email.eq(email))
        .order((suggestions::created_at, suggestions::id))
        .select(SuggestionRow::as_select())
        .load(conn)
        .await
}

/// Nominations of the person.
pub async fn nominated(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Vec<NomineeRow>> {
    nominations::table
        .filter(nominations::nominee_email.eq(email))
        .order((nominations::created_at, nominations::id))
        .select(NomineeRow::as_select())
        .load(conn)
        .await
}

/// Nominations the person made.
pub async fn nominating(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Vec<NominatorRow>> {
    nominations::table
        .filter(nominations::nominator_email.eq(email))
        .order((nominations::created_at, nominations::id))
        .select(NominatorRow::as_select())
        .load(conn)
        .await
}

/// The spotlights made from these nominations.
pub async fn spotlights(conn: &mut AsyncPgConnection, nomination_ids: &[Uuid]) -> QueryResult<Vec<SpotlightRow>> {
    champions::table
        .filter(champions::nomination_id.eq_any(nomination_ids))
        .order(champions::id)
        .select(SpotlightRow::as_select())
        .load(conn)
        .await
}

pub async fn registrations(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Vec<RegistrationWithEdition>> {
    registrations::table
        .inner_join(conferences::table.on(conferences::id.eq(registrations::conference_id)))
        .inner_join(registration_types::table)
        .filter(registrations::email.eq(email))
        .order((registrations::created_at, registrations::id))
        .select((RegistrationRow::as_select(), conferences::slug, conferences::name, registration_types::name))
        .load(conn)
        .await
}

/// Proposals the person presents.
pub async fn proposals(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Vec<ProposalWithEdition>> {
    proposals::table
        .inner_join(conferences::table.on(conferences::id.eq(proposals::conference_id)))
        .filter(proposals::presenter_email.eq(email))
        .order((proposals::created_at, proposals::id))
        .select((ProposalRow::as_select(), conferences::slug, conferences::name))
        .load(conn)
        .await
}

/// Sessions made from these proposals, or of an edition whose speakers name one of `speakers`.
pub async fn sessions(
    conn: &mut AsyncPgConnection,
    proposal_ids: &[Uuid],
    speakers: &[Speaker],
) -> QueryResult<Vec<SessionWithEdition>> {
    if proposal_ids.is_empty() && speakers.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sessions::table
        .inner_join(conferences::table)
        .filter(sessions::proposal_id.eq_any(proposal_ids.iter().copied().map(Some).collect::<Vec<_>>()))
        .into_boxed();
    for speaker in speakers {
        query = query.or_filter(
            sessions::conference_id
                .eq(speaker.conference_id)
                .and(sessions::speakers.contains(vec![speaker.name.clone()])),
        );
    }
    query
        .order((sessions::starts_at, sessions::id))
        .select((SessionRow::as_select(), conferences::slug))
        .load(conn)
        .await
}

/// Partners whose contact the person is.
pub async fn partner_contacts(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Vec<PartnerContactRow>> {
    partners::table
        .filter(partners::contact_email.eq(email))
        .order(partners::id)
        .select(PartnerContactRow::as_select())
        .load(conn)
        .await
}

/// Messages to the person (never their bodies).
pub async fn messages(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Vec<MessageRow>> {
    outbox::table.filter(outbox::recipient.eq(email)).order(outbox::id).select(MessageRow::as_select()).load(conn).await
}

// ---------------------------------------------------------------------------------------------
// Erasure.
// ---------------------------------------------------------------------------------------------

/// Deletes the subscriber and their unused confirmation links. Their unsubscribe tokens' hashes
/// stay, detached by the foreign key (`ON DELETE SET NULL`), so a link in an old message still
/// answers. Returns (subscribers, confirmation tokens) deleted.
pub async fn delete_subscriber(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<(usize, usize)> {
    let ids = subscribers::table.filter(subscribers::email.eq(email)).select(subscribers::id.nullable());
    let tokens = diesel::delete(
        newsletter_tokens::table
            .filter(newsletter_tokens::purpose.eq(TokenPurpose::Confirm))
            .filter(newsletter_tokens::subscriber_id.eq_any(ids)),
    )
    .execute(conn)
    .await?;
    let rows = diesel::delete(subscribers::table.filter(subscribers::email.eq(email))).execute(conn).await?;
    Ok((rows, tokens))
}

pub async fn delete_messages(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<usize> {
    diesel::delete(outbox::table.filter(outbox::recipient.eq(email))).execute(conn).await
}

/// The suggestions stay (they are about a resource), without who sent them.
pub async fn forget_submitter(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<usize> {
    diesel::update(suggestions::table.filter(suggestions::submitter_email.eq(email)))
        .set((suggestions::submitter_email.eq(None::<String>), suggestions::submitter_name.eq(None::<String>)))
        .execute(conn)
        .await
}

pub async fn forget_nominator(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<usize> {
    diesel::update(nominations::table.filter(nominations::nominator_email.eq(email)))
        .set((nominations::nominator_email.eq(None::<String>), nominations::nominator_name.eq(None::<String>)))
        .execute(conn)
        .await
}

/// A nomination of the person keeps only what is not about them (profession, dates, decision):
/// the texts that must stay non-empty become `ERASED`, the address and consent link go.
pub async fn anonymise_nominee(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<usize> {
    diesel::update(nominations::table.filter(nominations::nominee_email.eq(email)))
        .set((
            nominations::nominee_name.eq(ERASED),
            nominations::nominee_role.eq(ERASED),
            nominations::nominee_institution.eq(ERASED),
            nominations::health_equity_work.eq(ERASED),
            nominations::nominee_email.eq(None::<String>),
            nominations::consent_token_hash.eq(None::<Vec<u8>>),
        ))
        .execute(conn)
        .await
}

/// Unpublishes and empties these spotlights; the slug (made from the name) becomes `erased-<id>`.
pub async fn empty_spotlights(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<usize> {
    let mut changed = 0;
    for id in ids {
        changed += diesel::update(champions::table.find(id))
            .set((
                champions::slug.eq(format!("erased-{}", id.simple())),
                champions::name.eq(ERASED),
                champions::role.eq(ERASED),
                champions::institution.eq(ERASED),
                champions::story.eq(ERASED),
                champions::photo_url.eq(None::<String>),
                champions::status.eq(ChampionStatus::Unpublished),
                champions::updated_at.eq(now),
            ))
            .execute(conn)
            .await?;
    }
    Ok(changed)
}

/// Removes the personal data of these registrations (name, email, institution, role, profession,
/// needs), keeping what the Alliance counts (code, type, status, payment, check-in).
pub async fn strip_registrations(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<usize> {
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
            registrations::updated_at.eq(now),
        ))
        .execute(conn)
        .await
}

/// Takes `name` out of the proposal's authors.
pub async fn remove_author(conn: &mut AsyncPgConnection, proposal_id: Uuid, name: &str) -> QueryResult<usize> {
    diesel::update(proposals::table.find(proposal_id))
        .set(proposals::authors.eq(array_remove::<Array<Text>, Text, _, _>(proposals::authors, name)))
        .execute(conn)
        .await
}

/// The proposals stay (they are the authors' work), without their presenter.
pub async fn forget_presenter(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<usize> {
    diesel::update(proposals::table.filter(proposals::presenter_email.eq(email)))
        .set((
            proposals::presenter_email.eq(None::<String>),
            proposals::presenter_name.eq(None::<String>),
            proposals::updated_at.eq(now),
        ))
        .execute(conn)
        .await
}

/// Takes the speaker's name out of every session of their edition that lists it; returns the
/// sessions changed.
pub async fn remove_speaker(conn: &mut AsyncPgConnection, speaker: &Speaker) -> QueryResult<Vec<Uuid>> {
    diesel::update(
        sessions::table
            .filter(sessions::conference_id.eq(speaker.conference_id))
            .filter(sessions::speakers.contains(vec![speaker.name.clone()])),
    )
    .set((
        sessions::speakers.eq(array_remove::<Array<Text>, Text, _, _>(sessions::speakers, speaker.name.as_str())),
        sessions::updated_at.eq(now),
    ))
    .returning(sessions::id)
    .get_results(conn)
    .await
}

/// The partner stays, without this contact.
pub async fn forget_partner_contact(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<usize> {
    diesel::update(partners::table.filter(partners::contact_email.eq(email)))
        .set((
            partners::contact_email.eq(None::<String>),
            partners::contact_name.eq(ERASED),
            partners::updated_at.eq(now),
        ))
        .execute(conn)
        .await
}

/// Staff decision reasons of these suggestions.
pub async fn suggestion_reasons(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, String)>> {
    suggestions::table
        .filter(suggestions::id.eq_any(ids))
        .filter(suggestions::decision_reason.is_not_null())
        .select((suggestions::id, suggestions::decision_reason.assume_not_null()))
        .load(conn)
        .await
}

pub async fn set_suggestion_reason(conn: &mut AsyncPgConnection, id: Uuid, reason: &str) -> QueryResult<usize> {
    diesel::update(suggestions::table.find(id)).set(suggestions::decision_reason.eq(reason)).execute(conn).await
}

/// Staff decision reasons of these nominations.
pub async fn nomination_reasons(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<(Uuid, String)>> {
    nominations::table
        .filter(nominations::id.eq_any(ids))
        .filter(nominations::decision_reason.is_not_null())
        .select((nominations::id, nominations::decision_reason.assume_not_null()))
        .load(conn)
        .await
}

pub async fn set_nomination_reason(conn: &mut AsyncPgConnection, id: Uuid, reason: &str) -> QueryResult<usize> {
    diesel::update(nominations::table.find(id)).set(nominations::decision_reason.eq(reason)).execute(conn).await
}

#[derive(QueryableByName)]
pub struct AuditDetails {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub details: serde_json::Value,
}

/// Audit entries whose details, as JSON text, match one of these `ILIKE` patterns: the
/// candidates; the caller decides on the parsed JSON what really mentions the person.
pub async fn audit_entries_matching(
    conn: &mut AsyncPgConnection,
    patterns: &[String],
) -> QueryResult<Vec<AuditDetails>> {
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    diesel::sql_query("SELECT id, details FROM audit_log WHERE details::text ILIKE ANY($1) ORDER BY id FOR UPDATE")
        .bind::<Array<Text>, _>(patterns)
        .load(conn)
        .await
}

pub async fn set_audit_details(
    conn: &mut AsyncPgConnection,
    id: i64,
    details: &serde_json::Value,
) -> QueryResult<usize> {
    diesel::update(audit_log::table.find(id)).set(audit_log::details.eq(details)).execute(conn).await
}
