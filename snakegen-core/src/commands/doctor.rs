//! `cargo snakegen doctor`.

use std::collections::BTreeSet;

use crate::artifacts;
use crate::config::{Config, Requirement};
use crate::error::Error;
use crate::introspect::{self, LibraryRequest, Request};
use crate::metadata::PythonIdentity;

/// One line of `cargo snakegen doctor`: what the lock says against what the
/// live environment has.
#[derive(Debug)]
pub struct Finding {
    pub subject: String,
    pub locked: String,
    pub live: Option<String>,
}

impl Finding {
    pub fn drifted(&self) -> bool {
        self.live.as_deref() != Some(self.locked.as_str())
    }
}

/// `cargo snakegen doctor`: the interpreter and the library versions that
/// would be used now, and the configured requirements, against the lock.
/// Imports no library. A lock that pairs a requirement with a version not
/// meeting it is an error, as for every command.
pub fn doctor(config: &Config) -> Result<Vec<Finding>, Error> {
    let existing = artifacts::existing_artifacts(config)?;
    let Some(lock) = artifacts::parse_lock(&existing)? else {
        return Err(Error::Environment(vec![
            "there is no snakegen.lock to compare with\n  = help: run `cargo snakegen` first"
                .to_owned(),
        ]));
    };
    let request = Request {
        libraries: lock
            .libraries
            .iter()
            .filter_map(|library| {
                let settings = config.libraries.get(&library.name)?;
                let request = LibraryRequest {
                    stdlib: settings.requirement == Requirement::Stdlib,
                    distribution: settings.package.clone(),
                };
                Some((library.name.clone(), request))
            })
            .collect(),
        paths: BTreeSet::new(),
        indexes: BTreeSet::new(),
        members: BTreeSet::new(),
        probe: true,
    };
    let probe = introspect::run(
        &config.interpreter,
        &request,
        &config.scratch_dir,
        config.timeout,
        // A probe imports nothing: nothing to show while it runs.
        &mut |_| {},
    )
    .map_err(Error::Introspect)?;
    let describe = |python: &PythonIdentity| {
        format!(
            "{} {} ({})",
            python.implementation, python.version, python.platform
        )
    };
    let mut findings = vec![Finding {
        subject: format!("python (`{}`)", config.interpreter),
        locked: describe(&lock.python),
        live: Some(describe(&probe.python)),
    }];
    for library in &lock.libraries {
        findings.push(Finding {
            subject: library.name.clone(),
            locked: library.resolved.clone(),
            live: probe
                .libraries
                .get(&library.name)
                .and_then(|live| live.version.clone()),
        });
        let configured = config
            .libraries
            .get(&library.name)
            .map(|settings| settings.requirement.as_str());
        if configured.is_some_and(|configured| configured != library.requested) {
            findings.push(Finding {
                subject: format!("{} (requirement in Cargo.toml)", library.name),
                locked: library.requested.clone(),
                live: configured.map(str::to_owned),
            });
        }
    }
    Ok(findings)
}
