use std::convert::Infallible;

use pyo3::prelude::*;
use pyo3::{Borrowed, IntoPyObjectExt};

use crate::call::{Args, Call};
use crate::error::Result;

/// An owned reference to a Python object, usable from any thread.
/// `Clone` takes a new reference; `Display` is Python's `str()` and
/// `Debug` its `repr()`.
///
/// # Formatting
///
/// `Display` applies Rust's format options to Python's `str`:
///
/// - Width, fill and alignment pad the text as they pad a `&str`
///   (`{:>12}`, `{:*^9}`: left-aligned unless told otherwise), and a
///   precision cuts it to that many characters (`{:.10}`).
/// - A number pads as Rust's numbers do: right-aligned unless told
///   otherwise, `{:+}` writes the sign, `{:08}` puts zeros after the
///   sign. A number is a Python `int` or `float`, or an object of a class
///   registered as `numbers.Integral` or `numbers.Real` (numpy's scalars,
///   sympy's `Integer`, `Rational` and `Float`, `Fraction`), but not a
///   `bool`. Without a precision its text is Python's (`1e+20`, `3/4`).
///   A precision rounds its value as Rust's `{:.N}` rounds an `f64`
///   (`{:.3}` of `math.pi` is `3.142`, the digits of Python's
///   `f"{x:.3f}"`); an integer gets zeros, as an `f64` would (`{:.2}` of
///   `3` is `3.00`), keeping all of its digits however large. `nan`,
///   `inf` and `-inf` keep Python's spelling, whatever the precision.
/// - `{:e}` and `{:E}` write a number's value as Rust writes an `f64`
///   (`{:.2e}` of `1234.5` is `1.23e3`; an integer as an `i128` would be,
///   all its digits kept), and anything else as `Display` does.
/// - `Debug` is the `repr` as it is, whatever the options.
///
/// ```no_run
/// use snakegen::Object;
///
/// let pi = snakegen::dynamic::getattr("math", "pi")?;
/// assert_eq!(format!("{pi:.3}|{pi:>8.2}|{pi:+.1e}"), "3.142|    3.14|+3.1e0");
/// let word = Object::new("snake")?;
/// assert_eq!(format!("{word:>7}|{word:.3}|{word:-^9}"), "  snake|sna|--snake--");
/// # Ok::<(), snakegen::Error>(())
/// ```
///
/// # Attaching, and locks
///
/// `Clone`, the formatting traits (`Display`, `Debug`, `LowerExp`,
/// `UpperExp`), `PartialEq` and `Hash` attach to the interpreter by
/// themselves, as every call does, and so do what is built on them:
/// `clone()`, `to_string()`, `format!`, `==`, a `HashMap` or `HashSet` of
/// objects. On a thread that is not attached already, that
/// waits for Python's global interpreter lock (GIL). Waiting for the GIL
/// while holding a lock of your own can deadlock: thread A holds a `Mutex`
/// and clones an `Object`, so it waits for the GIL, while thread B holds
/// the GIL and waits for the `Mutex`. (Dropping an `Object` never waits.)
///
/// Two rules avoid it:
///
/// - A thread that is attached waits for a lock detached, so that the
///   thread holding it can attach meanwhile: [`MutexExt::lock_py_attached`]
///   does, for a `std::sync::Mutex`.
/// - Under a lock, attach first and use the variants that take the
///   attached thread's token, which cannot attach by themselves:
///   [`clone_ref`](Object::clone_ref) for `Clone`, [`str`](Object::str)
///   and [`repr`](Object::repr) for `Display` and `Debug` (or format
///   [`bind`](Object::bind)`(py)`, which falls back as they do but
///   ignores the format options),
///   [`eq_key`](Object::eq_key) for `PartialEq` and
///   [`hash_key`](Object::hash_key) for `Hash`.
///
/// ```no_run
/// use std::sync::Mutex;
///
/// use snakegen::{MutexExt, Object};
///
/// let shared = Mutex::new(Object::new("text")?);
/// let (copy, text) = snakegen::attach(|py| -> snakegen::Result<_> {
///     let guard = shared.lock_py_attached(py).unwrap();
///     Ok((guard.clone_ref(py), guard.str(py)?))
/// })?;
/// # Ok::<(), snakegen::Error>(())
/// ```
///
/// [`MutexExt::lock_py_attached`]: crate::MutexExt::lock_py_attached
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
        crate::attach(|py| Ok(Object(value.into_bound_any(py)?.unbind())))
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
        crate::attach(|py| Ok(Object(self.0.bind(py).getattr(name)?.unbind())))
    }

    /// `self(*args)`
    pub fn call(&self, args: impl Args) -> Result<Object> {
        crate::attach(|py| Ok(Object(args.call(self.0.bind(py))?.unbind())))
    }

    /// `self.name(*args)`
    pub fn call_method(&self, name: &str, args: impl Args) -> Result<Object> {
        crate::attach(|py| Ok(Object(args.call_method(self.0.bind(py), name)?.unbind())))
    }

    /// `call_method` with the result converted, in one attachment.
    pub fn call_method_extract<T>(&self, name: &str, args: impl Args) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py> + 'static,
    {
        crate::attach(|py| crate::library::extract(py, args.call_method(self.0.bind(py), name)?))
    }

    /// A pending call of the method `name`, for keyword arguments.
    pub fn call_method_with(&self, name: &str) -> Call {
        Call::new(self.getattr(name))
    }

    /// Converts to a Rust value: `f64`, `i64`, `String`, `Vec<f64>`, ...
    pub fn extract<T>(&self) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py> + 'static,
    {
        crate::attach(|py| crate::library::extract(py, self.0.bind(py).clone()))
    }

    /// `Clone` on a thread that is attached: a new reference to the same
    /// object.
    pub fn clone_ref(&self, py: Python<'_>) -> Object {
        Object(self.0.clone_ref(py))
    }

    /// Python's `str(self)`, as `Display` writes it, but with the error of
    /// a `__str__` that raises.
    pub fn str(&self, py: Python<'_>) -> Result<String> {
        Ok(self.0.bind(py).str()?.to_string_lossy().into_owned())
    }

    /// Python's `repr(self)`, as `Debug` writes it, but with the error of
    /// a `__repr__` that raises.
    pub fn repr(&self, py: Python<'_>) -> Result<String> {
        Ok(self.0.bind(py).repr()?.to_string_lossy().into_owned())
    }

    /// `PartialEq` on a thread that is attached: whether the two are the
    /// same key of a `HashMap`. Python's `==` where both are hashable, and
    /// identity otherwise; the same object is always equal to itself.
    /// [`eq`](Object::eq) is Python's `==` for any objects.
    pub fn eq_key(&self, py: Python<'_>, other: &Object) -> bool {
        let (this, other) = (self.0.bind(py), other.0.bind(py));
        // Identity first, as Python's containers do: `Eq` must be
        // reflexive, and `nan == nan` is false. Unhashable objects (lists,
        // numpy arrays) hash by identity, so they are equal by identity
        // only, or equal keys could hash apart.
        this.is(other)
            || (this.hash().is_ok() && other.hash().is_ok() && this.eq(other).unwrap_or(false))
    }

    /// What `Hash` hashes, on a thread that is attached: Python's
    /// `hash(self)`, or the object's identity (its address, as `id()`)
    /// when it is unhashable. Equal by [`eq_key`](Object::eq_key) means
    /// the same `hash_key`.
    pub fn hash_key(&self, py: Python<'_>) -> isize {
        let this = self.0.bind(py);
        this.hash().unwrap_or_else(|_| this.as_ptr() as isize)
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

/// Attaches; see [`Object::clone_ref`] for code that holds a lock.
impl Clone for Object {
    fn clone(&self) -> Self {
        crate::attach(|py| self.clone_ref(py))
    }
}

/// Python's `str()`, with Rust's format options (see
/// [formatting](Object#formatting)). A `__str__` that raises shows as
/// `<unprintable T object>` (and is reported like an unraisable exception)
/// instead of making `format!` panic. Attaches; see [`Object::str`] for
/// code that holds a lock.
impl std::fmt::Display for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::attach(|py| crate::format::display(self.0.bind(py), f))
    }
}

