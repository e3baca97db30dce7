// py::math::sqrt in a comment is not code.
/* neither is py::json::dumps here */
fn main() {
    let text = "py::statistics::mean in a string";
}
