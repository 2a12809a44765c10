//! The search index: every published resource in memory, as bitmaps, so that the public list,
//! full-text search and facet counts never scan or rank in SQL.
//!
//! Postgres is the source of truth. The index holds, per published resource, its id, publication
//! time, lower-cased title (for sorting) and its `tsvector` (compactly encoded); and a bitmap per
//! vocabulary value, year, open-access flag and lexeme. Filters are bitmap unions and
//! intersections; a facet count is the size of an intersection; full-text matching and `ts_rank`
//! reproduce Postgres's own (see `text`), so every answer equals the plain SQL's, which the tests
//! check on generated data. A page of results is then read from Postgres by id in one query.
//!
//! It stays in step through `LISTEN library_changes` (triggers notify on commit, see `sync`), and
//! an instance that makes a change applies it before answering, so its own reads see it at once.
//! Until the first load, and while the notification connection is down, `query` returns `None`
//! and callers use the SQL.

pub mod sync;
pub mod text;

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use diesel::sql_types::{Array, Bool, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use roaring::RoaringBitmap;
use uuid::Uuid;

use self::text::{Node, Pos, TsQuery};
use super::json::{ResourceJson, Sort};
use super::queries::{Filter, IndexedTerm};
use crate::db::DbPool;
use crate::extract::PageRequest;
use crate::taxonomy::json::Vocabulary;

/// What the index keeps of one published resource.
struct Doc {
    id: Uuid,
    /// Microseconds since the epoch, as Postgres orders `published_at`.
    published_at: i64,
    /// `lower(title)` as Postgres computed it; sorted bytewise (`COLLATE "C"` in the SQL).
    title_key: Box<str>,
    /// Where its `tsvector` (see `text::encode_doc`) lies in `Snapshot::texts`.
    text_at: u32,
    text_len: u32,
}

/// A resource as the index loads it.
#[derive(diesel::QueryableByName)]
pub struct IndexRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    published_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    title_key: String,
    #[diesel(sql_type = Nullable<Int4>)]
    year: Option<i32>,
    #[diesel(sql_type = Bool)]
    open_access: bool,
    #[diesel(sql_type = Int4)]
    resource_type_id: i32,
    #[diesel(sql_type = Array<Int4>)]
    term_ids: Vec<i32>,
    #[diesel(sql_type = Text)]
    search: String,
}

const INDEX_ROWS: &str = "SELECT r.id, r.published_at, lower(r.title) AS title_key, r.year, r.open_access, \
     r.resource_type_id, ARRAY(SELECT t.term_id FROM resource_terms t WHERE t.resource_id = r.id) AS term_ids, \
     r.search::text AS search FROM resources r WHERE r.status = 'published'";

#[derive(Default)]
pub struct Snapshot {
    ready: bool,
    /// Goes up with every change applied: what the card cache checks its entries against.
    generation: u64,
    docs: Vec<Option<Doc>>,
    free: Vec<u32>,
    by_id: HashMap<Uuid, u32>,
    published: RoaringBitmap,
    open_access: RoaringBitmap,
    /// Resources by vocabulary value id (the type and every link).
    by_term: HashMap<i32, RoaringBitmap>,
    by_year: BTreeMap<i32, RoaringBitmap>,
    lexemes: HashMap<Box<str>, u32>,
    postings: Vec<RoaringBitmap>,
    /// Every document's encoded `tsvector`, one after another: a full load writes them in slot
    /// order, so ranking the matches of a query reads memory forwards. A change appends; the
    /// space it leaves behind is reclaimed by the next full load or when it passes half.
    texts: Vec<u8>,
    dead_text: usize,
    /// Slots newest first (`published_at DESC, id DESC`); read backwards for oldest first.
    newest: Vec<u32>,
    /// Slots by `lower(title), id`.
    by_title: Vec<u32>,
    /// Every vocabulary value in display order, retired ones included.
    taxonomy: Arc<Vec<IndexedTerm>>,
}

/// One page of an answer: ids in order, the total, and facet counts by value id when asked.
pub struct Answer {
    pub ids: Vec<Uuid>,
    pub total: i64,
    pub facets: Option<HashMap<i32, i64>>,
}

