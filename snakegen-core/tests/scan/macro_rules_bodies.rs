macro_rules! root {
    ($x:expr) => {
        py::math::sqrt($x)
    };
    () => {
        crate::py::json::dumps(1)
    };
}

fn main() {
    println!("{}", format!("{}", vec![py::statistics::mean(vec![1.0])].len()));
    assert!(py::math::isfinite(1.0).is_ok(), "{}", py::math::nan().unwrap());
}
