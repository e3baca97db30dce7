// What `call!` expands to, or what older code imported by hand: the
// generator's entries are not Python names.
use crate::py::fractions::{Fraction, __call_Fraction};
use crate::py::json::__call_dumps;

fn f() {
    call!(Fraction(1, 3));
    let _ = crate::py::math::sqrt::__call((2.0,));
    let _ = crate::py::math::__call_floor((2.5,));
    let _ = Fraction::__call((1, 3));
    let _ = __call_dumps((1,));
    let _ = crate::py::math::ceil::__attached(py, (2.5,));
    call!(py, crate::py::math::trunc(2.5));
}
