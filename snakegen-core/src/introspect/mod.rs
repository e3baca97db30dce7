//! The introspect pass: one interpreter process per run answers for every
//! library at once. This is an I/O edge: the request and the answer are
//! plain data, the process in between is the real Python.
//!
//! Importing a library runs its code, which may hang, print without end,
//! start processes or raise anything, so the process is held at a
//! distance. It talks through files in the scratch directory only
//! (request, answer, progress, stderr), named for this run alone. On unix
//! it leads a process group of its own: the time limit, which covers the
//! whole exchange, kills the group, and the script kills the group itself
//! once this process is gone (Ctrl-C, SIGTERM), since then nothing else
//! would. What it says is made printable before it can reach a terminal,
//! and a failure echoes only the end of its stderr, naming the file that
//! keeps the rest. Only a daemon that leaves the group outlives a run; it
//! holds nothing of the run's.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::metadata::{PythonIdentity, Symbol};
use crate::util::fs::IoError;
use crate::util::text::printable;

mod cache;

pub(crate) use cache::MetadataCache;

/// The script, embedded so the tool needs no installed Python package.
pub(crate) const SCRIPT: &str = include_str!("introspect.py");

#[derive(Clone, Debug, Serialize)]
pub struct Request {
    pub libraries: BTreeMap<String, LibraryRequest>,
    /// Dotted paths as used (`fractions.Fraction.new`); each is walked
    /// through modules until the first non-module.
    pub paths: BTreeSet<String>,
    /// Modules whose public names to list (glob imports).
    pub indexes: BTreeSet<String>,
    /// Member names the crate calls (`x.det()`): the class members worth
    /// describing.
    pub members: BTreeSet<String>,
    /// Only say which interpreter and library versions answer, importing
    /// nothing: the metadata cache's key.
    pub probe: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LibraryRequest {
    pub stdlib: bool,
    /// The distribution name for `importlib.metadata` when it differs from
    /// the import name.
    pub distribution: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Answer {
    pub python: PythonIdentity,
    pub libraries: BTreeMap<String, LibraryAnswer>,
    pub symbols: BTreeMap<String, Symbol>,
    /// Requested paths with a segment that does not exist.
    pub unresolved: BTreeMap<String, Unresolved>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LibraryAnswer {
    pub version: Option<String>,
    pub error: Option<PythonError>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PythonError {
    pub kind: PythonErrorKind,
    #[serde(rename = "type")]
    pub type_name: String,
    pub message: String,
}

/// What an import raised, by what it means for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum PythonErrorKind {
    /// The library, or something it imports, is missing or broken.
    ImportError,
    /// Any other exception: the library's own code failed.
    Exception,
    /// Not an `Exception`: `SystemExit`, `KeyboardInterrupt`; the import
    /// was interrupted rather than failed.
    BaseException,
}

/// `name` is missing from `module`, whose public names are `names`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Unresolved {
    pub module: String,
    pub name: String,
    pub names: Vec<String>,
}

#[derive(Debug)]
pub enum IntrospectError {
    /// The interpreter could not be started at all.
    Spawn {
        python: String,
        error: std::io::Error,
    },
    /// The scratch files of the exchange could not be made.
    Scratch(IoError),
    TimedOut {
        library: Option<String>,
        limit: Duration,
        /// The interpreter's stderr, kept when it said something.
        stderr: Option<PathBuf>,
    },
    /// The interpreter ran but did not produce an answer.
    Failed {
        python: String,
        reason: String,
        /// The end of its stderr, made printable.
        stderr_tail: String,
        /// All of its stderr, kept when it said something.
        stderr: Option<PathBuf>,
    },
}

impl std::fmt::Display for IntrospectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntrospectError::Spawn { python, error } => write!(
                f,
                "could not start the Python interpreter `{python}`: {error}\n  = help: install Python 3, or set `python` in [package.metadata.snakegen] or PYO3_PYTHON to an interpreter"
            ),
            IntrospectError::Scratch(error) => {
                write!(f, "cannot prepare the introspector's files: {error}")
            }
            IntrospectError::TimedOut {
                library,
                limit,
                stderr,
            } => {
                write!(f, "introspection timed out after {}s", limit.as_secs())?;
                if let Some(library) = library {
                    write!(f, " while importing `{library}`")?;
                }
                f.write_str("; the process and every process it started were killed")?;
                if let Some(stderr) = stderr {
                    write!(f, "\n  = note: its stderr is in {}", stderr.display())?;
                }
                Ok(())
            }
            IntrospectError::Failed {
                python,
                reason,
                stderr_tail,
                stderr,
            } => {
                write!(f, "the introspector failed in `{python}`: {reason}")?;
                if !stderr_tail.is_empty() {
                    write!(f, "\n{stderr_tail}")?;
                }
                if let Some(stderr) = stderr {
                    write!(
                        f,
                        "\n  = note: all of its stderr is in {}",
                        stderr.display()
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for IntrospectError {}

/// The end of a failed interpreter's stderr that is echoed: a library can
/// print megabytes; the file keeps all of it.
const ECHOED_LINES: usize = 40;
const ECHOED_BYTES: usize = 4096;

/// The request as the script reads it, with what only this run knows.
#[derive(Serialize)]
struct Wire<'a> {
    #[serde(flatten)]
    request: &'a Request,
    /// Our pid, on unix: the script ends its process group once we are
    /// gone (see `watch_parent` in the script).
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<u32>,
}

/// One exchange's files in the scratch directory. Their names are this
/// run's alone (pid, time, counter), so an interpreter left over from
/// another run can never write the answer this run reads.
struct Exchange {
    request: PathBuf,
    answer: PathBuf,
    /// The library being imported, for a timeout's message.
    progress: PathBuf,
    /// A file rather than a pipe: processes the library starts inherit it,
    /// and a pipe would stay open, and be waited for, as long as they live.
    stderr: PathBuf,
}

impl Exchange {
    fn new(scratch: &Path) -> Exchange {
        static RUNS: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        let stem = format!(
            "introspect-{}-{nanos}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed)
        );
        let file = |extension: &str| scratch.join(format!("{stem}.{extension}"));
        Exchange {
            request: file("request.json"),
            answer: file("json"),
            progress: file("progress"),
            stderr: file("stderr"),
        }
    }

    /// The stderr file for a failure to name, if the interpreter said
    /// anything there.
    fn kept_stderr(&self) -> Option<PathBuf> {
        let said_something = std::fs::metadata(&self.stderr).is_ok_and(|stderr| stderr.len() > 0);
        said_something.then(|| self.stderr.clone())
    }

    /// Removes the files, but a failed run's stderr, which its error names.
    fn remove(&self, failed: bool) {
        for file in [&self.request, &self.answer, &self.progress] {
            let _ = std::fs::remove_file(file);
        }
        if !(failed && self.kept_stderr().is_some()) {
            let _ = std::fs::remove_file(&self.stderr);
        }
    }
}

/// A file of this run's, created, never opened through what was there.
fn create_new(path: &Path) -> Result<File, IntrospectError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|error| IntrospectError::Scratch(IoError::at(path)(error)))
}

/// What the interpreter is doing, told to the caller every 100 ms while
/// it works.
pub struct Waiting<'a> {
    /// The library being imported, once the script has started one.
    pub library: Option<&'a str>,
    pub elapsed: Duration,
}

const WAITING_INTERVAL: Duration = Duration::from_millis(100);

/// Runs the introspector in `python`. `scratch` is a private directory (in
/// the target dir) for the exchange's files: the answer never travels on
/// stdout. `limit` bounds the whole exchange, from writing the request to
/// reading the answer; then the interpreter's process group is killed.
/// `waiting` is told, while the interpreter works, what it is doing.
pub fn run(
    python: &str,
    request: &Request,
    scratch: &Path,
    limit: Duration,
    waiting: &mut dyn FnMut(&Waiting),
) -> Result<Answer, IntrospectError> {
    let started = Instant::now();
    // Every caller's scratch is under `target/`, which may not exist yet.
    let _ = std::fs::create_dir_all(scratch);
    log_start_for_tests(python, request);
    let exchange = Exchange::new(scratch);
    let result = run_exchange(python, request, &exchange, started, limit, waiting);
    exchange.remove(result.is_err());
    result.map(printable_answer)
}

/// For the tests that count interpreters, in debug builds only: with
/// `SNAKEGEN_TEST_INTERPRETER_LOG=FILE`, each start appends a line to FILE:
/// `probe PYTHON` or `introspect PYTHON N` (N requested paths).
fn log_start_for_tests(python: &str, request: &Request) {
    #[cfg(debug_assertions)]
    if let Some(log) = std::env::var_os("SNAKEGEN_TEST_INTERPRETER_LOG") {
        let line = if request.probe {
            format!("probe {python}\n")
        } else {
            format!("introspect {python} {}\n", request.paths.len())
        };
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .and_then(|mut file| file.write_all(line.as_bytes()));
        if let Err(error) = appended {
            panic!("SNAKEGEN_TEST_INTERPRETER_LOG: {error}");
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = (python, request);
}

fn run_exchange(
    python: &str,
    request: &Request,
    exchange: &Exchange,
    started: Instant,
    limit: Duration,
    waiting: &mut dyn FnMut(&Waiting),
) -> Result<Answer, IntrospectError> {
    let wire = Wire {
        request,
        parent: cfg!(unix).then(std::process::id),
    };
    let request_json = serde_json::to_vec(&wire).expect("the request is plain data");
    // The request is a file the script reads as stdin: a pipe's writer
    // would block on an interpreter that does not read.
    create_new(&exchange.request)?
        .write_all(&request_json)
        .map_err(|error| IntrospectError::Scratch(IoError::at(&exchange.request)(error)))?;
    let stdin = File::open(&exchange.request)
        .map_err(|error| IntrospectError::Scratch(IoError::at(&exchange.request)(error)))?;
    let stderr = create_new(&exchange.stderr)?;
    let mut command = Command::new(python);
    command
        .arg("-c")
        .arg(SCRIPT)
        .arg(&exchange.answer)
        .arg(&exchange.progress)
        // A fixed hash seed: the repr of a set default, and any order that
        // follows hashes, must not differ between runs.
        .env("PYTHONHASHSEED", "0")
        .stdin(stdin)
        .stdout(Stdio::null())
        .stderr(stderr);
    // A group of its own, so that a timeout can kill whatever the import
    // started too, and the terminal's Ctrl-C reaches only us (the script
    // then sees us gone).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|error| IntrospectError::Spawn {
        python: python.to_owned(),
        error,
    })?;

    let failed = |reason: String| IntrospectError::Failed {
        python: python.to_owned(),
        reason,
        stderr_tail: stderr_tail(&exchange.stderr),
        stderr: exchange.kept_stderr(),
    };
    let importing = || {
        std::fs::read_to_string(&exchange.progress)
            .ok()
            .filter(|library| request.libraries.contains_key(library))
    };
    let mut told = started;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                kill_group(&mut child);
                return Err(IntrospectError::TimedOut {
                    library: importing(),
                    limit,
                    stderr: exchange.kept_stderr(),
                });
            }
            Ok(None) => {
                if told.elapsed() >= WAITING_INTERVAL {
                    told = Instant::now();
                    let library = importing();
                    waiting(&Waiting {
                        library: library.as_deref(),
                        elapsed: started.elapsed(),
                    });
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(error) => {
                kill_group(&mut child);
                return Err(failed(format!("cannot wait for it: {error}")));
            }
        }
    };
    if !status.success() {
        return Err(failed(status.to_string()));
    }
    let text = std::fs::read_to_string(&exchange.answer).map_err(|error| {
        failed(format!(
            "no answer in {}: {error}",
            exchange.answer.display()
        ))
    })?;
    serde_json::from_str(&text).map_err(|error| failed(format!("unreadable answer: {error}")))
}

