//! `cargo metadata`'s answer, kept in `target/snakegen/cargo-metadata/`
//! and reused while nothing it was computed from has changed: spawning
//! cargo costs more than the rest of a warm run.
//!
//! An answer is reused only when all of these are as they were:
//! - the invocation: the cargo binary (`CARGO`, as cargo sets it for its
//!   subcommands: path, size, mtime), cargo's flags, the directory and
//!   `--manifest-path`, and every `CARGO*`, `__CARGO*`, `RUSTUP*`, `RUSTC*`
//!   and `HOME` variable;
//! - the bytes, or the absence, of every `Cargo.toml`, `.cargo/config` and
//!   `.cargo/config.toml` in the start directories and their ancestors, of
//!   cargo's home config, of every member's manifest and its path
//!   dependencies' manifests, and of `Cargo.lock`;
//! - what makes cargo discover targets (`build.rs`, `src/lib.rs`,
//!   `src/main.rs`, the `.rs` files and `*/main.rs` of `src/bin`,
//!   `examples`, `tests` and `benches`) and every target's source file;
//! - what a glob in `workspace.members` or `workspace.exclude` can match.
//!
//! Anything else is a reason to run cargo: no `CARGO`, `-v` (cargo's own
//! messages were asked for), a `**` glob, a `.cargo/config` that includes
//! another file, a cache that does not parse. An answer computed from a
//! file written in the last 2 s is not kept, since the file may have
//! changed while cargo read it (mtimes are coarse).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::util::fs;
use crate::util::hash::sha256;

/// Bumped when what is recorded changes meaning.
const FORMAT: u32 = 1;

/// In the scratch directory (`target/snakegen/`).
pub(crate) const DIRECTORY: &str = "cargo-metadata";

/// A file written this recently may have changed while cargo read it.
const TRUST_AFTER: Duration = Duration::from_secs(2);

/// Where the target directories cargo tends to pick keep the cache, and
/// what the answer must match before anything else is looked at.
pub(super) struct Invocation {
    digest: String,
    /// The directories `cargo metadata` starts from: the current one, and
    /// the manifest's when one is named.
    starts: Vec<PathBuf>,
    file_name: String,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    format: u32,
    invocation: String,
    inputs: Vec<(PathBuf, Observed)>,
    metadata: cargo_metadata::Metadata,
}

/// What one input held when cargo answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Observed {
    /// A file that is not there.
    Missing,
    /// A file's content hash.
    File(String),
    /// Whether a path exists (a discovered target, a target's source).
    Exists(bool),
    /// The names found in a directory that can make targets.
    Names(Vec<String>),
    /// The directories a member glob could match.
    Candidates(Vec<String>),
}

