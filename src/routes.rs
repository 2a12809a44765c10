//! The one route list. Routes are grouped by who may call them and at which rate (`Access`):
//! the group's policy (its limiter or its authentication) is applied by `policy` before the
//! request is routed, and the OpenAPI document's security, rate-limit answers and access notes
//! are written from the same groups (`document`), so a route cannot exist without its
//! documentation or outside a policy.
//!
//! Groups share URL prefixes (`GET /api/v1/conferences/{slug}` is a public read, `POST
//! /api/v1/conferences/{slug}/registrations` a public form), so they are not actix scopes of their
//! own (sibling scopes of one prefix do not fall through to each other, and actix's lookup of a
//! request's route pattern, which the metrics label with, stops at the first): the routes of
//! every group are mounted in one tree by prefix, and `policy` finds a request's group by its
//! method and path in a table made from the groups once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, App, HttpResponse, ResponseError};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{OpenApi, Ref, RefOr, Required};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};

use crate::auth::Role;
use crate::error::{FieldCode, FieldError, Problem, ProblemType};
use crate::extract::limit::spend;
use crate::ratelimit::Policy;
use crate::state::AppState;
use crate::{
    audit, champions, citations, editions, newsletter, oai, ops, partners, privacy, proposals, registrations,
    resources, sessions, suggestions, sync, taxonomy, users,
};

/// Who may call a group of routes, and at which rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Health, readiness, metrics and the document: anyone, unlimited (for probes and scrapers).
    Operations,
    /// Reads for everyone: per client address (`RATE_LIMIT_READS_PER_MINUTE`), or per partner
    /// key (`RATE_LIMIT_PARTNER_PER_MINUTE`) when one is sent; a sent key that is unknown or
    /// revoked is a 401. Every answer carries the `RateLimit` headers (`partners::limits`).
    PublicReads,
    /// As-you-type suggestions: per client address, with a budget of their own several times the
    /// reads' (`RATE_LIMIT_SUGGEST_PER_MINUTE`), since a search box asks at every keystroke.
    Suggestions,
    /// Anonymous forms: `RATE_LIMIT_FORMS_PER_MINUTE` per client address.
    PublicForms,
    /// Requests that present a secret token from an email or a manage link:
    /// `RATE_LIMIT_TOKENS_PER_MINUTE` per client address, so tokens cannot be guessed.
    TokenLinks,
    /// The newsletter's one-click unsubscribe (RFC 8058): a link from a message is never
    /// refused; the same route as a form limits itself (`newsletter`).
    OneClick,
    /// Staff sign-in and refresh: limited by failed attempts, per address and per account
    /// (`auth::throttle`), since only failures tell an attack.
    SignIn,
    /// Signed-in staff, editors and admins: a live session or a 401 before any handler
    /// (`auth::extract::staff`).
    Staff,
    /// Signed-in admins: as `Staff`, and a 403 for an editor (`auth::extract::admins`).
    Admins,
}

impl Access {
    /// The sentence the document adds to each operation of the group.
    fn note(self) -> &'static str {
        match self {
            Self::Operations => "Access: anyone, not rate-limited.",
            Self::PublicReads => {
                "Access: anyone; limited per client address (`RATE_LIMIT_READS_PER_MINUTE`), or per partner key \
(`RATE_LIMIT_PARTNER_PER_MINUTE`) when `X-Api-Key` is sent; answers carry `RateLimit` headers."
            }
            Self::Suggestions => {
                "Access: anyone; limited per client address by a budget of its own (`RATE_LIMIT_SUGGEST_PER_MINUTE`, \
five times the reads' by default: a search box asks at every keystroke)."
            }
            Self::PublicForms => "Access: anyone; limited per client address (`RATE_LIMIT_FORMS_PER_MINUTE`).",
            Self::TokenLinks => {
                "Access: whoever holds the token; limited per client address (`RATE_LIMIT_TOKENS_PER_MINUTE`)."
            }
            Self::OneClick => {
                "Access: whoever holds the link's token, never rate-limited; without a token in the query, limited per \
client address (`RATE_LIMIT_TOKENS_PER_MINUTE`)."
            }
            Self::SignIn => {
                "Access: anyone; failed attempts are limited per client address and per account \
(`RATE_LIMIT_LOGIN_PER_MINUTE`), and an attacked account answers more slowly."
            }
            Self::Staff => "Access: signed-in staff, editors and admins (`staff_jwt`).",
            Self::Admins => "Access: signed-in admins (`staff_jwt`); an editor gets 403.",
        }
    }
}

