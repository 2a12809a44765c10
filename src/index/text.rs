//! Full-text matching and ranking that give exactly what PostgreSQL gives.
//!
//! Postgres stays the only place where text becomes lexemes: documents arrive as the stored
//! `tsvector` (its text form) and queries as `websearch_to_tsquery('english', q)::text`, so
//! stemming, stop words and the web-search syntax are Postgres's own. What is done here is what
//! Postgres does with those two values, rewritten in Rust because no crate reproduces it:
//! `@@` (boolean and phrase operators, PostgreSQL's `TS_execute`) and `ts_rank` with its default
//! weights and no normalisation (`tsrank.c`: `calc_rank_and` / `calc_rank_or`, with the same
//! `float`/`double` steps so the scores, and therefore the order, are bit-for-bit the same).
//! A prefix operand (`'heal':*`, what `prefix=true` adds) stands for every lexeme it starts, as in
//! Postgres: matched when any is present, ranked entry by entry as `tsrank.c` walks them.
//! Anything else a web search cannot produce (weight-restricted operands, operators other than
//! lexemes inside a phrase) is reported as unsupported, and the caller asks Postgres instead.

/// A lexeme occurrence as Postgres stores it (`WordEntryPos`): position in the low 14 bits,
/// weight in the top two (3 = A, 2 = B, 1 = C, 0 = D).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos(pub u16);

impl Pos {
    pub fn new(position: u16, weight: u16) -> Self {
        Self((weight << 14) | (position & 0x3fff))
    }

    pub fn position(self) -> i32 {
        i32::from(self.0 & 0x3fff)
    }

    fn weight(self) -> usize {
        usize::from(self.0 >> 14)
    }
}

/// `ts_rank`'s default weights, indexed by `Pos::weight` (D, C, B, A).
const WEIGHTS: [f32; 4] = [0.1, 0.2, 0.4, 1.0];

/// Splits the text form of a `tsvector` (`'lexeme':1A,4 'other':2B`) into lexemes and positions.
/// Returns `None` for text it does not understand (never produced by Postgres).
pub fn parse_tsvector(text: &str) -> Option<Vec<(String, Vec<Pos>)>> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (lexeme, after) = quoted(rest)?;
        rest = after;
        let mut positions = Vec::new();
        if let Some(list) = rest.strip_prefix(':') {
            let end = list.find(' ').unwrap_or(list.len());
            for item in list[..end].split(',') {
                let digits = item.trim_end_matches(['A', 'B', 'C', 'D']);
                let weight = match &item[digits.len()..] {
                    "A" => 3,
                    "B" => 2,
                    "C" => 1,
                    "" | "D" => 0,
                    _ => return None,
                };
                positions.push(Pos::new(digits.parse().ok()?, weight));
            }
            rest = &list[end..];
        }
        out.push((lexeme, positions));
        rest = rest.trim_start();
    }
    Some(out)
}

/// A quoted lexeme at the start of `text` (quotes and backslashes are doubled inside), and the rest.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('\'')?;
    let mut lexeme = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => lexeme.push(chars.next()?.1),
            '\'' if body[i + 1..].starts_with('\'') => {
                lexeme.push('\'');
                chars.next();
            }
            '\'' => return Some((lexeme, &body[i + 1..])),
            c => lexeme.push(c),
        }
    }
    None
}

/// A parsed `tsquery`. Operands are numbered in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    Operand(usize),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// `left <distance> right`.
    Phrase(Box<Node>, Box<Node>, i32),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TsQuery {
    /// `None` for a query without lexemes (only stop words), which matches nothing.
    pub root: Option<Node>,
    pub operands: Vec<String>,
    /// Whether each operand is a prefix (`'heal':*`).
    pub prefix: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Operand(usize),
    Not,
    And,
    Or,
    Phrase(i32),
    Open,
    Close,
}

