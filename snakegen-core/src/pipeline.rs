//! The passes wired together. The normal run and `--check` share every step
//! up to the artifacts; they differ only in what happens to them: written,
//! or compared with the disk.

use std::collections::{BTreeMap, BTreeSet};

use snakegen_lockfile::Lockfile;

use crate::artifacts;
use crate::config::{Config, Requirement};
use crate::diagnostic::{Code, Diagnostic};
use crate::flock::PackageLock;
use crate::introspect::{
    self, IntrospectError, LibraryAnswer, LibraryRequest, Request, Unresolved,
};
use crate::metadata::{LibraryMetadata, PythonIdentity};
use crate::metadata_cache::MetadataCache;
use crate::package_scan::{self, CacheMode};
use crate::requirement::VersionReq;
use crate::resolve;
use crate::scan::{ScanTarget, Usage, UsageKind};
use crate::sources::{self, IoError};
use crate::write::{self, Plan};

/// Where progress and diagnostics go: the terminal, JSON, or a test.
pub trait Reporter {
    /// A cargo-style status line: `verb` right-aligned, then `message`.
    fn status(&mut self, verb: &str, message: &str);
    /// `source` is the text of the diagnostic's file, for the snippet.
    fn diagnostic(&mut self, diagnostic: &Diagnostic, source: Option<&str>);
    /// In a run over several packages, called before each package's work
    /// with its root: package-relative paths (diagnostics, `shown`) are
    /// that package's from then on.
    fn package(&mut self, _root: &std::path::Path) {}
    /// A package-relative path as the user can open it.
    fn shown(&self, path: &str) -> String {
        path.to_owned()
    }
}

#[derive(Debug)]
pub enum Error {
    Config(crate::config::ConfigError),
    Io(IoError),
    /// A committed artifact that cannot be read back.
    CorruptArtifact {
        path: String,
        /// `line:column` where the reader gave up, when it says.
        position: Option<(usize, usize)>,
        message: String,
    },
    Introspect(IntrospectError),
    /// Libraries that failed to import or have the wrong version, each
    /// with a hint.
    Environment(Vec<String>),
    /// Symbols that do not exist; the diagnostics were reported.
    Unresolved(usize),
    /// A Python path whose library is not in the config.
    NotConfigured(String),
    /// Usages the committed artifacts do not cover, in a run that may not
    /// start Python; the diagnostics were reported.
    NotLocked(usize),
    /// `Cargo.toml` cannot be edited (`ledger promote`).
    Manifest {
        path: std::path::PathBuf,
        message: String,
    },
}

