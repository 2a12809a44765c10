//! The library's read side above the search index: a list request's `Filter` and `Sort` become an
//! index `Query`, and what the library serves is kept in memory (resource cards, the
//! vocabularies) against the index's generations, so that no change is ever served stale.
//! The index itself knows none of the wire types; this is where they meet it. One `Library` is
//! shared by every worker as app data (`web::Data<Library>`, built in `app::Application::build`).

use std::sync::{Arc, OnceLock, RwLock};

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::json::Sort;
use super::model::IndexedTerm;
use super::queries::{self, Filter};
use crate::db::DbPool;
use crate::error::ApiResult;
use crate::extract::conditional::Rendered;
use crate::extract::PageRequest;
use crate::index::{Answer, LibraryIndex, Order, Query};
use crate::taxonomy::json::Vocabulary;

/// One to two KB each (the served JSON): a few MB at most.
const CACHED_CARDS: usize = 3000;

/// Every vocabulary value (retired too) in display order, as the library's read paths use them.
pub struct Vocabularies {
    pub terms: Vec<IndexedTerm>,
    /// The value ids of each vocabulary, in `Vocabulary::ALL` order (the index's facets): made
    /// once, on the first facet count, for the copy kept beside the index.
    facet_ids: OnceLock<[Vec<i32>; 4]>,
    /// Each value's label folded as suggestions compare words (`index::suggest::fold`), in
    /// `terms` order: made once, on the first suggestion, so a keystroke skips most labels
    /// without splitting them into words.
    folded: OnceLock<Vec<String>>,
}

impl Vocabularies {
    pub fn new(terms: Vec<IndexedTerm>) -> Self {
        Self { terms, facet_ids: OnceLock::new(), folded: OnceLock::new() }
    }

    /// The labels folded, in `terms` order.
    pub fn folded_labels(&self) -> &[String] {
        self.folded.get_or_init(|| self.terms.iter().map(|t| crate::index::suggest::fold(&t.term.label)).collect())
    }

    fn facet_ids(&self) -> &[Vec<i32>; 4] {
        self.facet_ids.get_or_init(|| {
            Vocabulary::ALL.map(|v| self.terms.iter().filter(|t| t.vocabulary == v).map(|t| t.id).collect())
        })
    }
}

/// The search index and the caches of what the library serves, shared by every worker.
pub struct Library {
    pool: DbPool,
    index: Arc<LibraryIndex>,
    /// Recently served published resources by id, each with the index generation it was read at;
    /// any change to the library moves the generation on, so an entry is never served stale.
    /// Kept as served (bytes and ETag), so a warm answer is written and hashed once.
    cards: quick_cache::sync::Cache<Uuid, (u64, Rendered)>,
    /// Slugs (current or earlier) of those resources.
    slugs: quick_cache::sync::Cache<String, (u64, Uuid)>,
    /// The vocabularies with the index's vocabulary generation they were read at.
    vocabularies: RwLock<Option<(u64, Arc<Vocabularies>)>>,
}

/// The index's order for a requested sort.
fn order(sort: Sort) -> Order {
    match sort {
        Sort::Relevance => Order::Rank,
        Sort::Newest => Order::Newest,
        Sort::Oldest => Order::Oldest,
        Sort::Title => Order::Title,
    }
}

impl Library {
    /// The caches above `index` (the one `AppState` holds; its listener keeps it current, and
    /// writers tell it what they changed, which moves its generations on).
    pub fn new(pool: DbPool, index: Arc<LibraryIndex>) -> Self {
        Self {
            pool,
            index,
            cards: quick_cache::sync::Cache::new(CACHED_CARDS),
            slugs: quick_cache::sync::Cache::new(CACHED_CARDS),
            vocabularies: RwLock::new(None),
        }
    }

    /// The index's generation and the vocabularies as of now while the index is in step (`None`
    /// while it is not). The vocabularies are read from Postgres once per change to them. The
    /// generation is read before anything else, so what is read after may be kept under it.
    pub async fn current(&self) -> ApiResult<Option<(u64, Arc<Vocabularies>)>> {
        let Some((generation, of_vocabularies)) = self.index.generations() else { return Ok(None) };
        if let Some(kept) = self.kept_vocabularies(of_vocabularies) {
            return Ok(Some((generation, kept)));
        }
        let conn = &mut *self.pool.get().await?;
        Ok(Some((generation, self.load_vocabularies(of_vocabularies, conn).await?)))
    }

