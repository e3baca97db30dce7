fn main() {
    py::math::sqrt(1.0); py::math::sqrt(2.0);
    py::math::sqrt(3.0);
}
