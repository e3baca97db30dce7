//! build.rs mode: the prepass run by the package's build script.
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! snakegen_core::Build::from_env().run().unwrap();
//! ```
//!
//! The same passes as `cargo snakegen` ([`build`]), with every output,
//! snakegen's caches and OS lock included, in `OUT_DIR`: one file, `OUT_DIR/snakegen/<module>.rs`, holding
//! `pub mod <module> { ... }` with the library modules inline, which
//! `snakegen::include_adapters!(<module>)` includes. The source tree is only
//! read: the committed `snakegen.lock` and `.snakegen/manifest/` (written by
//! `cargo snakegen` when `adapters = "out-dir"`) describe the symbols, so
//! such a build needs no Python. A symbol they do not describe is asked of
//! Python and reported as a `cargo:warning`; when `CI` is set, it fails the
//! build at its call sites instead.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use syn::ext::IdentExt;

use super::check::unlocked_diagnostics;
use super::run::{RunOptions, prepare, settle};
use super::{lock_package, report};
use crate::artifacts;
use crate::config::{self, Adapters, Config};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::generate::{self, names};
use crate::metadata::LibraryMetadata;
use crate::reporter::Reporter;
use crate::resolve;
use crate::scan::{Usage, sources};
use crate::util::fs::{self, IoError};

/// Interpreter settings the build depends on besides the files.
const ENVIRONMENT: &[&str] = &["CI", "PYO3_PYTHON", "VIRTUAL_ENV", "PYTHONPATH"];

/// The build-script prepass, configured from cargo's environment.
#[derive(Clone, Debug)]
pub struct Build {
    manifest_dir: PathBuf,
    out_dir: PathBuf,
    ci: bool,
}

impl Build {
    /// Reads `CARGO_MANIFEST_DIR` and `OUT_DIR`, which cargo sets for build
    /// scripts, and `CI`: set and neither empty, `0` nor `false` means
    /// Python must not be started.
    ///
    /// # Panics
    /// Outside a build script, where cargo's variables are missing.
    pub fn from_env() -> Self {
        let required = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    panic!("`{name}` is not set: `snakegen_core::Build` runs in a build script")
                })
        };
        let ci = std::env::var("CI")
            .is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false" | "FALSE" | "False"));
        Build {
            manifest_dir: required("CARGO_MANIFEST_DIR"),
            out_dir: required("OUT_DIR"),
            ci,
        }
    }

    /// Scans the package, generates its adapters into `OUT_DIR`, and tells
    /// cargo when to run again. Diagnostics go to stderr, which cargo shows
    /// when the build fails; warnings also become `cargo:warning` lines.
    pub fn run(self) -> Result<(), BuildError> {
        let manifest = self.manifest_dir.join("Cargo.toml");
        let mut config = config::load(Some(&manifest), None).map_err(BuildError::from_error)?;
        config.scratch_dir = self.out_dir.join("snakegen");
        if config.adapters != Adapters::OutDir {
            return Err(BuildError(format!(
                "{}: the build script generates the adapters, but `cargo snakegen` would also write them into {}/\n  = help: add `adapters = \"out-dir\"` to [package.metadata.snakegen]",
                manifest.display(),
                config.module_dir()
            )));
        }
        let mut cargo = String::new();
        let outcome = self.generate(&config, &mut cargo);
        // Even a failed build must say what to watch, or fixing the source
        // would not run the script again.
        rerun_directives(&config, &mut cargo)?;
        // Cargo reads the directives from stdout; a failed write cannot be
        // reported anywhere better than the build's own failure.
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(cargo.as_bytes());
        let _ = stdout.flush();
        outcome
    }

    fn generate(&self, config: &Config, cargo: &mut String) -> Result<(), BuildError> {
        let introspection = if self.ci {
            Introspection::Never
        } else {
            Introspection::WhenNeeded
        };
        let mut reporter = BuildReporter { cargo };
        let outcome =
            build(config, introspection, &mut reporter).map_err(BuildError::from_error)?;
        if !outcome.unlocked.is_empty() {
            let names: Vec<&str> = outcome.unlocked.iter().map(String::as_str).collect();
            cargo_warning(
                cargo,
                &format!(
                    "snakegen.lock does not cover {}: run `cargo snakegen` and commit snakegen.lock and .snakegen/, or builds with `CI` set will fail",
                    names.join(", ")
                ),
            );
        }
        let text = inline_modules(&config.module, &outcome.adapters);
        let path = adapters_file(&self.out_dir, &config.module);
        write_if_changed(&self.out_dir, &path, &text).map_err(BuildError::from_error)?;
        if let Some(libdir) = std::env::var_os("DEP_SNAKEGEN_LIBDIR") {
            // The binary must load the libpython the runtime was built
            // against, not whichever the loader finds first.
            let family = std::env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
            if family == "unix" {
                cargo.push_str(&format!(
                    "cargo:rustc-link-arg=-Wl,-rpath,{}\n",
                    Path::new(&libdir).display()
                ));
            }
        }
        Ok(())
    }
}

