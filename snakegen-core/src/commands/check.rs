//! `cargo snakegen --check`: every artifact regenerated in memory from the
//! committed manifests and compared with the disk. It calls the same
//! `artifacts::render` as the run, so the two cannot disagree about what
//! "up to date" means.
use std::collections::{BTreeMap, BTreeSet};

use snakegen_lockfile::Lockfile;

use super::{excluded_modules, report, scan_and_report, with_included};
use crate::artifacts::{self, Action};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;
use crate::metadata::LibraryMetadata;
use crate::reporter::Reporter;
use crate::resolve;
use crate::scan::Usage;
use crate::scan::package::CacheMode;

/// A file whose committed bytes differ from what the manifests produce.
#[derive(Debug)]
pub struct Drift {
    pub path: String,
    pub kind: DriftKind,
}

#[derive(Debug)]
pub enum DriftKind {
    /// A unified diff from the disk to the expected bytes.
    Differs(String),
    Missing,
    /// A file snakegen did not write (no `@generated` header) sits where
    /// an artifact goes.
    NotOurs,
    /// Generated once, but nothing produces it now.
    Stale,
}

/// What `--check` found.
pub struct CheckReport {
    /// Used symbols that the lock does not contain, at their call sites.
    pub unlocked: Vec<Diagnostic>,
    pub drift: Vec<Drift>,
    /// What would change in the lock, said change by change.
    pub lock_changes: Vec<snakegen_lockfile::Change>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.unlocked.is_empty() && self.drift.is_empty()
    }
}

/// `--check`: regenerates every artifact in memory from the committed
/// manifests and compares. Starts no Python and writes nothing.
pub fn check(config: &Config, reporter: &mut dyn Reporter) -> Result<CheckReport, Error> {
    let _lock = super::read_lock_package(config, reporter)?;
    let scan = scan_and_report(config, CacheMode::ReadOnly, reporter)?;
    let existing = artifacts::existing_artifacts(config)?;
    let Some(lock) = artifacts::parse_lock(&existing)? else {
        return Ok(CheckReport {
            unlocked: Vec::new(),
            drift: vec![Drift {
                path: snakegen_lockfile::FILE_NAME.to_owned(),
                kind: DriftKind::Missing,
            }],
            lock_changes: Vec::new(),
        });
    };
    let manifests = artifacts::parse_manifests(config, &existing)?;
    let python = manifests.python_or(&lock);
    let metadata = manifests.metadata;
    let usages = with_included(config, scan.usages);
    let called = resolve::called_members(&scan.methods, &usages);
    let unlocked = unlocked_diagnostics(config, &usages, &called, &metadata);
    for diagnostic in &unlocked {
        report(reporter, diagnostic, config);
    }

    let desired = artifacts::render(config, &python, &metadata);
    let plan = artifacts::plan(&desired, &existing);
    let not_ours = artifacts::not_ours(config, &plan);
    let drift = plan
        .into_iter()
        .map(|(path, action)| {
            let kind = match action {
                Action::Create if not_ours.contains(&path) => DriftKind::NotOurs,
                Action::Create => DriftKind::Missing,
                Action::Delete => DriftKind::Stale,
                Action::Replace => DriftKind::Differs(
                    similar::TextDiff::from_lines(&existing[&path], &desired[&path])
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{path}"), &format!("b/{path}"))
                        .to_string(),
                ),
            };
            Drift { path, kind }
        })
        .collect();
    let desired_lock =
        Lockfile::parse(&desired[snakegen_lockfile::FILE_NAME]).expect("the rendered lock parses");
    let lock_changes = snakegen_lockfile::compare(&lock, &desired_lock);
    Ok(CheckReport {
        unlocked,
        drift,
        lock_changes,
    })
}

/// Every usage and called member the committed artifacts do not cover,
/// reported at its call site: what `--check` says, and what a build that
/// may not start Python fails with.
pub(super) fn unlocked_diagnostics(
    config: &Config,
    usages: &[Usage],
    called: &BTreeSet<String>,
    metadata: &BTreeMap<String, LibraryMetadata>,
) -> Vec<Diagnostic> {
    let mut unlocked = resolve::diagnose_unknown(usages, metadata, None, &excluded_modules(config));
    unlocked.extend(
        resolve::undescribed_members(called, metadata)
            .into_iter()
            .map(|member| {
                Diagnostic::error(
                    Code::S0003,
                    format!("`{member}` is called but not in snakegen.lock"),
                )
                .with_help("run `cargo snakegen` to generate it")
            }),
    );
    unlocked
}
