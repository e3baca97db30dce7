//! `cargo snakegen [OPTIONS] -- ARGS`: the prepass, then `cargo ARGS` in
//! the current directory with the same `--manifest-path`, exiting with
//! cargo's code; a failed prepass runs nothing.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Crate, assert_fails, assert_success};

const MAIN: &str = "mod py;\nfn main() { println!(\"{}\", py::math::sqrt(2.0).unwrap()); }\n";

fn package() -> Crate {
    Crate::new("handoff", "math = \"stdlib\"", &[("src/main.rs", MAIN)])
}

/// A stand-in for cargo (through `CARGO`, which cargo sets for its
/// subcommands): `cargo metadata` is the real one; anything else records
/// its directory and arguments, then does `action`.
fn fake_cargo(krate: &Crate, action: &str) -> String {
    let script = krate.root().join("fake-cargo");
    let record = krate.root().join("cargo-ran");
    common::write_script(
        &script,
        &format!(
            "#!/bin/sh\n[ \"$1\" = metadata ] && exec '{}' \"$@\"\npwd > '{}'\nfor arg in \"$@\"; do echo \"$arg\" >> '{}'; done\n{action}\n",
            env!("CARGO"),
            record.display(),
            record.display()
        ),
    );
    script.display().to_string()
}

/// What the fake cargo recorded: its directory, then one line per argument.
fn cargo_ran(krate: &Crate) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(krate.root().join("cargo-ran")).ok()?;
    Some(text.lines().map(str::to_owned).collect())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[cfg(unix)]
#[test]
fn cargo_runs_here_with_the_manifest_path_and_its_exit_code_is_ours() {
    let krate = package();
    krate.write("elsewhere/.keep", "");
    let cargo = fake_cargo(&krate, "exit 7");
    let manifest = krate.root().join("Cargo.toml").display().to_string();
    let output = krate.snakegen_in(
        "elsewhere",
        &[
            "--manifest-path",
            &manifest,
            "--",
            "+stable",
            "build",
            "--release",
            "--",
            "x",
        ],
        &[("CARGO", &cargo)],
    );
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    let here = std::fs::canonicalize(krate.root().join("elsewhere")).unwrap();
    assert_eq!(
        cargo_ran(&krate).unwrap(),
        [
            here.display().to_string().as_str(),
            "+stable",
            "build",
            "--manifest-path",
            &manifest,
            "--release",
            "--",
            "x"
        ]
    );

    // Success is 0; without `--manifest-path` nothing is added.
    let cargo = fake_cargo(&krate, "exit 0");
    let output = krate.snakegen_in(".", &["--", "run"], &[("CARGO", &cargo)]);
    assert_success(&output);
    let root = std::fs::canonicalize(krate.root()).unwrap();
    assert_eq!(
        cargo_ran(&krate).unwrap(),
        [root.display().to_string().as_str(), "run"]
    );

    // A cargo killed by a signal: 128 + its number, as a shell says.
    let cargo = fake_cargo(&krate, "kill -9 $$");
    let output = krate.snakegen_in(".", &["--", "build"], &[("CARGO", &cargo)]);
    assert_fails(&output, 128 + 9, "was killed by signal 9");
}

#[test]
fn real_cargo_exit_codes_come_through() {
    let krate = package();
    // A command cargo does not know: cargo's own failure code.
    let output = krate.snakegen(&["--", "no-such-subcommand-for-snakegen"]);
    assert_fails(&output, 101, "no such command");
    // The manifest passes on: cargo from another directory finds the package.
    let elsewhere = tempfile::tempdir().unwrap();
    let manifest = krate.root().join("Cargo.toml").display().to_string();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
        .args(["snakegen", "-q", "--manifest-path", &manifest])
        .args(["--", "locate-project", "--message-format", "plain"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert_success(&output);
    let located = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        Path::new(located.trim()).canonicalize().unwrap(),
        krate.root().join("Cargo.toml").canonicalize().unwrap()
    );
}

#[cfg(unix)]
#[test]
fn a_failed_prepass_or_check_runs_no_cargo() {
    let krate = package();
    let cargo = fake_cargo(&krate, "exit 0");
    // Drift: `--check` before any run.
    let output = krate.snakegen_with_env(&["--check", "--", "build"], &[("CARGO", &cargo)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(cargo_ran(&krate), None);
    // An unresolved symbol.
    krate.write(
        "src/main.rs",
        "mod py;\nfn main() { py::math::no_such_function(); }\n",
    );
    let output = krate.snakegen_with_env(&["--", "build"], &[("CARGO", &cargo)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(cargo_ran(&krate), None);
    // After a good run, `--check -- ARGS` hands off.
    krate.write("src/main.rs", MAIN);
    assert_success(&krate.snakegen(&[]));
    let output = krate.snakegen_with_env(&["--check", "--", "build"], &[("CARGO", &cargo)]);
    assert_success(&output);
    assert_eq!(cargo_ran(&krate).unwrap()[1..], ["build"]);
    // Subcommands take no cargo arguments.
    let output = krate.snakegen_with_env(&["status", "--", "build"], &[("CARGO", &cargo)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}
