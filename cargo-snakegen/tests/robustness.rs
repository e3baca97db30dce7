//! Artifacts under concurrency, crashes and different environments: always
//! whole, always the same bytes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use common::{Crate, assert_success};

const SOURCE: &str = r#"
mod py;
use py::{json, math};
use py::fractions::Fraction;

pub fn uses() -> snakegen::Result<()> {
    math::sqrt(2.0)?;
    json::with::dumps(1).indent(2).call()?;
    Fraction::new_with().numerator(1).call()?.limit_denominator()?;
    Ok(())
}
"#;

const LIBRARIES: &str = "math = \"stdlib\"\njson = \"stdlib\"\nfractions = \"stdlib\"";

fn artifacts(root: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    collect(root, root, &mut files);
    files
}

fn collect(root: &Path, directory: &Path, files: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if relative == "target" || relative == "Cargo.toml" || relative.starts_with("src/lib") {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            files.insert(relative, std::fs::read_to_string(&path).unwrap());
        }
    }
}

fn spawn(krate: &Crate, env: &[(&str, &str)]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
        .args(["snakegen", "-q"])
        .envs(env.iter().copied())
        .current_dir(krate.root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn reference() -> BTreeMap<String, String> {
    let krate = Crate::new("robust", LIBRARIES, &[("src/lib.rs", SOURCE)]);
    assert_success(&krate.snakegen(&[]));
    artifacts(krate.root())
}

#[test]
fn concurrent_runs_agree_and_corrupt_nothing() {
    let expected = reference();
    for _round in 0..3 {
        let krate = Crate::new("robust", LIBRARIES, &[("src/lib.rs", SOURCE)]);
        let runs: Vec<_> = (0..8).map(|_| spawn(&krate, &[])).collect();
        for run in runs {
            let output: Output = run.wait_with_output().unwrap();
            assert_success(&output);
        }
        assert_same(&artifacts(krate.root()), &expected, "after concurrent runs");
    }
}

#[test]
fn a_run_killed_mid_write_leaves_whole_files_and_the_next_run_converges() {
    let old_source = "mod py;\npub fn uses() { let _ = py::math::floor(1.5); }\n";
    let updated = || {
        let krate = Crate::new("robust", LIBRARIES, &[("src/lib.rs", old_source)]);
        assert_success(&krate.snakegen(&[]));
        let before = artifacts(krate.root());
        krate.write("src/lib.rs", SOURCE);
        (krate, before)
    };
    // What an uninterrupted run makes of the same change (append-only:
    // `math.floor` stays).
    let expected = {
        let (control, _) = updated();
        assert_success(&control.snakegen(&[]));
        artifacts(control.root())
    };
    for crash_after in 0..6 {
        let (krate, before) = updated();
        let crash = crash_after.to_string();
        let output = spawn(&krate, &[("SNAKEGEN_TEST_CRASH_AFTER", &crash)])
            .wait_with_output()
            .unwrap();
        assert!(
            !output.status.success(),
            "the run was killed after {crash_after} writes"
        );
        // Every file is either as it was or as it will be: never torn.
        for (path, text) in artifacts(krate.root()) {
            let whole = before.get(&path) == Some(&text)
                || expected.get(&path) == Some(&text)
                || path.ends_with(".tmp");
            assert!(whole, "{path} is torn after a crash at {crash_after}");
        }
        // Whatever mix of old and new files the crash left, a normal run
        // repairs everything, temp files included.
        assert_success(&krate.snakegen(&[]));
        assert_same(
            &artifacts(krate.root()),
            &expected,
            &format!("after a crash at {crash_after}"),
        );
        assert_success(&krate.snakegen(&["--check"]));
    }
}

#[test]
fn artifacts_do_not_depend_on_path_or_environment() {
    // `reference()` ran in one temp dir with this environment; this runs in
    // another, with another home, locale, time zone and hash seed.
    let expected = reference();
    let elsewhere = Crate::new("robust", LIBRARIES, &[("src/lib.rs", SOURCE)]);
    let env = [
        ("HOME", "/nonexistent-home"),
        ("LANG", "tr_TR.UTF-8"),
        ("LC_ALL", "tr_TR.UTF-8"),
        ("TZ", "Pacific/Kiritimati"),
        ("PYTHONHASHSEED", "12345"),
    ];
    let output = spawn(&elsewhere, &env).wait_with_output().unwrap();
    assert_success(&output);
    assert_same(
        &artifacts(elsewhere.root()),
        &expected,
        "in another place and environment",
    );
}

/// Equal file sets and bytes, reported by path rather than as one huge map.
#[track_caller]
fn assert_same(
    actual: &BTreeMap<String, String>,
    expected: &BTreeMap<String, String>,
    context: &str,
) {
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{context}"
    );
    for (path, text) in actual {
        assert!(text == &expected[path], "{context}: {path} differs");
    }
}