/// `{:e}`: a number's value as Rust writes an `f64` (an `i128` for an
/// `int`), anything else as `Display` (see [formatting](Object#formatting)).
/// Attaches.
impl std::fmt::LowerExp for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::attach(|py| crate::format::exponent(self.0.bind(py), f, false))
    }
}

/// `{:E}`: as `{:e}`, with a capital `E`. Attaches.
impl std::fmt::UpperExp for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::attach(|py| crate::format::exponent(self.0.bind(py), f, true))
    }
}

/// Python's `repr()`, with the same fallback as `Display`. Attaches; see
/// [`Object::repr`] for code that holds a lock.
impl std::fmt::Debug for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::attach(|py| std::fmt::Debug::fmt(self.0.bind(py), f))
    }
}

/// Python's `==` (its truth value) between hashable objects, so that
/// objects can be keys of a `HashMap` (sympy's `subs({x: 2})`, the dict
/// `solve` returns). The same object is always equal to itself (unlike
/// `nan == nan`), and unhashable objects (lists, numpy arrays) are equal
/// only to themselves, consistently with their identity hash.
/// [`Object::eq`] is Python's `==` for any objects, with the error kept.
/// Attaches; see [`Object::eq_key`] for code that holds a lock.
impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        crate::attach(|py| self.eq_key(py, other))
    }
}

impl Eq for Object {}

/// Python's `hash()`, consistent with `==` as Python requires; an
/// unhashable object (a list, a numpy array) hashes by identity, and a
/// Python call that needs it hashed (a `dict` built from a `HashMap`) raises
/// Python's `TypeError`. Attaches; see [`Object::hash_key`] for code that
/// holds a lock.
impl std::hash::Hash for Object {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        crate::attach(|py| self.hash_key(py)).hash(state);
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
