//! Asking Python: the request a package's question becomes, one
//! introspection (or the metadata cache), and the answer checked against
//! the configured requirements.
use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, Requirement, VersionReq};
use crate::error::Error;
use crate::introspect::MetadataCache;
use crate::introspect::{self, LibraryAnswer, LibraryRequest, Request, Unresolved};
use crate::metadata::{LibraryMetadata, PythonIdentity, library_of};
use crate::reporter::Reporter;

/// Why a library cannot be used as configured: it does not import, or its
/// version does not meet the requirement.
fn library_problem(config: &Config, name: &str, library: &LibraryAnswer) -> Option<String> {
    let settings = &config.libraries[name];
    let distribution = settings.package.as_deref().unwrap_or(name);
    if let Some(error) = &library.error {
        return Some(format!(
            "could not import the Python library `{name}`: {}: {}\n  = help: install it into `{}`: `pip install {distribution}`",
            error.type_name, error.message, config.interpreter
        ));
    }
    let Requirement::Version(wanted) = &settings.requirement else {
        return None;
    };
    let requirement = VersionReq::parse(wanted).expect("the config pass validated it");
    match &library.version {
        Some(version) if requirement.matches(version) => None,
        Some(version) => Some(format!(
            "`{name}` {version} is installed, but [package.metadata.snakegen.libraries] asks for `{wanted}`\n  = help: `pip install \"{distribution}{}\"` into `{}`, or change the requirement",
            if wanted.starts_with(|c: char| c.is_ascii_digit()) {
                format!("=={wanted}.*")
            } else {
                wanted.clone()
            },
            config.interpreter
        )),
        None if wanted == "*" => None,
        None => Some(format!(
            "cannot tell which version of `{name}` is installed (no distribution `{distribution}`, no `__version__`), so `{wanted}` cannot be checked\n  = help: set `package` to its distribution name, or the requirement to \"*\""
        )),
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
            "{} paths in {} libraries",
            request.paths.len(),
            request.libraries.len()
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
    let run = |request: &Request| {
        introspect::run(python, request, scratch, timeout).map_err(Error::Introspect)
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
        let version = answer.libraries[&library]
            .version
            .clone()
            .unwrap_or_default();
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
