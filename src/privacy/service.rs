//! Access and erasure of one person's data, found by their address. `access` and `erase` run
//! inside the caller's transaction; `erase` is what every erasure runs (the privacy endpoint and
//! the erasure of a newsletter subscriber). The requests' own functions (`access_person`,
//! `erase_person`, `erase_subscriber`) run them in a transaction with their audit entry.

use std::collections::BTreeSet;

use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::Value;
use uuid::Uuid;

use super::json::{ErasureSummary, NomineeData, PersonalData};
use super::model::{ProposalWithEdition, Speaker, ERASED};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::error::{ApiError, ApiResult};
use crate::middleware::RequestId;
use crate::newsletter::queries as newsletter;
use crate::state::AppState;
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

/// A data subject access request: everything stored about `email`, audited as `privacy.access`
/// with counts and without the address.
pub async fn access_person(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    email: &Email,
) -> ApiResult<PersonalData> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let data = access(conn, email).await?;
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
        audit::record(conn, NewAuditEntry::by_staff(admin, "privacy.access", "person", "", request_id, counts)).await?;
        Ok(data)
    })
    .await
}

/// The right to erasure: `erase`, audited as `privacy.erase` with the counts and without the address.
pub async fn erase_person(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    email: &Email,
) -> ApiResult<ErasureSummary> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let summary = erase(conn, email).await?;
        let details = serde_json::to_value(&summary).map_err(|e| ApiError::Internal(e.into()))?;
        audit::record(conn, NewAuditEntry::by_staff(admin, "privacy.erase", "person", "", request_id, details)).await?;
        Ok(summary)
    })
    .await
}

/// Erases a newsletter subscriber (404 when unknown) and with them everything stored about their
/// address, audited as `newsletter.erase` with the counts, never the address.
pub async fn erase_subscriber(state: &AppState, admin: &StaffUser, request_id: &RequestId, id: Uuid) -> ApiResult<()> {
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let row = newsletter::lock(conn, id).await?.ok_or_else(|| ApiError::not_found("subscriber"))?;
        let summary = erase(conn, &Email::parse(&row.email).map_err(|e| ApiError::Internal(e.into()))?).await?;
        // The entry names the record and the counts, never the address.
        let details = serde_json::to_value(&summary).map_err(|e| ApiError::Internal(e.into()))?;
        audit::record(
            conn,
            NewAuditEntry::by_staff(admin, "newsletter.erase", "newsletter_subscriber", id, request_id, details),
        )
        .await?;
        Ok(())
    })
    .await
}

// Finding a person in free text: their address and names, case-insensitively and only as whole
// words ("Al" leaves "Also" alone, `pat@example.org` leaves `john.pat@example.org` alone), each
// replaced by `ERASED`. Used on the texts that stay after an erasure: staff decision reasons and
// the audit log's details.

/// A person's address and names, to be found and replaced in the texts that stay.
pub struct Mentions {
    /// Lower-cased (one char per char), longest first, so a full name wins over a part of it.
    needles: Vec<Vec<char>>,
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// A character that continues a word or an address before a match.
fn joins_before(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '+' | '-' | '%')
}

/// A character that continues a word after a match (a sentence's full stop does not).
fn joins_after(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-')
}

