//! Asking Python: the request a package's question becomes, one
//! introspection (or the metadata cache), and the answer checked against
//! the configured requirements.
use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, Requirement, VersionReq};
use crate::error::Error;
use crate::introspect::MetadataCache;
use crate::introspect::{
    self, LibraryAnswer, LibraryRequest, PythonError, PythonErrorKind, Request, Unresolved,
};
use crate::metadata::{LibraryMetadata, PythonIdentity, library_of};
use crate::reporter::Reporter;
use crate::util::text::counted;

/// Why a library cannot be used as configured: it does not import, or its
/// version does not meet the requirement. A library the config does not
/// name is none of this run's business. Python's text was made printable
/// by `introspect::run`.
fn library_problem(config: &Config, name: &str, library: &LibraryAnswer) -> Option<String> {
    let settings = config.libraries.get(name)?;
    let distribution = settings.package.as_deref().unwrap_or(name);
    if let Some(error) = &library.error {
        return Some(import_problem(config, name, distribution, error));
    }
    let Requirement::Version(wanted) = &settings.requirement else {
        return None;
    };
    let requirement = VersionReq::parse(wanted).expect("the config pass validated it");
    match &library.version {
        Some(version) if requirement.matches(version) => None,
        Some(version) if !VersionReq::is_pep440(version) => Some(format!(
            "`{name}` says its version is `{version}`, which is not a PEP 440 version, so `{wanted}` cannot be checked\n  = help: set the requirement to \"*\", or install a release of `{distribution}` with a PEP 440 version"
        )),
        Some(version) => Some(format!(
            "`{name}` {version} is installed, but [package.metadata.snakegen.libraries] asks for `{wanted}`\n  = help: `pip install \"{distribution}{}\"` into `{}`, or change the requirement",
            requirement.to_pep440(),
            config.interpreter
        )),
        None if wanted == "*" => None,
        None => Some(format!(
            "cannot tell which version of `{name}` is installed (no distribution `{distribution}`, no `__version__`), so `{wanted}` cannot be checked\n  = help: set `package` to its distribution name, or the requirement to \"*\""
        )),
    }
}

/// What an import raised, told as what it is: only an `ImportError` can
/// mean the library is not installed.
fn import_problem(config: &Config, name: &str, distribution: &str, error: &PythonError) -> String {
    let raised = if error.message.is_empty() {
        error.type_name.clone()
    } else {
        format!("{}: {}", error.type_name, error.message)
    };
    let python = &config.interpreter;
    let own_code = format!(
        "  = note: `{name}` is installed; its own code raised this while it was imported\n  = help: `{python} -c \"import {name}\"` shows the traceback"
    );
    match error.kind {
        PythonErrorKind::ImportError => format!(
            "could not import the Python library `{name}`: {raised}\n  = help: install it into `{python}`: `pip install {distribution}`"
        ),
        PythonErrorKind::Exception => {
            format!("could not import the Python library `{name}`: {raised}\n{own_code}")
        }
        PythonErrorKind::BaseException => {
            format!("importing the Python library `{name}` was interrupted by {raised}\n{own_code}")
        }
    }
}

pub(crate) struct Introspected {
    pub(crate) python: PythonIdentity,
    pub(crate) metadata: BTreeMap<String, LibraryMetadata>,
    pub(crate) unresolved: BTreeMap<String, Unresolved>,
}

/// Asks the interpreter about `paths`, in one process for all libraries.
pub(super) fn introspect_paths(
    config: &Config,
    paths: BTreeSet<String>,
    indexes: BTreeSet<String>,
    members: BTreeSet<String>,
    reporter: &mut dyn Reporter,
) -> Result<Introspected, Error> {
    let request = request_for(config, paths, indexes, members);
    reporter.status(
        "Resolving",
        &format!(
            "{} in {}",
            counted(request.paths.len(), "path", "paths"),
            counted(request.libraries.len(), "library", "libraries")
        ),
    );
    let answer = ask(
        &config.interpreter,
        &config.scratch_dir,
        config.timeout,
        request,
        reporter,
    )?;
    introspected(config, answer)
}

/// The request for `paths` and `indexes`, naming the configured libraries
/// they touch.
pub(super) fn request_for(
    config: &Config,
    paths: BTreeSet<String>,
    indexes: BTreeSet<String>,
    members: BTreeSet<String>,
) -> Request {
    let touched: BTreeSet<&str> = paths
        .iter()
        .chain(&indexes)
        .map(|path| library_of(path))
        .collect();
    Request {
        libraries: config
            .libraries
            .iter()
            .filter(|(name, _)| touched.contains(name.as_str()))
            .map(|(name, library)| {
                let request = LibraryRequest {
                    stdlib: library.requirement == Requirement::Stdlib,
                    distribution: library.package.clone(),
                };
                (name.clone(), request)
            })
            .collect(),
        paths,
        indexes,
        members,
        probe: true,
    }
}

