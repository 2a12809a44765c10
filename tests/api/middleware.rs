//! Request ids, CORS, compression and security headers.

use crate::helpers::TestApp;

#[actix_web::test]
async fn every_response_carries_a_request_id_echoing_the_callers() {
    let app = TestApp::spawn().await;
    let generated = app.get("/health/live").send().await.unwrap();
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let echoed = app.get("/health/live").header("x-request-id", "client-chosen.id_42").send().await.unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "client-chosen.id_42");
    let not_found = app.get("/missing").header("x-request-id", "abc").send().await.unwrap();
    assert_eq!(not_found.headers()["x-request-id"], "abc");
    // Anything that could forge log lines is replaced.
    let replaced = app.get("/health/live").header("x-request-id", "a b\"c").send().await.unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "a b\"c");
}

#[actix_web::test]
async fn cors_allows_configured_origins_and_exposes_the_headers_browsers_need() {
    let app = TestApp::spawn_with(&[("CORS_ALLOWED_ORIGINS", "https://www.socialmission.org")]).await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/auth/login"))
        .header("origin", "https://www.socialmission.org")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type, idempotency-key")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "https://www.socialmission.org");

    let response = app.get("/health/live").header("origin", "https://www.socialmission.org").send().await.unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "https://www.socialmission.org");
    let exposed = response.headers()["access-control-expose-headers"].to_str().unwrap().to_lowercase();
    for header in [
        "link",
        "etag",
        "x-request-id",
        "retry-after",
        "ratelimit",
        "ratelimit-policy",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
    ] {
        assert!(exposed.split(", ").any(|h| h == header), "{header} not exposed: {exposed}");
    }

    let stranger = app.get("/health/live").header("origin", "https://evil.example").send().await.unwrap();
    assert!(!stranger.headers().contains_key("access-control-allow-origin"));
}

#[actix_web::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::spawn().await;
    let response = app.get("/openapi.json").header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let plain = app.get("/openapi.json").send().await.unwrap();
    assert!(!plain.headers().contains_key("content-encoding"));
}

#[actix_web::test]
async fn security_headers_are_on_every_response() {
    let app = TestApp::spawn().await;
    for path in ["/health/live", "/api/v1/nowhere", "/api/v1/auth/me"] {
        let response = app.get(path).send().await.unwrap();
        let h = response.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["x-frame-options"], "DENY");
        assert!(h["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    }
    let docs = app.get("/docs/").send().await.unwrap();
    let csp = docs.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("http"), "{csp}");
}
