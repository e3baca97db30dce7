use crate::py::{self as p, json::{self, JSONDecoder}};

fn main() {
    p::math::sqrt(2.0);
    json::dumps(1);
    JSONDecoder::new();
}
