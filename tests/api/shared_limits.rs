//! Two instances with `RATE_LIMIT_STORE=redis://…` behave as one: every budget (forms, reads,
//! sign-in failures) is spent once across both, with the same `RateLimit` headers; Redis holds
//! no address or email and nothing beyond its minute. When Redis stops answering each instance
//! keeps serving with its share of every budget (`INSTANCES`), says so in `/health/ready` (still
//! 200), and shares again once Redis is back.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::redis::{self, PrivateRedis};
use crate::helpers::{problem, refused, TestApp, PASSWORD};

const SUBSCRIBE: &str = "/api/v1/newsletter/subscriptions";

fn vars(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Two instances on one database, counting in the shared Redis under a prefix of this test's,
/// with `extra` configuration.
async fn pair(prefix: &str, extra: &[(&str, &str)]) -> (TestApp, TestApp) {
    let mut all = redis::shared(prefix);
    all.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let app = TestApp::spawn_with(&vars(&all)).await;
    let other = app.another_instance().await;
    (app, other)
}

async fn subscribe(app: &TestApp, n: usize) -> reqwest::Response {
    app.post(SUBSCRIBE)
        .json(&json!({ "email": format!("reader{n}@example.org"), "consent": true }))
        .send()
        .await
        .unwrap()
}

async fn readiness(app: &TestApp) -> Value {
    let response = app.get("/health/ready").send().await.unwrap();
    assert_eq!(response.status(), 200, "a rate-limit store never takes an instance out of the balancer");
    response.json().await.unwrap()
}

fn number(response: &reqwest::Response, name: &str) -> u64 {
    response.headers()[name].to_str().unwrap().parse().unwrap()
}

#[actix_web::test]
async fn a_form_limit_of_n_is_n_across_both_instances() {
    let prefix = redis::prefix();
    let (app, other) = pair(&prefix, &[("RATE_LIMIT_FORMS_PER_MINUTE", "3")]).await;
    assert_eq!(readiness(&app).await, json!({ "status": "ok", "rate_limits": "shared" }));
    // Three sign-ups, spread over both instances, are the whole budget of this address.
    for (n, instance) in [&app, &other, &app].into_iter().enumerate() {
        assert_eq!(subscribe(instance, n).await.status(), 202, "sign-up {n}");
    }
    // The fourth is refused wherever it lands, and stores nothing.
    for (n, instance) in [&other, &app].into_iter().enumerate() {
        let response = subscribe(instance, 10 + n).await;
        let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=20).contains(&retry), "one unit comes back every 20 s, not {retry}");
        refused(response, ProblemType::FormLimitReached).await;
    }
    assert_eq!(app.count("newsletter_subscribers").await, 3);
}

#[actix_web::test]
async fn reads_spend_one_budget_and_the_headers_count_it_down_on_both_instances() {
    let prefix = redis::prefix();
    let (app, other) = pair(&prefix, &[("RATE_LIMIT_READS_PER_MINUTE", "4")]).await;
    let mut remaining = Vec::new();
    for instance in [&app, &other, &other, &app] {
        let response = instance.get("/api/v1/resources").send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(number(&response, "ratelimit-limit"), 4);
        assert_eq!(response.headers()["ratelimit-policy"], "\"anonymous\";q=4;w=60");
        remaining.push(number(&response, "ratelimit-remaining"));
    }
    assert_eq!(remaining, [3, 2, 1, 0]);
    let response = other.get("/api/v1/taxonomy").send().await.unwrap();
    assert_eq!(number(&response, "ratelimit-remaining"), 0);
    assert!(number(&response, "ratelimit-reset") <= 60);
    refused(response, ProblemType::ReadLimitReached).await;
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post("/api/v1/auth/login").json(&json!({ "email": email, "password": password })).send().await.unwrap()
}