impl TsQuery {
    /// Parses the text form of a `tsquery`; `None` when it uses what a web search never produces.
    pub fn parse(text: &str) -> Option<Self> {
        let mut operands = Vec::new();
        let mut prefix = Vec::new();
        let mut tokens = Vec::new();
        let mut rest = text.trim_start();
        while let Some(c) = rest.chars().next() {
            let (token, after) = match c {
                '\'' => {
                    let (lexeme, mut after) = quoted(rest)?;
                    let starred = after.starts_with(":*");
                    if starred {
                        after = &after[2..];
                    }
                    if after.starts_with(':') || after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        return None; // a weight restriction
                    }
                    operands.push(lexeme);
                    prefix.push(starred);
                    (Token::Operand(operands.len() - 1), after)
                }
                '!' => (Token::Not, &rest[1..]),
                '&' => (Token::And, &rest[1..]),
                '|' => (Token::Or, &rest[1..]),
                '(' => (Token::Open, &rest[1..]),
                ')' => (Token::Close, &rest[1..]),
                '<' => {
                    let end = rest.find('>')?;
                    let distance = match &rest[1..end] {
                        "-" => 1,
                        n => n.parse().ok()?,
                    };
                    (Token::Phrase(distance), &rest[end + 1..])
                }
                _ => return None,
            };
            tokens.push(token);
            rest = after.trim_start();
        }
        if tokens.is_empty() {
            return Some(Self { root: None, operands, prefix });
        }
        let mut parser = Parser { tokens: &tokens, at: 0 };
        let root = parser.expression(0)?;
        (parser.at == tokens.len()).then_some(Self { root: Some(root), operands, prefix })
    }

    /// Whether every phrase holds only lexemes and phrases (what web-search syntax produces).
    pub fn supported(&self) -> bool {
        fn phrase_ok(node: &Node) -> bool {
            match node {
                Node::Operand(_) => true,
                Node::Phrase(l, r, _) => phrase_ok(l) && phrase_ok(r),
                _ => false,
            }
        }
        fn ok(node: &Node) -> bool {
            match node {
                Node::Operand(_) => true,
                Node::Not(x) => ok(x),
                Node::And(l, r) | Node::Or(l, r) => ok(l) && ok(r),
                Node::Phrase(..) => phrase_ok(node),
            }
        }
        self.root.as_ref().is_none_or(ok)
    }

    /// The distinct operands in Postgres's byte order (the order `ts_rank` adds them up in), by
    /// index into `operands` (the first of equal ones).
    pub fn sorted_operands(&self) -> Vec<usize> {
        let mut items: Vec<usize> = (0..self.operands.len()).collect();
        items.sort_by(|a, b| self.operands[*a].as_bytes().cmp(self.operands[*b].as_bytes()));
        items.dedup_by(|a, b| self.operands[*a] == self.operands[*b]);
        items
    }

    /// `ts_rank` ranks with `calc_rank_and` when the top operator is AND or a phrase.
    pub fn ranks_as_and(&self) -> bool {
        matches!(self.root, Some(Node::And(..) | Node::Phrase(..)))
    }
}

/// Precedence climbing with Postgres's priorities: `!` over `<->` over `&` over `|`, all
/// binary operators left-associative.
struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
}

