//! The scan pass over a whole package: every file in parallel, each one's
//! result cached in `target/snakegen/` by content, so a warm run parses
//! nothing that did not change.
//!
//! A file is trusted unchanged when its size and mtime match the cache, as
//! cargo trusts mtimes; a file written within a clock tick of being
//! scanned (mtime is coarse) is hashed instead. Files whose stamp changed are
//! read and hashed, and parsed only if their bytes changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::metadata::{is_dotted_path, is_python_identifier, library_of};
use crate::scan::sources::SourceFiles;
use crate::scan::{self, FileScan, ScanTarget, Usage};
use crate::util::fs::{self, IoError};
use crate::util::hash::sha256;

/// Edits to the scanner invalidate every cached result.
const SCANNER_SOURCE: [&str; 3] = [
    include_str!("mod.rs"),
    include_str!("imports.rs"),
    include_str!("unscanned.rs"),
];

/// What the scan pass found in a whole package.
#[derive(Debug)]
pub struct PackageScan {
    pub usages: Vec<Usage>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    /// Every method name called anywhere in the package.
    pub methods: BTreeSet<String>,
    /// How many files were parsed (the rest came from the cache).
    pub parsed: usize,
}

/// Whether this run may write the cache (`--check` writes nothing).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CacheMode {
    ReadWrite,
    ReadOnly,
}

/// The cache as written: each file's method names are indexes into one
/// table, since most files call the same few hundred (`clone`, `map`), and
/// a warm run then reads and merges numbers instead of strings.
#[derive(Serialize, Deserialize, Default)]
struct Cache {
    fingerprint: String,
    /// Every method name the files below call, once, sorted.
    names: Vec<String>,
    files: BTreeMap<String, Entry>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    size: u64,
    /// Nanoseconds since the epoch; 0 when too recent to trust.
    mtime: u64,
    hash: String,
    usages: Vec<Usage>,
    diagnostics: Vec<Diagnostic>,
    /// Indexes into `Cache::names`.
    methods: Vec<u32>,
}

impl Entry {
    fn is_plausible(&self, relative: &str, target: &ScanTarget, names: usize) -> bool {
        let usages = self.usages.iter().all(|usage| {
            is_dotted_path(&usage.path)
                && library_of(&usage.path) == usage.library
                && target.libraries.contains(&usage.library)
                && usage.location.file == relative
        });
        usages && self.methods.iter().all(|&index| (index as usize) < names)
    }
}

/// The method names of a run: the cache's table, then the names of the
/// files parsed in this run.
struct Names {
    names: Vec<String>,
    /// Filled on the first name added.
    indexes: BTreeMap<String, u32>,
}

impl Names {
    fn indexes_of(&mut self, methods: BTreeSet<String>) -> Vec<u32> {
        if self.indexes.is_empty() {
            self.indexes = (0..)
                .zip(&self.names)
                .map(|(index, name)| (name.clone(), index))
                .collect();
        }
        methods
            .into_iter()
            .map(|name| {
                let next = self.names.len() as u32;
                *self.indexes.entry(name).or_insert_with_key(|name| {
                    self.names.push(name.clone());
                    next
                })
            })
            .collect()
    }

    /// The names `files` use, sorted, each file's indexes renumbered to
    /// match: what the cache keeps.
    fn compact(self, files: &mut BTreeMap<String, Entry>) -> Vec<String> {
        let mut used = vec![false; self.names.len()];
        for entry in files.values() {
            for &index in &entry.methods {
                used[index as usize] = true;
            }
        }
        let mut kept: Vec<u32> = (0..self.names.len() as u32)
            .filter(|&index| used[index as usize])
            .collect();
        kept.sort_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        let mut renumbered = vec![0; self.names.len()];
        for (new, &old) in (0..).zip(&kept) {
            renumbered[old as usize] = new;
        }
        for entry in files.values_mut() {
            for index in &mut entry.methods {
                *index = renumbered[*index as usize];
            }
            entry.methods.sort_unstable();
        }
        let mut names = self.names;
        kept.into_iter()
            .map(|index| std::mem::take(&mut names[index as usize]))
            .collect()
    }
}

