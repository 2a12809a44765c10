//! Typo tolerance (`typo=true`): the words of the published library as written (Postgres's
//! `simple` parser, lower case), each with the lexeme Postgres makes of it (`english_stem`), in an
//! `fst` map searched with the Levenshtein automata of `levenshtein_automata` (the crate tantivy
//! uses; a transposition is one edit). A misspelt word is corrected to words of the library
//! within one edit (typed words of 5 or more characters) or two (9 or more), Meilisearch's
//! defaults, and those words' lexemes widen the query. Corrections are found among written
//! words, not lexemes, because a typo changes the stem unpredictably: Postgres stems "comunity"
//! to `comun`, four edits from `communiti`, while the written words are one edit apart.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use fst::{IntoStreamer, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

use super::bitmaps::Snapshot;
use super::text::{Node, TsQuery};

/// Built once: making the automaton builder for two edits takes milliseconds.
static ONE_EDIT: LazyLock<LevenshteinAutomatonBuilder> = LazyLock::new(|| LevenshteinAutomatonBuilder::new(1, true));
static TWO_EDITS: LazyLock<LevenshteinAutomatonBuilder> = LazyLock::new(|| LevenshteinAutomatonBuilder::new(2, true));

/// The edits allowed in a typed word of `chars` characters (Meilisearch's defaults).
pub fn allowed_edits(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A Levenshtein DFA walked over an `fst` (the adapter tantivy writes for the same pair).
struct Automaton<'a>(&'a DFA);

impl fst::Automaton for Automaton<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// The library's written words and the lexeme of each (as text, so the words outlive a full
/// load, which numbers the lexemes anew). Words are only added: a word no resource has any more
/// corrects to a lexeme that matches nothing.
#[derive(Default)]
pub struct Surface {
    lexeme_of: HashMap<Box<str>, Box<str>>,
    map: OnceLock<Words>,
}

/// The written words in byte order as an `fst` (each word's value its place), and their lexemes.
type Words = (fst::Map<Vec<u8>>, Vec<Box<str>>);

impl Surface {
    /// Adds a written word (lower case) and its lexeme.
    pub fn add(&mut self, word: String, lexeme: String) {
        if self.lexeme_of.get(word.as_str()).map(|l| &**l) != Some(lexeme.as_str()) {
            self.lexeme_of.insert(word.into_boxed_str(), lexeme.into_boxed_str());
            self.map = OnceLock::new();
        }
    }

    /// The lexeme Postgres makes of a written word (lower case), when the library has the word.
    pub fn lexeme(&self, word: &str) -> Option<&str> {
        self.lexeme_of.get(word).map(|l| &**l)
    }

    /// How many written words there are.
    pub fn words(&self) -> usize {
        self.lexeme_of.len()
    }

    fn map(&self) -> &Words {
        self.map.get_or_init(|| {
            let mut entries: Vec<(&str, &str)> = self.lexeme_of.iter().map(|(k, v)| (&**k, &**v)).collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let lexemes = entries.iter().map(|(_, l)| Box::from(*l)).collect();
            let map = fst::Map::from_iter(entries.iter().enumerate().map(|(i, (k, _))| (*k, i as u64)))
                .expect("sorted, distinct keys");
            (map, lexemes)
        })
    }

    /// The written words within the allowed edits of `typed` (or, for a `prefix`, that start
    /// with something within them), each with its lexeme and its distance; `typed` itself
    /// excluded.
    pub fn near(&self, typed: &str, prefix: bool) -> Vec<(String, &str, u8)> {
        let edits = allowed_edits(typed.chars().count());
        if edits == 0 || self.lexeme_of.is_empty() {
            return Vec::new();
        }
        let builder = if edits == 1 { &*ONE_EDIT } else { &*TWO_EDITS };
        let dfa = if prefix { builder.build_prefix_dfa(typed) } else { builder.build_dfa(typed) };
        let (map, lexemes) = self.map();
        let mut stream = map.search(Automaton(&dfa)).into_stream();
        let mut out = Vec::new();
        while let Some((word, place)) = stream.next() {
            let distance = match dfa.eval(word) {
                Distance::Exact(d) => d,
                Distance::AtLeast(d) => d,
            };
            if word != typed.as_bytes() {
                out.push((String::from_utf8_lossy(word).into_owned(), &*lexemes[place as usize], distance));
            }
        }
        out
    }

