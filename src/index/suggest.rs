//! As-you-type suggestions over published titles: the words of every title (folded: lower case,
//! accents and ligatures spelt out by `deunicode`, so `muller` finds "Müller") with the titles
//! each word is in, an `fst` of those words for what a prefix starts, and the titles in a
//! "best first" order. A query's words must each be a word of the title, all whole except the
//! last, which may be the start of one (unless a space follows it). What matched is reported as
//! ranges of Unicode scalar values in the title, so the website can bold them.
//!
//! Words are split here rather than by Postgres's parser: a suggestion matches what was typed
//! letter for letter (no stemming: `communit` must find "Community"), which is what the parser's
//! lexemes cannot give.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use fst::{Automaton, IntoStreamer, Streamer};
use roaring::RoaringBitmap;

/// A span of a text in Unicode scalar values: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// One word of a text: where it is and its folded form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: Span,
    pub key: String,
}

/// A character folded for matching: lower case, with accents and ligatures spelt out in ASCII.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        for f in deunicode::deunicode_char(c).unwrap_or("").chars().filter(|c| c.is_alphanumeric()) {
            out.push(f.to_ascii_lowercase());
        }
    }
}

/// The folded form of a word.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    word.chars().for_each(|c| fold_char(c, &mut out));
    out
}

/// The words of `text`: maximal runs of letters and digits, with their spans.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<(u32, usize)> = None;
    let mut chars = 0u32;
    for (byte, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some((chars, byte)),
            (false, Some((s, b))) => {
                out.push(Word { span: Span { start: s, end: chars }, key: fold(&text[b..byte]) });
                start = None;
            }
            _ => {}
        }
        chars += 1;
    }
    if let Some((s, b)) = start {
        out.push(Word { span: Span { start: s, end: chars }, key: fold(&text[b..]) });
    }
    out.retain(|w| !w.key.is_empty());
    out
}

/// What was typed: whole words and, unless the text ends in a space or punctuation, a last word
/// that may be the start of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    pub whole: Vec<String>,
    pub prefix: Option<String>,
}

impl Typed {
    pub fn new(q: &str) -> Self {
        let mut whole: Vec<String> = words(q).into_iter().map(|w| w.key).collect();
        let open = q.chars().last().is_some_and(char::is_alphanumeric);
        let prefix = if open { whole.pop() } else { None };
        Self { whole, prefix }
    }

    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.prefix.is_none()
    }

    /// Where the typed words match in `text` (none when one of them does not): every
    /// occurrence of a whole word, and the typed part of every word the prefix starts.
    pub fn matches(&self, text: &str) -> Option<Vec<Span>> {
        let words = words(text);
        let mut spans = Vec::new();
        for typed in &self.whole {
            let before = spans.len();
            spans.extend(words.iter().filter(|w| &w.key == typed).map(|w| w.span));
            if spans.len() == before {
                return None;
            }
        }
        if let Some(prefix) = &self.prefix {
            let before = spans.len();
            for w in words.iter().filter(|w| w.key.starts_with(prefix.as_str())) {
                spans.push(Span { start: w.span.start, end: w.span.start + typed_chars(text, w.span, prefix) });
            }
            if spans.len() == before {
                return None;
            }
        }
        spans.sort_by_key(|s| (s.start, s.end));
        spans.dedup_by(|b, a| {
            b.start < a.end && {
                a.end = a.end.max(b.end);
                true
            }
        });
        Some(spans)
    }
}

/// How many characters of the word at `span` in `text` the folded `prefix` covers.
fn typed_chars(text: &str, span: Span, prefix: &str) -> u32 {
    let mut folded = String::new();
    let mut taken = 0;
    for c in text.chars().skip(span.start as usize).take((span.end - span.start) as usize) {
        if folded.len() >= prefix.len() {
            break;
        }
        fold_char(c, &mut folded);
        taken += 1;
    }
    taken
}

/// The words of every published title.
#[derive(Default)]
pub struct TitleWords {
    /// Titles (slots) by folded word.
    by_word: HashMap<Box<str>, RoaringBitmap>,
    /// Titles by their first word.
    by_first: HashMap<Box<str>, RoaringBitmap>,
    /// The words as an `fst` set, built by the first prefix after a word was added.
    lexicon: OnceLock<fst::Set<Vec<u8>>>,
    /// What each short prefix (one or two letters, the first keystrokes) starts, made on first
    /// use and forgotten at any change: their unions are the costly ones.
    short: std::sync::Mutex<HashMap<String, Arc<Started>>>,
}

/// The titles holding a word a prefix starts (`titles`), those whose first word it starts
/// (`firsts`), and, for a short prefix typed alone, its best titles (made on first use).
pub struct Started {
    pub titles: RoaringBitmap,
    pub firsts: RoaringBitmap,
    /// Up to `MOST_SUGGESTED` slots, best first: what a first keystroke is answered from.
    pub alone: OnceLock<Vec<u32>>,
}

/// The most titles one answer suggests (the query's `limit` is at most this).
pub const MOST_SUGGESTED: usize = 20;

/// A prefix of one or two letters: the first keystrokes, whose answers are kept.
pub fn is_short(prefix: &str) -> bool {
    prefix.len() <= 2
}

impl TitleWords {
    pub fn add(&mut self, slot: u32, title: &str) {
        self.short.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        let words = words(title);
        if let Some(first) = words.first() {
            self.by_first.entry(first.key.as_str().into()).or_default().insert(slot);
        }
        for w in words {
            let bitmap = match self.by_word.get_mut(w.key.as_str()) {
                Some(bitmap) => bitmap,
                None => {
                    self.lexicon = OnceLock::new();
                    self.by_word.entry(w.key.into_boxed_str()).or_default()
                }
            };
            bitmap.insert(slot);
        }
    }

