//! The commands: each wires the passes for one thing the CLI (or a build
//! script) asks for. Commands, with the edges they call, are where I/O
//! happens; the passes they wire are pure.
use std::collections::BTreeMap;

pub(crate) mod ask;
pub mod build;
pub mod check;
pub mod clean;
pub mod doctor;
pub mod inspect;
pub mod ledger;
pub mod prune;
pub mod run;
pub mod scan;
pub mod status;
pub mod workspace;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::Error;
use crate::reporter::Reporter;
use crate::scan::package::{CacheMode, PackageScan};
use crate::scan::{Usage, UsageKind};
use crate::util::flock::PackageLock;
use crate::util::fs::IoError;
use crate::util::text::counted;
use run::RunOptions;
/// A shared hold on the package's lock, for commands that only read: a
/// run writing meanwhile is waited out, so the artifacts are read whole.
pub(crate) fn read_lock_package(
    config: &Config,
    reporter: &mut dyn Reporter,
) -> Result<Option<PackageLock>, Error> {
    let scratch = &config.scratch_dir;
    let lock = PackageLock::shared(scratch, &config.package_name, || {
        reporter.status("Blocking", "waiting for file lock on snakegen")
    });
    Ok(lock.map_err(IoError::at(scratch))?)
}

/// The package's exclusive OS lock, held until dropped; says so while it
/// waits for another run, as cargo does.
pub(crate) fn lock_package(
    config: &Config,
    reporter: &mut dyn Reporter,
) -> Result<PackageLock, Error> {
    let scratch = &config.scratch_dir;
    let lock = PackageLock::acquire(scratch, &config.package_name, || {
        reporter.status("Blocking", "waiting for file lock on snakegen")
    });
    Ok(lock.map_err(IoError::at(scratch))?)
}

/// Whether some file was not fully parsed: its usages came from the token
/// scan, or not at all, so pruning could drop what it uses.
fn scan_incomplete(scan: &PackageScan) -> bool {
    scan.diagnostics
        .iter()
        .any(|diagnostic| diagnostic.code == Code::S0001)
}

/// With `--force`, an unreadable artifact is reported and then regenerated
/// as if it were absent; without, the run stops and overwrites nothing.
fn forgiving<T: Default>(
    options: RunOptions,
    reporter: &mut dyn Reporter,
    parsed: Result<T, Error>,
) -> Result<T, Error> {
    match parsed {
        Err(error @ Error::CorruptArtifact { .. }) if options.force => {
            reporter.status(
                "Replacing",
                &format!("an unreadable artifact (--force): {error}"),
            );
            Ok(T::default())
        }
        other => other,
    }
}

fn scan_and_report(
    config: &Config,
    mode: CacheMode,
    reporter: &mut dyn Reporter,
) -> Result<PackageScan, Error> {
    let scan = scan::scan_package(config, mode)?;
    reporter.status(
        "Scanning",
        &format!(
            "{} ({})",
            config.package_name,
            counted(scan.files, "file", "files")
        ),
    );
    for diagnostic in &scan.diagnostics {
        report(reporter, diagnostic, config);
    }
    Ok(scan)
}

/// Hands `diagnostic` to the reporter with the text of its file, read now:
/// only files with something to show are read.
pub fn report(reporter: &mut dyn Reporter, diagnostic: &Diagnostic, config: &Config) {
    let source = diagnostic.location.as_ref().and_then(|location| {
        std::fs::read_to_string(config.package_root.join(&location.file)).ok()
    });
    reporter.diagnostic(diagnostic, source.as_deref());
}

/// The `include` lists, as if some source named each symbol.
fn with_included(config: &Config, mut usages: Vec<Usage>) -> Vec<Usage> {
    let manifest = "Cargo.toml".to_owned();
    for (library, settings) in &config.libraries {
        for included in &settings.include {
            usages.push(Usage {
                library: library.clone(),
                path: format!("{library}.{}", included.symbol),
                location: Location {
                    file: manifest.clone(),
                    line: included.line,
                    column: included.column,
                },
                kind: UsageKind::Path,
            });
        }
    }
    usages
}

fn excluded_modules(config: &Config) -> BTreeMap<String, Vec<String>> {
    config
        .libraries
        .iter()
        .map(|(name, library)| (name.clone(), library.exclude.clone()))
        .collect()
}
