pub use py::math::sqrt as root;
pub(crate) use crate::py::fractions::Fraction;
use py::json::{dumps, loads as parse};

fn main() {
    root(2.0);
}
