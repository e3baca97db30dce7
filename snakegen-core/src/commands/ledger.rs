//! `cargo snakegen ledger show|promote|clear`, and what a run does about
//! the ledger: the I/O edges around the decisions in `crate::ledger`. Files
//! are read and truncated under their OS lock, so no append is lost.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::error::Error;
use crate::ledger::{
    DIR, EXTENSION, GITIGNORE_LINE, Ledger, Promotion, Skip, VARIABLE, gitignore_with_ledger,
    parse, promote_manifest,
};
use crate::metadata::library_of;
use crate::reporter::Reporter;
use crate::util::fs::{self, IoError};

/// Where the ledger of this package is read: `SNAKEGEN_LEDGER` when it
/// names a directory (as the runtime recorded there), else the package's
/// `.snakegen/ledger`.
fn dir(config: &Config) -> PathBuf {
    match std::env::var_os(VARIABLE) {
        Some(value) if !value.is_empty() && value != "1" => PathBuf::from(value),
        _ => config.package_root.join(DIR),
    }
}

/// The ledger's files, opened under their locks. The package's own ledger
/// directory must be inside the package (a clone may carry it as a link);
/// one named by `SNAKEGEN_LEDGER` is wherever the user said.
fn open_files(config: &Config, only: Option<&str>, exclusive: bool) -> Result<Files, IoError> {
    let dir = dir(config);
    if dir == config.package_root.join(DIR) && dir.exists() {
        fs::contained(&config.package_root, &dir)?;
    }
    Files::open(&dir, only, exclusive)
}

/// Adds the ledger to the package's `.gitignore` when the package has a
/// ledger directory and no line covers it. Says whether it wrote.
fn ensure_gitignored(config: &Config) -> Result<bool, IoError> {
    if !config.package_root.join(DIR).is_dir() {
        return Ok(false);
    }
    let root = &config.package_root;
    let path = root.join(".gitignore");
    let existing = fs::read_text_if_exists(&path)?;
    match gitignore_with_ledger(existing.as_deref()) {
        Some(text) => {
            fs::write_atomic(root, &path, text.as_bytes())?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The open ledger files, each under its OS lock (shared to read,
/// exclusive to rewrite), so no append lands between reading and
/// truncating.
struct Files {
    /// Library → its path and locked handle.
    open: BTreeMap<String, (PathBuf, File)>,
}

impl Files {
    fn open(dir: &Path, only: Option<&str>, exclusive: bool) -> Result<Files, IoError> {
        let mut open = BTreeMap::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Files { open });
            }
            Err(error) => return Err(IoError::at(dir)(error)),
        };
        for entry in entries {
            let entry = entry.map_err(IoError::at(dir))?;
            let path = entry.path();
            // Promote truncates and clear deletes: never through a link
            // that leads out of the ledger.
            fs::contained(dir, &path)?;
            let is_ledger = path.extension().is_some_and(|ext| ext == EXTENSION);
            let Some(library) = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .filter(|_| is_ledger)
                .map(str::to_owned)
            else {
                continue;
            };
            if only.is_some_and(|only| only != library) {
                continue;
            }
            let file = File::options()
                .read(true)
                .write(exclusive)
                .open(&path)
                .and_then(|file| {
                    if exclusive {
                        file.lock()?;
                    } else {
                        file.lock_shared()?;
                    }
                    Ok(file)
                })
                .map_err(IoError::at(&path))?;
            open.insert(library, (path, file));
        }
        Ok(Files { open })
    }

    fn read(&mut self, root: &Path) -> Result<Ledger, IoError> {
        let mut ledger = Ledger::default();
        for (library, (path, file)) in &mut self.open {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).map_err(IoError::at(path))?;
            let text = String::from_utf8_lossy(&bytes);
            let shown = fs::relative(root, path);
            let (symbols, diagnostics) = parse(&shown, library, &text);
            if !symbols.is_empty() {
                ledger.libraries.insert(library.clone(), symbols);
            }
            ledger.diagnostics.extend(diagnostics);
        }
        Ok(ledger)
    }

    /// Empties the files of `libraries`, under the lock taken at opening.
    fn truncate(&self, libraries: &BTreeSet<String>) -> Result<(), IoError> {
        for library in libraries {
            if let Some((path, file)) = self.open.get(library) {
                file.set_len(0).map_err(IoError::at(path))?;
            }
        }
        Ok(())
    }
}

