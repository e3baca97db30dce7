//! The read edge: the artifacts on disk that snakegen owns (generated
//! adapters, manifests, the lock, and a killed run's temp files), by
//! package-relative path.

use std::collections::BTreeMap;

use super::{Action, MANIFEST_DIR, Plan};
use crate::config::Config;
use crate::util::fs::{self, IoError};

pub(crate) fn existing_artifacts(config: &Config) -> Result<BTreeMap<String, String>, IoError> {
    let root = &config.package_root;
    let mut existing = BTreeMap::new();
    for directory in [config.module_dir(), MANIFEST_DIR.to_owned()] {
        let directory = root.join(directory);
        if !directory.is_dir() {
            continue;
        }
        // A clone may carry `src/py` as a link to anywhere: nothing there
        // is ours to read, replace or delete.
        fs::contained(root, &directory)?;
        for entry in walkdir::WalkDir::new(&directory).sort_by_file_name() {
            let entry = entry.map_err(|error| IoError {
                path: error.path().unwrap_or(&directory).to_path_buf(),
                error: error.into(),
            })?;
            // A link in there is not ours either (`is_file` does not follow
            // it); writing over it is refused by `fs::write_atomic`.
            if !entry.file_type().is_file() {
                continue;
            }
            let path = fs::relative(root, entry.path());
            let Some(text) = fs::read_text_if_exists(entry.path())? else {
                continue;
            };
            // A killed run's temp files are ours too: the plan deletes them.
            if super::is_owned(config, &path, &text) || fs::is_leftover_temp(&path) {
                existing.insert(path, text);
            }
        }
    }
    let lock_temps = std::fs::read_dir(root)
        .map_err(IoError::at(root))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| {
            fs::is_leftover_temp(name)
                && name.starts_with(&format!(".{}", snakegen_lockfile::FILE_NAME))
        });
    for name in lock_temps {
        // Readers hold the package's lock, but a file that vanished since
        // the listing is simply gone, not an error.
        if let Some(text) = fs::read_text_if_exists(&root.join(&name))? {
            existing.insert(name, text);
        }
    }
    if let Some(lock) = fs::read_text_if_exists(&root.join(snakegen_lockfile::FILE_NAME))? {
        existing.insert(snakegen_lockfile::FILE_NAME.to_owned(), lock);
    }
    Ok(existing)
}

/// The planned creations that would overwrite a file snakegen does not
/// own: a hand-written `src/py/math.rs`, say (no `@generated` header).
pub(crate) fn not_ours(config: &Config, plan: &Plan) -> Vec<String> {
    plan.iter()
        .filter(|(path, action)| {
            **action == Action::Create
                && std::fs::symlink_metadata(config.package_root.join(path)).is_ok()
        })
        .map(|(path, _)| path.clone())
        .collect()
}
