use diesel_async::RunQueryDsl;

use crate::helpers::{db, problem, TestApp};

#[actix_web::test]
async fn liveness_answers_without_the_database() {
    let app = TestApp::spawn().await;
    let response = app.get("/health/live").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["status"], "ok");
}

#[actix_web::test]
async fn readiness_flips_to_503_while_the_database_is_gone_and_back_without_a_restart() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/health/ready").send().await.unwrap().status(), 200);

    // Take the database away: refuse new connections and end the pool's open ones.
    let mut admin = db::admin_connection().await;
    let name = &app.database;
    diesel::sql_query(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false")).execute(&mut admin).await.unwrap();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    let response = app.get("/health/ready").send().await.unwrap();
    assert!(response.headers().contains_key("retry-after"));
    problem(response, 503).await;
    // A second try must also fail: no broken connection is handed out as healthy.
    assert_eq!(app.get("/health/ready").send().await.unwrap().status(), 503);

    diesel::sql_query(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true")).execute(&mut admin).await.unwrap();
    // Back within a probe's retries: a backend `pg_terminate_backend` signalled may end only
    // now (it is asynchronous), failing the one check that drew its connection.
    let mut status = 0;
    for _ in 0..20 {
        status = app.get("/health/ready").send().await.unwrap().status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn metrics_count_requests_per_route_and_status_with_latency_and_pool_gauges() {
    let app = TestApp::spawn().await;
    app.get("/health/live").send().await.unwrap();
    app.get("/health/live").send().await.unwrap();
    app.get("/api/v1/admin/users").send().await.unwrap(); // 401
    app.get("/no/such/path/123").send().await.unwrap(); // unmatched: one label, not one per path
    let response = app.get("/metrics").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(text.contains(r#"sma_http_requests_total{endpoint="/health/live",method="GET",status="200"} 2"#), "{text}");
    assert!(
        text.contains(r#"sma_http_requests_total{endpoint="/api/v1/admin/users",method="GET",status="401"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"endpoint="UNMATCHED""#));
    assert!(!text.contains("/no/such/path"));
    assert!(text.contains(
        r#"sma_http_requests_duration_seconds_bucket{endpoint="/health/live",method="GET",status="200",le="0.005"}"#
    ));
    for gauge in [
        "sma_db_pool_max_connections 4",
        "sma_db_pool_connections",
        "sma_db_pool_idle_connections",
        "sma_db_pool_waiting_requests",
    ] {
        assert!(text.contains(gauge), "missing {gauge}");
    }
}

#[actix_web::test]
async fn asked_to_stop_an_instance_is_not_ready_at_once_then_stops_serving() {
    let app = TestApp::spawn_with(&[("SHUTDOWN_DRAIN_SECS", "2")]).await;
    assert_eq!(app.get("/health/ready").send().await.unwrap().status(), 200);
    app.stop();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    // During the drain it still serves, but tells the load balancer to stop sending.
    let ready = app.get("/health/ready").send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("stopping"), "{body}");
    assert_eq!(app.get("/health/live").send().await.unwrap().status(), 200);
    assert_eq!(app.get("/api/v1/taxonomy").send().await.unwrap().status(), 200);
    // After the drain the listener closes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.get("/health/live").send().await.is_ok() {
        assert!(std::time::Instant::now() < deadline, "the instance kept serving");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The values of every `src="…"` and `href="…"` attribute of a page.
fn linked_urls(html: &str) -> Vec<&str> {
    ["src=\"", "href=\""]
        .into_iter()
        .flat_map(|attr| html.split(attr).skip(1).map(|rest| rest.split('"').next().unwrap()))
        .collect()
}

#[actix_web::test]
async fn the_reading_reference_is_served_with_same_origin_assets_and_a_policy_naming_no_host() {
    let app = TestApp::spawn().await;
    let page = app.get("/reference").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    let html = page.text().await.unwrap();

    // Its policy allows its own script and fetches, and names no host: every source is a keyword
    // or one of the two schemes Redoc makes in the page itself.
    for directive in ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "{csp} lacks {directive}");
    }
    for directive in csp.split(';') {
        for source in directive.split_whitespace().skip(1) {
            assert!(["'self'", "'none'", "'unsafe-inline'", "data:", "blob:"].contains(&source), "{source} in {csp}");
        }
    }

    // The page reads the served document and loads only what this service serves.
    assert!(html.contains(r#"<redoc spec-url="/openapi.json""#), "{html}");
    assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("//"), "{html}");
    assert_eq!(html.matches("<script").count(), html.matches("<script src=\"/").count(), "inline script: {html}");
    let urls = linked_urls(&html);
    let scripts: Vec<&str> = urls.iter().copied().filter(|u| u.ends_with(".js")).collect();
    assert_eq!(scripts.len(), 1, "{html}");
    for url in urls {
        assert!(url.starts_with('/') || url.starts_with("data:"), "{url} is not same-origin");
    }

    // The bundle: JavaScript, cached for good under its versioned name, with nothing to fetch
    // from Redocly's CDN (its logo is removed when it is vendored).
    let asset = app.get(scripts[0]).send().await.unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(scripts[0].contains(social_mission_api::reference::REDOC_VERSION));
    let js = asset.text().await.unwrap();
    assert!(js.len() > 1_000_000 && js.contains("spec-url"));
    for host in ["cdn.redoc.ly", "fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "jsdelivr"] {
        assert!(!js.contains(host), "the bundle names {host}");
    }

    // Only the reference page gets this policy; /docs keeps its own and JSON allows nothing.
    let head = app.client.head(app.url("/reference")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    let docs = app.get("/docs/").send().await.unwrap();
    assert_ne!(docs.headers()["content-security-policy"].to_str().unwrap(), csp);
    let json = app.get("/openapi.json").send().await.unwrap();
    assert!(json.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'; frame"));
}

#[actix_web::test]
async fn the_document_opens_with_authentication_paging_and_errors() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app.get("/openapi.json").send().await.unwrap().json().await.unwrap();
    let description = doc["info"]["description"].as_str().unwrap();
    let headings: Vec<&str> = description.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(headings, ["# Authentication", "# Paging", "# Errors"]);
    for term in ["POST /api/v1/auth/login", "X-Api-Key", "per_page", "Link", "{data, meta}", "RFC 9457", "errors"] {
        assert!(description.contains(term), "the introduction does not mention {term}");
    }
}
