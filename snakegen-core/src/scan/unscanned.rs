//! Files the scan could not read: each gets a warning naming it, so no
//! usage is lost silently (and prune refuses after such a scan).

use super::FileScan;
use crate::diagnostic::{Code, Diagnostic, Location};

/// A file whose scan panicked (a bug in snakegen): its usages are unknown.
pub fn crashed(file: &str) -> FileScan {
    unscanned(
        file,
        format!("could not scan {file}: the scanner failed on it (a bug in snakegen)"),
        "its Python symbols were not read; please report the file",
    )
}

/// A file too large to parse within bounded memory.
pub fn too_large(file: &str, size: u64, limit: u64) -> FileScan {
    unscanned(
        file,
        format!(
            "did not scan {file}: it is {} MiB, more than the {} MiB a scan reads",
            size >> 20,
            limit >> 20
        ),
        "its Python symbols were not read; name them in `include` if it uses any",
    )
}

/// A file that is not UTF-8 cannot be Rust: rustc will refuse it too.
pub fn unreadable(file: &str, error: &std::str::Utf8Error) -> FileScan {
    unscanned(
        file,
        format!("could not read {file}: it is not valid UTF-8 ({error})"),
        "save it as UTF-8; no Python symbol was read from it",
    )
}

fn unscanned(file: &str, message: String, help: &str) -> FileScan {
    let diagnostic = Diagnostic::warning(Code::S0001, message)
        .at(Location {
            file: file.to_owned(),
            line: 1,
            column: 1,
        })
        .with_help(help);
    FileScan {
        diagnostics: vec![diagnostic],
        ..FileScan::default()
    }
}
