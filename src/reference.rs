//! The reading-first API reference at `/reference`: Redoc, vendored in `vendor/redoc/` (what it is,
//! where it came from and how to re-fetch it are in that folder's README), served from the binary and
//! reading `/openapi.json`. `/docs` (Swagger UI) stays the place to try calls. Like `/docs`, neither
//! route is in the OpenAPI document.

use actix_web::http::header::{self, ContentType};
use actix_web::{guard, web, HttpResponse};

/// The vendored Redoc release; it names the bundle's URL, so a new version is a new URL and the
/// old one can be cached for good.
macro_rules! redoc_version {
    () => {
        "2.5.4"
    };
}

pub const REDOC_VERSION: &str = redoc_version!();

/// Where the page loads its one script from.
pub const REDOC_JS_PATH: &str = concat!("/reference/redoc-", redoc_version!(), ".standalone.js");

const REDOC_JS: &[u8] = include_bytes!("../vendor/redoc/redoc.standalone.js");

/// The page's own policy, in place of the one `middleware::security_headers` gives everything else
/// (`default-src 'none'`), allowing exactly what Redoc needs and no other origin:
/// - `script-src 'self'`: the bundle above; the page has no inline script (Redoc starts itself from
///   the `<redoc spec-url>` element, its options are the element's attributes).
/// - `style-src 'unsafe-inline'`: Redoc's styles are written into `<style>` elements at run time by
///   styled-components (no stylesheet file, so no `'self'`). Styles cannot run script.
/// - `connect-src 'self'`: it fetches `/openapi.json`.
/// - `worker-src blob:`: its search index runs in a worker the bundle makes from its own code (a
///   `blob:` URL of this page, not a host).
/// - `img-src 'self' data:`: images in the document's Markdown, if any.
/// - fonts and everything else: none (Redoc loads no font; the theme below names system fonts).
pub const REFERENCE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
connect-src 'self'; worker-src blob:; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Redoc's options as attributes of `<redoc>` (kebab-case; `theme` is JSON): responses 200/201
/// open, samples two levels deep, required properties first, the system's fonts.
const PAGE: &str = concat!(
    r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Social Mission Alliance API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
<redoc spec-url="/openapi.json" expand-responses="200,201" json-sample-expand-level="2" required-props-first="true" "#,
    r#"theme='{"typography":{"fontFamily":"system-ui, -apple-system, Segoe UI, Roboto, sans-serif","headings":{"fontFamily":"system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}}}'></redoc>
<script src=""#,
    "/reference/redoc-",
    redoc_version!(),
    r#".standalone.js"></script>
</body>
</html>
"#
);

pub fn configure(cfg: &mut web::ServiceConfig) {
    let get_or_head = || web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    cfg.route("/reference", get_or_head().to(page)).route(REDOC_JS_PATH, get_or_head().to(redoc_js));
}

async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(ContentType::html())
        .insert_header((header::CONTENT_SECURITY_POLICY, REFERENCE_CSP))
        // The page names the bundle's version, so it must be revalidated to pick up a new one.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(PAGE)
}

async fn redoc_js() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/javascript; charset=utf-8"))
        // Versioned URL: a new Redoc is a new URL, so this one never changes.
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(REDOC_JS)
}