impl Mentions {
    /// The address and names (blank ones, and `ERASED` itself, are left out).
    pub fn new(address: &str, names: impl IntoIterator<Item = String>) -> Self {
        let mut needles: Vec<Vec<char>> = std::iter::once(address.to_string())
            .chain(names)
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty() && n != ERASED)
            .map(|n| n.chars().map(fold).collect())
            .collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self { needles }
    }

    /// The text with every mention replaced, or `None` when it mentions nobody.
    pub fn scrub(&self, text: &str) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        let folded: Vec<char> = chars.iter().copied().map(fold).collect();
        let mut out = String::with_capacity(text.len());
        let mut changed = false;
        let mut i = 0;
        'scan: while i < chars.len() {
            if i == 0 || !joins_before(chars[i - 1]) {
                for needle in &self.needles {
                    let end = i + needle.len();
                    if end <= chars.len()
                        && folded[i..end] == needle[..]
                        && (end == chars.len() || !joins_after(chars[end]))
                    {
                        out.push_str(ERASED);
                        changed = true;
                        i = end;
                        continue 'scan;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        changed.then_some(out)
    }

    /// Scrubs every string value (not the keys, which the service writes) of a JSON document;
    /// true when something changed.
    pub fn scrub_json(&self, value: &mut Value) -> bool {
        match value {
            Value::String(s) => match self.scrub(s) {
                Some(scrubbed) => {
                    *s = scrubbed;
                    true
                }
                None => false,
            },
            Value::Array(items) => items.iter_mut().fold(false, |changed, v| self.scrub_json(v) | changed),
            Value::Object(map) => map.values_mut().fold(false, |changed, v| self.scrub_json(v) | changed),
            _ => false,
        }
    }

    /// `ILIKE` patterns that match a JSON document's text (`jsonb::text`) holding a mention: each
    /// needle as JSON escapes it, with `LIKE`'s wildcards escaped. They may match more than
    /// `scrub` replaces (a part of a longer word), never less.
    pub fn like_patterns(&self) -> Vec<String> {
        self.needles
            .iter()
            .map(|needle| {
                let text: String = needle.iter().collect();
                let json = serde_json::to_string(&text).expect("a string serialises");
                let inner = &json[1..json.len() - 1];
                let escaped = inner.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                format!("%{escaped}%")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn mentions() -> Mentions {
        Mentions::new("pat.q@example.org", ["Pat Quill".to_string(), "Al".to_string(), "  ".to_string()])
    }

    #[test]
    fn the_address_and_names_are_replaced_whatever_their_case_and_only_as_whole_words() {
        let m = mentions();
        assert_eq!(
            m.scrub("Write to PAT.Q@example.org, as pat quill asked.").as_deref(),
            Some("Write to [erased], as [erased] asked.")
        );
        assert_eq!(m.scrub("Al said: also Alan, AL.").as_deref(), Some("[erased] said: also Alan, [erased]."));
        assert_eq!(m.scrub("john.pat.q@example.org and pat.q@example.org-x stay"), None);
        assert_eq!(m.scrub("Pat Quillfeather is someone else"), None);
        assert_eq!(m.scrub("nothing here"), None);
        assert_eq!(m.scrub(""), None);
    }

    #[test]
    fn a_full_name_is_replaced_before_a_part_of_it() {
        let m = Mentions::new("x@example.org", ["Pat".to_string(), "Pat Quill".to_string()]);
        assert_eq!(m.scrub("Pat Quill and Pat").as_deref(), Some("[erased] and [erased]"));
    }

    #[test]
    fn blank_names_and_the_erased_marker_are_not_needles() {
        let m = Mentions::new("x@example.org", ["".to_string(), ERASED.to_string()]);
        assert_eq!(m.like_patterns(), vec!["%x@example.org%".to_string()]);
        assert_eq!(m.scrub("[erased] stays"), None);
    }

    #[test]
    fn json_string_values_are_scrubbed_at_any_depth_and_keys_are_left_alone() {
        let m = mentions();
        let mut value = json!({
            "reason": "Pat Quill sent it twice",
            "Al": ["ok", {"to": "pat.q@example.org"}, 3, null],
            "count": 2
        });
        assert!(m.scrub_json(&mut value));
        assert_eq!(
            value,
            json!({ "reason": "[erased] sent it twice", "Al": ["ok", {"to": "[erased]"}, 3, null], "count": 2 })
        );
        assert!(!m.scrub_json(&mut value), "a second pass finds nothing");
    }

    #[test]
    fn like_patterns_match_the_json_text_with_wildcards_escaped() {
        let m = Mentions::new("a_b%c@example.org", ["O\"Brien\\".to_string()]);
        assert_eq!(m.like_patterns(), vec![r"%a\_b\%c@example.org%".to_string(), r#"%o\\"brien\\\\%"#.to_string()]);
    }
}
