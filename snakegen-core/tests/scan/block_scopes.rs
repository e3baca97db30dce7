fn f() {
    use py::math::sqrt;
    sqrt(2.0);
    {
        use crate::py::json as js;
        js::dumps(1);
    }
}

fn g() {
    // `js` is not visible here.
    js::loads("1");
}