#[actix_web::test]
async fn sign_in_failures_count_once_across_instances_and_successes_not_at_all() {
    let prefix = redis::prefix();
    let (app, other) = pair(&prefix, &[("RATE_LIMIT_LOGIN_PER_MINUTE", "3")]).await;
    let (_, email) = app.create_user(Role::Editor).await;
    for instance in [&app, &other, &app, &other, &app, &other] {
        assert_eq!(login(instance, &email, PASSWORD).await.status(), 200, "successes give their units back");
    }
    for instance in [&other, &app, &other] {
        problem(login(instance, &email, "wrong password").await, 401).await;
    }
    // Three failures in all: this address is out of them on both instances.
    refused(login(&app, &email, PASSWORD).await, ProblemType::SignInThrottled).await;
    refused(login(&other, &email, PASSWORD).await, ProblemType::SignInThrottled).await;

    // What Redis holds names nobody and expires with its budget.
    let keys = redis::keys(&redis::url(), &prefix).await;
    assert!(keys.iter().any(|(k, _)| k.contains(":login:f:")), "{keys:?}");
    for (key, ttl) in &keys {
        assert!(!key.contains(&email) && !key.contains("127.0.0.1"), "{key} names the caller");
        assert!((1..=120_000).contains(ttl), "{key} kept for {ttl} ms");
    }
}

#[actix_web::test]
async fn without_redis_each_instance_serves_its_share_and_shares_again_when_it_is_back() {
    let mut private = PrivateRedis::start().await;
    let prefix = redis::prefix();
    let all = [
        ("RATE_LIMIT_STORE", private.url()),
        ("RATE_LIMIT_KEY_PREFIX", prefix.clone()),
        ("RATE_LIMIT_STORE_TIMEOUT_MS", "5000".into()),
        ("INSTANCES", "2".into()),
        ("RATE_LIMIT_FORMS_PER_MINUTE", "4".into()),
    ];
    let app = TestApp::spawn_with(&all.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    let other = app.another_instance().await;
    assert_eq!(readiness(&other).await["rate_limits"], "shared");

    private.stop();
    // Each instance allows its half of the budget, in its own process: four in all, as before.
    let mut n = 0;
    for instance in [&app, &other] {
        for _ in 0..2 {
            assert_eq!(subscribe(instance, n).await.status(), 202, "sign-up {n} without Redis");
            n += 1;
        }
        refused(subscribe(instance, 100 + n).await, ProblemType::FormLimitReached).await;
    }
    assert_eq!(readiness(&app).await, json!({ "status": "degraded", "rate_limits": "fallback" }));
    // Reads are served meanwhile.
    assert_eq!(other.get("/api/v1/resources").send().await.unwrap().status(), 200);

    // Back: within a couple of seconds both instances count in Redis again (its budgets are new).
    private.restart().await;
    for instance in [&app, &other] {
        let deadline = Instant::now() + Duration::from_secs(5);
        while readiness(instance).await["rate_limits"] != "shared" {
            assert!(Instant::now() < deadline, "the instance did not notice Redis was back");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(readiness(instance).await["status"], "ok");
    }
    for (k, instance) in [&app, &other, &app, &other].into_iter().enumerate() {
        assert_eq!(subscribe(instance, 200 + k).await.status(), 202);
    }
    refused(subscribe(&app, 300).await, ProblemType::FormLimitReached).await;
}

#[actix_web::test]
async fn a_store_that_is_neither_memory_nor_redis_is_refused_at_start() {
    let vars = std::collections::HashMap::from([
        ("APP_ENV".to_string(), "development".to_string()),
        ("RATE_LIMIT_STORE".to_string(), "memcached://127.0.0.1".to_string()),
    ]);
    let error = social_mission_api::config::Config::from_vars(vars).unwrap_err();
    assert!(error.to_string().contains("RATE_LIMIT_STORE"), "{error}");
}

/// What a visitor meets: two instances behind the load balancer (round robin), one budget.
#[actix_web::test]
async fn behind_the_load_balancer_the_form_after_the_budget_is_refused_by_either_instance() {
    let prefix = redis::prefix();
    let (app, other) = pair(&prefix, &[("RATE_LIMIT_FORMS_PER_MINUTE", "5")]).await;
    let port = |app: &TestApp| app.address.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let balancer = crate::helpers::haproxy::LoadBalancer::start(free, &[port(&app), port(&other)]);
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for n in 0..8 {
        let response = client
            .post(format!("http://127.0.0.1:{}{SUBSCRIBE}", balancer.port))
            .json(&json!({ "email": format!("visitor{n}@example.org"), "consent": true }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    // Round robin: the three refusals came from both instances.
    assert_eq!(statuses, [202, 202, 202, 202, 202, 429, 429, 429]);
    assert_eq!(app.count("newsletter_subscribers").await, 5);
}
