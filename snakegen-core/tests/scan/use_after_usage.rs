fn main() {
    // Rust imports are visible in the whole scope, before their `use`.
    m::sqrt(2.0);
    stats::mean(vec![1.0]);
}

use py::math as m;
use stats_alias as stats;
use crate::py::statistics as stats_alias;
