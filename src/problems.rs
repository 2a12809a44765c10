//! The catalogue of problem types: every `type` an error answer can carry, with its status, what
//! it means and what a client should do. Clients branch on `type`, never on the English `detail`.
//!
//! The catalogue is one table so that the enum, the document's catalogue (`catalogue_markdown`),
//! the per-operation lists and the examples cannot disagree. A `macro_rules!` table is used
//! rather than a derive crate because each entry carries five values of different kinds (a
//! number and four texts), which attribute-based enum crates such as `strum` only hold as strings.

use serde::{Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

macro_rules! catalogue {
    ($( $variant:ident = $status:literal, $slug:literal, $title:literal, $meaning:literal, $action:literal; )*) => {
        /// The kind of a problem: serialised as its URI, `/problems/<slug>`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ProblemType {
            $($variant,)*
        }

        impl ProblemType {
            /// Every type, in the catalogue's order.
            pub const ALL: &[ProblemType] = &[$(Self::$variant,)*];

            /// The `type` URI (relative to the service).
            pub fn uri(self) -> &'static str {
                match self { $(Self::$variant => concat!("/problems/", $slug),)* }
            }

            /// The HTTP status it is answered with.
            pub fn status(self) -> u16 {
                match self { $(Self::$variant => $status,)* }
            }

            /// A short summary, the same for every occurrence (RFC 9457's `title`).
            pub fn title(self) -> &'static str {
                match self { $(Self::$variant => $title,)* }
            }

            /// What it means.
            pub fn meaning(self) -> &'static str {
                match self { $(Self::$variant => $meaning,)* }
            }

            /// What the client should do.
            pub fn action(self) -> &'static str {
                match self { $(Self::$variant => $action,)* }
            }
        }
    };
}

