//! The one way into Python. Every entry of this crate attaches through
//! [`attach`], so the interpreter's set-up (a venv's packages on
//! `sys.path`) comes before anything Python runs for us, whichever entry
//! is reached first: an import inside an `Object::new` conversion or an
//! `attach` closure sees the same packages as an adapter call.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// Runs `f` attached to the interpreter (starting it if needed). Calls
/// inside `f` still attach each time (cheaply: the thread is attached
/// already, but pyo3 checks); `call!(py, math::sqrt(x))` passes `f`'s
/// token to a module function instead, and costs what a hand-written
/// pyo3 call does.
///
/// Use it rather than pyo3's `Python::attach` for code that imports
/// modules itself: only this one makes an active `VIRTUAL_ENV`'s packages
/// importable first.
#[inline]
pub fn attach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> R {
    Python::attach(|py| {
        ensure_started(py);
        f(py)
    })
}

static STARTED: PyOnceLock<()> = PyOnceLock::new();

/// Every call passes here, so after the first it is one atomic load.
#[inline(always)]
fn ensure_started(py: Python<'_>) {
    if STARTED.get(py).is_none() {
        start(py);
    }
}

/// An embedded interpreter does not read `VIRTUAL_ENV` by itself.
#[cold]
fn start(py: Python<'_>) {
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
    let venv = std::path::Path::new(&venv);
    let site_packages = if cfg!(windows) {
        venv.join("Lib").join("site-packages")
    } else {
        let version = py.version_info();
        venv.join("lib")
            .join(format!("python{}.{}", version.major, version.minor))
            .join("site-packages")
    };
    let globals = pyo3::types::PyDict::new(py);
    globals.set_item("site_packages", site_packages)?;
    // `addsitedir` (which also runs the venv's `.pth` files) appends, but
    // in a venv its packages shadow the base interpreter's, so they move
    // in front of the base site-packages.
    py.run(
        cr#"
import site, sys
before = set(sys.path)
site.addsitedir(site_packages)
added = [entry for entry in sys.path if entry not in before]
kept = [entry for entry in sys.path if entry in before]
base = set(site.getsitepackages()) | {site.getusersitepackages()}
at = next((i for i, entry in enumerate(kept) if entry in base), len(kept))
sys.path[:] = kept[:at] + added + kept[at:]
"#,
        Some(&globals),
        None,
    )
}
