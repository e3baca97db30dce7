//! Python's `with` statement.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use crate::callback::{RustPanic, raise};
use crate::error::{Error, Result};
use crate::object::Object;

impl Object {
    /// Python's `with self as value: body(value)`: calls `__enter__`, runs
    /// `body` with what it returned, then `__exit__`.
    ///
    /// - On success `__exit__(None, None, None)`, and the body's value
    ///   comes back as `Ok(Some(value))`.
    /// - When the body returns `Err`, `__exit__` gets that error as its
    ///   exception: Python's own exception for a [`snakegen::Error`](Error)
    ///   that Python raised, otherwise a `snakegen.RustError` that carries
    ///   your error (as a callback's error does). When `__exit__` returns
    ///   true the error is suppressed and `with` returns `Ok(None)`, as
    ///   Python goes on after the `with` block; otherwise the error comes
    ///   back as an [`Error`] (whose `source()` is your error).
    /// - An `__exit__` that raises is that exception, with the body's error
    ///   as its context, as Python reports it ("During handling of the
    ///   above exception, another exception occurred").
    /// - A panic in the body calls `__exit__` with a `snakegen.RustPanic`
    ///   (so a file is closed, a transaction rolled back), then goes on
    ///   unwinding.
    ///
    /// The body runs detached from the interpreter, so that other Python
    /// threads go on meanwhile (hence `Send`); the snakegen calls inside
    /// attach again with the same Python thread state, so state that
    /// Python keeps per thread (`decimal.localcontext`'s precision) holds
    /// inside the body as it would in Python.
    ///
    /// ```no_run
    /// let file = snakegen::dynamic::call("builtins", "open", ("notes.txt", "w"))?;
    /// file.with(|file| file.call_method("write", ("written inside with\n",)))?;
    /// # Ok::<(), snakegen::Error>(())
    /// ```
    pub fn with<T, E>(
        &self,
        body: impl FnOnce(Object) -> std::result::Result<T, E> + Send,
    ) -> Result<Option<T>>
    where
        T: Send,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + Send,
    {
        crate::attach(|py| {
            let manager = self.bind(py);
            let kind = manager.get_type();
            let (Ok(enter), Ok(exit)) = (kind.getattr("__enter__"), kind.getattr("__exit__"))
            else {
                let name = kind.qualname()?;
                return Err(PyTypeError::new_err(format!(
                    "'{name}' object does not support the context manager protocol"
                ))
                .into());
            };
            let value = Object::from(enter.call1((manager,))?);
            let error = match py.detach(|| catch_unwind(AssertUnwindSafe(|| body(value)))) {
                Ok(Ok(value)) => {
                    exit.call1((manager, py.None(), py.None(), py.None()))?;
                    return Ok(Some(value));
                }
                Ok(Err(error)) => raise(py, error.into()),
                Err(panic) => {
                    let exception = RustPanic::new_err("a Rust panic inside `with`");
                    // The panic goes on whatever `__exit__` says or raises.
                    let _ = call_exit(&exit, manager, &exception);
                    resume_unwind(panic)
                }
            };
            match call_exit(&exit, manager, &error) {
                Ok(true) => Ok(None),
                Ok(false) => Err(Error::from_py(py, &error)),
                Err(exit_error) => {
                    let raised = exit_error.value(py);
                    if raised
                        .getattr("__context__")
                        .is_ok_and(|context| context.is_none())
                    {
                        raised.setattr("__context__", error.value(py))?;
                    }
                    Err(Error::from_py(py, &exit_error))
                }
            }
        })
    }
}

/// `__exit__(type, value, traceback)` for `exception`, and whether it
/// suppressed it.
fn call_exit(
    exit: &Bound<'_, PyAny>,
    manager: &Bound<'_, PyAny>,
    exception: &PyErr,
) -> PyResult<bool> {
    let py = exit.py();
    exit.call1((
        manager,
        exception.get_type(py),
        exception.value(py),
        exception.traceback(py),
    ))?
    .is_truthy()
}
