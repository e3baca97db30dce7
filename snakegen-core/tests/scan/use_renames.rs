use py::json as j;
use crate::py::math;
use crate::py as snake;

fn main() {
    j::dumps(1);
    math::sqrt(2.0);
    snake::fractions::Fraction::new();
}