/// A group of routes under one prefix, with one access policy.
struct Group {
    access: Access,
    prefix: &'static str,
    routes: fn(&mut ServiceConfig),
}

/// Every route of the service, by access. The public reads (and suggestions) come first: they are most requests.
const GROUPS: &[Group] = &[
    // Before the public reads, so `/resources/suggest` is never read as a slug.
    Group { access: Access::Suggestions, prefix: "/api/v1", routes: resources::routes::suggestions },
    Group {
        access: Access::PublicReads,
        prefix: "/api/v1",
        routes: |c| {
            // The change feed, the export and the feed before `/resources/{key}`, so their
            // words are never read as slugs.
            c.configure(sync::routes::public_reads)
                .configure(citations::routes::public_reads)
                .configure(resources::routes::public_reads)
                .configure(taxonomy::routes::public_reads)
                .configure(champions::routes::public_reads)
                .configure(editions::routes::public_reads);
        },
    },
    Group { access: Access::PublicReads, prefix: "", routes: oai::routes::public_reads },
    Group {
        access: Access::PublicForms,
        prefix: "/api/v1",
        routes: |c| {
            c.configure(suggestions::routes::public_forms)
                .configure(champions::routes::public_forms)
                .configure(newsletter::routes::public_forms)
                .configure(registrations::routes::public_forms)
                .configure(proposals::routes::public_forms);
        },
    },
    Group {
        access: Access::TokenLinks,
        prefix: "/api/v1",
        routes: |c| {
            c.configure(champions::routes::token_links)
                .configure(newsletter::routes::token_links)
                .configure(registrations::routes::token_links);
        },
    },
    Group { access: Access::OneClick, prefix: "/api/v1", routes: newsletter::routes::one_click },
    Group { access: Access::SignIn, prefix: "/api/v1", routes: sessions::routes::sign_in },
    Group { access: Access::Staff, prefix: "/api/v1", routes: sessions::routes::staff },
    Group {
        access: Access::Staff,
        prefix: "/api/v1/admin",
        routes: |c| {
            c.configure(resources::routes::staff)
                .configure(suggestions::routes::staff)
                .configure(champions::routes::staff)
                .configure(editions::routes::staff)
                .configure(registrations::routes::staff)
                .configure(proposals::routes::staff);
        },
    },
    Group {
        access: Access::Admins,
        prefix: "/api/v1/admin",
        routes: |c| {
            c.configure(users::routes::admins)
                .configure(audit::routes::admins)
                .configure(taxonomy::routes::admins)
                .configure(newsletter::routes::admins)
                .configure(privacy::routes::admins)
                .configure(registrations::routes::admins)
                .configure(partners::routes::admins);
        },
    },
    Group { access: Access::Operations, prefix: "", routes: ops::routes::operations },
];

impl Group {
    /// The group's routes as the document lists them: full paths and their operations.
    fn paths(&self) -> utoipa::openapi::path::Paths {
        let (_, doc) =
            App::new().into_utoipa_app().service(scope(self.prefix).configure(self.routes)).split_for_parts();
        doc.paths
    }
}

/// Mounts every group in one tree: `/api/v1`, its `/admin`, and the root.
pub fn configure(cfg: &mut ServiceConfig) {
    fn under(prefix: &'static str) -> impl FnOnce(&mut ServiceConfig) {
        move |c| {
            for group in GROUPS.iter().filter(|g| g.prefix == prefix) {
                c.configure(group.routes);
            }
        }
    }
    cfg.service(
        scope("/api/v1").configure(under("/api/v1")).service(scope("/admin").configure(under("/api/v1/admin"))),
    )
    .configure(under(""));
}