impl Parser<'_> {
    fn priority(token: Token) -> Option<u8> {
        match token {
            Token::Or => Some(1),
            Token::And => Some(2),
            Token::Phrase(_) => Some(3),
            _ => None,
        }
    }

    fn expression(&mut self, min: u8) -> Option<Node> {
        let mut left = self.unary()?;
        while let Some(&token) = self.tokens.get(self.at) {
            let Some(priority) = Self::priority(token).filter(|p| *p > min) else { break };
            self.at += 1;
            let right = self.expression(priority)?;
            left = match token {
                Token::Or => Node::Or(Box::new(left), Box::new(right)),
                Token::And => Node::And(Box::new(left), Box::new(right)),
                Token::Phrase(d) => Node::Phrase(Box::new(left), Box::new(right), d),
                _ => unreachable!("only binary operators have a priority"),
            };
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Node> {
        let token = *self.tokens.get(self.at)?;
        self.at += 1;
        match token {
            Token::Operand(i) => Some(Node::Operand(i)),
            Token::Not => Some(Node::Not(Box::new(self.unary()?))),
            Token::Open => {
                let inner = self.expression(0)?;
                (self.tokens.get(self.at) == Some(&Token::Close)).then(|| self.at += 1)?;
                Some(inner)
            }
            _ => None,
        }
    }
}

/// The end positions of a phrase's matches in one document, and the phrase's width (Postgres's
/// `TS_phrase_execute` for lexemes and phrases: `left <n> right` matches where the right part
/// ends `n + width(right)` after the left part ends).
pub fn phrase_matches(node: &Node, positions_of: &dyn Fn(usize) -> Vec<i32>) -> (Vec<i32>, i32) {
    match node {
        Node::Operand(i) => (positions_of(*i), 0),
        Node::Phrase(l, r, distance) => {
            let (left, lw) = phrase_matches(l, positions_of);
            let (right, rw) = phrase_matches(r, positions_of);
            let offset = distance + rw;
            let out = right.into_iter().filter(|p| left.binary_search(&(p - offset)).is_ok()).collect();
            (out, distance + lw + rw)
        }
        _ => (Vec::new(), 0),
    }
}

/// LEB128 varints, written here rather than taken from a crate because decoding them is the
/// innermost loop of ranking: this version reads the common one-byte case without a call.
fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline(always)]
fn varint(doc: &[u8], at: &mut usize) -> u32 {
    let first = doc[*at];
    *at += 1;
    if first < 0x80 {
        return u32::from(first);
    }
    let mut v = u32::from(first & 0x7f);
    let mut shift = 7;
    while let Some(&b) = doc.get(*at) {
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// An entry's header: its slot's delta and the length in bytes of its positions, in one varint
/// when the length is 1 to 7 (`delta << 3 | length`; a length of 0 there means a varint of its own
/// follows). A lexeme occurs once to three times in most documents, so most entries need no second
/// byte; and a reader steps over an entry it does not want by its length, without reading its
/// positions (the count is the number of varints in them).
fn put_header(out: &mut Vec<u8>, delta: u32, length: u32) {
    if (1..=7).contains(&length) {
        put_varint(out, delta << 3 | length);
    } else {
        put_varint(out, delta << 3);
        put_varint(out, length);
    }
}

/// Reads an entry's header: (slot delta, length of its positions in bytes).
#[inline(always)]
fn header(doc: &[u8], at: &mut usize) -> (u32, usize) {
    let h = varint(doc, at);
    let length = match h & 7 {
        0 => varint(doc, at),
        small => small,
    };
    (h >> 3, length as usize)
}

/// The bytes of `v` as a varint.
fn varint_len(v: u32) -> u32 {
    1 + (31 - (v | 1).leading_zeros()) / 7
}

/// A position packed for a varint: `position << 2 | weight`, one byte up to position 31.
fn packed(p: Pos) -> u32 {
    (p.position() as u32) << 2 | p.weight() as u32
}

fn unpacked(v: u32) -> Pos {
    Pos::new((v >> 2) as u16, (v & 3) as u16)
}

/// Entries between two marks of a lexeme's occurrences (when appended; changes may leave more).
const MARK_EVERY: usize = 32;

/// The occurrences of one lexeme in every document holding it, in slot order: each entry a
/// header (`put_header`: the slot's delta from the previous entry's, from 0 for the first, and
/// the length of its positions) and the packed positions. Kept per lexeme rather than per document so that
/// ranking reads only the query's lexemes, each front to back, instead of a scattered document
/// per match and a search for each lexeme within it. Marks (the slot of the entry before one, and
/// its offset) let a reader jump over the entries of documents it does not ask for.
#[derive(Default)]
pub struct Occurrences {
    bytes: Vec<u8>,
    marks: Vec<(u32, u32)>,
}

impl Occurrences {
    /// Adds the entry of `slot`, which `postings` (this lexeme's documents, without `slot` yet)
    /// says it lacks. After the last entry (a full load adds in slot order) it is an append;
    /// elsewhere the bytes after it move.
    pub fn insert(&mut self, slot: u32, positions: &[Pos], postings: &roaring::RoaringBitmap) {
        let mut entry = Vec::with_capacity(2 + positions.len());
        match postings.max() {
            Some(last) if last > slot => {
                let (at, prev) = self.entry_from(slot);
                let mut look = at;
                let (delta, length) = header(&self.bytes, &mut look);
                encode_entry(&mut entry, slot - prev, positions);
                put_header(&mut entry, prev + delta - slot, length as u32);
                self.replace(at, look, &entry);
            }
            last => {
                let prev = last.unwrap_or(0);
                if (postings.len() as usize).is_multiple_of(MARK_EVERY) && !self.bytes.is_empty() {
                    self.marks.push((prev, self.bytes.len() as u32));
                }
                encode_entry(&mut self.bytes, slot - prev, positions);
            }
        }
    }

    /// Takes out the entry of `slot`, which must be present.
    pub fn remove(&mut self, slot: u32) {
        let (at, prev) = self.entry_from(slot);
        let mut end = at;
        let (delta, length) = header(&self.bytes, &mut end);
        debug_assert_eq!(prev + delta, slot, "the entry of a slot the postings hold");
        end += length;
        // The mark of the entry after it named `slot` as the one before: it goes.
        self.marks.retain(|m| m.0 != slot);
        if end == self.bytes.len() {
            self.bytes.truncate(at);
            self.marks.retain(|m| (m.1 as usize) < at);
            return;
        }
        let mut look = end;
        let (next_delta, next_length) = header(&self.bytes, &mut look);
        let mut merged = Vec::with_capacity(4);
        put_header(&mut merged, delta + next_delta, next_length as u32);
        self.replace(at, look, &merged);
    }

    /// Where the first entry whose slot is `slot` or more starts, and the slot before it.
    fn entry_from(&self, slot: u32) -> (usize, u32) {
        let mark = self.marks.partition_point(|m| m.0 < slot);
        let (mut at, mut prev) = match mark.checked_sub(1) {
            Some(m) => (self.marks[m].1 as usize, self.marks[m].0),
            None => (0, 0),
        };
        while at < self.bytes.len() {
            let mut look = at;
            let (delta, length) = header(&self.bytes, &mut look);
            if prev + delta >= slot {
                break;
            }
            prev += delta;
            at = look + length;
        }
        (at, prev)
    }

    /// Puts `with` in place of the bytes `from..to` (entries' starts at `from` stay starts) and
    /// moves the marks after them.
    fn replace(&mut self, from: usize, to: usize, with: &[u8]) {
        self.bytes.splice(from..to, with.iter().copied());
        let moved = with.len() as i64 - (to - from) as i64;
        for m in &mut self.marks {
            if m.1 as usize > from {
                m.1 = (i64::from(m.1) + moved) as u32;
            }
        }
    }

    /// A reader of the entries, for slots asked for in ascending order.
    pub fn reader(&self) -> Reader<'_> {
        Reader { bytes: &self.bytes, marks: &self.marks, at: 0, prev: 0, mark: 0 }
    }

    /// The heap bytes held.
    pub fn memory(&self) -> usize {
        self.bytes.capacity() + self.marks.capacity() * std::mem::size_of::<(u32, u32)>()
    }

    pub fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
        self.marks.shrink_to_fit();
    }
}

