fn main() {
    py::numpy::r#where(1, 2, 3);
    py::textwrap::r#type();
    let r#match = py::numpy::linalg::norm(1);
}
