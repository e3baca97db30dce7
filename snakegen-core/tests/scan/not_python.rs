use std::f64::consts::PI;
use other::math;

fn main() {
    // `math` here is another crate's module, but the scan over-approximates
    // only through the adapters' module: none of these is a usage, and
    // `py::os`, a library the config does not list, is an error (S0007).
    math::sqrt(2.0);
    other::py::math::sqrt(2.0);
    py::os::getcwd();
    let py = 1;
    let math = PI;
    json::dumps(1);
}