/// Scans `files` with the cache at `cache_path`.
pub fn scan_files(
    files: &SourceFiles,
    target: &ScanTarget,
    cache_path: &Path,
    mode: CacheMode,
) -> Result<PackageScan, IoError> {
    let fingerprint = fingerprint(target);
    let mut cache = std::fs::read(cache_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
        .filter(|cache| cache.fingerprint == fingerprint)
        // The cache is a file anyone can edit: a name or an entry the
        // scanner could not have written is scanned again, not trusted.
        .filter(|cache| cache.names.iter().all(|name| is_python_identifier(name)))
        .unwrap_or_default();
    let known = cache.names.len();
    cache
        .files
        .retain(|relative, entry| entry.is_plausible(relative, target, known));
    let mut names = Names {
        names: std::mem::take(&mut cache.names),
        indexes: BTreeMap::new(),
    };

    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut stale = Vec::new();
    for (relative, path) in files {
        let relative = fs::relative(Path::new(""), relative);
        let stamp = stamp(path)?;
        match cache.files.remove(&relative) {
            Some(entry) if entry.mtime != 0 && (entry.size, entry.mtime) == stamp => {
                entries.insert(relative, entry);
            }
            previous => stale.push((relative, path, previous)),
        }
    }
    let parsed = AtomicUsize::new(0);
    // Each refreshed entry, with the method names of a parsed file (its
    // indexes are only known once they join the table, one at a time).
    let refreshed = in_parallel(&stale, |(relative, path, previous)| {
        let (size, mtime) = stamp(path)?;
        if size > MAX_SCANNED_BYTES {
            let file = scan::too_large(relative, size, MAX_SCANNED_BYTES);
            let entry = Entry {
                size,
                mtime: 0,
                hash: String::new(),
                usages: file.usages,
                diagnostics: file.diagnostics,
                methods: Vec::new(),
            };
            return Ok((relative.clone(), entry, file.methods));
        }
        let bytes = std::fs::read(path).map_err(IoError::at(path))?;
        let hash = sha256(&bytes);
        let mtime = if recent(mtime) { 0 } else { mtime };
        if let Some(previous) = previous.as_ref().filter(|previous| previous.hash == hash) {
            let entry = Entry {
                size,
                mtime,
                ..previous.clone()
            };
            return Ok((relative.clone(), entry, BTreeSet::new()));
        }
        parsed.fetch_add(1, Ordering::Relaxed);
        let file = scan_guarded(relative, &bytes, target);
        let entry = Entry {
            size,
            mtime,
            hash,
            usages: file.usages,
            diagnostics: file.diagnostics,
            methods: Vec::new(),
        };
        Ok((relative.clone(), entry, file.methods))
    })?;
    let changed = !refreshed.is_empty() || !cache.files.is_empty();
    for (relative, mut entry, methods) in refreshed {
        if !methods.is_empty() {
            entry.methods = names.indexes_of(methods);
        }
        entries.insert(relative, entry);
    }

    let mut used = vec![false; names.names.len()];
    let mut scan = PackageScan {
        usages: Vec::new(),
        diagnostics: Vec::new(),
        files: files.len(),
        methods: BTreeSet::new(),
        parsed: parsed.into_inner(),
    };
    for entry in entries.values() {
        scan.usages.extend(entry.usages.iter().cloned());
        scan.diagnostics.extend(entry.diagnostics.iter().cloned());
        for &index in &entry.methods {
            used[index as usize] = true;
        }
    }
    scan.methods = names
        .names
        .iter()
        .zip(&used)
        .filter(|(_, used)| **used)
        .map(|(name, _)| name.clone())
        .collect();
    scan.usages.sort();
    if changed && mode == CacheMode::ReadWrite {
        let names = names.compact(&mut entries);
        let cache = Cache {
            fingerprint,
            names,
            files: entries,
        };
        // The cache only saves time: failing to write it fails nothing.
        let _ = write_cache(cache_path, &cache);
    }
    Ok(scan)
}

fn fingerprint(target: &ScanTarget) -> String {
    let libraries: Vec<&str> = target.libraries.iter().map(String::as_str).collect();
    let key = format!(
        "{}\0{}\0{}\0{}",
        SCANNER_SOURCE.concat(),
        target.module,
        target.crate_name,
        libraries.join(",")
    );
    sha256(key.as_bytes())
}

fn stamp(path: &Path) -> Result<(u64, u64), IoError> {
    let metadata = std::fs::metadata(path).map_err(IoError::at(path))?;
    let mtime = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos() as u64);
    Ok((metadata.len(), mtime))
}

