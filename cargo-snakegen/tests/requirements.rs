//! A requirement changed in `Cargo.toml` after the lock was written, on a
//! copy of `examples/quickstart`: the run checks it, with or without
//! caches, as `--full` would; `--check` and `doctor` report it; a lock that
//! pairs a requirement with a version that does not meet it is corrupt.

mod common;

use std::process::Output;

use common::{Crate, assert_fails, assert_success, tree};

/// `cargo snakegen ARGS`, its caches in the package's own `target/`.
fn snakegen(krate: &Crate, args: &[&str]) -> Output {
    let target = krate.root().join("target").display().to_string();
    krate.snakegen_with_env(args, &[("CARGO_TARGET_DIR", &target)])
}

/// `cargo snakegen ARGS` with an interpreter that cannot start: if it
/// succeeds, it started no Python.
fn without_python(krate: &Crate, args: &[&str]) -> Output {
    let target = krate.root().join("target").display().to_string();
    krate.snakegen_with_env(
        args,
        &[
            ("CARGO_TARGET_DIR", &target),
            ("PYO3_PYTHON", "/nonexistent/python3"),
        ],
    )
}

/// Replaces the one `from` in `file`.
fn edit(krate: &Crate, file: &str, from: &str, to: &str) {
    let text = krate.read(file);
    assert_eq!(text.matches(from).count(), 1, "one `{from}` in:\n{text}");
    krate.write(file, &text.replacen(from, to, 1));
}

