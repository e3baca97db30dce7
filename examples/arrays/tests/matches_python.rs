//! The example prints what numpy prints for the same expressions.

use std::process::Command;

const PYTHON: &str = r#"
import numpy
grid = numpy.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(f"array = {grid}")
print(f"len(linspace(0, 1)) = {len(numpy.linspace(0.0, 1.0))}")
print(f"linspace(0, 1, num=5) = {numpy.linspace(0.0, 1.0, num=5)}")
print(f"mean(array) = {numpy.mean(grid)}")
print(f"mean(array, axis=0) = {numpy.mean(grid, axis=0)}")
print(f"linalg.norm([3, 4]) = {numpy.linalg.norm([3.0, 4.0])}")
print(f"array.T = {grid.T}")
print(f"array.sum() = {grid.sum()}")
print(f"array.reshape(3, 2) = {grid.reshape((3, 2))}")
"#;

#[test]
fn the_example_prints_what_numpy_computes() {
    let rust = Command::new(env!("CARGO_BIN_EXE_arrays")).output().unwrap();
    assert!(
        rust.status.success(),
        "{}",
        String::from_utf8_lossy(&rust.stderr)
    );
    let python = Command::new("python3")
        .args(["-c", PYTHON])
        .output()
        .unwrap();
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    let rust = String::from_utf8(rust.stdout).unwrap();
    assert_eq!(rust, String::from_utf8(python.stdout).unwrap());
    assert!(rust.contains("[2.5 3.5 4.5]"), "{rust}");
}