/// A documented route's path, segment by segment: a literal, or `{name}` (one segment).
///
/// Matched by hand rather than with actix's `ResourceDef`: its patterns run on `regex-lite`'s
/// PikeVM, which costs microseconds a request (a profile of the cached detail showed a sixth of
/// the process in it once for routing); the documented paths need nothing but whole segments.
struct Pattern(Vec<Option<String>>);

impl Pattern {
    fn new(path: &str) -> Self {
        Self(path.split('/').map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_string())).collect())
    }

    fn is_match(&self, path: &str) -> bool {
        let mut parts = path.split('/');
        for segment in &self.0 {
            match (parts.next(), segment) {
                (Some(part), Some(literal)) if part == literal => {}
                (Some(part), None) if !part.is_empty() => {}
                _ => return false,
            }
        }
        parts.next().is_none()
    }
}

/// A route of a group: its documented path (full), its pattern, method, access, operation id and
/// every problem type it can answer.
struct Route {
    path: String,
    pattern: Pattern,
    method: Method,
    access: Access,
    operation: String,
    problems: Vec<ProblemType>,
}

/// Every route, in the groups' order; made once (the document and `policy` share it).
fn table() -> &'static [Route] {
    static TABLE: OnceLock<Vec<Route>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut routes = Vec::new();
        for group in GROUPS {
            for (path, item) in group.paths().paths {
                for (method, operation) in operations(&item) {
                    let id = operation.operation_id.clone().expect("every handler names its operation id");
                    routes.push(Route {
                        pattern: Pattern::new(&path),
                        path: path.clone(),
                        problems: problems_of(group.access, &method, &id, operation),
                        method,
                        access: group.access,
                        operation: id,
                    });
                }
            }
        }
        routes
    })
}

/// The route of a request; `HEAD` is treated as its `GET`. `None`: no such route.
fn route_of(method: &Method, path: &str) -> Option<&'static Route> {
    let method = if method == Method::HEAD { &Method::GET } else { method };
    table().iter().find(|r| r.method == method && r.pattern.is_match(path))
}

/// Every problem type an operation can answer, in the catalogue's order: those its handler
/// declares (`extensions(("x-problems" = json!([...])))`, its own rules), those of the statuses
/// it declares (400, 404, 413, 415, 422, 503), of its `Idempotency-Key`, of its group's policy,
/// and `duplicate` for writes.
fn problems_of(
    access: Access,
    method: &Method,
    id: &str,
    operation: &utoipa::openapi::path::Operation,
) -> Vec<ProblemType> {
    let declared = operation.extensions.as_ref().and_then(|e| e.get(PROBLEMS)).cloned();
    let mut types: Vec<ProblemType> = match declared {
        Some(serde_json::Value::Array(uris)) => uris
            .iter()
            .map(|uri| {
                uri.as_str()
                    .and_then(ProblemType::from_uri)
                    .unwrap_or_else(|| panic!("{id}: {uri} is not in the problem catalogue"))
            })
            .collect(),
        Some(other) => panic!("{id}: `x-problems` must be a list of problem types, not {other}"),
        None => Vec::new(),
    };
    let statuses = &operation.responses.responses;
    for (status, kind) in [
        ("400", ProblemType::BadRequest),
        ("404", ProblemType::NotFound),
        ("413", ProblemType::PayloadTooLarge),
        ("415", ProblemType::UnsupportedMediaType),
        ("422", ProblemType::ValidationFailed),
        ("503", ProblemType::Unavailable),
    ] {
        if statuses.contains_key(status) {
            types.push(kind);
        }
    }
    let idempotent =
        operation.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.name == "Idempotency-Key"));
    if idempotent {
        types.push(ProblemType::RequestInFlight);
    }
    types.extend_from_slice(match access {
        Access::PublicReads => {
            &[ProblemType::UnknownApiKey, ProblemType::ReadLimitReached, ProblemType::PartnerLimitReached]
        }
        Access::Suggestions => &[ProblemType::ReadLimitReached],
        Access::PublicForms => &[ProblemType::FormLimitReached],
        Access::TokenLinks => &[ProblemType::LinkLimitReached],
        Access::Staff => &STAFF,
        Access::Admins => &ADMINS,
        Access::OneClick | Access::SignIn | Access::Operations => &[],
    });
    if access != Access::Operations {
        // Any route that reads the database can find it unreachable or too slow.
        types.push(ProblemType::Unavailable);
    }
    let writes = [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method);
    if writes && matches!(access, Access::PublicForms | Access::TokenLinks | Access::Staff | Access::Admins) {
        // A write that races another one to a unique value the handler checked (see `ApiError`'s
        // `From<diesel::result::Error>`).
        types.push(ProblemType::Duplicate);
    }
    types.sort();
    types.dedup();
    // A status the handler declares must be explained by a type (a bare 409 tells a client nothing).
    for status in statuses.keys().filter(|s| s.starts_with('4') || s.starts_with('5')) {
        assert!(
            types.iter().any(|t| t.status().to_string() == *status),
            "{id} declares a {status} answer but no problem type of that status"
        );
    }
    types
}

