//! The usage ledger end to end: a program's dynamic calls recorded while
//! it runs, reviewed (`ledger show`), promoted into `include`, generated
//! as typed, locked adapters that `--check` covers.

mod common;

use std::process::Output;

use common::{Crate, assert_success};

/// `cargo snakegen ARGS`, reading the package's own ledger directory
/// whatever the caller's environment says.
fn snakegen(package: &Crate, args: &[&str]) -> Output {
    package.snakegen_with_env(args, &[("SNAKEGEN_LEDGER", "")])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn locked_symbols(package: &Crate) -> Vec<String> {
    let lock = snakegen_lockfile::Lockfile::parse(&package.read("snakegen.lock")).unwrap();
    lock.libraries
        .into_iter()
        .flat_map(|library| library.symbols)
        .collect()
}

#[test]
fn recorded_dynamic_calls_become_typed_locked_adapters() {
    let package = Crate::example("dynamic");
    let before = package.read("Cargo.toml");
    assert!(!package.root().join(".gitignore").exists());
    assert_eq!(locked_symbols(&package), ["json.dumps"]);

    // 1. Run the program with the ledger on, as a developer would.
    let run = package.cargo(&["run", "--quiet"], &[("SNAKEGEN_LEDGER", "1")]);
    assert_success(&run);
    let printed = stdout(&run);
    assert!(
        printed.contains("math.sqrt(2.0) = 1.4142135623730951"),
        "{printed}"
    );
    for file in ["math", "statistics", "json", "decimal"] {
        assert!(
            package
                .root()
                .join(format!(".snakegen/ledger/{file}.jsonl"))
                .is_file(),
            "{file}.jsonl"
        );
    }

    // 2. Review: deduplicated, per library; a torn line is a warning.
    let ledger = package.root().join(".snakegen/ledger/math.jsonl");
    let mut math = std::fs::read_to_string(&ledger).unwrap();
    let lines = math.lines().count();
    math.push_str("{\"symbol\":\"math.sqrt\"}\n{\"symbol\":\"math.fl\n");
    std::fs::write(&ledger, math).unwrap();
    let show = snakegen(&package, &["ledger", "show"]);
    assert_success(&show);
    expect_test::expect![[r#"
        decimal
          decimal.Decimal
        json
          json.loads
        math
          math.e
          math.floor
          math.fsum
          math.log10
          math.pi
          math.sqrt
        statistics
          statistics.mean
          statistics.median
    "#]]
    .assert_eq(&stdout(&show));
    let warnings = stderr(&show);
    assert!(
        warnings.contains("warning[S0005]: malformed ledger line: not JSON")
            && warnings.contains(&format!(".snakegen/ledger/math.jsonl:{}:1", lines + 2)),
        "{warnings}"
    );
    // Reviewing is a ledger command: the ledger is kept out of git.
    assert_eq!(
        package.read(".gitignore"),
        "# cargo snakegen's usage ledger: local, never committed\n.snakegen/ledger/\n"
    );
    let json = snakegen(&package, &["ledger", "show", "--message-format", "json"]);
    assert_success(&json);
    let view: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(view["malformed_lines"], 1);
    assert_eq!(
        view["libraries"]["statistics"]["symbols"][0],
        serde_json::json!({ "symbol": "statistics.mean", "included": false })
    );

    // A normal run says what waits, and adds nothing by itself.
    let run = snakegen(&package, &[]);
    assert_success(&run);
    assert!(
        stderr(&run).contains("10 symbols called by name are recorded but not in `include`"),
        "{}",
        stderr(&run)
    );
    assert_eq!(package.read("Cargo.toml"), before);

    // 3. Promote: a library that is not configured is a usage error.
    let unknown = snakegen(&package, &["ledger", "promote", "--library", "numpy"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("`numpy` is not a configured library"));
    let promote = snakegen(&package, &["ledger", "promote"]);
    assert_success(&promote);
    let manifest = package.read("Cargo.toml");
    expect_test::expect![[r#"
        [package.metadata.snakegen.libraries]
        # Functions this example calls by name are recorded in the ledger when
        # SNAKEGEN_LEDGER is set; `cargo snakegen ledger promote` lists them here.
        math = { version = "stdlib", include = ["e", "floor", "fsum", "log10", "pi", "sqrt"] }
        statistics = { version = "stdlib", include = ["mean", "median"] }
        json = { version = "stdlib", include = ["loads"] }
        decimal = { version = "stdlib", include = ["Decimal"] }

        [workspace]
    "#]]
    .assert_eq(&manifest[manifest.find("[package.metadata").unwrap()..]);
    assert_eq!(
        manifest[..manifest.find("[package.metadata").unwrap()],
        before[..before.find("[package.metadata").unwrap()]
    );
    assert_eq!(std::fs::read_to_string(&ledger).unwrap(), "");
    assert!(
        stderr(&promote).contains("Promoting math: include += e, floor, fsum, log10, pi, sqrt"),
        "{}",
        stderr(&promote)
    );

    // 4. Generate: typed adapters, in the lock.
    let generate = snakegen(&package, &[]);
    assert_success(&generate);
    assert!(!stderr(&generate).contains("not in `include`"));
    assert_eq!(
        locked_symbols(&package),
        [
            "decimal.Decimal",
            "json.dumps",
            "json.loads",
            "math.e",
            "math.floor",
            "math.fsum",
            "math.log10",
            "math.pi",
            "math.sqrt",
            "statistics.mean",
            "statistics.median",
        ]
    );
    let math = package.read("src/py/math.rs");
    assert!(
        math.contains("pub fn sqrt(x: impl snakegen::IntoPy) -> snakegen::Result<f64>"),
        "{math}"
    );
    assert!(
        package
            .read("src/py/statistics.rs")
            .contains("pub fn median(")
    );

    // 5. CI: `--check` passes without Python.
    let check = package.snakegen_with_env(&["--check"], &[("PYO3_PYTHON", "/nonexistent/python3")]);
    assert_success(&check);

    // 6. The adapters compile with the program, which prints the same.
    let again = package.cargo(&["run", "--quiet"], &[("SNAKEGEN_LEDGER", "1")]);
    assert_success(&again);
    assert_eq!(stdout(&again), printed);
    let show = snakegen(&package, &["ledger", "show"]);
    assert!(
        stdout(&show).contains("  math.sqrt  (included)\n"),
        "{}",
        stdout(&show)
    );

    // 7. Clear forgets the ledger.
    let clear = snakegen(&package, &["ledger", "clear"]);
    assert_success(&clear);
    let remaining = std::fs::read_dir(package.root().join(".snakegen/ledger"))
        .unwrap()
        .count();
    assert_eq!(remaining, 0);
}

#[test]
fn included_symbols_are_generated_locked_and_checked() {
    let package = Crate::new(
        "included",
        "# the libraries\nmath = { version = \"stdlib\", include = [\"sqrt\"] }  # keep",
        &[("src/main.rs", "fn main() {}\n")],
    );
    assert_success(&snakegen(&package, &[]));
    assert_eq!(locked_symbols(&package), ["math.sqrt"]);
    assert!(package.read("src/py/math.rs").contains("pub fn sqrt("));
    assert_success(&snakegen(&package, &["--check"]));
    // No ledger, no .gitignore.
    assert!(!package.root().join(".gitignore").exists());

    // An include the lock does not have yet is drift.
    let manifest = package.read("Cargo.toml");
    package.write(
        "Cargo.toml",
        &manifest.replace("include = [\"sqrt\"]", "include = [\"floor\", \"sqrt\"]"),
    );
    let check = snakegen(&package, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    // Pointed at the entry in Cargo.toml.
    let line = package
        .read("Cargo.toml")
        .lines()
        .position(|line| line.contains("\"floor\""))
        .unwrap()
        + 1;
    assert!(
        stderr(&check).contains(&format!(
            "error[S0003]: `math.floor` is not in snakegen.lock\n  --> Cargo.toml:{line}:42\n"
        )),
        "{}",
        stderr(&check)
    );
    assert_success(&snakegen(&package, &[]));
    assert_eq!(locked_symbols(&package), ["math.floor", "math.sqrt"]);
    assert_success(&snakegen(&package, &["--check"]));
}

#[test]
fn unconfigured_and_malformed_entries_are_reported_never_fatal() {
    let package = Crate::new(
        "unconfigured",
        "math = \"stdlib\"",
        &[
            ("src/main.rs", "fn main() {}\n"),
            (".gitignore", "/target"),
            (
                ".snakegen/ledger/math.jsonl",
                "{\"symbol\":\"math.tau\"}\nnot json\n{\"symbol\":\"math\"}\n",
            ),
            (".snakegen/ledger/os.jsonl", "{\"symbol\":\"os.getcwd\"}\n"),
            (".snakegen/ledger/notes.txt", "not a ledger file\n"),
        ],
    );
    let promote = snakegen(&package, &["ledger", "promote"]);
    assert_success(&promote);
    let messages = stderr(&promote);
    assert!(
        messages.contains(".snakegen/ledger/math.jsonl:2:1"),
        "{messages}"
    );
    assert!(
        messages.contains("Skipping `os.getcwd`: its library `os` is not configured"),
        "{messages}"
    );
    assert!(
        package
            .read("Cargo.toml")
            .contains("math = { version = \"stdlib\", include = [\"tau\"] }"),
        "{}",
        package.read("Cargo.toml")
    );
    // The promoted library's entries are done with; the other's stay.
    assert_eq!(package.read(".snakegen/ledger/math.jsonl"), "");
    assert_eq!(
        package.read(".snakegen/ledger/os.jsonl"),
        "{\"symbol\":\"os.getcwd\"}\n"
    );
    // An existing .gitignore gets the line appended.
    assert_eq!(
        package.read(".gitignore"),
        "/target\n# cargo snakegen's usage ledger: local, never committed\n.snakegen/ledger/\n"
    );

    let clear = snakegen(&package, &["ledger", "clear", "--library", "nope"]);
    assert_eq!(clear.status.code(), Some(2), "{}", stderr(&clear));
    assert_success(&snakegen(&package, &["ledger", "clear", "--library", "os"]));
    assert!(!package.root().join(".snakegen/ledger/os.jsonl").exists());
    assert!(package.root().join(".snakegen/ledger/math.jsonl").exists());
    assert!(package.root().join(".snakegen/ledger/notes.txt").exists());
}
