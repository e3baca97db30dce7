use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::call::{Args, Call};
use crate::error::{Error, Result};
use crate::object::Object;

/// The libpython directory this crate was built against, for error hints.
const BUILT_AGAINST: Option<&str> = option_env!("SNAKEGEN_LIBDIR");

/// The interpreter the adapters were generated against.
#[derive(Clone, Copy, Debug)]
pub struct Interpreter {
    implementation: &'static str,
    version: &'static str,
}

impl Interpreter {
    /// `implementation` as `sys.implementation.name` spells it (`cpython`),
    /// `version` as `platform.python_version()` does (`3.11.7`).
    pub const fn new(implementation: &'static str, version: &'static str) -> Self {
        Interpreter {
            implementation,
            version,
        }
    }
}

/// A configured Python library, as an adapter module declares it. The first
/// use of any of its symbols checks the live interpreter and version, and
/// imports the library. The outcome, success or the error, holds for the
/// rest of the process: a library that failed is not imported again, so
/// every later use returns the same error at once.
///
/// The interpreter must be the same implementation and minor version
/// (`3.11`) as the one the adapters were generated against; a different
/// patch release (`3.11.8` for `3.11.7`, a security update) is accepted,
/// with one warning on stderr per process. The library's version must be
/// the locked one exactly.
pub struct Library {
    module: &'static str,
    /// The distribution name and the locked version; `None` for the stdlib,
    /// whose version is the interpreter's.
    distribution: Option<(&'static str, &'static str)>,
    interpreter: Interpreter,
    /// Failures too: Python runs a failed import again at each attempt,
    /// and the environment a process started in does not heal by itself.
    checked: PyOnceLock<Result<()>>,
}

impl Library {
    /// A standard-library module, which comes with the interpreter.
    pub const fn stdlib(module: &'static str, interpreter: Interpreter) -> Self {
        Library {
            module,
            distribution: None,
            interpreter,
            checked: PyOnceLock::new(),
        }
    }

    /// The top-level `module` of an installed distribution (`sympy`, or
    /// `yaml` from `PyYAML`), locked at `version`.
    pub const fn distribution(
        module: &'static str,
        distribution: &'static str,
        version: &'static str,
        interpreter: Interpreter,
    ) -> Self {
        Library {
            module,
            distribution: Some((distribution, version)),
            interpreter,
            checked: PyOnceLock::new(),
        }
    }

    fn check(&self, py: Python<'_>) -> Result<()> {
        self.checked
            .get_or_init(py, || self.check_uncached(py))
            .clone()
    }

    fn check_uncached(&self, py: Python<'_>) -> Result<()> {
        let sys = py.import("sys")?;
        let live_implementation: String =
            sys.getattr("implementation")?.getattr("name")?.extract()?;
        let live_version: String = py
            .import("platform")?
            .call_method0("python_version")?
            .extract()?;
        let expected = self.interpreter;
        if live_implementation != expected.implementation
            || minor_version(&live_version) != minor_version(expected.version)
        {
            let executable: String = sys.getattr("executable")?.extract()?;
            let prefix: String = sys.getattr("prefix")?.extract()?;
            let loaded = loaded_libpython()
                .map(|path| format!(" from {path}"))
                .unwrap_or_default();
            let built_against = BUILT_AGAINST
                .map(|dir| format!(" (snakegen was built against the one in {dir})"))
                .unwrap_or_default();
            return Err(Error::environment(format!(
                "the adapters for `{}` were generated against {} {}, but this process embeds {live_implementation} {live_version}{loaded} (sys.prefix {prefix}, sys.executable {executable})\n  = help: link the binary with an rpath to the right libpython{built_against}: in build.rs, `-Wl,-rpath,$DEP_SNAKEGEN_LIBDIR`; or re-run `cargo snakegen` with this interpreter",
                self.module, expected.implementation, expected.version,
            )));
        }
        if live_version != expected.version {
            self.warn_patch_release(&live_version);
        }
        if let Err(error) = py.import(self.module) {
            let error = Error::from_py(py, &error);
            let package = self
                .distribution
                .map_or(self.module, |(distribution, _)| distribution);
            let prefix: String = sys.getattr("prefix")?.extract()?;
            return Err(Error::environment(format!(
                "could not import the Python library `{}`: {error}\n  = help: `pip install {package}` into the interpreter at {prefix}",
                self.module
            )));
        }
        // Exact, unlike the interpreter: a library's patch release may
        // change the signatures the adapters were generated from (Python
        // packages promise no semver, and many use calendar versions), and
        // it is installed by the user, not upgraded under the binary.
        if let Some((distribution, locked)) = self.distribution {
            let live: String = py
                .import("importlib.metadata")?
                .call_method1("version", (distribution,))?
                .extract()?;
            if live != locked {
                return Err(Error::environment(format!(
                    "the adapters for `{}` were generated against {distribution} {locked}, but {live} is installed\n  = help: `pip install {distribution}=={locked}`, or re-run `cargo snakegen` to regenerate for {live}",
                    self.module
                )));
            }
        }
        Ok(())
    }