/// Written so recently that a later write could share its mtime.
fn recent(mtime: u64) -> bool {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    now.saturating_sub(Duration::from_nanos(mtime)) < Duration::from_secs(2)
}

fn write_cache(path: &Path, cache: &Cache) -> Result<(), IoError> {
    let bytes = serde_json::to_vec(cache).map_err(|error| IoError::at(path)(error.into()))?;
    let directory = path.parent().expect("the cache lives in a directory");
    fs::write_atomic(directory, path, &bytes)
}

/// One file's scan. A bug in the scanner that panics on some input costs
/// that file a diagnostic naming it, not the run.
fn scan_guarded(relative: &str, bytes: &[u8], target: &ScanTarget) -> FileScan {
    let scanned = std::panic::catch_unwind(|| match std::str::from_utf8(bytes) {
        Ok(text) => scan::scan_source(relative, text, target),
        Err(error) => scan::unreadable(relative, &error),
    });
    scanned.unwrap_or_else(|_| scan::crashed(relative))
}

/// A syntax tree takes about a hundred times its source's size: larger
/// files (generated ones, not written by hand) are named and skipped.
const MAX_SCANNED_BYTES: u64 = 8 << 20;

/// Parsing and visiting recurse as deep as the source nests: the workers
/// get far more stack than a thread's default, which costs address space,
/// not memory, until used.
const SCAN_STACK: usize = 512 << 20;

