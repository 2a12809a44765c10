//! The application, assembled above every feature: `build_app` (routes, middleware, the API
//! references) and `Application`, which owns the HTTP server and the background tasks (the index's
//! listener, the outbox worker, the key-use flusher, the limiter's pruner) and stops them in order.
//! `serve` and every test start exactly this object.

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

use crate::config::{Config, CorsOrigins};
use crate::db::DbPool;
use crate::error::ApiError;
use crate::extract::json::BodyLimit;
use crate::openapi::ApiDoc;
use crate::partners::keys::KeyStore;
use crate::privacy::retention::Retention;
use crate::resources::cache::Library;
use crate::{middleware, reference, routes};

use crate::state::AppState;

/// Enums used only by query parameters: `IntoParams` refers to them but does not register them.
#[derive(OpenApi)]
#[openapi(components(schemas(
    crate::resources::json::Sort,
    crate::resources::json::Include,
    crate::sync::json::ExportFormat
)))]
struct QueryEnums;

/// The OpenAPI document: the base in `openapi.rs` plus every path of the route list.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes::configure).split_for_parts();
    doc.merge(QueryEnums::openapi());
    routes::document(&mut doc);
    hoist_nullable_ref_descriptions(&mut doc);
    doc
}

/// utoipa writes the doc comment of an `Option<T>` field whose `T` is a named schema on the
/// `$ref` inside the property's `oneOf` (`[{"$ref", "description"}, {"type": "null"}]`), where
/// readers and the house lint look for it on the property. Moves each such description up.
fn hoist_nullable_ref_descriptions(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    use utoipa::openapi::RefOr;

    fn walk(schema: &mut Schema) {
        match schema {
            Schema::Object(object) => {
                for property in object.properties.values_mut() {
                    if let RefOr::T(property) = property {
                        hoist(property);
                        walk(property);
                    }
                }
            }
            Schema::Array(array) => {
                if let ArrayItems::RefOrSchema(items) = &mut array.items {
                    if let RefOr::T(items) = items.as_mut() {
                        walk(items);
                    }
                }
            }
            Schema::AllOf(all) => all.items.iter_mut().for_each(|i| {
                if let RefOr::T(i) = i {
                    walk(i)
                }
            }),
            Schema::OneOf(one) => one.items.iter_mut().for_each(|i| {
                if let RefOr::T(i) = i {
                    walk(i)
                }
            }),
            Schema::AnyOf(any) => any.items.iter_mut().for_each(|i| {
                if let RefOr::T(i) = i {
                    walk(i)
                }
            }),
            _ => {}
        }
    }

    fn hoist(property: &mut Schema) {
        let Schema::OneOf(one) = property else { return };
        if one.description.is_some() {
            return;
        }
        let described = one.items.iter_mut().find_map(|item| match item {
            RefOr::Ref(r) if !r.description.is_empty() => Some(std::mem::take(&mut r.description)),
            _ => None,
        });
        one.description = described;
    }

    if let Some(components) = doc.components.as_mut() {
        for schema in components.schemas.values_mut() {
            if let RefOr::T(schema) = schema {
                walk(schema);
            }
        }
    }
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
async fn fallback(req: HttpRequest) -> HttpResponse {
    match routes::allowed_methods(req.path()) {
        methods if !methods.is_empty() => {
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

/// What features keep beside the shared state (`AppState` is below the features and holds none
/// of theirs): each is registered as app data of its own.
#[derive(Clone)]
pub struct Features {
    pub library: web::Data<Library>,
    pub keys: web::Data<KeyStore>,
}

pub fn build_app(
    state: web::Data<AppState>,
    features: Features,
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
        .app_data(features.library)
        .app_data(features.keys)
        .app_data(BodyLimit(limit))
        .app_data(
            web::PathConfig::default()
                .error_handler(|err, _| ApiError::NotFound(format!("no such record: {err}")).into()),
        )
        .configure(routes::configure)
        .split_for_parts();
    app.service(web::redirect("/docs", "/docs/"))
        .service(SwaggerUi::new("/docs/{_:.*}").config(SwaggerConfig::new(["/openapi.json"])))
        .configure(reference::configure)
        .default_service(web::to(fallback))
        .wrap(from_fn(middleware::path_guard))
        .wrap(from_fn(middleware::timeout))
        .wrap(from_fn(routes::policy))
        .wrap(from_fn(middleware::security_headers))
        .wrap(Compress::default())
        .wrap(cors(&state.config))
        .wrap(state.metrics.http.clone())
        .wrap(from_fn(middleware::request_context))
}

/// The background tasks of one instance, stopped together by one token.
struct Background {
    stop: tokio_util::sync::CancellationToken,
    /// In the order they are awaited after the stop: the outbox finishes the message it is
    /// sending, retention finishes its transaction, the key-use flusher writes its last counts, then
    /// the pruner and the index's listener end.
    tasks: Vec<(&'static str, tokio::task::JoinHandle<()>)>,
}

impl Background {
    async fn start(state: &AppState, features: &Features) -> anyhow::Result<Self> {
        let stop = tokio_util::sync::CancellationToken::new();
        let url = state.config.database_url.expose_secret().to_string();
        // Revoked keys, heard on the listening connection (see `partners::keys`).
        let (on_payload, on_lost, on_resumed) = (features.keys.clone(), features.keys.clone(), features.keys.clone());
        let revocations = crate::index::sync::Subscriber {
            channel: crate::partners::keys::CHANNEL,
            payload: Box::new(move |hash| on_payload.forget_hex(hash)),
            lost: Box::new(move || on_lost.heard(false)),
            resumed: Box::new(move || on_resumed.heard(true)),
        };
        let listener = crate::index::sync::start(state.index.clone(), url, vec![revocations], stop.clone()).await?;
        // The vocabularies, as the first list request will read them (loaded with the index).
        features.library.current().await?;
        let store = state.limiter.probe().await;
        tracing::info!(?store, "rate limits counted");
        let pruner = crate::ratelimit::spawn_pruner(
            Arc::downgrade(&state.limiter),
            std::time::Duration::from_secs(60),
            stop.clone(),
        );
        let tasks = vec![
            ("outbox worker", state.jobs.clone().spawn(stop.clone())),
            ("retention", Retention::from_config(&state.config).spawn(state.pool.clone(), stop.clone())),
            ("API key use", features.keys.clone().into_inner().spawn_flusher(stop.clone())),
            ("limiter pruner", pruner),
            ("replica follower", state.reads.follow(stop.clone())),
            ("library listener", listener),
        ];
        Ok(Self { stop, tasks })
    }

    async fn stop(self) {
        self.stop.cancel();
        for (name, task) in self.tasks {
            if let Err(e) = task.await {
                tracing::warn!(task = name, error = %e, "a background task ended badly");
            }
        }
    }
}

/// Asks a running `Application` to stop: not ready at once, then (after `SHUTDOWN_DRAIN_SECS`)
/// no new connections, requests in flight finished (up to `SHUTDOWN_TIMEOUT_SECS`), then the
/// background tasks stopped in order.
#[derive(Clone)]
pub struct Stopper(tokio_util::sync::CancellationToken);

impl Stopper {
    pub fn stop(&self) {
        self.0.cancel();
    }
}

/// One instance of the service: its state, HTTP server and background tasks.
pub struct Application {
    state: web::Data<AppState>,
    server: actix_web::dev::Server,
    port: u16,
    background: Background,
    stop: tokio_util::sync::CancellationToken,
}

impl Application {
    /// Builds the state, starts the background tasks (the index is loaded when this returns) and
    /// binds `HOST:PORT` (`PORT=0` picks a free port; see `port`). Serving starts with `run`.
    /// The database must exist and be migrated (`startup::prepare_database`).
    pub async fn build(config: Config, pool: DbPool) -> anyhow::Result<Self> {
        {
            let mut conn = pool.get().await?;
            crate::seed::vocabularies(&mut conn).await?;
            let key = crate::crypto::DataKey::derive(&config.data_key_secret);
            let sealed = crate::jobs::outbox::seal_legacy(&mut conn, &key).await?;
            if sealed > 0 {
                tracing::info!(messages = sealed, "sealed the bodies of messages written before bodies were sealed");
            }
            if !config.is_development() {
                crate::seed::disable_demo_staff(&mut conn).await?;
            }
        }
        let (host, port) = (config.host.clone(), config.port);
        let (shutdown, workers, pool_size) = (config.shutdown_timeout, config.http_workers, config.db_pool_size);
        let mut state = AppState::new(config, pool, &openapi()).await?;
        // What features keep beside the shared state, as app data of their own: the caches of
        // what the library serves (above the index the state holds) and the partners' keys.
        let features = Features {
            library: web::Data::new(Library::new(state.pool.clone(), state.index.clone())),
            keys: web::Data::new(KeyStore::new(state.pool.clone())),
        };
        let background = Background::start(&state, &features).await?;
        // Every pooled connection opened now rather than by the first requests, so the first
        // seconds after a start (a restart in a rolling deploy) do not wait for Postgres's
        // connection set-up. A connection that fails is opened later, by a request.
        drop(futures_util::future::join_all((0..pool_size).map(|_| state.pool.get())).await);
        state.reads.open_replica(pool_size).await;
        // After the index's load, not before: Argon2's 19 MiB of working memory, freed, would
        // otherwise stay resident under the index's allocations (5 MB more at 100k resources).
        state.dummy_password_hash = crate::auth::password::hash(uuid::Uuid::new_v4().to_string()).await?;
        let state = web::Data::new(state);
        let app_state = state.clone();
        let mut server = actix_web::HttpServer::new(move || build_app(app_state.clone(), features.clone()))
            // Signals are ours (`serve`): the stop must first make the instance not ready.
            .disable_signals()
            .shutdown_timeout(shutdown.as_secs());
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        let server = server
            .bind((host.as_str(), port))
            .map_err(|e| anyhow::anyhow!("binding {host}:{port} (set HOST and PORT to change it): {e}"))?;
        let port = server.addrs().first().map(|a| a.port()).unwrap_or(port);
        Ok(Self { state, server: server.run(), port, background, stop: tokio_util::sync::CancellationToken::new() })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// What asks this instance to stop (a signal in `serve`, the end of a test).
    pub fn stopper(&self) -> Stopper {
        Stopper(self.stop.clone())
    }

    /// Serves until the server ends or is asked to stop, then stops in order.
    pub async fn run(self) -> anyhow::Result<()> {
        let Self { state, server, background, stop, .. } = self;
        let handle = server.handle();
        let mut server = std::pin::pin!(server);
        let served = tokio::select! {
            served = &mut server => served,
            _ = stop.cancelled() => {
                state.begin_stopping();
                tracing::info!("stopping: not ready from now on");
                tokio::time::sleep(state.config.shutdown_drain).await;
                // The server future must be polled to act on the stop, hence together.
                let ((), served) = tokio::join!(handle.stop(true), &mut server);
                served
            }
        };
        background.stop().await;
        tracing::info!("stopped");
        served.map_err(|e| anyhow::anyhow!("the HTTP server failed: {e}"))
    }
}
