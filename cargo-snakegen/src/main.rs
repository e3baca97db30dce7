//! `cargo snakegen`: argument parsing, terminal output and exit codes around
//! `snakegen_core::commands`. Everything that decides what gets generated
//! lives in the core; this file only chooses where results are shown.

mod messages;
mod terminal;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;
use snakegen_core::commands::check::{Drift, DriftKind};
use snakegen_core::commands::run::{Outcome, RunOptions};
use snakegen_core::commands::{self, ledger};
use snakegen_core::{Adapters, Code, Config, Diagnostic, Error, Location, Reporter, counted};

use terminal::{Terminal, elapsed, printable};

/// DESIGN.md §8.
const EXIT_DRIFT: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_BUG: u8 = 101;

/// The `schema_version` of the JSON documents of `scan`, `status`,
/// `inspect`, `doctor` and `ledger show`. It changes when a field changes
/// meaning or goes away; a new field may come within a version.
const SCHEMA_VERSION: u32 = 1;

const LOCK_FILE: &str = "snakegen.lock";

#[derive(Parser)]
#[command(name = "cargo-snakegen", bin_name = "cargo snakegen", version, about)]
#[command(
    after_help = "With `-- ARGS`, runs `cargo ARGS` (with the same `--manifest-path`) after a successful prepass or `--check`, and exits with cargo's exit code."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Verify only: start no Python, write nothing; exit 1 with a diff on drift.
    #[arg(long)]
    check: bool,
    /// Ignore every cache and ask Python about every symbol again.
    #[arg(long, conflicts_with = "check")]
    full: bool,
    /// Regenerate a corrupt lock or manifest instead of stopping.
    #[arg(long, conflicts_with = "check")]
    force: bool,
    /// Path to the package's Cargo.toml.
    #[arg(long, global = true, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
    /// A package to work on, in a workspace (repeatable).
    #[arg(short, long, global = true, value_name = "NAME")]
    package: Vec<String>,
    /// Every member that uses snakegen.
    #[arg(long, global = true, conflicts_with = "package")]
    workspace: bool,
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Also say which interpreter the run would ask.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
    /// Coloring: auto (a terminal, unless NO_COLOR is set), always, never.
    /// Defaults to CARGO_TERM_COLOR, as cargo does.
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    color: Option<ColorChoice>,
    /// human, or json: the run and `--check` print cargo's JSON messages
    /// (one per line, diagnostics as `compiler-message`) on stdout; `scan`,
    /// `status`, `inspect`, `doctor` and `ledger show` print one JSON
    /// document.
    #[arg(
        long,
        global = true,
        alias = "format",
        value_enum,
        value_name = "FMT",
        default_value_t = Format::Human
    )]
    message_format: Format,
    /// Arguments for the `cargo` run that follows the prepass.
    #[arg(last = true, value_name = "CARGO_ARGS")]
    cargo_args: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the Python symbols the package uses, with their locations.
    Scan,
    /// Ask Python about one symbol (`fractions.Fraction.limit_denominator`).
    Inspect {
        /// A Python dotted path in a configured library.
        path: String,
    },
    /// Per library: used symbols, signature sources, doc coverage.
    Status,
    /// Remove the caches in target/snakegen (never the committed artifacts).
    Clean,
    /// Compare the live interpreter and library versions with the lock.
    Doctor,
    /// Remove adapters, manifest entries and members nothing uses any more.
    Prune {
        /// Only say what would go.
        #[arg(long)]
        dry_run: bool,
    },
    /// The usage ledger: symbols called by name at run time (recorded
    /// with SNAKEGEN_LEDGER=1), which the scan cannot see.
    Ledger {
        #[command(subcommand)]
        action: LedgerAction,
    },
}

