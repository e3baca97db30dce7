use py::fractions::Fraction;

trait Describe {
    fn describe(&self) -> String;
}

impl Describe for Fraction {
    fn describe(&self) -> String {
        Fraction::from_float(0.5).unwrap().to_string()
    }
}

impl<T> Describe for Vec<T>
where
    T: AsRef<py::statistics::NormalDist>,
{
    fn describe(&self) -> String {
        String::new()
    }
}
