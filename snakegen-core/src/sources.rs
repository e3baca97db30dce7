//! Reading the package from disk: the Rust sources to scan and the
//! artifacts snakegen already wrote. An I/O edge; the passes it feeds are
//! pure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::artifacts::{self, MANIFEST_DIR};
use crate::config::Config;
use crate::write;

#[derive(Debug)]
pub struct IoError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for IoError {}

/// The package-relative, `/`-separated form used in every artifact and
/// diagnostic, so output is the same on every machine.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `.rs` file of every target, by package-relative path, except the
/// generated adapters (scanning them would only find themselves).
pub fn rust_files(config: &Config) -> Result<BTreeMap<String, PathBuf>, IoError> {
    let adapters = config.package_root.join(config.module_dir());
    let mut sources = BTreeMap::new();
    for root in &config.source_roots {
        let walker = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.path() != adapters);
        for entry in walker {
            let entry = entry.map_err(|error| IoError {
                path: error.path().unwrap_or(root).to_path_buf(),
                error: error.into(),
            })?;
            let is_rust = entry
                .path()
                .extension()
                .is_some_and(|extension| extension == "rs");
            if entry.file_type().is_file() && is_rust {
                let path = relative(&config.package_root, entry.path());
                sources.insert(path, entry.path().to_path_buf());
            }
        }
    }
    Ok(sources)
}

/// The artifacts on disk that snakegen owns: generated adapters, manifests
/// and the lock, by package-relative path.
pub fn existing_artifacts(config: &Config) -> Result<BTreeMap<String, String>, IoError> {
    let root = &config.package_root;
    let mut existing = BTreeMap::new();
    for directory in [config.module_dir(), MANIFEST_DIR.to_owned()] {
        let directory = root.join(directory);
        if !directory.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&directory).sort_by_file_name() {
            let entry = entry.map_err(|error| IoError {
                path: error.path().unwrap_or(&directory).to_path_buf(),
                error: error.into(),
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let path = relative(root, entry.path());
            let text = read(entry.path())?;
            // A killed run's temp files are ours too: the plan deletes them.
            if artifacts::is_owned(config, &path, &text) || write::is_leftover_temp(&path) {
                existing.insert(path, text);
            }
        }
    }
    let lock_temps = std::fs::read_dir(root)
        .map_err(|error| IoError {
            path: root.clone(),
            error,
        })?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| {
            write::is_leftover_temp(name)
                && name.starts_with(&format!(".{}", snakegen_lockfile::FILE_NAME))
        });
    for name in lock_temps {
        existing.insert(name.clone(), read(&root.join(&name))?);
    }
    let lock = root.join(snakegen_lockfile::FILE_NAME);
    if lock.is_file() {
        existing.insert(snakegen_lockfile::FILE_NAME.to_owned(), read(&lock)?);
    }
    Ok(existing)
}

fn read(path: &Path) -> Result<String, IoError> {
    let bytes = std::fs::read(path).map_err(|error| IoError {
        path: path.to_path_buf(),
        error,
    })?;
    // A non-UTF-8 file cannot be ours and cannot be Rust; compare it lossily.
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
}
