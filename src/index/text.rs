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

/// Steps over `count` varints without decoding them: eight bytes at a time where the document
/// has them (a varint ends at each byte whose top bit is clear), since skipping the entries a
/// query does not ask for is most of the time spent ranking a broad query.
#[inline(always)]
fn skip_varints(doc: &[u8], at: &mut usize, mut count: u32) {
    while count > 0 {
        let Some(bytes) = doc.get(*at..*at + 8) else { break };
        let word = u64::from_le_bytes(bytes.try_into().expect("eight bytes"));
        let mut ends = !word & 0x8080_8080_8080_8080;
        let found = ends.count_ones();
        if found < count {
            *at += 8;
            count -= found;
            continue;
        }
        for _ in 1..count {
            ends &= ends - 1;
        }
        *at += (ends.trailing_zeros() / 8 + 1) as usize;
        return;
    }
    for _ in 0..count {
        while doc.get(*at).is_some_and(|b| b & 0x80 != 0) {
            *at += 1;
        }
        *at += 1;
    }
}

/// An entry's header: its lexeme id's delta and, when it is 1 to 3, its count of positions in
/// one varint (`delta << 2 | count`; a count of 0 there means a varint of its own follows). Most
/// lexemes occur once or twice in a document, so this saves a byte on most entries: a fifth of
/// the positions' memory at 100,000 resources with real abstracts.
fn put_header(out: &mut Vec<u8>, delta: u32, count: u32) {
    if (1..=3).contains(&count) {
        put_varint(out, delta << 2 | count);
    } else {
        put_varint(out, delta << 2);
        put_varint(out, count);
    }
}

/// Reads an entry's header: (lexeme id delta, count of positions).
#[inline(always)]
fn header(doc: &[u8], at: &mut usize) -> (u32, u32) {
    let h = varint(doc, at);
    let count = match h & 3 {
        0 => varint(doc, at),
        small => small,
    };
    (h >> 2, count)
}

/// A position packed for a varint: `position << 2 | weight`, one byte up to position 31.
fn packed(p: Pos) -> u32 {
    (p.position() as u32) << 2 | p.weight() as u32
}

fn unpacked(v: u32) -> Pos {
    Pos::new((v >> 2) as u16, (v & 3) as u16)
}

/// Entries between two marks of a document's skip table.
const SKIP_EVERY: usize = 16;

/// A document's lexemes and positions, compactly: entries sorted by lexeme id, each a header
/// (`put_header`: the id delta and the count) and that many packed positions; before them a skip
/// table (its length in bytes, then a mark every `SKIP_EVERY` entries: the id of the entry before
/// the mark and the mark's offset among the entries, each a delta from the previous mark's), so
/// that finding a rare lexeme decodes a few entries rather than every commoner one before it.
/// A document without lexemes is empty.
pub fn encode_doc<P: AsRef<[Pos]>>(entries: &mut [(u32, P)]) -> Box<[u8]> {
    if entries.is_empty() {
        return Box::default();
    }
    entries.sort_unstable_by_key(|(id, _)| *id);
    let mut body = Vec::with_capacity(entries.len() * 4);
    let mut table = Vec::new();
    let (mut previous, mut marked) = (0, (0, 0));
    for (i, (id, positions)) in entries.iter().enumerate() {
        if i > 0 && i % SKIP_EVERY == 0 {
            put_varint(&mut table, previous - marked.0);
            put_varint(&mut table, (body.len() - marked.1) as u32);
            marked = (previous, body.len());
        }
        let positions = positions.as_ref();
        put_header(&mut body, id - previous, positions.len() as u32);
        previous = *id;
        for p in positions {
            put_varint(&mut body, packed(*p));
        }
    }
    let mut out = Vec::with_capacity(table.len() + body.len() + 2);
    put_varint(&mut out, table.len() as u32);
    out.extend_from_slice(&table);
    out.extend_from_slice(&body);
    out.into_boxed_slice()
}

