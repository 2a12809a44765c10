//! The snapshot: what the index keeps of each published resource, the posting lists (a bitmap
//! per vocabulary value, year, open-access flag and lexeme), the three kept orders, and the
//! evaluation of a query over them. Filters are bitmap unions and intersections, a facet count is
//! the size of an intersection, and a page is walked from a kept order or selected by sorting
//! only what it needs. Text matching and ranking are in `rank`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use roaring::RoaringBitmap;
use uuid::Uuid;

use super::load::IndexRow;
use super::text;
use super::{Answer, Order, Query};

/// What the index keeps of one published resource.
pub(super) struct Doc {
    pub id: Uuid,
    /// Microseconds since the epoch, as Postgres orders `published_at`.
    pub published_at: i64,
}

/// A published resource's title as written and current slug (suggestions show them), in one
/// allocation: a hundred thousand of them are a tenth of the index.
pub struct Name {
    /// The title, then the slug.
    text: Box<str>,
    title_len: u32,
    /// How many words the title has (shorter titles are suggested first).
    words: u16,
}

impl Name {
    fn new(title: &str, slug: &str) -> Self {
        let words = super::suggest::words(title).len().min(usize::from(u16::MAX)) as u16;
        Self { text: [title, slug].concat().into_boxed_str(), title_len: title.len() as u32, words }
    }

    pub fn title(&self) -> &str {
        &self.text[..self.title_len as usize]
    }

    pub fn slug(&self) -> &str {
        &self.text[self.title_len as usize..]
    }
}

/// The characters of a title's sort key: `lower(title)` as Postgres computed it where that
/// differs from Rust's lower case of each character (kept in `Snapshot::title_keys`), else the
/// title lowered here. Keys compare as their UTF-8 bytes do (`COLLATE "C"` in the SQL), which is
/// the order of their characters.
fn lowered(title: &str) -> impl Iterator<Item = char> + '_ {
    title.chars().flat_map(char::to_lowercase)
}

#[derive(Default)]
pub(super) struct Snapshot {
    pub ready: bool,
    /// Goes up with every change applied: what caches above the index check their entries against.
    pub generation: u64,
    /// Goes up with every change to the vocabularies (and every full load, which may have missed one).
    pub vocabularies: u64,
    docs: Vec<Option<Doc>>,
    free: Vec<u32>,
    pub by_id: HashMap<Uuid, u32>,
    published: RoaringBitmap,
    open_access: RoaringBitmap,
    /// Resources by vocabulary value id (the type and every link).
    by_term: HashMap<i32, RoaringBitmap>,
    by_year: BTreeMap<i32, RoaringBitmap>,
    pub lexemes: HashMap<Box<str>, u32>,
    /// The same as an `fst` map (lexeme bytes to id), built by the first prefix query after a
    /// lexeme is added (see `rank::lexicon`).
    pub lexicon: OnceLock<fst::Map<Vec<u8>>>,
    pub postings: Vec<RoaringBitmap>,
    /// Per lexeme (beside its posting list), its positions and weights in each document holding
    /// it: the documents' `tsvector`s, turned lexeme-major (see `text::Occurrences`).
    pub occurrences: Vec<text::Occurrences>,
    /// The documents without a lexeme (`ts_rank` gives them 0 whatever the query).
    empty: RoaringBitmap,
    /// Slots newest first (`published_at DESC, id DESC`); read backwards for oldest first.
    newest: Vec<u32>,
    /// Slots by `lower(title), id`.
    by_title: Vec<u32>,
    /// The library's written words with their lexemes, for typo tolerance.
    pub surface: super::fuzzy::Surface,
    /// Each slot's title as written and slug, for suggestions: beside the documents rather than
    /// in them, so ranking (which reads a document per match) reads no more memory for them.
    pub names: Vec<Option<Name>>,
    /// `lower(title)` as Postgres computed it, for the few slots where it is not `lowered(title)`
    /// (the title order must be Postgres's; a key for every title would cost 7 MB at 100k).
    title_keys: HashMap<u32, Box<str>>,
    /// The words of the titles, for suggestions.
    pub titles: super::suggest::TitleWords,
    /// Slots by the number of words in their title, then newest first: suggestions best first.
    pub by_length: Vec<u32>,
    /// Each slot's place in `newest`, `by_title` and `by_length`: made by the first page after a change
    /// that needs it (any change to the orders drops it), so a deep page is a selection over the
    /// matches' places rather than a walk of the whole order.
    places: OnceLock<[Vec<u32>; 3]>,
}

