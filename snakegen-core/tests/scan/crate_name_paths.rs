// An integration test: the library is an external crate named `demo`.
use demo::py::statistics;
use ::demo::py::json as j;

#[test]
fn uses_the_library() {
    demo::py::math::sqrt(2.0).unwrap();
    statistics::median(vec![1.0]).unwrap();
    j::loads("1").unwrap();
    // Another crate's `py` module is not ours.
    other::py::math::floor(1.5);
}
