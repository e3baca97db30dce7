//! The example prints what numpy prints for the same expressions.

#[path = "../../prints_like_python.rs"]
mod prints_like_python;

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
print(f"where(arange(4) > 1) = {numpy.where(numpy.arange(4) > 1)}")
"#;

#[test]
fn the_example_prints_what_numpy_computes() {
    prints_like_python::assert_prints_like_python(env!("CARGO_BIN_EXE_arrays"), PYTHON, 15);
}