catalogue! {
    // Any request.
    BadRequest = 400, "bad-request", "Malformed request",
        "The request cannot be read: the body is not valid JSON, or a header such as `Idempotency-Key` is malformed.",
        "Fix the request; sending it again unchanged fails again.";
    ValidationFailed = 422, "validation-failed", "Invalid fields",
        "One or more fields of the body or query are missing or invalid. `errors` lists every one at once, each with its `field`, a stable `code` and a `message`.",
        "Show each error beside its field (translate by `code`), then send the corrected request.";
    PayloadTooLarge = 413, "payload-too-large", "Body too large",
        "The body is larger than the service accepts (`BODY_LIMIT_BYTES`).",
        "Send less; no form of this API needs a large body.";
    UnsupportedMediaType = 415, "unsupported-media-type", "JSON expected",
        "A body was sent with another `Content-Type` than `application/json`.",
        "Send the body as JSON with `Content-Type: application/json`.";
    NotFound = 404, "not-found", "Not found",
        "There is no such record (or it is not public), or no such path; for a registration's manage link, the code and token do not match.",
        "Check the id, slug or link; do not retry.";
    NotAcceptable = 406, "not-acceptable", "Format not available",
        "The `Accept` header names no format this resource is available in; the detail lists those it is.",
        "Ask for one of the formats listed (or use the `format` parameter where there is one).";
    MethodNotAllowed = 405, "method-not-allowed", "Method not allowed",
        "The path exists but does not accept this method.",
        "Use a method from the `Allow` header.";
    Unavailable = 503, "unavailable", "Temporarily unavailable",
        "The database cannot be reached, the instance is stopping, or the request took longer than the service allows.",
        "Retry after `Retry-After` seconds; if the request asks for a lot at once, ask for less.";
    InternalError = 500, "internal-error", "Internal error",
        "Something failed inside the service; nothing about the cause is told to the client.",
        "Retry later; if it persists, report it with the `X-Request-Id` header of the answer.";

    // Credentials and roles.
    AuthenticationRequired = 401, "authentication-required", "Sign-in required",
        "A staff operation was called without `Authorization: Bearer <access_token>`.",
        "Sign in with `POST /api/v1/auth/login`, then send the access token.";
    InvalidAccessToken = 401, "invalid-access-token", "Invalid or expired access token",
        "The access token is malformed, was not signed by this service, or is past its `expires_in`.",
        "Trade the refresh token for a new pair with `POST /api/v1/auth/refresh` and retry; sign in again if that fails too.";
    SessionEnded = 401, "session-ended", "Session ended",
        "The token's session has ended (signed out, or older than the longest session allowed), or the account was deactivated.",
        "Sign in again.";
    InvalidCredentials = 401, "invalid-credentials", "Wrong email or password",
        "No active account has this email and password.",
        "Ask the person to check both; repeated failures are slowed down, then refused with `sign-in-throttled`.";
    InvalidRefreshToken = 401, "invalid-refresh-token", "Invalid refresh token",
        "The refresh token is unknown, expired or was already used (each works once).",
        "Sign in again.";
    UnknownApiKey = 401, "unknown-api-key", "Unknown API key",
        "The partner API key sent is not one the Alliance issued, or it was revoked.",
        "Check the key or ask the Alliance for a new one; public reads without a key work under the anonymous budget.";
    AdminRequired = 403, "admin-required", "Admin role required",
        "The caller is signed in as an editor; this operation needs the admin role.",
        "Do not offer the action to editors; an admin can do it.";

    // Rate limits.
    ReadLimitReached = 429, "read-limit-reached", "Too many reads",
        "The caller's address spent its budget of anonymous reads for the minute (`RATE_LIMIT_READS_PER_MINUTE`).",
        "Wait `Retry-After` seconds. Partners send their API key to read under a larger budget of their own.";
    PartnerLimitReached = 429, "partner-limit-reached", "Partner budget spent",
        "The partner API key spent its budget of reads for the minute (`RATE_LIMIT_PARTNER_PER_MINUTE`).",
        "Wait `Retry-After` seconds; page through the change feed rather than re-reading the library.";
    FormLimitReached = 429, "form-limit-reached", "Too many submissions",
        "The caller's address sent more public forms this minute than allowed (`RATE_LIMIT_FORMS_PER_MINUTE`).",
        "Tell the person to wait `Retry-After` seconds; keep what they typed.";
    LinkLimitReached = 429, "link-limit-reached", "Too many link uses",
        "The caller's address used emailed links (confirmation, consent, a registration's manage link, unsubscribe by form) more often this minute than allowed (`RATE_LIMIT_TOKENS_PER_MINUTE`).",
        "Wait `Retry-After` seconds.";
    SignInThrottled = 429, "sign-in-throttled", "Too many failed sign-ins",
        "Too many failed sign-ins from this address or for this account (`RATE_LIMIT_LOGIN_PER_MINUTE`).",
        "Tell the person to wait `Retry-After` seconds before trying again.";

    // Idempotency and uniqueness.
    RequestInFlight = 409, "request-in-flight", "Request in flight",
        "A request with the same `Idempotency-Key` is still being processed.",
        "Retry the same request (same key) in a moment: it then answers the first request's outcome.";
    SlugTaken = 409, "slug-taken", "Slug taken",
        "Another record of the same kind already has this slug.",
        "Choose another slug, or leave it out to have one made from the name or title.";
    EmailTaken = 409, "email-taken", "Email taken",
        "A staff account with this email address already exists.",
        "Use the existing account (an admin can reactivate it) or another address.";
    NameTaken = 409, "name-taken", "Name taken",
        "The conference edition already has a registration type of this name.",
        "Choose another name, or edit the existing type.";
    Duplicate = 409, "duplicate", "Duplicate",
        "Another request stored the same unique value at the same moment.",
        "Read the current state and decide again; retrying unchanged will conflict again.";

    // Staff accounts.
    OwnAccount = 409, "own-account", "Own account",
        "An admin cannot change their own role or deactivate themselves.",
        "Ask another admin.";

    // The library.
    NoSpotlight = 404, "no-spotlight", "No spotlight",
        "No resource is the library's spotlight at the moment.",
        "Leave the spotlight out of the page.";
    SpotlightNotPublished = 409, "spotlight-not-published", "Not published",
        "Only a published resource can be the library's spotlight.",
        "Publish the resource first (`POST /api/v1/admin/resources/{id}/publish`).";
    ValueInUse = 409, "value-in-use", "Value in use",
        "A vocabulary value cannot be retired while resources use it.",
        "Move those resources to another value first; the detail says how many use it.";

    // Suggestions and nominations.
    AlreadyDecided = 409, "already-decided", "Already decided",
        "The suggestion or nomination was already accepted, approved or rejected.",
        "Reload it: someone else decided it first.";
    ConsentPending = 409, "consent-pending", "Consent pending",
        "The nominee has not confirmed that they agree to be featured (the request is unanswered, or consent was only stated on the form).",
        "Send the nominee the question (`POST /api/v1/admin/champion-nominations/{id}/consent-request`) and wait for their answer.";
    NomineeDeclined = 409, "nominee-declined", "Nominee declined",
        "The nominee declined to be featured; they are not asked again.",
        "Reject the nomination.";
    NomineeAgreed = 409, "nominee-agreed", "Nominee already agreed",
        "The nominee already agreed to be featured; there is nothing to ask.",
        "Approve the nomination.";
    NomineeAddressErased = 409, "nominee-address-erased", "Nominee's address erased",
        "The nominee's email address was erased, so they cannot be asked for consent.",
        "Reject the nomination, or contact the nominee another way and record a new nomination.";
    ConsentWithdrawn = 409, "consent-withdrawn", "Consent withdrawn",
        "The champion's nominee withdrew their consent to be featured, or was erased at their request, so the spotlight cannot be published.",
        "Keep the spotlight unpublished.";

    // The conference.
    ConferenceNotOpen = 409, "conference-not-open", "Conference not open",
        "The edition is not published, so it takes no registrations.",
        "Show the edition's dates instead of the form.";
    SalesNotStarted = 409, "sales-not-started", "Sales not started",
        "Registration of this type opens later; the detail says when.",
        "Show when registration opens (`sales_start` of the type).";
    SalesEnded = 409, "sales-ended", "Sales ended",
        "Registration of this type has closed.",
        "Offer another registration type that is on sale, if any.";
    AlreadyRegistered = 409, "already-registered", "Already registered",
        "This email address already has a live registration for the edition.",
        "Tell the person to use the manage link of their confirmation message.";
    AlreadyCancelled = 409, "already-cancelled", "Already cancelled",
        "The registration is already cancelled.",
        "Reload it; nothing more to do.";
    AlreadyCheckedIn = 409, "already-checked-in", "Already checked in",
        "The registration was already checked in; the detail says when.",
        "Nothing to do: the person is in.";
    RegistrationNotConfirmed = 409, "registration-not-confirmed", "Not confirmed",
        "Only a confirmed registration can check in; this one is waitlisted or cancelled.",
        "Send the person to the registration desk.";
    CapacityBelowTaken = 409, "capacity-below-taken", "Capacity below seats taken",
        "A registration type's capacity cannot go below the seats already taken.",
        "Cancel registrations first, or choose a capacity at least the seats taken.";
    CallNotOpen = 409, "call-not-open", "Call not open yet",
        "The call for proposals opens later; the detail says when.",
        "Show when the call opens (`opens_at`).";
    CallClosed = 409, "call-closed", "Call closed",
        "The call for proposals passed its deadline.",
        "Tell the person the call is closed.";
    TransitionNotAllowed = 409, "transition-not-allowed", "Transition not allowed",
        "A proposal cannot move from its current status to the one asked; the detail lists the statuses it can move to.",
        "Reload the proposal and offer only the allowed statuses.";
    ProposalNotAccepted = 409, "proposal-not-accepted", "Proposal not accepted",
        "Only an accepted proposal can be scheduled as a session.",
        "Accept the proposal first.";
    AlreadyScheduled = 409, "already-scheduled", "Already scheduled",
        "The proposal is already scheduled as a session; the detail names it.",
        "Edit that session instead.";
}

