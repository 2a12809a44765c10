//! The middleware every request passes through: request id and its span, security headers and
//! the request timeout. The request span is built here rather than with `tracing-actix-web`
//! because that crate always generates its own id, while we must echo the caller's `X-Request-Id`.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, FromRequest, HttpMessage, HttpRequest};
use tracing::Instrument;

use crate::error::ApiError;
use crate::extract::client_ip;
use crate::state::AppState;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request: the caller's `X-Request-Id` when it is sane, else a new UUID.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl FromRequest for RequestId {
    type Error = Error;
    type Future = std::future::Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let id = req.extensions().get::<RequestId>().cloned().unwrap_or_else(|| RequestId(String::new()));
        std::future::ready(Ok(id))
    }
}

fn acceptable_request_id(value: &str) -> bool {
    (1..=128).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Outermost: assigns the request id, opens the request's span, logs one line per request,
/// and puts `X-Request-Id` on every response, errors from inner middleware included.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable_request_id(v))
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_string);
    req.extensions_mut().insert(RequestId(id.clone()));
    let trusted = req.app_data::<web::Data<AppState>>().map(|s| s.config.trusted_proxies.clone()).unwrap_or_default();
    let ip = client_ip(req.request(), &trusted).map(|ip| ip.to_string()).unwrap_or_default();
    // Only the path: query strings may carry tokens or addresses.
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
        client_ip = %ip,
    );
    let header = HeaderValue::from_str(&id).expect("checked to be visible ASCII");
    let outcome = next.call(req).instrument(span.clone()).await;
    let latency_ms = format!("{:.2}", started.elapsed().as_secs_f64() * 1000.0);
    match outcome {
        Ok(mut res) => {
            let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
            span.in_scope(|| tracing::info!(status = res.status().as_u16(), %route, latency_ms, "request completed"));
            res.headers_mut().insert(X_REQUEST_ID, header);
            Ok(res)
        }
        // An inner middleware failed (a timeout, say). The request cannot be held here (routing
        // needs it unshared), so the error's own response gets the header and travels on.
        Err(err) => {
            let mut response = err.error_response();
            span.in_scope(|| tracing::info!(status = response.status().as_u16(), latency_ms, "request completed"));
            response.headers_mut().insert(X_REQUEST_ID, header);
            Err(actix_web::error::InternalError::from_response(err.to_string(), response).into())
        }
    }
}

/// Security headers on every response. JSON gets a CSP that allows nothing; Swagger UI's pages
/// (`/docs`) get one that allows their own scripts and styles only (no CDN, no inline script). A
/// handler that sets its own keeps it: `/reference` does (`reference::REFERENCE_CSP`, explained there).
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let is_docs = req.path().starts_with("/docs");
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let csp = if is_docs {
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    } else {
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    };
    // Answers carrying a token or a person's data must never sit in a shared or browser cache:
    // anything that does not choose its own caching (public reads do) is `no-store`.
    let cache = if is_docs { "no-cache" } else { "no-store" };
    for (name, value) in [
        (header::CACHE_CONTROL, cache),
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    Ok(res)
}

/// A path whose decoded form holds a control character (`%00`, `%0A`, `%7F`, ...) or is not UTF-8
/// names nothing: 404 before any handler (and so any query) sees it. PostgreSQL refuses NUL in
/// text, which made such a path parameter a 500.
pub async fn path_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let decoded = percent_encoding::percent_decode_str(req.path()).decode_utf8();
    match decoded {
        Ok(path) if !path.chars().any(char::is_control) => next.call(req).await,
        _ => Err(ApiError::NotFound("no route matches this path".into()).into()),
    }
}

/// Ends a request that runs longer than `REQUEST_TIMEOUT_MS` with a 503 problem.
pub async fn timeout(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let limit = req.app_data::<web::Data<AppState>>().map(|s| s.config.request_timeout);
    let Some(limit) = limit else { return next.call(req).await };
    match tokio::time::timeout(limit, next.call(req)).await {
        Ok(res) => res,
        Err(_) => Err(ApiError::Unavailable(format!("the request took longer than {} ms", limit.as_millis())).into()),
    }
}
