//! Conditional GET for public reads: an `ETag` from the body's hash, `Cache-Control`, and 304
//! when `If-None-Match` names the current ETag.

use actix_web::body::BoxBody;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;
use sha2::{Digest, Sha256};

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
        let body = match serde_json::to_vec(&self.body) {
            Ok(body) => body,
            Err(e) => {
                return actix_web::ResponseError::error_response(&crate::error::ApiError::Internal(e.into()));
            }
        };
        let etag = etag_for(&body);
        let mut response = if none_match(req, &etag) { HttpResponse::NotModified() } else { HttpResponse::Ok() };
        response
            .insert_header((header::ETAG, etag.clone()))
            .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE_CONTROL));
        if let Some(link) = self.link.filter(|l| !l.is_empty()) {
            response.insert_header((header::LINK, link));
        }
        if none_match(req, &etag) {
            response.finish()
        } else {
            response.content_type("application/json").body(body)
        }
    }
}
