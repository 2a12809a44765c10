//! What the operations endpoints check and render.

use super::queries;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Ready: the instance is not stopping and the database answers (503 otherwise).
pub async fn readiness(state: &AppState) -> ApiResult<()> {
    if state.is_stopping() {
        return Err(ApiError::Unavailable("the instance is stopping".into()));
    }
    let mut conn = state.pool.get().await?;
    queries::ping(&mut conn).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness query failed");
        ApiError::Unavailable("the database is unavailable".into())
    })
}

/// The Prometheus text exposition of this instance.
pub fn metrics(state: &AppState) -> ApiResult<String> {
    state.metrics.render(&state.pool).map_err(ApiError::Internal)
}
