use crate::py::{fractions::Fraction, json as j};
use py::math::*;

fn broken() {
    let = 1;
    Fraction::new();
    j::loads("1");
    floor(1.5);
}