impl Command {
    /// The subcommand's name, for a command without JSON output.
    fn without_json(&self) -> Option<&'static str> {
        match self {
            Command::Clean => Some("clean"),
            Command::Prune { .. } => Some("prune"),
            Command::Ledger {
                action: LedgerAction::Promote { .. },
            } => Some("ledger promote"),
            Command::Ledger {
                action: LedgerAction::Clear { .. },
            } => Some("ledger clear"),
            _ => None,
        }
    }
}

#[derive(Subcommand)]
enum LedgerAction {
    /// List the recorded symbols per library, deduplicated.
    Show,
    /// Add the recorded symbols to their library's `include` list in
    /// Cargo.toml, then empty the promoted libraries' ledger files.
    Promote {
        /// Only this library.
        #[arg(long, value_name = "NAME")]
        library: Option<String>,
    },
    /// Delete the ledger files.
    Clear {
        /// Only this library's file.
        #[arg(long, value_name = "NAME")]
        library: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `--color`, else `CARGO_TERM_COLOR` (set by cargo for subcommands
    /// from `term.color`), else auto.
    fn resolve(flag: Option<ColorChoice>) -> bool {
        let choice = flag.or_else(|| {
            let from_cargo = std::env::var("CARGO_TERM_COLOR").ok()?;
            ColorChoice::from_str(&from_cargo, true).ok()
        });
        match choice.unwrap_or(ColorChoice::Auto) {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::IsTerminal::is_terminal(&std::io::stderr())
                    && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let started = Instant::now();
    // As a cargo subcommand we are called as `cargo-snakegen snakegen ARGS`.
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == "snakegen") {
        args.remove(1);
    }
    let cli = Cli::parse_from(args);
    let mut terminal = Terminal::new(cli.quiet, ColorChoice::resolve(cli.color));
    if cli.command.is_some() && !cli.cargo_args.is_empty() {
        return terminal.fail(
            &"`-- CARGO_ARGS` follows the prepass only: `cargo snakegen [OPTIONS] -- CARGO_ARGS`",
            EXIT_USAGE,
        );
    }
    if cli.message_format == Format::Json
        && let Some(name) = cli.command.as_ref().and_then(Command::without_json)
    {
        return terminal.fail(
            &format!("`{name}` has no JSON output: run it without `--message-format json`"),
            EXIT_USAGE,
        );
    }
    let selection = match snakegen_core::load_selection(
        cli.manifest_path.as_deref(),
        &cli.package,
        cli.workspace,
    ) {
        Ok(selection) => selection,
        Err(error) => return terminal.fail(&error, EXIT_USAGE),
    };
    if !selection.skipped.is_empty() {
        terminal.note(&format!(
            "skipping the members without [package.metadata.snakegen] or a dependency on `snakegen`: {}",
            selection.skipped.join(", ")
        ));
    }
    let mut configs = selection.configs;
    if cli.verbose {
        for config in &configs {
            terminal.status(
                "Interpreter",
                &format!(
                    "{} for {} (used only when the lock and manifests do not answer)",
                    &config.interpreter, config.package_name
                ),
            );
        }
    }
    if cli.command.is_none() && cli.message_format == Format::Json {
        terminal.json_messages(&configs);
    }
    if configs.len() > 1 {
        return several(&cli, &configs, &mut terminal, started);
    }
    let config = configs.remove(0);
    terminal.show_paths_from(&config.package_root);
    let format = cli.message_format;
    match cli.command {
        Some(Command::Scan) => scan(&config, format, &mut terminal),
        Some(Command::Inspect { path }) => {
            let view = commands::inspect::inspect(&config, &path, &mut terminal);
            print_view(view, format, &mut terminal)
        }
        Some(Command::Status) => {
            let view = commands::status::status(&config, &mut terminal);
            print_view(view, format, &mut terminal)
        }
        None if cli.check => {
            let code = check(&config, &mut terminal);
            hand_off_if_clean(code, &cli, &mut terminal)
        }
        Some(Command::Doctor) => doctor(&config, format, &mut terminal),
        Some(Command::Prune { dry_run }) => {
            match commands::prune::prune(&config, dry_run, &mut terminal) {
                Ok(removed) if removed.is_empty() => {
                    terminal.status("Pruned", "nothing: every generated symbol is used");
                    ExitCode::SUCCESS
                }
                Ok(_) => ExitCode::SUCCESS,
                Err(error) => terminal.fail(&error, error.exit_code() as u8),
            }
        }
        Some(Command::Ledger { action }) => ledger(&config, action, format, &mut terminal),
        Some(Command::Clean) => match commands::clean::clean(&config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => terminal.fail(&error, error.exit_code() as u8),
        },
        None => match commands::run::run(&config, run_options(&cli), &mut terminal) {
            Ok(outcome) => {
                finished(&config, &outcome, &mut terminal, started);
                hand_off_if_clean(ExitCode::SUCCESS, &cli, &mut terminal)
            }
            Err(error) => {
                let code = terminal.fail(&error, error.exit_code() as u8);
                hand_off_if_clean(code, &cli, &mut terminal)
            }
        },
    }
}

fn scan(config: &Config, format: Format, terminal: &mut Terminal) -> ExitCode {
    let view = commands::scan::scan(config);
    if let (Format::Human, Ok(view)) = (format, &view) {
        for diagnostic in &view.diagnostics {
            commands::report(terminal, diagnostic, config);
        }
    }
    print_view(view, format, terminal)
}

fn ledger(
    config: &Config,
    action: LedgerAction,
    format: Format,
    terminal: &mut Terminal,
) -> ExitCode {
    let done = match action {
        LedgerAction::Show => {
            let view = ledger::show(config, terminal);
            return print_view(view, format, terminal);
        }
        LedgerAction::Promote { library } => ledger::promote(config, library.as_deref(), terminal)
            .map(|promotion| {
                if promotion.added.is_empty() {
                    terminal.status(
                        "Promoted",
                        "nothing new: `include` has every recorded symbol",
                    );
                }
            }),
        LedgerAction::Clear { library } => {
            ledger::clear(config, library.as_deref(), terminal).map(|removed| {
                if removed.is_empty() {
                    terminal.status("Cleared", "nothing: the ledger is empty");
                }
            })
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => terminal.fail(&error, error.exit_code() as u8),
    }
}

/// A command's JSON document: the view's fields and `schema_version`.
#[derive(Serialize)]
struct Document<'a, V> {
    schema_version: u32,
    #[serde(flatten)]
    view: &'a V,
}

/// A command's view as a JSON document (`--message-format json`) or as
/// text. A closed stdout (`| head`) ends the output quietly, as cargo does.
fn print_view<V: Serialize + std::fmt::Display>(
    view: Result<V, Error>,
    format: Format,
    terminal: &mut Terminal,
) -> ExitCode {
    let view = match view {
        Ok(view) => view,
        Err(error) => return terminal.fail(&error, error.exit_code() as u8),
    };
    let text = match format {
        Format::Json => {
            let document = Document {
                schema_version: SCHEMA_VERSION,
                view: &view,
            };
            let mut json = serde_json::to_string(&document).expect("a view serialises");
            json.push('\n');
            json
        }
        Format::Human => printable(&view.to_string()),
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            terminal.fail(&error, EXIT_USAGE)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// `--check` for one package: each drift and unlocked symbol is a
/// diagnostic (rendered, or a JSON message); exit 1 if there is any.
fn check(config: &Config, terminal: &mut Terminal) -> ExitCode {
    let report = match commands::check::check(config, terminal) {
        Ok(report) => report,
        Err(error) => return terminal.fail(&error, error.exit_code() as u8),
    };
    for drift in &report.drift {
        let diagnostic = drift_diagnostic(drift, terminal);
        let mut notes = Vec::new();
        if drift.path == LOCK_FILE && !report.lock_changes.is_empty() {
            let changes: Vec<String> = report
                .lock_changes
                .iter()
                .map(|change| format!("  - {change}\n"))
                .collect();
            notes.push(format!("snakegen.lock would change:\n{}", changes.concat()));
        }
        if let DriftKind::Differs(diff) = &drift.kind {
            notes.push(format!(
                "from the committed file to what the manifests generate:\n{diff}"
            ));
        }
        let source = std::fs::read_to_string(config.package_root.join(&drift.path)).ok();
        terminal.diagnostic_with_notes(&diagnostic, source.as_deref(), &notes);
    }
    if report.is_clean() {
        terminal.status(
            "Checked",
            &format!(
                "{}: {} up to date",
                config.package_name,
                match config.adapters {
                    // The build script makes the adapters; only these are committed.
                    Adapters::OutDir => "manifests and lock are",
                    Adapters::Source => "adapters, manifests and lock are",
                }
            ),
        );
        ExitCode::SUCCESS
    } else {
        let problems = report.unlocked.len() + report.drift.len();
        terminal.error(&format!(
            "{}: the committed adapters are out of date\n  = help: run `cargo snakegen` and commit the result",
            counted(problems, "problem", "problems")
        ));
        ExitCode::from(EXIT_DRIFT)
    }
}

/// A file `--check` found out of date, as a diagnostic at the first line
/// that differs (or at its start); a missing file has no location, and the
/// message names it.
fn drift_diagnostic(drift: &Drift, terminal: &Terminal) -> Diagnostic {
    let path = terminal.shown(&drift.path);
    let at_line = |line: usize| Location {
        file: drift.path.clone(),
        line,
        column: 1,
    };
    let help = "run `cargo snakegen` and commit the result";
    match &drift.kind {
        DriftKind::Differs(diff) => Diagnostic::error(
            Code::S0006,
            format!("`{path}` differs from what the manifests generate"),
        )
        .at(at_line(first_changed_line(diff)))
        .with_help(help),
        DriftKind::Missing => {
            Diagnostic::error(Code::S0006, format!("`{path}` is missing")).with_help(help)
        }
        DriftKind::NotOurs => Diagnostic::error(
            Code::S0006,
            format!(
                "`{path}` was not written by snakegen (no `@generated` header), where an artifact goes"
            ),
        )
        .at(at_line(1))
        .with_help("move it away, or run `cargo snakegen --force` to replace it"),
        DriftKind::Stale => Diagnostic::error(
            Code::S0006,
            format!("`{path}` is stale: nothing generates it any more"),
        )
        .at(at_line(1))
        .with_help(help),
    }
}

/// The first line of the committed file (the diff's `a` side) that a
/// unified diff changes, or before which it inserts.
fn first_changed_line(diff: &str) -> usize {
    let mut lines = diff.lines().skip_while(|line| !line.starts_with("@@ -"));
    let Some(header) = lines.next() else {
        return 1;
    };
    let start: usize = header["@@ -".len()..]
        .split([',', ' '])
        .next()
        .and_then(|number| number.parse().ok())
        .unwrap_or(1);
    let context = lines.take_while(|line| line.starts_with(' ')).count();
    (start + context).max(1)
}

/// What `doctor --message-format json` prints: one finding per
/// interpreter and library, and whether any differs from the lock.
#[derive(Serialize)]
struct DoctorView<'a> {
    drifted: bool,
    findings: Vec<FindingView<'a>>,
}

#[derive(Serialize)]
struct FindingView<'a> {
    drifted: bool,
    /// What the lock says.
    locked: &'a str,
    /// What the environment has; `null` for a library that is not
    /// installed, or whose version cannot be read without importing it.
    live: Option<&'a str>,
    /// `python (`python3`)`, or a library's name.
    subject: &'a str,
}

impl std::fmt::Display for DoctorView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for finding in &self.findings {
            let live = finding
                .live
                .unwrap_or("not installed, or no version without importing it");
            if finding.drifted {
                writeln!(
                    f,
                    "drift  {}: locked {}, live {live}",
                    finding.subject, finding.locked
                )?;
            } else {
                writeln!(f, "ok     {}: {}", finding.subject, finding.locked)?;
            }
        }
        Ok(())
    }
}

fn doctor(config: &Config, format: Format, terminal: &mut Terminal) -> ExitCode {
    let findings = commands::doctor::doctor(config);
    let findings = match &findings {
        Ok(findings) => findings,
        Err(error) => return terminal.fail(error, error.exit_code() as u8),
    };
    let view = DoctorView {
        drifted: findings.iter().any(commands::doctor::Finding::drifted),
        findings: findings
            .iter()
            .map(|finding| FindingView {
                drifted: finding.drifted(),
                locked: &finding.locked,
                live: finding.live.as_deref(),
                subject: &finding.subject,
            })
            .collect(),
    };
    let drifted = view.drifted;
    let printed = print_view(Ok(view), format, terminal);
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    if drifted {
        terminal.error(
            "the environment differs from snakegen.lock\n  = help: install the locked versions, or re-run `cargo snakegen` to regenerate for this environment",
        );
        ExitCode::from(EXIT_DRIFT)
    } else {
        ExitCode::SUCCESS
    }
}

/// `cargo snakegen -p a -p b` and `--workspace`: the normal run and
/// `--check` over every package (one interpreter for all), `prune` and
/// `clean` package by package. The other subcommands look at one package.
fn several(cli: &Cli, configs: &[Config], terminal: &mut Terminal, started: Instant) -> ExitCode {
    let names: Vec<&str> = configs.iter().map(|c| c.package_name.as_str()).collect();
    match &cli.command {
        None if cli.check => {
            let mut worst = ExitCode::SUCCESS;
            for config in configs {
                terminal.show_paths_from(&config.package_root);
                let code = check(config, terminal);
                if code != ExitCode::SUCCESS {
                    worst = code;
                }
            }
            hand_off_if_clean(worst, cli, terminal)
        }
        None => {
            match commands::workspace::run(configs, run_options(cli), terminal) {
                Ok(outcomes) => {
                    for (config, outcome) in configs.iter().zip(&outcomes) {
                        finished(config, outcome, terminal, started);
                    }
                    hand_off_if_clean(ExitCode::SUCCESS, cli, terminal)
                }
                Err(errors) => {
                    let mut code = EXIT_DRIFT;
                    for failure in &errors {
                        terminal.error(&format!("package `{}`: {}", failure.package, failure.error));
                        code = code.max(failure.error.exit_code() as u8);
                    }
                    let code = terminal.fail(
                        &format!(
                            "{} of {} ({}) failed; no package was written",
                            errors.len(),
                            counted(configs.len(), "package", "packages"),
                            names.join(", ")
                        ),
                        code,
                    );
                    hand_off_if_clean(code, cli, terminal)
                }
            }
        }
        Some(Command::Clean) => each(configs, terminal, |config, _| commands::clean::clean(config)),
        Some(Command::Prune { dry_run }) => each(configs, terminal, |config, terminal| {
            commands::prune::prune(config, *dry_run, terminal).map(|_| ())
        }),
        Some(_) => terminal.fail(
            &format!(
                "this command works on one package, and {} are selected ({})\n  = help: choose one with `-p NAME`",
                configs.len(),
                names.join(", ")
            ),
            EXIT_USAGE,
        ),
    }
}

fn run_options(cli: &Cli) -> RunOptions {
    RunOptions {
        full: cli.full,
        force: cli.force,
        ..RunOptions::default()
    }
}

/// Runs `work` on each package; the exit code is the worst failure's.
fn each(
    configs: &[Config],
    terminal: &mut Terminal,
    mut work: impl FnMut(&Config, &mut Terminal) -> Result<(), Error>,
) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for config in configs {
        terminal.show_paths_from(&config.package_root);
        if let Err(error) = work(config, terminal) {
            code = terminal.fail(
                &format!("package `{}`: {error}", config.package_name),
                error.exit_code() as u8,
            );
        }
    }
    code
}

