//! The base of the OpenAPI document: info, tags, security schemes and the reusable problem
//! responses. Paths are collected from the one route list in `routes.rs`, so a route cannot
//! exist without its documentation.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToResponse};

use crate::error::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Social Mission Alliance API",
        description = "The Social Mission Resource Library, public forms, the annual conference and \
partner access. Errors are RFC 9457 problem documents; collections answer `{data, meta}` with `Link` headers.",
        license(name = "MIT", identifier = "MIT"),
    ),
    tags(
        (name = "library", description = "The Social Mission Resource Library (public)"),
        (name = "forms", description = "Public forms: suggestions, Champion nominations, the newsletter"),
        (name = "champions", description = "The Champion Spotlight (public)"),
        (name = "conference", description = "The annual conference: editions, registrations, proposals (public)"),
        (name = "partners", description = "Partner access: the change feed, bulk export, citations, feeds, OAI-PMH"),
        (name = "auth", description = "Staff sign-in"),
        (name = "admin", description = "Staff back office (JWT)"),
        (name = "operations", description = "Health and readiness"),
    ),
    components(
        // Enums used only by query parameters are registered by the assembly (`app::openapi`).
        schemas(Problem),
        responses(
            BadRequest,
            Unauthorized,
            Forbidden,
            NotFound,
            Conflict,
            PayloadTooLarge,
            UnsupportedMediaType,
            Invalid,
            TooManyRequests,
            Unavailable
        ),
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

/// Missing, invalid or expired credentials.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", headers(("WWW-Authenticate" = String)))]
#[allow(dead_code)] // only its derived documentation is used
pub struct Unauthorized(Problem);

/// Signed in, but the role does not allow this.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct Forbidden(Problem);

/// No such record.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct NotFound(Problem);

/// The request conflicts with the current state (for example, a duplicate).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)] // only its derived documentation is used
pub struct Conflict(Problem);

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

/// Too many requests; wait `Retry-After` seconds.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait")))]
#[allow(dead_code)] // only its derived documentation is used
pub struct TooManyRequests(Problem);

/// The database is unreachable or the request took too long.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait")))]
#[allow(dead_code)] // only its derived documentation is used
pub struct Unavailable(Problem);

/// Public reads (the `/api/v1` reads outside `/admin` and `/auth`, and `/oai`) take an optional
/// partner key and carry the rate-limit headers (src/partners/limits.rs): added here once,
/// after the routes are collected, rather than on each handler.
pub fn document_public_reads(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::security::SecurityRequirement;
    use utoipa::openapi::{Ref, RefOr};

    let header = |description: &str| {
        let schema = utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).build();
        RefOr::T(HeaderBuilder::new().schema(Some(schema)).description(Some(description)).build())
    };
    let headers = [
        ("RateLimit", "The IETF draft's current limit: `\"<policy>\";r=<remaining>;t=<seconds to reset>`"),
        (
            "RateLimit-Policy",
            "The IETF draft's policy: `\"anonymous\"` (per client IP) or `\"partner\"` (per key), `q=<requests>;w=60`",
        ),
        ("RateLimit-Limit", "Requests allowed per minute"),
        ("RateLimit-Remaining", "Requests left in the current window"),
        ("RateLimit-Reset", "Seconds until the window is whole again"),
    ];
    for (path, item) in openapi.paths.paths.iter_mut() {
        let public =
            (path.starts_with("/api/v1/") && !path.starts_with("/api/v1/admin") && !path.starts_with("/api/v1/auth"))
                || path == "/oai";
        if !public {
            continue;
        }
        let operations = [item.get.as_mut(), if path == "/oai" { item.post.as_mut() } else { None }];
        for operation in operations.into_iter().flatten() {
            operation.security = Some(vec![
                SecurityRequirement::default(),
                SecurityRequirement::new("partner_api_key", Vec::<String>::new()),
                SecurityRequirement::new("partner_bearer", Vec::<String>::new()),
            ]);
            let responses = &mut operation.responses.responses;
            responses.entry("401".into()).or_insert_with(|| RefOr::Ref(Ref::from_response_name("Unauthorized")));
            responses.entry("429".into()).or_insert_with(|| RefOr::Ref(Ref::from_response_name("TooManyRequests")));
            for response in responses.values_mut() {
                if let RefOr::T(response) = response {
                    for (name, description) in headers {
                        response.headers.entry(name.into()).or_insert_with(|| header(description));
                    }
                }
            }
        }
    }
}

/// Operation ids must be unique (OpenAPI 3.1, and the generated clients name functions after
/// them); utoipa takes the handler's name, which repeats across features (`list`, `get`). A
/// repeated one gets the method and path appended: `list_get_admin_suggestions`.
pub fn unique_operation_ids(openapi: &mut utoipa::openapi::OpenApi) {
    use std::collections::HashMap;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in openapi.paths.paths.values() {
        for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete].into_iter().flatten() {
            *seen.entry(op.operation_id.clone().unwrap_or_default()).or_default() += 1;
        }
    }
    for (path, item) in openapi.paths.paths.iter_mut() {
        let words: Vec<&str> =
            path.split('/').filter(|s| !s.is_empty() && !s.starts_with('{') && *s != "api" && *s != "v1").collect();
        for (method, op) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ] {
            let Some(op) = op else { continue };
            let id = op.operation_id.clone().unwrap_or_default();
            if seen.get(&id).copied().unwrap_or(0) > 1 {
                let tail = words.join("_").replace(['-', '.'], "_");
                op.operation_id = Some(format!("{id}_{method}_{tail}"));
            }
        }
    }
}

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

/// The answers of every staff endpoint to a caller who is not signed in (401) or lacks the role (403).
pub struct StaffErrors;

impl utoipa::IntoResponses for StaffErrors {
    fn responses() -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        [("401", "Unauthorized"), ("403", "Forbidden")]
            .into_iter()
            .map(|(status, name)| (status.to_string(), utoipa::openapi::Ref::from_response_name(name).into()))
            .collect()
    }
}
