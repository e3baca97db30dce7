//! A two-package workspace (`tests/fixtures/workspace`): `alpha` inherits
//! every setting from `[workspace.metadata.snakegen]`, `beta` overrides the
//! module name and one library, `tools` does not use snakegen. Both
//! packages use `math` and `fractions`, with different symbols, members and
//! a glob, so a shared introspection that leaked one package's answer into
//! the other's artifacts would show.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use common::{Crate, assert_fails, assert_success};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/workspace");

fn workspace() -> Crate {
    Crate::copy_of_workspace(Path::new(FIXTURE))
}

/// `cargo snakegen ARGS` from `dir`, with the workspace's own target
/// directory (a fresh metadata cache) and a log of interpreter starts.
fn snakegen(krate: &Crate, dir: &str, args: &[&str]) -> Output {
    let target = krate.root().join("target").display().to_string();
    let log = interpreter_log(krate).display().to_string();
    krate.snakegen_in(
        dir,
        args,
        &[
            ("CARGO_TARGET_DIR", &target),
            ("SNAKEGEN_TEST_INTERPRETER_LOG", &log),
        ],
    )
}

fn interpreter_log(krate: &Crate) -> std::path::PathBuf {
    krate.root().join("interpreters.log")
}

/// The interpreter starts logged since the last call, and clears the log.
fn interpreter_starts(krate: &Crate) -> Vec<String> {
    let log = interpreter_log(krate);
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    text.lines().map(str::to_owned).collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every artifact of `package` (a member directory), by path.
fn artifacts(krate: &Crate, package: &str) -> BTreeMap<String, String> {
    let root = krate.root().join(package);
    let mut files = BTreeMap::new();
    let lock = root.join("snakegen.lock");
    if lock.is_file() {
        files.insert(
            "snakegen.lock".to_owned(),
            std::fs::read_to_string(lock).unwrap(),
        );
    }
    for directory in [".snakegen", "src/py", "src/python"] {
        collect(&root, &root.join(directory), &mut files);
    }
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).unwrap().display().to_string();
            files.insert(relative, std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn the_workspace_is_generated_with_one_interpreter_and_each_package_as_if_alone() {
    let together = workspace();
    let output = snakegen(&together, ".", &["--workspace"]);
    assert_success(&output);
    let text = stderr(&output);
    assert!(
        text.contains(
            "note: skipping the members without [package.metadata.snakegen] or a dependency on `snakegen`: tools\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Creating alpha/src/py/math.rs") && text.contains("Finished beta: "),
        "{text}"
    );
    // One process answered for both packages.
    let starts = interpreter_starts(&together);
    assert_eq!(starts.len(), 1, "{starts:?}\n{text}");
    assert!(starts[0].starts_with("introspect "), "{starts:?}");

    // Settings: alpha inherits (module `py`, three libraries); beta
    // overrides the module and `fractions` (its `include`).
    let alpha = artifacts(&together, "alpha");
    let beta = artifacts(&together, "beta");
    assert!(
        alpha.contains_key("src/py/fractions.rs"),
        "{:?}",
        alpha.keys()
    );
    assert!(
        beta.contains_key("src/python/fractions.rs"),
        "{:?}",
        beta.keys()
    );
    assert!(alpha["snakegen.lock"].contains("\"json.dumps\""));
    // What one package asked for stays out of the other's artifacts: beta
    // calls `limit_denominator` and glob-imports `math`; alpha does neither.
    assert!(!alpha["src/py/fractions.rs"].contains("limit_denominator"));
    assert!(beta["src/python/fractions.rs"].contains("limit_denominator"));
    assert!(!alpha[".snakegen/manifest/math.json"].contains("\"names\""));
    assert!(beta[".snakegen/manifest/math.json"].contains("\"names\""));

    // Each package run alone (once with `-p`, once from its directory)
    // writes the same bytes, each with its own interpreter.
    let alone = workspace();
    // (The second run may first probe the metadata cache the first filled.)
    let introspections = |krate: &Crate| {
        let starts = interpreter_starts(krate);
        starts
            .iter()
            .filter(|s| s.starts_with("introspect "))
            .count()
    };
    assert_success(&snakegen(&alone, ".", &["-p", "alpha"]));
    assert_eq!(introspections(&alone), 1);
    assert_success(&snakegen(&alone, "beta", &[]));
    assert_eq!(introspections(&alone), 1);
    assert_eq!(artifacts(&alone, "alpha"), alpha);
    assert_eq!(artifacts(&alone, "beta"), beta);

    // `--check` over the workspace passes, and `-p a -p b` is up to date
    // without Python.
    let output = snakegen(&together, ".", &["--check", "--workspace"]);
    assert_success(&output);
    let text = stderr(&output);
    assert!(
        text.contains("Checked alpha: ") && text.contains("Checked beta: "),
        "{text}"
    );
    let output = snakegen(&together, ".", &["-p", "beta", "-p", "alpha"]);
    assert_success(&output);
    let text = stderr(&output);
    assert!(
        text.contains("Finished alpha: up to date, no Python started")
            && text.contains("Finished beta: up to date, no Python started"),
        "{text}"
    );
    assert_eq!(interpreter_starts(&together), Vec::<String>::new());

    // A new call in one package: `--check --workspace` fails on it alone.
    together.write(
        "beta/src/extra.rs",
        "pub fn more() -> snakegen::Result<f64> { crate::python::math::sqrt(3.0) }\n",
    );
    together.write(
        "beta/src/lib.rs",
        &format!("{}pub mod extra;\n", together.read("beta/src/lib.rs")),
    );
    let output = snakegen(&together, ".", &["--check", "--workspace"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("Checked alpha: "), "{text}");
    assert!(text.contains("beta/src/extra.rs:1:"), "{text}");
    assert_success(&snakegen(&together, ".", &["--workspace"]));

    // The adapters compile against both packages' calls.
    assert_success(&together.cargo_check());
}

#[test]
fn one_unresolved_symbol_writes_no_package() {
    let krate = workspace();
    krate.write(
        "beta/src/lib.rs",
        "pub mod python;\npub fn f() { let _ = python::math::no_such_function(1.0); }\n",
    );
    let output = snakegen(&krate, ".", &["--workspace"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("cannot find `no_such_function` in Python module `math`"),
        "{text}"
    );
    // The diagnostic's path opens from where the user is.
    assert!(text.contains("--> beta/src/lib.rs:2:"), "{text}");
    assert!(
        text.contains("1 of 2 packages (alpha, beta) failed; no package was written"),
        "{text}"
    );
    assert_eq!(artifacts(&krate, "alpha"), BTreeMap::new());
    assert_eq!(artifacts(&krate, "beta"), BTreeMap::new());
}

#[test]
fn selection_errors_name_what_is_missing() {
    let krate = workspace();
    // A member that does not use snakegen, named explicitly.
    let output = snakegen(&krate, ".", &["-p", "tools"]);
    assert_fails(
        &output,
        2,
        "tools/Cargo.toml: the table is missing: add `[package.metadata.snakegen.libraries]`",
    );
    assert!(stderr(&output).contains("invalid `package.metadata.snakegen` in"));
    // Not a member.
    let output = snakegen(&krate, ".", &["-p", "gamma"]);
    assert_fails(
        &output,
        2,
        "package `gamma` is not a member of the workspace",
    );
    // The virtual manifest alone names no package.
    let output = snakegen(&krate, ".", &[]);
    assert_fails(&output, 2, "or every one with `--workspace`");
    // A typo in the workspace's table names that table and the root manifest.
    let root = krate.read("Cargo.toml");
    krate.write("Cargo.toml", &root.replace("timeout = 120", "timout = 120"));
    let output = snakegen(&krate, ".", &["--workspace"]);
    let expected = format!(
        "invalid `workspace.metadata.snakegen.timout` in {}: unknown key (did you mean `timeout`?)",
        krate.root().join("Cargo.toml").display()
    );
    assert_fails(&output, 2, &expected);
    // Commands that look at one package refuse several.
    krate.write("Cargo.toml", &root);
    let output = snakegen(&krate, ".", &["status", "--workspace"]);
    assert_fails(&output, 2, "choose one with `-p NAME`");
}

#[test]
fn packages_with_different_interpreters_get_one_process_each() {
    let krate = workspace();
    // The same Python by another name: another interpreter to snakegen.
    let python = String::from_utf8(
        std::process::Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let manifest = krate.read("beta/Cargo.toml");
    krate.write(
        "beta/Cargo.toml",
        &manifest.replace(
            "module = \"python\"",
            &format!("module = \"python\"\npython = {:?}", python.trim()),
        ),
    );
    let output = snakegen(&krate, ".", &["--workspace"]);
    assert_success(&output);
    // (The second may first probe the metadata cache the first filled.)
    let starts = interpreter_starts(&krate);
    let introspections: Vec<&String> = starts
        .iter()
        .filter(|start| start.starts_with("introspect "))
        .collect();
    assert_eq!(introspections.len(), 2, "{starts:?}");
    let configured = format!("introspect {} ", python.trim());
    assert_eq!(
        introspections
            .iter()
            .filter(|start| start.starts_with(&configured))
            .count(),
        1,
        "{starts:?}"
    );
}
