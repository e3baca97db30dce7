//! The tricky fixture crate (`tests/fixtures/tricky`): every way of naming
//! a Python symbol, across lib, module files, tests, examples, benches and
//! the build script. Judged as users judge it: by the lock's symbols, and
//! by the generated adapters compiling against the crate's own calls.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tricky");

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn locked_symbols(lock: &str) -> BTreeMap<String, BTreeSet<String>> {
    let lock = snakegen_lockfile::Lockfile::parse(lock).unwrap();
    lock.libraries
        .into_iter()
        .map(|library| (library.name, library.symbols))
        .collect()
}

#[test]
fn the_lock_holds_exactly_the_used_symbols_and_the_adapters_compile() {
    let package = tempfile::tempdir().unwrap();
    copy_tree(Path::new(FIXTURE), package.path());
    let runtime =
        std::fs::canonicalize(concat!(env!("CARGO_MANIFEST_DIR"), "/../snakegen")).unwrap();
    let manifest = std::fs::read_to_string(package.path().join("Cargo.toml.in"))
        .unwrap()
        .replace("@RUNTIME@", &runtime.display().to_string());
    std::fs::write(
        package.path().join("Cargo.toml"),
        format!("{manifest}\n[workspace]\n"),
    )
    .unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
        .arg("snakegen")
        .current_dir(package.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning[S0004]: `math.trunc` is called by name"),
        "{stderr}"
    );

    let lock = std::fs::read_to_string(package.path().join("snakegen.lock")).unwrap();
    let expected: BTreeMap<String, BTreeSet<String>> = [
        ("decimal", &["decimal.Decimal"][..]),
        ("fractions", &["fractions.Fraction"]),
        ("json", &["json.decoder.JSONDecoder", "json.dumps"]),
        (
            "math",
            &[
                "math.ceil",
                "math.exp",
                "math.floor",
                "math.gcd",
                "math.isclose",
                // Named only in `#[cfg(any())]` code: the scan reads it anyway.
                "math.isqrt",
                "math.log2",
                "math.pi",
                "math.radians",
                "math.sqrt",
                "math.tau",
                "math.trunc",
            ],
        ),
        (
            "statistics",
            &[
                "statistics.mean",
                "statistics.median",
                "statistics.median_low",
            ],
        ),
        ("textwrap", &["textwrap.dedent"]),
    ]
    .into_iter()
    .map(|(library, symbols)| {
        (
            library.to_owned(),
            symbols.iter().map(|s| s.to_string()).collect(),
        )
    })
    .collect();
    assert_eq!(locked_symbols(&lock), expected);

    // The crate's own calls type-check against what was generated.
    let check = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--all-targets", "--offline"])
        .env(
            "CARGO_TARGET_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../target/fixtures"),
        )
        .current_dir(package.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
