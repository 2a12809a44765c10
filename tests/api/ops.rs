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
    assert_eq!(app.get("/health/ready").send().await.unwrap().status(), 200);
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