/// The extension a handler lists its own problem types in, and the document lists all of them in.
const PROBLEMS: &str = "x-problems";

const STAFF: [ProblemType; 3] =
    [ProblemType::AuthenticationRequired, ProblemType::InvalidAccessToken, ProblemType::SessionEnded];
const ADMINS: [ProblemType; 4] = [
    ProblemType::AuthenticationRequired,
    ProblemType::InvalidAccessToken,
    ProblemType::SessionEnded,
    ProblemType::AdminRequired,
];

/// The methods of the documented route at `path` (empty when there is none): a 405 names them in `Allow`.
pub fn allowed_methods(path: &str) -> Vec<Method> {
    let mut methods = Vec::new();
    for route in table().iter().filter(|r| r.pattern.is_match(path)) {
        if !methods.contains(&route.method) {
            methods.push(route.method.clone());
        }
    }
    methods
}

/// The middleware that applies each group's policy before the request is routed, and counts
/// every problem answered by the operation and type (`sma_problems_total`).
pub async fn policy(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let route = route_of(req.method(), req.path());
    let mut reads = None;
    let admitted: Result<(), HttpResponse> = match route.map(|r| r.access) {
        Some(Access::PublicReads) => partners::limits::admit(&req).await.map(|admitted| reads = Some(admitted)),
        Some(Access::Suggestions) => spend(req.request(), Policy::Suggest).await.map_err(|e| e.error_response()),
        Some(Access::PublicForms) => spend(req.request(), Policy::Forms).await.map_err(|e| e.error_response()),
        Some(Access::TokenLinks) => spend(req.request(), Policy::Tokens).await.map_err(|e| e.error_response()),
        Some(Access::Staff) => crate::auth::extract::admit(&req, None).await.map_err(|e| e.error_response()),
        Some(Access::Admins) => {
            crate::auth::extract::admit(&req, Some(Role::Admin)).await.map_err(|e| e.error_response())
        }
        Some(Access::Operations | Access::OneClick | Access::SignIn) | None => Ok(()),
    };
    let response = match admitted {
        Err(refused) => req.into_response(refused).map_into_right_body(),
        Ok(()) => {
            let mut response = next.call(req).await?;
            if let Some(reads) = reads {
                reads.apply(response.headers_mut());
            }
            response.map_into_left_body()
        }
    };
    if let (Some(route), Some(kind)) = (route, response.response().extensions().get::<ProblemType>().copied()) {
        if let Some(state) = response.request().app_data::<web::Data<AppState>>() {
            state.metrics.problem(&route.operation, kind);
        }
    }
    Ok(response)
}

/// The operations of a path item, with their methods.
fn operations(item: &utoipa::openapi::PathItem) -> Vec<(Method, &utoipa::openapi::path::Operation)> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

