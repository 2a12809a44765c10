//! The search index: every published resource in memory, as bitmaps, so that the public list,
//! full-text search and facet counts never scan or rank in SQL.
//!
//! A storage structure: it is asked in its own terms (`Query`: vocabulary value ids, years, open
//! access, a parsed text query, an `Order`, a page window) and answers in its own (`Answer`: ids,
//! the total, counts by value id). Turning a request into a `Query` and an answer into wire types,
//! and caching what was served, happen in the layer above (`resources::cache`), which checks its
//! entries against the index's generations; the index keeps only its own answers to text
//! searches, under the same generations (`LibraryIndex::search`).
//!
//! Postgres is the source of truth. The index holds, per published resource, its id, publication
//! time, lower-cased title (for sorting) and its `tsvector` (compactly encoded); and a bitmap per
//! vocabulary value, year, open-access flag and lexeme (`bitmaps`). Full-text matching and
//! `ts_rank` reproduce Postgres's own (`rank`, `text`), so every answer equals the plain SQL's,
//! which the tests check on generated data. A page of results is then read from Postgres by id.
//!
//! It stays in step through `LISTEN library_changes` (triggers notify on commit, see `sync`), and
//! an instance that makes a change applies it before answering, so its own reads see it at once.
//! Until the first load, and while the notification connection is down, `search` returns `None`
//! and callers use the SQL.

mod bitmaps;
mod fuzzy;
pub mod kept;
mod load;
mod parse_cache;
mod rank;
pub mod suggest;
pub mod sync;
pub mod text;

/// A small deterministic generator for the index's randomised tests (xorshift64): `next(n)` is
/// below `n`.
#[cfg(test)]
fn test_numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use roaring::RoaringBitmap;
use uuid::Uuid;

use self::bitmaps::{KeptOrder, Snapshot};
use self::parse_cache::ParseCache;
use self::text::TsQuery;
use crate::db::DbPool;

/// How a page is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// By `ts_rank` against the text query, then newest first; newest first without a text query.
    Rank,
    /// By publication time, then id, newest first.
    Newest,
    /// The reverse of `Newest`.
    Oldest,
    /// By `lower(title)` compared bytewise, then id.
    Title,
}

/// A question to the index.
pub struct Query<'a> {
    /// Vocabulary filters, one place per facet (as in `facets`): a resource passes a filter when it
    /// carries any of its value ids (none: nothing passes); `None` leaves the facet unfiltered.
    pub terms: &'a [Option<&'a [i32]>],
    pub open_access: Option<bool>,
    /// Inclusive bounds on the year; a resource without a year passes only when both are `None`.
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// Only what this matches (Postgres's `@@`).
    pub text: Option<&'a TsQuery>,
    pub order: Order,
    pub offset: usize,
    pub limit: usize,
    /// When asked: per facet, the value ids to count, each under every filter but its own facet's.
    pub facets: Option<&'a [&'a [i32]]>,
    /// With `typo=true`: the text as typed (`q`), whose misspelt words are corrected to words
    /// of the library (see `fuzzy`); what matches only through a correction comes after every
    /// exact match.
    pub typo: Option<&'a str>,
}

/// The full-text condition: `words` in web-search syntax (`websearch_to_tsquery('english', …)`)
/// and, with `prefix=true`, the last word typed taken as a prefix (`to_tsquery('english',
/// 'word:*')`, so it is stemmed as Postgres stems a prefix), the two joined by AND.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextSearch {
    /// `q` as typed (for typo corrections).
    pub typed: String,
    pub words: String,
    /// Lower-case letters and digits only, so it is safe inside a `tsquery`.
    pub prefix: Option<String>,
}

