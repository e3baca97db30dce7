use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::error::{Error, Result};
use crate::object::{IntoPy, Object};

/// Positional arguments: a tuple of up to twelve [`IntoPy`] values. They
/// go to Python as a pyo3 tuple, which pyo3 passes by vectorcall without
/// building a Python tuple.
pub trait Args {
    /// Calls `callee` with these arguments.
    fn call<'py>(self, callee: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>>;
    /// Calls the method `name` of `receiver` with these arguments.
    fn call_method<'py>(
        self,
        receiver: &Bound<'py, PyAny>,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>>;
    /// Converts each argument, in order.
    fn into_vec(self, py: Python<'_>) -> PyResult<Vec<Py<PyAny>>>;
}

macro_rules! tuple_args {
    ($($name:ident)*) => {
        impl<$($name: IntoPy),*> Args for ($($name,)*) {
            #[allow(non_snake_case, unused_variables)]
            #[inline(always)]
            fn call<'py>(self, callee: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
                let py = callee.py();
                let ($($name,)*) = self;
                callee.call1(($($name.into_bound_any(py)?,)*))
            }

            #[allow(non_snake_case, unused_variables)]
            fn call_method<'py>(self, receiver: &Bound<'py, PyAny>, name: &str) -> PyResult<Bound<'py, PyAny>> {
                let py = receiver.py();
                let ($($name,)*) = self;
                receiver.call_method1(name, ($($name.into_bound_any(py)?,)*))
            }

            #[allow(non_snake_case, unused_variables)]
            fn into_vec(self, py: Python<'_>) -> PyResult<Vec<Py<PyAny>>> {
                let ($($name,)*) = self;
                Ok(vec![$($name.into_bound_any(py)?.unbind(),)*])
            }
        }
    };
}

tuple_args!();
tuple_args!(A);
tuple_args!(A B);
tuple_args!(A B C);
tuple_args!(A B C D);
tuple_args!(A B C D E);
tuple_args!(A B C D E F);
tuple_args!(A B C D E F G);
tuple_args!(A B C D E F G H);
tuple_args!(A B C D E F G H I);
tuple_args!(A B C D E F G H I J);
tuple_args!(A B C D E F G H I J K);
tuple_args!(A B C D E F G H I J K L);

/// A call being assembled: positional arguments (some by position, for
/// optional positional-only parameters), `*args`, keywords and `**kwargs`.
/// A conversion that fails is kept and reported by [`Call::call`], so the
/// builder chain stays free of `?`.
#[must_use = "a call does nothing until `.call()`"]
pub struct Call {
    callee: Result<Object>,
    positional: Vec<Option<Py<PyAny>>>,
    var_positional: Vec<Py<PyAny>>,
    keywords: Vec<(String, Py<PyAny>)>,
    /// How many leading positional arguments [`Call::positional`] gave,
    /// which no setter may replace.
    given: usize,
    error: Option<Error>,
}

impl Call {
    pub(crate) fn new(callee: Result<Object>) -> Self {
        Call {
            callee,
            positional: Vec::new(),
            var_positional: Vec::new(),
            keywords: Vec::new(),
            given: 0,
            error: None,
        }
    }

    /// Appends a positional argument.
    pub fn arg(self, value: impl IntoPy) -> Self {
        let index = self.positional.len();
        self.arg_at(index, value)
    }

    /// Appends positional arguments, a tuple as [`Args`] takes it: what
    /// `call!` passes, Python's positional arguments as written. They fill
    /// the callee's parameters in order; Python checks how many it takes.
    pub fn positional(mut self, args: impl Args) -> Self {
        if self.error.is_some() {
            return self;
        }
        match crate::attach(|py| {
            args.into_vec(py)
                .map_err(|error| Error::from_py(py, &error))
        }) {
            Ok(values) => {
                self.positional.extend(values.into_iter().map(Some));
                self.given = self.positional.len();
            }
            Err(error) => self.error = Some(error),
        }
        self
    }

