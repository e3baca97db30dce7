//! The write pass: a plan of what changes on disk, then atomic writes.
//! Files whose bytes are already right are not touched, so their mtimes
//! stay and cargo does not rebuild.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use crate::sources::IoError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Replace,
    Delete,
}

/// Package-relative path → what happens to it. Unchanged files are absent.
pub type Plan = BTreeMap<String, Action>;

/// `existing` is what snakegen owns on disk now; anything there that
/// `desired` does not produce is stale and goes.
pub fn plan(desired: &BTreeMap<String, String>, existing: &BTreeMap<String, String>) -> Plan {
    let mut plan = Plan::new();
    for (path, text) in desired {
        match existing.get(path) {
            None => {
                plan.insert(path.clone(), Action::Create);
            }
            Some(old) if old != text => {
                plan.insert(path.clone(), Action::Replace);
            }
            Some(_) => {}
        }
    }
    for path in existing.keys().filter(|path| !desired.contains_key(*path)) {
        plan.insert(path.clone(), Action::Delete);
    }
    plan
}

/// Applies `plan`. The lock goes last: a run killed part-way leaves a lock
/// that still describes the previous, complete state of every file it
/// names, and the next run repairs the rest.
pub fn apply(root: &Path, desired: &BTreeMap<String, String>, plan: &Plan) -> Result<(), IoError> {
    let (lock, others): (Vec<_>, Vec<_>) = plan
        .iter()
        .partition(|(path, _)| path.as_str() == snakegen_lockfile::FILE_NAME);
    for (written, (path, action)) in others.into_iter().chain(lock).enumerate() {
        crash_for_tests(written);
        let full = root.join(path);
        match action {
            Action::Create | Action::Replace => write_atomically(&full, desired[path].as_bytes())?,
            Action::Delete => remove(&full)?,
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

/// Temp files a killed run left next to the artifacts
/// (`.math.rs.snakegen-1234.tmp`), by package-relative path.
pub fn is_leftover_temp(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with('.') && name.ends_with(".tmp") && name.contains(".snakegen-")
}

/// A temp file in the same directory, then a rename: readers see the old
/// bytes or the new ones, never a torn file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let io_error = |error| IoError {
        path: path.to_path_buf(),
        error,
    };
    let directory = path
        .parent()
        .expect("artifact paths are inside the package");
    std::fs::create_dir_all(directory).map_err(io_error)?;
    let file_name = path
        .file_name()
        .expect("artifact paths name a file")
        .to_string_lossy();
    let temp = directory.join(format!(".{file_name}.snakegen-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(io_error)
}

fn remove(path: &Path) -> Result<(), IoError> {
    std::fs::remove_file(path).map_err(|error| IoError {
        path: path.to_path_buf(),
        error,
    })?;
    // Leave no empty module directories behind (`src/py/numpy/`).
    if let Some(directory) = path.parent() {
        let _ = std::fs::remove_dir(directory);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect()
    }

    #[test]
    fn plans_create_replace_delete_and_skips_unchanged() {
        let desired = files(&[("a.rs", "same"), ("b.rs", "new"), ("c.rs", "created")]);
        let existing = files(&[("a.rs", "same"), ("b.rs", "old"), ("d.rs", "stale")]);
        let plan = plan(&desired, &existing);
        assert_eq!(
            plan.into_iter().collect::<Vec<_>>(),
            vec![
                ("b.rs".to_owned(), Action::Replace),
                ("c.rs".to_owned(), Action::Create),
                ("d.rs".to_owned(), Action::Delete),
            ]
        );
    }

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
