//! The error every command returns, and its exit code.

use crate::config::ConfigError;
use crate::introspect::IntrospectError;
use crate::util::fs::IoError;

#[derive(Debug)]
pub enum Error {
    Config(ConfigError),
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
    /// Paths into libraries the config does not list; the diagnostics
    /// (with the fix) were reported.
    Unconfigured(usize),
    /// Usages the committed artifacts do not cover, in a run that may not
    /// start Python; the diagnostics were reported.
    NotLocked(usize),
    /// A file where an artifact goes that snakegen did not write.
    NotOurs(Vec<String>),
    /// A file of the package cannot be edited (`Cargo.toml` by `ledger
    /// promote` and `add`; the crate root or build script by `init`).
    Manifest {
        path: std::path::PathBuf,
        message: String,
    },
}

impl Error {
    /// DESIGN.md §8: 1 for unresolved symbols, 2 for the user's setup.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Unresolved(_) | Error::NotLocked(_) | Error::Unconfigured(_) => 1,
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
            Error::Unconfigured(1) => f.write_str(
                "1 path leads into a Python library that is not configured; nothing was written",
            ),
            Error::Unconfigured(count) => write!(
                f,
                "{count} paths lead into Python libraries that are not configured; nothing was written"
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
            Error::NotOurs(paths) => write!(
                f,
                "{} not written by snakegen (no `@generated` header), so not replaced\n  = help: move {} away, or run `cargo snakegen --force` to replace {}",
                paths
                    .iter()
                    .map(|path| format!("`{path}` is"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if paths.len() == 1 { "it" } else { "them" },
                if paths.len() == 1 { "it" } else { "them" },
            ),
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