/// Writes each group's policy into the document: the security requirements, the answers the
/// policy can give (401, 403, 429) and the access note; the public reads also get their
/// `RateLimit` headers and the optional partner key.
pub fn document(doc: &mut OpenApi) {
    let mut answers = BTreeMap::new();
    for route in table() {
        let Some(target) = doc.paths.paths.get_mut(&route.path) else { continue };
        let operation = match route.method {
            Method::GET => target.get.as_mut(),
            Method::POST => target.post.as_mut(),
            Method::PUT => target.put.as_mut(),
            Method::PATCH => target.patch.as_mut(),
            _ => target.delete.as_mut(),
        };
        if let Some(operation) = operation {
            document_operation(route, operation, &mut answers);
        }
    }
    // The catalogue closes the introduction's Errors section.
    let introduction = doc.info.description.take().unwrap_or_default();
    doc.info.description =
        Some(format!("{}\n\n## Problem types\n\n{}", introduction.trim_end(), ProblemType::catalogue_markdown()));
    let components = doc.components.get_or_insert_with(Default::default);
    // The error answers are those the operations use (the handlers' status markers are replaced).
    components.responses = answers.into_iter().map(|(name, answer)| (name, RefOr::T(answer))).collect();
    for (name, description) in HEADERS {
        let schema = ObjectBuilder::new().schema_type(Type::String).build();
        let header = HeaderBuilder::new().schema(Some(schema)).description(Some(*description)).build();
        components.headers.insert((*name).into(), RefOr::T(header));
    }
    // One example per type some operation answers (the others are in the catalogue only).
    let answered: std::collections::BTreeSet<ProblemType> = table().iter().flat_map(|r| r.problems.clone()).collect();
    for kind in ProblemType::ALL.iter().filter(|t| answered.contains(t)) {
        let mut problem = Problem::new(*kind, kind.meaning());
        if *kind == ProblemType::ValidationFailed {
            problem.detail = "the request has 2 invalid fields".into();
            problem.errors = Some(vec![
                FieldError::new("title", FieldCode::Required, "is required"),
                FieldError::new("email", FieldCode::InvalidEmail, "must be a valid email address"),
            ]);
        }
        let example = ExampleBuilder::new()
            .summary(kind.title())
            .description(format!("{} {}", kind.meaning(), kind.action()))
            .value(Some(serde_json::to_value(problem).expect("a problem always serialises")))
            .build();
        components.examples.insert(kind.name(), RefOr::T(example));
    }
}

fn document_operation(
    route: &Route,
    operation: &mut utoipa::openapi::path::Operation,
    answers: &mut BTreeMap<String, utoipa::openapi::Response>,
) {
    let access = route.access;
    match access {
        Access::PublicReads => {
            operation.security = Some(vec![
                SecurityRequirement::default(),
                SecurityRequirement::new("partner_api_key", Vec::<String>::new()),
                SecurityRequirement::new("partner_bearer", Vec::<String>::new()),
            ]);
        }
        Access::Staff | Access::Admins => {
            operation.security = Some(vec![SecurityRequirement::new("staff_jwt", Vec::<String>::new())]);
        }
        _ => {}
    }
    let idempotent = route.problems.contains(&ProblemType::RequestInFlight);
    let responses = &mut operation.responses.responses;
    responses.retain(|status, _| !(status.starts_with('4') || status.starts_with('5')));
    let mut conditional = false;
    for response in responses.values_mut() {
        let RefOr::T(response) = response else { continue };
        // Headers a handler names are declared once, with their meaning, in `components.headers`.
        for (name, header) in response.headers.iter_mut() {
            if HEADERS.iter().any(|(known, _)| known == name) {
                *header = RefOr::Ref(Ref::new(format!("#/components/headers/{name}")));
            }
        }
        conditional |= response.headers.contains_key(ETAG);
        let paged = response.content.values().any(|c| {
            matches!(c, RefOr::T(c) if matches!(&c.schema, Some(RefOr::Ref(r))
                if r.ref_location.contains("/Paginated_") || r.ref_location.contains("/ResourceList_")))
        });
        if paged {
            add_headers(response, &[LINK]);
        }
        if idempotent {
            add_headers(response, &[IDEMPOTENT_REPLAYED]);
        }
        add_headers(response, &[REQUEST_ID]);
        if access == Access::PublicReads {
            add_headers(response, &RATE_LIMIT);
        }
    }
    if conditional {
        // A cached read: `If-None-Match` with the ETag of an earlier answer gets a bodiless 304.
        let mut not_modified = ResponseBuilder::new()
            .description("Not modified: the `If-None-Match` ETag is still the current one; use the copy you hold.")
            .build();
        add_headers(&mut not_modified, &[ETAG, REQUEST_ID]);
        responses.insert("304".into(), RefOr::T(not_modified));
        let if_none_match = ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some("The `ETag` of an answer you hold: a 304 without a body when it is still current."))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        let parameters = operation.parameters.get_or_insert_with(Vec::new);
        if !parameters.iter().any(|p| matches!(p, RefOr::T(p) if p.name == "If-None-Match")) {
            parameters.push(RefOr::T(if_none_match));
        }
    }
    let responses = &mut operation.responses.responses;
    let mut statuses: Vec<u16> = route.problems.iter().map(|t| t.status()).collect();
    statuses.dedup();
    for status in statuses {
        let types: Vec<ProblemType> = route.problems.iter().copied().filter(|t| t.status() == status).collect();
        // One shared answer per set of types, named by them (`NotFound`, `SalesEndedOrAlreadyRegistered`).
        let name = types.iter().map(|t| t.name()).collect::<Vec<_>>().join("Or");
        answers.entry(name.clone()).or_insert_with(|| problem_answer(status, &types));
        responses.insert(status.to_string(), RefOr::Ref(Ref::from_response_name(name)));
    }
    let uris: Vec<&str> = route.problems.iter().map(|t| t.uri()).collect();
    operation.extensions.get_or_insert_with(Default::default).insert(PROBLEMS.into(), serde_json::json!(uris));
    let note = access.note();
    operation.description = Some(match operation.description.take().filter(|d| !d.is_empty()) {
        Some(description) => format!("{description}\n\n{note}"),
        None => note.to_string(),
    });
}