impl Invocation {
    /// `None` when the cargo that would run is not known exactly.
    pub(super) fn new(manifest_path: Option<&Path>, flags: &[String]) -> Option<Invocation> {
        let cargo = PathBuf::from(std::env::var_os("CARGO")?);
        if !cargo.is_absolute() {
            return None;
        }
        let binary = std::fs::metadata(&cargo).ok()?;
        let current = std::env::current_dir().ok()?;
        let mut starts = vec![current.clone()];
        if let Some(manifest) = manifest_path {
            starts.push(current.join(manifest).parent()?.to_path_buf());
        }
        let mut variables: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(name, value)| {
                let name = name.into_string().ok()?;
                let relevant = ["CARGO", "__CARGO", "RUSTUP", "RUSTC"]
                    .iter()
                    .any(|prefix| name.starts_with(prefix))
                    || name == "HOME";
                relevant.then(|| (name, value.to_string_lossy().into_owned()))
            })
            .collect();
        variables.sort();
        let place = format!("{}\0{:?}", current.display(), manifest_path);
        let key = format!(
            "{FORMAT}\0{}\0{}\0{:?}\0{place}\0{flags:?}\0{variables:?}",
            cargo.display(),
            binary.len(),
            binary.modified().ok()?,
        );
        let place_hash = sha256(place.as_bytes());
        Some(Invocation {
            digest: sha256(key.as_bytes()),
            starts,
            file_name: format!("{}.json", &place_hash["sha256:".len()..][..16]),
        })
    }

    /// The answer a previous run recorded, if every input is as it was.
    pub(super) fn load(&self) -> Option<cargo_metadata::Metadata> {
        self.candidate_directories().into_iter().find_map(|dir| {
            let bytes = std::fs::read(dir.join(DIRECTORY).join(&self.file_name)).ok()?;
            let cached: Cached = serde_json::from_slice(&bytes).ok()?;
            let fresh = cached.format == FORMAT
                && cached.invocation == self.digest
                && cached
                    .inputs
                    .iter()
                    .all(|(path, observed)| observe(path, observed) == *observed);
            fresh.then_some(cached.metadata)
        })
    }

    /// Keeps `metadata` for the next run, when it can be trusted; failing
    /// to write only costs the next run a `cargo metadata`.
    pub(super) fn store(&self, metadata: &cargo_metadata::Metadata) {
        let Some(inputs) = inputs(&self.starts, metadata) else {
            return;
        };
        let cached = Cached {
            format: FORMAT,
            invocation: self.digest.clone(),
            inputs,
            metadata: metadata.clone(),
        };
        let scratch = metadata.target_directory.as_std_path().join("snakegen");
        if let Ok(bytes) = serde_json::to_vec(&cached) {
            let path = scratch.join(DIRECTORY).join(&self.file_name);
            let _ = fs::write_atomic(&scratch, &path, &bytes);
        }
    }

    /// Where the target directory can be without asking cargo: the one
    /// the environment names, or `target/` beside any manifest above the
    /// start. A target directory set in a `.cargo/config` is not looked
    /// for, so such a package runs cargo every time.
    fn candidate_directories(&self) -> Vec<PathBuf> {
        let from_environment = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
            .iter()
            .filter_map(std::env::var_os)
            .map(|dir| self.starts[0].join(dir).join("snakegen"));
        let beside_manifests = self
            .starts
            .iter()
            .flat_map(|start| start.ancestors())
            .filter(|dir| dir.join("Cargo.toml").is_file())
            .map(|dir| dir.join("target/snakegen"));
        from_environment.chain(beside_manifests).collect()
    }
}

/// Every input of `metadata`, observed now; `None` when one cannot be
/// trusted or followed.
fn inputs(
    starts: &[PathBuf],
    metadata: &cargo_metadata::Metadata,
) -> Option<Vec<(PathBuf, Observed)>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in starts.iter().flat_map(|start| start.ancestors()) {
        files.push(dir.join("Cargo.toml"));
        files.push(dir.join(".cargo/config"));
        files.push(dir.join(".cargo/config.toml"));
    }
    if let Some(home) = cargo_home() {
        files.push(home.join("config"));
        files.push(home.join("config.toml"));
    }
    let root = metadata.workspace_root.as_std_path();
    files.push(root.join("Cargo.toml"));
    files.push(root.join("Cargo.lock"));
    let mut exists: Vec<PathBuf> = Vec::new();
    let mut listed: Vec<PathBuf> = Vec::new();
    for package in metadata.workspace_packages() {
        let manifest = package.manifest_path.as_std_path();
        files.push(manifest.to_path_buf());
        // cargo loads path dependencies to find the workspace's members.
        files.extend(
            package
                .dependencies
                .iter()
                .filter_map(|dependency| dependency.path.as_ref())
                .map(|path| path.as_std_path().join("Cargo.toml")),
        );
        let dir = manifest.parent()?;
        for discovered in ["build.rs", "src/lib.rs", "src/main.rs"] {
            exists.push(dir.join(discovered));
        }
        for targets in ["src/bin", "examples", "tests", "benches"] {
            listed.push(dir.join(targets));
        }
        exists.extend(
            package
                .targets
                .iter()
                .map(|target| target.src_path.as_std_path().to_path_buf()),
        );
    }

    let mut inputs: BTreeMap<PathBuf, Observed> = BTreeMap::new();
    for file in files {
        let observed = hashed(&file)?;
        inputs.insert(file, observed);
    }
    for path in exists {
        let observed = Observed::Exists(path.exists());
        inputs.insert(path, observed);
    }
    for dir in listed {
        let observed = target_names(&dir);
        inputs.insert(dir, observed);
    }
    for dir in member_globs(root)? {
        let observed = glob_candidates(&dir);
        inputs.insert(dir, observed);
    }
    Some(inputs.into_iter().collect())
}