impl Snapshot {
    fn newest_cmp(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (self.doc(a), self.doc(b));
        b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id))
    }

    fn title_cmp(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (self.doc(a), self.doc(b));
        a.title_key.as_bytes().cmp(b.title_key.as_bytes()).then(a.id.cmp(&b.id))
    }

    fn text(&self, doc: &Doc) -> &[u8] {
        &self.texts[doc.text_at as usize..(doc.text_at + doc.text_len) as usize]
    }

    /// Rewrites `texts` without the space changes left behind, in slot order.
    fn compact_texts(&mut self) {
        let mut texts = Vec::with_capacity(self.texts.len() - self.dead_text);
        for doc in self.docs.iter_mut().flatten() {
            let at = texts.len() as u32;
            texts.extend_from_slice(&self.texts[doc.text_at as usize..(doc.text_at + doc.text_len) as usize]);
            doc.text_at = at;
        }
        (self.texts, self.dead_text) = (texts, 0);
    }

    fn doc(&self, slot: u32) -> &Doc {
        self.docs[slot as usize].as_ref().expect("a slot in an order list holds a document")
    }

    fn lexeme_id(&mut self, lexeme: String) -> u32 {
        if let Some(id) = self.lexemes.get(lexeme.as_str()) {
            return *id;
        }
        let id = self.postings.len() as u32;
        self.postings.push(RoaringBitmap::new());
        self.lexemes.insert(lexeme.into_boxed_str(), id);
        id
    }

    /// Adds (or replaces) a published resource. `ordered`: place it in the sort orders now
    /// (a full load sorts them once at the end instead).
    fn insert(&mut self, row: IndexRow, ordered: bool) {
        self.remove(row.id);
        let Some(vector) = text::parse_tsvector(&row.search) else {
            tracing::error!(id = %row.id, "unreadable tsvector; resource left out of the search index");
            return;
        };
        let slot = self.free.pop().unwrap_or_else(|| {
            self.docs.push(None);
            self.docs.len() as u32 - 1
        });
        let mut entries = Vec::with_capacity(vector.len());
        for (lexeme, positions) in vector {
            let id = self.lexeme_id(lexeme);
            self.postings[id as usize].insert(slot);
            entries.push((id, positions));
        }
        let encoded = text::encode_doc(&mut entries);
        let text_at = self.texts.len() as u32;
        self.texts.extend_from_slice(&encoded);
        self.docs[slot as usize] = Some(Doc {
            id: row.id,
            published_at: row.published_at.timestamp_micros(),
            title_key: row.title_key.into_boxed_str(),
            text_at,
            text_len: encoded.len() as u32,
        });
        self.by_id.insert(row.id, slot);
        self.published.insert(slot);
        if row.open_access {
            self.open_access.insert(slot);
        }
        for term in std::iter::once(row.resource_type_id).chain(row.term_ids) {
            self.by_term.entry(term).or_default().insert(slot);
        }
        if let Some(year) = row.year {
            self.by_year.entry(year).or_default().insert(slot);
        }
        if ordered {
            let at = self.newest.partition_point(|&s| self.newest_cmp(s, slot) == Ordering::Less);
            self.newest.insert(at, slot);
            let at = self.by_title.partition_point(|&s| self.title_cmp(s, slot) == Ordering::Less);
            self.by_title.insert(at, slot);
        }
    }

    /// Builds both sort orders from scratch.
    fn sort_all(&mut self) {
        let mut newest: Vec<u32> = self.published.iter().collect();
        newest.sort_unstable_by(|a, b| self.newest_cmp(*a, *b));
        let mut by_title = newest.clone();
        by_title.sort_unstable_by(|a, b| self.title_cmp(*a, *b));
        (self.newest, self.by_title) = (newest, by_title);
    }

    /// Takes a resource out (when it is no longer published, or before it is replaced).
    fn remove(&mut self, id: Uuid) {
        let Some(slot) = self.by_id.get(&id).copied() else { return };
        let at = self.newest.partition_point(|&s| self.newest_cmp(s, slot) == Ordering::Less);
        self.newest.remove(at);
        let at = self.by_title.partition_point(|&s| self.title_cmp(s, slot) == Ordering::Less);
        self.by_title.remove(at);
        let doc = self.docs[slot as usize].take().expect("an indexed slot holds a document");
        self.dead_text += doc.text_len as usize;
        let texts = std::mem::take(&mut self.texts);
        text::decode_doc(
            &texts[doc.text_at as usize..(doc.text_at + doc.text_len) as usize],
            |lexeme, _| {
                self.postings[lexeme as usize].remove(slot);
                true
            },
            &mut Vec::new(),
        );
        self.texts = texts;
        for bitmap in self.by_term.values_mut().chain(self.by_year.values_mut()) {
            bitmap.remove(slot);
        }
        self.published.remove(slot);
        self.open_access.remove(slot);
        self.by_id.remove(&id);
        self.free.push(slot);
    }

    fn union_of<'a>(bitmaps: impl Iterator<Item = &'a RoaringBitmap>) -> RoaringBitmap {
        bitmaps.fold(RoaringBitmap::new(), |acc, b| acc | b)
    }

    /// Calls `f` with the occurrences of each of `lexemes` in one document (empty when absent).
    fn with_positions<R>(
        &self,
        slot: u32,
        lexemes: &[Option<u32>],
        scratch: &mut Scratch,
        f: impl FnOnce(&[&[Pos]], bool) -> R,
    ) -> R {
        let doc = self.text(self.doc(slot));
        scratch.ranges.resize(lexemes.len(), (0, 0));
        text::gather(doc, lexemes, &mut scratch.buf, &mut scratch.ranges);
        let buf = &scratch.buf;
        let slice = |(a, b): (u32, u32)| &buf[a as usize..b as usize];
        const ON_STACK: usize = 16;
        if lexemes.len() <= ON_STACK {
            let mut slices: [&[Pos]; ON_STACK] = [&[]; ON_STACK];
            for (s, r) in slices.iter_mut().zip(&scratch.ranges) {
                *s = slice(*r);
            }
            f(&slices[..lexemes.len()], doc.is_empty())
        } else {
            let slices: Vec<&[Pos]> = scratch.ranges.iter().map(|r| slice(*r)).collect();
            f(&slices, doc.is_empty())
        }
    }

    /// The resources within `base` that match `node`.
    fn matching(&self, node: &Node, lexemes: &[Option<u32>], base: &RoaringBitmap) -> RoaringBitmap {
        match node {
            Node::Operand(i) => lexemes[*i].map(|l| &self.postings[l as usize] & base).unwrap_or_default(),
            Node::Not(inner) => base - self.matching(inner, lexemes, base),
            Node::And(l, r) => {
                let left = self.matching(l, lexemes, base);
                self.matching(r, lexemes, &left)
            }
            Node::Or(l, r) => self.matching(l, lexemes, base) | self.matching(r, lexemes, base),
            Node::Phrase(..) => {
                // Every lexeme must be present; then the positions must line up.
                let mut operands = Vec::new();
                collect_operands(node, &mut operands);
                let mut candidates = base.clone();
                for i in &operands {
                    match lexemes[*i] {
                        Some(l) => candidates &= &self.postings[l as usize],
                        None => return RoaringBitmap::new(),
                    }
                }
                let mut scratch = Scratch::default();
                candidates
                    .iter()
                    .filter(|&slot| {
                        self.with_positions(slot, lexemes, &mut scratch, |positions, _| {
                            let of = |i: usize| positions[i].iter().map(|p| p.position()).collect();
                            !text::phrase_matches(node, &of).0.is_empty()
                        })
                    })
                    .collect()
            }
        }
    }

    /// The answer to a public list query, or `None` before the first load.
    pub fn query(
        &self,
        filter: &Filter,
        text: Option<&TsQuery>,
        sort: Sort,
        page: PageRequest,
        facets: bool,
    ) -> Option<Answer> {
        if !self.ready {
            return None;
        }
        // Conditions every facet shares: open access, years, full text.
        let mut base = self.published.clone();
        match filter.open_access {
            Some(true) => base &= &self.open_access,
            Some(false) => base -= &self.open_access,
            None => {}
        }
        if filter.year_from.is_some() || filter.year_to.is_some() {
            let from = filter.year_from.unwrap_or(i32::MIN);
            let to = filter.year_to.unwrap_or(i32::MAX);
            base &= if from <= to {
                Self::union_of(self.by_year.range(from..=to).map(|(_, b)| b))
            } else {
                RoaringBitmap::new()
            };
        }
        let lexemes: Vec<Option<u32>> = text
            .map(|t| t.operands.iter().map(|o| self.lexemes.get(o.as_str()).copied()).collect())
            .unwrap_or_default();
        if let Some(t) = text {
            base = match &t.root {
                Some(root) => self.matching(root, &lexemes, &base),
                None => RoaringBitmap::new(),
            };
        }
        let by_vocabulary: Vec<(Vocabulary, RoaringBitmap)> = filter
            .terms
            .iter()
            .map(|(v, ids)| (*v, Self::union_of(ids.iter().filter_map(|id| self.by_term.get(id)))))
            .collect();
        let under = |except: Option<Vocabulary>| {
            by_vocabulary.iter().filter(|(v, _)| Some(*v) != except).fold(base.clone(), |acc, (_, b)| acc & b)
        };
        let result = under(None);
        let facets = facets.then(|| {
            let mut counts = HashMap::new();
            for vocabulary in Vocabulary::ALL {
                let within =
                    if filter.terms.contains_key(&vocabulary) { under(Some(vocabulary)) } else { result.clone() };
                for term in self.taxonomy.iter().filter(|t| t.vocabulary == vocabulary) {
                    let n = self.by_term.get(&term.id).map_or(0, |b| b.intersection_len(&within));
                    counts.insert(term.id, n as i64);
                }
            }
            counts
        });
        let total = result.len() as usize;
        let (offset, limit) = (page.offset() as usize, page.limit() as usize);
        let slots = match (sort, text) {
            (Sort::Relevance, Some(t)) => self.ranked_page(&result, t, offset, limit),
            (Sort::Relevance | Sort::Newest, _) => self.ordered_page(&result, false, false, offset, limit),
            (Sort::Oldest, _) => self.ordered_page(&result, false, true, offset, limit),
            (Sort::Title, _) => self.ordered_page(&result, true, false, offset, limit),
        };
        let ids = slots.into_iter().map(|s| self.doc(s).id).collect();
        Some(Answer { ids, total: total as i64, facets })
    }

    /// A page in a kept order: walked when the matches are dense, otherwise sorted.
    fn ordered_page(
        &self,
        result: &RoaringBitmap,
        by_title: bool,
        reverse: bool,
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        if offset >= result.len() as usize {
            return Vec::new();
        }
        let order = if by_title { &self.by_title } else { &self.newest };
        if result.len() * 16 >= self.published.len() {
            let walk: Box<dyn Iterator<Item = &u32>> =
                if reverse { Box::new(order.iter().rev()) } else { Box::new(order.iter()) };
            return walk.filter(|s| result.contains(**s)).skip(offset).take(limit).copied().collect();
        }
        let cmp = |a: &u32, b: &u32| {
            let o = if by_title { self.title_cmp(*a, *b) } else { self.newest_cmp(*a, *b) };
            if reverse {
                o.reverse()
            } else {
                o
            }
        };
        top(result.iter().collect(), offset, limit, cmp)
    }

    /// A page by `ts_rank` descending, then newest first (the SQL's `ORDER BY`).
    fn ranked_page(&self, result: &RoaringBitmap, query: &TsQuery, offset: usize, limit: usize) -> Vec<u32> {
        if offset >= result.len() as usize {
            return Vec::new();
        }
        let operands = query.sorted_operands();
        let lexemes: Vec<Option<u32>> = operands.iter().map(|o| self.lexemes.get(*o).copied()).collect();
        let as_and = query.ranks_as_and();
        let mut scratch = Scratch::default();
        // (rank, published_at, id, slot): the sort keys at hand, so ordering touches no document.
        let scored: Vec<(f32, i64, Uuid, u32)> = result
            .iter()
            .map(|slot| {
                let rank = self.with_positions(slot, &lexemes, &mut scratch, |positions, empty| {
                    text::ts_rank(positions, as_and, empty)
                });
                let doc = self.doc(slot);
                (rank, doc.published_at, doc.id, slot)
            })
            .collect();
        let cmp = |a: &(f32, i64, Uuid, u32), b: &(f32, i64, Uuid, u32)| {
            b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2))
        };
        top(scored, offset, limit, cmp).into_iter().map(|(.., s)| s).collect()
    }
}

