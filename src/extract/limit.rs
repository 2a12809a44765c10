//! Per-address budgets taken by extractors: `TokenUse` for reads and deletions that present a
//! secret token in the query (a registration's manage link), and `spend` for the POST extractors
//! and handlers that limit only some of their forms.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use crate::error::ApiError;
use crate::extract::client_key;
use crate::ratelimit::Policy;
use crate::state::AppState;

/// Takes one unit of the caller's address budget under `policy`; a 429 with `Retry-After` when none is left.
pub fn spend(req: &HttpRequest, policy: Policy) -> Result<(), ApiError> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered");
    let key = client_key(req, &state.config.trusted_proxies);
    state.limiter.check(policy, &key).into_result().map(|_| ())
}

/// A request that presents a secret token: the caller's address was within
/// `RATE_LIMIT_TOKENS_PER_MINUTE`, so tokens cannot be guessed at the speed of the network.
#[derive(Debug, Clone, Copy)]
pub struct TokenUse;

impl FromRequest for TokenUse {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(spend(req, Policy::Tokens).map(|()| TokenUse))
    }
}