    /// CPython's patch releases keep the C API, the ABI and the standard
    /// library's signatures, and arrive as security updates under the
    /// binary, so the adapters keep working; the lock is merely stale.
    #[cold]
    fn warn_patch_release(&self, live_version: &str) {
        static WARNED: AtomicBool = AtomicBool::new(false);
        if !WARNED.swap(true, Ordering::Relaxed) {
            let Interpreter {
                implementation,
                version,
            } = self.interpreter;
            eprintln!(
                "snakegen: warning: the adapters for `{}` were generated against {implementation} {version}, and this process embeds {implementation} {live_version}: a patch release apart, so they are used (re-run `cargo snakegen` to generate for {live_version}; further differences are not reported)",
                self.module
            );
        }
    }
}

/// `3.11` of `3.11.7` (and of `3.11.0rc1`): the part of a
/// `platform.python_version()` that the adapters depend on.
fn minor_version(version: &str) -> &str {
    match version.match_indices('.').nth(1) {
        Some((dot, _)) => &version[..dot],
        None => version,
    }
}

/// A Python attribute of a module (`math.sqrt`), resolved once and cached.
pub struct Symbol {
    library: &'static Library,
    module: &'static str,
    name: &'static str,
    cached: PyOnceLock<Py<PyAny>>,
}

impl Symbol {
    /// The attribute `name` of the module `module` (a dotted path inside
    /// `library`).
    pub const fn new(library: &'static Library, module: &'static str, name: &'static str) -> Self {
        Symbol {
            library,
            module,
            name,
            cached: PyOnceLock::new(),
        }
    }

    /// The cached callable: after the first call, one atomic load.
    #[inline(always)]
    fn bound<'py>(&self, py: Python<'py>) -> Result<&Bound<'py, PyAny>> {
        match self.cached.get(py) {
            Some(cached) => Ok(cached.bind(py)),
            None => self.resolve(py),
        }
    }

    #[cold]
    fn resolve<'py>(&self, py: Python<'py>) -> Result<&Bound<'py, PyAny>> {
        let cached = self.cached.get_or_try_init(py, || -> Result<Py<PyAny>> {
            self.library.check(py)?;
            let found = py.import(self.module)?.getattr(self.name)?;
            Ok(crate::frame::with_caller_frame(found)?.unbind())
        })?;
        Ok(cached.bind(py))
    }

    /// The cached object.
    pub fn object(&self) -> Result<Object> {
        crate::attach(|py| Ok(Object::from(self.bound(py)?.clone().unbind())))
    }

    /// The attribute's current value, read anew each time: module values
    /// (`math.pi`, a mutable setting) are not frozen at first use.
    pub fn value(&self) -> Result<Object> {
        crate::attach(|py| {
            self.library.check(py)?;
            Ok(Object::from(
                py.import(self.module)?.getattr(self.name)?.unbind(),
            ))
        })
    }

    /// Calls the symbol with positional arguments: `SQRT.call((2.0,))`.
    #[inline]
    pub fn call(&self, args: impl Args) -> Result<Object> {
        crate::attach(|py| self.call_attached(py, args))
    }

    /// [`call`](Symbol::call) on a thread that is attached already (the
    /// token of [`attach`](crate::attach)), without an attach of its own:
    /// what `call!(py, m::f(..))` reaches.
    #[inline(always)]
    pub fn call_attached(&self, py: Python<'_>, args: impl Args) -> Result<Object> {
        Ok(Object::from(args.call(self.bound(py)?)?.unbind()))
    }

    /// Calls and converts the result in one attachment: what a typed
    /// adapter (`-> f64`) does.
    #[inline(always)]
    pub fn call_extract<T>(&self, args: impl Args) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py> + 'static,
    {
        crate::attach(|py| self.call_extract_attached(py, args))
    }

    /// [`call_extract`](Symbol::call_extract) on a thread that is attached
    /// already, without an attach of its own: what `call!(py, m::f(..))`
    /// reaches for a typed result.
    #[inline(always)]
    pub fn call_extract_attached<T>(&self, py: Python<'_>, args: impl Args) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py> + 'static,
    {
        extract(py, args.call(self.bound(py)?)?)
    }

    /// `call_method` with the result converted, in one attachment.
    pub fn call_method_extract<T>(&self, name: &str, args: impl Args) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py> + 'static,
    {
        crate::attach(|py| extract(py, args.call_method(self.bound(py)?, name)?))
    }

    /// A pending call, for optional and keyword arguments.
    pub fn call_with(&self) -> Call {
        Call::new(self.object())
    }

    /// Calls an attribute of the cached object: a classmethod or
    /// staticmethod of a class.
    pub fn call_method(&self, name: &str, args: impl Args) -> Result<Object> {
        crate::attach(|py| {
            let callee = self.bound(py)?;
            Ok(Object::from(args.call_method(callee, name)?.unbind()))
        })
    }

    /// An attribute of the cached object (a class constant such as
    /// `datetime.timezone.utc`), read anew each time.
    pub fn getattr(&self, name: &str) -> Result<Object> {
        crate::attach(|py| Ok(Object::from(self.bound(py)?.getattr(name)?.unbind())))
    }

    /// A pending call of an attribute of the cached object, for keyword
    /// arguments.
    pub fn call_method_with(&self, name: &str) -> Call {
        Call::new(self.object().and_then(|object| object.getattr(name)))
    }
}