/// The answer of one error status: the problem types it can carry, each with its example.
fn problem_answer(status: u16, types: &[ProblemType]) -> utoipa::openapi::Response {
    let description = match types {
        [one] => format!("`{}`: {} {}", one.uri(), one.meaning(), one.action()),
        _ => types.iter().fold(String::from("One of these problems, told apart by `type`:\n"), |text, t| {
            format!("{text}\n- `{}`: {} {}", t.uri(), t.meaning(), t.action())
        }),
    };
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .examples_from_iter(
            types.iter().map(|t| (t.name(), RefOr::Ref(Ref::new(format!("#/components/examples/{}", t.name()))))),
        )
        .build();
    let mut answer =
        ResponseBuilder::new().description(description).content("application/problem+json", content).build();
    add_headers(&mut answer, &[REQUEST_ID]);
    if types.contains(&ProblemType::ReadLimitReached) {
        add_headers(&mut answer, &RATE_LIMIT);
    }
    match status {
        401 => add_headers(&mut answer, &[WWW_AUTHENTICATE]),
        429 | 503 => add_headers(&mut answer, &[RETRY_AFTER]),
        _ => {}
    }
    answer
}

/// The headers answers declare, by reference to `components.headers`.
const HEADERS: &[(&str, &str)] = &[
    (
        REQUEST_ID,
        "The request's id: the caller's `X-Request-Id` when it is 1 to 128 letters, digits or `-_.:`, else a new \
UUID. Quote it when reporting a problem.",
    ),
    ("RateLimit", "The IETF draft's current limit: `\"<policy>\";r=<remaining>;t=<seconds to reset>`"),
    (
        "RateLimit-Policy",
        "The IETF draft's policy: `\"anonymous\"` (per client address) or `\"partner\"` (per key), `q=<requests>;w=60`",
    ),
    ("RateLimit-Limit", "Requests allowed per minute"),
    ("RateLimit-Remaining", "Requests left in the current window"),
    ("RateLimit-Reset", "Seconds until the window is whole again"),
    (RETRY_AFTER, "Seconds to wait before retrying"),
    (
        LINK,
        "RFC 8288 links to the `first`, `prev` (absent on the first page), `next` (absent on the last) and `last` \
pages, keeping every other query parameter: follow them rather than building URLs.",
    ),
    (ETAG, "The answer's entity tag: send it as `If-None-Match` to get a 304 while it is current."),
    ("Cache-Control", "How long shared caches and browsers may keep the answer."),
    ("Location", "The URL of the record the request made or names."),
    (
        IDEMPOTENT_REPLAYED,
        "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key` and body \
(nothing was done again); absent otherwise.",
    ),
    (WWW_AUTHENTICATE, "`Bearer`: send an access token (staff) or a partner key"),
];

