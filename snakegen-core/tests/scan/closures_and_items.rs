const LIMIT: fn(f64) -> snakegen::Result<snakegen::Object> = py::math::sqrt;
static NAME: &str = "x";

fn f() {
    let square = |x: f64| py::math::pow(x, 2.0);
    let values: Vec<_> = (0..3).map(|n| crate::py::math::factorial(n)).collect();
}

trait T {
    fn g() {
        py::json::dumps(1);
    }
}
