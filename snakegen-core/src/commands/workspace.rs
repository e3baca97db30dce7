//! Several packages in one run (`--workspace`, `-p a -p b`). Each package
//! keeps its own OS lock, `snakegen.lock`, manifests and adapters, and goes
//! through the same passes as a run on it alone (`pipeline::run`); what is
//! shared is the interpreter. Packages that introspect with the same
//! interpreter send one request, the union of theirs, to one process, and
//! each gets back only what it asked for, so its artifacts are the bytes a
//! run on it alone writes.
//!
//! All or nothing: when any package fails before writing (its scan, an
//! unresolved symbol, a library that does not import), every failure is
//! reported and no package is written.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::ask::{Introspected, ask, introspected};
use super::lock_package;
use super::run::{Outcome, Prepared, RunOptions, prepare, settle, write_settled};
use crate::config::Config;
use crate::error::Error;
use crate::introspect::{Answer, Request};
use crate::metadata::Item;
use crate::reporter::Reporter;
use crate::util::text::counted;

/// A failure of one package, or of the packages that shared an
/// interpreter (`package` then lists them: `a, b`).
#[derive(Debug)]
pub struct PackageError {
    pub package: String,
    pub error: Error,
}

impl std::fmt::Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.package, self.error)
    }
}

/// The normal run on `configs`: one outcome per package, in their order.
/// Locks are taken by package name, whatever the order of `configs`.
pub fn run(
    configs: &[Config],
    options: RunOptions,
    reporter: &mut dyn Reporter,
) -> Result<Vec<Outcome>, Vec<PackageError>> {
    let failed = |config: &Config, error| PackageError {
        package: config.package_name.clone(),
        error,
    };
    let mut by_name: Vec<&Config> = configs.iter().collect();
    by_name.sort_by(|a, b| a.package_name.cmp(&b.package_name));
    let mut locks = Vec::new();
    for config in by_name {
        reporter.package(&config.package_root);
        locks.push(lock_package(config, reporter).map_err(|error| vec![failed(config, error)])?);
    }

    let mut errors = Vec::new();
    let mut prepared = Vec::new();
    for config in configs {
        reporter.package(&config.package_root);
        match prepare(config, options, reporter) {
            Ok(package) => prepared.push(package),
            Err(error) => errors.push(failed(config, error)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let (answers, mut errors) = introspect_all(configs, &prepared, reporter);
    let mut settled = Vec::new();
    for ((config, package), answer) in configs.iter().zip(prepared).zip(answers) {
        let Ok(answer) = answer else { continue };
        reporter.package(&config.package_root);
        match settle(config, package, answer, reporter) {
            Ok(package) => settled.push((config, package)),
            Err(error) => errors.push(failed(config, error)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut outcomes = Vec::new();
    for (config, package) in settled {
        reporter.package(&config.package_root);
        match write_settled(config, package, reporter) {
            Ok(outcome) => outcomes.push(outcome),
            Err(error) => errors.push(failed(config, error)),
        }
    }
    drop(locks);
    if errors.is_empty() {
        Ok(outcomes)
    } else {
        Err(errors)
    }
}

/// Packages whose requests go to one interpreter process.
struct Group {
    python: String,
    packages: Vec<usize>,
    request: Request,
    timeout: Duration,
}

impl Group {
    /// A package joins a group with its interpreter unless the two ask
    /// about a library differently (stdlib or not, distribution name),
    /// which would change the answer's versions.
    fn admits(&self, python: &str, request: &Request) -> bool {
        self.python == python
            && request.libraries.iter().all(|(name, library)| {
                self.request
                    .libraries
                    .get(name)
                    .is_none_or(|other| other == library)
            })
    }

    fn add(&mut self, package: usize, request: &Request, timeout: Duration) {
        self.packages.push(package);
        let union = &mut self.request;
        union.libraries.extend(request.libraries.clone());
        union.paths.extend(request.paths.iter().cloned());
        union.indexes.extend(request.indexes.iter().cloned());
        union.members.extend(request.members.iter().cloned());
        self.timeout = self.timeout.max(timeout);
    }
}

/// Each package's answer: `Ok(None)` when it needs no Python, `Err(())`
/// when its failure is among the returned errors.
type Answers = Vec<Result<Option<Introspected>, ()>>;

/// One process per interpreter answers every package that needs Python.
fn introspect_all(
    configs: &[Config],
    prepared: &[Prepared],
    reporter: &mut dyn Reporter,
) -> (Answers, Vec<PackageError>) {
    let requests: Vec<Option<Request>> = configs
        .iter()
        .zip(prepared)
        .map(|(config, package)| Some(package.question.as_ref()?.request(config)))
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        let Some(request) = request else { continue };
        let config = &configs[index];
        let python = config.interpreter.clone();
        match groups
            .iter_mut()
            .find(|group| group.admits(&python, request))
        {
            Some(group) => group.add(index, request, config.timeout),
            None => groups.push(Group {
                python,
                packages: vec![index],
                request: request.clone(),
                timeout: config.timeout,
            }),
        }
    }

    let mut answers: Answers = configs.iter().map(|_| Ok(None)).collect();
    let mut errors = Vec::new();
    for group in groups {
        let names: Vec<&str> = group
            .packages
            .iter()
            .map(|&index| configs[index].package_name.as_str())
            .collect();
        let first = &configs[group.packages[0]];
        reporter.status(
            "Resolving",
            &format!(
                "{} in {} for {}",
                counted(group.request.paths.len(), "path", "paths"),
                counted(group.request.libraries.len(), "library", "libraries"),
                names.join(", ")
            ),
        );
        let shared = match ask(
            &group.python,
            &first.scratch_dir,
            group.timeout,
            group.request,
            reporter,
        ) {
            Ok(answer) => answer,
            Err(error) => {
                errors.push(PackageError {
                    package: names.join(", "),
                    error,
                });
                for &index in &group.packages {
                    answers[index] = Err(());
                }
                continue;
            }
        };
        for &index in &group.packages {
            let config = &configs[index];
            let request = requests[index].clone().expect("grouped packages ask");
            let answer = match answer_for(&shared, &request) {
                Some(answer) => Ok(answer),
                None => {
                    // A class with more called members than the introspector
                    // describes: the shared answer cut it elsewhere.
                    reporter.status(
                        "Resolving",
                        &format!(
                            "{} in {} for {} alone",
                            counted(request.paths.len(), "path", "paths"),
                            counted(request.libraries.len(), "library", "libraries"),
                            config.package_name
                        ),
                    );
                    ask(
                        &group.python,
                        &config.scratch_dir,
                        config.timeout,
                        request,
                        reporter,
                    )
                }
            };
            answers[index] = match answer.and_then(|answer| introspected(config, answer)) {
                Ok(introspected) => Ok(Some(introspected)),
                Err(error) => {
                    errors.push(PackageError {
                        package: config.package_name.clone(),
                        error,
                    });
                    Err(())
                }
            };
        }
    }
    (answers, errors)
}

/// The part of `shared` (the answer to a union of requests) that answers
/// `request` alone: what one process started for `request` would have
/// said. `None` when that cannot be told: a class whose called members the
/// introspector truncated.
fn answer_for(shared: &Answer, request: &Request) -> Option<Answer> {
    // The introspector describes every prefix of a requested path (until
    // the first non-module), and nothing else.
    let walked: BTreeSet<String> = request
        .paths
        .iter()
        .chain(&request.indexes)
        .flat_map(|path| {
            let segments: Vec<&str> = path.split('.').collect();
            (1..=segments.len()).map(move |end| segments[..end].join("."))
        })
        .collect();
    let mut symbols = BTreeMap::new();
    for (path, symbol) in &shared.symbols {
        if !walked.contains(path) {
            continue;
        }
        let mut symbol = symbol.clone();
        match &mut symbol.item {
            // A name index is listed only for the modules asked to index.
            Item::Module { names } if !request.indexes.contains(path) => *names = None,
            // Members are described only when called.
            Item::Class(class) => {
                if class.truncated {
                    return None;
                }
                class
                    .methods
                    .retain(|name, _| request.members.contains(name));
                class
                    .attributes
                    .retain(|name, _| request.members.contains(name));
            }
            _ => {}
        }
        symbols.insert(path.clone(), symbol);
    }
    Some(Answer {
        python: shared.python.clone(),
        libraries: shared
            .libraries
            .iter()
            .filter(|(name, _)| request.libraries.contains_key(*name))
            .map(|(name, library)| (name.clone(), library.clone()))
            .collect(),
        symbols,
        unresolved: shared
            .unresolved
            .iter()
            .filter(|(path, _)| request.paths.contains(*path) || request.indexes.contains(*path))
            .map(|(path, unresolved)| (path.clone(), unresolved.clone()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn signature() -> serde_json::Value {
        json!({ "source": "inspect", "fallbacks": [], "parameters": [], "returns": null })
    }

    fn shared(truncated: bool) -> Answer {
        let method = json!({ "binding": "instance", "signature": signature(), "doc": null });
        serde_json::from_value(json!({
            "python": { "implementation": "cpython", "version": "3.11.7", "platform": "linux-x86_64" },
            "libraries": {
                "fractions": { "version": "3.11.7", "error": null },
                "math": { "version": "3.11.7", "error": null },
            },
            "symbols": {
                "fractions": { "kind": "module", "canonical": "fractions", "doc": null },
                "fractions.Fraction": {
                    "kind": "class", "canonical": "fractions.Fraction", "doc": null,
                    "constructor": signature(),
                    "members": ["limit_denominator", "numerator"],
                    "methods": { "limit_denominator": method },
                    "attributes": { "numerator": { "doc": null } },
                    "truncated": truncated,
                },
                "math": { "kind": "module", "canonical": "math", "doc": null, "names": ["pi"] },
                "math.pi": { "kind": "attribute", "canonical": "math.pi", "doc": null, "type_name": "float" },
            },
            "unresolved": {
                "math.nope": { "module": "math", "name": "nope", "names": ["pi"] },
            },
        }))
        .unwrap()
    }

    fn request(paths: &[&str], indexes: &[&str], members: &[&str]) -> Request {
        let set = |items: &[&str]| items.iter().map(|item| item.to_string()).collect();
        let libraries = paths
            .iter()
            .chain(indexes)
            .map(|path| {
                let library = crate::introspect::LibraryRequest {
                    stdlib: true,
                    distribution: None,
                };
                (path.split('.').next().unwrap().to_owned(), library)
            })
            .collect();
        Request {
            libraries,
            paths: set(paths),
            indexes: set(indexes),
            members: set(members),
            probe: false,
        }
    }

    #[test]
    fn a_package_gets_only_its_paths_members_and_indexes() {
        let answer = answer_for(
            &shared(false),
            &request(&["fractions.Fraction", "math.pi"], &[], &["numerator"]),
        )
        .unwrap();
        let paths: Vec<&str> = answer.symbols.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            ["fractions", "fractions.Fraction", "math", "math.pi"]
        );
        let Item::Class(class) = &answer.symbols["fractions.Fraction"].item else {
            panic!("a class");
        };
        assert!(class.methods.is_empty());
        assert_eq!(class.attributes.keys().collect::<Vec<_>>(), ["numerator"]);
        assert_eq!(class.members, ["limit_denominator", "numerator"]);
        assert_eq!(answer.symbols["math"].name_index(), None);
        assert!(answer.unresolved.is_empty());

        let answer = answer_for(&shared(false), &request(&["math.nope"], &["math"], &[])).unwrap();
        let paths: Vec<&str> = answer.symbols.keys().map(String::as_str).collect();
        assert_eq!(paths, ["math"]);
        assert_eq!(
            answer.symbols["math"].name_index(),
            Some(&["pi".to_owned()][..])
        );
        assert_eq!(answer.unresolved.keys().collect::<Vec<_>>(), ["math.nope"]);
        assert_eq!(answer.libraries.keys().collect::<Vec<_>>(), ["math"]);
    }

    #[test]
    fn a_truncated_class_cannot_be_shared() {
        let wanted = request(&["fractions.Fraction"], &[], &["numerator"]);
        assert!(answer_for(&shared(true), &wanted).is_none());
        assert!(answer_for(&shared(true), &request(&["math.pi"], &[], &[])).is_some());
    }
}
