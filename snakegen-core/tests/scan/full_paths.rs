fn main() {
    let root = py::math::sqrt(2.0);
    let pi = crate::py::math::pi();
    let dumped = self::py::json::dumps(1);
    let mean = ::py::statistics::mean(vec![1.0]);
}
