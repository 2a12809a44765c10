//! Full text over the snapshot: which resources a parsed query matches (posting lists first, then
//! positions for phrases) and a page by `ts_rank`. The Postgres semantics themselves (`@@`,
//! `ts_rank`) and the store of positions are in `text`.
//!
//! Positions are read lexeme by lexeme: for each lexeme of the query, its occurrences in every
//! match, front to back through that lexeme's entries (`text::Occurrences`); each match is then
//! ranked from what was gathered. A query reads only its own lexemes' memory, in order.

use fst::{Automaton, IntoStreamer, Streamer};
use roaring::RoaringBitmap;

use super::bitmaps::{top, Snapshot};
use super::text::{self, Node, Pos, TsQuery};

/// The occurrences of some lexemes in some documents (ascending slots), gathered lexeme by
/// lexeme: `spans[i * lexemes + j]` is the span of `buf` holding lexeme j's in the i-th document
/// (empty when absent).
struct Gathered {
    buf: Vec<Pos>,
    spans: Vec<(u32, u32)>,
    lexemes: usize,
}

/// A query's gathered positions and their spans (see `Gathered`).
type Buffers = (Vec<Pos>, Vec<(u32, u32)>);

thread_local! {
    /// The buffers of the last query gathered on this thread, reused by the next: hundreds of
    /// kilobytes for a query matching thousands of resources, which the allocator would otherwise
    /// find (or map) and give back at every query. Buffers past `KEPT_BUFFER` are not kept.
    static BUFFERS: std::cell::RefCell<Buffers> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// The largest buffers (in bytes) a thread keeps between queries.
const KEPT_BUFFER: usize = 1 << 20;

impl Drop for Gathered {
    fn drop(&mut self) {
        let (mut buf, mut spans) = (std::mem::take(&mut self.buf), std::mem::take(&mut self.spans));
        if buf.capacity() * size_of::<Pos>() <= KEPT_BUFFER && spans.capacity() * size_of::<(u32, u32)>() <= KEPT_BUFFER
        {
            buf.clear();
            spans.clear();
            // Not kept when the thread is ending (its buffers are gone already).
            let _ = BUFFERS.try_with(|kept| *kept.borrow_mut() = (buf, spans));
        }
    }
}

impl Gathered {
    /// Calls `f` with the i-th document's occurrences of each lexeme.
    #[inline]
    fn with<R>(&self, i: usize, f: impl FnOnce(&[&[Pos]]) -> R) -> R {
        let spans = &self.spans[i * self.lexemes..(i + 1) * self.lexemes];
        let slice = |&(a, b): &(u32, u32)| &self.buf[a as usize..b as usize];
        // On the stack for the usual few lexemes: this runs once per match.
        const ON_STACK: usize = 16;
        if spans.len() <= ON_STACK {
            let mut slices: [&[Pos]; ON_STACK] = [&[]; ON_STACK];
            for (s, span) in slices.iter_mut().zip(spans) {
                *s = slice(span);
            }
            f(&slices[..spans.len()])
        } else {
            f(&spans.iter().map(slice).collect::<Vec<_>>())
        }
    }
}

/// The occurrences of every lexeme a query's items (operands that may stand for several
/// lexemes: a prefix, a typo's corrections) stand for, in some documents: `found` holds
/// (document's index, place, span of `buf`) sorted by document then place. Places number the
/// lexemes item by item, each item's in byte order: the order `tsrank.c` walks a document's entries.
struct GatheredWide {
    buf: Vec<Pos>,
    found: Vec<(u32, u32, (u32, u32))>,
    item_of: Vec<usize>,
}

impl GatheredWide {
    /// Calls `f(i, entries)` for each of `count` documents in turn: its entries as
    /// `text::ts_rank_entries` takes them (item, occurrences), in place order.
    fn each(&self, count: usize, mut f: impl FnMut(usize, &[(usize, &[Pos])])) {
        let mut entries: Vec<(usize, &[Pos])> = Vec::new();
        let mut at = 0;
        for i in 0..count {
            entries.clear();
            while let Some(&(doc, place, (a, b))) = self.found.get(at) {
                if doc as usize != i {
                    break;
                }
                entries.push((self.item_of[place as usize], &self.buf[a as usize..b as usize]));
                at += 1;
            }
            f(i, &entries);
        }
    }
}

impl Snapshot {
    /// The lexeme dictionary as an `fst` map, built on first use after a lexeme was added.
    fn lexicon(&self) -> &fst::Map<Vec<u8>> {
        self.lexicon.get_or_init(|| {
            let mut entries: Vec<(&str, u32)> = self.lexemes.iter().map(|(k, v)| (&**k, *v)).collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            fst::Map::from_iter(entries.into_iter().map(|(k, v)| (k, u64::from(v)))).expect("sorted, distinct keys")
        })
    }

    /// The lexemes each operand of `query` stands for: its own (none when no document has it),
    /// or for a prefix every lexeme it starts, in byte order.
    pub(super) fn resolve(&self, query: &TsQuery) -> Vec<Vec<u32>> {
        query
            .operands
            .iter()
            .zip(&query.prefix)
            .map(|(operand, &prefix)| {
                if prefix {
                    let matcher = fst::automaton::Str::new(operand).starts_with();
                    let mut stream = self.lexicon().search(matcher).into_stream();
                    let mut ids = Vec::new();
                    while let Some((_, id)) = stream.next() {
                        ids.push(id as u32);
                    }
                    ids
                } else {
                    self.lexemes.get(operand.as_str()).map(|id| vec![*id]).unwrap_or_default()
                }
            })
            .collect()
    }

    /// The union of the posting lists of `ids`.
    fn postings_of(&self, ids: &[u32]) -> RoaringBitmap {
        match ids {
            [] => RoaringBitmap::new(),
            [one] => self.postings[*one as usize].clone(),
            many => many.iter().fold(RoaringBitmap::new(), |acc, id| acc | &self.postings[*id as usize]),
        }
    }

    /// The occurrences of each of `lexemes` (`None`: unknown) in each of `slots` (ascending).
    fn gather(&self, slots: &[u32], lexemes: &[Option<u32>]) -> Gathered {
        let n = lexemes.len();
        let (mut buf, mut spans) = BUFFERS.with(|kept| std::mem::take(&mut *kept.borrow_mut()));
        buf.reserve(slots.len() * n * 4);
        spans.resize(slots.len() * n, (0, 0));
        for (j, id) in lexemes.iter().enumerate() {
            let Some(id) = id else { continue };
            let mut reader = self.occurrences[*id as usize].reader();
            for (i, &slot) in slots.iter().enumerate() {
                let start = buf.len() as u32;
                if reader.seek(slot, &mut buf) {
                    spans[i * n + j] = (start, buf.len() as u32);
                }
            }
        }
        Gathered { buf, spans, lexemes: n }
    }

    /// The occurrences of every lexeme of `items` in each of `slots` (ascending; `within` holds
    /// the same slots), each lexeme read only for the documents holding it.
    fn gather_wide(&self, slots: &[u32], within: &RoaringBitmap, items: &[&[u32]]) -> GatheredWide {
        let (mut buf, mut found, mut item_of) = (Vec::new(), Vec::new(), Vec::new());
        for (item, ids) in items.iter().enumerate() {
            for &id in *ids {
                let place = item_of.len() as u32;
                item_of.push(item);
                let mut reader = self.occurrences[id as usize].reader();
                let mut from = 0;
                for slot in &self.postings[id as usize] & within {
                    from += slots[from..].partition_point(|s| *s < slot);
                    let start = buf.len() as u32;
                    reader.seek(slot, &mut buf);
                    found.push((from as u32, place, (start, buf.len() as u32)));
                }
            }
        }
        found.sort_unstable_by_key(|&(doc, place, _)| (doc, place));
        GatheredWide { buf, found, item_of }
    }

    /// The resources within `base` that match `node` (`lexemes`: what each operand stands for).
    pub(super) fn matching(&self, node: &Node, lexemes: &[Vec<u32>], base: &RoaringBitmap) -> RoaringBitmap {
        match node {
            Node::Operand(i) => match lexemes[*i].as_slice() {
                [] => RoaringBitmap::new(),
                [one] => &self.postings[*one as usize] & base,
                many => self.postings_of(many) & base,
            },
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
                    match lexemes[*i].as_slice() {
                        [] => return RoaringBitmap::new(),
                        [one] => candidates &= &self.postings[*one as usize],
                        many => candidates &= self.postings_of(many),
                    }
                }
                let slots: Vec<u32> = candidates.iter().collect();
                let mut matched = RoaringBitmap::new();
                if lexemes.iter().all(|ids| ids.len() <= 1) {
                    let single: Vec<Option<u32>> = lexemes.iter().map(|ids| ids.first().copied()).collect();
                    let gathered = self.gather(&slots, &single);
                    for (i, &slot) in slots.iter().enumerate() {
                        let lines_up = gathered.with(i, |positions| {
                            let of = |i: usize| positions[i].iter().map(|p| p.position()).collect();
                            !text::phrase_matches(node, &of).0.is_empty()
                        });
                        if lines_up {
                            matched.insert(slot);
                        }
                    }
                    return matched;
                }
                let items: Vec<&[u32]> = lexemes.iter().map(Vec::as_slice).collect();
                self.gather_wide(&slots, &candidates, &items).each(slots.len(), |i, entries| {
                    // Every occurrence of any lexeme an operand stands for, in position order.
                    let of = |op: usize| {
                        let mut at: Vec<i32> = entries
                            .iter()
                            .filter(|(item, _)| *item == op)
                            .flat_map(|(_, p)| p.iter().map(|p| p.position()))
                            .collect();
                        at.sort_unstable();
                        at.dedup();
                        at
                    };
                    if !text::phrase_matches(node, &of).0.is_empty() {
                        matched.insert(slots[i]);
                    }
                });
                matched
            }
        }
    }

    /// A page by `ts_rank` descending, then newest first (the SQL's `ORDER BY`).
    pub(super) fn ranked_page(
        &self,
        result: &RoaringBitmap,
        query: &TsQuery,
        resolved: &[Vec<u32>],
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        if offset >= result.len() as usize {
            return Vec::new();
        }
        let items: Vec<&[u32]> = query.sorted_operands().into_iter().map(|i| resolved[i].as_slice()).collect();
        let as_and = query.ranks_as_and();
        if items.iter().any(|ids| ids.len() > 1) {
            return self.ranked_page_wide(result, &items, as_and, offset, limit);
        }
        let lexemes: Vec<Option<u32>> = items.iter().map(|ids| ids.first().copied()).collect();
        let slots: Vec<u32> = result.iter().collect();
        let gathered = self.gather(&slots, &lexemes);
        let scored = slots
            .iter()
            .enumerate()
            .map(|(i, &slot)| {
                let rank = gathered.with(i, |positions| text::ts_rank(positions, as_and, self.lexemeless(slot)));
                (rank, slot)
            })
            .collect();
        self.best_ranked(scored, offset, limit)
    }

    /// The page `offset .. offset + limit` of `scored`: rank descending, then newest first (the
    /// tie-break reads the documents only for equal ranks).
    fn best_ranked(&self, scored: Vec<(f32, u32)>, offset: usize, limit: usize) -> Vec<u32> {
        let cmp = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then_with(|| self.newest_cmp(a.1, b.1));
        top(scored, offset, limit, cmp).into_iter().map(|(_, s)| s).collect()
    }

    /// `ranked_page` when an operand stands for several lexemes (a prefix, a typo's corrections):
    /// the same order, each document's entries put together from every lexeme's.
    pub(super) fn ranked_page_wide(
        &self,
        result: &RoaringBitmap,
        items: &[&[u32]],
        as_and: bool,
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        let slots: Vec<u32> = result.iter().collect();
        let mut scored = Vec::with_capacity(slots.len());
        self.gather_wide(&slots, result, items).each(slots.len(), |i, entries| {
            let slot = slots[i];
            scored.push((text::ts_rank_entries(entries, items.len(), as_and, self.lexemeless(slot)), slot));
        });
        self.best_ranked(scored, offset, limit)
    }
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
