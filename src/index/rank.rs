//! Full text over the snapshot: which resources a parsed query matches (posting lists first, then
//! positions for phrases) and a page by `ts_rank`. The Postgres semantics themselves (`@@`,
//! `ts_rank`, the encoding of documents) are in `text`.

use fst::{Automaton, IntoStreamer, Streamer};
use roaring::RoaringBitmap;

use super::bitmaps::{top, Snapshot};
use super::text::{self, Node, Pos, TsQuery};

/// Buffers reused across the documents of one query.
#[derive(Default)]
struct Scratch {
    buf: Vec<Pos>,
    ranges: Vec<(u32, u32)>,
    found: Vec<(u32, (u32, u32))>,
}

/// The lexemes of a query whose operands may stand for several (a prefix): each lexeme's place in
/// one flat list, item-major and in byte order within an item, and the item of each place.
struct Wide {
    /// By lexeme id (up to `last`): the span of `flat` holding its places.
    spans: Vec<(u32, u32)>,
    flat: Vec<u32>,
    item_of: Vec<usize>,
    last: u32,
    /// The largest of each operand's most frequent lexeme (its smallest id, see
    /// `renumber_lexemes`), and the documents holding any other lexeme asked for: a document
    /// outside `rare` is decoded no further than `common_last`, as an exact query would be.
    common_last: u32,
    rare: RoaringBitmap,
}

impl Wide {
    fn new(snapshot: &Snapshot, items: &[&[u32]]) -> Self {
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut item_of = Vec::new();
        for (item, ids) in items.iter().enumerate() {
            for id in *ids {
                pairs.push((*id, item_of.len() as u32));
                item_of.push(item);
            }
        }
        pairs.sort_unstable();
        let last = pairs.last().map_or(0, |p| p.0);
        let mut spans = vec![(0u32, 0u32); last as usize + 1];
        let flat: Vec<u32> = pairs.iter().map(|p| p.1).collect();
        for (at, (id, _)) in pairs.iter().enumerate() {
            let span = &mut spans[*id as usize];
            if span.0 == span.1 {
                span.0 = at as u32;
            }
            span.1 = at as u32 + 1;
        }
        let firsts: Vec<u32> = items.iter().filter_map(|ids| ids.iter().min().copied()).collect();
        let common_last = firsts.iter().max().copied().unwrap_or(0);
        let rare = pairs
            .iter()
            .map(|p| p.0)
            .filter(|id| !firsts.contains(id))
            .fold(RoaringBitmap::new(), |acc, id| acc | &snapshot.postings[id as usize]);
        Self { spans, flat, item_of, last, common_last, rare }
    }