/// Runs `work` over `items` on every core, results in input order.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<R, IoError> + Sync,
) -> Result<Vec<R>, IoError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<R, IoError>)> = std::thread::scope(|scope| {
        let handles: Result<Vec<_>, _> = (0..workers)
            .map(|_| {
                let worker = std::thread::Builder::new().stack_size(SCAN_STACK);
                worker.spawn_scoped(scope, || {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        done.push((index, work(item)));
                    }
                    done
                })
            })
            .collect::<Result<_, _>>()
            .map_err(|error| IoError {
                path: "<scan thread>".into(),
                error,
            });
        let handles: Vec<_> = match handles {
            Ok(handles) => handles,
            Err(error) => return vec![(0, Err(error))],
        };
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a scan worker panicked"))
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use super::*;

    struct Package {
        dir: tempfile::TempDir,
        files: SourceFiles,
    }

    impl Package {
        fn new(count: usize) -> Package {
            let dir = tempfile::tempdir().unwrap();
            let mut files = BTreeMap::new();
            for index in 0..count {
                let relative = format!("src/f{index}.rs");
                let path = dir.path().join(&relative);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, format!("fn f() {{ py::math::sqrt({index}.0); }}\n"))
                    .unwrap();
                files.insert(PathBuf::from(relative), path);
            }
            Package { dir, files }
        }

        fn scan(&self, libraries: &[&str]) -> PackageScan {
            let libraries: BTreeSet<String> =
                libraries.iter().map(|name| name.to_string()).collect();
            let target = ScanTarget {
                module: "py",
                crate_name: "demo",
                libraries: &libraries,
            };
            let cache = self.dir.path().join("target/snakegen/scan-cache.json");
            scan_files(&self.files, &target, &cache, CacheMode::ReadWrite).unwrap()
        }

        fn write(&self, relative: &str, text: &str) {
            std::fs::write(&self.files[Path::new(relative)], text).unwrap();
        }
    }

    #[test]
    fn only_changed_bytes_are_parsed_again() {
        let package = Package::new(5);
        let cold = package.scan(&["math"]);
        assert_eq!((cold.files, cold.parsed, cold.usages.len()), (5, 5, 5));

        let warm = package.scan(&["math"]);
        assert_eq!(warm.parsed, 0);
        assert_eq!(warm.usages, cold.usages);

        package.write("src/f2.rs", "fn f() { py::math::floor(1.5); }\n");
        let edited = package.scan(&["math"]);
        assert_eq!(edited.parsed, 1);
        assert!(edited.usages.iter().any(|usage| usage.path == "math.floor"));
        assert!(
            !edited
                .usages
                .iter()
                .any(|usage| usage.path == "math.sqrt" && usage.location.file == "src/f2.rs")
        );

        // Same bytes, new mtime: hashed, not parsed.
        package.write("src/f2.rs", "fn f() { py::math::floor(1.5); }\n");
        assert_eq!(package.scan(&["math"]).parsed, 0);
    }

    #[test]
    fn method_names_through_the_cache_are_those_of_a_fresh_scan() {
        let package = Package::new(3);
        package.write("src/f0.rs", "fn f(x: X) { x.det(); x.inv(); }\n");
        package.write("src/f1.rs", "fn f(x: X) { x.det(); x.trace(); }\n");
        let fresh = |package: &Package| {
            let _ =
                std::fs::remove_file(package.dir.path().join("target/snakegen/scan-cache.json"));
            package.scan(&["math"]).methods
        };
        let cold = package.scan(&["math"]);
        assert!(cold.methods.is_superset(&BTreeSet::from([
            "det".into(),
            "inv".into(),
            "trace".into()
        ])));
        let warm = package.scan(&["math"]);
        assert_eq!((warm.parsed, &warm.methods), (0, &cold.methods));

        // `inv` goes, `rank` comes: the table is renumbered on the write.
        package.write("src/f0.rs", "fn f(x: X) { x.rank(); }\n");
        let edited = package.scan(&["math"]);
        assert_eq!(edited.parsed, 1);
        assert!(edited.methods.contains("rank") && !edited.methods.contains("inv"));
        let again = package.scan(&["math"]);
        assert_eq!((again.parsed, &again.methods), (0, &edited.methods));
        assert_eq!(fresh(&package), edited.methods);
    }

    #[test]
    fn a_cached_name_that_is_not_an_identifier_is_not_trusted() {
        let package = Package::new(2);
        package.write("src/f0.rs", "fn f(x: X) { x.det(); }\n");
        package.scan(&["math"]);
        let cache = package.dir.path().join("target/snakegen/scan-cache.json");
        let text = std::fs::read_to_string(&cache).unwrap();
        std::fs::write(&cache, text.replace("\"det\"", "\"x*\"")).unwrap();
        let scan = package.scan(&["math"]);
        assert_eq!(scan.parsed, 2, "everything is scanned again");
        assert!(scan.methods.contains("det") && !scan.methods.contains("x*"));
    }

    #[test]
    fn deep_nesting_is_scanned_not_a_stack_overflow() {
        let package = Package::new(3);
        // rustc compiles 1000; just below the limit still parses.
        let parens = 3_990;
        package.write(
            "src/f0.rs",
            &format!(
                "fn f() {{ let _ = {}py::math::sqrt(1.0){}; }}\n",
                "(".repeat(parens),
                ")".repeat(parens)
            ),
        );
        let ifs = 400;
        package.write(
            "src/f1.rs",
            &format!(
                "fn f() {{ {} py::math::floor(1.5); {} }}\n",
                "if true {".repeat(ifs),
                "}".repeat(ifs)
            ),
        );
        // Far deeper than any parser's recursion: token-scanned, and said.
        let deep = 200_000;
        package.write(
            "src/f2.rs",
            &format!(
                "fn f() {{ {}py::math::ceil(1.5){} }}\n",
                "[".repeat(deep),
                "]".repeat(deep)
            ),
        );
        let scan = package.scan(&["math"]);
        let paths: BTreeSet<&str> = scan
            .usages
            .iter()
            .map(|usage| usage.path.as_str())
            .collect();
        assert_eq!(
            paths,
            BTreeSet::from(["math.ceil", "math.floor", "math.sqrt"])
        );
        let diagnostics: Vec<&str> = scan
            .diagnostics
            .iter()
            .map(|diagnostic| diagnostic.message.as_str())
            .collect();
        assert_eq!(
            diagnostics,
            ["could not parse src/f2.rs: its delimiters nest 200002 deep (more than 4000)"]
        );
    }

    #[test]
    fn a_huge_file_is_named_not_parsed() {
        let package = Package::new(2);
        let line = "fn f() { py::math::sqrt(1.0); }\n";
        package.write("src/f1.rs", &line.repeat((9 << 20) / line.len()));
        let scan = package.scan(&["math"]);
        assert_eq!(scan.usages.len(), 1, "only the small file's usage");
        assert_eq!(scan.diagnostics.len(), 1);
        assert!(
            scan.diagnostics[0]
                .message
                .starts_with("did not scan src/f1.rs: it is 9 MiB, more than the 8 MiB"),
            "{:?}",
            scan.diagnostics
        );
    }

    #[test]
    fn another_configuration_invalidates_the_cache() {
        let package = Package::new(3);
        package.scan(&["math"]);
        let other = package.scan(&["json"]);
        assert_eq!((other.parsed, other.usages.len()), (3, 0));
    }
}
