//! `cargo snakegen`: argument parsing, terminal output and exit codes around
//! `snakegen_core::pipeline`. Everything that decides what gets generated
//! lives in the core; this file only chooses where results are shown.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use snakegen_core::config::{self, Config};
use snakegen_core::diagnostic::Diagnostic;
use snakegen_core::ledger;
use snakegen_core::package_scan::CacheMode;
use snakegen_core::pipeline::{self, DriftKind, Reporter, RunOptions};
use snakegen_core::scan::{Usage, UsageKind};

/// DESIGN.md §8.
const EXIT_DRIFT: u8 = 1;
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(name = "cargo-snakegen", bin_name = "cargo snakegen", version, about)]
#[command(
    after_help = "With `-- ARGS`, runs `cargo ARGS` in the package's directory after a successful prepass."
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
    /// The package to work on, in a workspace.
    #[arg(short, long, global = true, value_name = "NAME")]
    package: Option<String>,
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// `--check`'s report for people, or as one JSON object on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    message_format: Format,
    /// Arguments for the `cargo` run that follows the prepass.
    #[arg(last = true, value_name = "CARGO_ARGS")]
    cargo_args: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the Python symbols the package uses, with their locations.
    Scan {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Ask Python about one symbol (`fractions.Fraction.limit_denominator`).
    Inspect {
        /// A Python dotted path in a configured library.
        path: String,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Per library: used symbols, signature sources, doc coverage.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
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

#[derive(Subcommand)]
enum LedgerAction {
    /// List the recorded symbols per library, deduplicated.
    Show {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    // As a cargo subcommand we are called as `cargo-snakegen snakegen ARGS`.
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == "snakegen") {
        args.remove(1);
    }
    let cli = Cli::parse_from(args);
    let mut terminal = Terminal::new(cli.quiet);
    let config = match config::load(cli.manifest_path.as_deref(), cli.package.as_deref()) {
        Ok(config) => config,
        Err(error) => return terminal.fail(&error, EXIT_USAGE),
    };
    terminal.show_paths_from(&config.package_root);
    match cli.command {
        Some(Command::Scan { format }) => scan(&config, format, &mut terminal),
        Some(Command::Inspect { path, format }) => {
            let view = pipeline::inspect(&config, &path, &mut terminal);
            print_view(view, format, inspect_text, &mut terminal)
        }
        Some(Command::Status { format }) => {
            let view = pipeline::status(&config, &mut terminal);
            print_view(
                view,
                format,
                snakegen_core::views::status_text,
                &mut terminal,
            )
        }
        None if cli.check => check(&config, cli.message_format, &mut terminal),
        Some(Command::Doctor) => doctor(&config, &mut terminal),
        Some(Command::Prune { dry_run }) => {
            match pipeline::prune(&config, dry_run, &mut terminal) {
                Ok(removed) if removed.is_empty() => {
                    terminal.status("Pruned", "nothing: every generated symbol is used");
                    ExitCode::SUCCESS
                }
                Ok(_) => ExitCode::SUCCESS,
                Err(error) => terminal.fail(&error, error.exit_code() as u8),
            }
        }
        Some(Command::Ledger { action }) => ledger(&config, action, &mut terminal),
        Some(Command::Clean) => match pipeline::clean(&config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => terminal.fail(&error, error.exit_code() as u8),
        },
        None => match pipeline::run(
            &config,
            RunOptions {
                full: cli.full,
                force: cli.force,
            },
            &mut terminal,
        ) {
            Ok(outcome) => {
                let changed = match outcome.plan.len() {
                    0 => "up to date".to_owned(),
                    1 => "1 file written".to_owned(),
                    files => format!("{files} files written"),
                };
                let python = if outcome.introspected {
                    "Python asked"
                } else {
                    "no Python started"
                };
                terminal.status(
                    "Finished",
                    &format!("{}: {changed}, {python}", config.package_name),
                );
                if cli.cargo_args.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    hand_off(&config, &cli.cargo_args, &mut terminal)
                }
            }
            Err(error) => terminal.fail(&error, error.exit_code() as u8),
        },
    }
}

fn scan(config: &Config, format: Format, terminal: &mut Terminal) -> ExitCode {
    let scan = match pipeline::scan_package(config, CacheMode::ReadWrite) {
        Ok(scan) => scan,
        Err(error) => return terminal.fail(&error, error.exit_code() as u8),
    };
    let mut out = std::io::stdout().lock();
    let written = match format {
        Format::Json => {
            let usages: Vec<_> = confirmed(&scan.usages)
                .map(|usage| {
                    serde_json::json!({
                        "library": usage.library,
                        "path": usage.path,
                        "file": usage.location.file,
                        "line": usage.location.line,
                        "column": usage.location.column,
                    })
                })
                .collect();
            let document = serde_json::json!({ "usages": usages, "diagnostics": scan.diagnostics });
            writeln!(out, "{document}")
        }
        Format::Human => {
            for diagnostic in &scan.diagnostics {
                pipeline::report(terminal, diagnostic, config);
            }
            confirmed(&scan.usages)
                .try_for_each(|usage| writeln!(out, "{} {}", usage.location, usage.path))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => terminal.fail(&error, EXIT_USAGE),
    }
}

fn ledger(config: &Config, action: LedgerAction, terminal: &mut Terminal) -> ExitCode {
    let done = match action {
        LedgerAction::Show { format } => {
            let view = ledger::show(config, terminal);
            return print_view(view, format, ledger::show_text, terminal);
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

fn print_view(
    view: Result<serde_json::Value, pipeline::Error>,
    format: Format,
    human: fn(&serde_json::Value) -> String,
    terminal: &mut Terminal,
) -> ExitCode {
    match view {
        Ok(view) => {
            match format {
                Format::Json => println!("{view}"),
                Format::Human => print!("{}", human(&view)),
            }
            ExitCode::SUCCESS
        }
        Err(error) => terminal.fail(&error, error.exit_code() as u8),
    }
}

/// `inspect` for people: the signature, where it came from, the docs.
fn inspect_text(view: &serde_json::Value) -> String {
    let parameters: Vec<String> = view["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| {
            let name = parameter["name"].as_str().unwrap_or_default();
            match parameter["default"].as_str() {
                Some(default) => format!("{name}={default}"),
                None => name.to_owned(),
            }
        })
        .collect();
    let returns = view["returns"]
        .as_str()
        .map(|returns| format!(" -> {returns}"))
        .unwrap_or_default();
    format!(
        "{} {}({}){returns}\n  defined at {}\n  signature source: {}\n\n{}\n",
        view["kind"].as_str().unwrap_or_default(),
        view["path"].as_str().unwrap_or_default(),
        parameters.join(", "),
        view["canonical"].as_str().unwrap_or_default(),
        view["signature_source"].as_str().unwrap_or("none"),
        view["doc"].as_str().unwrap_or("(no docstring)"),
    )
}

/// Usages the scan is sure of: guesses under a glob import need the name
/// index, which only the full run consults.
fn confirmed(usages: &[Usage]) -> impl Iterator<Item = &Usage> {
    usages
        .iter()
        .filter(|usage| !matches!(usage.kind, UsageKind::Glob { .. }))
}

fn check(config: &Config, format: Format, terminal: &mut Terminal) -> ExitCode {
    if let Format::Json = format {
        terminal.collect_diagnostics();
    }
    let report = match pipeline::check(config, terminal) {
        Ok(report) => report,
        Err(error) => return terminal.fail(&error, error.exit_code() as u8),
    };
    let code = if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_DRIFT)
    };
    if let Format::Json = format {
        let drift: Vec<serde_json::Value> = report
            .drift
            .iter()
            .map(|drift| {
                let (kind, diff) = match &drift.kind {
                    DriftKind::Differs(diff) => ("differs", Some(diff)),
                    DriftKind::Missing => ("missing", None),
                    DriftKind::Stale => ("stale", None),
                };
                serde_json::json!({ "path": drift.path, "kind": kind, "diff": diff })
            })
            .collect();
        let document = serde_json::json!({
            "clean": report.is_clean(),
            "diagnostics": terminal.collected(),
            "drift": drift,
            "lock_changes": report.lock_changes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        println!("{document}");
        return code;
    }
    for drift in &report.drift {
        let path = terminal.shown(&drift.path);
        match &drift.kind {
            DriftKind::Differs(diff) => {
                terminal.error(&format!(
                    "`{path}` differs from what the manifests generate"
                ));
                eprint!("{diff}");
            }
            DriftKind::Missing => terminal.error(&format!("`{path}` is missing")),
            DriftKind::Stale => {
                terminal.error(&format!("`{path}` is stale: nothing generates it any more"))
            }
        }
    }
    if !report.lock_changes.is_empty() {
        eprintln!("note: snakegen.lock would change:");
        for change in &report.lock_changes {
            eprintln!("  - {change}");
        }
    }
    if report.is_clean() {
        terminal.status(
            "Checked",
            &format!(
                "{}: adapters, manifests and lock are up to date",
                config.package_name
            ),
        );
    } else {
        let problems = report.unlocked.len() + report.drift.len();
        terminal.error(&format!(
            "{problems} problem(s): the committed adapters are out of date\n  = help: run `cargo snakegen` and commit the result"
        ));
    }
    code
}

fn doctor(config: &Config, terminal: &mut Terminal) -> ExitCode {
    let findings = match pipeline::doctor(config) {
        Ok(findings) => findings,
        Err(error) => return terminal.fail(&error, error.exit_code() as u8),
    };
    for finding in &findings {
        let live = finding
            .live
            .as_deref()
            .unwrap_or("not installed, or no version without importing it");
        if finding.drifted() {
            println!(
                "drift  {}: locked {}, live {live}",
                finding.subject, finding.locked
            );
        } else {
            println!("ok     {}: {}", finding.subject, finding.locked);
        }
    }
    if findings.iter().any(pipeline::Finding::drifted) {
        terminal.error(
            "the environment differs from snakegen.lock\n  = help: install the locked versions, or re-run `cargo snakegen` to regenerate for this environment",
        );
        ExitCode::from(EXIT_DRIFT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `cargo ARGS` where the user would: in the package's directory, so
/// `-- run` picks this package's binary even inside a workspace.
fn hand_off(config: &Config, args: &[String], terminal: &mut Terminal) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    match std::process::Command::new(&cargo)
        .args(args)
        .current_dir(&config.package_root)
        .status()
    {
        Ok(status) => ExitCode::from(status.code().map_or(EXIT_USAGE, |code| code as u8)),
        Err(error) => terminal.fail(
            &format!(
                "could not run `{} {}`: {error}",
                cargo.to_string_lossy(),
                args.join(" ")
            ),
            EXIT_USAGE,
        ),
    }
}

/// Cargo-style output on stderr: green right-aligned verbs on a terminal.
struct Terminal {
    quiet: bool,
    color: bool,
    /// The package root as the user sees it from the current directory
    /// (`examples/quickstart/`), prefixed to package-relative paths.
    package_prefix: String,
    /// With `--message-format json`, diagnostics are kept for the report
    /// instead of printed.
    collected: Option<Vec<Diagnostic>>,
}

impl Terminal {
    fn new(quiet: bool) -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Terminal {
            quiet,
            color,
            package_prefix: String::new(),
            collected: None,
        }
    }

    fn show_paths_from(&mut self, package_root: &Path) {
        let current = std::env::current_dir().and_then(std::fs::canonicalize);
        let root =
            std::fs::canonicalize(package_root).unwrap_or_else(|_| package_root.to_path_buf());
        self.package_prefix = match current
            .ok()
            .and_then(|current| root.strip_prefix(current).ok().map(Path::to_path_buf))
        {
            Some(relative) if relative.as_os_str().is_empty() => String::new(),
            Some(relative) => format!("{}/", relative.display()),
            None => format!("{}/", root.display()),
        };
    }

    fn collect_diagnostics(&mut self) {
        self.quiet = true;
        self.collected = Some(Vec::new());
    }

    fn collected(&self) -> &[Diagnostic] {
        self.collected.as_deref().unwrap_or_default()
    }

    /// A package-relative path as the user can open it from here (a path
    /// outside the package, such as a ledger elsewhere, is absolute).
    fn shown(&self, path: &str) -> String {
        if Path::new(path).is_absolute() {
            return path.to_owned();
        }
        format!("{}{path}", self.package_prefix)
    }

    fn error(&self, message: &str) {
        let label = if self.color {
            "\x1b[1;31merror\x1b[0m"
        } else {
            "error"
        };
        eprintln!("{label}: {message}");
    }

    fn fail(&self, error: &dyn std::fmt::Display, code: u8) -> ExitCode {
        self.error(&error.to_string());
        ExitCode::from(code)
    }
}

impl Reporter for Terminal {
    fn status(&mut self, verb: &str, message: &str) {
        if self.quiet {
            return;
        }
        if self.color {
            eprintln!("\x1b[1;32m{verb:>12}\x1b[0m {message}");
        } else {
            eprintln!("{verb:>12} {message}");
        }
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic, source: Option<&str>) {
        if let Some(collected) = &mut self.collected {
            collected.push(diagnostic.clone());
            return;
        }
        let mut diagnostic = diagnostic.clone();
        if let Some(location) = &mut diagnostic.location {
            location.file = self.shown(&location.file);
        }
        eprint!("{}", diagnostic.render(source));
    }
}
