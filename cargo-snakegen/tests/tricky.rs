//! The tricky fixture crate (`tests/fixtures/tricky`): every way of naming
//! a Python symbol, across lib, module files, tests, examples, benches and
//! the build script. Judged as users judge it: by the lock's symbols, and
//! by the generated adapters compiling against the crate's own calls.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{Crate, assert_success};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tricky");

fn locked_symbols(lock: &str) -> BTreeMap<String, BTreeSet<String>> {
    let lock = snakegen_lockfile::Lockfile::parse(lock).unwrap();
    lock.libraries
        .into_iter()
        .map(|library| (library.name, library.symbols))
        .collect()
}

#[test]
fn the_lock_holds_exactly_the_used_symbols_and_the_adapters_compile() {
    let package = Crate::copy_of(Path::new(FIXTURE));
    let output = package.snakegen(&[]);
    assert_success(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning[S0004]: `math.trunc` is called by name"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning[S0004]: `math.tau` is called by name"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("`math.floor` is called by name"),
        "{stderr}"
    );

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
    assert_eq!(locked_symbols(&package.read("snakegen.lock")), expected);

    // The crate's own calls type-check against what was generated.
    assert_success(&package.cargo_check());
}
