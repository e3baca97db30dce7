//! Hostile input, each case as a user (or a cloned repository) could
//! bring it: a clear error with the documented exit code, never a panic,
//! no artifact changed by a failing command, nothing touched outside the
//! package.

mod common;

use std::process::{Command, Output, Stdio};

use common::{Crate, assert_fails, assert_success, tree};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_no_panic(output: &Output) {
    assert_ne!(output.status.code(), Some(101), "{}", stderr(output));
    assert!(output.status.code().is_some(), "killed by a signal");
    assert!(!stderr(output).contains("panicked"), "{}", stderr(output));
}

/// A command that fails must leave the package as it was.
#[track_caller]
fn assert_refused(krate: &Crate, args: &[&str], code: i32, message: &str) {
    let before = tree(krate.root());
    let output = krate.snakegen(args);
    assert_no_panic(&output);
    assert_fails(&output, code, message);
    assert_eq!(tree(krate.root()), before, "`{args:?}` changed the package");
}

#[test]
fn names_that_are_not_python_names_are_errors_naming_file_and_key() {
    let cases = [
        (
            "a parameter renamed `x*`",
            "\"name\": \"x\"",
            "\"name\": \"x*\"",
            "`symbols.\"math.sqrt\".signature.parameters[0].name` is not a Python name",
        ),
        (
            "a symbol key with an empty last segment",
            "\"math.sqrt\": {",
            "\"math.\": {",
            "`symbols.\"math.\"` is not a Python name",
        ),
    ];
    for (case, from, to, message) in cases {
        let krate = Crate::example("quickstart");
        let manifest = krate.read(".snakegen/manifest/math.json");
        assert!(manifest.contains(from), "{case}: the fixture changed");
        krate.write(
            ".snakegen/manifest/math.json",
            &manifest.replacen(from, to, 1),
        );
        for args in [&[][..], &["--check"], &["prune"], &["status"]] {
            assert_refused(&krate, args, 2, message);
            assert_refused(&krate, args, 2, ".snakegen/manifest/math.json");
        }
        // --force regenerates the manifest from Python.
        let forced = krate.snakegen(&["--force"]);
        assert_success(&forced);
        assert_eq!(
            krate.read(".snakegen/manifest/math.json"),
            manifest,
            "{case}"
        );
    }
}

#[test]
fn hostile_config_values_are_errors_naming_the_key() {
    let cases = [
        (
            "module = \"py\"",
            "module = \"fn\"",
            "package.metadata.snakegen.module",
        ),
        (
            "module = \"py\"",
            "module = \"self\"",
            "package.metadata.snakegen.module",
        ),
        (
            "math = \"stdlib\"",
            "math = { version = \"stdlib\", include = [\"a-b\"] }",
            "package.metadata.snakegen.libraries.math.include[0]",
        ),
        (
            "math = \"stdlib\"",
            "math = { version = \"stdlib\", include = [\"nul\\u0000\"] }",
            "package.metadata.snakegen.libraries.math.include[0]",
        ),
        (
            "math = \"stdlib\"",
            "math = { version = \"stdlib\", include = [\"\\u0345\"] }",
            "package.metadata.snakegen.libraries.math.include[0]",
        ),
    ];
    for (from, to, key) in cases {
        let krate = Crate::example("quickstart");
        let manifest = krate.read("Cargo.toml");
        assert!(manifest.contains(from));
        krate.write("Cargo.toml", &manifest.replacen(from, to, 1));
        for args in [&[][..], &["--check"]] {
            assert_refused(&krate, args, 2, &format!("invalid `{key}`"));
        }
    }
}