/// An entry: its header and positions.
fn encode_entry(out: &mut Vec<u8>, delta: u32, positions: &[Pos]) {
    put_header(out, delta, positions.iter().map(|p| varint_len(packed(*p))).sum());
    for p in positions {
        put_varint(out, packed(*p));
    }
}

/// Reads a lexeme's entries forwards (see `Occurrences`).
pub struct Reader<'a> {
    bytes: &'a [u8],
    marks: &'a [(u32, u32)],
    /// The next entry's start, the slot of the entry before it, the next mark not yet passed.
    at: usize,
    prev: u32,
    mark: usize,
}

impl Reader<'_> {
    /// Appends the occurrences in `slot` to `out` and says whether it has an entry. Slots must be
    /// asked for in ascending order: the reader only moves forwards.
    #[inline]
    pub fn seek(&mut self, slot: u32, out: &mut Vec<Pos>) -> bool {
        while let Some(&(before, offset)) = self.marks.get(self.mark) {
            if before >= slot {
                break;
            }
            if offset as usize > self.at {
                (self.at, self.prev) = (offset as usize, before);
            }
            self.mark += 1;
        }
        while self.at < self.bytes.len() {
            let mut look = self.at;
            let (delta, length) = header(self.bytes, &mut look);
            let here = self.prev + delta;
            if here > slot {
                return false;
            }
            self.prev = here;
            self.at = look + length;
            if here == slot {
                while look < self.at {
                    out.push(unpacked(varint(self.bytes, &mut look)));
                }
                return true;
            }
        }
        false
    }
}

