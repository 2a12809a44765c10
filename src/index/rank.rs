//! Full text over the snapshot: which resources a parsed query matches (posting lists first, then
//! positions for phrases) and a page by `ts_rank`. The Postgres semantics themselves (`@@`,
//! `ts_rank`, the encoding of documents) are in `text`.

use roaring::RoaringBitmap;

use super::bitmaps::{top, Snapshot};
use super::text::{self, Node, Pos, TsQuery};

/// Buffers reused across the documents of one query.
#[derive(Default)]
struct Scratch {
    buf: Vec<Pos>,
    ranges: Vec<(u32, u32)>,
}

impl Snapshot {
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
    pub(super) fn matching(&self, node: &Node, lexemes: &[Option<u32>], base: &RoaringBitmap) -> RoaringBitmap {
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

    /// A page by `ts_rank` descending, then newest first (the SQL's `ORDER BY`).
    pub(super) fn ranked_page(&self, result: &RoaringBitmap, query: &TsQuery, offset: usize, limit: usize) -> Vec<u32> {
        if offset >= result.len() as usize {
            return Vec::new();
        }
        let operands = query.sorted_operands();
        let lexemes: Vec<Option<u32>> = operands.iter().map(|o| self.lexemes.get(*o).copied()).collect();
        let as_and = query.ranks_as_and();
        let mut scratch = Scratch::default();
        // (rank, slot): the tie-break (newest first) reads the documents only for equal ranks.
        // The matches' documents lie scattered over tens of megabytes: each is asked for a few
        // matches ahead (its entry, then its text), so the wait for memory overlaps the work.
        let slots: Vec<u32> = result.iter().collect();
        const AHEAD: usize = 8;
        let scored: Vec<(f32, u32)> = slots
            .iter()
            .enumerate()
            .map(|(i, &slot)| {
                if let Some(&later) = slots.get(i + 2 * AHEAD) {
                    prefetch(self.doc_entry(later));
                }
                if let Some(&soon) = slots.get(i + AHEAD) {
                    let text = self.text(self.doc(soon));
                    prefetch(text.as_ptr());
                    prefetch(text.as_ptr().wrapping_add(64));
                }
                let rank = self.with_positions(slot, &lexemes, &mut scratch, |positions, empty| {
                    text::ts_rank(positions, as_and, empty)
                });
                (rank, slot)
            })
            .collect();
        let cmp = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then_with(|| self.newest_cmp(a.1, b.1));
        top(scored, offset, limit, cmp).into_iter().map(|(_, s)| s).collect()
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