/// Buffers reused across the documents of one query.
#[derive(Default)]
struct Scratch {
    buf: Vec<Pos>,
    ranges: Vec<(u32, u32)>,
}

fn collect_operands(node: &Node, out: &mut Vec<usize>) {
    match node {
        Node::Operand(i) => out.push(*i),
        Node::Not(x) => collect_operands(x, out),
        Node::And(l, r) | Node::Or(l, r) | Node::Phrase(l, r, _) => {
            collect_operands(l, out);
            collect_operands(r, out);
        }
    }
}

/// Items `offset .. offset + limit` of `items` in `cmp` order, without sorting all of them.
fn top<T>(mut items: Vec<T>, offset: usize, limit: usize, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let end = (offset + limit).min(items.len());
    if offset >= end {
        return Vec::new();
    }
    if end < items.len() {
        items.select_nth_unstable_by(end - 1, &cmp);
        items.truncate(end);
    }
    items.sort_unstable_by(&cmp);
    items.drain(offset..).collect()
}

/// About 1 KB each: a few MB at most.
const CACHED_CARDS: usize = 3000;

/// The index shared by every worker of one process.
pub struct LibraryIndex {
    pool: DbPool,
    snapshot: RwLock<Snapshot>,
    /// Loads and applies one change at a time, so a later load is never overwritten by an earlier one.
    writer: tokio::sync::Mutex<()>,
    /// `websearch_to_tsquery('english', q)` by `q`: the parse depends on nothing else.
    parsed: quick_cache::sync::Cache<String, Option<Arc<TsQuery>>>,
    /// Recently served published resources by id, each with the generation it was read at; any
    /// change to the library moves the generation on, so an entry is never served stale.
    cards: quick_cache::sync::Cache<Uuid, (u64, Arc<ResourceJson>)>,
    /// Slugs (current or earlier) of those resources.
    slugs: quick_cache::sync::Cache<String, (u64, Uuid)>,
}