/// A failed build-script prepass. Its `Debug` is its message, so that
/// `.run().unwrap()` prints it readably.
pub struct BuildError(String);

impl BuildError {
    fn from_error(error: impl std::fmt::Display) -> Self {
        BuildError(error.to_string())
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n{}", self.0)
    }
}

impl std::error::Error for BuildError {}

/// `OUT_DIR/snakegen/<module>.rs`, the path `include_adapters!` expects.
pub fn adapters_file(out_dir: &Path, module: &str) -> PathBuf {
    out_dir.join("snakegen").join(format!("{module}.rs"))
}

/// The adapter files (`src/py/mod.rs`, `src/py/math.rs`, ...) as one file:
/// `pub mod py { ... }` with each `mod name;` replaced by its file's items.
/// `super::` paths between the modules keep working because the nesting
/// is the same.
pub fn inline_modules(module: &str, files: &BTreeMap<String, String>) -> String {
    let root = format!("src/{module}/mod.rs");
    let mut file = parse(&files[&root]);
    inline_children(&mut file.items, &format!("src/{module}"), files);
    let ident = names::ident(&names::rust_name(module));
    let mut item: syn::ItemMod = syn::parse_quote! {
        pub mod #ident {}
    };
    item.attrs = file.attrs;
    item.content = Some((Default::default(), file.items));
    let file: syn::File = syn::parse_quote! { #item };
    format!(
        "{}{}",
        generate::HEADER.replace(
            "run `cargo snakegen`",
            "the package's build script writes it"
        ),
        generate::unparse(file)
    )
}

/// Replaces every `mod name;` in `items` by `mod name { ... }`, reading
/// `dir/name.rs`, whose own children are in `dir/name/`.
fn inline_children(items: &mut [syn::Item], dir: &str, files: &BTreeMap<String, String>) {
    for item in items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.content.is_some() {
            continue;
        }
        let name = module.ident.unraw().to_string();
        let path = format!("{dir}/{name}.rs");
        let mut child = parse(&files[&path]);
        inline_children(&mut child.items, &format!("{dir}/{name}"), files);
        module.attrs.extend(child.attrs);
        module.content = Some((Default::default(), child.items));
        module.semi = None;
    }
}

fn parse(text: &str) -> syn::File {
    syn::parse_file(text).expect("generated adapters are valid Rust")
}

fn write_if_changed(out_dir: &Path, path: &Path, text: &str) -> Result<(), IoError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::write_atomic(out_dir, path, text.as_bytes())
}

/// `rerun-if-changed` for every file that decides the output: the scanned
/// sources (and their directories, so a new file counts), the manifests,
/// the lock, `Cargo.toml` and the workspace's root `Cargo.toml`; `rerun-if-env-changed` for the interpreter's
/// settings. A missing path makes cargo run the script on every build:
/// right for a missing lock (each build asks Python, and says so, until
/// `cargo snakegen` writes one), wasteful for the rest, which are left out
/// when missing (a new manifest always comes with a new lock).
fn rerun_directives(config: &Config, cargo: &mut String) -> Result<(), BuildError> {
    let root = &config.package_root;
    let files = sources::rust_files(config).map_err(BuildError::from_error)?;
    let mut watched: Vec<PathBuf> = config.source_roots.iter().cloned().collect();
    watched.extend(files.into_values());
    watched.extend(["Cargo.toml", artifacts::MANIFEST_DIR].map(|path| root.join(path)));
    if config.workspace_manifest != root.join("Cargo.toml") {
        // Its `[workspace.metadata.snakegen]` defaults count too.
        watched.push(config.workspace_manifest.clone());
    }
    watched.retain(|path| path.exists());
    watched.push(root.join(snakegen_lockfile::FILE_NAME));
    for path in watched {
        cargo.push_str(&format!("cargo:rerun-if-changed={}\n", path.display()));
    }
    for variable in ENVIRONMENT {
        cargo.push_str(&format!("cargo:rerun-if-env-changed={variable}\n"));
    }
    Ok(())
}

