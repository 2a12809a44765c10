//! Conditional GET for public reads: an `ETag` from the body's hash, `Cache-Control`, and 304
//! when `If-None-Match` names the current ETag.

use actix_web::body::BoxBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse, Responder};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// How long browsers and shared caches may reuse a public answer without asking again.
pub const PUBLIC_CACHE_CONTROL: &str = "public, max-age=60";

/// A JSON body served with an `ETag` and `Cache-Control`, or 304 when the caller has it;
/// optionally with a `Link` header (collections).
pub struct Cached<T> {
    pub body: T,
    pub link: Option<String>,
}

impl<T> Cached<T> {
    pub fn new(body: T) -> Self {
        Self { body, link: None }
    }
}

pub fn etag_for(body: &[u8]) -> String {
    format!("\"{}\"", hex::encode(&Sha256::digest(body)[..12]))
}

/// RFC 9110 weak comparison against every tag of `If-None-Match` (`*` matches anything).
pub fn none_match(req: &HttpRequest, etag: &str) -> bool {
    let Some(value) = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else { return false };
    value.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

impl<T: Serialize> Responder for Cached<T> {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        match Rendered::json(&self.body) {
            Ok(rendered) => rendered.answer(req, self.link.as_deref()),
            Err(e) => actix_web::ResponseError::error_response(&e),
        }
    }
}

/// A public JSON answer rendered once: its bytes and their `ETag`, cheap to clone and to serve
/// again (the bytes are shared), for answers kept in memory between changes.
#[derive(Debug, Clone)]
pub struct Rendered {
    body: web::Bytes,
    etag: HeaderValue,
}

impl Rendered {
    pub fn json<T: Serialize>(value: &T) -> Result<Self, ApiError> {
        let body = serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.into()))?;
        let etag = HeaderValue::from_str(&etag_for(&body)).expect("an ETag is visible ASCII");
        Ok(Self { body: body.into(), etag })
    }

    /// JSON rendered elsewhere (the database's served cards) with the ETag made with it, which
    /// `etag_for` would make; recomputed if the stored one is not a valid header value.
    pub fn stored(body: String, etag: &str) -> Self {
        let etag = HeaderValue::from_str(etag)
            .unwrap_or_else(|_| HeaderValue::from_str(&etag_for(body.as_bytes())).expect("an ETag is visible ASCII"));
        Self { body: body.into(), etag }
    }

    /// JSON put together here with an ETag made for it (see `ResourceList::rendered`).
    pub fn with_etag(body: Vec<u8>, etag: &str) -> Self {
        Self { body: body.into(), etag: HeaderValue::from_str(etag).expect("an ETag is visible ASCII") }
    }

    /// The JSON, as served.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// Its ETag, quotes included.
    pub fn etag(&self) -> &[u8] {
        self.etag.as_bytes()
    }

    /// The answer: 304 when the caller holds this ETag, else the body; with `Cache-Control`
    /// and, for collections, a `Link` header.
    pub fn answer(&self, req: &HttpRequest, link: Option<&str>) -> HttpResponse {
        let etag = self.etag.to_str().unwrap_or_default();
        let fresh = none_match(req, etag);
        let mut response = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
        response
            .insert_header((header::ETAG, self.etag.clone()))
            .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE_CONTROL));
        if let Some(link) = link.filter(|l| !l.is_empty()) {
            response.insert_header((header::LINK, link));
        }
        if fresh {
            response.finish()
        } else {
            response.content_type("application/json").body(self.body.clone())
        }
    }
}

impl Responder for Rendered {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        self.answer(req, None)
    }
}
