use py::math::*;

fn f() -> Result<(), ()> {
    sqrt(2.0);
    let value = floor(1.5);
    helper();
    Ok(())
}

fn helper() {}

mod inner {
    // Globs, like other imports, do not reach into child modules.
    fn g() {
        ceil(1.5);
    }
}