/// What one input holds now, observed as it was recorded.
fn observe(path: &Path, recorded: &Observed) -> Observed {
    match recorded {
        Observed::Missing | Observed::File(_) => match std::fs::read(path) {
            Ok(bytes) => Observed::File(sha256(&bytes)),
            Err(_) => Observed::Missing,
        },
        Observed::Exists(_) => Observed::Exists(path.exists()),
        Observed::Names(_) => target_names(path),
        Observed::Candidates(_) => glob_candidates(path),
    }
}

/// A file's hash, or its absence; `None` when it was written too recently
/// to be sure cargo read these bytes, or is a config that includes others.
fn hashed(path: &Path) -> Option<Observed> {
    let Ok(bytes) = std::fs::read(path) else {
        return Some(Observed::Missing);
    };
    let modified = std::fs::metadata(path)
        .and_then(|file| file.modified())
        .ok()?;
    let age = SystemTime::now()
        .duration_since(modified)
        .unwrap_or_default();
    if age < TRUST_AFTER {
        return None;
    }
    let is_config = path.parent().is_some_and(|dir| dir.ends_with(".cargo"));
    if is_config && includes_other_files(&bytes) {
        return None;
    }
    Some(Observed::File(sha256(&bytes)))
}

fn includes_other_files(config: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(config) else {
        return true;
    };
    text.parse::<toml::Table>()
        .map_or(true, |table| table.contains_key("include"))
}

/// The `.rs` files, and the directories with a `main.rs`, that cargo turns
/// into targets.
fn target_names(dir: &Path) -> Observed {
    // A missing directory makes no targets, as an empty one.
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let counts = if path.is_dir() {
                path.join("main.rs").exists()
            } else {
                name.ends_with(".rs")
            };
            counts.then_some(name)
        })
        .collect();
    names.sort();
    Observed::Names(names)
}

/// The file name under which a glob's candidates are recorded: the glob's
/// fixed prefix, then this.
const GLOB_MARK: &str = "*";

/// The fixed prefix of each glob in `workspace.members` and `exclude`, each
/// marked with `GLOB_MARK`; `None` for a glob whose matches cannot be
/// listed cheaply (`**`).
fn member_globs(root: &Path) -> Option<Vec<PathBuf>> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    let manifest: toml::Table = text.parse().ok()?;
    let Some(workspace) = manifest.get("workspace").and_then(|value| value.as_table()) else {
        return Some(Vec::new());
    };
    let patterns = ["members", "exclude"]
        .iter()
        .filter_map(|key| workspace.get(*key)?.as_array())
        .flatten()
        .filter_map(|pattern| pattern.as_str());
    let mut globs = Vec::new();
    for pattern in patterns {
        let is_glob = pattern.contains(['*', '?', '[']);
        if !is_glob {
            continue;
        }
        if pattern.contains("**") {
            return None;
        }
        let fixed: PathBuf = Path::new(pattern)
            .components()
            .take_while(|part| !part.as_os_str().to_string_lossy().contains(['*', '?', '[']))
            .collect();
        let depth = Path::new(pattern).components().count() - fixed.components().count();
        globs.push(root.join(fixed).join(GLOB_MARK.repeat(depth)));
    }
    Some(globs)
}

/// Every directory a glob with this fixed prefix and depth (the number of
/// `*` in the marked path's last name) could match, and whether each has a
/// `Cargo.toml`: more than the glob matches, so that nothing it matches
/// goes unnoticed.
fn glob_candidates(marked: &Path) -> Observed {
    let (Some(fixed), Some(mark)) = (marked.parent(), marked.file_name()) else {
        return Observed::Candidates(Vec::new());
    };
    let mut level = vec![PathBuf::new()];
    for _ in 0..mark.len() {
        level = level
            .iter()
            .flat_map(|relative| {
                let entries = std::fs::read_dir(fixed.join(relative))
                    .into_iter()
                    .flatten();
                entries
                    .flatten()
                    .filter(|entry| entry.path().is_dir())
                    .map(|entry| relative.join(entry.file_name()))
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    let mut names: Vec<String> = level
        .iter()
        .map(|relative| {
            let manifest = fixed.join(relative).join("Cargo.toml").is_file();
            format!(
                "{}{}",
                relative.display(),
                if manifest { " (package)" } else { "" }
            )
        })
        .collect();
    names.sort();
    Observed::Candidates(names)
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from(std::env::var_os("HOME")?).join(".cargo")))
}
