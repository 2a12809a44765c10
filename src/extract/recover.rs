//! Every shape problem of a body or query in one answer. serde stops at the first missing or
//! mistyped field, so the extractors deserialise, note the error, repair that one place in the
//! parsed input (remove the value, or put a stand-in of a type that fits) and deserialise again,
//! until the request type comes out. Then its `validator` rules run, and their errors on fields
//! that were already refused, or that hold a stand-in, are dropped.
//!
//! Why this rather than validating against the type's OpenAPI schema (e.g. with `jsonschema`):
//! serde stays the one judge of what is valid, so a request it accepts is answered exactly as
//! before (it is tried first, untouched) and no message or code can disagree with what the
//! handler would have refused; custom `Deserialize` code (`trimmed`, enums, dates, ids) needs no
//! schema twin; and the stand-ins give a value of the request type, which the schema route does
//! not, so the `validator` rules of the fields that did parse run in the same answer. The cost is
//! a few extra deserialisations of a small body, on the error path only.

use serde_json::{json, Value};

use crate::error::FieldError;

/// A bound on deserialisation rounds: each finds one problem or tries one stand-in.
const MAX_ROUNDS: usize = 256;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path as fields are named in answers: `authors[2]`, `nested.count`, `` for the body itself.
pub fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `field` is `base` or lies inside it (`base.x`, `base[1]`).
pub fn is_within(field: &str, base: &str) -> bool {
    field == base
        || (!base.is_empty()
            && field.strip_prefix(base).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('[')))
}

/// A place in the input that was refused, and the stand-ins tried there: `None` removes it.
pub struct Repair<V> {
    pub name: String,
    tried: usize,
    candidates: Vec<Option<V>>,
}

impl<V: Clone + PartialEq> Repair<V> {
    /// `removable`: whether leaving the value out is worth a try (it is not for a missing field).
    pub fn new(name: String, removable: bool, fillers: Vec<V>) -> Self {
        let mut candidates: Vec<Option<V>> = if removable { vec![None] } else { Vec::new() };
        candidates.extend(fillers.into_iter().map(Some));
        Self { name, tried: 0, candidates }
    }

    pub fn current(&self) -> Option<&Option<V>> {
        self.candidates.get(self.tried)
    }

    /// The next stand-in after the current one failed; `None` when none is left.
    pub fn advance(&mut self) -> Option<&Option<V>> {
        self.tried += 1;
        self.current()
    }

    /// A value the error message names as expected (an enum's first variant) is tried next.
    pub fn hint(&mut self, value: V) {
        let value = Some(value);
        let end = (self.tried + 1).min(self.candidates.len());
        if self.candidates[..end].contains(&value) {
            return;
        }
        self.candidates.retain(|c| c != &value);
        self.candidates.insert(end.min(self.candidates.len()), value);
    }
}

/// The first allowed word in serde's "expected one of `a`, `b`" or "expected `a` or `b`".
pub fn expected_word(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("expected one of `").or_else(|| message.split_once("expected `"))?;
    rest.split('`').next().filter(|w| !w.is_empty())
}

/// JSON stand-ins, one of which fits most field types: text, numbers, booleans, lists, objects,
/// and the text forms of emails, URLs, dates, times and ids.
fn json_fillers() -> Vec<Value> {
    vec![
        json!(""),
        json!(0),
        json!(false),
        json!([]),
        json!({}),
        Value::Null,
        json!("x"),
        json!("a@example.org"),
        json!("https://example.org"),
        json!("1970-01-01"),
        json!("1970-01-01T00:00:00Z"),
        json!("1970-01-01T00:00:00"),
        json!("00:00:00"),
        json!("00000000-0000-0000-0000-000000000000"),
    ]
}

/// Query-string stand-ins.
pub fn query_fillers() -> Vec<String> {
    ["0", "1", "false", "", "x", "1970-01-01", "00000000-0000-0000-0000-000000000000"].map(String::from).to_vec()
}

/// What one failed deserialisation says: where, and the entry for the answer.
pub struct Failure {
    pub target: Vec<Seg>,
    pub entry: FieldError,
    pub message: String,
    pub missing: bool,
    pub unknown: bool,
}

