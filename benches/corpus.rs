//! Shared by the benchmarks of every crate (included with `#[path]`): a
//! corpus of real Rust, the sources of the crates in the local cargo
//! registry, copied at run time (never committed), with usages injected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One injected usage in every this many files.
const INJECT_EVERY: usize = 20;

pub struct Corpus {
    /// Package-relative path (`src/corpus/000020.rs`) → path on disk.
    pub files: BTreeMap<PathBuf, PathBuf>,
    /// How many files got a `crate::py::math::sqrt(2.0)`.
    pub injected: usize,
    pub bytes: u64,
}

/// Copies the registry's `.rs` files, sorted by path, into `root/src/corpus/`
/// until `budget` bytes, with a usage (`crate::py::math::sqrt(2.0)`)
/// appended to every `INJECT_EVERY`th file.
pub fn build(root: &Path, budget: u64) -> Corpus {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cargo")
        });
    let mut sources: Vec<PathBuf> = Vec::new();
    for registry in std::fs::read_dir(home.join("registry/src")).expect("a local cargo registry") {
        collect_rust_files(&registry.unwrap().path(), &mut sources);
    }
    sources.sort();
    let mut corpus = Corpus {
        files: BTreeMap::new(),
        injected: 0,
        bytes: 0,
    };
    for (index, source) in sources.iter().enumerate() {
        if corpus.bytes >= budget {
            break;
        }
        let Ok(mut text) = std::fs::read_to_string(source) else {
            continue;
        };
        if index % INJECT_EVERY == 0 {
            text.push_str(&format!(
                "\nfn __snakegen_injected_{index}() {{ let _ = crate::py::math::sqrt(2.0); }}\n"
            ));
            corpus.injected += 1;
        }
        let relative = PathBuf::from(format!("src/corpus/{index:06}.rs"));
        let path = root.join(&relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        corpus.bytes += text.len() as u64;
        corpus.files.insert(relative, path);
    }
    assert!(
        corpus.bytes >= budget,
        "the registry holds only {} bytes of Rust",
        corpus.bytes
    );
    corpus
}

fn collect_rust_files(directory: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            out.push(path);
        }
    }
}