impl Error {
    /// DESIGN.md §8: 1 for unresolved symbols, 2 for the user's setup.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Unresolved(_) | Error::NotLocked(_) => 1,
            _ => 2,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(error) => error.fmt(f),
            Error::Io(error) => error.fmt(f),
            Error::CorruptArtifact {
                path,
                position,
                message,
            } => {
                let position = position
                    .map(|(line, column)| format!(":{line}:{column}"))
                    .unwrap_or_default();
                write!(
                    f,
                    "{path}{position}: cannot be read: {message}\n  = help: restore it from version control, or regenerate it with `cargo snakegen --force`"
                )
            }
            Error::Introspect(error) => error.fmt(f),
            Error::Environment(messages) => f.write_str(&messages.join("\n")),
            Error::NotConfigured(library) => write!(
                f,
                "`{library}` is not a configured library\n  = help: add it to [package.metadata.snakegen.libraries]"
            ),
            Error::NotLocked(0) => f.write_str(
                "snakegen.lock is missing, and this build may not start Python (`CI` is set)\n  = help: run `cargo snakegen` where the libraries are installed, and commit snakegen.lock and .snakegen/",
            ),
            Error::NotLocked(count) => write!(
                f,
                "{count} Python symbol{} used but not in snakegen.lock, and this build may not start Python (`CI` is set)\n  = help: run `cargo snakegen` where the libraries are installed, and commit snakegen.lock and .snakegen/",
                if *count == 1 { " is" } else { "s are" }
            ),
            Error::Manifest { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Unresolved(1) => {
                f.write_str("1 Python symbol could not be resolved; nothing was written")
            }
            Error::Unresolved(count) => write!(
                f,
                "{count} Python symbols could not be resolved; nothing was written"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<IoError> for Error {
    fn from(error: IoError) -> Self {
        Error::Io(error)
    }
}

pub use crate::package_scan::PackageScan;

pub fn scan_package(config: &Config, mode: CacheMode) -> Result<PackageScan, Error> {
    let files = sources::rust_files(config)?;
    let libraries: BTreeSet<String> = config.libraries.keys().cloned().collect();
    let target = ScanTarget {
        module: &config.module,
        crate_name: &config.crate_name,
        libraries: &libraries,
    };
    let cache = config.scan_cache();
    Ok(package_scan::scan_files(&files, &target, &cache, mode)?)
}

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
    scan_had_errors: bool,
    /// The class members the package may call.
    called: BTreeSet<String>,
    existing: BTreeMap<String, String>,
    lock: Option<Lockfile>,
    metadata: BTreeMap<String, LibraryMetadata>,
    usages: Vec<Usage>,
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
    fn introspect(
        &self,
        config: &Config,
        reporter: &mut dyn Reporter,
    ) -> Result<Introspected, Error> {
        introspect_paths(
            config,
            self.paths.clone(),
            self.indexes.clone(),
            self.members.clone(),
            reporter,
        )
    }

    /// The request this question becomes, for a process it may share.
    pub(crate) fn request(&self, config: &Config) -> Request {
        request_for(
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
        clean(config)?;
    }
    let scan = scan_and_report(config, CacheMode::ReadWrite, reporter)?;
    let existing = sources::existing_artifacts(config)?;
    let lock = forgiving(options, reporter, parse_lock(&existing))?;
    let metadata = forgiving(options, reporter, parse_manifests(config, &existing))?;
    let usages = with_included(config, scan.usages);
    let unknown = resolve::unknown_paths(&usages, &metadata);
    let missing_indexes = resolve::missing_indexes(&usages, &metadata);
    let called = resolve::called_members(&scan.methods, &usages);
    let undescribed = resolve::undescribed_members(&called, &metadata);

    let same_generator = lock
        .as_ref()
        .is_some_and(|lock| options.keep_older_manifests || artifacts::same_generator(lock));
    let up_to_date = unknown.is_empty()
        && missing_indexes.is_empty()
        && undescribed.is_empty()
        && !options.full
        && same_generator;
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
        scan_had_errors: has_errors(&scan.diagnostics),
        called,
        existing,
        lock,
        metadata,
        usages,
        question,
    })
}

/// A package's artifacts-to-be: resolved, linted and pruned, not written.
pub(crate) struct Settled {
    lock: Option<Lockfile>,
    existing: BTreeMap<String, String>,
    python: PythonIdentity,
    metadata: BTreeMap<String, LibraryMetadata>,
    introspected: bool,
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
        usages,
        question: _,
    } = prepared;
    let (python, unresolved, introspected) = match (introspected, &lock) {
        (Some(introspected), _) => {
            metadata = introspected.metadata;
            (introspected.python, introspected.unresolved, true)
        }
        (None, Some(lock)) => (lock.python.clone(), BTreeMap::new(), false),
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
        reporter,
    )?;
    note_ledger(config, reporter)?;
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
fn note_ledger(config: &Config, reporter: &mut dyn Reporter) -> Result<(), Error> {
    crate::ledger::gitignore(config, reporter)?;
    match crate::ledger::pending(config)? {
        0 => {}
        count => reporter.status(
            "Ledger",
            &format!(
                "{count} symbol(s) called by name are recorded but not in `include`: review them with `cargo snakegen ledger show`, add them with `cargo snakegen ledger promote`"
            ),
        ),
    }
    Ok(())
}

/// Whether a build-script run may start Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Introspection {
    /// When the manifests do not answer.
    WhenNeeded,
    /// Never: what the manifests do not answer is an error at its call
    /// sites (`CI` builds in build.rs mode).
    Never,
}

