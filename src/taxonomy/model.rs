//! Rows of `vocabulary_terms`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::{AsExpression, FromSqlRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{vocabularies, vocabulary_terms};
use crate::text_enum;

/// One of the library's four vocabularies, named in paths by its plural.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Vocabulary {
    Types,
    Domains,
    Topics,
    Professions,
}
// Stored in `vocabulary_terms.vocabulary` by its singular; named on the wire by its plural.
text_enum!(Vocabulary { Types = "type", Domains = "domain", Topics = "topic", Professions = "profession" });

impl Vocabulary {
    pub const ALL: [Vocabulary; 4] =
        [Vocabulary::Types, Vocabulary::Domains, Vocabulary::Topics, Vocabulary::Professions];

    pub fn key(self) -> &'static str {
        match self {
            Vocabulary::Types => "types",
            Vocabulary::Domains => "domains",
            Vocabulary::Topics => "topics",
            Vocabulary::Professions => "professions",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Vocabulary::Types => "Resource Types",
            Vocabulary::Domains => "Social Mission Domains",
            Vocabulary::Topics => "Social Mission Topics",
            Vocabulary::Professions => "Health Professions",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vocabulary_terms)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct Term {
    pub id: i32,
    pub vocabulary: Vocabulary,
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
    pub vocabulary: Vocabulary,
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

/// A vocabulary's own texts: the library page's sidebar heading and its introduction.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vocabularies)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct VocabularyText {
    pub vocabulary: Vocabulary,
    pub heading: String,
    pub introduction: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = vocabularies)]
pub struct VocabularyTextChanges {
    pub heading: Option<String>,
    pub introduction: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}