/// Rejects `--library X` for a library the config does not have.
fn check_library(config: &Config, library: Option<&str>) -> Result<(), Error> {
    match library {
        Some(library) if !config.libraries.contains_key(library) => {
            Err(Error::NotConfigured(library.to_owned()))
        }
        _ => Ok(()),
    }
}

/// [`ensure_gitignored`], saying so when it wrote: the ledger commands and
/// a normal run that finds a ledger.
pub(crate) fn gitignore(config: &Config, reporter: &mut dyn Reporter) -> Result<(), Error> {
    if ensure_gitignored(config)? {
        reporter.status(
            "Updating",
            &format!(".gitignore: the usage ledger ({GITIGNORE_LINE}) is local, never committed"),
        );
    }
    Ok(())
}

/// What `ledger show` prints. Fields are in the order of the JSON keys,
/// sorted.
#[derive(Debug, Serialize)]
pub struct LedgerView {
    pub directory: String,
    pub libraries: BTreeMap<String, RecordedLibrary>,
    pub malformed_lines: usize,
}

#[derive(Debug, Serialize)]
pub struct RecordedLibrary {
    /// Whether the library is in `[package.metadata.snakegen.libraries]`.
    pub configured: bool,
    pub symbols: Vec<RecordedSymbol>,
}

#[derive(Debug, Serialize)]
pub struct RecordedSymbol {
    /// Whether `include` already lists it.
    pub included: bool,
    pub symbol: String,
}

/// `cargo snakegen ledger show`: what the ledger holds, per library.
pub fn show(config: &Config, reporter: &mut dyn Reporter) -> Result<LedgerView, Error> {
    let ledger = open_files(config, None, false)?.read(&config.package_root)?;
    gitignore(config, reporter)?;
    for diagnostic in &ledger.diagnostics {
        super::report(reporter, diagnostic, config);
    }
    let libraries = ledger
        .libraries
        .iter()
        .map(|(library, symbols)| {
            let symbols = symbols
                .iter()
                .map(|symbol| RecordedSymbol {
                    included: covered(config, symbol),
                    symbol: symbol.clone(),
                })
                .collect();
            let recorded = RecordedLibrary {
                configured: config.libraries.contains_key(library),
                symbols,
            };
            (library.clone(), recorded)
        })
        .collect();
    Ok(LedgerView {
        directory: dir(config).display().to_string(),
        libraries,
        malformed_lines: ledger.diagnostics.len(),
    })
}

/// For people: one block per library.
impl std::fmt::Display for LedgerView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.libraries.is_empty() {
            return writeln!(
                f,
                "the ledger at {} is empty: run the program with {VARIABLE}=1 to record its dynamic calls",
                self.directory
            );
        }
        for (library, recorded) in &self.libraries {
            let note = if recorded.configured {
                ""
            } else {
                " (not configured: add it to [package.metadata.snakegen.libraries] to promote)"
            };
            writeln!(f, "{library}{note}")?;
            for symbol in &recorded.symbols {
                let included = if symbol.included { "  (included)" } else { "" };
                writeln!(f, "  {}{included}", symbol.symbol)?;
            }
        }
        Ok(())
    }
}