/// Every usage and called member the committed artifacts do not cover,
/// reported at its call site: what `--check` says, and what a build that
/// may not start Python fails with.
fn unlocked_diagnostics(
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

fn not_locked(
    config: &Config,
    usages: &[Usage],
    called: &BTreeSet<String>,
    metadata: &BTreeMap<String, LibraryMetadata>,
    reporter: &mut dyn Reporter,
) -> Error {
    let unlocked = unlocked_diagnostics(config, usages, called, metadata);
    for diagnostic in &unlocked {
        report(reporter, diagnostic, config);
    }
    Error::NotLocked(unlocked.len())
}

/// What build.rs mode makes: the adapters, and what the committed lock
/// is missing.
pub struct BuildOutcome {
    /// Package-relative path → text, as `cargo snakegen` would write them.
    pub adapters: BTreeMap<String, String>,
    /// Symbols and members used but not in the committed artifacts (only
    /// when Python was allowed to fill the gap).
    pub unlocked: BTreeSet<String>,
}

/// build.rs mode: the normal run's passes, but the committed lock and
/// manifests are only read, and the adapters are returned, not written.
pub fn build(
    config: &Config,
    introspection: Introspection,
    reporter: &mut dyn Reporter,
) -> Result<BuildOutcome, Error> {
    let _lock = lock_package(config, reporter)?;
    let options = RunOptions {
        keep_older_manifests: true,
        ..RunOptions::default()
    };
    let prepared = prepare(config, options, reporter)?;
    let called = prepared.called.clone();
    let committed = prepared.metadata.clone();
    let unknown = resolve::unknown_paths(&prepared.usages, &committed);
    let undescribed = resolve::undescribed_members(&called, &committed);
    let introspected = match (&prepared.question, introspection) {
        (None, _) => None,
        (Some(_), Introspection::Never) => {
            return Err(not_locked(
                config,
                &prepared.usages,
                &called,
                &committed,
                reporter,
            ));
        }
        (Some(question), Introspection::WhenNeeded) => Some(question.introspect(config, reporter)?),
    };
    let settled = settle(config, prepared, introspected, reporter)?;
    // What Python added: the symbols the unknown paths turned out to be,
    // and the members it described.
    let fresh = &settled.metadata;
    let mut unlocked: BTreeSet<String> = unknown
        .iter()
        .filter_map(|path| match resolve::walk_usage(path, fresh) {
            resolve::Walk::Symbol(symbol) => Some(symbol),
            _ => None,
        })
        .collect();
    let still_undescribed = resolve::undescribed_members(&called, fresh);
    unlocked.extend(undescribed.difference(&still_undescribed).cloned());
    Ok(BuildOutcome {
        adapters: artifacts::adapters(config, &settled.python, fresh),
        unlocked,
    })
}

/// The package's exclusive OS lock, held until dropped; says so while it
/// waits for another run, as cargo does.
pub(crate) fn lock_package(
    config: &Config,
    reporter: &mut dyn Reporter,
) -> Result<PackageLock, Error> {
    let scratch = config.scratch_dir();
    let io_error = |error| IoError {
        path: scratch.clone(),
        error,
    };
    std::fs::create_dir_all(&scratch).map_err(io_error)?;
    let lock = PackageLock::acquire(&scratch, &config.package_name, || {
        reporter.status("Blocking", "waiting for file lock on snakegen")
    });
    Ok(lock.map_err(io_error)?)
}

/// Renders every artifact from `metadata`, reports the plan and applies it.
fn write_artifacts(
    config: &Config,
    lock: Option<&Lockfile>,
    existing: &BTreeMap<String, String>,
    python: &PythonIdentity,
    metadata: &BTreeMap<String, LibraryMetadata>,
    reporter: &mut dyn Reporter,
) -> Result<Plan, Error> {
    let desired = artifacts::render(config, python, metadata);
    let plan = write::plan(&desired, existing);
    // A file whose bytes are not the ones the lock recorded was edited by
    // hand (or by a tool like rustfmt): say so when restoring it.
    let locked_hashes: BTreeMap<&String, &String> = lock
        .iter()
        .flat_map(|lock| &lock.libraries)
        .flat_map(|library| &library.files)
        .collect();
    for (path, action) in &plan {
        let hand_edited = match (locked_hashes.get(path), existing.get(path)) {
            (Some(hash), Some(text)) => **hash != artifacts::sha256(text.as_bytes()),
            _ => false,
        };
        let shown = reporter.shown(path);
        match action {
            write::Action::Replace if hand_edited => {
                reporter.status("Restoring", &format!("{shown} (it was edited by hand)"))
            }
            write::Action::Create => reporter.status("Creating", &shown),
            write::Action::Replace => reporter.status("Updating", &shown),
            write::Action::Delete => reporter.status("Removing", &shown),
        }
    }
    write::apply(&config.package_root, &desired, &plan)?;
    Ok(plan)
}

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
    if has_errors(&scan.diagnostics) {
        return Err(Error::Environment(vec![
            "not pruning: the scan had errors, so it may have missed usages\n  = help: fix the files above, then prune".to_owned(),
        ]));
    }
    let existing = sources::existing_artifacts(config)?;
    let Some(lock) = parse_lock(&existing)? else {
        return Ok(Vec::new());
    };
    let metadata = parse_manifests(config, &existing)?;
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
            &lock.python,
            &pruned,
            reporter,
        )?;
    }
    Ok(removed)
}

fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity == crate::diagnostic::Severity::Error)
}

/// Why a library cannot be used as configured: it does not import, or its
/// version does not meet the requirement.
fn library_problem(config: &Config, name: &str, library: &LibraryAnswer) -> Option<String> {
    let settings = &config.libraries[name];
    let distribution = settings.package.as_deref().unwrap_or(name);
    if let Some(error) = &library.error {
        return Some(format!(
            "could not import the Python library `{name}`: {}: {}\n  = help: install it into `{}`: `pip install {distribution}`",
            error.type_name,
            error.message,
            config.interpreter()
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
            config.interpreter()
        )),
        None if wanted == "*" => None,
        None => Some(format!(
            "cannot tell which version of `{name}` is installed (no distribution `{distribution}`, no `__version__`), so `{wanted}` cannot be checked\n  = help: set `package` to its distribution name, or the requirement to \"*\""
        )),
    }
}

pub(crate) struct Introspected {
    python: PythonIdentity,
    metadata: BTreeMap<String, LibraryMetadata>,
    unresolved: BTreeMap<String, Unresolved>,
}

/// Asks the interpreter about `paths`, in one process for all libraries.
fn introspect_paths(
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
        &config.interpreter(),
        &config.scratch_dir(),
        config.timeout,
        request,
        reporter,
    )?;
    introspected(config, answer)
}

