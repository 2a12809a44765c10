//! Per-address budgets: every request of a route group limited per address (see `routes.rs`)
//! takes one unit of the caller's budget under the group's policy before it is routed; the one
//! handler that limits only some of its requests (the newsletter's unsubscribe: a one-click link
//! is never refused, a form is) calls `spend` itself.

use actix_web::{web, HttpRequest};

use crate::error::ApiError;
use crate::extract::client_key;
use crate::ratelimit::Policy;
use crate::state::AppState;

/// Takes one unit of the caller's address budget under `policy`; a 429 with `Retry-After` when none is left.
pub async fn spend(req: &HttpRequest, policy: Policy) -> Result<(), ApiError> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered");
    let key = client_key(req, &state.config.trusted_proxies);
    state.limiter.check(policy, &key).await.into_result(policy).map(|_| ())
}