/// `ts_rank` when an operand may stand for several lexemes (a prefix): `entries` holds, for each
/// lexeme of the query present in the document, (its operand's place among the `items` distinct
/// operands in `TsQuery::sorted_operands` order, its occurrences), ordered by operand and, within
/// one, by lexeme bytes (the tsvector's order, which `tsrank.c` walks). With one lexeme per
/// operand this is `ts_rank`.
pub fn ts_rank_entries(entries: &[(usize, &[Pos])], items: usize, as_and: bool, doc_empty: bool) -> f32 {
    if doc_empty || items == 0 {
        return 0.0;
    }
    let res = if as_and && items >= 2 {
        // `calc_rank_and`: each entry against the last entry of every earlier operand.
        const ON_STACK: usize = 16;
        let mut stack: [&[Pos]; ON_STACK] = [&[]; ON_STACK];
        let mut heap: Vec<&[Pos]> = Vec::new();
        let last: &mut [&[Pos]] = if items <= ON_STACK {
            &mut stack[..items]
        } else {
            heap.resize(items, &[]);
            &mut heap
        };
        let mut res: f32 = -1.0;
        for &(i, positions) in entries {
            for earlier in &last[..i] {
                res = and_pairs(res, positions, earlier);
            }
            last[i] = positions;
        }
        res
    } else {
        // `calc_rank_or`: every entry counts as an operand would, averaged over the operands.
        let sum = entries.iter().fold(0f32, |res, (_, positions)| or_term(res, positions));
        sum / items as f32
    };
    if res < 0.0 {
        1e-20
    } else {
        res
    }
}

/// `ts_rank(vector, query)` with default weights: `positions[i]` holds the occurrences in the
/// document of the i-th of `TsQuery::sorted_operands` (empty when absent); `doc_empty` says
/// whether the document has no lexemes at all.
pub fn ts_rank(positions: &[&[Pos]], as_and: bool, doc_empty: bool) -> f32 {
    if doc_empty || positions.is_empty() {
        return 0.0;
    }
    let res = if as_and && positions.len() >= 2 { rank_and(positions) } else { rank_or(positions) };
    if res < 0.0 {
        1e-20
    } else {
        res
    }
}

/// `word_distance` of tsrank.c: the weight of two occurrences `w` positions apart (`w` ≥ 1).
fn word_distance(w: i32) -> f32 {
    if w > 100 {
        1e-30
    } else {
        (1.0 / (1.005 + 0.05 * ((w as f32) as f64 / 1.5 - 2.0).exp())) as f32
    }
}

/// `curw` of `calc_rank_and` for two occurrences of weights `a` and `b` (`Pos::weight`) `dist`
/// positions apart, 1 to 100: read from a table made once with the same arithmetic, since
/// ranking a broad query takes it for every pair of occurrences of every match (an `exp` and a
/// square root each).
#[inline(always)]
fn curw(a: usize, b: usize, dist: usize) -> f32 {
    static TABLE: std::sync::LazyLock<Vec<f32>> = std::sync::LazyLock::new(|| {
        (0..4 * 4 * 101)
            .map(|i| {
                let product: f32 = WEIGHTS[i / (4 * 101)] * WEIGHTS[i / 101 % 4] * word_distance((i % 101) as i32);
                (product as f64).sqrt() as f32
            })
            .collect()
    });
    TABLE[(a * 4 + b) * 101 + dist]
}

/// `calc_rank_and`: every pair of occurrences of different operands, closer pairs weighing more.
fn rank_and(positions: &[&[Pos]]) -> f32 {
    let mut res: f32 = -1.0;
    for i in 0..positions.len() {
        if positions[i].is_empty() {
            continue;
        }
        for k in 0..i {
            res = and_pairs(res, positions[i], positions[k]);
        }
    }
    res
}