/// Answers `request` in `python`: from the metadata cache in `scratch`
/// when a probe says every item is there, else by one introspection.
pub(crate) fn ask(
    python: &str,
    scratch: &std::path::Path,
    timeout: std::time::Duration,
    request: Request,
    reporter: &mut dyn Reporter,
) -> Result<introspect::Answer, Error> {
    let mut run = |request: &Request| {
        let answer = introspect::run(python, request, scratch, timeout, &mut |waiting| {
            reporter.waiting(waiting);
        });
        reporter.waited();
        answer.map_err(Error::Introspect)
    };
    let cache = MetadataCache::new(scratch.join("metadata"));
    // A cold cache skips the probe: it would cost an interpreter start to
    // learn that nothing is cached.
    let probe = if cache.is_empty() {
        None
    } else {
        Some(run(&request)?)
    };
    let request = Request {
        probe: false,
        ..request
    };
    match probe.and_then(|probe| cache.lookup(&probe, &request)) {
        Some(answer) => {
            reporter.status(
                "Cached",
                "every path is in the metadata cache: no library imported",
            );
            Ok(answer)
        }
        None => {
            let answer = run(&request)?;
            if answer
                .libraries
                .values()
                .all(|library| library.error.is_none())
            {
                cache.store(&answer, &request);
            }
            Ok(answer)
        }
    }
}

/// `answer` as `config`'s metadata, once every library it names imports
/// in a version the config accepts.
pub(crate) fn introspected(
    config: &Config,
    answer: introspect::Answer,
) -> Result<Introspected, Error> {
    let problems: Vec<String> = answer
        .libraries
        .iter()
        .filter_map(|(name, library)| library_problem(config, name, library))
        .collect();
    if !problems.is_empty() {
        return Err(Error::Environment(problems));
    }
    let mut metadata: BTreeMap<String, LibraryMetadata> = BTreeMap::new();
    for (path, symbol) in answer.symbols {
        let library = library_of(&path).to_owned();
        // Only what was asked for: a symbol of a library that the config
        // does not name, or the answer does not describe, is dropped.
        let answered = answer.libraries.get(&library);
        let Some(answered) = answered.filter(|_| config.libraries.contains_key(&library)) else {
            continue;
        };
        let version = answered.version.clone().unwrap_or_default();
        metadata
            .entry(library)
            .or_insert_with(|| LibraryMetadata {
                version,
                symbols: BTreeMap::new(),
            })
            .symbols
            .insert(path, symbol);
    }
    Ok(Introspected {
        python: answer.python,
        metadata,
        unresolved: answer.unresolved,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::LibraryConfig;

    fn answer(json: serde_json::Value) -> introspect::Answer {
        serde_json::from_value(json).unwrap()
    }

    fn python() -> serde_json::Value {
        serde_json::json!({"implementation": "cpython", "version": "3.11.7", "platform": "linux-x86_64"})
    }

    fn module(name: &str) -> serde_json::Value {
        serde_json::json!({"canonical": name, "doc": null, "kind": "module"})
    }

    #[test]
    fn an_answer_naming_an_unknown_library_is_ignored() {
        let config = crate::config::tests::sample(Path::new("/nowhere"));
        let answer = answer(serde_json::json!({
            "python": python(),
            "libraries": {
                "math": {"version": "3.11.7", "error": null},
                "os": {"version": "3.11.7", "error": null},
            },
            "symbols": {"math": module("math"), "os": module("os"), "json": module("json")},
            "unresolved": {},
        }));
        let introspected = introspected(&config, answer).unwrap();
        let libraries: Vec<&String> = introspected.metadata.keys().collect();
        assert_eq!(libraries, ["math"]);
    }

    fn problem(requirement: &str, version: &str, error: Option<serde_json::Value>) -> String {
        let mut config = crate::config::tests::sample(Path::new("/nowhere"));
        config.libraries.insert(
            "weirdver".to_owned(),
            LibraryConfig {
                requirement: Requirement::Version(requirement.to_owned()),
                include: Vec::new(),
                exclude: Vec::new(),
                package: None,
            },
        );
        let library: LibraryAnswer =
            serde_json::from_value(serde_json::json!({"version": version, "error": error}))
                .unwrap();
        library_problem(&config, "weirdver", &library).unwrap()
    }

    #[test]
    fn the_pip_hint_is_pip_syntax() {
        let message = problem("^3", "2.0", None);
        assert!(
            message.contains(r#"`pip install "weirdver>=3, <4"` into `python3`"#),
            "{message}"
        );
    }

    #[test]
    fn an_import_is_told_by_what_it_raised() {
        let raised = |kind: &str, type_name: &str| {
            let error = serde_json::json!({"kind": kind, "type": type_name, "message": ""});
            problem("*", "1.0", Some(error))
        };
        let missing = raised("ImportError", "ModuleNotFoundError");
        assert!(missing.contains("pip install weirdver"), "{missing}");
        let failing = raised("Exception", "RuntimeError");
        assert!(!failing.contains("pip install"), "{failing}");
        assert!(failing.contains("`weirdver` is installed"), "{failing}");
        let stopped = raised("BaseException", "KeyboardInterrupt");
        assert!(
            stopped.starts_with(
                "importing the Python library `weirdver` was interrupted by KeyboardInterrupt\n"
            ),
            "{stopped}"
        );
        assert!(!stopped.contains("pip install"), "{stopped}");
    }
}