fn finished(config: &Config, outcome: &Outcome, terminal: &mut Terminal, started: Instant) {
    let changed = match outcome.plan.len() {
        0 => "up to date".to_owned(),
        files => format!("{} written", counted(files, "file", "files")),
    };
    let python = if outcome.introspected {
        "Python asked"
    } else {
        "no Python started"
    };
    terminal.status(
        "Finished",
        &format!(
            "{}: {changed}, {python} in {}",
            config.package_name,
            elapsed(started.elapsed())
        ),
    );
}

/// After the prepass: with `-- ARGS` and a successful `code`, runs cargo and
/// exits with its code; otherwise exits with `code`, running nothing (and
/// ends the JSON stream, which no cargo continues).
fn hand_off_if_clean(code: ExitCode, cli: &Cli, terminal: &mut Terminal) -> ExitCode {
    if code != ExitCode::SUCCESS || cli.cargo_args.is_empty() {
        terminal.build_finished(code == ExitCode::SUCCESS);
        return code;
    }
    hand_off(cli.manifest_path.as_deref(), &cli.cargo_args, terminal)
}

/// Runs `cargo ARGS` in the current directory, as cargo would, with
/// `--manifest-path` passed on after cargo's subcommand. Exits with cargo's
/// code; a cargo killed by a signal exits 128 + the signal's number, as a
/// shell reports it (101 where there are no signals).
fn hand_off(manifest_path: Option<&Path>, args: &[String], terminal: &mut Terminal) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let args = with_manifest_path(args, manifest_path);
    let shown = || {
        let args: Vec<_> = args.iter().map(|arg| arg.to_string_lossy()).collect();
        format!("`{} {}`", cargo.to_string_lossy(), args.join(" "))
    };
    let status = match std::process::Command::new(&cargo).args(&args).status() {
        Ok(status) => status,
        Err(error) => {
            return terminal.fail(&format!("could not run {}: {error}", shown()), EXIT_USAGE);
        }
    };
    if let Some(code) = status.code() {
        return ExitCode::from(u8::try_from(code).unwrap_or(EXIT_BUG));
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return terminal.fail(
            &format!("{} was killed by signal {signal}", shown()),
            u8::try_from(128 + signal).unwrap_or(EXIT_BUG),
        );
    }
    terminal.fail(&format!("{} ended without an exit code", shown()), EXIT_BUG)
}

/// `args` with `--manifest-path PATH` right after cargo's subcommand (the
/// first argument that is not a `+toolchain`, an option or the value of a
/// global option), unless they name a manifest already or have no
/// subcommand (`--version`).
fn with_manifest_path(args: &[String], manifest_path: Option<&Path>) -> Vec<std::ffi::OsString> {
    let mut out: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    let Some(path) = manifest_path else {
        return out;
    };
    let own_args = args.iter().take_while(|arg| *arg != "--");
    if own_args
        .clone()
        .any(|arg| arg == "--manifest-path" || arg.starts_with("--manifest-path="))
    {
        return out;
    }
    let mut takes_value = false;
    let subcommand = own_args.enumerate().position(|(index, arg)| {
        let value = std::mem::take(&mut takes_value);
        if value || (index == 0 && arg.starts_with('+')) {
            return false;
        }
        if arg.starts_with('-') {
            takes_value = matches!(
                arg.as_str(),
                "--config" | "-Z" | "-C" | "--color" | "--explain"
            );
            return false;
        }
        true
    });
    if let Some(index) = subcommand {
        out.insert(index + 1, "--manifest-path".into());
        out.insert(index + 2, path.into());
    }
    out
}
