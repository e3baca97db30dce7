//! A content-addressed cache of what introspection learnt, in
//! `target/snakegen/metadata/`. Each entry answers one requested path (or
//! one module's name index) and is keyed by everything its answer depends
//! on: the interpreter's identity, the library and its installed version,
//! the introspector's source, the member names worth describing, and the
//! path. A cheap probe (an interpreter
//! that imports nothing) tells the identity and versions; when every entry
//! is there, the libraries are never imported.
//!
//! The files are outside data by the time they are read (a crash, a disk,
//! a hand): an entry that is not exactly what `store` would write for its
//! item, with names the generator can spell, is discarded like a miss.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Answer, Request, SCRIPT, Unresolved};
use crate::metadata::{
    Item as SymbolItem, Symbol, is_dotted_path, is_python_identifier, result_classes,
};
use crate::util::fs;

pub struct MetadataCache {
    dir: PathBuf,
}

/// What one path's walk produced: every symbol on its way, or why it stops.
#[derive(Serialize, Deserialize)]
struct Entry {
    symbols: BTreeMap<String, Symbol>,
    unresolved: Option<Unresolved>,
}

/// What a requested item is: a path to walk, or a module to index.
#[derive(Clone, Copy)]
enum Item<'a> {
    Path(&'a str),
    Index(&'a str),
}

impl MetadataCache {
    pub fn new(dir: PathBuf) -> Self {
        MetadataCache { dir }
    }

    /// Nothing cached yet: a probe could only miss.
    pub fn is_empty(&self) -> bool {
        std::fs::read_dir(&self.dir).map_or(true, |mut entries| entries.next().is_none())
    }

    /// The full answer, if every requested item is cached for the
    /// interpreter and versions that `probe` describes.
    pub fn lookup(&self, probe: &Answer, request: &Request) -> Option<Answer> {
        let mut answer = Answer {
            python: probe.python.clone(),
            libraries: probe.libraries.clone(),
            symbols: BTreeMap::new(),
            unresolved: BTreeMap::new(),
        };
        // Index entries go last: their module symbol carries the names.
        for item in items(request) {
            let text = std::fs::read(self.file(probe, request, item)?).ok()?;
            let entry: Entry = serde_json::from_slice(&text).ok()?;
            if !entry.fits(item) {
                return None;
            }
            answer.symbols.extend(entry.symbols);
            if let (Item::Path(path), Some(unresolved)) = (item, entry.unresolved) {
                answer.unresolved.insert(path.to_owned(), unresolved);
            }
        }
        Some(answer)
    }

    /// Files each requested item's part of `answer`. Failing to write only
    /// costs a later run time, so errors are ignored.
    pub fn store(&self, answer: &Answer, request: &Request) {
        for item in items(request) {
            let Some(file) = self.file(answer, request, item) else {
                continue;
            };
            let (Item::Path(path) | Item::Index(path)) = item;
            let mut prefix = String::new();
            let mut symbols = BTreeMap::new();
            for segment in path.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(segment);
                if let Some(symbol) = answer.symbols.get(&prefix) {
                    symbols.insert(prefix.clone(), symbol.clone());
                }
                for class in result_classes(&answer.symbols, &prefix) {
                    symbols.insert(class.clone(), answer.symbols[&class].clone());
                }
            }
            let entry = Entry {
                symbols,
                unresolved: answer.unresolved.get(path).cloned(),
            };
            if let Ok(bytes) = serde_json::to_vec(&entry) {
                let _ = fs::write_atomic(&self.dir, &file, &bytes);
            }
        }
    }

    /// `None` when the library's version is unknown without importing it.
    fn file(&self, context: &Answer, request: &Request, item: Item) -> Option<PathBuf> {
        let (kind, path) = match item {
            Item::Path(path) => ("path", path),
            Item::Index(path) => ("index", path),
        };
        let library = path.split('.').next()?;
        let version = context.libraries.get(library)?.version.as_deref()?;
        let python = &context.python;
        let members: Vec<&str> = request.members.iter().map(String::as_str).collect();
        let key = format!(
            "{}\0{}\0{}\0{library}\0{version}\0{SCRIPT}\0{}\0{kind}\0{path}",
            python.implementation,
            python.version,
            python.platform,
            members.join(",")
        );
        let hash = crate::util::hash::sha256(key.as_bytes());
        Some(
            self.dir
                .join(format!("{}.json", hash.trim_start_matches("sha256:"))),
        )
    }
}

