//! `AppState` and `build_app`: the same application in `main` and in every test.

use std::sync::Arc;

use secrecy::ExposeSecret;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpRequest, HttpResponse, ResponseError};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::auth::jwt::JwtKeys;
use crate::config::{Config, CorsOrigins};
use crate::db::DbPool;
use crate::error::ApiError;
use crate::extract::json::BodyLimit;
use crate::metrics::Metrics;
use crate::openapi::ApiDoc;
use crate::ratelimit::{InProcessLimiter, RateLimiter};
use crate::resources::index::LibraryIndex;
use crate::resources::search::Library;
use crate::{middleware, routes};

pub struct AppState {
    pub config: Config,
    pub pool: DbPool,
    pub jwt: JwtKeys,
    /// Seals unsent messages and stored answers (see `crypto`).
    pub data_key: crate::crypto::DataKey,
    pub limiter: Arc<dyn RateLimiter>,
    /// Argon2 for requests, a few at a time (`PASSWORD_HASH_CONCURRENCY`).
    pub passwords: crate::auth::password::Passwords,
    pub metrics: Metrics,
    /// Wakes the outbox worker when a request has written a message.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Partners' API keys, recognised and counted (see `partners::keys`).
    pub partner_keys: Arc<crate::partners::keys::KeyStore>,
    /// The library's search index and the caches of what it serves (see `resources::search`).
    pub library: Arc<Library>,
    /// A real Argon2 hash of a random password: login verifies against it when the email is
    /// unknown, so that case takes as long as a wrong password.
    pub dummy_password_hash: String,
    /// The OpenAPI document, serialised once.
    pub openapi_json: String,
    /// Each documented path with its methods, to tell a 405 from a 404.
    route_table: Vec<(actix_web::dev::ResourceDef, Vec<Method>)>,
}

impl AppState {
    pub async fn new(config: Config, pool: DbPool) -> anyhow::Result<Self> {
        let random: String = uuid::Uuid::new_v4().to_string();
        let openapi = openapi();
        let route_table = openapi
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (&item.get, Method::GET),
                    (&item.post, Method::POST),
                    (&item.put, Method::PUT),
                    (&item.patch, Method::PATCH),
                    (&item.delete, Method::DELETE),
                ]
                .into_iter()
                .filter(|(op, _)| op.is_some())
                .map(|(_, m)| m)
                .collect();
                (actix_web::dev::ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        let index = Arc::new(LibraryIndex::new(pool.clone()));
        crate::resources::index::sync::start(index.clone(), config.database_url.expose_secret().to_string()).await?;
        let library = Arc::new(Library::new(pool.clone(), index));
        // The vocabularies as the first list request will read them (as the index used to load them).
        library.current().await?;
        let outbox_wake = Arc::new(tokio::sync::Notify::new());
        crate::jobs::outbox::Worker::new(&config, pool.clone(), outbox_wake.clone())?.spawn();
        let partner_keys = Arc::new(crate::partners::keys::KeyStore::new(pool.clone()));
        partner_keys.clone().spawn_flusher();
        Ok(Self {
            partner_keys,
            outbox_wake,
            library,
            jwt: JwtKeys::new(&config.jwt_secret),
            data_key: crate::crypto::DataKey::derive(&config.data_key_secret),
            limiter: InProcessLimiter::spawn(&config),
            passwords: crate::auth::password::Passwords::new(config.password_hash_concurrency),
            metrics: Metrics::new()?,
            dummy_password_hash: crate::auth::password::hash(random).await?,
            openapi_json: serde_json::to_string_pretty(&openapi)?,
            route_table,
            config,
            pool,
        })
    }

    fn allowed_methods(&self, path: &str) -> Option<&[Method]> {
        self.route_table.iter().find(|(def, _)| def.is_match(path)).map(|(_, m)| m.as_slice())
    }
}

/// The OpenAPI document: the base in `openapi.rs` plus every path of the route list.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes::configure).split_for_parts();
    crate::openapi::document_public_reads(&mut doc);
    crate::openapi::unique_operation_ids(&mut doc);
    doc
}

fn cors(config: &Config) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("x-api-key"),
            header::HeaderName::from_static("idempotency-key"),
            middleware::X_REQUEST_ID,
        ])
        .expose_headers([
            header::LINK,
            header::ETAG,
            header::RETRY_AFTER,
            header::LOCATION,
            middleware::X_REQUEST_ID,
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderName::from_static("ratelimit"),
            header::HeaderName::from_static("ratelimit-policy"),
            header::HeaderName::from_static("ratelimit-limit"),
            header::HeaderName::from_static("ratelimit-remaining"),
            header::HeaderName::from_static("ratelimit-reset"),
        ])
        .max_age(3600);
    match &config.cors_allowed_origins {
        CorsOrigins::Any => cors.allow_any_origin(),
        CorsOrigins::List(origins) => origins.iter().fold(cors, |c, o| c.allowed_origin(o)),
    }
}

/// Unknown path: 404. Known path, other method: 405 with `Allow`.
async fn fallback(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match state.allowed_methods(req.path()) {
        Some(methods) if !methods.is_empty() => {
            let allow = methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
            let mut response = ApiError::MethodNotAllowed(req.method().to_string()).error_response();
            response
                .headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_str(&allow).expect("method names are ASCII"));
            response
        }
        _ => ApiError::NotFound(format!("no route matches {}", req.path())).error_response(),
    }
}

pub fn build_app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let limit = state.config.body_limit_bytes;
    let (app, _) = App::new()
        .into_utoipa_app()
        .app_data(state.clone())
        .app_data(BodyLimit(limit))
        .app_data(
            web::PathConfig::default()
                .error_handler(|err, _| ApiError::NotFound(format!("no such record: {err}")).into()),
        )
        .configure(routes::configure)
        .split_for_parts();
    app.service(web::redirect("/docs", "/docs/"))
        .service(SwaggerUi::new("/docs/{_:.*}").config(SwaggerConfig::new(["/openapi.json"])))
        .default_service(web::to(fallback))
        .wrap(from_fn(middleware::path_guard))
        .wrap(from_fn(middleware::timeout))
        .wrap(from_fn(crate::partners::limits::public_reads))
        .wrap(from_fn(middleware::security_headers))
        .wrap(Compress::default())
        .wrap(cors(&state.config))
        .wrap(state.metrics.http.clone())
        .wrap(from_fn(middleware::request_context))
}