    fn places(&self, id: u32) -> Option<&[u32]> {
        let (a, b) = *self.spans.get(id as usize)?;
        (a < b).then(|| &self.flat[a as usize..b as usize])
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

    /// The occurrences of each item's lexemes in one document, as `text::ts_rank_entries` takes them.
    fn with_entries<R>(
        &self,
        slot: u32,
        wide: &Wide,
        scratch: &mut Scratch,
        f: impl FnOnce(&[(usize, &[Pos])], bool) -> R,
    ) -> R {
        let doc = self.text(self.doc(slot));
        let last = if wide.rare.contains(slot) { wide.last } else { wide.common_last };
        text::gather_many(doc, |id| wide.places(id), last, &mut scratch.buf, &mut scratch.found);
        scratch.found.sort_unstable_by_key(|(place, _)| *place);
        let buf = &scratch.buf;
        let entry = |&(place, (a, b)): &(u32, (u32, u32))| (wide.item_of[place as usize], &buf[a as usize..b as usize]);
        // On the stack for the usual few entries: this runs once per match.
        const ON_STACK: usize = 32;
        if scratch.found.len() <= ON_STACK {
            let mut entries: [(usize, &[Pos]); ON_STACK] = [(0, &[]); ON_STACK];
            for (e, found) in entries.iter_mut().zip(&scratch.found) {
                *e = entry(found);
            }
            f(&entries[..scratch.found.len()], doc.is_empty())
        } else {
            let entries: Vec<(usize, &[Pos])> = scratch.found.iter().map(entry).collect();
            f(&entries, doc.is_empty())
        }
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
                let mut scratch = Scratch::default();
                if lexemes.iter().all(|ids| ids.len() <= 1) {
                    let single: Vec<Option<u32>> = lexemes.iter().map(|ids| ids.first().copied()).collect();
                    return candidates
                        .iter()
                        .filter(|&slot| {
                            self.with_positions(slot, &single, &mut scratch, |positions, _| {
                                let of = |i: usize| positions[i].iter().map(|p| p.position()).collect();
                                !text::phrase_matches(node, &of).0.is_empty()
                            })
                        })
                        .collect();
                }
                let items: Vec<&[u32]> = lexemes.iter().map(Vec::as_slice).collect();
                let wide = Wide::new(self, &items);
                candidates
                    .iter()
                    .filter(|&slot| {
                        // Every occurrence of any lexeme an operand stands for, in position order.
                        self.with_entries(slot, &wide, &mut scratch, |entries, _| {
                            let of = |i: usize| {
                                let mut at: Vec<i32> = entries
                                    .iter()
                                    .filter(|(item, _)| *item == i)
                                    .flat_map(|(_, p)| p.iter().map(|p| p.position()))
                                    .collect();
                                at.sort_unstable();
                                at.dedup();
                                at
                            };
                            !text::phrase_matches(node, &of).0.is_empty()
                        })
                    })
                    .collect()
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
        let mut scratch = Scratch::default();
        let entries = |text: &[u8]| {
            text::entry_starts(text, &lexemes, |at| {
                prefetch(text.as_ptr().wrapping_add(at));
                prefetch(text.as_ptr().wrapping_add(at + 64));
            })
        };
        let scored = self.scored(result, entries, |slot| {
            self.with_positions(slot, &lexemes, &mut scratch, |positions, empty| {
                text::ts_rank(positions, as_and, empty)
            })
        });
        self.best_ranked(scored, offset, limit)
    }

    /// `(rank, slot)` of every match: the tie-break (newest first) reads the documents only for
    /// equal ranks. The matches' documents lie scattered over tens of megabytes: each is asked
    /// for a few matches ahead (its entry, then the start of its text, then, once that has
    /// arrived, what `entries` asks for of it: where the wanted entries lie), so the wait for
    /// memory overlaps the work.
    fn scored(
        &self,
        result: &RoaringBitmap,
        entries: impl Fn(&[u8]),
        mut rank: impl FnMut(u32) -> f32,
    ) -> Vec<(f32, u32)> {
        let slots: Vec<u32> = result.iter().collect();
        const AHEAD: usize = 8;
        slots
            .iter()
            .enumerate()
            .map(|(i, &slot)| {
                if let Some(&later) = slots.get(i + 3 * AHEAD) {
                    prefetch(self.doc_entry(later));
                }
                if let Some(&soon) = slots.get(i + 2 * AHEAD) {
                    let text = self.text(self.doc(soon));
                    prefetch(text.as_ptr());
                    prefetch(text.as_ptr().wrapping_add(64));
                }
                if let Some(&next) = slots.get(i + AHEAD) {
                    entries(self.text(self.doc(next)));
                }
                (rank(slot), slot)
            })
            .collect()
    }

    /// The page `offset .. offset + limit` of `scored`: rank descending, then newest first.
    fn best_ranked(&self, scored: Vec<(f32, u32)>, offset: usize, limit: usize) -> Vec<u32> {
        let cmp = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then_with(|| self.newest_cmp(a.1, b.1));
        top(scored, offset, limit, cmp).into_iter().map(|(_, s)| s).collect()
    }
}

impl Snapshot {
    /// `ranked_page` when an operand stands for several lexemes (a prefix): the same order, with
    /// every lexeme's occurrences gathered in one pass over each document.
    pub(super) fn ranked_page_wide(
        &self,
        result: &RoaringBitmap,
        items: &[&[u32]],
        as_and: bool,
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        let wide = Wide::new(self, items);
        let mut scratch = Scratch::default();
        let rank = |slot| {
            self.with_entries(slot, &wide, &mut scratch, |entries, empty| {
                text::ts_rank_entries(entries, items.len(), as_and, empty)
            })
        };
        // Prefixes stand for many lexemes, in no one place of a document: only its start is asked for.
        let scored = self.scored(result, |_| {}, rank);
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

/// Asks the CPU to start loading the cache line at `data`. Only a hint: it never faults and
/// changes nothing the program can see. No crate does this one instruction better than std's
/// intrinsic; elsewhere than x86-64 it does nothing.
#[inline(always)]
fn prefetch<T>(data: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `prefetcht0` reads no memory architecturally and cannot fault, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(data.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}
