//! What consuming a refresh token found.

use uuid::Uuid;

pub enum Consumed {
    /// The token was live and is now used; its session may be continued.
    Rotated { session_id: Uuid },
    /// The token had been used before: somebody replayed it.
    Reused { session_id: Uuid },
    /// Unknown or expired.
    Invalid,
}
