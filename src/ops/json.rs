//! Wire types of the operations endpoints.

use serde::Serialize;
use utoipa::ToSchema;

/// The instance's answer to a health check.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({ "status": "ok", "rate_limits": "shared" }))]
pub struct Health {
    /// `ok`; on readiness `degraded` when the instance serves but something it relies on does not
    /// answer (see `rate_limits`). A check that fails answers 503 with a problem document instead.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// Readiness only: where rate limits are counted now. `memory`: in this process
    /// (`RATE_LIMIT_STORE=memory`); `shared`: in Redis, one budget across every instance;
    /// `fallback`: Redis is configured but does not answer, so each instance counts its share of
    /// every budget (the budget divided by `INSTANCES`) until it does (`status` is `degraded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "shared")]
    pub rate_limits: Option<RateLimits>,
}

/// Where rate limits are counted.
#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RateLimits {
    Memory,
    Shared,
    Fallback,
}
