//! The normal run (`cargo snakegen`): scan, introspect what the manifests
//! do not answer, resolve, generate, write. Nothing is written unless every
//! step succeeds. Split into `prepare` (up to the question for Python),
//! `settle` (from its answer to the artifacts to be) and `write_settled`, so
//! that a run over several packages (`workspace.rs`) can share one Python.
use std::collections::{BTreeMap, BTreeSet};

use snakegen_lockfile::Lockfile;

use super::ask::{self, Introspected};
use super::{
    excluded_modules, forgiving, lock_package, report, scan_and_report, scan_incomplete,
    with_included,
};
use crate::artifacts::{self, Plan};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;
use crate::introspect::{Request, Unresolved};
use crate::metadata::{LibraryMetadata, PythonIdentity};
use crate::reporter::Reporter;
use crate::resolve;
use crate::scan::package::CacheMode;
use crate::scan::{Usage, UsageKind};
use crate::util::text::counted;

/// What a normal run did.
pub struct Outcome {
    pub plan: Plan,
    pub introspected: bool,
}

/// The normal run: scan, introspect what the manifests do not answer,
/// resolve, generate, write. Nothing is written unless every step succeeds.
/// How a normal run may depart from the incremental default.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Ignore every cache and ask Python about every symbol again; the
    /// result is byte-identical to an incremental run's.
    pub full: bool,
    /// Treat a corrupt lock or manifest as absent and regenerate it,
    /// instead of refusing to overwrite it.
    pub force: bool,
    /// Use manifests that another version of snakegen wrote as they are.
    /// Otherwise a lock from another release or output format makes Python describe
    /// every symbol again, since the introspector that wrote the manifests
    /// may have described them differently. Build scripts keep them: a
    /// `CI` build must not need Python because snakegen was upgraded.
    pub keep_older_manifests: bool,
}

pub fn run(
    config: &Config,
    options: RunOptions,
    reporter: &mut dyn Reporter,
) -> Result<Outcome, Error> {
    let _lock = lock_package(config, reporter)?;
    let prepared = prepare(config, options, reporter)?;
    let introspected = match &prepared.question {
        Some(question) => Some(question.introspect(config, reporter)?),
        None => None,
    };
    let settled = settle(config, prepared, introspected, reporter)?;
    write_settled(config, settled, reporter)
}

/// One package's state before Python is asked: its scan, its artifacts
/// on disk, and what the manifests cannot answer.
pub(crate) struct Prepared {
    pub(crate) scan_had_errors: bool,
    /// The class members the package may call.
    pub(crate) called: BTreeSet<String>,
    pub(crate) existing: BTreeMap<String, String>,
    pub(crate) lock: Option<Lockfile>,
    pub(crate) metadata: BTreeMap<String, LibraryMetadata>,
    /// The interpreter the committed manifests were described by.
    pub(crate) manifests_python: Option<PythonIdentity>,
    pub(crate) force: bool,
    pub(crate) usages: Vec<Usage>,
    /// Why the committed versions cannot vouch for some configured
    /// requirements (`artifacts::unvouched_requirements`).
    pub(crate) unvouched: Vec<String>,
    /// What to ask Python; `None` when the lock and manifests answer
    /// everything.
    pub(crate) question: Option<Question>,
}

/// A package's introspection request, before it becomes a `Request`.
pub(crate) struct Question {
    paths: BTreeSet<String>,
    indexes: BTreeSet<String>,
    members: BTreeSet<String>,
}

impl Question {
    /// Python's answer, from one process (or the metadata cache).
    pub(super) fn introspect(
        &self,
        config: &Config,
        reporter: &mut dyn Reporter,
    ) -> Result<Introspected, Error> {
        ask::introspect_paths(
            config,
            self.paths.clone(),
            self.indexes.clone(),
            self.members.clone(),
            reporter,
        )
    }

    /// The request this question becomes, for a process it may share.
    pub(crate) fn request(&self, config: &Config) -> Request {
        ask::request_for(
            config,
            self.paths.clone(),
            self.indexes.clone(),
            self.members.clone(),
        )
    }
}

