//! Calls by name, for names known only at run time.
//!
//! `cargo snakegen` reads literal names (`dynamic::call("math", "sqrt", ..)`,
//! `call_with` and `getattr` alike) like paths and generates their typed
//! adapters, then suggests them. Names that come from variables it cannot
//! see: for those, run the program with `SNAKEGEN_LEDGER=1` (or a
//! directory) and every symbol looked up here is appended to the usage
//! ledger, `.snakegen/ledger/<library>.jsonl` in the package.
//! `cargo snakegen ledger promote` then adds them to the library's
//! `include` list, and the next `cargo snakegen` generates typed, locked
//! adapters for them. With the variable unset, the ledger costs one
//! relaxed atomic load per call.
//!
//! A symbol is recorded once its lookup succeeded, whether or not the call
//! then raises; a name Python does not have is not recorded.

use pyo3::prelude::*;

use crate::call::{Args, Call};
use crate::error::Result;
use crate::ledger;
use crate::object::Object;

/// Calls `module.name(*args)`. No version check and no cache: the typed
/// adapters have both.
///
/// ```no_run
/// let root = snakegen::dynamic::call("math", "sqrt", (2.0,))?;
/// println!("{root}");
/// # Ok::<(), snakegen::Error>(())
/// ```
pub fn call(module: &str, name: &str, args: impl Args) -> Result<Object> {
    crate::attach(|py| {
        let function = lookup(py, module, name)?;
        Ok(Object::from(args.call(&function)?.unbind()))
    })
}

/// A pending call of `module.name`, for keyword arguments:
///
/// ```no_run
/// let text = snakegen::dynamic::call_with("json", "dumps")
///     .arg(vec![1, 2])
///     .kwarg("indent", 2)
///     .call()?;
/// # Ok::<(), snakegen::Error>(())
/// ```
pub fn call_with(module: &str, name: &str) -> Call {
    Call::new(getattr(module, name))
}

/// `module.name`: a constant, a class or a function, as an [`Object`].
pub fn getattr(module: &str, name: &str) -> Result<Object> {
    crate::attach(|py| Ok(Object::from(lookup(py, module, name)?.unbind())))
}

/// The module `module` (dotted: `os.path`), imported.
pub fn import(module: &str) -> Result<Object> {
    crate::attach(|py| {
        let imported = py.import(module)?;
        record(py, module, None);
        Ok(Object::from(imported.into_any().unbind()))
    })
}

/// `module.name`, recorded in the ledger when it is on.
fn lookup<'py>(py: Python<'py>, module: &str, name: &str) -> Result<Bound<'py, PyAny>> {
    let found = py.import(module)?.getattr(name)?;
    record(py, module, Some(name));
    Ok(crate::frame::with_caller_frame(found)?)
}

/// Appends to the ledger when it is on; the file lock is taken detached,
/// so a process waiting for it does not hold up Python's other threads.
fn record(py: Python<'_>, module: &str, name: Option<&str>) {
    if !ledger::is_off() {
        py.detach(|| ledger::record(module, name));
    }
}
