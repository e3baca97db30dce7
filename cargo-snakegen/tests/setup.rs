//! A new user's first minutes: `cargo new`, `cargo snakegen init`, `add`,
//! a call written in the code, `cargo snakegen -- run`, with no other edit;
//! real cargo and real Python, the output compared with Python's. And what
//! goes wrong on the way: a library not configured, a library that does
//! not import, a directory that is no crate.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Crate, assert_fails, assert_success, fixture_target_dir, runtime, tree};

fn init(krate: &Crate) -> Output {
    krate.snakegen(&["init", "--path", &runtime().display().to_string()])
}

/// `cargo snakegen -- ARGS`: the prepass, then cargo offline and locked to
/// the workspace's dependency versions, in the target directory every
/// fixture shares.
fn prepass_then_cargo(krate: &Crate, cargo_args: &[&str]) -> Output {
    krate.lock_like_the_workspace();
    let mut args = vec!["--"];
    args.extend(cargo_args);
    args.extend(["--quiet", "--offline", "--locked"]);
    let target = fixture_target_dir().display().to_string();
    krate.snakegen_with_env(&args, &[("CARGO_TARGET_DIR", &target)])
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn cargo_new_init_add_a_call_and_run_with_no_other_edit() {
    let krate = Crate::cargo_new("--bin");
    assert_success(&init(&krate));
    assert_success(&krate.snakegen(&["add", "math"]));
    let main = krate.read("src/main.rs").replace(
        "println!(\"Hello, world!\");",
        "println!(\"{}\", py::math::sqrt(2.0).unwrap());",
    );
    krate.write("src/main.rs", &main);

    let output = prepass_then_cargo(&krate, &["run"]);
    assert_success(&output);
    assert_eq!(
        stdout(&output),
        krate.python("import math; print(math.sqrt(2.0))")
    );
    assert_eq!(
        krate.read(".gitattributes"),
        "src/py/** linguist-generated=true\n"
    );
    assert_success(&krate.snakegen(&["--check"]));
}

#[test]
fn a_library_keeps_its_own_build_script_and_its_examples_reach_the_adapters() {
    let krate = Crate::cargo_new("--lib");
    krate.write(
        "build.rs",
        "fn main() {\n    println!(\"cargo::rustc-env=GREETING=factorial\");\n}\n",
    );
    assert_success(&init(&krate));
    assert!(krate.read("src/lib.rs").starts_with("pub mod py;\n"));
    assert_success(&krate.snakegen(&["add", "math"]));
    krate.write(
        "examples/show.rs",
        "fn main() {\n    println!(\"{} {}\", env!(\"GREETING\"), app::py::math::factorial(20).unwrap());\n}\n",
    );

    let output = prepass_then_cargo(&krate, &["run", "--example", "show"]);
    assert_success(&output);
    let expected = krate.python("import math; print('factorial', math.factorial(20))");
    assert_eq!(stdout(&output), expected);
}

#[test]
fn a_second_init_or_add_changes_nothing_and_a_failed_one_leaves_every_file() {
    let krate = Crate::cargo_new("--bin");
    assert_success(&init(&krate));
    assert_success(&krate.snakegen(&["add", "math"]));
    let set_up = tree(krate.root());

    let again = init(&krate);
    assert_success(&again);
    assert!(
        stderr(&again).contains("set up for snakegen already"),
        "{}",
        stderr(&again)
    );
    let again = krate.snakegen(&["add", "math"]);
    assert_success(&again);
    assert!(stderr(&again).contains("already"), "{}", stderr(&again));
    assert_eq!(tree(krate.root()), set_up);

    let missing = krate.snakegen(&["add", "snakegen_not_installed"]);
    assert_fails(
        &missing,
        2,
        "could not import the Python library `snakegen_not_installed`",
    );
    let not_stdlib = krate.snakegen(&["add", "numpy", "stdlib"]);
    assert_fails(
        &not_stdlib,
        2,
        "`numpy` is not a module of Python's standard library",
    );
    let too_old = krate.snakegen(&["add", "numpy", "<1"]);
    assert_fails(&too_old, 2, "which `<1` does not allow");
    let versioned_stdlib = krate.snakegen(&["add", "json", ">=1"]);
    assert_fails(
        &versioned_stdlib,
        2,
        "`json` is a module of Python's standard library",
    );
    let dotted = krate.snakegen(&["add", "os.path"]);
    assert_fails(&dotted, 2, "`cargo snakegen add os`");
    assert_eq!(tree(krate.root()), set_up);

    // No requirement: `>=` the installed major.minor.
    assert_success(&krate.snakegen(&["add", "numpy"]));
    let installed =
        krate.python("import numpy; print('>=' + '.'.join(numpy.__version__.split('.')[:2]))");
    let entry = format!("numpy = \"{}\"", installed.trim());
    assert!(
        krate.read("Cargo.toml").contains(&entry),
        "{}",
        krate.read("Cargo.toml")
    );
}

#[test]
fn init_depends_on_the_runtime_of_the_checkout_it_was_built_from() {
    let krate = Crate::cargo_new("--bin");
    let output = krate.snakegen(&["init"]);
    assert_success(&output);
    assert!(
        stderr(&output).contains("the checkout cargo-snakegen was built from"),
        "{}",
        stderr(&output)
    );
    let manifest = krate.read("Cargo.toml");
    let path = manifest
        .split_once("snakegen = { path = \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(path, _)| path)
        .unwrap_or_else(|| panic!("no path dependency in:\n{manifest}"));
    assert!(!Path::new(path).is_absolute(), "{path}");
    assert_eq!(
        std::fs::canonicalize(krate.root().join(path)).unwrap(),
        std::fs::canonicalize(runtime()).unwrap()
    );
}

#[test]
fn init_that_cannot_finish_writes_nothing() {
    let krate = Crate::cargo_new("--bin");
    krate.write("src/main.rs", "fn main() {\n    let x = ;\n}\n");
    let before = tree(krate.root());
    let output = init(&krate);
    assert_fails(&output, 2, "src/main.rs: cannot be parsed at 2:");
    assert_eq!(tree(krate.root()), before);
}

#[test]
fn a_library_that_is_not_configured_is_an_error_at_its_call_site() {
    let main = "mod py;\n\nfn main() {\n    println!(\"{}\", py::math::sqrt(2.0).unwrap());\n    println!(\"{}\", py::os::getcwd().unwrap());\n}\n";
    let krate = Crate::new(
        "unconfigured",
        "math = \"stdlib\"",
        &[("src/main.rs", main)],
    );
    let before = tree(krate.root());
    let output = krate.snakegen(&["--", "run"]);
    assert_fails(
        &output,
        1,
        "error[S0007]: `os` is not a configured Python library\n --> src/main.rs:5:24\n",
    );
    assert!(
        stderr(&output).contains("`cargo snakegen add os`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(tree(krate.root()), before, "nothing is written");
    assert_fails(&krate.snakegen(&["scan"]), 1, "error[S0007]");

    assert_success(&krate.snakegen(&["add", "os"]));
    let output = prepass_then_cargo(&krate, &["run"]);
    assert_success(&output);
    let expected = krate.python("import math, os; print(math.sqrt(2.0)); print(os.getcwd())");
    assert_eq!(stdout(&output), expected);
}

#[test]
fn outside_a_crate_one_message_says_so() {
    let empty = tempfile::tempdir().unwrap();
    let output = common::snakegen_command(empty.path(), &[])
        .output()
        .unwrap();
    let shown = std::fs::canonicalize(empty.path()).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: could not find `Cargo.toml` in `{}` or any parent directory\n  = help: run `cargo snakegen` inside a crate (`cargo new NAME` makes one), or name its manifest with `--manifest-path PATH`\n",
            shown.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn cargo_flags_reach_cargo_metadata() {
    let krate = Crate::new(
        "flags",
        "math = \"stdlib\"",
        &[("src/main.rs", "fn main() {}\n")],
    );
    let log = krate.root().join("cargo-args");
    let cargo = krate.root().join("logging-cargo");
    common::write_script(
        &cargo,
        &format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            env!("CARGO")
        ),
    );
    let cargo = cargo.display().to_string();
    krate.lock_like_the_workspace();
    let output = krate.snakegen_with_env(
        &["--locked", "--offline", "--frozen", "-vv", "scan"],
        &[("CARGO", &cargo)],
    );
    assert_success(&output);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.starts_with("metadata "), "{logged}");
    for flag in ["--locked", "--offline", "--frozen", "-vv"] {
        assert!(
            logged.split_whitespace().any(|arg| arg == flag),
            "{flag} in {logged}"
        );
    }
}