    /// The vocabularies on a connection the caller holds: the kept copy while there is one of
    /// the current generation, else read for this request (and not kept: the caller's
    /// connection may read a replica; the kept copy is read from the primary by `current`).
    pub async fn vocabularies(&self, conn: &mut AsyncPgConnection) -> ApiResult<Arc<Vocabularies>> {
        if let Some(kept) = self.index.vocabulary_generation().and_then(|g| self.kept_vocabularies(g)) {
            return Ok(kept);
        }
        Ok(Arc::new(Vocabularies::new(queries::term_index(conn).await?)))
    }

    fn kept_vocabularies(&self, generation: u64) -> Option<Arc<Vocabularies>> {
        let kept = self.vocabularies.read().unwrap_or_else(|e| e.into_inner());
        kept.as_ref().filter(|(g, _)| *g == generation).map(|(_, v)| v.clone())
    }

    /// Reads the vocabularies and keeps them under `generation` (read before reading them, so a
    /// change committed meanwhile moves the generation past them), unless newer ones are kept.
    async fn load_vocabularies(&self, generation: u64, conn: &mut AsyncPgConnection) -> ApiResult<Arc<Vocabularies>> {
        let fresh = Arc::new(Vocabularies::new(queries::term_index(conn).await?));
        let mut kept = self.vocabularies.write().unwrap_or_else(|e| e.into_inner());
        if kept.as_ref().is_none_or(|(g, _)| *g < generation) {
            *kept = Some((generation, fresh.clone()));
        }
        Ok(fresh)
    }

    /// The index's answer to a public list filter; `None` when the index is not in step or cannot
    /// evaluate the text query exactly (then the SQL answers). `filter`'s value ids come from
    /// `vocabularies` (see `current`).
    pub async fn search(
        &self,
        vocabularies: &Vocabularies,
        filter: &Filter,
        sort: Sort,
        page: PageRequest,
        facets: bool,
        typo: bool,
    ) -> ApiResult<Option<Answer>> {
        let text = match &filter.q {
            Some(q) => match self.index.parse(q).await? {
                Some(parsed) => Some(parsed),
                None => return Ok(None),
            },
            None => None,
        };
        let terms = Vocabulary::ALL.map(|v| filter.terms.get(&v).map(Vec::as_slice));
        let facet_ids = vocabularies.facet_ids().each_ref().map(Vec::as_slice);
        let query = Query {
            terms: &terms,
            open_access: filter.open_access,
            year_from: filter.year_from,
            year_to: filter.year_to,
            text: text.as_deref(),
            order: order(sort),
            offset: page.offset() as usize,
            limit: page.limit() as usize,
            facets: facets.then_some(&facet_ids[..]),
            typo: filter.q.as_ref().filter(|_| typo).map(|q| q.typed.as_str()),
        };
        Ok(self.index.search(&query))
    }

    /// The index's generation while it is in step (`None`: neither read nor fill the card
    /// cache). Read it *before* reading the database for what you will `remember`.
    pub fn generation(&self) -> Option<u64> {
        self.index.generation()
    }

    /// A published resource as last served, if nothing changed in the library since.
    pub fn cached(&self, id: Uuid, generation: u64) -> Option<Rendered> {
        self.cards.get(&id).filter(|(g, _)| *g == generation).map(|(_, card)| card)
    }

    /// The same by id or slug (current or earlier), as the detail path is asked.
    pub fn cached_by_key(&self, key: &str, generation: u64) -> Option<Rendered> {
        let id = match Uuid::parse_str(key) {
            Ok(id) => id,
            Err(_) => self.slugs.get(key).filter(|(g, _)| *g == generation)?.1,
        };
        self.cached(id, generation)
    }

    /// Keeps a published resource read at `generation` (a change since makes it a miss).
    pub fn remember(&self, generation: u64, key: Option<&str>, id: Uuid, card: Rendered) {
        if let Some(key) = key.filter(|k| Uuid::parse_str(k).is_err()) {
            self.slugs.insert(key.to_string(), (generation, id));
        }
        self.cards.insert(id, (generation, card));
    }
}
