fn f<T: Into<py::fractions::Fraction>>(value: T) -> Option<py::json::JSONDecoder>
where
    T: From<py::statistics::NormalDist>,
{
    let list = Vec::<py::numpy::ndarray>::new();
    let copy = <py::fractions::Fraction as Clone>::clone(&value.into());
    None
}