    pub fn remove(&mut self, slot: u32, title: &str) {
        self.short.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        let words = words(title);
        if let Some(first) = words.first() {
            if let Some(b) = self.by_first.get_mut(first.key.as_str()) {
                b.remove(slot);
            }
        }
        for w in words {
            if let Some(b) = self.by_word.get_mut(w.key.as_str()) {
                b.remove(slot);
            }
        }
    }

    fn lexicon(&self) -> &fst::Set<Vec<u8>> {
        self.lexicon.get_or_init(|| {
            let mut keys: Vec<&str> = self.by_word.keys().map(|k| &**k).collect();
            keys.sort_unstable();
            fst::Set::from_iter(keys).expect("sorted, distinct keys")
        })
    }

    /// The words `prefix` starts.
    fn started_by(&self, prefix: &str) -> Vec<String> {
        let mut stream = self.lexicon().search(fst::automaton::Str::new(prefix).starts_with()).into_stream();
        let mut out = Vec::new();
        while let Some(key) = stream.next() {
            out.push(String::from_utf8_lossy(key).into_owned());
        }
        out
    }

    fn union<'a>(bitmaps: impl Iterator<Item = &'a RoaringBitmap>) -> RoaringBitmap {
        bitmaps.fold(RoaringBitmap::new(), |acc, b| acc | b)
    }

    /// What `prefix` starts; kept for one- and two-letter prefixes (the first keystrokes),
    /// whose unions are the costly ones.
    pub fn started_by_prefix(&self, prefix: &str) -> Arc<Started> {
        let unions = || {
            let words = self.started_by(prefix);
            let titles = Self::union(words.iter().filter_map(|w| self.by_word.get(w.as_str())));
            let firsts = Self::union(words.iter().filter_map(|w| self.by_first.get(w.as_str())));
            Arc::new(Started { titles, firsts, alone: OnceLock::new() })
        };
        if !is_short(prefix) {
            return unions();
        }
        let mut short = self.short.lock().unwrap_or_else(|e| e.into_inner());
        short.entry(prefix.to_string()).or_insert_with(unions).clone()
    }

    /// The (published) titles that hold every typed word, and among them those whose first word
    /// is the first typed one (they come first).
    pub fn candidates(&self, typed: &Typed) -> (RoaringBitmap, RoaringBitmap) {
        let mut all: Option<RoaringBitmap> = None;
        for word in &typed.whole {
            match self.by_word.get(word.as_str()) {
                Some(b) => all = Some(all.map_or_else(|| b.clone(), |a| a & b)),
                None => return Default::default(),
            }
        }
        let started = typed.prefix.as_deref().map(|p| self.started_by_prefix(p));
        if let Some(started) = &started {
            all = Some(all.map_or_else(|| started.titles.clone(), |a| a & &started.titles));
        }
        let all = all.unwrap_or_default();
        let first = match (typed.whole.first(), started) {
            (Some(word), _) => self.by_first.get(word.as_str()).map_or_else(RoaringBitmap::new, |b| &all & b),
            (None, Some(started)) => &all & &started.firsts,
            (None, None) => RoaringBitmap::new(),
        };
        (all, first)
    }

    /// Frees what a full load over-allocated.
    pub fn shrink(&mut self) {
        self.by_word.shrink_to_fit();
        self.by_first.shrink_to_fit();
        self.by_word.values_mut().chain(self.by_first.values_mut()).for_each(|b| {
            b.optimize();
        });
    }

    /// What the words and their title lists hold on the heap, in bytes (as `MemoryUse` counts).
    pub fn memory(&self) -> usize {
        let bitmaps = |b: &RoaringBitmap| b.serialized_size() + std::mem::size_of::<RoaringBitmap>() + 8;
        self.by_word.iter().chain(&self.by_first).map(|(k, b)| k.len() + bitmaps(b)).sum::<usize>()
            + self.lexicon.get().map_or(0, |s| s.as_fst().size())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits_with_char_spans() {
        let w = words("Müller's “Anti-racism” 2020");
        let keys: Vec<&str> = w.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["muller", "s", "anti", "racism", "2020"]);
        assert_eq!(w[0].span, Span { start: 0, end: 6 });
        assert_eq!(w[2].span, Span { start: 10, end: 14 }, "counted in chars, not bytes");
    }

    #[test]
    fn the_last_word_is_a_prefix_until_a_space_follows_it() {
        assert_eq!(
            Typed::new("community heal"),
            Typed { whole: vec!["community".into()], prefix: Some("heal".into()) }
        );
        assert_eq!(
            Typed::new("community heal "),
            Typed { whole: vec!["community".into(), "heal".into()], prefix: None }
        );
        assert!(Typed::new("  - ").is_empty());
    }

    #[test]
    fn matches_are_whole_words_and_the_typed_part_of_the_prefix() {
        let typed = Typed::new("community heal");
        let spans = typed.matches("Community Health and community healing").unwrap();
        let s = |start, end| Span { start, end };
        assert_eq!(spans, [s(0, 9), s(10, 14), s(21, 30), s(31, 35)]);
        assert_eq!(typed.matches("Health of communities"), None, "`community` is a whole word");
        assert_eq!(Typed::new("mul").matches("Müller and Mulligan").unwrap(), [s(0, 3), s(11, 14)]);
        assert_eq!(Typed::new("strasse").matches("Straße").unwrap(), [s(0, 6)]);
    }
}