/// The skip table of an encoded document (`encode_doc`), read forward as a lexeme search goes.
struct Skips {
    /// The next mark's bytes, and the end of the table (where the entries start).
    at: usize,
    entries: usize,
    /// The last mark read: the id before it and its offset among the entries.
    id: u32,
    offset: usize,
}

impl Skips {
    fn of(doc: &[u8]) -> Self {
        let mut at = 0;
        let len = if doc.is_empty() { 0 } else { varint(doc, &mut at) as usize };
        Self { at, entries: at + len, id: 0, offset: 0 }
    }

    /// Moves a decoding position (`at`, at an entry's start, `id` the entry before it) past every
    /// mark whose entry before lies below `target`: all it skips are entries under `target`.
    #[inline(always)]
    fn toward(&mut self, doc: &[u8], target: u32, id: &mut u32, at: &mut usize) {
        while self.at < self.entries {
            let mut look = self.at;
            let mark_id = self.id + varint(doc, &mut look);
            if mark_id >= target {
                return;
            }
            self.offset += varint(doc, &mut look) as usize;
            self.id = mark_id;
            self.at = look;
            if self.entries + self.offset > *at {
                (*at, *id) = (self.entries + self.offset, mark_id);
            }
        }
    }
}

/// Where in an encoded document `gather` will start reading each of `wanted` (the entries from
/// the last skip mark below it), given to `f` as offsets: ranking asks for those bytes a few
/// matches ahead, since a rarer lexeme's entry lies several cache lines into its document.
#[inline(always)]
pub fn entry_starts(doc: &[u8], wanted: &[Option<u32>], mut f: impl FnMut(usize)) {
    for w in wanted.iter().flatten() {
        let mut skips = Skips::of(doc);
        let (mut at, mut id) = (skips.entries, 0u32);
        skips.toward(doc, *w, &mut id, &mut at);
        f(at);
    }
}

/// Walks an encoded document: calls `f(lexeme id, positions)` for each entry, in id order.
pub fn decode_doc(doc: &[u8], mut f: impl FnMut(u32, &[Pos]) -> bool, scratch: &mut Vec<Pos>) {
    let mut at = Skips::of(doc).entries;
    let mut id = 0u32;
    while at < doc.len() {
        let (delta, count) = header(doc, &mut at);
        id += delta;
        scratch.clear();
        for _ in 0..count {
            scratch.push(unpacked(varint(doc, &mut at)));
        }
        if !f(id, scratch) {
            return;
        }
    }
}

/// Gathers the occurrences of each of `wanted` (lexeme ids, `None` for unknown) in an encoded
/// document into `buf`: `ranges[i]` is the span of `buf` holding the i-th one (empty when absent).
/// Jumps by the skip table towards each wanted id in turn, decodes no further than the largest,
/// and allocates nothing once `buf` has grown.
pub fn gather(doc: &[u8], wanted: &[Option<u32>], buf: &mut Vec<Pos>, ranges: &mut [(u32, u32)]) {
    buf.clear();
    ranges.iter_mut().for_each(|r| *r = (0, 0));
    // The smallest wanted id above `id`: entries come in id order, so each is compared with it alone.
    let above = |id: Option<u32>| wanted.iter().flatten().copied().filter(|w| id.is_none_or(|id| *w > id)).min();
    let Some(mut next) = above(None) else { return };
    let mut skips = Skips::of(doc);
    let (mut at, mut id) = (skips.entries, 0u32);
    let mut jump = true;
    while at < doc.len() {
        if jump {
            skips.toward(doc, next, &mut id, &mut at);
            jump = false;
            if at >= doc.len() {
                return;
            }
        }
        let (delta, count) = header(doc, &mut at);
        id += delta;
        if id > next {
            // `next` is not in the document: on to the smallest wanted id from this one on.
            let Some(later) = above(Some(id - 1)) else { return };
            next = later;
            jump = id < next;
        }
        if id == next {
            let start = buf.len() as u32;
            for _ in 0..count {
                buf.push(unpacked(varint(doc, &mut at)));
            }
            for (i, w) in wanted.iter().enumerate() {
                if *w == Some(id) {
                    ranges[i] = (start, buf.len() as u32);
                }
            }
            let Some(later) = above(Some(id)) else { return };
            next = later;
            jump = true;
        } else {
            skip_varints(doc, &mut at, count);
        }
    }
}

