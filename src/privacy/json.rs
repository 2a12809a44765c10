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
#[schema(example = json!({ "email": "ada.lovelace@example.org" }))]
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

/// The person's newsletter subscription.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01936f5e-8c1a-7b2e-9d4f-2a6c8e0b1d3f", "name": "Ada Lovelace", "status": "subscribed",
    "consent_at": "2026-09-01T08:30:00Z", "confirmation_sent_at": "2026-09-01T08:30:00Z",
    "confirmed_at": "2026-09-01T08:41:12Z", "unsubscribed_at": null,
    "created_at": "2026-09-01T08:30:00Z", "updated_at": "2026-09-01T08:41:12Z"
}))]
pub struct NewsletterData {
    /// The subscriber's id.
    pub id: Uuid,
    /// The name they gave when signing up; null when they gave none.
    #[schema(example = "Ada Lovelace")]
    pub name: Option<String>,
    /// `pending` (not confirmed yet), `subscribed` or `unsubscribed`.
    #[schema(example = "subscribed")]
    pub status: String,
    /// When they last signed up, agreeing to receive the newsletter (UTC).
    pub consent_at: DateTime<Utc>,
    /// When the latest confirmation link was sent (UTC); null if none was.
    pub confirmation_sent_at: Option<DateTime<Utc>>,
    /// When they confirmed (UTC); null until they do.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// When they unsubscribed (UTC); null unless they did.
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// When they first signed up (UTC).
    pub created_at: DateTime<Utc>,
    /// When the subscription last changed (UTC).
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

/// A resource the person suggested for the library.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01936f60-1b2c-7d3e-8f4a-5b6c7d8e9f0a", "title": "Community health workers in the curriculum",
    "url": "https://example.org/chw", "why": "It shows the social mission at work.",
    "submitter_name": "Ada Lovelace", "consent_to_contact": true, "status": "pending",
    "decision_reason": null, "decided_at": null, "created_at": "2026-09-03T14:02:00Z"
}))]
pub struct SuggestionData {
    /// The suggestion's id.
    pub id: Uuid,
    /// The suggested resource's title, as they wrote it.
    #[schema(example = "Community health workers in the curriculum")]
    pub title: String,
    /// Where the suggested resource is.
    #[schema(format = "uri", example = "https://example.org/chw")]
    pub url: String,
    /// Why they think it belongs in the library.
    pub why: String,
    /// The name they gave; null when they gave none.
    pub submitter_name: Option<String>,
    /// Whether they agreed that editors may email them about it.
    pub consent_to_contact: bool,
    /// `pending`, `accepted` or `rejected`.
    #[schema(example = "pending")]
    pub status: String,
    /// The editors' reason for a rejection; null otherwise.
    pub decision_reason: Option<String>,
    /// When the editors decided (UTC); null while pending.
    pub decided_at: Option<DateTime<Utc>>,
    /// When they sent it (UTC).
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

/// A Champion Spotlight nomination of the person.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a06bdc-6100-71c4-94aa-4e719d3c7dec", "nominee_name": "Ada Lovelace",
    "nominee_role": "Associate Dean for Community Health", "nominee_institution": "University of Tulsa",
    "health_equity_work": "Built the school's partnership with three rural clinics, where every student now trains alongside community health workers.",
    "self_nomination": false, "consent_to_feature": true, "nominee_consent": "given",
    "consent_requested_at": "2026-09-04T10:00:00Z", "consent_answered_at": "2026-09-05T18:20:41Z",
    "status": "approved", "decision_reason": null, "decided_at": "2026-10-01T09:00:00Z",
    "created_at": "2026-09-04T10:00:00Z",
    "spotlight": {
        "id": "01a0f6b1-2680-7193-9117-45ad49889310", "slug": "ada-lovelace", "name": "Ada Lovelace",
        "role": "Associate Dean for Community Health", "institution": "University of Tulsa",
        "story": "Ada built the school's partnership with three rural clinics, where every student now trains alongside community health workers.",
        "photo_url": "https://example.org/photos/ada-lovelace.jpg", "status": "published", "published_on": "2026-10-01"
    }
}))]
pub struct NomineeData {
    /// The nomination's id.
    pub id: Uuid,
    /// The nominee's name, as the nomination gives it.
    #[schema(example = "Ada Lovelace")]
    pub nominee_name: String,
    /// The nominee's role or title.
    pub nominee_role: String,
    /// The nominee's institution.
    pub nominee_institution: String,
    /// What the nomination says they do to advance health equity.
    pub health_equity_work: String,
    /// Whether they nominated themselves.
    pub self_nomination: bool,
    /// What the form's sender stated about the nominee's agreement (never taken as consent).
    pub consent_to_feature: bool,
    /// Their answer: `given`, `declined`, `requested` or `unconfirmed`.
    pub nominee_consent: String,
    /// When they were last asked for their consent (UTC); null if never.
    pub consent_requested_at: Option<DateTime<Utc>>,
    /// When they answered (UTC); null until they do.
    pub consent_answered_at: Option<DateTime<Utc>>,
    /// `pending`, `approved` or `rejected`.
    #[schema(example = "approved")]
    pub status: String,
    /// The editors' reason for a rejection; null otherwise.
    pub decision_reason: Option<String>,
    /// When the editors decided (UTC); null while pending.
    pub decided_at: Option<DateTime<Utc>>,
    /// When the nomination was sent (UTC).
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

/// A Champion Spotlight made from a nomination of the person.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a0f6b1-2680-7193-9117-45ad49889310", "slug": "ada-lovelace", "name": "Ada Lovelace",
    "role": "Associate Dean for Community Health", "institution": "University of Tulsa",
    "story": "Ada built the school's partnership with three rural clinics, where every student now trains alongside community health workers.",
    "photo_url": "https://example.org/photos/ada-lovelace.jpg", "status": "published", "published_on": "2026-10-01"
}))]
pub struct SpotlightData {
    /// The spotlight's id.
    pub id: Uuid,
    /// The spotlight's slug, for its page.
    #[schema(example = "ada-lovelace")]
    pub slug: String,
    /// The name shown.
    pub name: String,
    /// The role shown.
    pub role: String,
    /// The institution shown.
    pub institution: String,
    /// The story shown.
    pub story: String,
    /// The photo shown; null for none.
    #[schema(format = "uri", example = "https://example.org/photos/ada-lovelace.jpg")]
    pub photo_url: Option<String>,
    /// `published` or `unpublished`.
    #[schema(example = "published")]
    pub status: String,
    /// The date shown as published.
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

/// A Champion Spotlight nomination the person made of someone else: their own part only.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01936f61-2c3d-7e4f-9a0b-6c7d8e9f0a1b", "nominator_name": "Ada Lovelace",
    "status": "pending", "created_at": "2026-09-04T10:00:00Z"
}))]
pub struct NominatorData {
    /// The nomination's id.
    pub id: Uuid,
    /// The name they gave as nominator.
    #[schema(example = "Ada Lovelace")]
    pub nominator_name: Option<String>,
    /// `pending`, `approved` or `rejected`.
    #[schema(example = "pending")]
    pub status: String,
    /// When they sent it (UTC).
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

/// A conference registration of the person.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01936f62-3d4e-7f5a-8b1c-7d8e9f0a1b2c", "conference_slug": "beyond-flexner-2027",
    "conference_name": "Beyond Flexner 2027", "registration_type": "Professional", "code": "7K3QX9MB",
    "name": "Ada Lovelace", "institution": "University of Tulsa", "role": "Faculty", "profession": "Medicine",
    "accessibility_needs": "Step-free access", "dietary_needs": "Vegetarian", "consent": true,
    "status": "confirmed", "waitlist_position": null, "payment_status": "unpaid", "checked_in_at": null,
    "confirmed_at": "2026-10-02T09:15:00Z", "cancelled_at": null, "created_at": "2026-10-02T09:15:00Z"
}))]
pub struct RegistrationData {
    /// The registration's id.
    pub id: Uuid,
    /// The conference edition's slug.
    #[schema(example = "beyond-flexner-2027")]
    pub conference_slug: String,
    /// The conference edition's name.
    #[schema(example = "Beyond Flexner 2027")]
    pub conference_name: String,
    /// The registration type's name.
    #[schema(example = "Professional")]
    pub registration_type: String,
    /// The registration's code (8 characters), as on their confirmation.
    #[schema(example = "7K3QX9MB")]
    pub code: String,
    /// The attendee's name.
    #[schema(example = "Ada Lovelace")]
    pub name: String,
    /// The attendee's institution; may be empty.
    pub institution: String,
    /// The attendee's role; may be empty.
    pub role: String,
    /// The attendee's profession; may be empty.
    pub profession: String,
    /// Accessibility needs they told the organisers; may be empty.
    pub accessibility_needs: String,
    /// Dietary needs they told the organisers; may be empty.
    pub dietary_needs: String,
    /// Whether they agreed that these details are kept for the conference.
    pub consent: bool,
    /// `confirmed`, `waitlisted` or `cancelled`.
    #[schema(example = "confirmed")]
    pub status: String,
    /// Their place on the type's waiting list (waitlisted only); null otherwise.
    pub waitlist_position: Option<i32>,
    /// `unpaid`, `paid` or `waived`.
    #[schema(example = "unpaid")]
    pub payment_status: String,
    /// When they checked in at the conference (UTC); null until they do.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// When their seat was confirmed (UTC); null if it never was (waitlisted).
    pub confirmed_at: Option<DateTime<Utc>>,
    /// When the registration was cancelled (UTC); null unless it was.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// When they registered (UTC).
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

/// A conference proposal the person presents.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a10bb8-7380-7d08-82f0-ee99731c9452", "conference_slug": "beyond-flexner-2027",
    "conference_name": "Beyond Flexner 2027",
    "title": "Community health workers as co-teachers in rural family medicine",
    "abstract": "Since 2024, every second-year student spends four weeks in a rural clinic taught jointly by a physician and a community health worker. We describe the partnership, the curriculum and what students and clinics report.",
    "authors": ["Ada Lovelace", "Grace Okafor"], "presenter_name": "Ada Lovelace",
    "track": "Community Engagement", "status": "accepted",
    "decided_at": "2026-10-20T16:00:00Z", "created_at": "2026-10-05T11:00:00Z"
}))]
pub struct ProposalData {
    /// The proposal's id.
    pub id: Uuid,
    /// The conference edition's slug.
    #[schema(example = "beyond-flexner-2027")]
    pub conference_slug: String,
    /// The conference edition's name.
    #[schema(example = "Beyond Flexner 2027")]
    pub conference_name: String,
    /// The proposal's title.
    pub title: String,
    /// The proposal's abstract.
    #[serde(rename = "abstract")]
    #[schema(rename = "abstract")]
    pub abstract_: String,
    /// Everyone who wrote it, in the order shown.
    pub authors: Vec<String>,
    /// The presenting author's name.
    #[schema(example = "Ada Lovelace")]
    pub presenter_name: Option<String>,
    /// The track it was proposed for; may be empty.
    pub track: String,
    /// `submitted`, `under_review`, `accepted`, `rejected` or `withdrawn`.
    #[schema(example = "accepted")]
    pub status: String,
    /// When it was accepted, rejected or withdrawn (UTC); null before.
    pub decided_at: Option<DateTime<Utc>>,
    /// When it was sent (UTC).
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

/// An agenda session made from the person's proposal, or naming them as a speaker.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a19bb3-9500-77da-af67-d461e4163207", "conference_slug": "beyond-flexner-2027",
    "proposal_id": "01a10bb8-7380-7d08-82f0-ee99731c9452",
    "title": "Community health workers as co-teachers in rural family medicine",
    "starts_at": "2027-04-16T14:00:00Z", "ends_at": "2027-04-16T14:45:00Z",
    "track": "Community Engagement", "room": "Ballroom B", "speakers": ["Ada Lovelace", "Grace Okafor"]
}))]
pub struct SessionData {
    /// The session's id.
    pub id: Uuid,
    /// The conference edition's slug.
    #[schema(example = "beyond-flexner-2027")]
    pub conference_slug: String,
    /// The proposal it was made from, if any.
    pub proposal_id: Option<Uuid>,
    /// The session's title.
    pub title: String,
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// When it ends (UTC).
    pub ends_at: DateTime<Utc>,
    /// Its track; may be empty.
    pub track: String,
    /// Where it takes place; may be empty.
    #[schema(example = "Ballroom B")]
    pub room: String,
    /// The speakers' names, in the order shown.
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

/// A partner institution whose contact the person is.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a21d85-3980-7e50-b929-2d22e255accb", "institution": "Example University Health Sciences Library",
    "contact_name": "Ada Lovelace", "created_at": "2026-11-27T15:00:00Z", "updated_at": "2026-11-27T15:00:00Z"
}))]
pub struct PartnerContactData {
    /// The partner institution's id.
    pub id: Uuid,
    /// The institution's name.
    #[schema(example = "Example University Health Sciences Library")]
    pub institution: String,
    /// The contact name stored with the partner; may be empty.
    pub contact_name: String,
    /// When the partner was registered (UTC).
    pub created_at: DateTime<Utc>,
    /// When the partner's details last changed (UTC).
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

/// A message to the person still in the outbox (never its body, which carries live links).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 42, "kind": "newsletter.confirm",
    "subject": "Confirm your subscription to the Social Mission Alliance newsletter",
    "status": "sent", "created_at": "2026-09-01T08:30:00Z", "sent_at": "2026-09-01T08:30:02Z"
}))]
pub struct MessageData {
    /// The message's number in the outbox.
    #[schema(example = 42)]
    pub id: i64,
    /// What the message is (`newsletter.confirm`, `suggestion.decision`, `registration.confirmed`…).
    #[schema(example = "newsletter.confirm")]
    pub kind: String,
    /// The message's subject line.
    #[schema(example = "Confirm your subscription to the Social Mission Alliance newsletter")]
    pub subject: String,
    /// `pending` (not sent yet), `sent`, `logged` (written to the log: no mail server is configured)
    /// or `failed` (given up).
    #[schema(example = "sent")]
    pub status: String,
    /// When it was queued (UTC).
    pub created_at: DateTime<Utc>,
    /// When it was sent or logged (UTC); null until then.
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
