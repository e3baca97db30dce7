use crate::py::{math, statistics::{mean, median as med}};
use py::math::{self as m, hypot};

fn main() {
    math::floor(1.5);
    mean(vec![1.0]);
    med(vec![1.0]);
    m::ceil(1.5);
}
