//! The example prints what Python prints for the same expressions: the
//! adapters add nothing and lose nothing on the way.

#[path = "../../prints_like_python.rs"]
mod prints_like_python;

/// The same computations as `src/main.rs`, in Python.
const PYTHON: &str = r#"
import json, math, statistics
from fractions import Fraction
print(f"math.sqrt(2) = {math.sqrt(2.0)}")
print(f"math.pi = {math.pi}")
print(f"statistics.mean([1.5, 2.5, 4.0]) = {statistics.mean([1.5, 2.5, 4.0])}")
print(f"json.dumps(point, sort_keys=True) = {json.dumps({'x': 1, 'y': 2}, sort_keys=True)}")
print(f"Fraction(1, 3) = {Fraction(1, 3)}")
print(f"Fraction(math.pi).limit_denominator(1000) = {Fraction(math.pi).limit_denominator(1000)}")
try:
    math.sqrt(-1.0)
except ValueError as error:
    print(f"math.sqrt(-1) raised ValueError: {error}")
"#;

#[test]
fn the_example_prints_what_python_computes() {
    prints_like_python::assert_prints_like_python(env!("CARGO_BIN_EXE_quickstart"), PYTHON, 7);
}