/// Deserialises `doc` into `T`, collecting one entry per refused place (`found` may hold entries
/// already made, with their `repairs`). Returns the value when the stand-ins made one, the
/// entries, and the names of every place that was refused or holds a stand-in.
pub fn deserialize_json<T: serde::de::DeserializeOwned>(
    mut doc: Value,
    mut found: Vec<FieldError>,
    mut repairs: Vec<(Vec<Seg>, Repair<Value>)>,
    describe: impl Fn(&[Seg], &str) -> Failure,
) -> (Option<T>, Vec<FieldError>, Vec<String>) {
    let names = |repairs: &[(Vec<Seg>, Repair<Value>)]| repairs.iter().map(|(_, r)| r.name.clone()).collect();
    for _ in 0..MAX_ROUNDS {
        let err = match serde_path_to_error::deserialize::<_, T>(doc.clone()) {
            Ok(value) => return (Some(value), found, names(&repairs)),
            Err(err) => err,
        };
        let Some(path) = segments(err.path()) else { return (None, found, names(&repairs)) };
        let failure = describe(&path, &err.into_inner().to_string());
        let name = display(&failure.target);
        let hint = expected_word(&failure.message).filter(|_| !failure.unknown).map(|w| json!(w));
        let applied = if let Some((target, repair)) = repairs.iter_mut().find(|(_, r)| r.name == name) {
            // A stand-in (or the removal) did not fit: try the next one.
            if let Some(h) = hint {
                repair.hint(h);
            }
            repair.advance().cloned().is_some_and(|c| put(&mut doc, target, c))
        } else {
            if !repairs.iter().any(|(_, r)| is_within(&name, &r.name)) {
                found.push(failure.entry);
            }
            if failure.target.is_empty() {
                // The body itself has the wrong shape (an array for an object): nothing to repair.
                return (None, found, names(&repairs));
            }
            let removable = !failure.missing && !matches!(failure.target.last(), Some(Seg::Index(_)));
            let fillers = if failure.unknown { Vec::new() } else { json_fillers() };
            let mut repair = Repair::new(name, removable, fillers);
            if let Some(h) = hint {
                repair.hint(h);
            }
            let ok = repair.current().cloned().is_some_and(|c| put(&mut doc, &failure.target, c));
            repairs.push((failure.target, repair));
            ok
        };
        if !applied {
            break;
        }
    }
    (None, found, names(&repairs))
}

/// serde_path_to_error's path as steps; `None` when a step is unknown.
pub fn segments(path: &serde_path_to_error::Path) -> Option<Vec<Seg>> {
    use serde_path_to_error::Segment;
    path.iter()
        .map(|seg| match seg {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => Some(Seg::Key(key.clone())),
            Segment::Unknown => None,
        })
        .collect()
}

/// Sets (or with `None` removes) the value at `path`; false when the path leads nowhere.
fn put(doc: &mut Value, path: &[Seg], value: Option<Value>) -> bool {
    let Some((last, parents)) = path.split_last() else { return false };
    let mut at = doc;
    for seg in parents {
        let next = match (seg, at) {
            (Seg::Key(k), Value::Object(map)) => map.get_mut(k),
            (Seg::Index(i), Value::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else { return false };
        at = next;
    }
    match (last, at, value) {
        (Seg::Key(k), Value::Object(map), None) => map.remove(k).is_some(),
        (Seg::Key(k), Value::Object(map), Some(v)) => {
            map.insert(k.clone(), v);
            true
        }
        (Seg::Index(i), Value::Array(items), Some(v)) if *i < items.len() => {
            items[*i] = v;
            true
        }
        _ => false,
    }
}

/// Every string value or object key holding NUL, by path (PostgreSQL cannot store them).
pub fn nul_paths(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match value {
        Value::String(s) if s.contains('\0') => out.push(path.clone()),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                nul_paths(v, path, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Seg::Key(k.clone()));
                if k.contains('\0') {
                    out.push(path.clone());
                } else {
                    nul_paths(v, path, out);
                }
                path.pop();
            }
        }
        _ => {}
    }
}

/// A first repair for a place refused before deserialising (a NUL): leave it out.
pub fn removal(doc: &mut Value, path: &[Seg]) -> Repair<Value> {
    let removable = !matches!(path.last(), Some(Seg::Index(_)));
    let repair = Repair::new(display(path), removable, json_fillers());
    if let Some(first) = repair.current().cloned() {
        put(doc, path, first);
    }
    repair
}
