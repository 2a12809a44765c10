//! The staff roles: what a signed-in user may do. They live with authentication, below the
//! features, because every staff extractor checks them.

use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text_enum;

/// What a staff member may do: `editor` curates content and works the queues; `admin` also
/// manages users, vocabularies, partners and exports personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Editor,
}

text_enum!(Role { Admin = "admin", Editor = "editor" });