impl LibraryIndex {
    pub fn new(pool: DbPool) -> Self {
        Self {
            pool,
            snapshot: RwLock::new(Snapshot::default()),
            writer: tokio::sync::Mutex::new(()),
            parsed: quick_cache::sync::Cache::new(4096),
            cards: quick_cache::sync::Cache::new(CACHED_CARDS),
            slugs: quick_cache::sync::Cache::new(CACHED_CARDS),
        }
    }

    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Snapshot> {
        self.snapshot.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The vocabularies as last loaded, once the index is ready.
    pub fn taxonomy(&self) -> Option<Arc<Vec<IndexedTerm>>> {
        let snapshot = self.read();
        snapshot.ready.then(|| snapshot.taxonomy.clone())
    }

    /// The parsed web-search query, or `None` when the index cannot evaluate it exactly.
    pub async fn parse(&self, pool: &DbPool, q: &str) -> Result<Option<Arc<TsQuery>>, crate::error::ApiError> {
        if let Some(parsed) = self.parsed.get(q) {
            return Ok(parsed);
        }
        let conn = &mut *pool.get().await?;
        #[derive(diesel::QueryableByName)]
        struct Parsed {
            #[diesel(sql_type = Text)]
            query: String,
        }
        let row: Parsed = diesel::sql_query("SELECT websearch_to_tsquery('english', $1)::text AS query")
            .bind::<Text, _>(q)
            .get_result(conn)
            .await?;
        let parsed = TsQuery::parse(&row.query).filter(TsQuery::supported).map(Arc::new);
        if parsed.is_none() {
            tracing::warn!(tsquery = %row.query, "query outside what the search index evaluates; using SQL");
        }
        self.parsed.insert(q.to_string(), parsed.clone());
        Ok(parsed)
    }

    /// Reloads everything (at start and after the notification connection was lost). Reads in
    /// batches, so the text in flight stays small next to the index itself.
    pub async fn reload_all(&self) -> anyhow::Result<()> {
        const BATCH: i64 = 5000;
        let _turn = self.writer.lock().await;
        let mut conn = self.pool.get().await?;
        let taxonomy = super::queries::term_index(&mut conn).await?;
        let mut fresh = Snapshot { taxonomy: Arc::new(taxonomy), ..Snapshot::default() };
        let mut after = Uuid::nil();
        loop {
            let rows: Vec<IndexRow> = diesel::sql_query(format!("{INDEX_ROWS} AND r.id > $1 ORDER BY r.id LIMIT $2"))
                .bind::<SqlUuid, _>(after)
                .bind::<diesel::sql_types::BigInt, _>(BATCH)
                .load(&mut conn)
                .await?;
            let full = rows.len() as i64 == BATCH;
            for row in rows {
                after = row.id;
                fresh.insert(row, false);
            }
            if !full {
                break;
            }
        }
        fresh.sort_all();
        fresh.texts.shrink_to_fit();
        fresh.docs.shrink_to_fit();
        fresh.ready = true;
        let count = fresh.by_id.len();
        let mut current = self.write();
        fresh.generation = current.generation + 1;
        *current = fresh;
        drop(current);
        tracing::info!(resources = count, "search index loaded");
        Ok(())
    }

    /// Reloads the given resources (those no longer published leave the index).
    pub async fn refresh(&self, ids: &[Uuid]) -> anyhow::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let _turn = self.writer.lock().await;
        let mut conn = self.pool.get().await?;
        let rows: Vec<IndexRow> = diesel::sql_query(format!("{INDEX_ROWS} AND r.id = ANY($1)"))
            .bind::<Array<SqlUuid>, _>(ids)
            .load(&mut conn)
            .await?;
        drop(conn);
        let mut snapshot = self.write();
        for id in ids {
            snapshot.remove(*id);
        }
        for row in rows {
            snapshot.insert(row, true);
        }
        if snapshot.dead_text > snapshot.texts.len() / 2 {
            snapshot.compact_texts();
        }
        snapshot.generation += 1;
        Ok(())
    }

