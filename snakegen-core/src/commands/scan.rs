//! `cargo snakegen scan`: the usages the scan is sure of, and its
//! diagnostics, without Python.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::scan::package::{self, CacheMode, PackageScan};
use crate::scan::{ScanTarget, Usage, UsageKind, sources};

pub(crate) fn scan_package(config: &Config, mode: CacheMode) -> Result<PackageScan, Error> {
    let files = sources::rust_files(config)?;
    let libraries: BTreeSet<String> = config.libraries.keys().cloned().collect();
    let target = ScanTarget {
        module: &config.module,
        crate_name: &config.crate_name,
        libraries: &libraries,
    };
    let cache = config.scan_cache();
    Ok(package::scan_files(&files, &target, &cache, mode)?)
}

/// What `scan --message-format json` prints. Fields are in the order of
/// the JSON keys, sorted.
#[derive(Debug, Serialize)]
pub struct ScanView {
    pub diagnostics: Vec<Diagnostic>,
    pub usages: Vec<UsageView>,
}

#[derive(Debug, Serialize)]
pub struct UsageView {
    pub column: usize,
    pub file: String,
    pub library: String,
    pub line: usize,
    /// The dotted Python path.
    pub path: String,
}

impl ScanView {
    /// Only the usages the scan is sure of: a guess under a glob import
    /// needs the name index, which only the full run consults.
    fn new(scan: PackageScan) -> Self {
        let usages = scan
            .usages
            .into_iter()
            .filter(|usage| !matches!(usage.kind, UsageKind::Glob { .. }))
            .map(|usage: Usage| UsageView {
                column: usage.location.column,
                file: usage.location.file,
                library: usage.library,
                line: usage.location.line,
                path: usage.path,
            })
            .collect();
        ScanView {
            diagnostics: scan.diagnostics,
            usages,
        }
    }
}

/// For people: one `file:line:column path` line per usage.
impl std::fmt::Display for ScanView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for usage in &self.usages {
            writeln!(
                f,
                "{}:{}:{} {}",
                usage.file, usage.line, usage.column, usage.path
            )?;
        }
        Ok(())
    }
}

/// Scans the package (the scan cache is read and written).
pub fn scan(config: &Config) -> Result<ScanView, Error> {
    scan_package(config, CacheMode::ReadWrite).map(ScanView::new)
}