/// `cargo snakegen ledger promote [--library X]`: adds the recorded
/// symbols to the `include` lists in `Cargo.toml`, then empties the ledger
/// files of the libraries whose every entry is now in `include` (a
/// library that is not configured keeps its file). The next `cargo
/// snakegen` generates the adapters.
pub fn promote(
    config: &Config,
    library: Option<&str>,
    reporter: &mut dyn Reporter,
) -> Result<Promotion, Error> {
    check_library(config, library)?;
    let mut files = open_files(config, library, true)?;
    gitignore(config, reporter)?;
    let ledger = files.read(&config.package_root)?;
    for diagnostic in &ledger.diagnostics {
        super::report(reporter, diagnostic, config);
    }
    let manifest_path = config.package_root.join("Cargo.toml");
    let manifest = fs::read_text(&manifest_path)?;
    let promotion =
        promote_manifest(&manifest, &ledger.libraries).map_err(|message| Error::Manifest {
            path: manifest_path.clone(),
            message,
        })?;
    if promotion.manifest != manifest {
        fs::write_atomic(
            &config.package_root,
            &manifest_path,
            promotion.manifest.as_bytes(),
        )?;
    }
    for (library, entries) in &promotion.added {
        reporter.status(
            "Promoting",
            &format!("{library}: include += {}", entries.join(", ")),
        );
    }
    for (library, entries) in &promotion.already {
        reporter.status(
            "Included",
            &format!("{library}: already includes {}", entries.join(", ")),
        );
    }
    for (symbol, skip) in &promotion.skipped {
        let why = match skip {
            Skip::NotConfigured => format!(
                "its library `{}` is not configured: add it to [package.metadata.snakegen.libraries], then promote again",
                library_of(symbol)
            ),
            Skip::Excluded => "it is in a submodule the library's `exclude` lists".to_owned(),
            Skip::Library => "it is the library itself, which needs no include".to_owned(),
        };
        reporter.status("Skipping", &format!("`{symbol}`: {why}"));
    }
    let settled = promotion.settled();
    files.truncate(&settled)?;
    if !settled.is_empty() {
        reporter.status(
            "Cleared",
            &format!(
                "the promoted ledger entries ({})",
                settled.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    if !promotion.added.is_empty() {
        reporter.status(
            "Next",
            "run `cargo snakegen` to generate their typed adapters, then commit Cargo.toml with them",
        );
    }
    Ok(promotion)
}

/// `cargo snakegen ledger clear [--library X]`: deletes ledger files.
/// Returns the libraries whose file went.
pub fn clear(
    config: &Config,
    library: Option<&str>,
    reporter: &mut dyn Reporter,
) -> Result<Vec<String>, Error> {
    check_library_or_recorded(config, library)?;
    let files = open_files(config, library, true)?;
    gitignore(config, reporter)?;
    let mut removed = Vec::new();
    for (library, (path, _file)) in &files.open {
        fs::remove_file(path.parent().unwrap_or(path), path)?;
        reporter.status("Removed", &fs::relative(&config.package_root, path));
        removed.push(library.clone());
    }
    Ok(removed)
}

/// `clear --library X` also accepts a library that is only in the ledger
/// (recorded, never configured): clearing it is how one says "not that".
fn check_library_or_recorded(config: &Config, library: Option<&str>) -> Result<(), Error> {
    let Some(library) = library else {
        return Ok(());
    };
    let recorded = dir(config).join(format!("{library}.{EXTENSION}")).is_file();
    if recorded {
        Ok(())
    } else {
        check_library(config, Some(library))
    }
}

/// Whether the config already generates `symbol` whatever the scan
/// finds: its library is configured, and it is that library itself or in
/// its `include` list.
fn covered(config: &Config, symbol: &str) -> bool {
    let library = library_of(symbol);
    let Some(settings) = config.libraries.get(library) else {
        return false;
    };
    match symbol.strip_prefix(&format!("{library}.")) {
        Some(relative) => settings
            .include
            .iter()
            .any(|entry| entry.symbol == relative),
        None => true,
    }
}

/// How many recorded symbols the config does not cover: what a normal run
/// mentions. Malformed lines are not counted.
pub fn pending(config: &Config) -> Result<usize, Error> {
    let ledger = open_files(config, None, false)?.read(&config.package_root)?;
    Ok(ledger
        .libraries
        .values()
        .flatten()
        .filter(|symbol| !covered(config, symbol))
        .count())
}