    /// Reloads the vocabularies (labels, order, retirement).
    pub async fn refresh_taxonomy(&self) -> anyhow::Result<()> {
        let _turn = self.writer.lock().await;
        let mut conn = self.pool.get().await?;
        let taxonomy = super::queries::term_index(&mut conn).await?;
        drop(conn);
        let mut snapshot = self.write();
        snapshot.taxonomy = Arc::new(taxonomy);
        snapshot.generation += 1;
        Ok(())
    }

    /// Stops answering from memory until the next full reload.
    fn mark_stale(&self) {
        let mut snapshot = self.write();
        snapshot.ready = false;
        snapshot.generation += 1;
    }

    /// The current generation while the index is in step (`None`: neither read nor fill the
    /// card cache). Read it *before* reading the database for what you will `remember`.
    pub fn generation(&self) -> Option<u64> {
        let snapshot = self.read();
        snapshot.ready.then_some(snapshot.generation)
    }

    /// A published resource as last served, if nothing changed in the library since.
    pub fn cached(&self, id: Uuid, generation: u64) -> Option<Arc<ResourceJson>> {
        self.cards.get(&id).filter(|(g, _)| *g == generation).map(|(_, card)| card)
    }

    /// The same by id or slug (current or earlier), as the detail path is asked.
    pub fn cached_by_key(&self, key: &str, generation: u64) -> Option<Arc<ResourceJson>> {
        let id = match Uuid::parse_str(key) {
            Ok(id) => id,
            Err(_) => self.slugs.get(key).filter(|(g, _)| *g == generation)?.1,
        };
        self.cached(id, generation)
    }

    /// Keeps a published resource read at `generation` (a change since makes it a miss).
    pub fn remember(&self, generation: u64, key: Option<&str>, card: Arc<ResourceJson>) {
        if let Some(key) = key.filter(|k| Uuid::parse_str(k).is_err()) {
            self.slugs.insert(key.to_string(), (generation, card.id));
        }
        self.cards.insert(card.id, (generation, card));
    }

    /// After a change this instance made: applies it now (other instances hear of it through
    /// the notification). A failure is logged, not returned: the change itself is committed, and
    /// the notification applies it moments later.
    pub async fn changed(&self, ids: &[Uuid]) {
        if let Err(e) = self.refresh(ids).await {
            tracing::warn!(error = %e, "could not refresh the search index after a change");
        }
    }

    pub async fn taxonomy_changed(&self) {
        if let Err(e) = self.refresh_taxonomy().await {
            tracing::warn!(error = %e, "could not refresh the vocabularies after a change");
        }
    }
}
