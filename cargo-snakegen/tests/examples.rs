//! Every example's committed adapters, manifests and lock are what the
//! current generator makes from them: `--check` passes without Python.

use std::process::Command;

#[test]
fn every_example_is_up_to_date() {
    for example in ["quickstart", "symbolic", "arrays"] {
        let manifest = format!(
            "{}/../examples/{example}/Cargo.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
            .args(["snakegen", "--check", "--manifest-path", &manifest])
            .env("PYO3_PYTHON", "/nonexistent/python3")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "examples/{example} is stale; run `cargo run -p cargo-snakegen -- snakegen --manifest-path examples/{example}/Cargo.toml`:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
