//! The `numpy` feature: Rust arrays to numpy and back through their memory.

use std::convert::Infallible;

use numpy::ndarray::{
    ArrayBase, ArrayD, ArrayViewD, ArrayViewMut, ArrayViewMut1, Data, DataMut, Dimension, Ix1,
    OwnedRepr, ViewRepr,
};
use numpy::{
    Element, IntoPyArray, PyArray, PyArrayDyn, PyArrayMethods, PyUntypedArray,
    PyUntypedArrayMethods, ToPyArray,
};
use pyo3::prelude::*;

use crate::error::{Error, Result};
use crate::object::Object;

/// A Rust array on its way to numpy: an argument that Python receives as
/// a `numpy.ndarray` of the same element type and shape, where the plain
/// value would be a list. Made by [`numpy_array`].
#[derive(Clone, Copy, Debug)]
pub struct NumpyArray<A>(A);

/// `array` as a numpy array, for a call's argument. An owned `Vec` or
/// `ndarray::Array` moves into numpy without a copy (its memory stays
/// Rust's allocation, freed when numpy drops the array); a slice, a `&Vec`,
/// an `ndarray` view or a reference to an `ndarray` array is copied once,
/// by one `memcpy` when contiguous.
///
/// ```no_run
/// let samples: Vec<f64> = (0..1_000_000).map(|i| i as f64).collect();
/// let mean = snakegen::dynamic::call("numpy", "mean", (snakegen::numpy_array(samples),))?;
/// assert_eq!(mean.extract::<f64>()?, 499_999.5);
/// # Ok::<(), snakegen::Error>(())
/// ```
pub fn numpy_array<A: IntoNumpy>(array: A) -> NumpyArray<A> {
    NumpyArray(array)
}

/// What [`numpy_array`] accepts, and how each becomes a numpy array.
pub trait IntoNumpy {
    /// The element type (numpy's dtype).
    type Element: Element;
    /// The number of dimensions.
    type Dim: Dimension;
    /// The numpy array.
    fn into_numpy<'py>(self, py: Python<'py>) -> Bound<'py, PyArray<Self::Element, Self::Dim>>;
}

/// Moved, not copied.
impl<T: Element> IntoNumpy for Vec<T> {
    type Element = T;
    type Dim = Ix1;
    fn into_numpy<'py>(self, py: Python<'py>) -> Bound<'py, PyArray<T, Ix1>> {
        self.into_pyarray(py)
    }
}

/// Moved, not copied.
impl<T: Element, D: Dimension> IntoNumpy for ArrayBase<OwnedRepr<T>, D> {
    type Element = T;
    type Dim = D;
    fn into_numpy<'py>(self, py: Python<'py>) -> Bound<'py, PyArray<T, D>> {
        self.into_pyarray(py)
    }
}

/// One `memcpy`.
impl<T: Element> IntoNumpy for &[T] {
    type Element = T;
    type Dim = Ix1;
    fn into_numpy<'py>(self, py: Python<'py>) -> Bound<'py, PyArray<T, Ix1>> {
        PyArray::from_slice(py, self)
    }
}

/// One `memcpy`.
impl<T: Element> IntoNumpy for &Vec<T> {
    type Element = T;
    type Dim = Ix1;
    fn into_numpy<'py>(self, py: Python<'py>) -> Bound<'py, PyArray<T, Ix1>> {
        PyArray::from_slice(py, self)
    }
}

/// One `memcpy` when the view is contiguous, element by element otherwise.
impl<T: Element, D: Dimension> IntoNumpy for ArrayBase<ViewRepr<&T>, D> {
    type Element = T;
    type Dim = D;
    fn into_numpy<'py>(self, py: Python<'py>) -> Bound<'py, PyArray<T, D>> {
        self.to_pyarray(py)
    }
}

/// One `memcpy` when the array is contiguous, element by element otherwise.
impl<T: Element, S: Data<Elem = T>, D: Dimension> IntoNumpy for &ArrayBase<S, D> {
    type Element = T;
    type Dim = D;
    fn into_numpy<'py>(self, py: Python<'py>) -> Bound<'py, PyArray<T, D>> {
        self.to_pyarray(py)
    }
}

impl<'py, A: IntoNumpy> IntoPyObject<'py> for NumpyArray<A> {
    type Target = PyArray<A::Element, A::Dim>;
    type Output = Bound<'py, Self::Target>;
    type Error = Infallible;

    fn into_pyobject(self, py: Python<'py>) -> std::result::Result<Self::Output, Self::Error> {
        Ok(self.0.into_numpy(py))
    }
}

/// Rust memory that [`lend_to_numpy`] can lend: a slice, a `Vec` or an
/// `ndarray` array or mutable view.
pub trait LendToNumpy {
    /// The element type (numpy's dtype).
    type Element: Element;
    /// The number of dimensions.
    type Dim: Dimension;
    /// The memory as a mutable view, which keeps its strides.
    fn lend_view(&mut self) -> ArrayViewMut<'_, Self::Element, Self::Dim>;
}