fn cargo_warning(cargo: &mut String, message: &str) {
    // One directive per line: cargo reads nothing after a newline.
    for line in message.lines() {
        cargo.push_str(&format!("cargo:warning={line}\n"));
    }
}

/// Diagnostics to stderr (cargo shows them when the build fails), warnings
/// also as `cargo:warning` (shown when it succeeds).
struct BuildReporter<'a> {
    cargo: &'a mut String,
}

impl Reporter for BuildReporter<'_> {
    fn status(&mut self, verb: &str, message: &str) {
        let _ = writeln!(std::io::stderr(), "{verb:>12} {message}");
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic, source: Option<&str>) {
        let _ = write!(std::io::stderr(), "{}", diagnostic.render(source, false));
        if diagnostic.severity == Severity::Warning {
            let at = diagnostic
                .location
                .as_ref()
                .map(|location| format!("{location}: "))
                .unwrap_or_default();
            cargo_warning(self.cargo, &format!("{at}{}", diagnostic.message));
        }
    }
}

/// Whether a build-script run may start Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Introspection {
    /// When the manifests do not answer.
    WhenNeeded,
    /// Never: what the manifests do not answer is an error at its call
    /// sites (`CI` builds in build.rs mode).
    Never,
}

fn not_locked(
    config: &Config,
    usages: &[Usage],
    called: &BTreeSet<String>,
    metadata: &BTreeMap<String, LibraryMetadata>,
    reporter: &mut dyn Reporter,
) -> Error {
    let unlocked = unlocked_diagnostics(config, usages, called, metadata);
    for diagnostic in &unlocked {
        report(reporter, diagnostic, config);
    }
    Error::NotLocked(unlocked.len())
}

/// What build.rs mode makes: the adapters, and what the committed lock
/// is missing.
pub struct BuildOutcome {
    /// Package-relative path → text, as `cargo snakegen` would write them.
    pub adapters: BTreeMap<String, String>,
    /// Symbols and members used but not in the committed artifacts (only
    /// when Python was allowed to fill the gap).
    pub unlocked: BTreeSet<String>,
}

