fn main() {
    let values = py::statistics::mean(vec![1.0]);
    let r#gen = py::math::with::gcd().call();
    unsafe extern "C" {
        safe fn abs(x: i32) -> i32;
    }
}