/// The quickstart, also using `sympy.sqrt` under `requirement`, locked by
/// a run.
fn quickstart_with_sympy(requirement: &str) -> Crate {
    let krate = Crate::example("quickstart");
    edit(
        &krate,
        "Cargo.toml",
        "fractions = \"stdlib\"\n",
        &format!(
            "fractions = \"stdlib\"\nsympy = {{ version = \"{requirement}\", include = [\"sqrt\"] }}\n"
        ),
    );
    assert_success(&snakegen(&krate, &[]));
    assert!(
        krate.read("snakegen.lock").contains(&format!(
            "requested = \"{requirement}\"\nresolved = \"1.14.0\"\n"
        )),
        "{}",
        krate.read("snakegen.lock")
    );
    krate
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a failed command said, from its first error on (the status lines
/// before it differ between an incremental and a full run).
fn error(output: &Output) -> String {
    let stderr = stderr(output);
    let start = stderr
        .find("error")
        .unwrap_or_else(|| panic!("no error in:\n{stderr}"));
    stderr[start..].to_owned()
}

/// Runs the incremental run with the caches the last run left, then
/// without caches, then `--full`: each exits 2 with the same error, which
/// has `message`, and no file of the package changes.
#[track_caller]
fn fails_as_a_full_run_does(krate: &Crate, message: &str) -> String {
    let before = tree(krate.root());
    let warm = snakegen(krate, &[]);
    assert_fails(&warm, 2, message);
    std::fs::remove_dir_all(krate.root().join("target")).unwrap();
    let cold = snakegen(krate, &[]);
    let full = snakegen(krate, &["--full"]);
    assert_fails(&full, 2, message);
    assert_eq!(error(&warm), error(&full));
    assert_eq!(error(&cold), error(&full));
    assert_eq!(tree(krate.root()), before, "a failed run wrote");
    stderr(&warm)
}

/// `--check` (with no Python) and `doctor` say that `library`'s
/// requirement is `configured` now, `locked` in the lock: drift, exit 1.
#[track_caller]
fn reports_drift(krate: &Crate, library: &str, locked: &str, configured: &str) {
    let check = without_python(krate, &["--check"]);
    assert_fails(
        &check,
        1,
        &format!("`{library}`: requirement changed: {locked} → {configured}"),
    );
    let doctor = snakegen(krate, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(1), "{}", stderr(&doctor));
    let expected =
        format!("drift  {library} (requirement in Cargo.toml): locked {locked}, live {configured}");
    assert!(stdout(&doctor).contains(&expected), "{}", stdout(&doctor));
}

#[test]
fn a_stdlib_module_asked_for_a_version_is_checked_as_a_full_run_does() {
    let krate = Crate::example("quickstart");
    assert_success(&snakegen(&krate, &["--full"]));
    edit(&krate, "Cargo.toml", "math = \"stdlib\"", "math = \">=99\"");
    let warm = fails_as_a_full_run_does(
        &krate,
        "error: cannot tell which version of `math` is installed (no distribution `math`, no `__version__`), so `>=99` cannot be checked",
    );
    assert!(
        warm.contains("Rechecking `math`: the requirement changed from `stdlib` to `>=99`"),
        "{warm}"
    );

    reports_drift(&krate, "math", "stdlib", ">=99");
}

#[test]
fn a_pinned_version_asked_for_more_is_checked_as_a_full_run_does() {
    let krate = quickstart_with_sympy("==1.14.0");
    // The metadata cache, warm for every locked symbol.
    assert_success(&snakegen(&krate, &["--full"]));
    edit(&krate, "Cargo.toml", "\"==1.14.0\"", "\">=2\"");
    let warm = fails_as_a_full_run_does(
        &krate,
        "error: `sympy` 1.14.0 is installed, but [package.metadata.snakegen.libraries] asks for `>=2`\n  = help: `pip install \"sympy>=2\"`",
    );
    assert!(
        warm.contains("Cached every path is in the metadata cache"),
        "the warm run answered from the cache:\n{warm}"
    );

    let before = tree(krate.root());
    reports_drift(&krate, "sympy", "==1.14.0", ">=2");
    // Prune starts no Python, so it cannot tell either.
    let prune = snakegen(&krate, &["prune"]);
    assert_fails(
        &prune,
        2,
        "`sympy`: the requirement changed from `==1.14.0` to `>=2`, which the locked 1.14.0 does not meet, and prune starts no Python",
    );
    assert_eq!(tree(krate.root()), before);
}

#[test]
fn a_requirement_the_locked_version_meets_is_locked_without_python() {
    let krate = quickstart_with_sympy(">=1.12");
    let lock = krate.read("snakegen.lock");
    edit(&krate, "Cargo.toml", "\">=1.12\"", "\">=1\"");

    reports_drift(&krate, "sympy", ">=1.12", ">=1");

    let mut expected = tree(krate.root());
    let run = without_python(&krate, &[]);
    assert_success(&run);
    assert!(
        stderr(&run).contains("Finished quickstart: 1 file written, no Python started"),
        "{}",
        stderr(&run)
    );
    let relocked = lock.replacen(
        "requested = \">=1.12\"\nresolved = \"1.14.0\"",
        "requested = \">=1\"\nresolved = \"1.14.0\"",
        1,
    );
    assert_ne!(relocked, lock);
    expected.insert("snakegen.lock".to_owned(), relocked.into_bytes());
    assert_eq!(tree(krate.root()), expected, "only the requirement changed");

    assert_success(&without_python(&krate, &["--check"]));
    let doctor = snakegen(&krate, &["doctor"]);
    assert_success(&doctor);
    assert!(
        stdout(&doctor).contains("ok     sympy: 1.14.0"),
        "{}",
        stdout(&doctor)
    );
}

#[test]
fn a_lock_pairing_a_requirement_with_a_version_that_does_not_meet_it_is_corrupt() {
    // What a run that did not check a changed requirement used to write.
    let krate = Crate::example("quickstart");
    edit(&krate, "Cargo.toml", "math = \"stdlib\"", "math = \">=99\"");
    edit(
        &krate,
        "snakegen.lock",
        "name = \"math\"\nrequested = \"stdlib\"",
        "name = \"math\"\nrequested = \">=99\"",
    );
    let before = tree(krate.root());
    let corrupt = "snakegen.lock: cannot be read: `math` is locked at `resolved = \"3.11.7\"`, which does not meet its `requested = \">=99\"`";
    assert_fails(&without_python(&krate, &["--check"]), 2, corrupt);
    assert_fails(&snakegen(&krate, &["doctor"]), 2, corrupt);
    assert_fails(&snakegen(&krate, &[]), 2, corrupt);
    assert_eq!(tree(krate.root()), before);

    // `--force` replaces it: Python is asked, and refuses the requirement.
    assert_fails(
        &snakegen(&krate, &["--force"]),
        2,
        "cannot tell which version of `math` is installed",
    );
    assert_eq!(tree(krate.root()), before);

    // A `requested` that is no requirement.
    let krate = quickstart_with_sympy("==1.14.0");
    edit(
        &krate,
        "snakegen.lock",
        "requested = \"==1.14.0\"",
        "requested = \"any\"",
    );
    assert_fails(
        &without_python(&krate, &["--check"]),
        2,
        "snakegen.lock: cannot be read: `requested` of `sympy`: `any` is not a version requirement",
    );
    assert_success(&snakegen(&krate, &["--force"]));
    assert_success(&without_python(&krate, &["--check"]));
}