/// Gathers the occurrences of every lexeme `places_of` knows (it answers a lexeme id's places
/// in the caller's list: one lexeme may stand in several operands) in an encoded document, for
/// operands that stand for many lexemes (a prefix): `found` gets (place, span of `buf`) for each
/// place of each one present. Decodes no further than `last`, the largest id asked for.
pub fn gather_many<'a>(
    doc: &[u8],
    places_of: impl Fn(u32) -> Option<&'a [u32]>,
    last: u32,
    buf: &mut Vec<Pos>,
    found: &mut Vec<(u32, (u32, u32))>,
) {
    buf.clear();
    found.clear();
    let mut at = Skips::of(doc).entries;
    let mut id = 0u32;
    while at < doc.len() {
        let (delta, count) = header(doc, &mut at);
        id += delta;
        if id > last {
            return;
        }
        match places_of(id) {
            Some(places) => {
                let start = buf.len() as u32;
                for _ in 0..count {
                    buf.push(unpacked(varint(doc, &mut at)));
                }
                found.extend(places.iter().map(|place| (*place, (start, buf.len() as u32))));
            }
            None => skip_varints(doc, &mut at, count),
        }
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
    fn skips_varints_eight_bytes_at_a_time_as_one_by_one() {
        // Varints of one to three bytes, so that some cross each eight-byte word.
        let values: Vec<u32> = (0..200u32).map(|i| (i * 7919) % 40_000).collect();
        let mut doc = Vec::new();
        for v in &values {
            put_varint(&mut doc, *v);
        }
        for from in 0..values.len() {
            let mut at = 0;
            skip_varints(&doc, &mut at, from as u32);
            for v in &values[from..] {
                assert_eq!(varint(&doc, &mut at), *v, "after skipping {from}");
            }
            assert_eq!(at, doc.len());
        }
    }

    /// Every entry of an encoded document, decoded in turn.
    fn decoded(doc: &[u8]) -> Vec<(u32, Vec<Pos>)> {
        let mut all = Vec::new();
        decode_doc(
            doc,
            |id, p| {
                all.push((id, p.to_vec()));
                true
            },
            &mut Vec::new(),
        );
        all
    }

    /// Documents of 0 to 100 entries, gathered for random ids (present, absent, repeated, in any
    /// order) by the skip table, against every entry decoded in turn.
    #[test]
    fn gathering_by_the_skip_table_finds_what_decoding_every_entry_finds() {
        let mut next = super::super::test_numbers(0x2545_f491_4f6c_dd1d);
        for round in 0..2000 {
            let count = next(101) as usize;
            let mut ids: Vec<u32> = (0..count).map(|_| next(if round % 2 == 0 { 300 } else { 5000 }) as u32).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut entries: Vec<(u32, Vec<Pos>)> = ids
                .iter()
                .map(|id| (*id, (0..1 + next(6)).map(|_| Pos::new(next(400) as u16, next(4) as u16)).collect()))
                .collect();
            let doc = encode_doc(&mut entries);
            assert_eq!(doc.is_empty(), entries.is_empty());
            assert_eq!(decoded(&doc), entries);
            let wanted: Vec<Option<u32>> = (0..next(7))
                .map(|_| match next(4) {
                    0 => None,
                    1 if !ids.is_empty() => Some(ids[next(ids.len() as u64) as usize]),
                    _ => Some(next(5200) as u32),
                })
                .collect();
            let (mut buf, mut ranges) = (Vec::new(), vec![(0, 0); wanted.len()]);
            gather(&doc, &wanted, &mut buf, &mut ranges);
            for (w, r) in wanted.iter().zip(&ranges) {
                let expected = w.and_then(|w| entries.iter().find(|e| e.0 == w)).map(|e| e.1.as_slice()).unwrap_or(&[]);
                assert_eq!(&buf[r.0 as usize..r.1 as usize], expected, "{w:?} in round {round}");
            }
        }
    }

    /// Where `entry_starts` says a wanted entry's reading starts: at an entry of the document, at
    /// or before the wanted one and fewer than `SKIP_EVERY` entries before it.
    #[test]
    fn entry_starts_lie_at_most_one_skip_block_before_the_entry() {
        let mut next = super::super::test_numbers(0x9e37_79b9_7f4a_7c15);
        for round in 0..500 {
            let mut ids: Vec<u32> = (0..next(120)).map(|_| next(3000) as u32).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut entries: Vec<(u32, Vec<Pos>)> =
                ids.iter().map(|id| (*id, (0..1 + next(5)).map(|_| Pos::new(next(300) as u16, 2)).collect())).collect();
            let doc = encode_doc(&mut entries);
            // Every entry's offset, walking them one by one.
            let mut offsets = Vec::new();
            let (mut at, mut id) = (Skips::of(&doc).entries, 0u32);
            while at < doc.len() {
                let start = at;
                let (delta, count) = header(&doc, &mut at);
                id += delta;
                offsets.push((id, start));
                skip_varints(&doc, &mut at, count);
            }
            let wanted: Vec<Option<u32>> = (0..1 + next(4))
                .map(|_| if ids.is_empty() || next(3) == 0 { None } else { Some(ids[next(ids.len() as u64) as usize]) })
                .collect();
            let mut starts = Vec::new();
            entry_starts(&doc, &wanted, |at| starts.push(at));
            assert_eq!(starts.len(), wanted.iter().flatten().count(), "round {round}");
            for (w, start) in wanted.iter().flatten().zip(&starts) {
                let entry = offsets.iter().position(|(id, _)| id == w).expect("a wanted id of the document");
                let from = offsets.iter().position(|(_, at)| at == start).expect("a start at an entry");
                assert!(from <= entry && entry - from < SKIP_EVERY, "round {round}: {from} for {entry}");
            }
        }
    }

    #[test]
    fn documents_round_trip() {
        // Counts of 1 to 3 share the id's varint; 0 and 4 or more follow it.
        let four: Vec<Pos> = (1..=4).map(|p| Pos::new(p * 40, 2)).collect();
        let mut entries = vec![
            (300, vec![Pos::new(16383, 3), Pos::new(2, 1)]),
            (5, vec![Pos::new(7, 0)]),
            (301, four.clone()),
            (100_000, vec![]),
        ];
        let doc = encode_doc(&mut entries);
        assert_eq!(
            decoded(&doc),
            vec![
                (5, vec![Pos::new(7, 0)]),
                (300, vec![Pos::new(16383, 3), Pos::new(2, 1)]),
                (301, four.clone()),
                (100_000, vec![])
            ]
        );
        let (mut buf, mut ranges) = (Vec::new(), [(0, 0); 3]);
        gather(&doc, &[Some(301), None, Some(300)], &mut buf, &mut ranges);
        assert_eq!(buf[ranges[0].0 as usize..ranges[0].1 as usize], four[..]);
        assert_eq!(ranges[1], (0, 0));
        assert_eq!(buf[ranges[2].0 as usize..ranges[2].1 as usize], [Pos::new(16383, 3), Pos::new(2, 1)]);
        // Ids the document lacks, before, between and after its own, and one asked twice.
        let mut ranges = [(0, 0); 5];
        gather(&doc, &[Some(4), Some(301), Some(200), Some(5), Some(301)], &mut buf, &mut ranges);
        assert_eq!((ranges[0], ranges[2]), ((0, 0), (0, 0)));
        assert_eq!(buf[ranges[3].0 as usize..ranges[3].1 as usize], [Pos::new(7, 0)]);
        assert_eq!(buf[ranges[1].0 as usize..ranges[1].1 as usize], four[..]);
        assert_eq!(ranges[1], ranges[4]);
    }
}