const REQUEST_ID: &str = "X-Request-Id";
const RETRY_AFTER: &str = "Retry-After";
const LINK: &str = "Link";
const ETAG: &str = "ETag";
const IDEMPOTENT_REPLAYED: &str = "Idempotent-Replayed";
const WWW_AUTHENTICATE: &str = "WWW-Authenticate";
/// The rate-limit headers of every public read's answers.
const RATE_LIMIT: [&str; 5] =
    ["RateLimit", "RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];

/// Declares headers on an answer, by reference.
fn add_headers(response: &mut utoipa::openapi::Response, names: &[&str]) {
    for name in names {
        response
            .headers
            .entry((*name).into())
            .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/headers/{name}"))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access_of(method: &Method, path: &str) -> Option<Access> {
        route_of(method, path).map(|r| r.access)
    }

    /// Every documented operation is in exactly one group: no route without a policy, none in two.
    #[test]
    fn every_route_has_exactly_one_access() {
        let mut seen = std::collections::BTreeMap::<(String, String), usize>::new();
        for group in GROUPS {
            for (path, item) in group.paths().paths {
                for (method, _) in operations(&item) {
                    *seen.entry((method.to_string(), path.clone())).or_default() += 1;
                    // A request to the route finds this group (no earlier pattern takes it).
                    let concrete: Vec<&str> =
                        path.split('/').map(|s| if s.starts_with('{') { "some-value" } else { s }).collect();
                    assert_eq!(
                        route_of(&method, &concrete.join("/")).map(|r| r.access),
                        Some(group.access),
                        "{method} {path}"
                    );
                }
            }
        }
        let doc = crate::app::openapi();
        let mut documented = 0;
        for (path, item) in &doc.paths.paths {
            for (method, _) in operations(item) {
                documented += 1;
                assert_eq!(seen.get(&(method.to_string(), path.clone())), Some(&1), "{method} {path}");
            }
        }
        assert_eq!(documented, seen.len());
    }

    #[test]
    fn patterns_match_whole_segments() {
        let pattern = Pattern::new("/api/v1/resources/{key}");
        assert!(pattern.is_match("/api/v1/resources/abc"));
        for other in ["/api/v1/resources", "/api/v1/resources/", "/api/v1/resources/a/b", "/api/v1/resource/abc"] {
            assert!(!pattern.is_match(other), "{other}");
        }
        assert!(Pattern::new("/oai").is_match("/oai") && !Pattern::new("/oai").is_match("/oai/x"));
        assert_eq!(access_of(&Method::GET, "/api/v1/resources/abc"), Some(Access::PublicReads));
        assert_eq!(access_of(&Method::HEAD, "/api/v1/resources/abc"), Some(Access::PublicReads));
        assert_eq!(access_of(&Method::POST, "/api/v1/suggestions"), Some(Access::PublicForms));
        assert_eq!(access_of(&Method::GET, "/api/v1/admin/users"), Some(Access::Admins));
        assert_eq!(access_of(&Method::GET, "/api/v1/nothing"), None);
    }

    /// Operation ids are written on the handlers (nothing renames them afterwards): each is
    /// unique and reads `verbNoun` in camelCase, as generated clients name functions after them.
    #[test]
    fn operation_ids_are_unique_camel_case_verb_nouns() {
        let doc = crate::app::openapi();
        let mut seen = std::collections::BTreeSet::new();
        for (path, item) in &doc.paths.paths {
            for (method, operation) in operations(item) {
                let id = operation.operation_id.clone().unwrap_or_default();
                let mut chars = id.chars();
                let camel = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                    && chars.all(|c| c.is_ascii_alphanumeric())
                    && id.chars().any(|c| c.is_ascii_uppercase());
                assert!(camel, "{method} {path}: operationId {id:?} is not verbNoun camelCase");
                assert!(seen.insert(id.clone()), "{method} {path}: operationId {id:?} is used twice");
            }
        }
    }
}
