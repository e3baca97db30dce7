//! Rust closures as Python callables.
//!
//! A callback is two objects: a native function that holds the closure
//! and takes its arguments as a tuple, and in front of it a Python `def`
//! with one named parameter per closure parameter. The `def` is what
//! Python code sees: `inspect.signature` reads its parameters (scipy's
//! `curve_fit` counts them), and Python binds keyword arguments to them
//! before Rust sees a call.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, TryLockError};

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCFunction, PyTuple};

use crate::error::{Error, Result};
use crate::object::{IntoPy, Object};

pyo3::create_exception!(
    snakegen,
    RustError,
    pyo3::exceptions::PyException,
    "An error a Rust callback returned."
);

pyo3::create_exception!(
    snakegen,
    RustPanic,
    pyo3::exceptions::PyBaseException,
    "A panic inside a Rust callback. A BaseException, as KeyboardInterrupt: `except Exception` in the Python code between does not swallow it."
);

/// The error a Rust callback returned, as a Python `RustError` carries it
/// back to Rust: [`Error::source`](std::error::Error::source) of the error
/// that comes out of the Python call is this very value.
#[pyclass(frozen, name = "RustErrorPayload", module = "snakegen")]
pub(crate) struct Payload(Arc<dyn std::error::Error + Send + Sync>);

impl Payload {
    /// The attribute of a `RustError` that holds its payload.
    const ATTRIBUTE: &'static str = "__snakegen_error__";

    /// The Rust error that `exception` (or an exception it was raised
    /// from, or while handling) carries.
    pub(crate) fn find(
        exception: &Bound<'_, pyo3::exceptions::PyBaseException>,
    ) -> Option<Arc<dyn std::error::Error + Send + Sync>> {
        // Python code between may have raised another exception `from` the
        // callback's; a cycle of causes is possible, so the walk is bounded.
        let mut current = exception.clone().into_any();
        for _ in 0..64 {
            if current.is_instance_of::<RustError>()
                && let Ok(payload) = current.getattr(Self::ATTRIBUTE)
                && let Ok(payload) = payload.cast::<Payload>()
            {
                return Some(payload.get().0.clone());
            }
            let next = ["__cause__", "__context__"]
                .into_iter()
                .filter_map(|link| current.getattr(link).ok())
                .find(|linked| !linked.is_none())?;
            current = next;
        }
        None
    }
}

/// A Rust closure as a Python callable, made by [`callback()`] or
/// [`callback!`](crate::callback!): pass it where Python takes a function.
/// Converting it to Python (what a call does with its arguments) moves the
/// closure into Python; to pass one callback twice, make it an [`Object`]
/// first with [`Callback::into_object`] and pass `&object`.
#[must_use = "a callback does nothing until it is passed to Python"]
pub struct Callback {
    invoke: Box<Invoke>,
    arity: usize,
    names: Vec<String>,
}

/// The closure, with its arguments extracted from a tuple and its result
/// converted.
type Invoke = dyn Fn(&Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> + Send + Sync;

/// Turns a closure or fn into a Python callable, [`Callback`].
///
/// - Each parameter is extracted as the closure's parameter type (`f64`,
///   `i64`, `String`, `Vec<f64>` from a list or a 1-d numpy array,
///   [`Object`] for anything), so the parameters need type annotations.
///   A value that does not convert raises Python's `TypeError`.
/// - The result is anything a call accepts ([`IntoPy`]), or a `Result` of
///   one. An `Err` raises Python's `snakegen.RustError`, with the error's
///   `source()` chain as the exception's causes, and the Python call
///   that ran the callback returns an [`Error`] whose `source()` is the
///   closure's error itself (downcast it to get it back). A
///   [`snakegen::Error`](Error) from Python re-raises Python's exception
///   as it was (scipy sees its `ValueError`).
/// - A panic inside raises `snakegen.RustPanic` (a `BaseException`, so
///   Python's `except Exception` does not swallow it); the Python call
///   returns it as an [`Error`], and the process goes on.
/// - Python sees `def callback(arg0, arg1, ...)`; [`callback!`](crate::callback!)
///   names the parameters as the closure does, [`Callback::named`] as you
///   say. Python may pass them by keyword.
/// - `FnMut` closures keep their state between calls. A callback that
///   calls itself again (through Python) while it runs raises
///   `RuntimeError` instead of deadlocking.
///
/// # Threads and the GIL
///
/// The closure must be `Send + 'static` (a `move` closure owning its data,
/// or holding an `Arc`): Python keeps the function as long as it likes
/// and may call it from any thread. It runs attached to the interpreter,
/// holding the GIL on Python versions that have one, so snakegen calls
/// inside it need no attach of their own; but other Python threads wait
/// while it runs, and a lock it waits for must not be held by a thread
/// that waits for Python (see [`Object`] about locks).
///
/// ```no_run
/// use snakegen::dynamic;
///
/// // scipy.optimize.brentq(f, 0, 2): the root of x² - 2 between 0 and 2.
/// let root: f64 = dynamic::call(
///     "scipy.optimize",
///     "brentq",
///     (snakegen::callback(|x: f64| x * x - 2.0), 0.0, 2.0),
/// )?
/// .extract()?;
/// assert!((root - 2f64.sqrt()).abs() < 1e-9);
/// # Ok::<(), snakegen::Error>(())
/// ```
pub fn callback<F, Marker>(function: F) -> Callback
where
    F: Signature<Marker>,
{
    let names = match F::ARITY {
        1 => vec!["x".to_owned()],
        arity => (0..arity).map(|index| format!("arg{index}")).collect(),
    };
    let function = Mutex::new(function);
    // A panic must not unwind into Python's C frames: it becomes the
    // exception's message. Unwinding through the guard poisons the mutex,
    // so a closure whose state a panic may have broken does not run again.
    let invoke = move |args: &Bound<'_, PyTuple>| {
        catch_unwind(AssertUnwindSafe(|| match function.try_lock() {
            Ok(mut function) => function.invoke(args),
            Err(TryLockError::WouldBlock) => Err(PyRuntimeError::new_err(
                "a Rust callback was called again while it was running",
            )),
            Err(TryLockError::Poisoned(_)) => Err(PyRuntimeError::new_err(
                "a Rust callback is called after it panicked",
            )),
        }))
        .unwrap_or_else(|panic| Err(RustPanic::new_err(panic_message(&*panic))))
    };
    Callback {
        invoke: Box::new(invoke),
        arity: F::ARITY,
        names,
    }
}

