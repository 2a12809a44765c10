//! What the operations endpoints check and render.

use super::json::{Health, RateLimits};
use super::queries;
use crate::error::{ApiError, ApiResult};
use crate::ratelimit::Store;
use crate::state::AppState;

/// Ready: the instance is not stopping and the database answers (503 otherwise); `degraded`
/// while the shared rate-limit store does not answer.
pub async fn readiness(state: &AppState) -> ApiResult<Health> {
    if state.is_stopping() {
        return Err(ApiError::Unavailable("the instance is stopping".into()));
    }
    let mut conn = state.pool.get().await?;
    queries::ping(&mut conn).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness query failed");
        ApiError::Unavailable("the database is unavailable".into())
    })?;
    let rate_limits = match state.limiter.probe().await {
        Store::Memory => RateLimits::Memory,
        Store::Shared => RateLimits::Shared,
        Store::Fallback => RateLimits::Fallback,
    };
    let status = if rate_limits == RateLimits::Fallback { "degraded" } else { "ok" };
    Ok(Health { status, rate_limits: Some(rate_limits) })
}

/// The Prometheus text exposition of this instance.
pub fn metrics(state: &AppState) -> ApiResult<String> {
    state.metrics.render(&state.pool).map_err(ApiError::Internal)
}