/// What each structure of a snapshot holds on the heap, in bytes (estimated from capacities and
/// roaring's serialised sizes, which follow its containers: 2 bytes an entry in an array, 8 KB a
/// bitmap container): what `bench/RESULTS.md` reports per resource.
#[derive(Debug, Default, Clone, Copy)]
pub struct MemoryUse {
    /// The `tsvector`s: the positions and weights of every lexeme in every document.
    pub texts: usize,
    /// A bitmap of documents per lexeme.
    pub postings: usize,
    /// The lexeme dictionary (text to id).
    pub lexemes: usize,
    /// Bitmaps per vocabulary value, year, published and open access.
    pub filters: usize,
    /// Per document: id and date; the few title keys kept; the id-to-slot map.
    pub documents: usize,
    /// The kept sort orders.
    pub orders: usize,
    /// Suggestions: the titles as written, their words and the titles of each word.
    pub suggest: usize,
}

impl MemoryUse {
    pub fn total(&self) -> usize {
        self.texts + self.postings + self.lexemes + self.filters + self.documents + self.orders + self.suggest
    }
}

impl Snapshot {
    pub fn memory(&self) -> MemoryUse {
        use std::mem::size_of;
        let bitmaps = |b: &RoaringBitmap| b.serialized_size() + size_of::<RoaringBitmap>();
        MemoryUse {
            texts: self.occurrences.iter().map(text::Occurrences::memory).sum::<usize>()
                + self.occurrences.capacity() * size_of::<text::Occurrences>(),
            postings: self.postings.iter().map(bitmaps).sum::<usize>()
                + (self.postings.capacity() - self.postings.len()) * size_of::<RoaringBitmap>(),
            // hashbrown: a key, a value and a control byte per bucket.
            lexemes: self.lexemes.capacity() * (size_of::<Box<str>>() + size_of::<u32>() + 1)
                + self.lexemes.keys().map(|k| k.len()).sum::<usize>()
                + self.lexicon.get().map_or(0, |m| m.as_fst().size()),
            filters: self.by_term.values().chain(self.by_year.values()).map(bitmaps).sum::<usize>()
                + bitmaps(&self.published)
                + bitmaps(&self.open_access),
            documents: self.docs.capacity() * size_of::<Option<Doc>>()
                + self.title_keys.values().map(|k| k.len() + size_of::<(u32, Box<str>)>() + 1).sum::<usize>()
                + self.by_id.capacity() * (size_of::<Uuid>() + size_of::<u32>() + 1),
            orders: (self.newest.capacity() + self.by_title.capacity() + self.by_length.capacity()) * size_of::<u32>(),
            suggest: self.titles.memory()
                + self.surface.memory()
                + self.names.capacity() * std::mem::size_of::<Option<Name>>()
                + self.names.iter().flatten().map(|n| n.text.len()).sum::<usize>(),
        }
    }

