//! What the cargo-snakegen benchmarks share: the tool, and any command,
//! run to success.

use std::path::Path;
use std::process::Command;

/// `cargo snakegen -q` in `root`.
pub fn snakegen(root: &Path) {
    run(Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
        .args(["snakegen", "-q"])
        .current_dir(root));
}

/// Runs `command`; a failure ends the benchmark with its stderr.
pub fn run(command: &mut Command) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
