#[derive(Debug)]
#[my_attribute(handler = py::math::sqrt, other(py::json::dumps))]
struct S;

#[cfg_attr(feature = "x", doc = "no code here")]
fn f() {}
