//! Rust's format options on an [`Object`](crate::Object): `{:>12}`,
//! `{:.3}`, `{:+}`, `{:e}`. The rules are documented on `Object`.

use std::fmt;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyFloat, PyInt, PyType};

/// A Python number, as the format options see it.
enum Number<'py> {
    /// `int(object)`: exact at any size, and free of a subclass's own
    /// `__str__`, for the digits that a precision extends.
    Integer(Bound<'py, PyInt>),
    /// `float(object)`.
    Real(f64),
}

impl<'py> Number<'py> {
    /// `numbers.Integral` or `numbers.Real`, which numpy's scalars and
    /// sympy's numbers register with, so that `{:.3}` of a `numpy.float32`
    /// or a sympy `Float` rounds instead of cutting its text. A number
    /// that Python cannot convert (`float` of a huge `Fraction`), or a
    /// check that raises, leaves the object formatted as text.
    fn of(object: &Bound<'py, PyAny>) -> Option<Self> {
        static INTEGRAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        static REAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        // An int to Python, but printed as a word (`True`), as Rust's
        // `bool` is.
        if object.is_instance_of::<PyBool>() {
            return None;
        }
        if let Ok(int) = object.cast_exact::<PyInt>() {
            return Some(Number::Integer(int.clone()));
        }
        if object.is_instance_of::<PyFloat>() {
            return object.extract().ok().map(Number::Real);
        }
        let py = object.py();
        if object
            .is_instance(INTEGRAL.import(py, "numbers", "Integral").ok()?)
            .ok()?
        {
            let int = py.get_type::<PyInt>().call1((object,)).ok()?;
            return int.cast_into::<PyInt>().ok().map(Number::Integer);
        }
        if object
            .is_instance(REAL.import(py, "numbers", "Real").ok()?)
            .ok()?
        {
            return object.extract().ok().map(Number::Real);
        }
        None
    }
}

/// `Display`: Python's `str`, with the options applied.
pub(crate) fn display(object: &Bound<'_, PyAny>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if f.width().is_none() && f.precision().is_none() && !f.sign_plus() && !f.sign_aware_zero_pad()
    {
        return fmt::Display::fmt(object, f);
    }
    match (Number::of(object), f.precision()) {
        (Some(Number::Real(value)), Some(_)) if value.is_finite() => fmt::Display::fmt(&value, f),
        (Some(Number::Integer(int)), Some(0)) => pad_number(f, &int.to_string()),
        (Some(Number::Integer(int)), Some(precision)) => {
            pad_number(f, &format!("{int}.{:0<precision$}", ""))
        }
        (Some(_), _) => pad_number(f, &object.to_string()),
        (None, _) => f.pad(&object.to_string()),
    }
}

/// `LowerExp` and `UpperExp`: a number as Rust writes its value; anything
/// else as `Display` writes it, since `{:e}` has no meaning for text.
pub(crate) fn exponent(
    object: &Bound<'_, PyAny>,
    f: &mut fmt::Formatter<'_>,
    upper: bool,
) -> fmt::Result {
    match Number::of(object) {
        Some(Number::Integer(int)) => {
            // Rust's integers write every digit (`1.234e3`, no rounding
            // without a precision); beyond i128, the nearest f64 is what
            // Python's own `format(n, "e")` uses too.
            if let Ok(value) = int.extract::<i128>() {
                write_exponent(&value, f, upper)
            } else if let Ok(value) = int.extract::<f64>() {
                write_exponent(&value, f, upper)
            } else {
                pad_number(f, &object.to_string())
            }
        }
        Some(Number::Real(value)) if value.is_finite() => write_exponent(&value, f, upper),
        Some(Number::Real(_)) => pad_number(f, &object.to_string()),
        None => display(object, f),
    }
}

fn write_exponent<T>(value: &T, f: &mut fmt::Formatter<'_>, upper: bool) -> fmt::Result
where
    T: fmt::LowerExp + fmt::UpperExp,
{
    if upper {
        fmt::UpperExp::fmt(value, f)
    } else {
        fmt::LowerExp::fmt(value, f)
    }
}

/// Python's text of a number (`1e+20`, `nan`, `3/4`), with `+`, `0`,
/// width and alignment as Rust applies them to its own numbers: right
/// aligned unless told otherwise, zeros after the sign.
fn pad_number(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    match text.strip_prefix('-') {
        Some(magnitude) => f.pad_integral(false, "", magnitude),
        None => f.pad_integral(true, "", text),
    }
}