impl Entry {
    /// Whether this is what `store` writes for `item`: symbols only on the
    /// walk to its path (never another library's) or classes of a module
    /// on it (those its results are typed with), an unresolved segment only
    /// of a module on that walk, and every name an identifier.
    fn fits(&self, item: Item) -> bool {
        let (Item::Path(path) | Item::Index(path)) = item;
        let walk: Vec<&str> = path
            .match_indices('.')
            .map(|(end, _)| &path[..end])
            .chain([path])
            .collect();
        let on_walk = |key: &str| is_dotted_path(key) && walk.contains(&key);
        let beside_walk = |key: &str, symbol: &Symbol| {
            matches!(symbol.item, SymbolItem::Class(_))
                && key
                    .rsplit_once('.')
                    .is_some_and(|(module, name)| on_walk(module) && is_python_identifier(name))
        };
        self.symbols.iter().all(|(key, symbol)| {
            (on_walk(key) || beside_walk(key, symbol)) && symbol.first_invalid_name().is_none()
        }) && self.unresolved.as_ref().is_none_or(|unresolved| {
            on_walk(&unresolved.module)
                && is_python_identifier(&unresolved.name)
                && unresolved
                    .names
                    .iter()
                    .all(|name| is_python_identifier(name))
        })
    }
}

fn items(request: &Request) -> impl Iterator<Item = Item<'_>> {
    let paths = request.paths.iter().map(|path| Item::Path(path));
    paths.chain(request.indexes.iter().map(|path| Item::Index(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: serde_json::Value) -> Entry {
        serde_json::from_value(json).unwrap()
    }

    fn function(parameter: &str) -> serde_json::Value {
        serde_json::json!({
            "canonical": "math.sqrt", "doc": null, "kind": "function",
            "signature": {"source": "inspect", "fallbacks": [], "returns": null, "parameters": [
                {"name": parameter, "kind": "POSITIONAL_ONLY", "default": null, "annotation": null}
            ]}
        })
    }

    fn module() -> serde_json::Value {
        serde_json::json!({"canonical": "math", "doc": null, "kind": "module"})
    }

    #[test]
    fn an_entry_fits_only_its_own_walk() {
        let item = Item::Path("math.sqrt");
        let good = serde_json::json!({"symbols": {"math": module(), "math.sqrt": function("x")}, "unresolved": null});
        assert!(entry(good).fits(item));
        let other_library =
            serde_json::json!({"symbols": {"os.getcwd": function("x")}, "unresolved": null});
        assert!(!entry(other_library).fits(item));
        let empty_segment =
            serde_json::json!({"symbols": {"math.": function("x")}, "unresolved": null});
        assert!(!entry(empty_segment).fits(Item::Path("math.")));
        let bad_parameter =
            serde_json::json!({"symbols": {"math.sqrt": function("x*")}, "unresolved": null});
        assert!(!entry(bad_parameter).fits(item));
    }

    #[test]
    fn an_unresolved_segment_names_a_module_on_the_walk() {
        let unresolved = |of: &str, name: &str| {
            entry(serde_json::json!({
                "symbols": {"math": module()},
                "unresolved": {"module": of, "name": name, "names": ["sqrt"]},
            }))
        };
        assert!(unresolved("math", "sqrtt").fits(Item::Path("math.sqrtt")));
        assert!(!unresolved("os", "sqrtt").fits(Item::Path("math.sqrtt")));
        assert!(!unresolved("math", "sq rt").fits(Item::Path("math.sqrtt")));
    }
}
