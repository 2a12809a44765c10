//! All SQL of the resource library. The list and its facets are built as SQL text with bound
//! parameters: only the active filters become conditions, so every plan fits its query.

use std::collections::HashMap;

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{Array, BigInt, Bool, Int4, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::{ResourceStatus, Sort};
use super::model::{IndexedTerm, ResourceCard, ResourceFields, ResourceRow, ServedCard};
use crate::db::schema::{resource_cards, resource_slugs, resource_terms, resources, served_cards, vocabulary_terms};
use crate::extract::PageRequest;
pub use crate::index::TextSearch;
use crate::taxonomy::json::Vocabulary;

/// A resolved list filter: vocabulary slugs turned into term ids (an unknown slug into none).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<ResourceStatus>,
    pub terms: HashMap<Vocabulary, Vec<i32>>,
    pub open_access: Option<bool>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub q: Option<TextSearch>,
}

enum Bind {
    Ints(Vec<i32>),
    Uuids(Vec<Uuid>),
    Int(i32),
    Text(String),
    Bool(bool),
}

/// SQL text and its parameters, numbered as they are pushed.
#[derive(Default)]
struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends `$n` for a new parameter.
    fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }

    /// `WHERE …` for every active filter but `except`'s vocabulary (for that vocabulary's facet).
    fn filter(&mut self, f: &Filter, except: Option<Vocabulary>) -> &mut Self {
        self.push(" WHERE true");
        if let Some(status) = f.status {
            self.push(" AND r.status = ").bind(Bind::Text(status.as_str().into()));
        }
        for (vocabulary, ids) in &f.terms {
            if Some(*vocabulary) == except {
                continue;
            }
            if *vocabulary == Vocabulary::Types {
                self.push(" AND r.resource_type_id = ANY(").bind(Bind::Ints(ids.clone())).push(")");
            } else {
                self.push(
                    " AND EXISTS (SELECT 1 FROM resource_terms x WHERE x.resource_id = r.id AND x.term_id = ANY(",
                )
                .bind(Bind::Ints(ids.clone()))
                .push("))");
            }
        }
        if let Some(open) = f.open_access {
            self.push(" AND r.open_access = ").bind(Bind::Bool(open));
        }
        if let Some(from) = f.year_from {
            self.push(" AND r.year >= ").bind(Bind::Int(from));
        }
        if let Some(to) = f.year_to {
            self.push(" AND r.year <= ").bind(Bind::Int(to));
        }
        if let Some(q) = &f.q {
            self.push(" AND r.search @@ ").tsquery(q);
        }
        self
    }

    /// The `tsquery` of a text search, as `TextSearch` describes it.
    fn tsquery(&mut self, q: &TextSearch) -> &mut Self {
        self.push("(websearch_to_tsquery('english', ").bind(Bind::Text(q.words.clone())).push(")");
        if let Some(operand) = q.prefix_operand() {
            self.push(" && to_tsquery('english', ").bind(Bind::Text(operand)).push(")");
        }
        self.push(")")
    }

    fn query(self) -> BoxedSqlQuery<'static, Pg, diesel::query_builder::SqlQuery> {
        self.binds.into_iter().fold(diesel::sql_query(self.text).into_boxed(), |q, b| match b {
            Bind::Ints(v) => q.bind::<Array<Int4>, _>(v),
            Bind::Uuids(v) => q.bind::<Array<diesel::sql_types::Uuid>, _>(v),
            Bind::Int(v) => q.bind::<Int4, _>(v),
            Bind::Text(v) => q.bind::<Text, _>(v),
            Bind::Bool(v) => q.bind::<Bool, _>(v),
        })
    }
}

