//! Staff sign-in: login, token checks, rotation with reuse detection, logout, deactivation.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel_async::RunQueryDsl;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use social_mission_api::auth::jwt::Claims;
use social_mission_api::config::DEV_JWT_SECRET;
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;
use uuid::Uuid;

use crate::helpers::{problem, refused, TestApp, PASSWORD};

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/api/v1/auth/me").bearer_auth(token).send().await.unwrap()
}

async fn refresh(app: &TestApp, refresh_token: &Value) -> reqwest::Response {
    app.post("/api/v1/auth/refresh").json(&json!({ "refresh_token": refresh_token })).send().await.unwrap()
}

fn claims_of(token: &str) -> Claims {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[actix_web::test]
async fn login_answers_a_short_lived_bearer_token_and_an_opaque_refresh_token() {
    let app = TestApp::spawn().await;
    let (id, email) = app.create_user(Role::Editor).await;
    let response = app.login(&email.to_uppercase(), PASSWORD).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    let claims = claims_of(body["access_token"].as_str().unwrap());
    assert_eq!(claims.sub, id);
    assert_eq!(claims.role, "editor");
    assert_eq!(claims.exp - claims.iat, 900);
    let refresh_token = body["refresh_token"].as_str().unwrap();
    assert!(refresh_token.len() >= 40 && !refresh_token.contains('.'), "opaque, not a JWT");

    // Only a hash of the refresh token is stored.
    #[derive(diesel::QueryableByName)]
    struct Hash {
        #[diesel(sql_type = diesel::sql_types::Bytea)]
        token_hash: Vec<u8>,
    }
    let stored: Vec<Hash> =
        diesel::sql_query("SELECT token_hash FROM refresh_tokens").load(&mut app.db().await).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].token_hash, refresh_token.as_bytes());

    let me = me(&app, body["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["email"], email);
    assert_eq!(me["role"], "editor");
    assert!(me["last_login_at"].is_string());
    assert!(me.get("password_hash").is_none());
}

#[actix_web::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_401() {
    let app = TestApp::spawn().await;
    let (_, email) = app.create_user(Role::Admin).await;
    let wrong_password = refused(app.login(&email, "not-the-password").await, ProblemType::InvalidCredentials).await;
    let unknown_email =
        refused(app.login("nobody@example.org", "not-the-password").await, ProblemType::InvalidCredentials).await;
    assert_eq!(wrong_password, unknown_email);
}

#[actix_web::test]
async fn a_deactivated_user_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let (id, email) = app.create_user(Role::Editor).await;
    diesel::sql_query(format!("UPDATE users SET is_active = false WHERE id = '{id}'"))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    let body = problem(app.login(&email, PASSWORD).await, 401).await;
    assert_eq!(body, problem(app.login("nobody@example.org", PASSWORD).await, 401).await);
}

