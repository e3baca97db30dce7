use py::fractions;

struct Holder {
    value: py::fractions::Fraction,
}

fn take(x: &fractions::Fraction, y: Option<py::decimal_like::Thing>) -> Vec<py::json::JSONDecoder> {
    let py::statistics::NormalDist { .. } = todo!();
    vec![]
}

impl From<py::fractions::Fraction> for Holder {
    fn from(value: py::fractions::Fraction) -> Self {
        Holder { value }
    }
}
