fn main() {
    let ünïcödé = "π"; let x = py::math::sqrt(2.0);
	py::math::floor(1.5);
}
