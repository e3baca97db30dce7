//! The usage ledger's writer: what [`crate::dynamic`] looked up, appended
//! to `<dir>/<library>.jsonl` while `SNAKEGEN_LEDGER` is set.
//!
//! - Off (the variable unset or empty): a call costs one relaxed atomic
//!   load.
//! - `SNAKEGEN_LEDGER=1`: the directory is `$CARGO_MANIFEST_DIR/.snakegen/ledger`
//!   when that variable is set at run time (`cargo run` and `cargo test` set
//!   it), else `./.snakegen/ledger`. Any other value is the directory.
//! - Each line is one canonical JSON object, `{"symbol":"math.sqrt"}`, the
//!   dotted Python path; the file is named after the path's first segment.
//! - A process appends each symbol once. Each append opens the file in
//!   append mode, takes the OS lock on it, writes the whole line in one
//!   `write_all` and unlocks, so concurrent processes lose no line and tear
//!   none.
//! - A failure to record never fails the call: the first one is reported
//!   on stderr, later ones are not.

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

/// The environment variable that turns recording on.
pub(crate) const VARIABLE: &str = "SNAKEGEN_LEDGER";

const UNKNOWN: u8 = 0;
const OFF: u8 = 1;
const ON: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);
static RECORDER: OnceLock<Option<Recorder>> = OnceLock::new();
static FAILURE_REPORTED: AtomicBool = AtomicBool::new(false);

/// Whether a lookup should be recorded: after the first call, one relaxed
/// load when recording is off.
#[inline(always)]
pub(crate) fn is_off() -> bool {
    STATE.load(Ordering::Relaxed) == OFF
}

/// Records `module.name` (or `module` alone) unless this process already
/// did. Call only when [`is_off`] is false.
#[cold]
pub(crate) fn record(module: &str, name: Option<&str>) {
    let Some(recorder) = recorder() else {
        return;
    };
    let symbol = match name {
        Some(name) => format!("{module}.{name}"),
        None => module.to_owned(),
    };
    let library = symbol.split('.').next().unwrap_or_default();
    if !is_python_name(library) {
        // Only names Python imported get here; a library name that is not
        // an identifier cannot name a ledger file safely.
        return;
    }
    let first_time = recorder
        .seen
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(symbol.clone());
    if !first_time {
        return;
    }
    if let Err(error) = append(&recorder.dir, library, &line(&symbol))
        && !FAILURE_REPORTED.swap(true, Ordering::Relaxed)
    {
        eprintln!(
            "snakegen: could not record `{symbol}` in the usage ledger at {}: {error} (the call goes on; further failures are not reported)",
            recorder.dir.display()
        );
    }
}

struct Recorder {
    dir: PathBuf,
    /// The symbols this process has appended, so a hot loop appends once.
    seen: Mutex<HashSet<String>>,
}

fn recorder() -> Option<&'static Recorder> {
    RECORDER
        .get_or_init(|| {
            let recorder = from_environment();
            let state = if recorder.is_some() { ON } else { OFF };
            STATE.store(state, Ordering::Relaxed);
            recorder
        })
        .as_ref()
}

fn from_environment() -> Option<Recorder> {
    let value = std::env::var_os(VARIABLE).filter(|value| !value.is_empty())?;
    let dir = if value == "1" {
        let base = std::env::var_os("CARGO_MANIFEST_DIR")
            .filter(|dir| !dir.is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from);
        base.join(".snakegen").join("ledger")
    } else {
        PathBuf::from(value)
    };
    Some(Recorder {
        dir,
        seen: Mutex::new(HashSet::new()),
    })
}

/// `{"symbol":"math.sqrt"}` and a newline: JSON with the string escaped.
fn line(symbol: &str) -> String {
    let mut line = String::with_capacity(symbol.len() + 16);
    line.push_str("{\"symbol\":\"");
    for c in symbol.chars() {
        match c {
            '"' => line.push_str("\\\""),
            '\\' => line.push_str("\\\\"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            '\t' => line.push_str("\\t"),
            c if u32::from(c) < 0x20 => line.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => line.push(c),
        }
    }
    line.push_str("\"}\n");
    line
}

/// One locked append of a whole line.
fn append(dir: &Path, library: &str, line: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{library}.jsonl")))?;
    file.lock()?;
    let written = (&file).write_all(line.as_bytes());
    let unlocked = file.unlock();
    written.and(unlocked)
}

/// A Python identifier (ASCII or not), as a module's first segment is.
fn is_python_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_canonical_json() {
        assert_eq!(line("math.sqrt"), "{\"symbol\":\"math.sqrt\"}\n");
        assert_eq!(line("a\"b\\c\n"), "{\"symbol\":\"a\\\"b\\\\c\\n\"}\n");
        assert_eq!(line("x\u{1}"), "{\"symbol\":\"x\\u0001\"}\n");
    }

    #[test]
    fn library_names_must_be_identifiers() {
        assert!(is_python_name("numpy"));
        assert!(is_python_name("_private"));
        assert!(is_python_name("é"));
        assert!(!is_python_name(""));
        assert!(!is_python_name("../etc"));
        assert!(!is_python_name("1abc"));
    }

    #[test]
    fn appends_are_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("ledger");
        append(&ledger, "math", &line("math.sqrt")).unwrap();
        append(&ledger, "math", &line("math.floor")).unwrap();
        assert_eq!(
            std::fs::read_to_string(ledger.join("math.jsonl")).unwrap(),
            "{\"symbol\":\"math.sqrt\"}\n{\"symbol\":\"math.floor\"}\n"
        );
    }
}