const COLUMNS: &str =
    "r.id, r.slug, r.title, r.summary, r.url, r.resource_type_id, r.year, r.authors, r.source, r.doi, \
     r.open_access, r.status, r.is_spotlight, r.published_at, r.created_at, r.updated_at, r.suggestion_id";

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// One page of matches and the total.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &Filter,
    sort: Sort,
    page: PageRequest,
) -> QueryResult<(Vec<ResourceRow>, i64)> {
    let mut count = Sql::default();
    count.push("SELECT count(*) AS total FROM resources r").filter(filter, None);
    let total = count.query().get_result::<Counted>(conn).await?.total;
    if total == 0 || page.offset() >= total {
        return Ok((Vec::new(), total));
    }
    let published_only = filter.status == Some(ResourceStatus::Published);
    let mut sql = Sql::default();
    sql.push(&format!("SELECT {COLUMNS} FROM resources r")).filter(filter, None);
    match (sort, &filter.q) {
        (Sort::Relevance, Some(q)) => sql
            .push(" ORDER BY ts_rank(r.search, ")
            .tsquery(q)
            .push(") DESC, r.published_at DESC NULLS LAST, r.id DESC"),
        // For published resources the order is exactly the partial index's (`published_at` is never
        // null there), so the page is read in index order instead of sorting every match.
        (Sort::Relevance | Sort::Newest, _) if published_only => sql.push(" ORDER BY r.published_at DESC, r.id DESC"),
        (Sort::Oldest, _) if published_only => sql.push(" ORDER BY r.published_at ASC, r.id ASC"),
        (Sort::Relevance | Sort::Newest, _) => {
            sql.push(" ORDER BY r.published_at DESC NULLS LAST, r.created_at DESC, r.id DESC")
        }
        (Sort::Oldest, _) => sql.push(" ORDER BY r.published_at ASC NULLS LAST, r.created_at ASC, r.id ASC"),
        // Bytewise, so the order is the same on every server whatever its collation.
        (Sort::Title, _) => sql.push(" ORDER BY lower(r.title) COLLATE \"C\" ASC, r.id ASC"),
    };
    sql.push(" LIMIT ").bind(Bind::Int(page.limit() as i32)).push(" OFFSET ").bind(Bind::Int(page.offset() as i32));
    let rows = sql.query().load::<ResourceRow>(conn).await?;
    Ok((rows, total))
}