#[test]
fn a_ledger_entry_that_is_no_python_path_is_skipped_with_a_warning() {
    let krate = Crate::example("quickstart");
    krate.write(
        ".snakegen/ledger/math.jsonl",
        "{\"symbol\":\"math.\\u0345\"}\n{\"symbol\":\"math.floor\"}\n",
    );
    let promoted = krate.snakegen(&["ledger", "promote"]);
    assert_success(&promoted);
    assert!(stderr(&promoted).contains("malformed ledger line"));
    let manifest = krate.read("Cargo.toml");
    assert!(manifest.contains("\"floor\""), "{manifest}");
    assert!(!manifest.contains('\u{345}'), "{manifest}");
    assert_success(&krate.snakegen(&[]));
}

#[test]
fn edits_to_what_the_lock_states_are_drift() {
    // The lock's [python] is the manifests' interpreter, repeated.
    let krate = Crate::example("quickstart");
    let lock = krate.read("snakegen.lock");
    krate.write(
        "snakegen.lock",
        &lock.replacen("platform = \"linux-x86_64\"", "platform = \"elsewhere\"", 1),
    );
    assert_refused(&krate, &["--check"], 1, "snakegen.lock");

    // A manifest edited by hand (a function claimed to be a module) is
    // drift, and the next run asks Python again rather than trusting it.
    let krate = Crate::example("quickstart");
    let committed = tree(krate.root());
    let manifest = krate.read(".snakegen/manifest/math.json");
    let sqrt = manifest.find("\"math.sqrt\": {").unwrap();
    let edited = format!(
        "{}{}",
        &manifest[..sqrt],
        manifest[sqrt..].replacen("\"kind\": \"function\"", "\"kind\": \"module\"", 1)
    );
    krate.write(".snakegen/manifest/math.json", &edited);
    assert_refused(&krate, &["--check"], 1, "snakegen.lock");
    let run = krate.snakegen(&[]);
    assert_success(&run);
    assert!(
        stderr(&run).contains("is not the manifest snakegen.lock recorded: asking Python again"),
        "{}",
        stderr(&run)
    );
    assert_eq!(tree(krate.root()), committed);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_package_are_never_followed() {
    use std::os::unix::fs::symlink;

    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.rs");
    let header = "// @generated by cargo-snakegen. Do not edit; run `cargo snakegen`.\n";
    let reset = || {
        std::fs::write(&victim, header).unwrap();
        std::fs::write(outside.path().join("zzz.json"), "{}").unwrap();
        std::fs::write(
            outside.path().join("math.jsonl"),
            "{\"symbol\":\"math.floor\"}\n",
        )
        .unwrap();
        std::fs::write(outside.path().join(".gitignore"), "keep\n").unwrap();
        tree(outside.path())
    };

    // src/py, a link to a directory outside.
    let untouched = reset();
    let krate = Crate::example("quickstart");
    std::fs::remove_dir_all(krate.root().join("src/py")).unwrap();
    symlink(outside.path(), krate.root().join("src/py")).unwrap();
    for args in [&[][..], &["--check"], &["--force"]] {
        let output = krate.snakegen(args);
        assert_no_panic(&output);
        assert_fails(&output, 2, "src/py: is a symbolic link that leads outside");
    }
    assert_eq!(tree(outside.path()), untouched);

    // .snakegen/manifest, the same.
    let krate = Crate::example("quickstart");
    std::fs::remove_dir_all(krate.root().join(".snakegen/manifest")).unwrap();
    symlink(outside.path(), krate.root().join(".snakegen/manifest")).unwrap();
    let output = krate.snakegen(&[]);
    assert_fails(
        &output,
        2,
        ".snakegen/manifest: is a symbolic link that leads outside",
    );
    assert_eq!(tree(outside.path()), untouched);

    // A ledger file, the ledger directory and .gitignore.
    let krate = Crate::example("quickstart");
    std::fs::create_dir_all(krate.root().join(".snakegen/ledger")).unwrap();
    symlink(
        outside.path().join("math.jsonl"),
        krate.root().join(".snakegen/ledger/math.jsonl"),
    )
    .unwrap();
    for args in [&["ledger", "promote"][..], &["ledger", "clear"]] {
        let output = krate.snakegen(args);
        assert_no_panic(&output);
        assert_fails(
            &output,
            2,
            "math.jsonl: is a symbolic link that leads outside",
        );
    }
    assert_eq!(tree(outside.path()), untouched);

    let krate = Crate::example("quickstart");
    std::fs::create_dir_all(krate.root().join(".snakegen")).unwrap();
    symlink(outside.path(), krate.root().join(".snakegen/ledger")).unwrap();
    let output = krate.snakegen(&["ledger", "clear"]);
    assert_fails(
        &output,
        2,
        ".snakegen/ledger: is a symbolic link that leads outside",
    );
    assert_eq!(tree(outside.path()), untouched);

    let krate = Crate::example("quickstart");
    std::fs::create_dir_all(krate.root().join(".snakegen/ledger")).unwrap();
    symlink(
        outside.path().join(".gitignore"),
        krate.root().join(".gitignore"),
    )
    .unwrap();
    let output = krate.snakegen(&["ledger", "show"]);
    assert_fails(
        &output,
        2,
        ".gitignore: is a symbolic link that leads outside",
    );
    assert_eq!(tree(outside.path()), untouched);
}

#[test]
fn a_hand_written_file_where_an_adapter_goes_is_kept_unless_forced() {
    let krate = Crate::example("quickstart");
    let generated = krate.read("src/py/math.rs");
    krate.write(
        "src/py/math.rs",
        "// mine\npub fn sqrt(x: f64) -> f64 { x }\n",
    );
    assert_refused(
        &krate,
        &[],
        2,
        "`src/py/math.rs` is not written by snakegen (no `@generated` header)",
    );
    assert_refused(
        &krate,
        &["--check"],
        1,
        "`src/py/math.rs` was not written by snakegen",
    );
    assert_success(&krate.snakegen(&["--force"]));
    assert_eq!(krate.read("src/py/math.rs"), generated);
}

#[test]
fn a_file_syn_cannot_parse_is_a_warning_and_its_usages_are_kept() {
    let krate = Crate::example("quickstart");
    let main = krate.read("src/main.rs");
    krate.write(
        "src/main.rs",
        &format!("{main}\nfn broken( {{ py::math::sqrt(1.0); }}\n"),
    );
    let output = krate.snakegen(&["--check"]);
    assert_success(&output);
    assert!(
        stderr(&output).contains("warning[S0001]"),
        "{}",
        stderr(&output)
    );
    assert!(
        !stderr(&output).contains("error[S0001]"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn deep_nesting_is_scanned_without_a_crash() {
    let krate = Crate::example("quickstart");
    let main = krate.read("src/main.rs");
    let parens = 1_000;
    let ifs = 400;
    krate.write(
        "src/main.rs",
        &format!(
            "{main}\nfn deep() {{ let _ = {}py::math::sqrt(1.0){}; {} {} }}\n",
            "(".repeat(parens),
            ")".repeat(parens),
            "if true {".repeat(ifs),
            "}".repeat(ifs)
        ),
    );
    let output = krate.snakegen(&["--check"]);
    assert_no_panic(&output);
    assert_success(&output);
}

#[cfg(unix)]
#[test]
fn closed_or_full_terminals_are_not_panics() {
    let krate = Crate::example("quickstart");
    let command = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"));
        command
            .arg("snakegen")
            .args(args)
            .current_dir(krate.root())
            .env("PYTHONPATH", common::FIXTURE_PACKAGES);
        command
    };
    for args in [&["status"][..], &["ledger", "show"], &["scan"], &["doctor"]] {
        // stdout is a pipe whose reader is gone before anything is written.
        let mut child = command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_no_panic(&output);
    }
    for args in [&[][..], &["--check"]] {
        let full = std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = command(args).stderr(full).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?} with a full stderr");
    }
}