/// build.rs mode: the normal run's passes, but the committed lock and
/// manifests are only read, and the adapters are returned, not written.
pub fn build(
    config: &Config,
    introspection: Introspection,
    reporter: &mut dyn Reporter,
) -> Result<BuildOutcome, Error> {
    let _lock = lock_package(config, reporter)?;
    let options = RunOptions {
        keep_older_manifests: true,
        ..RunOptions::default()
    };
    let prepared = prepare(config, options, reporter)?;
    let called = prepared.called.clone();
    let committed = prepared.metadata.clone();
    let unknown = resolve::unknown_paths(&prepared.usages, &committed);
    let undescribed = resolve::undescribed_members(&called, &committed);
    let introspected = match (&prepared.question, introspection) {
        (None, _) => None,
        (Some(_), Introspection::Never) if !prepared.unvouched.is_empty() => {
            return Err(Error::Environment(
                prepared
                    .unvouched
                    .iter()
                    .map(|reason| format!("{reason}, and this build may not start Python (`CI` is set)\n  = help: run `cargo snakegen` where the libraries are installed, and commit snakegen.lock"))
                    .collect(),
            ));
        }
        (Some(_), Introspection::Never) => {
            return Err(not_locked(
                config,
                &prepared.usages,
                &called,
                &committed,
                reporter,
            ));
        }
        (Some(question), Introspection::WhenNeeded) => Some(question.introspect(config, reporter)?),
    };
    let settled = settle(config, prepared, introspected, reporter)?;
    // What Python added: the symbols the unknown paths turned out to be,
    // and the members it described.
    let fresh = &settled.metadata;
    let mut unlocked: BTreeSet<String> = unknown
        .iter()
        .filter_map(|path| match resolve::walk_usage(path, fresh) {
            resolve::Walk::Symbol(symbol) => Some(symbol),
            _ => None,
        })
        .collect();
    let still_undescribed = resolve::undescribed_members(&called, fresh);
    unlocked.extend(undescribed.difference(&still_undescribed).cloned());
    Ok(BuildOutcome {
        adapters: artifacts::adapters(config, &settled.python, fresh),
        unlocked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_whose_adapters_go_to_src_is_refused_naming_the_key() {
        let package = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(package.path().join("src")).unwrap();
        std::fs::write(package.path().join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(
            package.path().join("Cargo.toml"),
            "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [package.metadata.snakegen.libraries]\nmath = \"stdlib\"\n\n[workspace]\n",
        )
        .unwrap();
        let out_dir = package.path().join("out");
        let build = Build {
            manifest_dir: package.path().to_path_buf(),
            out_dir: out_dir.clone(),
            ci: false,
        };
        let error = build.run().unwrap_err().to_string();
        assert!(
            error.contains("add `adapters = \"out-dir\"` to [package.metadata.snakegen]"),
            "{error}"
        );
        assert!(!out_dir.exists(), "nothing is generated");
    }

    #[test]
    fn a_workspace_member_reruns_when_the_workspace_defaults_change() {
        let workspace = tempfile::tempdir().unwrap();
        let root = workspace.path();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"member\"]\n\n[workspace.metadata.snakegen.libraries]\nmath = \"stdlib\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("member/src")).unwrap();
        std::fs::write(root.join("member/src/lib.rs"), "").unwrap();
        std::fs::write(
            root.join("member/Cargo.toml"),
            "[package]\nname = \"member\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[package.metadata.snakegen]\nadapters = \"out-dir\"\n",
        )
        .unwrap();
        let config = config::load(Some(&root.join("member/Cargo.toml")), None).unwrap();
        let mut cargo = String::new();
        rerun_directives(&config, &mut cargo).unwrap();
        let watched: Vec<&str> = cargo
            .lines()
            .filter_map(|line| line.strip_prefix("cargo:rerun-if-changed="))
            .collect();
        let root = std::fs::canonicalize(root).unwrap();
        for expected in [
            root.join("Cargo.toml"),
            root.join("member/Cargo.toml"),
            root.join("member/src"),
            root.join("member/src/lib.rs"),
            root.join("member/snakegen.lock"),
        ] {
            assert!(
                watched.contains(&expected.to_str().unwrap()),
                "{} not in {watched:?}",
                expected.display()
            );
        }
        assert!(cargo.contains("cargo:rerun-if-env-changed=CI\n"));
    }

    #[test]
    fn module_files_become_one_file_of_inline_modules() {
        let files: BTreeMap<String, String> = [
            (
                "src/py/mod.rs",
                "//! Libraries.\n#![allow(dead_code)]\n#[rustfmt::skip]\npub mod numpy;\n",
            ),
            (
                "src/py/numpy.rs",
                "//! numpy.\npub mod linalg;\npub fn array() {}\n",
            ),
            (
                "src/py/numpy/linalg.rs",
                "//! numpy.linalg.\npub fn norm() -> super::Array { todo!() }\n",
            ),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_owned(), text.to_owned()))
        .collect();
        expect_test::expect![[r#"
            // @generated by cargo-snakegen. Do not edit; the package's build script writes it.
            pub mod py {
                //! Libraries.
                #![allow(dead_code)]
                #[rustfmt::skip]
                pub mod numpy {
                    //! numpy.
                    pub mod linalg {
                        //! numpy.linalg.
                        pub fn norm() -> super::Array {
                            todo!()
                        }
                    }
                    pub fn array() {}
                }
            }
        "#]]
        .assert_eq(&inline_modules("py", &files));
    }
}