impl TextSearch {
    /// `q` as typed (`None` when it is blank). With `prefix`, its last word is a prefix unless it
    /// is finished (followed by a space or punctuation), excluded (`-word`) or inside a quoted phrase.
    pub fn new(q: &str, prefix: bool) -> Option<Self> {
        let words = q.trim();
        if words.is_empty() {
            return None;
        }
        let plain = || Some(Self { typed: words.to_string(), words: words.to_string(), prefix: None });
        if !prefix {
            return plain();
        }
        let start = q.trim_end_matches(char::is_alphanumeric).len();
        let (before, last) = q.split_at(start);
        let excluded =
            before.ends_with('-') && before[..before.len() - 1].chars().last().is_none_or(char::is_whitespace);
        let in_quotes = before.matches('"').count() % 2 == 1;
        if last.is_empty() || excluded || in_quotes {
            return plain();
        }
        Some(Self { typed: words.to_string(), words: before.trim().to_string(), prefix: Some(last.to_lowercase()) })
    }

    /// The `tsquery` operand of the prefix: `'word':*`.
    pub fn prefix_operand(&self) -> Option<String> {
        self.prefix.as_ref().map(|p| format!("'{p}':*"))
    }
}

/// A title suggested for what was typed, with the spans that matched.
#[derive(Debug, Clone)]
pub struct Suggested {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub matches: Vec<suggest::Span>,
}

/// One page of an answer: ids in order, the total, and the counts by value id when asked.
#[derive(Clone)]
pub struct Answer {
    pub ids: Vec<Uuid>,
    pub total: i64,
    pub facets: Option<HashMap<i32, i64>>,
    /// With `typo`: `q` with each word the library does not have replaced by its likeliest
    /// correction, when one was made.
    pub corrected_query: Option<String>,
    /// With `typo`: the library's words typed words were corrected to.
    pub corrections: Vec<String>,
}

/// The index shared by every worker of one process.
pub struct LibraryIndex {
    pool: DbPool,
    /// Told of every change before the generation moves on, so a replica that lags is not read
    /// for what will be kept under the new one.
    reads: Arc<crate::db::reads::Reads>,
    snapshot: RwLock<Snapshot>,
    /// Loads and applies one change at a time, so a later load is never overwritten by an earlier one.
    writer: tokio::sync::Mutex<()>,
    parsed: ParseCache,
    /// Whole answers kept against the generations (`kept`).
    kept: kept::Kept,
    /// Recent answers to text searches, each with the generation it was made at (`search`); a
    /// page of ids and the facet counts, a few KB each. `None` when none are to be kept.
    answers: Option<quick_cache::sync::Cache<AnswerKey, (u64, Arc<Answer>)>>,
}

/// Everything a `Query` with a text condition is answered from, owned: the key of a kept answer.
#[derive(PartialEq, Eq, Hash)]
struct AnswerKey {
    terms: Vec<Option<Vec<i32>>>,
    open_access: Option<bool>,
    year_from: Option<i32>,
    year_to: Option<i32>,
    text: TsQuery,
    order: Order,
    offset: usize,
    limit: usize,
    facets: Option<Vec<Vec<i32>>>,
    typo: Option<String>,
}

impl AnswerKey {
    fn of(q: &Query) -> Option<Self> {
        Some(Self {
            terms: q.terms.iter().map(|t| t.map(<[i32]>::to_vec)).collect(),
            open_access: q.open_access,
            year_from: q.year_from,
            year_to: q.year_to,
            text: q.text?.clone(),
            order: q.order,
            offset: q.offset,
            limit: q.limit,
            facets: q.facets.map(|f| f.iter().map(|ids| ids.to_vec()).collect()),
            typo: q.typo.map(str::to_string),
        })
    }
}

