use py::numpy as np;
use snakegen::call;

fn main() -> snakegen::Result<()> {
    let a = np::array(vec![1.0, 2.0])?;
    let mean = snakegen::call!(np::mean(&a, axis = 0))?;
    let text = call!(py::textwrap::fill("some words", width = 20))?;
    // A keyword that is a Rust keyword, raw or not (not valid Rust, so the
    // token scan reads it).
    let raw = call!(py::json::dumps(&a, r#type = 1))?;
    let bare = call!(py::statistics::fmean(&a, type = 1))?;
    let method = call!(a.reshape(py::math::floor(2.5)?, order = "C"))?;
    Ok(())
}
