//! `cargo snakegen prune`.

use super::run::write_artifacts;
use super::{lock_package, scan_and_report, scan_incomplete, with_included};
use crate::artifacts;
use crate::config::Config;
use crate::error::Error;
use crate::reporter::Reporter;
use crate::resolve;
use crate::scan::package::CacheMode;

/// `cargo snakegen prune`: drops the adapters, manifest entries and class
/// members that nothing uses any more. Starts no Python. Refuses after a
/// scan with errors, which may have missed usages.
pub fn prune(
    config: &Config,
    dry_run: bool,
    reporter: &mut dyn Reporter,
) -> Result<Vec<String>, Error> {
    let _lock = lock_package(config, reporter)?;
    let scan = scan_and_report(config, CacheMode::ReadWrite, reporter)?;
    if scan_incomplete(&scan) {
        return Err(Error::Environment(vec![
            "not pruning: the scan had errors, so it may have missed usages\n  = help: fix the files above, then prune".to_owned(),
        ]));
    }
    let existing = artifacts::existing_artifacts(config)?;
    let Some(lock) = artifacts::parse_lock(&existing)? else {
        return Ok(Vec::new());
    };
    let manifests = artifacts::parse_manifests(config, &existing)?;
    let python = manifests.python_or(&lock);
    let metadata = manifests.metadata;
    let unvouched = artifacts::unvouched_requirements(config, &lock, &metadata);
    if !unvouched.is_empty() {
        return Err(Error::Environment(
            unvouched
                .into_iter()
                .map(|reason| {
                    format!(
                        "{reason}, and prune starts no Python\n  = help: run `cargo snakegen` first"
                    )
                })
                .collect(),
        ));
    }
    let usages = with_included(config, scan.usages);
    let called = resolve::called_members(&scan.methods, &usages);
    let (pruned, removed) = resolve::prune(&metadata, &usages, &called);
    for path in &removed {
        reporter.status(if dry_run { "Would prune" } else { "Pruning" }, path);
    }
    if !dry_run {
        write_artifacts(
            config,
            Some(&lock),
            &existing,
            &python,
            &pruned,
            false,
            reporter,
        )?;
    }
    Ok(removed)
}
