use std::convert::Infallible;

use pyo3::prelude::*;
use pyo3::{Borrowed, IntoPyObjectExt};

use crate::call::{Args, Call};
use crate::error::Result;

/// An owned reference to a Python object, usable from any thread.
/// `Clone` takes a new reference; `Display` is Python's `str()` and
/// `Debug` its `repr()`.
pub struct Object(Py<PyAny>);

/// A value a Python call accepts: anything pyo3 converts (numbers, `&str`,
/// `String`, `bool`, `Vec`, maps, tuples, `Option`), [`Object`]s and the
/// generated wrappers.
pub trait IntoPy {
    /// Converts to a Python object owned by the attached thread.
    fn into_bound_any<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

impl<T> IntoPy for T
where
    T: for<'py> IntoPyObject<'py>,
{
    fn into_bound_any<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.into_bound_py_any(py)
    }
}

impl Object {
    /// Converts a Rust value to a Python object.
    pub fn new(value: impl IntoPy) -> Result<Object> {
        Python::attach(|py| Ok(Object(value.into_bound_any(py)?.unbind())))
    }

    /// The object as pyo3 sees it, for code that uses pyo3 directly.
    pub fn bind<'py>(&self, py: Python<'py>) -> &Bound<'py, PyAny> {
        self.0.bind(py)
    }

    /// The pyo3 reference, for code that uses pyo3 directly.
    pub fn into_inner(self) -> Py<PyAny> {
        self.0
    }

    /// `self.name`
    pub fn getattr(&self, name: &str) -> Result<Object> {
        Python::attach(|py| Ok(Object(self.0.bind(py).getattr(name)?.unbind())))
    }

    /// `self(*args)`
    pub fn call(&self, args: impl Args) -> Result<Object> {
        Python::attach(|py| Ok(Object(args.call(self.0.bind(py))?.unbind())))
    }

    /// `self.name(*args)`
    pub fn call_method(&self, name: &str, args: impl Args) -> Result<Object> {
        Python::attach(|py| Ok(Object(args.call_method(self.0.bind(py), name)?.unbind())))
    }

    /// `call_method` with the result converted, in one attachment.
    pub fn call_method_extract<T>(&self, name: &str, args: impl Args) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py>,
    {
        Python::attach(|py| crate::library::extract(py, args.call_method(self.0.bind(py), name)?))
    }

    /// A pending call of the method `name`, for keyword arguments.
    pub fn call_method_with(&self, name: &str) -> Call {
        Call::new(self.getattr(name))
    }

    /// Converts to a Rust value: `f64`, `i64`, `String`, `Vec<f64>`, ...
    pub fn extract<T>(&self) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py>,
    {
        Python::attach(|py| crate::library::extract(py, self.0.bind(py).clone()))
    }
}

impl From<Py<PyAny>> for Object {
    #[inline]
    fn from(object: Py<PyAny>) -> Self {
        Object(object)
    }
}

impl<'py> From<Bound<'py, PyAny>> for Object {
    #[inline]
    fn from(object: Bound<'py, PyAny>) -> Self {
        Object(object.unbind())
    }
}

impl Clone for Object {
    fn clone(&self) -> Self {
        Python::attach(|py| Object(self.0.clone_ref(py)))
    }
}

/// Python's `str()`. A `__str__` that raises shows as
/// `<unprintable T object>` (and is reported like an unraisable exception)
/// instead of making `format!` panic.
impl std::fmt::Display for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Python::attach(|py| std::fmt::Display::fmt(self.0.bind(py), f))
    }
}

/// Python's `repr()`, with the same fallback as `Display`.
impl std::fmt::Debug for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Python::attach(|py| std::fmt::Debug::fmt(self.0.bind(py), f))
    }
}

/// Python's `==` (its truth value) between hashable objects, so that
/// objects can be keys of a `HashMap` (sympy's `subs({x: 2})`, the dict
/// `solve` returns). The same object is always equal to itself (unlike
/// `nan == nan`), and unhashable objects (lists, numpy arrays) are equal
/// only to themselves, consistently with their identity hash.
/// [`Object::eq`] is Python's `==` for any objects, with the error kept.
impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        Python::attach(|py| {
            let (this, other) = (self.0.bind(py), other.0.bind(py));
            // Identity first, as Python's containers do: `Eq` must be
            // reflexive, and `nan == nan` is false. Unhashable objects
            // (lists, numpy arrays) hash by identity, so they are equal by
            // identity only, or equal keys could hash apart.
            this.is(other)
                || (this.hash().is_ok() && other.hash().is_ok() && this.eq(other).unwrap_or(false))
        })
    }
}

impl Eq for Object {}

/// Python's `hash()`, consistent with `==` as Python requires; an
/// unhashable object (a list, a numpy array) hashes by identity, and a
/// Python call that needs it hashed (a `dict` built from a `HashMap`) raises
/// Python's `TypeError`.
impl std::hash::Hash for Object {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Python::attach(|py| {
            let this = self.0.bind(py);
            match this.hash() {
                Ok(hash) => hash.hash(state),
                Err(_) => this.as_ptr().hash(state),
            }
        })
    }
}

impl<'py> IntoPyObject<'py> for Object {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = Infallible;

    fn into_pyobject(self, py: Python<'py>) -> std::result::Result<Self::Output, Self::Error> {
        Ok(self.0.into_bound(py))
    }
}

impl<'a, 'py> IntoPyObject<'py> for &'a Object {
    type Target = PyAny;
    type Output = Borrowed<'a, 'py, PyAny>;
    type Error = Infallible;

    fn into_pyobject(self, py: Python<'py>) -> std::result::Result<Self::Output, Self::Error> {
        Ok(self.0.bind_borrowed(py))
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for Object {
    type Error = Infallible;

    fn extract(object: Borrowed<'a, 'py, PyAny>) -> std::result::Result<Self, Self::Error> {
        Ok(Object(object.to_owned().unbind()))
    }
}
