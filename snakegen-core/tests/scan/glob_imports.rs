use py::textwrap::*;
use py::math::*;

fn main() {
    // Globs need the library's name index (issue #3); explicit paths still count.
    dedent("x");
    py::textwrap::indent("x", " ");
}
