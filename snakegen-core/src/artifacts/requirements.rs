//! The lock's `requested` against its `resolved`, and against the
//! requirements configured now. A requirement is checked against the
//! installed version only when Python answers; a run that needs no Python
//! writes the committed versions beside the configured requirements, so it
//! must first know that they still go together.

use std::collections::BTreeMap;

use snakegen_lockfile::Lockfile;

use crate::config::{Config, Requirement};
use crate::metadata::LibraryMetadata;

/// What makes a parsed lock corrupt: a `requested` that is no requirement,
/// or a `resolved` that does not meet it. No run writes either.
pub(super) fn lock_problem(lock: &Lockfile) -> Option<String> {
    lock.libraries
        .iter()
        .find_map(|library| match Requirement::parse(&library.requested) {
            Err(reason) => Some(format!("`requested` of `{}`: {reason}", library.name)),
            Ok(requirement) if !requirement.accepts(&library.resolved) => Some(format!(
                "`{}` is locked at `resolved = {:?}`, which does not meet its `requested = {:?}`",
                library.name, library.resolved, library.requested
            )),
            Ok(_) => None,
        })
}

/// Why the committed description of a configured library cannot be kept
/// without asking Python what is installed, one reason per library: the
/// lock was written for a requirement of another kind (a stdlib module is
/// locked at the interpreter's version, a distribution at its own), or the
/// committed version does not meet the requirement configured now.
pub(crate) fn unvouched_requirements(
    config: &Config,
    lock: &Lockfile,
    metadata: &BTreeMap<String, LibraryMetadata>,
) -> Vec<String> {
    metadata
        .iter()
        .filter_map(|(name, described)| {
            let configured = &config.libraries.get(name)?.requirement;
            let Some(locked) = lock.library(name) else {
                return Some(format!(
                    "`{name}`: its manifest is committed, but snakegen.lock has no requirement for it"
                ));
            };
            let version = &described.version;
            let requested = &locked.requested;
            let wanted = configured.as_str();
            if (requested == Requirement::Stdlib.as_str()) != configured.is_stdlib() {
                Some(format!(
                    "`{name}`: the requirement changed from `{requested}` to `{wanted}`, so the locked {version} is another kind of version (a stdlib module's is its interpreter's)"
                ))
            } else if configured.accepts(version) {
                None
            } else if requested == wanted {
                // The lock's `resolved` was edited away from the manifest's
                // version, which is the one a run locks.
                Some(format!(
                    "`{name}`: the committed {version} does not meet `{wanted}`"
                ))
            } else {
                Some(format!(
                    "`{name}`: the requirement changed from `{requested}` to `{wanted}`, which the locked {version} does not meet"
                ))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::LibraryConfig;

    const LOCK: &str = r#"version = 1

[generator]
name = "cargo-snakegen"
version = "0.1.0"
output = 7

[python]
implementation = "cpython"
version = "3.11.7"
platform = "linux-x86_64"

[[library]]
name = "math"
requested = "stdlib"
resolved = "3.11.7"
metadata = "sha256:00"
symbols = []

[[library]]
name = "sympy"
requested = "==1.14.0"
resolved = "1.14.0"
metadata = "sha256:00"
symbols = []
"#;

    fn lock(edit: impl FnOnce(&str) -> String) -> Lockfile {
        Lockfile::parse(&edit(LOCK)).unwrap()
    }

    fn described(version: &str) -> LibraryMetadata {
        LibraryMetadata {
            version: version.to_owned(),
            symbols: BTreeMap::new(),
        }
    }

    /// A config asking for these requirements.
    fn config(requirements: &[(&str, &str)]) -> Config {
        let mut config = crate::config::tests::sample(Path::new("/nowhere"));
        for (name, requirement) in requirements {
            let library = LibraryConfig {
                requirement: Requirement::parse(requirement).unwrap(),
                include: Vec::new(),
                exclude: Vec::new(),
                package: None,
            };
            config.libraries.insert((*name).to_owned(), library);
        }
        config
    }

    /// The reasons for a config asking `math` and `sympy` for these
    /// requirements, against `LOCK` and manifests of its versions.
    fn unvouched(math: &str, sympy: &str) -> Vec<String> {
        let config = config(&[("math", math), ("sympy", sympy)]);
        let metadata = BTreeMap::from([
            ("math".to_owned(), described("3.11.7")),
            ("sympy".to_owned(), described("1.14.0")),
        ]);
        unvouched_requirements(&config, &lock(str::to_owned), &metadata)
    }

    #[test]
    fn a_lock_pairs_each_requirement_with_a_version_that_meets_it() {
        assert_eq!(lock_problem(&lock(str::to_owned)), None);
        let widened = lock(|text| text.replace("\"==1.14.0\"", "\">=1, <2\""));
        assert_eq!(lock_problem(&widened), None);

        let unmet = lock(|text| text.replace("\"==1.14.0\"", "\">=2\""));
        assert_eq!(
            lock_problem(&unmet).unwrap(),
            r#"`sympy` is locked at `resolved = "1.14.0"`, which does not meet its `requested = ">=2"`"#
        );
        let nonsense = lock(|text| text.replace("\"==1.14.0\"", "\"any\""));
        let problem = lock_problem(&nonsense).unwrap();
        assert!(
            problem.starts_with("`requested` of `sympy`: `any` is not a version requirement"),
            "{problem}"
        );
    }

    #[test]
    fn a_requirement_the_locked_version_meets_needs_no_python() {
        assert!(unvouched("stdlib", "==1.14.0").is_empty());
        assert!(unvouched("stdlib", ">=1").is_empty());
        assert!(unvouched("stdlib", "1.14").is_empty());
        assert!(unvouched("stdlib", "*").is_empty());
    }

    #[test]
    fn a_requirement_the_locked_version_does_not_meet_is_named() {
        assert_eq!(
            unvouched("stdlib", ">=2"),
            [
                "`sympy`: the requirement changed from `==1.14.0` to `>=2`, which the locked 1.14.0 does not meet"
            ]
        );
        assert_eq!(unvouched("stdlib", "^1.15").len(), 1);
    }

    #[test]
    fn a_requirement_of_another_kind_is_never_vouched_for() {
        assert_eq!(
            unvouched(">=3", "stdlib"),
            [
                "`math`: the requirement changed from `stdlib` to `>=3`, so the locked 3.11.7 is another kind of version (a stdlib module's is its interpreter's)",
                "`sympy`: the requirement changed from `==1.14.0` to `stdlib`, so the locked 1.14.0 is another kind of version (a stdlib module's is its interpreter's)",
            ]
        );
        assert_eq!(unvouched("*", "==1.14.0").len(), 1);
    }

    #[test]
    fn a_manifest_version_that_does_not_meet_the_requirement_is_named() {
        let config = config(&[("sympy", "==1.14.0")]);
        let metadata = BTreeMap::from([("sympy".to_owned(), described("1.13.0"))]);
        assert_eq!(
            unvouched_requirements(&config, &lock(str::to_owned), &metadata),
            ["`sympy`: the committed 1.13.0 does not meet `==1.14.0`"]
        );
    }

    #[test]
    fn a_manifest_the_lock_does_not_name_is_never_vouched_for() {
        let config = config(&[("json", "stdlib")]);
        let metadata = BTreeMap::from([("json".to_owned(), described("3.11.7"))]);
        assert_eq!(
            unvouched_requirements(&config, &lock(str::to_owned), &metadata),
            ["`json`: its manifest is committed, but snakegen.lock has no requirement for it"]
        );
    }
}