#[actix_web::test]
async fn login_failures_are_limited_per_address_and_never_lock_an_account() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_LOGIN_PER_MINUTE", "3"), ("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let (_, email) = app.create_user(Role::Editor).await;
    let attempt = |ip: &'static str, email: String, password: &'static str| {
        let app = &app;
        async move {
            app.post("/api/v1/auth/login")
                .header("x-forwarded-for", ip)
                .json(&json!({ "email": email, "password": password }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // One account from three addresses: other addresses still get answers, and the right
    // password signs in (failures elsewhere slow an account down, they never lock it).
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        assert_eq!(attempt(ip, email.clone(), "wrong").await, 401);
    }
    assert_eq!(attempt("10.0.0.4", email.clone(), "wrong").await, 401);
    assert_eq!(attempt("10.0.0.5", email.clone(), PASSWORD).await, 200);
    // One address failing on three other accounts: its fourth attempt is refused.
    for n in 0..3 {
        assert_eq!(attempt("10.9.9.9", format!("someone{n}@example.org"), "wrong").await, 401);
    }
    assert_eq!(attempt("10.9.9.9", "someone-else@example.org".into(), "wrong").await, 429);
}

#[actix_web::test]
async fn forged_expired_and_orphaned_tokens_are_all_401() {
    let app = TestApp::spawn().await;
    let (id, tokens) = app.login_as(Role::Admin).await;
    let token = tokens["access_token"].as_str().unwrap();
    let claims = claims_of(token);
    let sign = |alg: Algorithm, secret: &str, claims: &Claims| {
        encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
    };

    let bad_signature = sign(Algorithm::HS256, "some-other-secret-of-enough-length", &claims);
    let other_algorithm = sign(Algorithm::HS512, DEV_JWT_SECRET, &claims);
    let expired = sign(
        Algorithm::HS256,
        DEV_JWT_SECRET,
        &Claims { exp: claims.iat - 10, iat: claims.iat - 910, ..claims.clone() },
    );
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let alg_none = format!("{header}.{body}.");
    let unknown_session = sign(Algorithm::HS256, DEV_JWT_SECRET, &Claims { sid: Uuid::new_v4(), ..claims.clone() });
    let other_subject = sign(Algorithm::HS256, DEV_JWT_SECRET, &Claims { sub: Uuid::new_v4(), ..claims.clone() });

    assert_eq!(me(&app, token).await.status(), 200, "the genuine token works");
    for (what, forged) in [
        ("bad signature", bad_signature),
        ("another algorithm", other_algorithm),
        ("expired", expired),
        ("alg none", alg_none),
        ("unknown session", unknown_session),
        ("another subject", other_subject),
        ("garbage", "not.a.jwt".to_string()),
    ] {
        let response = me(&app, &forged).await;
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{what}");
        // A token this service did not sign (or no longer accepts) is told from a session that ended.
        let kind = match what {
            "unknown session" | "another subject" => ProblemType::SessionEnded,
            _ => ProblemType::InvalidAccessToken,
        };
        refused(response, kind).await;
    }
    let anonymous = app.get("/api/v1/auth/me").send().await.unwrap();
    refused(anonymous, ProblemType::AuthenticationRequired).await;
    let basic = app.get("/api/v1/auth/me").header("authorization", format!("Basic {token}")).send().await.unwrap();
    refused(basic, ProblemType::AuthenticationRequired).await;

    // A deleted subject.
    diesel::sql_query(format!("DELETE FROM users WHERE id = '{id}'")).execute(&mut app.db().await).await.unwrap();
    assert_eq!(me(&app, token).await.status(), 401);
}

#[actix_web::test]
async fn refresh_rotates_and_a_reused_token_ends_the_whole_family() {
    let app = TestApp::spawn().await;
    let (_, first) = app.login_as(Role::Editor).await;

    let second: Value = {
        let response = refresh(&app, &first["refresh_token"]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    };
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(me(&app, second["access_token"].as_str().unwrap()).await.status(), 200);
    let third: Value = refresh(&app, &second["refresh_token"]).await.json().await.unwrap();

    // The first token is replayed: refused, and every token of that sign-in stops working.
    refused(refresh(&app, &first["refresh_token"]).await, ProblemType::InvalidRefreshToken).await;
    assert_eq!(refresh(&app, &third["refresh_token"]).await.status(), 401);
    assert_eq!(me(&app, third["access_token"].as_str().unwrap()).await.status(), 401);

    // Another sign-in of the same user is unaffected.
    let (_, other) = app.login_as(Role::Editor).await;
    assert_eq!(me(&app, other["access_token"].as_str().unwrap()).await.status(), 200);
}

#[actix_web::test]
async fn an_unknown_or_malformed_refresh_token_is_refused() {
    let app = TestApp::spawn().await;
    refused(refresh(&app, &json!("made-up")).await, ProblemType::InvalidRefreshToken).await;
    let response = app.post("/api/v1/auth/refresh").json(&json!({ "refresh_token": "" })).send().await.unwrap();
    assert_eq!(crate::helpers::invalid_fields(response).await, vec![("refresh_token".into(), "invalid_length".into())]);
    let response = app.post("/api/v1/auth/refresh").json(&json!({})).send().await.unwrap();
    assert_eq!(crate::helpers::invalid_fields(response).await, vec![("refresh_token".into(), "required".into())]);
}

#[actix_web::test]
async fn logout_ends_the_access_and_refresh_tokens_at_once() {
    let app = TestApp::spawn().await;
    let (_, tokens) = app.login_as(Role::Editor).await;
    let access = tokens["access_token"].as_str().unwrap();
    let response = app.post("/api/v1/auth/logout").bearer_auth(access).send().await.unwrap();
    assert_eq!(response.status(), 204);
    refused(me(&app, access).await, ProblemType::SessionEnded).await;
    refused(refresh(&app, &tokens["refresh_token"]).await, ProblemType::InvalidRefreshToken).await;
    refused(app.post("/api/v1/auth/logout").send().await.unwrap(), ProblemType::AuthenticationRequired).await;
}

#[actix_web::test]
async fn an_editor_on_an_admin_route_is_403() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    for path in ["/api/v1/admin/users", "/api/v1/admin/audit-log"] {
        let body = refused(app.get(path).bearer_auth(&token).send().await.unwrap(), ProblemType::AdminRequired).await;
        assert!(body["detail"].as_str().unwrap().contains("admin"));
    }
}
