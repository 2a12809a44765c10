//! Per-address budgets. `budget` is the middleware a route group carries (see `routes.rs`):
//! every request of the group takes one unit of the caller's address budget under the group's
//! policy before it reaches its handler. `spend` is for the one handler that limits only some of
//! its requests (the newsletter's unsubscribe: a one-click link is never refused, a form is).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpRequest, ResponseError};

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

/// The middleware of a route group limited per client address under `policy`.
pub async fn budget(
    policy: Policy,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    match spend(req.request(), policy) {
        Ok(()) => next.call(req).await.map(ServiceResponse::map_into_left_body),
        Err(refused) => Ok(req.into_response(refused.error_response()).map_into_right_body()),
    }
}
