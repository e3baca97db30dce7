//! rust-analyzer on a crate with adapters, over LSP, through
//! `scripts/editor-loop` (the README's editor settings): completion after a
//! module offers its Python names, and a save shows snakegen's S0002 at the
//! call site.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use common::{Crate, assert_success, fixture_target_dir};

/// `scripts/editor-loop ROOT ARGS`, with this build's `cargo-snakegen`
/// first on `PATH` (the check command runs `cargo snakegen`), the fixtures'
/// target directory, and cargo offline.
fn editor_loop(krate: &Crate, args: &[&str]) -> Output {
    let installed = Command::new("rust-analyzer").arg("--version").output();
    assert!(
        installed.is_ok_and(|output| output.status.success()),
        "rust-analyzer is not installed: `rustup component add rust-analyzer` (.ci/run does)"
    );
    krate.lock_like_the_workspace();
    let binary = Path::new(env!("CARGO_BIN_EXE_cargo-snakegen"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_owned())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/editor-loop"))
        .arg(krate.root())
        .args(args)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", fixture_target_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap()
}

#[test]
fn completion_after_a_module_offers_its_python_names() {
    let krate = Crate::example("symbolic");
    let output = editor_loop(&krate, &["--complete", "py::sympy::"]);
    assert_success(&output);
    let offered: BTreeSet<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|label| label.trim_start_matches("r#").to_owned())
        .collect();
    // The Python names the lock lists for `sympy`, and `with`: no builder
    // type, no `call!` entry, no module beside a function.
    let lock = snakegen_lockfile::Lockfile::parse(&krate.read("snakegen.lock")).unwrap();
    let mut expected: BTreeSet<String> = lock.libraries[0]
        .symbols
        .iter()
        .map(|symbol| symbol.trim_start_matches("sympy.").to_owned())
        .collect();
    assert!(expected.len() > 10, "{expected:?}");
    expected.insert("with".to_owned());
    assert_eq!(offered, expected);
}

#[test]
fn a_save_shows_s0002_at_the_call_site() {
    let krate = Crate::example("quickstart");
    let output = editor_loop(&krate, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("S0002 at the call site: yes"), "{stdout}");
}