impl Serialize for ProblemType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.uri())
    }
}

impl ProblemType {
    /// The type of a URI, if it is one of the catalogue's.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.uri() == uri)
    }

    /// The example name of the type in the document (`AlreadyRegistered`).
    pub fn name(self) -> String {
        format!("{self:?}")
    }

    /// The catalogue as a Markdown table, for the document's introduction.
    pub fn catalogue_markdown() -> String {
        let mut out = String::from("| `type` | Status | Meaning | What to do |\n|---|---|---|---|\n");
        for t in Self::ALL {
            out.push_str(&format!("| `{}` | {} | {} | {} |\n", t.uri(), t.status(), t.meaning(), t.action()));
        }
        out
    }
}

impl utoipa::PartialSchema for ProblemType {
    fn schema() -> RefOr<Schema> {
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "The kind of problem, a URI relative to the service: branch on it. The catalogue (in the \
                 introduction, under Errors) tells what each means and what to do; each operation lists the \
                 ones it can answer. New types may be added; treat an unknown one by its `status`.",
            ))
            .enum_values(Some(Self::ALL.iter().map(|t| t.uri())))
            .examples([Self::AlreadyRegistered.uri()]);
        RefOr::T(Schema::Object(schema.build()))
    }
}

impl utoipa::ToSchema for ProblemType {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_unique_and_statuses_are_errors() {
        let mut seen = std::collections::HashSet::new();
        for t in ProblemType::ALL {
            assert!(seen.insert(t.uri()), "{} twice", t.uri());
            assert!((400..600).contains(&t.status()), "{t:?}");
            assert_eq!(ProblemType::from_uri(t.uri()), Some(*t));
            assert!(t.meaning().ends_with('.') && t.action().ends_with('.'), "{t:?}");
        }
    }
}