/// The request for `paths` and `indexes`, naming the configured libraries
/// they touch.
fn request_for(
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

/// `cargo snakegen inspect PATH`: asks Python about one dotted path of a
/// configured library.
pub fn inspect(
    config: &Config,
    path: &str,
    reporter: &mut dyn Reporter,
) -> Result<serde_json::Value, Error> {
    let library = library_of(path);
    if !config.libraries.contains_key(library) {
        return Err(Error::NotConfigured(library.to_owned()));
    }
    // A method path (`fractions.Fraction.limit_denominator`) needs its
    // member described.
    let member = path.rsplit('.').next().unwrap_or_default().to_owned();
    let introspected = introspect_paths(
        config,
        BTreeSet::from([path.to_owned()]),
        BTreeSet::new(),
        BTreeSet::from([member]),
        reporter,
    )?;
    let symbols = introspected
        .metadata
        .get(library)
        .map(|metadata| &metadata.symbols);
    match symbols.and_then(|symbols| crate::views::inspect(path, symbols)) {
        Some(view) => Ok(view),
        None => {
            let usage = Usage {
                library: library.to_owned(),
                path: path.to_owned(),
                location: crate::diagnostic::Location {
                    file: "<command line>".to_owned(),
                    line: 1,
                    column: 1,
                },
                kind: UsageKind::Path,
            };
            let diagnostics = resolve::diagnose_unknown(
                &[usage],
                &introspected.metadata,
                Some(&introspected.unresolved),
                &BTreeMap::new(),
            );
            for diagnostic in &diagnostics {
                reporter.diagnostic(diagnostic, None);
            }
            Err(Error::Unresolved(diagnostics.len().max(1)))
        }
    }
}

/// `cargo snakegen status`: the committed metadata, plus the size of each
/// library's name index when Python can tell.
pub fn status(config: &Config, reporter: &mut dyn Reporter) -> Result<serde_json::Value, Error> {
    let existing = sources::existing_artifacts(config)?;
    let metadata = parse_manifests(config, &existing)?;
    let roots: BTreeSet<String> = metadata.keys().cloned().collect();
    let index_sizes: BTreeMap<String, usize> =
        match introspect_paths(config, BTreeSet::new(), roots, BTreeSet::new(), reporter) {
            _ if metadata.is_empty() => BTreeMap::new(),
            Ok(introspected) => introspected
                .metadata
                .iter()
                .filter_map(|(name, library)| {
                    Some((name.clone(), library.symbols.get(name)?.name_index()?.len()))
                })
                .collect(),
            Err(error) => {
                reporter.status("Warning", &format!("name index sizes unknown: {error}"));
                BTreeMap::new()
            }
        };
    Ok(crate::views::status(&metadata, &index_sizes))
}

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
/// would be used now, against the lock. Imports no library.
pub fn doctor(config: &Config) -> Result<Vec<Finding>, Error> {
    let existing = sources::existing_artifacts(config)?;
    let Some(lock) = parse_lock(&existing)? else {
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
        &config.interpreter(),
        &request,
        &config.scratch_dir(),
        config.timeout,
    )
    .map_err(Error::Introspect)?;
    let describe = |python: &PythonIdentity| {
        format!(
            "{} {} ({})",
            python.implementation, python.version, python.platform
        )
    };
    let mut findings = vec![Finding {
        subject: format!("python (`{}`)", config.interpreter()),
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
    }
    Ok(findings)
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

/// `cargo snakegen clean`: removes the caches in `target/snakegen/`, never
/// a committed artifact.
pub fn clean(config: &Config) -> Result<(), Error> {
    let scratch = config.scratch_dir();
    for cache in [config.scan_cache(), scratch.join("metadata")] {
        let removed = if cache.is_dir() {
            std::fs::remove_dir_all(&cache)
        } else {
            std::fs::remove_file(&cache)
        };
        match removed {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::Io(IoError { path: cache, error }));
            }
            _ => {}
        }
    }
    Ok(())
}

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
    let scan = scan_and_report(config, CacheMode::ReadOnly, reporter)?;
    let existing = sources::existing_artifacts(config)?;
    let Some(lock) = parse_lock(&existing)? else {
        return Ok(CheckReport {
            unlocked: Vec::new(),
            drift: vec![Drift {
                path: snakegen_lockfile::FILE_NAME.to_owned(),
                kind: DriftKind::Missing,
            }],
            lock_changes: Vec::new(),
        });
    };
    let metadata = parse_manifests(config, &existing)?;
    let usages = with_included(config, scan.usages);
    let called = resolve::called_members(&scan.methods, &usages);
    let unlocked = unlocked_diagnostics(config, &usages, &called, &metadata);
    for diagnostic in &unlocked {
        report(reporter, diagnostic, config);
    }

    let desired = artifacts::render(config, &lock.python, &metadata);
    let drift = write::plan(&desired, &existing)
        .into_iter()
        .map(|(path, action)| {
            let kind = match action {
                write::Action::Create => DriftKind::Missing,
                write::Action::Delete => DriftKind::Stale,
                write::Action::Replace => DriftKind::Differs(
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

fn scan_and_report(
    config: &Config,
    mode: CacheMode,
    reporter: &mut dyn Reporter,
) -> Result<PackageScan, Error> {
    let scan = scan_package(config, mode)?;
    let noun = if scan.files == 1 { "file" } else { "files" };
    reporter.status(
        "Scanning",
        &format!("{} ({} {noun})", config.package_name, scan.files),
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
    let manifest_path = config.package_root.join("Cargo.toml");
    let manifest = sources::relative(&config.package_root, &manifest_path);
    // Diagnostics point at the entry; a manifest that cannot be read again
    // here was read by `cargo metadata` moments ago, so 1:1 will do.
    let any_included = config
        .libraries
        .values()
        .any(|settings| !settings.include.is_empty());
    let positions = if any_included {
        std::fs::read_to_string(&manifest_path)
            .map(|text| crate::config::include_positions(&text))
            .unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    for (library, settings) in &config.libraries {
        for symbol in &settings.include {
            let (line, column) = positions
                .get(&(library.clone(), symbol.clone()))
                .copied()
                .unwrap_or((1, 1));
            usages.push(Usage {
                library: library.clone(),
                path: format!("{library}.{symbol}"),
                location: crate::diagnostic::Location {
                    file: manifest.clone(),
                    line,
                    column,
                },
                kind: crate::scan::UsageKind::Path,
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

pub(crate) fn library_of(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

fn parse_lock(existing: &BTreeMap<String, String>) -> Result<Option<Lockfile>, Error> {
    let Some(text) = existing.get(snakegen_lockfile::FILE_NAME) else {
        return Ok(None);
    };
    Lockfile::parse(text)
        .map(Some)
        .map_err(|error| Error::CorruptArtifact {
            path: snakegen_lockfile::FILE_NAME.to_owned(),
            position: error.line.zip(error.column),
            message: error.message,
        })
}

/// The committed metadata of the configured libraries.
fn parse_manifests(
    config: &Config,
    existing: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, LibraryMetadata>, Error> {
    let mut metadata = BTreeMap::new();
    for library in config.libraries.keys() {
        let path = artifacts::manifest_path(library);
        if let Some(text) = existing.get(&path) {
            let parsed =
                artifacts::parse_manifest(text).map_err(|error| Error::CorruptArtifact {
                    path: path.clone(),
                    position: Some((error.line(), error.column())),
                    message: error.to_string(),
                })?;
            metadata.insert(library.clone(), parsed);
        }
    }
    Ok(metadata)
}
