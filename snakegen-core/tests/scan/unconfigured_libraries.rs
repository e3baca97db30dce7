// Paths through the adapters' module into libraries the config does not
// list: each site is an error (S0007) with the fix; configured ones are
// usages as ever.
use py::{math, os};
use crate::py::re::compile as re_compile;
use py as adapters;

fn main() {
    math::sqrt(2.0);
    py::os::getcwd();
    adapters::shutil::which("cargo");
    demo::py::sys::exit(0);
    let os = other::os::getcwd();
    format!("{}", py::platform::system());
}
