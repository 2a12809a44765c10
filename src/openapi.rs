//! The base of the OpenAPI document: info, tags, security schemes, and the markers handlers
//! declare their generic error statuses with (`routes::document` writes every error answer out
//! with its problem types). Paths are collected from the one route list in `routes.rs`, so a
//! route cannot exist without its documentation.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToResponse};

use crate::error::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Social Mission Alliance API",
        // Markdown that both references render: authentication, paging and errors first.
        description = include_str!("openapi.md"),
        license(name = "MIT", identifier = "MIT"),
        contact(name = "Social Mission Alliance", email = "info@beyondflexner.org"),
    ),
    tags(
        (name = "library", description = "The Social Mission Resource Library, for everyone: resources with their \
search, filters and facets, the vocabularies (Resource Type, Social Mission Domain, Topic, Health Profession), \
citations and the Atom feed."),
        (name = "submissions", description = "Suggestions of resources: the public form, and the editors' queue \
where each is accepted (a draft resource) or rejected."),
        (name = "champions", description = "The Champion Spotlight: nominations (the public form and the \
nominee's consent link), the editors' decisions, and the published spotlights."),
        (name = "newsletter", description = "Newsletter signups with double opt-in, confirmation and unsubscribe \
links (one-click too), and the subscriber list for admins."),
        (name = "conference", description = "The annual conference: editions with their agenda and registration \
types, registrations (with a manage link for the registrant) and proposals to calls; staff manage each."),
        (name = "partners", description = "Partner institutions: the change feed, the bulk export and OAI-PMH for \
harvesting the library with an API key; admins register partners and issue their keys."),
        (name = "curation", description = "Staff curation of the library: resources through their life \
(draft, published, archived) and the vocabularies' values."),
        (name = "sessions", description = "Staff sign-in: access and refresh tokens, sign-out, the signed-in user."),
        (name = "users", description = "Staff accounts and their roles (admins)."),
        (name = "audit", description = "The audit log of every staff write (admins)."),
        (name = "privacy", description = "A person's data by email address: access and erasure (admins)."),
        (name = "operations", description = "Health, readiness, metrics and this document."),
    ),
    servers((url = "/", description = "The instance that serves this document")),
    components(
        // Enums used only by query parameters are registered by the assembly (`app::openapi`).
        schemas(Problem),
    ),
    modifiers(&SecuritySchemes),
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "staff_jwt",
            SecurityScheme::Http(
                utoipa::openapi::security::HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from `POST /api/v1/auth/login`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "partner_api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "A partner API key (also accepted as `Authorization: Bearer <key>`)",
            ))),
        );
        components.add_security_scheme("partner_bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The request is malformed (for example, the body is not valid JSON).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct BadRequest(Problem);

/// No such record.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct NotFound(Problem);

/// The body is larger than `BODY_LIMIT_BYTES`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct PayloadTooLarge(Problem);

/// The body was not sent as `Content-Type: application/json`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct UnsupportedMediaType(Problem);

/// One or more fields are invalid; `errors` names each of them.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct Invalid(Problem);

/// The database is unreachable or the request took too long.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait")))]
#[allow(dead_code)] // only its derived documentation is used
pub struct Unavailable(Problem);

/// The answers every endpoint with a JSON body can give besides its own: a malformed body (400),
/// one over the limit (413), another content type (415) and invalid fields (422).
pub struct JsonBodyErrors;

impl utoipa::IntoResponses for JsonBodyErrors {
    fn responses() -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        [("400", "BadRequest"), ("413", "PayloadTooLarge"), ("415", "UnsupportedMediaType"), ("422", "Invalid")]
            .into_iter()
            .map(|(status, name)| (status.to_string(), utoipa::openapi::Ref::from_response_name(name).into()))
            .collect()
    }
}
