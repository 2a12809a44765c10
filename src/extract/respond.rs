//! Small responders so handlers never build an `HttpResponse` by hand.

use actix_web::body::BoxBody;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;

/// 204 with no body.
pub struct NoContent;

impl Responder for NoContent {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }
}

/// 201 with a `Location` header and the created record.
pub struct Created<T> {
    pub location: String,
    pub body: T,
}

impl<T: Serialize> Responder for Created<T> {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Created().insert_header((header::LOCATION, self.location)).json(self.body)
    }
}

/// 200 with a JSON body and a `Link` header (collections with their own `meta`).
pub struct WithLink<T> {
    pub body: T,
    pub link: String,
}

impl<T: Serialize> Responder for WithLink<T> {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok().insert_header((header::LINK, self.link)).json(self.body)
    }
}
