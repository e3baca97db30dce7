//! The write edge: a plan applied to the package, each file atomically,
//! the lock last.

use std::collections::BTreeMap;
use std::path::Path;

use super::plan::{Action, Plan};
use crate::util::fs::{self, IoError};

/// Applies `plan`. The lock goes last: a run killed part-way leaves a lock
/// that still describes the previous, complete state of every file it
/// names, and the next run repairs the rest.
pub(crate) fn apply(
    root: &Path,
    desired: &BTreeMap<String, String>,
    plan: &Plan,
) -> Result<(), IoError> {
    let (lock, others): (Vec<_>, Vec<_>) = plan
        .iter()
        .partition(|(path, _)| path.as_str() == snakegen_lockfile::FILE_NAME);
    for (written, (path, action)) in others.into_iter().chain(lock).enumerate() {
        crash_for_tests(written);
        let full = root.join(path);
        match action {
            Action::Create | Action::Replace => {
                fs::write_atomic(root, &full, desired[path].as_bytes())?
            }
            Action::Delete => {
                fs::remove_file(root, &full)?;
                // Leave no empty module directories behind (`src/py/numpy/`).
                if let Some(directory) = full.parent() {
                    let _ = std::fs::remove_dir(directory);
                }
            }
        }
    }
    Ok(())
}

/// Fault injection for the crash tests, in debug builds only: with
/// `SNAKEGEN_TEST_CRASH_AFTER=N`, the process dies (no unwinding, no
/// cleanup, like SIGKILL) before its N+1th file operation.
fn crash_for_tests(done: usize) {
    #[cfg(debug_assertions)]
    if std::env::var("SNAKEGEN_TEST_CRASH_AFTER")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        == Some(done)
    {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = done;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::plan::plan;
    use crate::artifacts::plan::tests::files;

    #[test]
    fn applies_atomically_and_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let desired = files(&[("src/py/math.rs", "fn a() {}\n")]);
        apply(root.path(), &desired, &plan(&desired, &BTreeMap::new())).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.path().join("src/py/math.rs")).unwrap(),
            "fn a() {}\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(root.path().join("src/py"))
            .unwrap()
            .collect();
        assert_eq!(leftovers.len(), 1, "no temp file is left behind");

        let existing = files(&[("src/py/math.rs", "fn a() {}\n")]);
        apply(
            root.path(),
            &BTreeMap::new(),
            &plan(&BTreeMap::new(), &existing),
        )
        .unwrap();
        assert!(
            !root.path().join("src/py").exists(),
            "the emptied directory goes too"
        );
    }
}
