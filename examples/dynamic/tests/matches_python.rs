//! The example prints what Python prints for the same calls.

#[path = "../../prints_like_python.rs"]
mod prints_like_python;

const PYTHON: &str = r#"
import json, math, statistics
from decimal import Decimal
data = [2.5, 1.0, 4.0, 3.5]
print(f"data = {json.dumps(data)}")
for name in ["sqrt", "floor", "log10"]:
    print(f"math.{name}(2.0) = {getattr(math, name)(2.0)}")
print(f"statistics.mean(data) = {statistics.mean(data)}")
print(f"statistics.median(data) = {statistics.median(data)}")
print(f"math.fsum(data) = {math.fsum(data)}")
print(f"math.pi = {math.pi}")
print(f"math.e = {math.e}")
print(f"json.loads(text, parse_float=Decimal) = {json.loads('[1.5, 2]', parse_float=Decimal)}")
"#;

#[test]
fn the_example_prints_what_python_computes() {
    prints_like_python::assert_prints_like_python(env!("CARGO_BIN_EXE_dynamic"), PYTHON, 10);
}