    pub(super) fn newest_cmp(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (self.doc(a), self.doc(b));
        b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id))
    }

    /// Suggestions' order: fewer title words first, then newest.
    pub(super) fn length_cmp(&self, a: u32, b: u32) -> Ordering {
        self.name(a).words.cmp(&self.name(b).words).then_with(|| self.newest_cmp(a, b))
    }

    fn title_cmp(&self, a: u32, b: u32) -> Ordering {
        let key = |slot: u32| match self.title_keys.get(&slot) {
            Some(key) => either::Either::Left(key.chars()),
            None => either::Either::Right(lowered(self.name(slot).title())),
        };
        key(a).cmp(key(b)).then_with(|| self.doc(a).id.cmp(&self.doc(b).id))
    }

    /// Frees what a full load over-allocated.
    pub fn shrink(&mut self) {
        self.occurrences.iter_mut().for_each(text::Occurrences::shrink);
        self.occurrences.shrink_to_fit();
        self.postings.shrink_to_fit();
        self.titles.shrink();
        self.docs.shrink_to_fit();
        self.names.shrink_to_fit();
    }

    /// Whether a document has no lexeme at all.
    pub(super) fn lexemeless(&self, slot: u32) -> bool {
        self.empty.contains(slot)
    }

    pub fn name(&self, slot: u32) -> &Name {
        self.names[slot as usize].as_ref().expect("a slot in an order list has a name")
    }

    pub fn doc(&self, slot: u32) -> &Doc {
        self.docs[slot as usize].as_ref().expect("a slot in an order list holds a document")
    }

    fn lexeme_id(&mut self, lexeme: String) -> u32 {
        if let Some(id) = self.lexemes.get(lexeme.as_str()) {
            return *id;
        }
        let id = self.postings.len() as u32;
        self.postings.push(RoaringBitmap::new());
        self.occurrences.push(text::Occurrences::default());
        self.lexemes.insert(lexeme.into_boxed_str(), id);
        self.lexicon = OnceLock::new();
        id
    }

    /// Adds (or replaces) a published resource. `ordered`: place it in the sort orders now
    /// (a full load sorts them once at the end instead). A replacement is cheapest when the
    /// caller took the old one out first, with the rest of its batch (`remove` passes over every
    /// posting list once per call).
    pub fn insert(&mut self, row: IndexRow, ordered: bool) {
        self.remove(&[row.id]);
        self.places = OnceLock::new();
        let Some(vector) = text::parse_tsvector(&row.search) else {
            tracing::error!(id = %row.id, "unreadable tsvector; resource left out of the search index");
            return;
        };
        let slot = self.free.pop().unwrap_or_else(|| {
            self.docs.push(None);
            self.docs.len() as u32 - 1
        });
        if vector.is_empty() {
            self.empty.insert(slot);
        }
        for (lexeme, positions) in vector {
            let id = self.lexeme_id(lexeme) as usize;
            self.occurrences[id].insert(slot, &positions, &self.postings[id]);
            self.postings[id].insert(slot);
        }
        self.titles.add(slot, &row.title);
        if self.names.len() <= slot as usize {
            self.names.resize_with(slot as usize + 1, || None);
        }
        if !lowered(&row.title).eq(row.title_key.chars()) {
            self.title_keys.insert(slot, row.title_key.into_boxed_str());
        }
        self.names[slot as usize] = Some(Name::new(&row.title, &row.slug));
        self.docs[slot as usize] = Some(Doc { id: row.id, published_at: row.published_at.timestamp_micros() });
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
            let at = self.by_length.partition_point(|&s| self.length_cmp(s, slot) == Ordering::Less);
            self.by_length.insert(at, slot);
        }
    }

    /// Builds both sort orders from scratch.
    pub fn sort_all(&mut self) {
        self.places = OnceLock::new();
        let mut newest: Vec<u32> = self.published.iter().collect();
        newest.sort_unstable_by(|a, b| self.newest_cmp(*a, *b));
        let mut by_title = newest.clone();
        by_title.sort_unstable_by(|a, b| self.title_cmp(*a, *b));
        let mut by_length = newest.clone();
        by_length.sort_by(|a, b| self.length_cmp(*a, *b));
        (self.newest, self.by_title, self.by_length) = (newest, by_title, by_length);
    }

    /// Takes resources out (those no longer published, or before they are replaced); ids not in
    /// the index are passed over. A document's lexemes are found from the posting lists (a
    /// document keeps no list of its own): one pass over them for the whole batch.
    pub fn remove(&mut self, ids: &[Uuid]) {
        let mut gone = RoaringBitmap::new();
        for id in ids {
            let Some(slot) = self.by_id.remove(id) else { continue };
            let at = self.newest.partition_point(|&s| self.newest_cmp(s, slot) == Ordering::Less);
            self.newest.remove(at);
            let at = self.by_title.partition_point(|&s| self.title_cmp(s, slot) == Ordering::Less);
            self.by_title.remove(at);
            let at = self.by_length.partition_point(|&s| self.length_cmp(s, slot) == Ordering::Less);
            self.by_length.remove(at);
            if let Some(name) = self.names[slot as usize].take() {
                self.titles.remove(slot, name.title());
            }
            self.title_keys.remove(&slot);
            self.docs[slot as usize] = None;
            gone.insert(slot);
        }
        if gone.is_empty() {
            return;
        }
        self.places = OnceLock::new();
        for (postings, occurrences) in self.postings.iter_mut().zip(&mut self.occurrences) {
            if postings.is_disjoint(&gone) {
                continue;
            }
            let here = &*postings & &gone;
            for slot in &here {
                occurrences.remove(slot);
            }
            *postings -= here;
        }
        for bitmap in self.by_term.values_mut().chain(self.by_year.values_mut()) {
            *bitmap -= &gone;
        }
        self.published -= &gone;
        self.open_access -= &gone;
        self.empty -= &gone;
        self.free.extend(&gone);
    }

    /// A written word of the library (for typo tolerance).
    pub(super) fn add_written(&mut self, w: super::load::WrittenWord) {
        self.surface.add(w.word, w.lexeme);
    }

    fn union_of<'a>(bitmaps: impl Iterator<Item = &'a RoaringBitmap>) -> RoaringBitmap {
        bitmaps.fold(RoaringBitmap::new(), |acc, b| acc | b)
    }

    /// The answer to `q`, or `None` before the first load.
    pub fn query(&self, q: &Query) -> Option<Answer> {
        if !self.ready {
            return None;
        }
        // Conditions every facet shares: open access, years, full text.
        let mut base = self.published.clone();
        match q.open_access {
            Some(true) => base &= &self.open_access,
            Some(false) => base -= &self.open_access,
            None => {}
        }
        if q.year_from.is_some() || q.year_to.is_some() {
            let from = q.year_from.unwrap_or(i32::MIN);
            let to = q.year_to.unwrap_or(i32::MAX);
            base &= if from <= to {
                Self::union_of(self.by_year.range(from..=to).map(|(_, b)| b))
            } else {
                RoaringBitmap::new()
            };
        }
        let lexemes: Vec<Vec<u32>> = q.text.map(|t| self.resolve(t)).unwrap_or_default();
        let corrected = match (q.text, q.typo) {
            (Some(t), Some(typed)) => self.corrections(t, &lexemes, typed),
            _ => None,
        };
        // With corrections: what matches exactly, ranked first.
        let mut exact = None;
        if let Some(t) = q.text {
            base = match &t.root {
                Some(root) => {
                    let matched = self.matching(root, &lexemes, &base);
                    match &corrected {
                        Some(c) => {
                            let widened = self.matching(&c.root, &c.lexemes, &base);
                            let all = &matched | &widened;
                            exact = Some(matched);
                            all
                        }
                        None => matched,
                    }
                }
                None => RoaringBitmap::new(),
            };
        }
        // One bitmap per filtered facet, tagged with the facet's position.
        let by_facet: Vec<(usize, RoaringBitmap)> = q
            .terms
            .iter()
            .enumerate()
            .filter_map(|(f, ids)| ids.map(|ids| (f, Self::union_of(ids.iter().filter_map(|id| self.by_term.get(id))))))
            .collect();
        let under = |except: Option<usize>| {
            by_facet.iter().filter(|(f, _)| Some(*f) != except).fold(base.clone(), |acc, (_, b)| acc & b)
        };
        let result = under(None);
        let facets = q.facets.map(|facets| {
            let mut counts = HashMap::new();
            for (f, ids) in facets.iter().enumerate() {
                let filtered = q.terms.get(f).is_some_and(Option::is_some);
                let within = if filtered { under(Some(f)) } else { result.clone() };
                for id in ids.iter() {
                    let n = self.by_term.get(id).map_or(0, |b| b.intersection_len(&within));
                    counts.insert(*id, n as i64);
                }
            }
            counts
        });
        let total = result.len() as usize;
        let (offset, limit) = (q.offset, q.limit);
        let slots = match (q.order, q.text) {
            (Order::Rank, Some(t)) => match (&exact, &corrected) {
                (Some(exact), Some(c)) => {
                    let first = &result & exact;
                    let mut page = self.ranked_page(&first, t, &lexemes, offset, limit);
                    if page.len() < limit {
                        let skip = offset.saturating_sub(first.len() as usize);
                        let items: Vec<&[u32]> =
                            t.sorted_operands().into_iter().map(|i| c.lexemes[i].as_slice()).collect();
                        let rest = &result - exact;
                        page.extend(self.ranked_page_wide(&rest, &items, t.ranks_as_and(), skip, limit - page.len()));
                    }
                    page
                }
                _ => self.ranked_page(&result, t, &lexemes, offset, limit),
            },
            (Order::Rank | Order::Newest, _) => self.ordered_page(&result, KeptOrder::Newest, false, offset, limit),
            (Order::Oldest, _) => self.ordered_page(&result, KeptOrder::Newest, true, offset, limit),
            (Order::Title, _) => self.ordered_page(&result, KeptOrder::Title, false, offset, limit),
        };
        let ids = slots.into_iter().map(|s| self.doc(s).id).collect();
        let (corrected_query, corrections) = corrected.map(|c| (c.query, c.words)).unwrap_or_default();
        Some(Answer { ids, total: total as i64, facets, corrected_query, corrections })
    }

    fn order(&self, kept: KeptOrder) -> &[u32] {
        match kept {
            KeptOrder::Newest => &self.newest,
            KeptOrder::Title => &self.by_title,
            KeptOrder::Length => &self.by_length,
        }
    }

    /// Each slot's place in a kept order.
    fn places(&self, kept: KeptOrder) -> &[u32] {
        let places = self.places.get_or_init(|| {
            [KeptOrder::Newest, KeptOrder::Title, KeptOrder::Length].map(|kept| {
                let mut at = vec![u32::MAX; self.docs.len()];
                for (place, &slot) in self.order(kept).iter().enumerate() {
                    at[slot as usize] = place as u32;
                }
                at
            })
        });
        &places[kept as usize]
    }

    /// A page in a kept order: walked from its start when the page is near the start and the
    /// matches are dense, otherwise selected by place among the matches.
    pub(super) fn ordered_page(
        &self,
        result: &RoaringBitmap,
        kept: KeptOrder,
        reverse: bool,
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        let matches = result.len();
        if offset as u64 >= matches || limit == 0 {
            return Vec::new();
        }
        let order = self.order(kept);
        // A walk tests about `end * published / matches` slots for membership; a selection reads
        // each match once (a few times cheaper a slot): walk only when that is clearly shorter.
        let end = (offset + limit) as u64;
        if end * self.published.len() * 4 <= matches * matches {
            let walk: Box<dyn Iterator<Item = &u32>> =
                if reverse { Box::new(order.iter().rev()) } else { Box::new(order.iter()) };
            return walk.filter(|s| result.contains(**s)).skip(offset).take(limit).copied().collect();
        }
        let places = self.places(kept);
        let at = result.iter().map(|slot| places[slot as usize]);
        page_of_places(at, order.len(), offset, limit, reverse).into_iter().map(|place| order[place as usize]).collect()
    }
}