impl<T: Element> LendToNumpy for [T] {
    type Element = T;
    type Dim = Ix1;
    fn lend_view(&mut self) -> ArrayViewMut<'_, T, Ix1> {
        ArrayViewMut1::from(self)
    }
}

impl<T: Element> LendToNumpy for Vec<T> {
    type Element = T;
    type Dim = Ix1;
    fn lend_view(&mut self) -> ArrayViewMut<'_, T, Ix1> {
        ArrayViewMut1::from(self.as_mut_slice())
    }
}

impl<T: Element, S: DataMut<Elem = T>, D: Dimension> LendToNumpy for ArrayBase<S, D> {
    type Element = T;
    type Dim = D;
    fn lend_view(&mut self) -> ArrayViewMut<'_, T, D> {
        self.view_mut()
    }
}

/// Lends Rust memory to numpy for the length of `f`: `f` gets a writable
/// `numpy.ndarray` over `data` itself, no copy either way, so numpy's
/// in-place operations (`out=`, `a *= 2`, `sort()`) change `data`.
///
/// The array must not outlive the loan: when `f` returns, nothing may
/// refer to it any more, neither an [`Object`] kept in Rust (drop what
/// `out=` returns) nor a Python object (a view, a list it was appended
/// to). If something still does, the process aborts with a message, as
/// Python could otherwise read memory that Rust has freed.
///
/// ```no_run
/// let mut samples = vec![3.0, 1.0, 2.0];
/// snakegen::lend_to_numpy(&mut samples, |array| {
///     array.call_method("sort", ())?;
///     snakegen::dynamic::call_with("numpy", "multiply")
///         .args([array, array])
///         .kwarg("out", array)
///         .call()?;
///     Ok(())
/// })?;
/// assert_eq!(samples, [1.0, 4.0, 9.0]);
/// # Ok::<(), snakegen::Error>(())
/// ```
pub fn lend_to_numpy<A, R>(data: &mut A, f: impl FnOnce(&Object) -> Result<R>) -> Result<R>
where
    A: LendToNumpy + ?Sized,
{
    let view = data.lend_view();
    crate::attach(|py| {
        // SAFETY: the array points into `view`, which stays borrowed, and
        // so neither moves nor is freed, until the array is gone: `Loan`
        // checks that on its way out, a panic in `f` included.
        let array = unsafe { PyArray::borrow_from_array(&view, py.None().into_bound(py)) };
        let loan = Loan {
            py,
            array: Object::from(array.into_any()),
        };
        f(&loan.array)
    })
}

/// The array of [`lend_to_numpy`], which must be its only reference when
/// the loan ends.
struct Loan<'py> {
    py: Python<'py>,
    array: Object,
}

impl Drop for Loan<'_> {
    fn drop(&mut self) {
        // SAFETY: a valid object pointer, read while attached.
        let references = unsafe { pyo3::ffi::Py_REFCNT(self.array.bind(self.py).as_ptr()) };
        if references != 1 {
            eprintln!(
                "snakegen: the numpy array lent by `lend_to_numpy` is still referenced after the loan ({} other references): aborting, since Python could read Rust's memory after it is freed",
                references - 1
            );
            std::process::abort();
        }
    }
}

impl Object {
    /// Copies a numpy array of element type `T`, any shape, into an
    /// `ndarray` array: one `memcpy` when it is contiguous. Another dtype
    /// is an error (convert in numpy first: `astype`).
    pub fn to_ndarray<T: Element + Clone>(&self) -> Result<ArrayD<T>> {
        self.with_ndarray(|view| view.to_owned())
    }

    /// Runs `f` on a read-only view of a numpy array of element type `T`,
    /// without a copy: `view.as_slice()` is numpy's memory when the array
    /// is contiguous. Attached meanwhile; numpy's borrow checking rejects
    /// an array that Rust is writing to at the same time.
    pub fn with_ndarray<T: Element, R>(&self, f: impl FnOnce(ArrayViewD<'_, T>) -> R) -> Result<R> {
        crate::attach(|py| {
            let value = self.bind(py);
            let array = value.cast::<PyArrayDyn<T>>().map_err(|_| {
                let found = match value.cast::<PyUntypedArray>() {
                    Ok(array) => format!("a numpy array of {}", array.dtype()),
                    Err(_) => value
                        .get_type()
                        .name()
                        .map(|name| name.to_string())
                        .unwrap_or_default(),
                };
                Error::argument(format!(
                    "expected a numpy array of {}, found {found}",
                    T::get_dtype(py)
                ))
            })?;
            let view = array
                .try_readonly()
                .map_err(|error| Error::argument(error.to_string()))?;
            Ok(f(view.as_array()))
        })
    }
}
