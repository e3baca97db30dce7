use py::json as j;

fn main() {
    let x = py::math::sqrt(2.0);
    let y = ;
    j::dumps(x);
}