/// Places `offset .. offset + limit` of `places` (distinct, each below `count`) in ascending order,
/// or descending with `reverse`: each is marked in a bitset, which is then counted a word at a
/// time up to the page. That is one write per match and one read per 64 places, where selecting
/// and sorting the page's places cost a sort of `offset + limit` of them (thousands for a deep
/// page of a large list: a fifth of a list request's time).
fn page_of_places(
    places: impl Iterator<Item = u32>,
    count: usize,
    offset: usize,
    limit: usize,
    reverse: bool,
) -> Vec<u32> {
    let mut words = vec![0u64; count.div_ceil(64)];
    for place in places {
        words[place as usize / 64] |= 1 << (place % 64);
    }
    let mut page = Vec::with_capacity(limit);
    let mut skip = offset;
    let mut take = |at: usize, mut word: u64| {
        let marked = word.count_ones() as usize;
        if skip >= marked {
            skip -= marked;
            return false;
        }
        while word != 0 && page.len() < limit {
            let bit = if reverse { 63 - word.leading_zeros() } else { word.trailing_zeros() };
            word &= !(1 << bit);
            if skip > 0 {
                skip -= 1;
            } else {
                page.push((at * 64) as u32 + bit);
            }
        }
        page.len() == limit
    };
    if reverse {
        words.iter().enumerate().rev().any(|(at, word)| take(at, *word));
    } else {
        words.iter().enumerate().any(|(at, word)| take(at, *word));
    }
    page
}

