//! A public read in a format of its own (a citation, the feed), served like the JSON reads
//! (`extract::conditional`): an `ETag` from the body's hash, `Cache-Control`, 304 on a matching
//! `If-None-Match`.

use actix_web::body::BoxBody;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, Responder};

use crate::extract::conditional::{etag_for, none_match, PUBLIC_CACHE_CONTROL};

pub struct Representation {
    pub body: String,
    /// The media type; `charset=utf-8` is added.
    pub content_type: &'static str,
    /// `Content-Disposition: inline; filename="…"` (the name is ASCII: a slug and an extension).
    pub filename: Option<String>,
    /// Whether the body was chosen by `Accept`, so caches keep one copy per format.
    pub vary_accept: bool,
}

impl Responder for Representation {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let etag = etag_for(self.body.as_bytes());
        let fresh = none_match(req, &etag);
        let mut response = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
        response.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, PUBLIC_CACHE_CONTROL));
        if self.vary_accept {
            response.insert_header((header::VARY, "Accept"));
        }
        if fresh {
            return response.finish();
        }
        if let Some(filename) = self.filename {
            response.insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")));
        }
        response.content_type(format!("{}; charset=utf-8", self.content_type)).body(self.body)
    }
}
