//! `cargo snakegen init`: a crate made by `cargo new` set up for snakegen,
//! so that `add`, then code, then `cargo snakegen -- run` is all it takes.
//! Every edit is worked out before anything is written, and a write that
//! fails puts back what was written before it.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::generate;
use crate::reporter::Reporter;
use crate::setup::{self, Runtime};
use crate::util::fs::{self, IoError};

/// One file `init` writes: its package-relative path, the text it had
/// (`None`: a new file) and the text it gets.
struct Edit {
    path: String,
    before: Option<String>,
    after: String,
}

/// Sets up the package whose manifest is `manifest`: the `snakegen`
/// dependency (the runtime checkout at `runtime_path`, else the one this
/// tool was built from, else this release from crates.io),
/// `[package.metadata.snakegen]`, the libpython rpath in the build script,
/// `mod py;` in the crate root with an empty `src/py/mod.rs` (so a build
/// before the first run compiles), and `.gitattributes`. Returns the
/// package-relative paths it changed; none when it was set up already.
pub fn init(
    manifest: &Path,
    runtime_path: Option<&Path>,
    reporter: &mut dyn Reporter,
) -> Result<Vec<String>, Error> {
    let root = manifest.parent().expect("a manifest has a directory");
    let (edits, runtime) = edits(root, runtime_path)?;
    apply(root, &edits)?;
    if let Some(runtime) = runtime {
        reporter.status("Adding", &format!("`snakegen` to dependencies, {runtime}"));
    }
    for edit in &edits {
        let verb = if edit.before.is_some() {
            "Updating"
        } else {
            "Creating"
        };
        let shown = reporter.shown(&edit.path);
        reporter.status(verb, &shown);
    }
    Ok(edits.into_iter().map(|edit| edit.path).collect())
}

/// The runtime in the checkout this tool was built from, when it is still
/// there (`cargo install --path cargo-snakegen`): the matching runtime,
/// which crates.io need not have. A tool built from crates.io has none.
fn runtime_beside_this_tool() -> Option<PathBuf> {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()?
        .join("snakegen");
    runtime.join("Cargo.toml").is_file().then_some(runtime)
}

/// Every edit, and how the runtime dependency was chosen when it is added.
fn edits(root: &Path, runtime_path: Option<&Path>) -> Result<(Vec<Edit>, Option<String>), Error> {
    let manifest_text = read(root, "Cargo.toml")?.unwrap_or_default();
    let beside = runtime_beside_this_tool();
    let (runtime_dir, why) = match (runtime_path, &beside) {
        (Some(dir), _) => (Some(runtime_checkout(root, dir)?), "as `--path` says"),
        (None, Some(dir)) => (
            Some(runtime_checkout(root, dir)?),
            "the checkout cargo-snakegen was built from (`--path DIR` chooses another)",
        ),
        (None, None) => (None, "this release, from crates.io"),
    };
    let runtime = match &runtime_dir {
        Some(dir) => Runtime::Path(dir),
        None => Runtime::Version(crate::artifacts::GENERATOR_VERSION),
    };
    let shown = match runtime {
        Runtime::Path(dir) => format!("path `{dir}`: {why}"),
        Runtime::Version(version) => format!("version `{version}`: {why}"),
    };
    let manifest =
        setup::init_manifest(&manifest_text, runtime).map_err(cannot_edit(root, "Cargo.toml"))?;
    let mut edits = Vec::new();
    let mut edit = |path: &str, before: Option<String>, after: Option<String>| {
        if let Some(after) = after {
            edits.push(Edit {
                path: path.to_owned(),
                before,
                after,
            });
        }
    };

    let build_script = read(root, &manifest.build_script)?;
    let with_rpath = setup::build_script_with_rpath(build_script.as_deref())
        .map_err(cannot_edit(root, &manifest.build_script))?;
    edit(&manifest.build_script, build_script, with_rpath);

    let (crate_root, source, public) = match read(root, "src/lib.rs")? {
        Some(text) => ("src/lib.rs", text, true),
        None => match read(root, "src/main.rs")? {
            Some(text) => ("src/main.rs", text, false),
            None => {
                return Err(Error::Manifest {
                    path: root.join("src"),
                    message: format!(
                        "neither src/lib.rs nor src/main.rs is here, so `mod {};` has no crate root to go in: add it to yours",
                        manifest.module
                    ),
                });
            }
        },
    };
    let declared = setup::crate_root_with_module(&source, &manifest.module, public)
        .map_err(cannot_edit(root, crate_root))?;
    edit(crate_root, Some(source), declared);

    let (index_path, index_text) = generate::module_index(&manifest.module, &[]);
    if read(root, &index_path)?.is_none() {
        edit(&index_path, None, Some(index_text));
    }

    let attributes = read(root, ".gitattributes")?;
    let marked = setup::gitattributes_with_adapters(attributes.as_deref(), &manifest.module);
    edit(".gitattributes", attributes, marked);

    // Last: a failure to write anything else leaves the manifest as it was.
    edit("Cargo.toml", Some(manifest_text), manifest.text);
    Ok((edits, manifest.added_runtime.then_some(shown)))
}

/// `dir` as `Cargo.toml` writes it (relative to the package), once it is
/// known to hold the `snakegen` runtime crate.
fn runtime_checkout(root: &Path, dir: &Path) -> Result<String, Error> {
    let not_runtime = |message: String| Error::Manifest {
        path: dir.to_path_buf(),
        message,
    };
    let dir = std::fs::canonicalize(dir).map_err(IoError::at(dir))?;
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_text_if_exists(&manifest)?.ok_or_else(|| {
        not_runtime(
            "has no Cargo.toml: `--path` names the directory of the `snakegen` runtime crate"
                .to_owned(),
        )
    })?;
    let name = setup::package_name(&text);
    if name.as_deref() != Some("snakegen") {
        return Err(not_runtime(format!(
            "is the package `{}`, not the `snakegen` runtime crate\n  = help: in a checkout of snakegen, `--path` names its `snakegen/` directory",
            name.unwrap_or_default()
        )));
    }
    let root = std::fs::canonicalize(root).map_err(IoError::at(root))?;
    Ok(setup::relative_path(&root, &dir))
}

fn read(root: &Path, path: &str) -> Result<Option<String>, Error> {
    Ok(fs::read_text_if_exists(&root.join(path))?)
}

fn cannot_edit<'a>(root: &'a Path, path: &'a str) -> impl Fn(String) -> Error + 'a {
    move |message| Error::Manifest {
        path: PathBuf::from(root).join(path),
        message,
    }
}

/// Writes every edit; when one fails, those written are put back (a new
/// file is removed) before the error is returned.
fn apply(root: &Path, edits: &[Edit]) -> Result<(), Error> {
    for (done, edit) in edits.iter().enumerate() {
        if let Err(error) = fs::write_atomic(root, &root.join(&edit.path), edit.after.as_bytes()) {
            for written in &edits[..done] {
                let path = root.join(&written.path);
                let _ = match &written.before {
                    Some(text) => fs::write_atomic(root, &path, text.as_bytes()),
                    None => fs::remove_file(root, &path),
                };
            }
            return Err(error.into());
        }
    }
    Ok(())
}
