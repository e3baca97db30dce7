//! `cargo snakegen add LIBRARY [REQUIREMENT]`: `cargo add` for Python
//! libraries. The library must import in the configured interpreter; the
//! requirement defaults to what is installed (`>=X.Y`, or `stdlib`).

use std::collections::BTreeMap;

use super::ask::import_problem;
use crate::config::{Config, VersionReq};
use crate::error::Error;
use crate::introspect::{self, LibraryRequest, Request};
use crate::metadata::is_python_identifier;
use crate::reporter::Reporter;
use crate::setup;
use crate::util::fs;

const STDLIB: &str = "stdlib";

/// What `add` wrote, or found written already.
#[derive(Debug)]
pub struct Added {
    pub requirement: String,
    /// `false` when `Cargo.toml` had the entry already.
    pub changed: bool,
}

/// Adds `library` to `[package.metadata.snakegen.libraries]` in the
/// package's `Cargo.toml`, after importing it in the configured
/// interpreter. `requirement` (default: the installed version as `>=X.Y`,
/// or `stdlib`) must hold for what is installed.
pub fn add(
    config: &Config,
    library: &str,
    requirement: Option<&str>,
    reporter: &mut dyn Reporter,
) -> Result<Added, Error> {
    let manifest = config.package_root.join("Cargo.toml");
    let usage = |message: String| Error::Manifest {
        path: manifest.clone(),
        message,
    };
    if !is_python_identifier(library) {
        let help = match library.split_once('.') {
            Some((top, _)) => {
                format!("\n  = help: libraries are top-level modules: `cargo snakegen add {top}`")
            }
            None => String::new(),
        };
        return Err(usage(format!(
            "`{library}` is not the name of a Python module{help}"
        )));
    }
    let wanted = requirement
        .filter(|requirement| *requirement != STDLIB)
        .map(|requirement| {
            VersionReq::parse(requirement).map_err(|error| {
                usage(format!(
                    "invalid requirement `{requirement}` for `{library}`: {error}"
                ))
            })
        })
        .transpose()?;
    let distribution = config
        .libraries
        .get(library)
        .and_then(|configured| configured.package.clone());
    reporter.status(
        "Importing",
        &format!("{library} with `{}`", config.interpreter),
    );
    let request = Request::libraries(
        BTreeMap::from([(
            library.to_owned(),
            LibraryRequest {
                stdlib: requirement == Some(STDLIB),
                distribution: distribution.clone(),
            },
        )]),
        false,
    );
    let answer = introspect::run(
        &config.interpreter,
        &request,
        &config.scratch_dir,
        config.timeout,
        &mut |waiting| reporter.waiting(waiting),
    )
    .map_err(Error::Introspect)?;
    let Some(found) = answer.libraries.get(library) else {
        return Err(Error::Environment(vec![format!(
            "`{}` gave no answer about `{library}`",
            config.interpreter
        )]));
    };
    if let Some(error) = &found.error {
        let distribution = distribution.as_deref().unwrap_or(library);
        return Err(Error::Environment(vec![import_problem(
            config,
            library,
            distribution,
            error,
        )]));
    }
    let installed = found.version.as_deref();
    let requirement = match (requirement, found.stdlib) {
        (Some(STDLIB), false) => {
            return Err(Error::Environment(vec![format!(
                "`{library}` is not a module of Python's standard library{}\n  = help: give a version requirement, or none for `>=` the installed version",
                installed.map(|version| format!(" (installed: {version})")).unwrap_or_default()
            )]));
        }
        (Some(requirement), true) if requirement != STDLIB => {
            return Err(Error::Environment(vec![format!(
                "`{library}` is a module of Python's standard library, whose version is the interpreter's\n  = help: `cargo snakegen add {library}` (its requirement is `stdlib`)"
            )]));
        }
        (Some(requirement), _) => {
            if let (Some(wanted), Some(installed)) = (&wanted, installed)
                && !wanted.matches(installed)
            {
                return Err(Error::Environment(vec![format!(
                    "`{library}` {installed} is installed, which `{requirement}` does not allow\n  = help: install a version that it allows, or give a requirement that allows {installed}"
                )]));
            }
            requirement.to_owned()
        }
        (None, true) => STDLIB.to_owned(),
        (None, false) => installed.and_then(setup::default_requirement).ok_or_else(|| {
            Error::Environment(vec![format!(
                "cannot tell which version of `{library}` is installed\n  = help: give the requirement: `cargo snakegen add {library} '>=1.0'` (or \"*\")"
            )])
        })?,
    };
    let before = fs::read_text(&manifest)?;
    let after = setup::manifest_with_library(&before, library, &requirement).map_err(usage)?;
    let entry = format!("{library} = \"{requirement}\"");
    match &after {
        Some(text) => {
            fs::write_atomic(&config.package_root, &manifest, text.as_bytes())?;
            reporter.status(
                "Adding",
                &format!("`{entry}` to [package.metadata.snakegen.libraries]"),
            );
        }
        None => reporter.status(
            "Unchanged",
            &format!("`{entry}` is in [package.metadata.snakegen.libraries] already"),
        ),
    }
    Ok(Added {
        requirement,
        changed: after.is_some(),
    })
}