/// Kills the interpreter and every process in its group (what the import
/// started, unless it left the group on purpose, like a daemon), then
/// reaps it. The group is killed first: while its leader is unreaped, its
/// id cannot be reused by another group.
fn kill_group(child: &mut Child) {
    // The shell's `kill` takes a group, and `/bin/sh` is everywhere `kill(1)`
    // may not be installed; no libc binding needed.
    #[cfg(unix)]
    let _ = Command::new("/bin/sh")
        .args(["-c", "kill -s KILL -- \"-$0\"", &child.id().to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// The last lines of a failed interpreter's stderr, at most
/// `ECHOED_LINES` and about `ECHOED_BYTES`, printable.
fn stderr_tail(path: &Path) -> String {
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let length = file.metadata().map_or(0, |metadata| metadata.len());
    let start = length.saturating_sub(ECHOED_BYTES as u64);
    let mut bytes = Vec::new();
    if file.seek(SeekFrom::Start(start)).is_err()
        || file
            .take(ECHOED_BYTES as u64)
            .read_to_end(&mut bytes)
            .is_err()
    {
        return String::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    let kept = &lines[lines.len().saturating_sub(ECHOED_LINES)..];
    let mut tail = printable(&kept.join("\n"), &['\n']);
    let mut cut = start > 0 || kept.len() < lines.len();
    // Escaping lengthens the text: cut again, at a character.
    if tail.len() > ECHOED_BYTES {
        let mut from = tail.len() - ECHOED_BYTES;
        while !tail.is_char_boundary(from) {
            from += 1;
        }
        tail.drain(..from);
        cut = true;
    }
    if cut {
        tail.insert_str(0, "…\n");
    }
    tail
}

/// What Python said that reaches a terminal as is, made printable: the
/// versions (also recorded in the lock) and the import errors.
fn printable_answer(mut answer: Answer) -> Answer {
    for library in answer.libraries.values_mut() {
        if let Some(version) = &mut library.version {
            *version = printable(version, &[]);
        }
        if let Some(error) = &mut library.error {
            error.type_name = printable(&error.type_name, &[]);
            error.message = printable(&error.message, &['\n']);
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            printable("a\u{1b}[2J\0b\r\nc\u{202e}é", &['\n']),
            "a\\u{1b}[2J\\u{0}b\\r\nc\\u{202e}é"
        );
        assert_eq!(printable("1.0\n", &[]), "1.0\\n");
    }

    #[test]
    fn only_the_end_of_a_long_stderr_is_echoed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stderr");
        let line = "\u{1b}[31mnoise\u{1b}[0m\n".repeat(10_000);
        std::fs::write(&path, format!("{line}Traceback\nRuntimeError: last\n")).unwrap();
        let tail = stderr_tail(&path);
        assert!(tail.starts_with("…\n"), "{tail}");
        assert!(tail.ends_with("Traceback\nRuntimeError: last"), "{tail}");
        assert!(tail.lines().count() <= ECHOED_LINES + 1, "{tail}");
        assert!(tail.len() <= ECHOED_BYTES + "…\n".len(), "{tail}");
        assert!(!tail.contains('\u{1b}'), "{tail}");

        std::fs::write(&path, "short\n").unwrap();
        assert_eq!(stderr_tail(&path), "short");
    }
}
