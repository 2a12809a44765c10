//! The layout holds: shared modules import no feature, no feature imports the assembly above it or
//! another feature's handlers, features depend on each other without cycles, and every feature
//! has its rooms flat. Read from the source, so a change that breaks the shape fails CI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Below every feature: what features are built on.
const SHARED: &[&str] = &[
    "allocator",
    "auth",
    "config",
    "crypto",
    "db",
    "error",
    "extract",
    "forms",
    "index",
    "jobs",
    "metrics",
    "middleware",
    "openapi",
    "problems",
    "ratelimit",
    "state",
    "telemetry",
    "values",
];

/// Above every feature: the assembly of the service.
const ABOVE: &[&str] = &["app", "cli", "lib", "main", "reference", "routes", "seed", "startup"];

/// Files a feature may have besides its five rooms: seeds, and format encoders named for their format.
const EXTRA_FILES: &[&str] = &[
    "seed.rs",
    // resources: the generator of the demo and bench abstracts (SQL, run by seed.rs).
    "abstracts.sql",
    // citations: the formats a citation is written in.
    "atom.rs",
    "bibtex.rs",
    "ris.rs",
    // oai: OAI-PMH's arguments, resumption tokens and XML.
    "args.rs",
    "token.rs",
    "xml.rs",
    // editions: an edition's local time (its time zone).
    "time.rs",
    // resources: the caches of served cards above the index.
    "cache.rs",
    // privacy: the retention periods it applies in the background.
    "retention.rs",
    // partners: the key store and the public reads' limiter.
    "keys.rs",
    "limits.rs",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level module a file belongs to (`src/editions/routes.rs` -> `editions`).
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(src()).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::a::b` path a source text names, `use crate::{a::b, c}` groups included, as
/// (`a`, `b`) pairs (`b` empty when the path stops at the module).
fn crate_paths(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(split(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            found.push(split(rest));
        }
    }
    found.retain(|(module, _)| !module.is_empty());
    found
}

fn split(path: &str) -> (String, String) {
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let path = path.trim_start();
    let module = ident(path);
    let next = path[module.len()..].strip_prefix("::").map(ident).unwrap_or_default();
    (module, next)
}

struct Layout {
    /// module -> the modules it names, with the second segment of each path.
    imports: BTreeMap<String, BTreeSet<(String, String)>>,
    features: BTreeSet<String>,
}

fn layout() -> Layout {
    let mut imports: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for file in rust_files(&src()) {
        let text = std::fs::read_to_string(&file).unwrap();
        let module = module_of(&file);
        let entry = imports.entry(module.clone()).or_default();
        for (to, second) in crate_paths(&text) {
            if to != module {
                entry.insert((to, second));
            }
        }
    }
    let features =
        imports.keys().filter(|m| !SHARED.contains(&m.as_str()) && !ABOVE.contains(&m.as_str())).cloned().collect();
    Layout { imports, features }
}

#[test]
fn shared_modules_import_no_feature_and_nothing_above() {
    let layout = layout();
    for module in SHARED {
        for (to, second) in layout.imports.get(*module).into_iter().flatten() {
            assert!(
                !layout.features.contains(to) && !ABOVE.contains(&to.as_str()),
                "the shared module `{module}` imports `crate::{to}::{second}`"
            );
        }
    }
}

#[test]
fn features_import_neither_the_assembly_nor_another_features_handlers() {
    let layout = layout();
    for feature in &layout.features {
        for (to, second) in &layout.imports[feature] {
            assert!(!ABOVE.contains(&to.as_str()), "the feature `{feature}` imports `crate::{to}`");
            assert!(
                !(layout.features.contains(to) && second == "routes"),
                "the feature `{feature}` calls the handlers of `{to}`"
            );
        }
    }
}

#[test]
fn features_depend_on_each_other_without_cycles() {
    let layout = layout();
    let edges: BTreeMap<&String, BTreeSet<&String>> = layout
        .features
        .iter()
        .map(|f| (f, layout.imports[f].iter().map(|(to, _)| to).filter(|to| layout.features.contains(*to)).collect()))
        .collect();
    // Depth-first search for a path back to where it started.
    fn reaches<'a>(
        edges: &BTreeMap<&'a String, BTreeSet<&'a String>>,
        from: &'a String,
        target: &String,
        seen: &mut BTreeSet<&'a String>,
    ) -> bool {
        edges[from].iter().any(|next| *next == target || (seen.insert(next) && reaches(edges, next, target, seen)))
    }
    for feature in &layout.features {
        assert!(
            !reaches(&edges, feature, feature, &mut BTreeSet::new()),
            "the feature `{feature}` depends on itself through {:?}",
            edges[feature]
        );
    }
}

#[test]
fn every_feature_has_its_rooms_flat() {
    let layout = layout();
    for feature in &layout.features {
        let dir = src().join(feature);
        assert!(dir.is_dir(), "the feature `{feature}` is a directory");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert!(!path.is_dir(), "the feature `{feature}` nests `{name}/`: rooms are flat");
            let room =
                ["mod.rs", "routes.rs", "service.rs", "queries.rs", "model.rs", "json.rs"].contains(&name.as_str());
            assert!(room || EXTRA_FILES.contains(&name.as_str()), "`src/{feature}/{name}` is not one of the rooms");
        }
        assert!(dir.join("routes.rs").exists(), "the feature `{feature}` has no routes.rs");
    }
}

#[test]
fn the_reader_of_paths_sees_groups() {
    let text = "use crate::{a::b, c::{d, e}, f};\nlet x = crate::g::h(1);";
    let paths = crate_paths(text);
    assert_eq!(
        paths,
        [("a", "b"), ("c", ""), ("f", ""), ("g", "h")].map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
    );
}