/// The run's first half: scan, read the artifacts, and work out what only
/// Python can answer.
pub(crate) fn prepare(
    config: &Config,
    options: RunOptions,
    reporter: &mut dyn Reporter,
) -> Result<Prepared, Error> {
    if options.full {
        super::clean::clean(config)?;
    }
    let scan = scan_and_report(config, CacheMode::ReadWrite, reporter)?;
    let existing = artifacts::existing_artifacts(config)?;
    let lock = forgiving(options, reporter, artifacts::parse_lock(&existing))?;
    let artifacts::Manifests {
        metadata,
        python: manifests_python,
    } = forgiving(
        options,
        reporter,
        artifacts::parse_manifests(config, &existing),
    )?;
    let scan_had_errors = scan_incomplete(&scan);
    let usages = with_included(config, scan.usages);
    let unknown = resolve::unknown_paths(&usages, &metadata);
    let missing_indexes = resolve::missing_indexes(&usages, &metadata);
    let called = resolve::called_members(&scan.methods, &usages);
    let undescribed = resolve::undescribed_members(&called, &metadata);

    let same_generator = lock
        .as_ref()
        .is_some_and(|lock| options.keep_older_manifests || artifacts::same_generator(lock));
    // A manifest edited by hand may describe anything (a function as a
    // module, say); Python describes its symbols again.
    let edited = match &lock {
        Some(lock) if !options.keep_older_manifests => {
            artifacts::manifests_unlike_lock(lock, &existing)
        }
        _ => Vec::new(),
    };
    for library in &edited {
        reporter.status(
            "Warning",
            &format!(
                "{} is not the manifest snakegen.lock recorded: asking Python again",
                reporter.shown(&artifacts::manifest_path(library))
            ),
        );
    }
    // Only Python can say whether what is installed meets a requirement the
    // committed versions do not.
    let unvouched = match &lock {
        Some(lock) => artifacts::unvouched_requirements(config, lock, &metadata),
        None => Vec::new(),
    };
    for reason in &unvouched {
        reporter.status("Rechecking", &format!("{reason}; asking Python"));
    }
    let up_to_date = unknown.is_empty()
        && missing_indexes.is_empty()
        && undescribed.is_empty()
        && !options.full
        && same_generator
        && edited.is_empty()
        && unvouched.is_empty();
    let question = if up_to_date {
        None
    } else {
        // One process answers for everything, old symbols and indexes
        // included, so the manifests always describe one interpreter
        // and one version of each library.
        let mut paths = unknown;
        let mut indexes = missing_indexes;
        for library in metadata.values() {
            paths.extend(library.symbols.keys().cloned());
            indexes.extend(
                library
                    .symbols
                    .iter()
                    .filter(|(_, symbol)| symbol.name_index().is_some())
                    .map(|(path, _)| path.clone()),
            );
        }
        let mut members = called.clone();
        members.extend(resolve::described_members(&metadata));
        Some(Question {
            paths,
            indexes,
            members,
        })
    };
    Ok(Prepared {
        scan_had_errors,
        called,
        existing,
        lock,
        metadata,
        manifests_python,
        force: options.force,
        usages,
        unvouched,
        question,
    })
}

/// A package's artifacts-to-be: resolved, linted and pruned, not written.
pub(crate) struct Settled {
    pub(crate) lock: Option<Lockfile>,
    pub(crate) existing: BTreeMap<String, String>,
    pub(crate) python: PythonIdentity,
    pub(crate) metadata: BTreeMap<String, LibraryMetadata>,
    pub(crate) introspected: bool,
    /// `--force`: hand-written files where artifacts go are replaced.
    pub(crate) force: bool,
}

/// The run's second half, short of writing: `introspected` answers the
/// prepared question (`None` when there was none). Reports unresolved
/// symbols at their call sites.
pub(crate) fn settle(
    config: &Config,
    prepared: Prepared,
    introspected: Option<Introspected>,
    reporter: &mut dyn Reporter,
) -> Result<Settled, Error> {
    let Prepared {
        scan_had_errors,
        called,
        existing,
        lock,
        mut metadata,
        manifests_python,
        force,
        usages,
        unvouched: _,
        question: _,
    } = prepared;
    let (python, unresolved, introspected) = match (introspected, &lock) {
        (Some(introspected), _) => {
            metadata = introspected.metadata;
            (introspected.python, introspected.unresolved, true)
        }
        (None, Some(lock)) => (
            manifests_python.unwrap_or_else(|| lock.python.clone()),
            BTreeMap::new(),
            false,
        ),
        (None, None) => unreachable!("a package without a lock always asks Python"),
    };

    report_resolution(config, &usages, &metadata, &unresolved, reporter)?;

    if config.prune_auto {
        if scan_had_errors {
            reporter.status("Warning", "not pruning: the scan had errors");
        } else {
            metadata = resolve::prune(&metadata, &usages, &called).0;
        }
    }
    Ok(Settled {
        lock,
        existing,
        python,
        metadata,
        introspected,
        force,
    })
}

/// Writes what `settle` decided.
pub(crate) fn write_settled(
    config: &Config,
    settled: Settled,
    reporter: &mut dyn Reporter,
) -> Result<Outcome, Error> {
    let plan = write_artifacts(
        config,
        settled.lock.as_ref(),
        &settled.existing,
        &settled.python,
        &settled.metadata,
        settled.force,
        reporter,
    )?;
    note_ledger(config, reporter);
    Ok(Outcome {
        plan,
        introspected: settled.introspected,
    })
}

