use py::os::*;
use std::collections::*;

fn main() {
    let map = HashMap::new();
    getcwd();
    let py = py::math::sqrt(1.0);
}