/// `callback!(|x: f64, a: f64| ...)` is [`callback()`] with Python's
/// parameter names taken from the closure's: `inspect.signature` shows
/// `(x, a)`. The parameters are plain names with types; `move` is kept.
///
/// ```no_run
/// let model = snakegen::callback!(|x: f64, a: f64, b: f64| a * (-b * x).exp());
/// # let _ = model;
/// ```
#[macro_export]
macro_rules! callback {
    (move |$($name:ident : $type:ty),* $(,)?| $($body:tt)+) => {
        $crate::callback(move |$($name: $type),*| $($body)+)
            .named([$(::core::stringify!($name)),*])
    };
    (|$($name:ident : $type:ty),* $(,)?| $($body:tt)+) => {
        $crate::callback(|$($name: $type),*| $($body)+)
            .named([$(::core::stringify!($name)),*])
    };
}

impl Callback {
    /// Names the parameters that Python sees, in order: one per closure
    /// parameter, each a Python identifier that is not a keyword. A wrong
    /// count or name is reported when the callback is converted (by the
    /// call it is passed to).
    pub fn named<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Self {
        self.names = names.into_iter().map(str::to_owned).collect();
        self
    }

    /// The Python function, for passing the callback more than once.
    pub fn into_object(self) -> Result<Object> {
        crate::attach(|py| {
            self.into_python(py)
                .map(Object::from)
                .map_err(|error| Error::from_py(py, &error))
        })
    }

    fn into_python(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        static MAKE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let make = MAKE.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            let module = PyModule::from_code(
                py,
                c"import keyword\n\
def make(native, names, arity):\n    \
    if len(names) != arity:\n        \
        raise TypeError(f'the Rust callback takes {arity} parameters, but {len(names)} names were given: {names}')\n    \
    for name in names:\n        \
        if not name.isidentifier() or keyword.iskeyword(name) or name == 'native':\n            \
            raise ValueError(f'{name!r} cannot name a parameter of a Rust callback')\n    \
    if len(set(names)) != len(names):\n        \
        raise ValueError(f'the names of a Rust callback\\'s parameters repeat: {names}')\n    \
    parameters = ', '.join(names)\n    \
    namespace = {'native': native}\n    \
    exec(f'def callback({parameters}):\\n    return native({parameters})\\n', namespace)\n    \
    return namespace['callback']\n",
                c"<snakegen callback>",
                c"snakegen_callback",
            )?;
            Ok(module.getattr("make")?.unbind())
        })?;
        let Callback {
            invoke,
            arity,
            names,
        } = self;
        let native = PyCFunction::new_closure(
            py,
            Some(c"rust_callback"),
            None,
            move |args: &Bound<'_, PyTuple>, _keywords| invoke(args),
        )?;
        make.bind(py).call1((native, names, arity))
    }
}

impl<'py> IntoPyObject<'py> for Callback {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        self.into_python(py)
    }
}

/// What an adapter's parameter annotated `Callable[..]` takes: a value
/// Python accepts ([`IntoPy`]: a [`Callback`], an [`Object`], `None`), or
/// a closure or fn directly, made a [`callback()`] on the way. `Marker`
/// tells the two apart and is inferred.
///
/// What a generated adapter does with such a parameter:
///
/// ```no_run
/// use snakegen::Function;
///
/// fn sorted_by<M>(key: impl Function<M>) -> snakegen::Result<Vec<String>> {
///     snakegen::dynamic::call_with("builtins", "sorted")
///         .arg(vec!["kiwi", "fig", "banana"])
///         .kwarg("key", key.into_function())
///         .call_extract()
/// }
///
/// sorted_by(|word: String| word.len())?;
/// sorted_by(snakegen::dynamic::getattr("builtins", "len")?)?;
/// # Ok::<(), snakegen::Error>(())
/// ```
pub trait Function<Marker> {
    /// What goes to Python.
    type Value: IntoPy;

