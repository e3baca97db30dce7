fn main() {
    let pick = |n: i32| if n > 0 { py::math::ceil } else { py::math::floor };
    let calls: Vec<Box<dyn Fn()>> = vec![Box::new(|| { py::json::dumps(1); })];
    let nested = || || py::statistics::mode(vec![1]);
}
