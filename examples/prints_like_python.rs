//! Shared by the examples' tests: an example's output must be exactly what
//! Python prints for the same computations.

use std::process::Command;

/// Runs the example binary and `python3 -c script`; their stdout must be
/// equal and have `lines` lines (so a script that prints nothing fails).
pub fn assert_prints_like_python(binary: &str, script: &str, lines: usize) {
    let rust = Command::new(binary).output().unwrap();
    assert!(
        rust.status.success(),
        "{}",
        String::from_utf8_lossy(&rust.stderr)
    );
    let python = Command::new("python3")
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    let rust = String::from_utf8(rust.stdout).unwrap();
    assert_eq!(rust, String::from_utf8(python.stdout).unwrap());
    assert_eq!(
        rust.lines().count(),
        lines,
        "every line is compared:\n{rust}"
    );
}