/// The orders a snapshot keeps sorted.
#[derive(Debug, Clone, Copy)]
pub(super) enum KeptOrder {
    /// `published_at DESC, id DESC`.
    Newest = 0,
    /// `lower(title), id`.
    Title = 1,
    /// Suggestions best first: fewer words in the title, then newest.
    Length = 2,
}

/// Items `offset .. offset + limit` of `items` in `cmp` order, without sorting all of them.
pub(super) fn top<T>(mut items: Vec<T>, offset: usize, limit: usize, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages of places from the bitset, against sorting every place: any page (past the end too),
    /// both directions, sparse and dense.
    #[test]
    fn pages_of_places_are_the_sorted_places_pages() {
        let mut next = super::super::test_numbers(0x9e37_79b9_7f4a_7c15);
        for round in 0..500 {
            let count = 1 + next(3000) as usize;
            let keep = 1 + next(100);
            let mut places: Vec<u32> = (0..count as u32).filter(|_| next(100) < keep).collect();
            let (offset, limit, reverse) = (next(count as u64 + 10) as usize, 1 + next(40) as usize, round % 2 == 0);
            let mut shuffled = places.clone();
            shuffled.sort_unstable_by_key(|p| p.wrapping_mul(2_654_435_761));
            let got = page_of_places(shuffled.into_iter(), count, offset, limit, reverse);
            if reverse {
                places.reverse();
            }
            let wanted: Vec<u32> = places.into_iter().skip(offset).take(limit).collect();
            assert_eq!(got, wanted, "round {round}");
        }
    }
}
