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
    pub const fn new(implementation: &'static str, version: &'static str) -> Self {
        Interpreter {
            implementation,
            version,
        }
    }
}

/// A configured Python library, as an adapter module declares it. The first
/// use of any of its symbols checks the live interpreter and version.
pub struct Library {
    module: &'static str,
    /// The distribution name and the locked version; `None` for the stdlib,
    /// whose version is the interpreter's.
    distribution: Option<(&'static str, &'static str)>,
    interpreter: Interpreter,
    checked: PyOnceLock<()>,
}

impl Library {
    pub const fn stdlib(module: &'static str, interpreter: Interpreter) -> Self {
        Library {
            module,
            distribution: None,
            interpreter,
            checked: PyOnceLock::new(),
        }
    }

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
            .get_or_try_init(py, || self.check_uncached(py))
            .copied()
    }

    fn check_uncached(&self, py: Python<'_>) -> Result<()> {
        ensure_started(py);
        let sys = py.import("sys")?;
        let live_implementation: String =
            sys.getattr("implementation")?.getattr("name")?.extract()?;
        let live_version: String = py
            .import("platform")?
            .call_method0("python_version")?
            .extract()?;
        let expected = self.interpreter;
        if live_implementation != expected.implementation || live_version != expected.version {
            let prefix: String = sys.getattr("prefix")?.extract()?;
            let built_against = BUILT_AGAINST
                .map(|dir| format!(" (snakegen was built against the libpython in {dir})"))
                .unwrap_or_default();
            return Err(Error::environment(format!(
                "the adapters for `{}` were generated against {} {}, but this process embeds {live_implementation} {live_version} (prefix {prefix}){built_against}\n  = help: link the binary with an rpath to the right libpython (build.rs: `-Wl,-rpath,$DEP_SNAKEGEN_LIBDIR`), or re-run `cargo snakegen` with this interpreter",
                self.module, expected.implementation, expected.version,
            )));
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
}

/// A Python attribute of a module (`math.sqrt`), resolved once and cached.
pub struct Symbol {
    library: &'static Library,
    module: &'static str,
    name: &'static str,
    cached: PyOnceLock<Py<PyAny>>,
}

impl Symbol {
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
            Ok(py.import(self.module)?.getattr(self.name)?.unbind())
        })?;
        Ok(cached.bind(py))
    }

    /// The cached object.
    pub fn object(&self) -> Result<Object> {
        Python::attach(|py| Ok(Object::from(self.bound(py)?.clone().unbind())))
    }

    /// The attribute's current value, read anew each time: module values
    /// (`math.pi`, a mutable setting) are not frozen at first use.
    pub fn value(&self) -> Result<Object> {
        Python::attach(|py| {
            self.library.check(py)?;
            Ok(Object::from(
                py.import(self.module)?.getattr(self.name)?.unbind(),
            ))
        })
    }

    #[inline]
    pub fn call(&self, args: impl Args) -> Result<Object> {
        Python::attach(|py| {
            let callee = self.bound(py)?;
            Ok(Object::from(args.call(callee)?.unbind()))
        })
    }

    /// Calls and converts the result in one attachment: what a typed
    /// adapter (`-> f64`) does.
    #[inline(always)]
    pub fn call_extract<T>(&self, args: impl Args) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py>,
    {
        Python::attach(|py| extract(py, args.call(self.bound(py)?)?))
    }

    /// `call_method` with the result converted, in one attachment.
    pub fn call_method_extract<T>(&self, name: &str, args: impl Args) -> Result<T>
    where
        T: for<'py> FromPyObjectOwned<'py>,
    {
        Python::attach(|py| extract(py, args.call_method(self.bound(py)?, name)?))
    }

    /// A pending call, for optional and keyword arguments.
    pub fn call_with(&self) -> Call {
        Call::new(self.object())
    }

    /// Calls an attribute of the cached object: a classmethod or
    /// staticmethod of a class.
    pub fn call_method(&self, name: &str, args: impl Args) -> Result<Object> {
        Python::attach(|py| {
            let callee = self.bound(py)?;
            Ok(Object::from(args.call_method(callee, name)?.unbind()))
        })
    }

    pub fn call_method_with(&self, name: &str) -> Call {
        Call::new(self.object().and_then(|object| object.getattr(name)))
    }
}

/// Converts a result, reporting a failed conversion as Python's error.
#[inline(always)]
pub(crate) fn extract<T>(py: Python<'_>, value: Bound<'_, PyAny>) -> Result<T>
where
    T: for<'py> FromPyObjectOwned<'py>,
{
    value
        .extract::<T>()
        .map_err(|error| Error::from_py(py, &error.into()))
}

/// Makes a venv's packages visible before the first import: an embedded
/// interpreter does not read `VIRTUAL_ENV` by itself.
pub(crate) fn ensure_started(py: Python<'_>) {
    static STARTED: PyOnceLock<()> = PyOnceLock::new();
    STARTED.get_or_init(py, || {
        if let Err(error) = add_virtual_env(py) {
            error.print(py);
        }
    });
}

fn add_virtual_env(py: Python<'_>) -> PyResult<()> {
    let Some(venv) = std::env::var_os("VIRTUAL_ENV").filter(|venv| !venv.is_empty()) else {
        return Ok(());
    };
    let version = py.version_info();
    let site_packages = std::path::Path::new(&venv)
        .join("lib")
        .join(format!("python{}.{}", version.major, version.minor))
        .join("site-packages");
    py.import("site")?
        .call_method1("addsitedir", (site_packages,))?;
    Ok(())
}
