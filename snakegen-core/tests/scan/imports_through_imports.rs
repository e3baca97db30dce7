use math::sqrt;
use py::math;
use crate::py::{self, numpy::linalg};

fn main() {
    sqrt(1.0);
    linalg::det(1);
    py::textwrap::dedent("x");
}