/// The libpython file the loader picked, which is what an rpath fixes.
/// Only Linux says so cheaply (`/proc/self/maps`); elsewhere the message
/// does without it.
fn loaded_libpython() -> Option<String> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .find(|path| {
            std::path::Path::new(path)
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("libpython"))
        })
        .map(str::to_owned)
}

/// Converts a result, reporting a failed conversion as Python's error.
/// An iterator that does not convert as it is (a generator, such as
/// sympy's `primerange`, into a `Vec`) is drained into a list, which is
/// converted instead, as Python's `list(..)` would.
#[inline(always)]
pub(crate) fn extract<T>(py: Python<'_>, value: Bound<'_, PyAny>) -> Result<T>
where
    T: for<'py> FromPyObjectOwned<'py> + 'static,
{
    if let Some(vec) = crate::array::vec_from_buffer::<T>(&value) {
        return vec.map_err(|error| conversion_error::<T>(py, &value, &error));
    }
    value.extract::<T>().or_else(|error| {
        let error: PyErr = error.into();
        extract_iterator(&value)
            .unwrap_or(Err(error))
            .map_err(|error| conversion_error::<T>(py, &value, &error))
    })
}

/// A value that does not convert: Python's reason, after what was
/// converted to what (`cannot convert 265252859812191058636308480000000
/// (int) to i64: Python int too large to convert to C long`), since the
/// exception alone does not say that the call itself succeeded.
#[cold]
fn conversion_error<T>(py: Python<'_>, value: &Bound<'_, PyAny>, error: &PyErr) -> Error {
    const LIMIT: usize = 80;
    let error = Error::from_py(py, error);
    let mut shown = value
        .repr()
        .map(|repr| repr.to_string())
        .unwrap_or_else(|_| "the value".to_owned());
    if let Some((cut, _)) = shown.char_indices().nth(LIMIT) {
        shown.truncate(cut);
        shown.push_str("...");
    }
    let type_name = value
        .get_type()
        .name()
        .map(|name| name.to_string())
        .unwrap_or_default();
    let message = format!(
        "cannot convert {shown} ({type_name}) to {}: {}",
        rust_type_name::<T>(),
        error.message()
    );
    error.with_message(message)
}

/// `std::any::type_name` without module paths: `Vec<String>`, not
/// `alloc::vec::Vec<alloc::string::String>`.
fn rust_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut segment = String::new();
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            segment.push(c);
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            segment.clear();
        } else {
            out.push_str(&segment);
            segment.clear();
            out.push(c);
        }
    }
    out.push_str(&segment);
    out
}

#[cold]
fn extract_iterator<T>(value: &Bound<'_, PyAny>) -> Option<PyResult<T>>
where
    T: for<'py> FromPyObjectOwned<'py>,
{
    value.cast::<pyo3::types::PyIterator>().ok()?;
    let list = match value.py().get_type::<pyo3::types::PyList>().call1((value,)) {
        Ok(list) => list,
        Err(error) => return Some(Err(error)),
    };
    Some(list.extract::<T>().map_err(Into::into))
}
