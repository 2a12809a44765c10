//! All SQL of the vocabularies.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::json::Vocabulary;
use super::model::{NewTerm, Term, TermChanges, VocabularyText, VocabularyTextChanges};
use crate::db::schema::{resource_terms, resources, vocabularies, vocabulary_terms};

/// Every value in display order; retired ones only when asked.
pub async fn list(
    conn: &mut AsyncPgConnection,
    vocabulary: Option<Vocabulary>,
    retired: bool,
) -> QueryResult<Vec<Term>> {
    let mut q = vocabulary_terms::table.into_boxed();
    if let Some(v) = vocabulary {
        q = q.filter(vocabulary_terms::vocabulary.eq(v));
    }
    if !retired {
        q = q.filter(vocabulary_terms::retired_at.is_null());
    }
    q.order((vocabulary_terms::vocabulary.asc(), vocabulary_terms::position.asc(), vocabulary_terms::id.asc()))
        .select(Term::as_select())
        .load(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, vocabulary: Vocabulary, slug: &str) -> QueryResult<Option<Term>> {
    vocabulary_terms::table
        .filter(vocabulary_terms::vocabulary.eq(vocabulary))
        .filter(vocabulary_terms::slug.eq(slug))
        .select(Term::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewTerm<'_>) -> QueryResult<Term> {
    diesel::insert_into(vocabulary_terms::table).values(new).returning(Term::as_returning()).get_result(conn).await
}

pub async fn next_position(conn: &mut AsyncPgConnection, vocabulary: Vocabulary) -> QueryResult<i32> {
    let max: Option<i32> = vocabulary_terms::table
        .filter(vocabulary_terms::vocabulary.eq(vocabulary))
        .select(diesel::dsl::max(vocabulary_terms::position))
        .first(conn)
        .await?;
    Ok(max.map_or(0, |m| m + 1))
}

pub async fn update(conn: &mut AsyncPgConnection, id: i32, changes: &TermChanges) -> QueryResult<Term> {
    diesel::update(vocabulary_terms::table.find(id)).set(changes).returning(Term::as_returning()).get_result(conn).await
}

pub async fn retire(conn: &mut AsyncPgConnection, id: i32) -> QueryResult<()> {
    diesel::update(vocabulary_terms::table.find(id))
        .set((vocabulary_terms::retired_at.eq(diesel::dsl::now), vocabulary_terms::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await?;
    Ok(())
}

/// How many resources (any status) use the value.
pub async fn usage(conn: &mut AsyncPgConnection, term: &Term) -> QueryResult<i64> {
    if term.vocabulary == Vocabulary::Types {
        resources::table.filter(resources::resource_type_id.eq(term.id)).count().get_result(conn).await
    } else {
        resource_terms::table.filter(resource_terms::term_id.eq(term.id)).count().get_result(conn).await
    }
}

/// How many resources (any status) use each value of a vocabulary, in one query.
pub async fn usage_counts(conn: &mut AsyncPgConnection, vocabulary: Vocabulary) -> QueryResult<HashMap<i32, i64>> {
    let rows: Vec<(i32, i64)> = if vocabulary == Vocabulary::Types {
        resources::table
            .group_by(resources::resource_type_id)
            .select((resources::resource_type_id, diesel::dsl::count_star()))
            .load(conn)
            .await?
    } else {
        resource_terms::table
            .inner_join(vocabulary_terms::table)
            .filter(vocabulary_terms::vocabulary.eq(vocabulary))
            .group_by(resource_terms::term_id)
            .select((resource_terms::term_id, diesel::dsl::count_star()))
            .load(conn)
            .await?
    };
    Ok(rows.into_iter().collect())
}

/// Locks the value's row, so a resource cannot take it up while it is being retired.
pub async fn lock(conn: &mut AsyncPgConnection, id: i32) -> QueryResult<()> {
    vocabulary_terms::table.find(id).select(vocabulary_terms::id).for_update().first::<i32>(conn).await?;
    Ok(())
}

/// Moves a value to `position` in its vocabulary's display order and renumbers the others
/// 0, 1, 2, … so the order stays total.
pub async fn move_to(conn: &mut AsyncPgConnection, vocabulary: Vocabulary, id: i32, position: i32) -> QueryResult<()> {
    let mut ids: Vec<i32> =
        list(conn, Some(vocabulary), true).await?.into_iter().map(|t| t.id).filter(|t| *t != id).collect();
    let at = usize::try_from(position).unwrap_or(0).min(ids.len());
    ids.insert(at, id);
    for (i, term) in ids.into_iter().enumerate() {
        diesel::update(vocabulary_terms::table.find(term).filter(vocabulary_terms::position.ne(i as i32)))
            .set(vocabulary_terms::position.eq(i as i32))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// The vocabularies' headings and introductions.
pub async fn texts(conn: &mut AsyncPgConnection) -> QueryResult<Vec<VocabularyText>> {
    vocabularies::table.select(VocabularyText::as_select()).load(conn).await
}

pub async fn update_text(
    conn: &mut AsyncPgConnection,
    vocabulary: Vocabulary,
    changes: &VocabularyTextChanges,
) -> QueryResult<VocabularyText> {
    diesel::update(vocabularies::table.find(vocabulary))
        .set(changes)
        .returning(VocabularyText::as_returning())
        .get_result(conn)
        .await
}