/// One step of `calc_rank_and`: the occurrences `later` of one operand against those of an
/// earlier one, folded into `res` (-1 while nothing was counted).
#[inline(always)]
fn and_pairs(mut res: f32, later: &[Pos], earlier: &[Pos]) -> f32 {
    for l in later {
        for p in earlier {
            let dist = (l.position() - p.position()).unsigned_abs() as usize;
            let curw = match dist {
                0 => continue,
                1..=100 => curw(l.weight(), p.weight(), dist),
                // Farther apart the pair weighs at most 1e-15, which moves no `res` of 1e-6 or
                // more (its float is 1e-13 apart from the next): skipped, with the same result.
                _ if res >= 1e-6 => continue,
                _ => {
                    let product: f32 = WEIGHTS[l.weight()] * WEIGHTS[p.weight()] * word_distance(dist as i32);
                    (product as f64).sqrt() as f32
                }
            };
            res = if res < 0.0 { curw } else { (1.0 - (1.0 - res as f64) * (1.0 - curw as f64)) as f32 };
        }
    }
    res
}

/// `calc_rank_or`: each operand's occurrences, the heaviest counted in full and the others
/// with falling weight, averaged over the query's distinct operands.
fn rank_or(positions: &[&[Pos]]) -> f32 {
    let res = positions.iter().filter(|o| !o.is_empty()).fold(0f32, |res, occurrences| or_term(res, occurrences));
    res / positions.len() as f32
}

