//! Wire types of access and erasure requests. The address travels only in a request body, never
//! in a path or query string (which reach access logs).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::model::{
    MessageRow, NominatorRow, NomineeRow, PartnerContactRow, ProposalWithEdition, RegistrationWithEdition,
    SessionWithEdition, SpotlightRow, SubscriberRow, SuggestionRow,
};

/// Whose data: a person, by email address.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Compared lower-cased, as every table stores addresses.
    #[validate(email, length(max = 254))]
    #[schema(format = "email", max_length = 254, example = "ada.lovelace@example.org")]
    #[serde(deserialize_with = "crate::forms::trimmed")]
    pub email: String,
}

/// Everything stored about one address. Each list is empty (and `newsletter` null) when nothing
/// of that kind is stored.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "email": "ada.lovelace@example.org",
    "newsletter": {
        "id": "01936f5e-8c1a-7b2e-9d4f-2a6c8e0b1d3f", "name": "Ada Lovelace", "status": "subscribed",
        "consent_at": "2026-09-01T08:30:00Z", "confirmation_sent_at": "2026-09-01T08:30:00Z",
        "confirmed_at": "2026-09-01T08:41:12Z", "unsubscribed_at": null,
        "created_at": "2026-09-01T08:30:00Z", "updated_at": "2026-09-01T08:41:12Z"
    },
    "suggestions": [{
        "id": "01936f60-1b2c-7d3e-8f4a-5b6c7d8e9f0a", "title": "Community health workers in the curriculum",
        "url": "https://example.org/chw", "why": "It shows the social mission at work.",
        "submitter_name": "Ada Lovelace", "consent_to_contact": true, "status": "pending",
        "decision_reason": null, "decided_at": null, "created_at": "2026-09-03T14:02:00Z"
    }],
    "nominations_as_nominee": [],
    "nominations_as_nominator": [{
        "id": "01936f61-2c3d-7e4f-9a0b-6c7d8e9f0a1b", "nominator_name": "Ada Lovelace",
        "status": "pending", "created_at": "2026-09-04T10:00:00Z"
    }],
    "registrations": [{
        "id": "01936f62-3d4e-7f5a-8b1c-7d8e9f0a1b2c", "conference_slug": "beyond-flexner-2027",
        "conference_name": "Beyond Flexner 2027", "registration_type": "Professional", "code": "7K3QX9MB",
        "name": "Ada Lovelace", "institution": "University of Tulsa", "role": "Faculty", "profession": "Medicine",
        "accessibility_needs": "Step-free access", "dietary_needs": "Vegetarian", "consent": true,
        "status": "confirmed", "waitlist_position": null, "payment_status": "unpaid", "checked_in_at": null,
        "confirmed_at": "2026-10-02T09:15:00Z", "cancelled_at": null, "created_at": "2026-10-02T09:15:00Z"
    }],
    "proposals": [],
    "sessions": [],
    "partner_contacts": [],
    "messages": [{
        "id": 42, "kind": "newsletter.confirm",
        "subject": "Confirm your subscription to the Social Mission Alliance newsletter",
        "status": "sent", "created_at": "2026-09-01T08:30:00Z", "sent_at": "2026-09-01T08:30:02Z"
    }]
}))]
pub struct PersonalData {
    /// The address as compared (lower-cased).
    pub email: String,
    /// Their newsletter subscription.
    pub newsletter: Option<NewsletterData>,
    /// Resources they suggested for the library.
    pub suggestions: Vec<SuggestionData>,
    /// Champion nominations of them, each with the spotlight made from it.
    pub nominations_as_nominee: Vec<NomineeData>,
    /// Champion nominations they made of someone else: their own part only (the nominee's
    /// details belong to the nominee).
    pub nominations_as_nominator: Vec<NominatorData>,
    /// Their conference registrations.
    pub registrations: Vec<RegistrationData>,
    /// Conference proposals they present.
    pub proposals: Vec<ProposalData>,
    /// Agenda sessions made from their proposals, or of the same edition naming them as a speaker.
    pub sessions: Vec<SessionData>,
    /// Partner institutions whose contact they are.
    pub partner_contacts: Vec<PartnerContactData>,
    /// Messages to them still in the outbox (never a body: bodies carry live links).
    pub messages: Vec<MessageData>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewsletterData {
    pub id: Uuid,
    pub name: Option<String>,
    #[schema(example = "subscribed")]
    pub status: String,
    pub consent_at: DateTime<Utc>,
    pub confirmation_sent_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SubscriberRow> for NewsletterData {
    fn from(r: SubscriberRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            status: r.status.as_str().to_owned(),
            consent_at: r.consent_at,
            confirmation_sent_at: r.confirmation_sent_at,
            confirmed_at: r.confirmed_at,
            unsubscribed_at: r.unsubscribed_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionData {
    pub id: Uuid,
    pub title: String,
    pub url: String,
    pub why: String,
    pub submitter_name: Option<String>,
    pub consent_to_contact: bool,
    #[schema(example = "pending")]
    pub status: String,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<SuggestionRow> for SuggestionData {
    fn from(r: SuggestionRow) -> Self {
        Self {
            id: r.id,
            title: r.title,
            url: r.url,
            why: r.why,
            submitter_name: r.submitter_name,
            consent_to_contact: r.consent_to_contact,
            status: r.status.as_str().to_owned(),
            decision_reason: r.decision_reason,
            decided_at: r.decided_at,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NomineeData {
    pub id: Uuid,
    pub nominee_name: String,
    pub nominee_role: String,
    pub nominee_institution: String,
    pub health_equity_work: String,
    pub self_nomination: bool,
    pub consent_to_feature: bool,
    /// Their answer: `given`, `declined`, `requested` or `unconfirmed`.
    pub nominee_consent: String,
    pub consent_requested_at: Option<DateTime<Utc>>,
    pub consent_answered_at: Option<DateTime<Utc>>,
    #[schema(example = "approved")]
    pub status: String,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The Champion Spotlight made from this nomination.
    pub spotlight: Option<SpotlightData>,
}

impl NomineeData {
    pub fn new(r: NomineeRow, spotlight: Option<SpotlightRow>) -> Self {
        Self {
            id: r.id,
            nominee_name: r.nominee_name,
            nominee_role: r.nominee_role,
            nominee_institution: r.nominee_institution,
            health_equity_work: r.health_equity_work,
            self_nomination: r.self_nomination,
            consent_to_feature: r.consent_to_feature,
            nominee_consent: r.nominee_consent.as_str().to_owned(),
            consent_requested_at: r.consent_requested_at,
            consent_answered_at: r.consent_answered_at,
            status: r.status.as_str().to_owned(),
            decision_reason: r.decision_reason,
            decided_at: r.decided_at,
            created_at: r.created_at,
            spotlight: spotlight.map(Into::into),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpotlightData {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub role: String,
    pub institution: String,
    pub story: String,
    pub photo_url: Option<String>,
    #[schema(example = "published")]
    pub status: String,
    pub published_on: NaiveDate,
}

impl From<SpotlightRow> for SpotlightData {
    fn from(r: SpotlightRow) -> Self {
        Self {
            id: r.id,
            slug: r.slug,
            name: r.name,
            role: r.role,
            institution: r.institution,
            story: r.story,
            photo_url: r.photo_url,
            status: r.status.as_str().to_owned(),
            published_on: r.published_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NominatorData {
    pub id: Uuid,
    pub nominator_name: Option<String>,
    #[schema(example = "pending")]
    pub status: String,
    pub created_at: DateTime<Utc>,
}

impl From<NominatorRow> for NominatorData {
    fn from(r: NominatorRow) -> Self {
        Self {
            id: r.id,
            nominator_name: r.nominator_name,
            status: r.status.as_str().to_owned(),
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationData {
    pub id: Uuid,
    #[schema(example = "beyond-flexner-2027")]
    pub conference_slug: String,
    #[schema(example = "Beyond Flexner 2027")]
    pub conference_name: String,
    #[schema(example = "Professional")]
    pub registration_type: String,
    #[schema(example = "7K3QX9MB")]
    pub code: String,
    pub name: String,
    pub institution: String,
    pub role: String,
    pub profession: String,
    pub accessibility_needs: String,
    pub dietary_needs: String,
    pub consent: bool,
    #[schema(example = "confirmed")]
    pub status: String,
    pub waitlist_position: Option<i32>,
    #[schema(example = "unpaid")]
    pub payment_status: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<RegistrationWithEdition> for RegistrationData {
    fn from((r, conference_slug, conference_name, registration_type): RegistrationWithEdition) -> Self {
        Self {
            id: r.id,
            conference_slug,
            conference_name,
            registration_type,
            code: r.code,
            name: r.name,
            institution: r.institution,
            role: r.role,
            profession: r.profession,
            accessibility_needs: r.accessibility_needs,
            dietary_needs: r.dietary_needs,
            consent: r.consent,
            status: r.status.as_str().to_owned(),
            waitlist_position: r.waitlist_position,
            payment_status: r.payment_status.as_str().to_owned(),
            checked_in_at: r.checked_in_at,
            confirmed_at: r.confirmed_at,
            cancelled_at: r.cancelled_at,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalData {
    pub id: Uuid,
    pub conference_slug: String,
    pub conference_name: String,
    pub title: String,
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    pub authors: Vec<String>,
    pub presenter_name: Option<String>,
    pub track: String,
    #[schema(example = "accepted")]
    pub status: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<ProposalWithEdition> for ProposalData {
    fn from((r, conference_slug, conference_name): ProposalWithEdition) -> Self {
        Self {
            id: r.id,
            conference_slug,
            conference_name,
            title: r.title,
            abstract_: r.abstract_,
            authors: r.authors,
            presenter_name: r.presenter_name,
            track: r.track,
            status: r.status.as_str().to_owned(),
            decided_at: r.decided_at,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionData {
    pub id: Uuid,
    pub conference_slug: String,
    /// The proposal it was made from, if any.
    pub proposal_id: Option<Uuid>,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub track: String,
    pub room: String,
    pub speakers: Vec<String>,
}

impl From<SessionWithEdition> for SessionData {
    fn from((r, conference_slug): SessionWithEdition) -> Self {
        Self {
            id: r.id,
            conference_slug,
            proposal_id: r.proposal_id,
            title: r.title,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            track: r.track,
            room: r.room,
            speakers: r.speakers,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerContactData {
    /// The partner institution's id.
    pub id: Uuid,
    pub institution: String,
    pub contact_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PartnerContactRow> for PartnerContactData {
    fn from(r: PartnerContactRow) -> Self {
        Self {
            id: r.id,
            institution: r.institution,
            contact_name: r.contact_name,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageData {
    pub id: i64,
    #[schema(example = "newsletter.confirm")]
    pub kind: String,
    pub subject: String,
    /// `pending`, `sent`, `logged` or `failed`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<MessageRow> for MessageData {
    fn from(r: MessageRow) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            subject: r.subject,
            status: r.status.as_str().to_owned(),
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

/// How many records of each kind an erasure touched (all zeros when nothing held the address).
/// Never any personal data.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "newsletter_subscribers": 1, "confirm_tokens": 0, "messages": 3, "suggestions": 1,
    "nominations_as_nominator": 1, "nominations_as_nominee": 1, "spotlights": 1, "registrations": 1,
    "proposals": 1, "sessions": 1, "partner_contacts": 0, "decision_reasons": 0, "audit_entries": 2
}))]
pub struct ErasureSummary {
    /// Subscriber rows deleted.
    pub newsletter_subscribers: usize,
    /// Unused confirmation links deleted (unsubscribe links stay, detached, and still answer).
    pub confirm_tokens: usize,
    /// Outbox messages to the address deleted.
    pub messages: usize,
    /// Suggestions left without their submitter's name and address.
    pub suggestions: usize,
    /// Nominations left without their nominator's name and address.
    pub nominations_as_nominator: usize,
    /// Nominations of the person, anonymised.
    pub nominations_as_nominee: usize,
    /// Spotlights made from those nominations, unpublished and emptied.
    pub spotlights: usize,
    /// Registrations stripped of their personal data.
    pub registrations: usize,
    /// Proposals left without their presenter (and without the presenter among the authors).
    pub proposals: usize,
    /// Agenda sessions whose speakers lost the presenter's name.
    pub sessions: usize,
    /// Partners left without this contact.
    pub partner_contacts: usize,
    /// Staff decision reasons on the records above from which a mention of the person was removed.
    pub decision_reasons: usize,
    /// Audit log entries from which a mention of the person was removed.
    pub audit_entries: usize,
}
