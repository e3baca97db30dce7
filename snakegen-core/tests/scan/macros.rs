use py::math;

fn main() {
    println!("{}", math::sqrt(2.0).unwrap());
    let text = format!("{:?}", py::json::dumps(1));
    assert_eq!(py::math::floor(1.5).unwrap().to_string(), "1");
    let v = vec![py::statistics::mean(vec![1.0]), py::statistics::median(vec![1.0])];
    println!("{}", format!("{}", py::fractions::Fraction::new().unwrap()));
    write!(out, "{}", math::e().unwrap());
}
