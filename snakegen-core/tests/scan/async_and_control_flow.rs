async fn f() {
    let future = async { py::math::sqrt(1.0) };
    let Some(x) = py::json::loads("1").ok() else { return };
    for value in py::statistics::quantiles(vec![1.0]) {}
    while let Ok(y) = py::math::floor(1.5) {}
    match py::math::ceil(1.5) {
        Ok(v) if v == py::math::pi() => {}
        _ => loop { break py::math::tau(); },
    }
}
