//! Wire types of the operations endpoints.

use serde::Serialize;
use utoipa::ToSchema;

/// The instance's answer to a health check.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({ "status": "ok" }))]
pub struct Health {
    /// Always `ok` (a check that fails answers 503 with a problem document instead).
    #[schema(example = "ok")]
    pub status: &'static str,
}
