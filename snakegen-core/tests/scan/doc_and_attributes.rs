/// Calls `py::math::sqrt` in its docs only: not a usage in this slice.
#[doc = "text"]
#[cfg(feature = "never")]
fn disabled() {
    py::math::isqrt(4);
}

#[cfg_attr(test, derive(Debug))]
struct S;