#[derive(QueryableByName)]
struct FacetCount {
    #[diesel(sql_type = Int4)]
    term_id: i32,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// For each vocabulary, every value's count of matches under the *other* active filters.
pub async fn facet_counts(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<HashMap<i32, i64>> {
    let mut sql = Sql::default();
    for (i, vocabulary) in Vocabulary::ALL.into_iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        if vocabulary == Vocabulary::Types {
            sql.push("SELECT r.resource_type_id AS term_id, count(*) AS n FROM resources r");
            sql.filter(filter, Some(vocabulary)).push(" GROUP BY 1");
        } else {
            sql.push(
                "SELECT t.term_id, count(*) AS n FROM resources r JOIN resource_terms t ON t.resource_id = r.id \
                 JOIN vocabulary_terms v ON v.id = t.term_id AND v.vocabulary = ",
            )
            .bind(Bind::Text(vocabulary.as_str().into()));
            sql.filter(filter, Some(vocabulary)).push(" GROUP BY 1");
        }
    }
    let rows = sql.query().load::<FacetCount>(conn).await?;
    Ok(rows.into_iter().map(|r| (r.term_id, r.n)).collect())
}

/// The ids of the domains, topics and professions linked to each resource.
pub async fn links(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<HashMap<Uuid, Vec<i32>>> {
    let rows: Vec<(Uuid, i32)> = resource_terms::table
        .filter(resource_terms::resource_id.eq_any(ids))
        .select((resource_terms::resource_id, resource_terms::term_id))
        .load(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<i32>> = HashMap::new();
    for (id, term) in rows {
        out.entry(id).or_default().push(term);
    }
    Ok(out)
}

/// A resource by id, current slug or any earlier slug.
pub async fn find_by_key(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<Option<ResourceRow>> {
    let query = resources::table.select(ResourceRow::as_select()).into_boxed();
    let query = match Uuid::parse_str(key) {
        Ok(id) => query.filter(resources::id.eq(id)),
        Err(_) => query.filter(
            resources::id.nullable().eq(resource_slugs::table
                .filter(resource_slugs::slug.eq(key.to_string()))
                .select(resource_slugs::resource_id)
                .single_value()),
        ),
    };
    query.first(conn).await.optional()
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ResourceRow>> {
    resources::table.find(id).select(ResourceRow::as_select()).first(conn).await.optional()
}

/// The active values of a vocabulary among `slugs`, locked against retirement until the
/// transaction ends. Returns the ids in the order of `slugs`, `None` for each unknown one.
pub async fn resolve_for_write(
    conn: &mut AsyncPgConnection,
    vocabulary: Vocabulary,
    slugs: &[String],
) -> QueryResult<Vec<Option<i32>>> {
    let found: Vec<(i32, String)> = vocabulary_terms::table
        .filter(vocabulary_terms::vocabulary.eq(vocabulary))
        .filter(vocabulary_terms::slug.eq_any(slugs))
        .filter(vocabulary_terms::retired_at.is_null())
        .select((vocabulary_terms::id, vocabulary_terms::slug))
        .for_key_share()
        .load(conn)
        .await?;
    Ok(slugs.iter().map(|s| found.iter().find(|(_, slug)| slug == s).map(|(id, _)| *id)).collect())
}

/// Every vocabulary value in display order, retired ones included (old links still read).
pub async fn term_index(conn: &mut AsyncPgConnection) -> QueryResult<Vec<IndexedTerm>> {
    let rows = crate::taxonomy::queries::list(conn, None, true).await?;
    Ok(rows.into_iter().map(IndexedTerm::from).collect())
}

pub async fn slug_taken(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(resource_slugs::table.filter(resource_slugs::slug.eq(slug))))
        .get_result(conn)
        .await
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    slug: &str,
    fields: &ResourceFields,
) -> QueryResult<ResourceRow> {
    let row = diesel::insert_into(resources::table)
        .values((resources::id.eq(id), resources::slug.eq(slug), fields))
        .returning(ResourceRow::as_returning())
        .get_result(conn)
        .await?;
    add_slug(conn, id, slug).await?;
    Ok(row)
}

pub async fn add_slug(conn: &mut AsyncPgConnection, id: Uuid, slug: &str) -> QueryResult<()> {
    diesel::insert_into(resource_slugs::table)
        .values((resource_slugs::slug.eq(slug), resource_slugs::resource_id.eq(id)))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_fields(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    slug: &str,
    fields: &ResourceFields,
) -> QueryResult<ResourceRow> {
    diesel::update(resources::table.find(id))
        .set((fields, resources::slug.eq(slug), resources::updated_at.eq(diesel::dsl::now)))
        .returning(ResourceRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn replace_links(conn: &mut AsyncPgConnection, id: Uuid, term_ids: &[i32]) -> QueryResult<()> {
    diesel::delete(resource_terms::table.filter(resource_terms::resource_id.eq(id))).execute(conn).await?;
    let rows: Vec<_> =
        term_ids.iter().map(|t| (resource_terms::resource_id.eq(id), resource_terms::term_id.eq(*t))).collect();
    diesel::insert_into(resource_terms::table).values(rows).on_conflict_do_nothing().execute(conn).await?;
    Ok(())
}

/// Moves a resource to `status`. Publishing keeps the first publication date; leaving
/// `published` also ends a spotlight.
pub async fn set_status(conn: &mut AsyncPgConnection, id: Uuid, status: ResourceStatus) -> QueryResult<ResourceRow> {
    let published = status == ResourceStatus::Published;
    diesel::update(resources::table.find(id))
        .set((
            resources::status.eq(status),
            resources::published_at.eq(
                diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>>(if published {
                    "coalesce(published_at, now())"
                } else {
                    "published_at"
                }),
            ),
            resources::is_spotlight.eq(diesel::dsl::sql::<Bool>(if published { "is_spotlight" } else { "false" })),
            resources::updated_at.eq(diesel::dsl::now),
        ))
        .returning(ResourceRow::as_returning())
        .get_result(conn)
        .await
}

/// Makes `id` the one spotlight.
pub async fn set_spotlight(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<ResourceRow> {
    diesel::update(resources::table.filter(resources::is_spotlight.eq(true)).filter(resources::id.ne(id)))
        .set((resources::is_spotlight.eq(false), resources::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await?;
    diesel::update(resources::table.find(id))
        .set((resources::is_spotlight.eq(true), resources::updated_at.eq(diesel::dsl::now)))
        .returning(ResourceRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(resources::table.find(id)).execute(conn).await
}

/// Published resources by id, with their links, in one query (order not kept).
pub async fn published_cards(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<ResourceCard>> {
    resource_cards::table
        .filter(resource_cards::id.eq_any(ids))
        .filter(resource_cards::status.eq(ResourceStatus::Published))
        .select(ResourceCard::as_select())
        .load(conn)
        .await
}

/// A published resource by id, current slug or any earlier slug, with its links. Two fixed
/// queries rather than one boxed one, so both are prepared once per connection.
pub async fn published_card(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<Option<ResourceCard>> {
    let published = resource_cards::status.eq(ResourceStatus::Published);
    match Uuid::parse_str(key) {
        Ok(id) => resource_cards::table
            .filter(resource_cards::id.eq(id))
            .filter(published)
            .select(ResourceCard::as_select())
            .first(conn)
            .await
            .optional(),
        Err(_) => resource_cards::table
            .filter(
                resource_cards::id.nullable().eq(resource_slugs::table
                    .filter(resource_slugs::slug.eq(key))
                    .select(resource_slugs::resource_id)
                    .single_value()),
            )
            .filter(published)
            .select(ResourceCard::as_select())
            .first(conn)
            .await
            .optional(),
    }
}

/// The served cards of these published resources, in one query (order not kept; an unpublished
/// resource has none).
pub async fn served_cards(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<ServedCard>> {
    served_cards::table.filter(served_cards::resource_id.eq_any(ids)).select(ServedCard::as_select()).load(conn).await
}

/// The served card of a published resource by id, current slug or earlier slug: one probe of
/// one unique index for an id or a current slug (what links and harvests use), a second query
/// only for a slug that is not current. Each query is fixed, so each is prepared once per
/// connection.
pub async fn served_card(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<Option<ServedCard>> {
    if let Ok(id) = Uuid::parse_str(key) {
        return served_cards::table.find(id).select(ServedCard::as_select()).first(conn).await.optional();
    }
    let current = served_cards::table
        .filter(served_cards::slug.eq(key))
        .select(ServedCard::as_select())
        .first(conn)
        .await
        .optional()?;
    if current.is_some() {
        return Ok(current);
    }
    served_cards::table
        .filter(
            served_cards::resource_id.nullable().eq(resource_slugs::table
                .filter(resource_slugs::slug.eq(key))
                .select(resource_slugs::resource_id)
                .single_value()),
        )
        .select(ServedCard::as_select())
        .first(conn)
        .await
        .optional()
}

/// The served card of the spotlight, if a published resource is it.
pub async fn served_spotlight(conn: &mut AsyncPgConnection) -> QueryResult<Option<ServedCard>> {
    served_cards::table
        .inner_join(resources::table)
        .filter(resources::is_spotlight.eq(true))
        .select(ServedCard::as_select())
        .first(conn)
        .await
        .optional()
}

/// A resource's title, summary and a passage of its summary as `ts_headline` marks them: each
/// match between `HIGHLIGHT_START` and `HIGHLIGHT_END`.
#[derive(QueryableByName)]
pub struct HighlightRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub summary: String,
    #[diesel(sql_type = Text)]
    pub snippet: String,
    /// Whether the title or the summary itself holds a mark character.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub marked_already: bool,
}

/// Control characters a title or summary almost never holds; one that does gets no ranges (see
/// `service::highlights`), since its own characters could not be told from the marks.
pub const HIGHLIGHT_START: char = '\u{2}';
pub const HIGHLIGHT_END: char = '\u{3}';

/// The matches of `q` (and of the library's words its typos were corrected to) in the title and
/// summary of `ids`, in one round trip.
pub async fn highlights(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    q: &TextSearch,
    corrections: &[String],
) -> QueryResult<Vec<HighlightRow>> {
    let mut sql = Sql::default();
    sql.push("WITH q AS (SELECT ").tsquery(q);
    // Corrections are words of the library (letters, digits and hyphens), each quoted as a lexeme.
    let words: Vec<String> = corrections
        .iter()
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '-'))
        .map(|w| format!("'{w}'"))
        .collect();
    if !words.is_empty() {
        sql.push(" || to_tsquery('english', ").bind(Bind::Text(words.join(" | "))).push(")");
    }
    let all = format!("StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, HighlightAll=true");
    let passage = format!("StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=35, MinWords=15");
    sql.push(" AS query) SELECT r.id, ts_headline('english', r.title, q.query, ")
        .bind(Bind::Text(all.clone()))
        .push(") AS title, ts_headline('english', r.summary, q.query, ")
        .bind(Bind::Text(all))
        .push(") AS summary, ts_headline('english', r.summary, q.query, ")
        .bind(Bind::Text(passage))
        .push(") AS snippet, (r.title || r.summary) ~ '[\x02\x03]' AS marked_already FROM resources r, q WHERE r.id = ANY(")
        .bind(Bind::Uuids(ids.to_vec()))
        .push(")");
    sql.query().load(conn).await
}
