//! The introspect pass: one interpreter process per run answers for every
//! library at once. This is an I/O edge: the request and the answer are
//! plain data, the process in between is the real Python.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::metadata::{PythonIdentity, Symbol};

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
    #[serde(rename = "type")]
    pub type_name: String,
    pub message: String,
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
    TimedOut {
        library: Option<String>,
        limit: Duration,
    },
    /// The interpreter ran but did not produce an answer.
    Failed { python: String, stderr: String },
}

impl std::fmt::Display for IntrospectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntrospectError::Spawn { python, error } => write!(
                f,
                "could not start the Python interpreter `{python}`: {error}\n  = help: install Python 3, or set `python` in [package.metadata.snakegen] or PYO3_PYTHON to an interpreter"
            ),
            IntrospectError::TimedOut { library, limit } => match library {
                Some(library) => write!(
                    f,
                    "introspection timed out after {}s while importing `{library}`; the process was killed",
                    limit.as_secs()
                ),
                None => write!(
                    f,
                    "introspection timed out after {}s; the process was killed",
                    limit.as_secs()
                ),
            },
            IntrospectError::Failed { python, stderr } => {
                write!(f, "the introspector failed in `{python}`:\n{stderr}")
            }
        }
    }
}

impl std::error::Error for IntrospectError {}

const PROGRESS_PREFIX: &str = "snakegen: importing ";

/// Runs the introspector in `python`. `scratch` is a private directory (in
/// the target dir) for the answer file: the answer never travels on stdout.
pub fn run(
    python: &str,
    request: &Request,
    scratch: &Path,
    limit: Duration,
) -> Result<Answer, IntrospectError> {
    // Every caller's scratch is under `target/`, which may not exist yet.
    let _ = std::fs::create_dir_all(scratch);
    log_start_for_tests(python, request);
    let answer_path = scratch.join(format!("introspect-{}.json", std::process::id()));
    let result = run_with_answer_file(python, request, &answer_path, limit);
    let _ = std::fs::remove_file(&answer_path);
    result
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

fn run_with_answer_file(
    python: &str,
    request: &Request,
    answer_path: &Path,
    limit: Duration,
) -> Result<Answer, IntrospectError> {
    let mut child = Command::new(python)
        .arg("-c")
        .arg(SCRIPT)
        .arg(answer_path)
        // A fixed hash seed: the repr of a set default, and any order that
        // follows hashes, must not differ between runs.
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| IntrospectError::Spawn {
            python: python.to_owned(),
            error,
        })?;
    let request_json = serde_json::to_vec(request).expect("the request is plain data");
    if let Some(mut stdin) = child.stdin.take() {
        // A write error means the child died early; its stderr says why.
        let _ = stdin.write_all(&request_json);
    }
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });

    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let stderr = stderr_reader.join().unwrap_or_default();
    let Some(status) = status else {
        let library = stderr
            .lines()
            .filter_map(|line| line.strip_prefix(PROGRESS_PREFIX))
            .next_back()
            .map(str::to_owned);
        return Err(IntrospectError::TimedOut { library, limit });
    };
    let failed = |reason: String| IntrospectError::Failed {
        python: python.to_owned(),
        stderr: format!("{}{reason}", user_facing_stderr(&stderr)),
    };
    if !status.success() {
        return Err(failed(format!("({status})")));
    }
    let text = std::fs::read_to_string(answer_path)
        .map_err(|error| failed(format!("no answer in {}: {error}", answer_path.display())))?;
    serde_json::from_str(&text).map_err(|error| failed(format!("unreadable answer: {error}")))
}

fn user_facing_stderr(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| !line.starts_with(PROGRESS_PREFIX))
        .collect::<Vec<_>>()
        .join("\n")
}
