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

/// A CSV download (RFC 4180 quoting, UTF-8). Cells starting with `=`, `+`, `-`, `@`, tab or
/// carriage return get a leading `'`, so a spreadsheet never runs a submitted value as a formula.
pub struct Csv {
    filename: &'static str,
    body: Vec<u8>,
}

impl Csv {
    pub fn build<I, R>(filename: &'static str, header: &[&str], records: I) -> Result<Self, crate::error::ApiError>
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = String>,
    {
        let internal = |e: csv::Error| crate::error::ApiError::Internal(anyhow::Error::new(e).context("writing CSV"));
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        writer.write_record(header).map_err(internal)?;
        for record in records {
            writer.write_record(record.into_iter().map(defuse)).map_err(internal)?;
        }
        let body =
            writer.into_inner().map_err(|e| crate::error::ApiError::Internal(anyhow::anyhow!("writing CSV: {e}")))?;
        Ok(Self { filename, body })
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a
/// leading `'` (OWASP's advice for CSV injection); every CSV the service writes goes through it.
pub fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

impl Responder for Csv {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", self.filename)))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(self.body)
    }
}

/// A body streamed as it is produced (exports), so memory stays flat whatever its size.
pub struct Streamed {
    pub content_type: &'static str,
    pub filename: String,
    pub body: futures_util::stream::BoxStream<'static, Result<actix_web::web::Bytes, actix_web::Error>>,
}

impl Responder for Streamed {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok()
            .content_type(self.content_type)
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", self.filename)))
            .streaming(self.body)
    }
}
