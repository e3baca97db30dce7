//! Python functions that read their caller's frame
//! (`inspect.currentframe().f_back`, `sys._getframe(1)`), such as sympy's
//! `lambdify`, find none when Rust calls them: a call from native code has
//! no Python frame below it, so `f_back` is `None` and they raise
//! `AttributeError`. Such functions are called through a Python function
//! that stands in for the caller's frame, as a Python script's would.
//! Which functions need it is read once, when the callable is looked up,
//! from the names their code uses; every other call is direct.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

/// `function` itself, or, when its code reads its caller's frame, a
/// `functools.wraps` wrapper that calls it from a Python frame.
pub(crate) fn with_caller_frame<'py>(function: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if !reads_caller_frame(&function) {
        return Ok(function);
    }
    static WRAP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = function.py();
    let wrap = WRAP.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        let module = PyModule::from_code(
            py,
            c"import functools\n\
def wrap(function):\n    \
    @functools.wraps(function)\n    \
    def called_from_python(*args, **kwargs):\n        \
        return function(*args, **kwargs)\n    \
    return called_from_python\n",
            c"<snakegen>",
            c"snakegen_frame",
        )?;
        Ok(module.getattr("wrap")?.unbind())
    })?;
    wrap.bind(py).call1(PyTuple::new(py, [function])?)
}

/// Whether the code of a Python function names `f_back` or `_getframe`
/// (C functions and classes have no `__code__`, and never do).
fn reads_caller_frame(function: &Bound<'_, PyAny>) -> bool {
    let Ok(names) = function
        .getattr("__code__")
        .and_then(|code| code.getattr("co_names"))
    else {
        return false;
    };
    let Ok(names) = names.cast_into::<PyTuple>() else {
        return false;
    };
    names.iter().any(|name| {
        name.extract::<&str>()
            .is_ok_and(|name| name == "f_back" || name == "_getframe")
    })
}