    /// Sets the positional argument at `index` (0-based). Every position
    /// before it must be set too when the call is made. A position that
    /// [`Call::positional`] filled is Python's "multiple values" error.
    pub fn arg_at(mut self, index: usize, value: impl IntoPy) -> Self {
        if index < self.given {
            if self.error.is_none() {
                self.error = Some(Error::argument(format!(
                    "positional argument {index} is given twice: in the call's positional arguments and by its setter"
                )));
            }
            return self;
        }
        if let Some(value) = self.convert(value) {
            if self.positional.len() <= index {
                self.positional.resize_with(index + 1, || None);
            }
            self.positional[index] = Some(value);
        }
        self
    }

    /// Appends to `*args`, after every positional argument.
    pub fn args(mut self, values: impl IntoIterator<Item = impl IntoPy>) -> Self {
        for value in values {
            if let Some(value) = self.convert(value) {
                self.var_positional.push(value);
            }
        }
        self
    }

    /// Sets the keyword argument `name`.
    pub fn kwarg(mut self, name: &str, value: impl IntoPy) -> Self {
        if let Some(value) = self.convert(value) {
            self.keywords.push((name.to_owned(), value));
        }
        self
    }

    /// Adds to `**kwargs`.
    pub fn kwargs(
        mut self,
        values: impl IntoIterator<Item = (impl AsRef<str>, impl IntoPy)>,
    ) -> Self {
        for (name, value) in values {
            if let Some(value) = self.convert(value) {
                self.keywords.push((name.as_ref().to_owned(), value));
            }
        }
        self
    }

    /// Calls and converts the result, in one attachment.
    pub fn call_extract<T>(self) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py> + 'static,
    {
        crate::attach(|py| crate::library::extract(py, self.call_bound(py)?))
    }

    /// Calls Python. An argument that failed to convert, or a positional
    /// slot left unset before a set one, is reported here.
    pub fn call(self) -> Result<Object> {
        crate::attach(|py| self.call_bound(py).map(Object::from))
    }

    fn call_bound(self, py: Python<'_>) -> Result<Bound<'_, PyAny>> {
        let callee = self.callee?;
        if let Some(error) = self.error {
            return Err(error);
        }
        if let Some(missing) = self.positional.iter().position(Option::is_none) {
            return Err(Error::argument(format!(
                "positional argument {missing} is not set, but a later one is: Python passes positional arguments in order"
            )));
        }
        let positional: Vec<Py<PyAny>> = self
            .positional
            .into_iter()
            .flatten()
            .chain(self.var_positional)
            .collect();
        let args = PyTuple::new(py, positional)?;
        let keywords = PyDict::new(py);
        for (name, value) in self.keywords {
            keywords.set_item(name, value)?;
        }
        Ok(callee.bind(py).call(args, Some(&keywords))?)
    }

    fn convert(&mut self, value: impl IntoPy) -> Option<Py<PyAny>> {
        if self.error.is_some() {
            return None;
        }
        match crate::attach(|py| {
            value
                .into_bound_any(py)
                .map(Bound::unbind)
                .map_err(|error| Error::from_py(py, &error))
        }) {
            Ok(value) => Some(value),
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }
}

/// A pending call with nothing to set but its positional arguments: what
/// `call!` reaches for a callable without a builder of its own. `.call()`
/// calls Python and converts the result as the direct function does.
#[must_use = "a call does nothing until `.call()`"]
pub struct Pending<T> {
    call: Call,
    finish: fn(Call) -> Result<T>,
}

impl<T> Pending<T> {
    /// The call, and how its result is converted.
    pub fn new(call: Call, finish: fn(Call) -> Result<T>) -> Self {
        Pending { call, finish }
    }

    /// Calls Python.
    pub fn call(self) -> Result<T> {
        (self.finish)(self.call)
    }
}