/// One operand's (or one entry's) part of `calc_rank_or`, added to `res`.
fn or_term(res: f32, occurrences: &[Pos]) -> f32 {
    let mut resj: f32 = 0.0;
    let mut wjm: f32 = -1.0;
    let mut jm: i32 = 0;
    for (j, p) in occurrences.iter().enumerate() {
        let j = j as i32;
        let w = WEIGHTS[p.weight()];
        resj += w / ((j + 1) * (j + 1)) as f32;
        if w > wjm {
            wjm = w;
            jm = j;
        }
    }
    let term: f32 = wjm + resj - wjm / ((jm + 1) * (jm + 1)) as f32;
    (res as f64 + term as f64 / 1.64493406685) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tsvector_text() {
        let v = parse_tsvector("'a''b':1A,4 'c\\\\d':2B 'plain':3 'nopos'").unwrap();
        assert_eq!(v[0].0, "a'b");
        assert_eq!(v[0].1, vec![Pos::new(1, 3), Pos::new(4, 0)]);
        assert_eq!(v[1].0, "c\\d");
        assert_eq!(v[1].1, vec![Pos::new(2, 2)]);
        assert_eq!(v[2].1, vec![Pos::new(3, 0)]);
        assert!(v[3].1.is_empty());
    }

    #[test]
    fn parses_tsquery_with_postgres_precedence() {
        let q = TsQuery::parse("'a' <-> 'b' & 'c' | !'d'").unwrap();
        use Node::*;
        let expected = Or(
            Box::new(And(Box::new(Phrase(Box::new(Operand(0)), Box::new(Operand(1)), 1)), Box::new(Operand(2)))),
            Box::new(Not(Box::new(Operand(3)))),
        );
        assert_eq!(q.root, Some(expected));
        assert!(q.supported());
        assert!(!TsQuery::parse("'a' <-> ( 'b' | 'c' )").unwrap().supported());
        let prefixed = TsQuery::parse("'communiti' & 'heal':*").unwrap();
        assert_eq!(prefixed.operands, ["communiti", "heal"]);
        assert_eq!(prefixed.prefix, [false, true]);
        assert_eq!(TsQuery::parse("'a':A"), None);
        assert_eq!(TsQuery::parse("'a':*AB"), None);
        assert_eq!(TsQuery::parse("").unwrap().root, None);
        assert_eq!(
            TsQuery::parse("'a' <3> 'b'").unwrap().root,
            Some(Phrase(Box::new(Operand(0)), Box::new(Operand(1)), 3))
        );
    }

    #[test]
    fn phrases_match_end_positions() {
        let q = TsQuery::parse("'a' <-> 'b' <2> 'c'").unwrap();
        let positions = |i: usize| match i {
            0 => vec![1, 10],
            1 => vec![2, 5],
            _ => vec![4, 12],
        };
        assert_eq!(phrase_matches(q.root.as_ref().unwrap(), &positions), (vec![4], 3));
    }

    #[test]
    fn varint_lengths_are_what_put_varint_writes() {
        for v in [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, u32::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(varint_len(v) as usize, out.len(), "{v}");
        }
    }

    /// What a reader gives for `asked` (ascending), slot by slot.
    fn read(occurrences: &Occurrences, asked: &[u32]) -> Vec<Option<Vec<Pos>>> {
        let mut reader = occurrences.reader();
        asked
            .iter()
            .map(|slot| {
                let mut out = Vec::new();
                reader.seek(*slot, &mut out).then_some(out)
            })
            .collect()
    }

    /// Entries added in slot order (a full load) and then anywhere, taken out anywhere, read
    /// back for random ascending slots (present, absent, past the last) after every change,
    /// against a plain map.
    #[test]
    fn occurrences_read_back_what_any_order_of_changes_left() {
        let mut next = super::super::test_numbers(0x2545_f491_4f6c_dd1d);
        for round in 0..60 {
            let span = if round % 2 == 0 { 300 } else { 20_000 };
            let mut model = std::collections::BTreeMap::new();
            let (mut occurrences, mut postings) = (Occurrences::default(), roaring::RoaringBitmap::new());
            let positions = |next: &mut dyn FnMut(u64) -> u64| -> Vec<Pos> {
                (0..next(6)).map(|_| Pos::new(next(16_384) as u16, next(4) as u16)).collect()
            };
            // A load: ascending slots.
            let mut slot = 0;
            for _ in 0..next(200) {
                slot += next(span / 50 + 1) as u32;
                if model.contains_key(&slot) {
                    continue;
                }
                let p = positions(&mut next);
                occurrences.insert(slot, &p, &postings);
                postings.insert(slot);
                model.insert(slot, p);
            }
            for change in 0..150 {
                let slot = next(span) as u32;
                if model.remove(&slot).is_some() {
                    occurrences.remove(slot);
                    postings.remove(slot);
                } else {
                    let p = positions(&mut next);
                    occurrences.insert(slot, &p, &postings);
                    postings.insert(slot);
                    model.insert(slot, p);
                }
                let mut asked: Vec<u32> = (0..next(40)).map(|_| next(span + 10) as u32).collect();
                asked.extend(model.keys().filter(|_| next(3) == 0));
                asked.sort_unstable();
                asked.dedup();
                let expected: Vec<Option<Vec<Pos>>> = asked.iter().map(|s| model.get(s).cloned()).collect();
                assert_eq!(read(&occurrences, &asked), expected, "round {round}, change {change}");
            }
            let all: Vec<u32> = model.keys().copied().collect();
            let expected: Vec<Option<Vec<Pos>>> = model.values().cloned().map(Some).collect();
            assert_eq!(read(&occurrences, &all), expected, "round {round}, every entry");
        }
    }

    #[test]
    fn entries_round_trip() {
        // Lengths of 1 to 7 bytes share the delta's varint; 0 and 8 or more follow it.
        let four: Vec<Pos> = (1..=4).map(|p| Pos::new(p * 40, 2)).collect();
        let entries = [
            (0, vec![Pos::new(16383, 3), Pos::new(2, 1)]),
            (5, vec![Pos::new(7, 0)]),
            (300, four.clone()),
            (100_000, vec![]),
        ];
        let (mut occurrences, mut postings) = (Occurrences::default(), roaring::RoaringBitmap::new());
        for (slot, positions) in entries.iter().rev() {
            occurrences.insert(*slot, positions, &postings);
            postings.insert(*slot);
        }
        let asked = [0, 4, 5, 200, 300, 100_000, 100_001];
        let got = read(&occurrences, &asked);
        assert_eq!(got[0].as_deref(), Some(&entries[0].1[..]));
        assert_eq!((got[1].as_deref(), got[3].as_deref(), got[6].as_deref()), (None, None, None));
        assert_eq!(got[2].as_deref(), Some(&[Pos::new(7, 0)][..]));
        assert_eq!(got[4].as_deref(), Some(&four[..]));
        assert_eq!(got[5].as_deref(), Some(&[][..]));
    }
}