    /// The value, or the closure as a [`Callback`].
    fn into_function(self) -> Self::Value;
}

/// The [`Function`] marker of closures.
#[doc(hidden)]
pub enum Closure<M> {
    #[doc(hidden)]
    _Marker(std::convert::Infallible, std::marker::PhantomData<M>),
}

impl<T: IntoPy> Function<Value> for T {
    type Value = T;

    fn into_function(self) -> T {
        self
    }
}

impl<F, M> Function<Closure<M>> for F
where
    F: Signature<M>,
{
    type Value = Callback;

    fn into_function(self) -> Callback {
        callback(self)
    }
}

/// A closure or fn that [`callback()`] takes: `FnMut(A, B, ...) -> R` with
/// up to eight parameters, each extracted from Python, and a result that
/// is a [`Returned`] value. `Marker` tells the implementations apart;
/// it is inferred.
pub trait Signature<Marker>: Send + 'static {
    /// How many parameters the closure takes.
    const ARITY: usize;

    /// Extracts the arguments, calls, and converts the result.
    #[doc(hidden)]
    fn invoke(&mut self, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>>;
}

/// What a callback may return: a value Python accepts ([`IntoPy`]), or a
/// `Result` of one whose error is a Rust error (`snakegen::Error`, your
/// own error type, `anyhow::Error`, `String`, ...). `Marker` tells the two
/// apart and is inferred.
pub trait Returned<Marker> {
    /// Converts to Python, or raises.
    #[doc(hidden)]
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>>;
}

/// The [`Returned`] marker of plain values.
#[doc(hidden)]
pub enum Value {}

/// The [`Returned`] marker of `Result`s.
#[doc(hidden)]
pub enum Fallible {}

impl<T: IntoPy> Returned<Value> for T {
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.into_bound_any(py)?.unbind())
    }
}

impl<T, E> Returned<Fallible> for std::result::Result<T, E>
where
    T: IntoPy,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Ok(value) => value.into_python(py),
            Err(error) => Err(raise(py, error.into())),
        }
    }
}

/// The exception a callback's error raises: Python's own exception again
/// when the error is one that Python raised, otherwise a `RustError` that
/// carries the error, with one cause per `source()`.
pub(crate) fn raise(py: Python<'_>, error: Box<dyn std::error::Error + Send + Sync>) -> PyErr {
    if let Some(exception) = error
        .downcast_ref::<Error>()
        .and_then(|error| error.exception(py))
    {
        return exception;
    }
    let exception = RustError::new_err(error.to_string());
    let mut causes = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        causes.push(RustError::new_err(cause.to_string()));
        source = cause.source();
    }
    // Each exception's cause is the next source; the innermost has none.
    let mut cause: Option<PyErr> = None;
    for linked in causes.into_iter().rev() {
        linked.set_cause(py, cause.take());
        cause = Some(linked);
    }
    exception.set_cause(py, cause);
    let payload = Bound::new(py, Payload(Arc::from(error)));
    if let Err(error) =
        payload.and_then(|payload| exception.value(py).setattr(Payload::ATTRIBUTE, payload))
    {
        return error;
    }
    exception
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    format!("the Rust callback panicked: {message}")
}

macro_rules! signature {
    ($arity:literal $($name:ident)*) => {
        impl<F, R, M, $($name),*> Signature<(fn($($name),*) -> R, M)> for F
        where
            F: FnMut($($name),*) -> R + Send + 'static,
            R: Returned<M>,
            $($name: for<'py> FromPyObjectOwned<'py> + 'static,)*
        {
            const ARITY: usize = $arity;

            #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments)]
            fn invoke(&mut self, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
                let py = args.py();
                if args.len() != $arity {
                    return Err(PyTypeError::new_err(format!(
                        "the Rust callback takes {} arguments ({} given)",
                        $arity,
                        args.len()
                    )));
                }
                let mut index = 0;
                $(
                    let $name = argument::<$name>(args, index)?;
                    index += 1;
                )*
                self($($name),*).into_python(py)
            }
        }
    };
}

signature!(0);
signature!(1 A);
signature!(2 A B);
signature!(3 A B C);
signature!(4 A B C D);
signature!(5 A B C D E);
signature!(6 A B C D E G);
signature!(7 A B C D E G H);
signature!(8 A B C D E G H I);

/// The argument at `index`, as the closure's parameter type; one that
/// does not convert raises `TypeError` naming the parameter's position.
fn argument<T>(args: &Bound<'_, PyTuple>, index: usize) -> PyResult<T>
where
    T: for<'py> FromPyObjectOwned<'py> + 'static,
{
    let value = args.get_item(index)?;
    crate::library::extract::<T>(args.py(), value).map_err(|error| {
        PyTypeError::new_err(format!(
            "argument {index} of the Rust callback: {}",
            error.message()
        ))
    })
}
