//! Access and erasure of one person's data, found by their address. Both run inside the caller's
//! transaction; `erase` is what every erasure runs (the privacy endpoint and the newsletter's
//! subscriber erasure).

use std::collections::BTreeSet;

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::json::{ErasureSummary, NomineeData, PersonalData};
use super::mentions::Mentions;
use super::model::{ProposalWithEdition, Speaker};
use super::queries;
use crate::values::Email;

/// The presenters' names on their editions' agendas, once each.
fn speakers(proposals: &[ProposalWithEdition]) -> Vec<Speaker> {
    let mut speakers: Vec<Speaker> = Vec::new();
    for (row, _, _) in proposals {
        if let Some(name) = row.presenter_name.as_deref().filter(|n| !n.trim().is_empty()) {
            let speaker = Speaker { conference_id: row.conference_id, name: name.to_string() };
            if !speakers.contains(&speaker) {
                speakers.push(speaker);
            }
        }
    }
    speakers
}

/// Everything stored about `email` (lower-cased).
pub async fn access(conn: &mut AsyncPgConnection, email: &Email) -> QueryResult<PersonalData> {
    let email = email.as_ref();
    let newsletter = queries::subscriber(conn, email).await?.map(Into::into);
    let suggestions = queries::suggestions(conn, email).await?.into_iter().map(Into::into).collect();
    let nominated = queries::nominated(conn, email).await?;
    let ids: Vec<Uuid> = nominated.iter().map(|n| n.id).collect();
    let mut spotlights = queries::spotlights(conn, &ids).await?;
    let nominations_as_nominee = nominated
        .into_iter()
        .map(|n| {
            let spotlight =
                spotlights.iter().position(|s| s.nomination_id == Some(n.id)).map(|i| spotlights.swap_remove(i));
            NomineeData::new(n, spotlight)
        })
        .collect();
    let nominations_as_nominator = queries::nominating(conn, email).await?.into_iter().map(Into::into).collect();
    let registrations = queries::registrations(conn, email).await?.into_iter().map(Into::into).collect();
    let proposals = queries::proposals(conn, email).await?;
    let proposal_ids: Vec<Uuid> = proposals.iter().map(|(p, _, _)| p.id).collect();
    let sessions =
        queries::sessions(conn, &proposal_ids, &speakers(&proposals)).await?.into_iter().map(Into::into).collect();
    Ok(PersonalData {
        email: email.to_string(),
        newsletter,
        suggestions,
        nominations_as_nominee,
        nominations_as_nominator,
        registrations,
        proposals: proposals.into_iter().map(Into::into).collect(),
        sessions,
        partner_contacts: queries::partner_contacts(conn, email).await?.into_iter().map(Into::into).collect(),
        messages: queries::messages(conn, email).await?.into_iter().map(Into::into).collect(),
    })
}

/// Erases `email` (lower-cased) from every table; see the README's "Erasure and access". Matching
/// nothing is not an error (all counts zero), so erasing twice is harmless.
pub async fn erase(conn: &mut AsyncPgConnection, email: &Email) -> QueryResult<ErasureSummary> {
    let email = email.as_ref();
    // What the changes need to know before they are made: ids, and the names the person is
    // known by, which are looked for in the texts that stay.
    let subscriber = queries::subscriber(conn, email).await?;
    let suggestions = queries::suggestions(conn, email).await?;
    let nominated = queries::nominated(conn, email).await?;
    let nominating = queries::nominating(conn, email).await?;
    let nominated_ids: Vec<Uuid> = nominated.iter().map(|n| n.id).collect();
    let spotlights = queries::spotlights(conn, &nominated_ids).await?;
    let registrations = queries::registrations(conn, email).await?;
    let proposals = queries::proposals(conn, email).await?;
    let partners = queries::partner_contacts(conn, email).await?;

    let names = subscriber
        .iter()
        .filter_map(|s| s.name.clone())
        .chain(suggestions.iter().filter_map(|s| s.submitter_name.clone()))
        .chain(nominating.iter().filter_map(|n| n.nominator_name.clone()))
        .chain(nominated.iter().map(|n| n.nominee_name.clone()))
        .chain(spotlights.iter().flat_map(|s| [s.name.clone(), s.slug.clone()]))
        .chain(registrations.iter().map(|(r, _, _, _)| r.name.clone()))
        .chain(proposals.iter().filter_map(|(p, _, _)| p.presenter_name.clone()))
        .chain(partners.iter().map(|p| p.contact_name.clone()));
    let mentions = Mentions::new(email, names);

    let mut summary = ErasureSummary::default();
    (summary.newsletter_subscribers, summary.confirm_tokens) = queries::delete_subscriber(conn, email).await?;
    summary.messages = queries::delete_messages(conn, email).await?;
    summary.suggestions = queries::forget_submitter(conn, email).await?;
    summary.nominations_as_nominator = queries::forget_nominator(conn, email).await?;
    summary.nominations_as_nominee = queries::anonymise_nominee(conn, email).await?;
    let spotlight_ids: Vec<Uuid> = spotlights.iter().map(|s| s.id).collect();
    summary.spotlights = queries::empty_spotlights(conn, &spotlight_ids).await?;
    let registration_ids: Vec<Uuid> = registrations.iter().map(|(r, _, _, _)| r.id).collect();
    summary.registrations = queries::strip_registrations(conn, &registration_ids).await?;
    for (row, _, _) in &proposals {
        if let Some(name) = &row.presenter_name {
            queries::remove_author(conn, row.id, name).await?;
        }
    }
    let mut sessions = BTreeSet::new();
    for speaker in speakers(&proposals) {
        sessions.extend(queries::remove_speaker(conn, &speaker).await?);
    }
    summary.sessions = sessions.len();
    summary.proposals = queries::forget_presenter(conn, email).await?;
    summary.partner_contacts = queries::forget_partner_contact(conn, email).await?;

    // Staff wrote these about the person's records; the audit log may quote them.
    let suggestion_ids: Vec<Uuid> = suggestions.iter().map(|s| s.id).collect();
    for (id, reason) in queries::suggestion_reasons(conn, &suggestion_ids).await? {
        if let Some(scrubbed) = mentions.scrub(&reason) {
            summary.decision_reasons += queries::set_suggestion_reason(conn, id, &scrubbed).await?;
        }
    }
    let nomination_ids: Vec<Uuid> = nominated_ids.iter().copied().chain(nominating.iter().map(|n| n.id)).collect();
    for (id, reason) in queries::nomination_reasons(conn, &nomination_ids).await? {
        if let Some(scrubbed) = mentions.scrub(&reason) {
            summary.decision_reasons += queries::set_nomination_reason(conn, id, &scrubbed).await?;
        }
    }
    for mut entry in queries::audit_entries_matching(conn, &mentions.like_patterns()).await? {
        if mentions.scrub_json(&mut entry.details) {
            summary.audit_entries += queries::set_audit_details(conn, entry.id, &entry.details).await?;
        }
    }
    Ok(summary)
}