/// Reports the usages Python does not have (errors) and the dynamic calls
/// a typed adapter could make (lints).
fn report_resolution(
    config: &Config,
    usages: &[Usage],
    metadata: &BTreeMap<String, LibraryMetadata>,
    unresolved: &BTreeMap<String, Unresolved>,
    reporter: &mut dyn Reporter,
) -> Result<(), Error> {
    let excluded = excluded_modules(config);
    let errors = resolve::diagnose_unknown(usages, metadata, Some(unresolved), &excluded);
    if !errors.is_empty() {
        for diagnostic in &errors {
            report(reporter, diagnostic, config);
        }
        return Err(Error::Unresolved(errors.len()));
    }

    for usage in usages {
        let resolve::Walk::Symbol(symbol) = resolve::walk_usage(&usage.path, metadata) else {
            continue;
        };
        // `getattr` of a function or a class wants the object, which no
        // typed adapter returns; of a value, `math::pi()` does.
        let replaceable = match usage.kind {
            UsageKind::Dynamic => true,
            UsageKind::DynamicValue => is_value(&symbol, metadata),
            UsageKind::Path | UsageKind::Glob { .. } => false,
        };
        if replaceable {
            let typed = format!("{}::{}", config.module, symbol.replace('.', "::"));
            let lint = Diagnostic::warning(
                Code::S0004,
                format!("`{symbol}` is called by name, but it has a typed adapter"),
            )
            .at(usage.location.clone())
            .with_help(format!(
                "call `{typed}` instead: its arguments are checked at compile time"
            ));
            report(reporter, &lint, config);
        }
    }
    Ok(())
}

/// Whether `symbol` is a module's value (`math.pi`), not a function, a
/// class or a module.
fn is_value(symbol: &str, metadata: &BTreeMap<String, LibraryMetadata>) -> bool {
    metadata.values().any(|library| {
        library
            .symbols
            .get(symbol)
            .is_some_and(|found| matches!(found.item, crate::metadata::Item::Attribute { .. }))
    })
}

/// A run that finds the usage ledger keeps it out of version control and
/// mentions what it holds that `include` does not: promotion is a choice,
/// so the run itself never adds to the surface.
/// Best effort, after the artifacts are written: a ledger or `.gitignore`
/// that cannot be handled is a warning, never a failed run (which would
/// have changed the artifacts all the same).
fn note_ledger(config: &Config, reporter: &mut dyn Reporter) {
    let noted =
        super::ledger::gitignore(config, reporter).and_then(|()| super::ledger::pending(config));
    match noted {
        Ok(0) => {}
        Ok(count) => reporter.status(
            "Ledger",
            &format!(
                "{} called by name {} recorded but not in `include`: review them with `cargo snakegen ledger show`, add them with `cargo snakegen ledger promote`",
                counted(count, "symbol", "symbols"),
                if count == 1 { "is" } else { "are" }
            ),
        ),
        Err(error) => reporter.status("Warning", &format!("the usage ledger: {error}")),
    }
}

/// Renders every artifact from `metadata`, reports the plan and applies it.
pub(super) fn write_artifacts(
    config: &Config,
    lock: Option<&Lockfile>,
    existing: &BTreeMap<String, String>,
    python: &PythonIdentity,
    metadata: &BTreeMap<String, LibraryMetadata>,
    replace_foreign: bool,
    reporter: &mut dyn Reporter,
) -> Result<Plan, Error> {
    let desired = artifacts::render(config, python, metadata);
    let plan = artifacts::plan(&desired, existing);
    // A file whose bytes are not the ones the lock recorded was edited by
    // hand (or by a tool like rustfmt): say so when restoring it.
    let locked_hashes: BTreeMap<&String, &String> = lock
        .iter()
        .flat_map(|lock| &lock.libraries)
        .flat_map(|library| &library.files)
        .collect();
    for (path, action) in &plan {
        let hand_edited = match (locked_hashes.get(path), existing.get(path)) {
            (Some(hash), Some(text)) => **hash != crate::util::hash::sha256(text.as_bytes()),
            _ => false,
        };
        let shown = reporter.shown(path);
        match action {
            artifacts::Action::Replace if hand_edited => {
                reporter.status("Restoring", &format!("{shown} (it was edited by hand)"))
            }
            artifacts::Action::Create => reporter.status("Creating", &shown),
            artifacts::Action::Replace => reporter.status("Updating", &shown),
            artifacts::Action::Delete => reporter.status("Removing", &shown),
        }
    }
    let not_ours = artifacts::not_ours(config, &plan);
    if !not_ours.is_empty() && !replace_foreign {
        return Err(Error::NotOurs(not_ours));
    }
    artifacts::apply(&config.package_root, &desired, &plan)?;
    Ok(plan)
}
