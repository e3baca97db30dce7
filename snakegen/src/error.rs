use std::sync::Arc;

use pyo3::prelude::*;

/// What snakegen's calls return.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where an [`Error`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Python raised an exception.
    Python,
    /// The interpreter or a library is not the one the adapters were
    /// generated against, or cannot be imported.
    Environment,
    /// The Rust side built a call Python cannot receive.
    Argument,
    /// A pool worker died running the job, or the job panicked: the
    /// message names the signal, exit status or panic.
    Crashed,
    /// A pool job passed its deadline: its worker was killed and restarted.
    Timeout,
}

/// A failed call. `Display` reads like Python's last traceback line
/// (`ValueError: math domain error`); `Debug` adds the traceback, so a
/// `main() -> snakegen::Result<()>` shows where Python failed.
#[derive(Clone)]
pub struct Error(Box<Details>);

/// Boxed so that `Result<Object>` stays two words: calls are hot, errors
/// are not.
#[derive(Clone)]
struct Details {
    kind: ErrorKind,
    python_type: Option<String>,
    message: String,
    traceback: Option<String>,
    /// The exception itself, so that a callback returning this error
    /// raises it again as it was.
    exception: Option<Arc<PyErr>>,
    /// The Rust error a callback returned, when that is what Python raised.
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// Whether Python raised, the environment is wrong, or the call was.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The exception's class name (`ValueError`), for Python errors.
    pub fn python_type(&self) -> Option<&str> {
        self.0.python_type.as_deref()
    }

    /// The exception's `str()` for Python errors (`math domain error`),
    /// otherwise what went wrong and how to fix it.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The exception as Python prints it (`traceback.format_exception`):
    /// the frames Python ran, chained exceptions, notes, and the final
    /// `Type: message` line. `None` unless Python raised.
    pub fn traceback(&self) -> Option<&str> {
        self.0.traceback.as_deref()
    }

    /// The same error with another message (and the traceback's last line
    /// left as Python wrote it).
    pub(crate) fn with_message(mut self, message: String) -> Self {
        self.0.message = message;
        self
    }

    pub(crate) fn environment(message: impl Into<String>) -> Self {
        Self::plain(ErrorKind::Environment, message)
    }

    pub(crate) fn argument(message: impl Into<String>) -> Self {
        Self::plain(ErrorKind::Argument, message)
    }

    pub(crate) fn plain(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::from_parts(kind, None, message.into(), None)
    }

    /// An error as another process reported it (a pool worker's).
    pub(crate) fn from_parts(
        kind: ErrorKind,
        python_type: Option<String>,
        message: String,
        traceback: Option<String>,
    ) -> Self {
        Error(Box::new(Details {
            kind,
            python_type,
            message,
            traceback,
            exception: None,
            source: None,
        }))
    }

    /// Reads everything while attached: a `PyErr` kept for later would
    /// need the interpreter again just to be printed.
    pub(crate) fn from_py(py: Python<'_>, error: &PyErr) -> Self {
        let python_type = error
            .get_type(py)
            .name()
            .map(|name| name.to_string())
            .unwrap_or_else(|_| "BaseException".to_owned());
        let message = error
            .value(py)
            .str()
            .map(|text| text.to_string())
            .unwrap_or_default();
        Error(Box::new(Details {
            kind: ErrorKind::Python,
            python_type: Some(python_type),
            message,
            traceback: format_exception(py, error).ok(),
            exception: Some(Arc::new(error.clone_ref(py))),
            source: crate::callback::Payload::find(error.value(py)),
        }))
    }

    /// Python's exception, ready to raise again.
    pub(crate) fn exception(&self, py: Python<'_>) -> Option<PyErr> {
        Some(self.0.exception.as_ref()?.clone_ref(py))
    }
}

fn format_exception(py: Python<'_>, error: &PyErr) -> PyResult<String> {
    // The three-argument form works on every Python 3, and the traceback
    // goes separately because pyo3 keeps it apart from the exception value.
    let lines = py.import("traceback")?.call_method1(
        "format_exception",
        (error.get_type(py), error.value(py), error.traceback(py)),
    )?;
    pyo3::types::PyString::new(py, "")
        .call_method1("join", (lines,))?
        .extract()
}

impl From<PyErr> for Error {
    fn from(error: PyErr) -> Self {
        crate::attach(|py| Error::from_py(py, &error))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.python_type {
            Some(python_type) if self.0.message.is_empty() => f.write_str(python_type),
            Some(python_type) => write!(f, "{python_type}: {}", self.0.message),
            None => f.write_str(&self.0.message),
        }
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let summary = self.to_string();
        f.write_str(&summary)?;
        // An exception raised in C with no Python frames formats as just
        // its summary line; repeating that would be noise.
        if let Some(traceback) = &self.0.traceback {
            let traceback = traceback.trim_end();
            if traceback.lines().count() > summary.lines().count() {
                write!(f, "\n\n{traceback}")?;
            }
        }
        Ok(())
    }
}

/// The source of an error that a Rust callback returned to Python is that
/// error: downcast it to get your own error type back.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let source: &(dyn std::error::Error + 'static) = self.0.source.as_deref()?;
        Some(source)
    }
}