    /// What the written words hold on the heap, in bytes.
    pub fn memory(&self) -> usize {
        self.lexeme_of.capacity() * (std::mem::size_of::<Box<str>>() + 5)
            + self.lexeme_of.keys().map(|k| k.len()).sum::<usize>()
            + self.lexeme_of.values().map(|v| v.len() + std::mem::size_of::<Box<str>>()).sum::<usize>()
            + self.map.get().map_or(0, |(m, l)| m.as_fst().size() + l.len() * std::mem::size_of::<Box<str>>())
    }
}

/// The query of `typo=true`: each operand widened by the lexemes of its corrections.
pub struct Corrected {
    /// The query's tree, a hyphenated word's phrase (`'anti-rac' <-> 'anti' <-> 'racism'`) reduced
    /// to the compound, so "anti-racism" also finds "antiracism" (a correction of the compound).
    pub root: Node,
    /// Per operand: its own lexemes, then those of its corrections.
    pub lexemes: Vec<Vec<u32>>,
    /// `q` with each word the library does not have replaced by its likeliest correction.
    pub query: Option<String>,
    /// Every word of the library a typed word was corrected to (what highlights mark too).
    pub words: Vec<String>,
}

/// The words as typed: runs between spaces and quotes, without the punctuation around them (a
/// hyphen inside stays), lower case, each with its place in the text.
fn tokens(typed: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in typed.char_indices().chain(std::iter::once((typed.len(), ' '))) {
        let boundary = c.is_whitespace() || c == '"';
        match (boundary, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let raw = &typed[s..i];
                let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric());
                if !trimmed.is_empty() {
                    let from = s + (raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len());
                    out.push((trimmed.to_lowercase(), from..from + trimmed.len()));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The typed word an operand came from: the one sharing the longest start with it.
fn source_of(tokens: &[(String, Range<usize>)], operand: &str) -> Option<usize> {
    let shared = |t: &str| t.chars().zip(operand.chars()).take_while(|(a, b)| a == b).count();
    let (best, n) =
        tokens.iter().enumerate().map(|(i, (t, _))| (i, shared(t))).max_by_key(|(i, n)| (*n, Reverse(*i)))?;
    (n > 0).then_some(best)
}

/// The leftmost operand of a phrase.
fn leftmost(node: &Node) -> Option<usize> {
    match node {
        Node::Operand(i) => Some(*i),
        Node::Phrase(l, _, _) => leftmost(l),
        _ => None,
    }
}

fn count_operands(node: &Node) -> usize {
    match node {
        Node::Operand(_) => 1,
        Node::Not(x) => count_operands(x),
        Node::And(l, r) | Node::Or(l, r) | Node::Phrase(l, r, _) => count_operands(l) + count_operands(r),
    }
}

/// `node` with the phrases Postgres makes of hyphenated words (the compound, then its parts)
/// reduced to the compound.
fn compounds(node: &Node, operands: &[String]) -> Node {
    match node {
        Node::Phrase(..) => match leftmost(node) {
            Some(first)
                if operands[first].contains('-')
                    && count_operands(node) == operands[first].matches('-').count() + 2 =>
            {
                Node::Operand(first)
            }
            _ => node.clone(),
        },
        Node::Not(x) => Node::Not(Box::new(compounds(x, operands))),
        Node::And(l, r) => Node::And(Box::new(compounds(l, operands)), Box::new(compounds(r, operands))),
        Node::Or(l, r) => Node::Or(Box::new(compounds(l, operands)), Box::new(compounds(r, operands))),
        Node::Operand(_) => node.clone(),
    }
}

impl Snapshot {
    /// The corrections of `typed` (the text of `query`): for each operand, the lexemes of the
    /// library's words within the allowed edits of the typed word it came from. `None` when no
    /// word has one.
    pub(super) fn corrections(&self, query: &TsQuery, resolved: &[Vec<u32>], typed: &str) -> Option<Corrected> {
        let root = query.root.as_ref()?;
        let tokens = tokens(typed);
        let mut lexemes = resolved.to_vec();
        let mut replaced: Vec<(Range<usize>, String)> = Vec::new();
        let mut words = Vec::new();
        let mut any = false;
        for (i, operand) in query.operands.iter().enumerate() {
            let Some(t) = source_of(&tokens, operand) else { continue };
            let near: Vec<(String, u32, u8)> = self
                .surface
                .near(&tokens[t].0, query.prefix[i])
                .into_iter()
                .filter_map(|(word, lexeme, d)| self.lexemes.get(lexeme).map(|id| (word, *id, d)))
                .collect();
            let before = lexemes[i].len();
            for (word, lexeme, _) in &near {
                if !lexemes[i].contains(lexeme) {
                    lexemes[i].push(*lexeme);
                    words.push(word.clone());
                }
            }
            if lexemes[i].len() == before {
                continue;
            }
            any = true;
            let unknown = resolved[i].iter().all(|l| self.postings[*l as usize].is_empty());
            if unknown && !query.prefix[i] && !replaced.iter().any(|(r, _)| *r == tokens[t].1) {
                let likeliest = near.iter().min_by_key(|(_, l, d)| (*d, Reverse(self.postings[*l as usize].len())));
                if let Some((word, _, _)) = likeliest {
                    replaced.push((tokens[t].1.clone(), word.clone()));
                }
            }
        }
        if !any {
            return None;
        }
        let query_text = (!replaced.is_empty()).then(|| {
            replaced.sort_by_key(|(r, _)| r.start);
            let mut out = String::new();
            let mut at = 0;
            for (range, word) in &replaced {
                out.push_str(&typed[at..range.start]);
                out.push_str(word);
                at = range.end;
            }
            out.push_str(&typed[at..]);
            out.trim().to_string()
        });
        Some(Corrected { root: compounds(root, &query.operands), lexemes, query: query_text, words })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_found_within_meilisearchs_edits() {
        let mut surface = Surface::default();
        for word in ["community", "communities", "health", "healthy", "heal", "partnerships", "equity"] {
            surface.add(word.to_string(), format!("{word}-lexeme"));
        }
        let words = |typed: &str, prefix: bool| -> Vec<String> {
            let mut w: Vec<String> = surface.near(typed, prefix).into_iter().map(|(w, _, _)| w).collect();
            w.sort();
            w
        };
        assert_eq!(words("comunity", false), ["community"], "one edit in 8 characters");
        assert_eq!(words("helth", false), ["health"]);
        assert_eq!(words("hlth", false), Vec::<String>::new(), "4 characters: no typo allowed");
        assert_eq!(words("parnterships", false), ["partnerships"], "a transposition in 12 characters");
        assert_eq!(words("eqiuty", false), ["equity"], "a transposition is one edit");
        assert_eq!(words("commnit", true), ["communities", "community"], "a prefix within one edit");
        assert_eq!(words("health", false), ["healthy"], "the word itself is not a correction");
    }

    #[test]
    fn typed_words_keep_inner_hyphens_and_their_places() {
        let typed = "  -Anti-racism \"helth equity\", comunity";
        let t = tokens(typed);
        let words: Vec<&str> = t.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["anti-racism", "helth", "equity", "comunity"]);
        assert_eq!(&typed[t[1].1.clone()], "helth");
        assert_eq!(source_of(&t, "equiti"), Some(2));
        assert_eq!(source_of(&t, "anti-rac"), Some(0));
        assert_eq!(source_of(&t, "comun"), Some(3));
    }

    #[test]
    fn a_hyphenated_words_phrase_is_reduced_to_the_compound() {
        let q = TsQuery::parse("'anti-rac' <-> 'anti' <-> 'racism' & 'train'").unwrap();
        let reduced = compounds(q.root.as_ref().unwrap(), &q.operands);
        assert_eq!(reduced, Node::And(Box::new(Node::Operand(0)), Box::new(Node::Operand(3))));
        let phrase = TsQuery::parse("'communiti' <-> 'health'").unwrap();
        assert_eq!(compounds(phrase.root.as_ref().unwrap(), &phrase.operands), phrase.root.unwrap());
    }
}
