type Frac = py::fractions::Fraction;
type Json = crate::py::json::JSONDecoder;

fn f() {
    Frac::new();
    let decoder: Json = Json::new().unwrap();
    mod_level::Alias::from_float(0.5);
}

mod mod_level {
    pub type Alias = super::py::fractions::Fraction;
}
