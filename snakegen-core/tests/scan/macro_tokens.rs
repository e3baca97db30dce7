use py::math as m;

macro_rules! twice {
    ($e:expr) => {
        ($e, $e)
    };
}

fn main() {
    // Not expressions: a custom syntax that only tokens can read.
    my_dsl! { let x = py::math::sqrt => 2.0; call m::ceil with [1.5] }
    twice!(py::json::dumps(1));
    nested!(outer!(py::statistics::mode(vec![1])));
}
