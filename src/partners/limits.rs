//! The rate limits of public reads: per API key for partners (`RATE_LIMIT_PARTNER_PER_MINUTE`),
//! per client IP for everyone else (`RATE_LIMIT_READS_PER_MINUTE`). Every answer carries the IETF
//! draft's `RateLimit` and `RateLimit-Policy` and the widely read `RateLimit-Limit`,
//! `RateLimit-Remaining` and `RateLimit-Reset`; a 429 also `Retry-After`. A key that is sent but
//! unknown or revoked is a 401, never a silent fall-back to the anonymous limit; a key not known
//! to be live takes one unit of the caller's anonymous budget before it is looked up, so made-up
//! keys are throttled before they reach the database. The budgets are counted by `Limiter`
//! (src/ratelimit), in this process or in Redis for every instance at once. Which routes are public reads is said once, by their
//! group in the route list (`routes.rs`).

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};

use super::keys::{looks_like_key, ApiKey, KeyStore};
use crate::error::{ApiError, ProblemType};
use crate::extract::client_key;
use crate::ratelimit::{Decision, Policy};
use crate::state::AppState;

/// The API key sent with the request, if any: `X-Api-Key`, or a bearer token shaped like a key
/// (a staff access token in `Authorization` is not one).
fn sent_key(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers.get("x-api-key") {
        return Some(v.to_str().unwrap_or_default().trim().to_string());
    }
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && looks_like_key(token.trim())).then(|| token.trim().to_string())
}

/// The partner key a request was made with, for handlers that care.
#[derive(Debug, Clone, Copy)]
pub struct Partner(pub ApiKey);

fn set_headers(headers: &mut HeaderMap, name: &str, d: &Decision) {
    let mut put = |h: &'static str, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            headers.insert(HeaderName::from_static(h), v);
        }
    };
    put("ratelimit-policy", format!("\"{name}\";q={};w=60", d.limit));
    put("ratelimit", format!("\"{name}\";r={};t={}", d.remaining, d.reset_secs));
    put("ratelimit-limit", d.limit.to_string());
    put("ratelimit-remaining", d.remaining.to_string());
    put("ratelimit-reset", d.reset_secs.to_string());
}

/// The 429 of a spent budget, with its rate-limit headers.
fn refused(policy: Policy, name: &str, decision: &Decision) -> HttpResponse {
    let refusal = ApiError::TooManyRequests { kind: policy.problem(), retry_after_secs: decision.retry_after_secs };
    let mut response = refusal.error_response();
    set_headers(response.headers_mut(), name, decision);
    response
}

/// A public read let through: the budget it was counted against, for the answer's headers.
pub struct Admitted {
    name: &'static str,
    decision: Decision,
}

impl Admitted {
    /// Puts the `RateLimit` headers on the answer.
    pub fn apply(&self, headers: &mut HeaderMap) {
        set_headers(headers, self.name, &self.decision);
    }
}

/// The policy of the public-read route group (`routes.rs`): counts the request against the
/// partner's key or the caller's address, or refuses it (429, or 401 for a bad key).
pub async fn admit(req: &ServiceRequest) -> Result<Admitted, HttpResponse> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered");
    let keys = req.app_data::<web::Data<KeyStore>>().expect("the KeyStore is registered");
    let anonymous = client_key(req.request(), &state.config.trusted_proxies);
    let (policy, name, bucket) = match sent_key(req.headers()) {
        Some(key) => {
            // A key not known to be live (made up, revoked, or not seen yet) first takes one unit
            // of the caller's anonymous budget: a flood of guesses is refused before any lookup.
            if !keys.recognised(&key) {
                let decision = state.limiter.check(Policy::Reads, &anonymous).await;
                if !decision.allowed {
                    return Err(refused(Policy::Reads, "anonymous", &decision));
                }
            }
            match keys.resolve(&key).await {
                Ok(Some(api_key)) => {
                    keys.used(&api_key);
                    req.extensions_mut().insert(Partner(api_key));
                    (Policy::Partner, "partner", format!("key:{}", api_key.id))
                }
                Ok(None) => {
                    return Err(ApiError::refused(ProblemType::UnknownApiKey, "the API key is unknown or revoked")
                        .error_response())
                }
                Err(error) => return Err(error.error_response()),
            }
        }
        None => (Policy::Reads, "anonymous", anonymous),
    };
    let decision = state.limiter.check(policy, &bucket).await;
    if !decision.allowed {
        return Err(refused(policy, name, &decision));
    }
    Ok(Admitted { name, decision })
}