impl LibraryIndex {
    /// `kept_answers`: how many answers to text searches to keep (0: none).
    pub fn new(pool: DbPool, reads: Arc<crate::db::reads::Reads>, kept_answers: usize) -> Self {
        Self {
            pool,
            reads,
            snapshot: RwLock::new(Snapshot::default()),
            writer: tokio::sync::Mutex::new(()),
            parsed: ParseCache::new(4096),
            kept: kept::Kept::default(),
            answers: (kept_answers > 0).then(|| quick_cache::sync::Cache::new(kept_answers)),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Snapshot> {
        self.snapshot.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The answer to `query`, or `None` while the index is not in step. A text search ranks or
    /// matches every resource its words are in (tens of milliseconds for the broadest), so its
    /// answer is kept, with the generation it was made at, and given again while nothing in the
    /// library changed; anything else is answered from the bitmaps at once.
    pub fn search(&self, query: &Query) -> Option<Answer> {
        let snapshot = self.read();
        let (Some(answers), Some(key)) = (&self.answers, AnswerKey::of(query).filter(|_| snapshot.ready)) else {
            return snapshot.query(query);
        };
        if let Some((generation, answer)) = answers.get(&key) {
            if generation == snapshot.generation {
                return Some(Answer::clone(&answer));
            }
        }
        let answer = snapshot.query(query)?;
        answers.insert(key, (snapshot.generation, Arc::new(answer.clone())));
        Some(answer)
    }

    /// Up to `limit` published titles that hold what was typed (see `suggest`), best first:
    /// those whose first word is the first typed word, then the others; in each, fewer words
    /// first, then newest. `None` while the index is not in step.
    pub fn suggest(&self, typed: &suggest::Typed, limit: usize) -> Option<Vec<Suggested>> {
        let snapshot = self.read();
        if !snapshot.ready {
            return None;
        }
        if typed.is_empty() {
            return Some(Vec::new());
        }
        let best = |all: &RoaringBitmap, first: &RoaringBitmap, limit: usize| {
            let mut slots = snapshot.ordered_page(first, KeptOrder::Length, false, 0, limit);
            if slots.len() < limit {
                slots.extend(snapshot.ordered_page(&(all - first), KeptOrder::Length, false, 0, limit - slots.len()));
            }
            slots
        };
        let slots = match typed.prefix.as_deref() {
            // A first keystroke or two: the same few answers for everyone, kept until a change.
            Some(prefix) if typed.whole.is_empty() && suggest::is_short(prefix) => {
                let started = snapshot.titles.started_by_prefix(prefix);
                let kept =
                    started.alone.get_or_init(|| best(&started.titles, &started.firsts, suggest::MOST_SUGGESTED));
                kept[..limit.min(kept.len())].to_vec()
            }
            _ => {
                let (all, first) = snapshot.titles.candidates(typed);
                best(&all, &first, limit)
            }
        };
        Some(
            slots
                .into_iter()
                .map(|slot| {
                    let doc = snapshot.doc(slot);
                    let name = snapshot.name(slot);
                    let matches = typed.matches(name.title()).unwrap_or_default();
                    Suggested { id: doc.id, slug: name.slug().to_string(), title: name.title().to_string(), matches }
                })
                .collect(),
        )
    }

    /// The parsed web-search query, or `None` when the index cannot evaluate it exactly.
    pub async fn parse(&self, q: &TextSearch) -> Result<Option<Arc<TsQuery>>, crate::error::ApiError> {
        if let Some(known) = self.parse_known(q) {
            return Ok(Some(known));
        }
        self.parsed.parse(&self.reads, q).await
    }

    /// The query of `q` made from the written words, when it can be (`parse_cache::of_written_words`).
    fn parse_known(&self, q: &TextSearch) -> Option<Arc<TsQuery>> {
        parse_cache::of_written_words(&self.read().surface, q).map(Arc::new)
    }

    /// The current generation while the index is in step (`None`: neither read nor fill caches
    /// of what the library serves). Any change moves it on. Read it *before* reading the
    /// database for what you will keep under it.
    pub fn generation(&self) -> Option<u64> {
        let snapshot = self.read();
        snapshot.ready.then_some(snapshot.generation)
    }

    /// The same for the vocabularies alone: moves on when a value is added, renamed, reordered
    /// or retired (and at every full load).
    pub fn vocabulary_generation(&self) -> Option<u64> {
        let snapshot = self.read();
        snapshot.ready.then_some(snapshot.vocabularies)
    }

    /// Both generations, read at once.
    pub fn generations(&self) -> Option<(u64, u64)> {
        let snapshot = self.read();
        snapshot.ready.then_some((snapshot.generation, snapshot.vocabularies))
    }

    /// Reloads everything (at start and after the notification connection was lost). Reads in
    /// batches, so the text in flight stays small next to the index itself.
    pub async fn reload_all(&self) -> anyhow::Result<()> {
        const BATCH: i64 = 5000;
        let _turn = self.writer.lock().await;
        let started = std::time::Instant::now();
        let mut conn = self.pool.get().await?;
        let mut fresh = Snapshot::default();
        let mut after = Uuid::nil();
        loop {
            let rows = load::batch_after(&mut conn, after, BATCH).await?;
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
        drop(conn);
        self.reads.require().await?;
        fresh.shrink();
        fresh.ready = true;
        let count = fresh.by_id.len();
        let bytes = fresh.memory();
        let mut current = self.write();
        // The written words stay: they are learnt once, in the background (`learn_written_words`).
        fresh.surface = std::mem::take(&mut current.surface);
        fresh.generation = current.generation + 1;
        fresh.vocabularies = current.vocabularies + 1;
        let old = std::mem::replace(&mut *current, fresh);
        drop(current);
        drop(old);
        crate::allocator::give_back_freed_memory();
        tracing::info!(
            resources = count,
            texts = bytes.texts,
            postings = bytes.postings,
            lexemes = bytes.lexemes,
            filters = bytes.filters,
            documents = bytes.documents,
            orders = bytes.orders,
            suggest = bytes.suggest,
            total = bytes.total(),
            seconds = started.elapsed().as_secs_f64(),
            "search index loaded (sizes in bytes)"
        );
        Ok(())
    }

    /// Learns every written word of the library (for typo tolerance) after a full load: Postgres
    /// parses every title and summary again, which takes seconds at 100,000 resources (14 s on
    /// our bench machine), so it runs in the background once the index answers; until it is done,
    /// a misspelt word finds only what changed since (`refresh` learns those words at once).
    pub fn learn_written_words(self: &Arc<Self>) {
        let index = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let result = async {
                let mut conn = index.pool.get().await?;
                use diesel_async::AsyncConnection;
                // A whole-library read: no statement timeout, for this transaction only.
                let words = conn
                    .transaction::<_, diesel::result::Error, _>(async |conn| {
                        crate::db::lift_statement_timeout(conn).await?;
                        load::written_words(conn, None).await
                    })
                    .await?;
                drop(conn);
                let mut snapshot = index.write();
                for w in words {
                    snapshot.add_written(w);
                }
                // Typo corrections may now differ: what was kept under the old generation is not given again.
                snapshot.generation += 1;
                let words = snapshot.surface.words();
                drop(snapshot);
                crate::allocator::give_back_freed_memory();
                Ok::<_, anyhow::Error>(words)
            }
            .await;
            match result {
                Ok(words) => tracing::info!(words, seconds = started.elapsed().as_secs_f64(), "written words learnt"),
                Err(e) => {
                    tracing::warn!(error = %e, "could not learn the written words; typos find less until the next load")
                }
            }
        });
    }

    /// Reloads the given resources (those no longer published leave the index).
    pub async fn refresh(&self, ids: &[Uuid]) -> anyhow::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let _turn = self.writer.lock().await;
        let mut conn = self.pool.get().await?;
        let rows = load::by_ids(&mut conn, ids).await?;
        let written = load::written_words(&mut conn, Some(ids)).await?;
        drop(conn);
        self.reads.require().await?;
        let mut snapshot = self.write();
        snapshot.remove(ids);
        for row in rows {
            snapshot.insert(row, true);
        }
        for w in written {
            snapshot.add_written(w);
        }
        snapshot.generation += 1;
        Ok(())
    }

    /// Records a change to the vocabularies (labels, order, retirement): what was cached of them
    /// and of the resources that show them is stale from now on.
    pub async fn refresh_taxonomy(&self) -> anyhow::Result<()> {
        let _turn = self.writer.lock().await;
        self.reads.require().await?;
        let mut snapshot = self.write();
        snapshot.vocabularies += 1;
        snapshot.generation += 1;
        Ok(())
    }

    /// Stops answering from memory until the next full reload.
    fn mark_stale(&self) {
        let mut snapshot = self.write();
        snapshot.ready = false;
        snapshot.generation += 1;
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
