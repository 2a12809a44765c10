//! Rows of `vocabulary_terms`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::vocabulary_terms;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vocabulary_terms)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct Term {
    pub id: i32,
    pub vocabulary: String,
    pub slug: String,
    pub label: String,
    pub description: String,
    pub position: i32,
    pub retired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = vocabulary_terms)]
pub struct NewTerm<'a> {
    pub vocabulary: &'a str,
    pub slug: &'a str,
    pub label: &'a str,
    pub description: &'a str,
    pub position: i32,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = vocabulary_terms)]
pub struct TermChanges {
    pub label: Option<String>,
    pub description: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}
