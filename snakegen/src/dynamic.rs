//! Calls by name, for names known only at run time.
//!
//! `cargo snakegen` reads literal names (`dynamic::call("math", "sqrt", ..)`)
//! like paths and generates their typed adapters, then suggests them.

use pyo3::prelude::*;

use crate::call::Args;
use crate::error::Result;
use crate::library::ensure_started;
use crate::object::Object;

/// Calls `module.name(*args)`. No version check and no cache: the typed
/// adapters have both.
pub fn call(module: &str, name: &str, args: impl Args) -> Result<Object> {
    Python::attach(|py| {
        ensure_started(py);
        let function = py.import(module)?.getattr(name)?;
        Ok(Object::from(args.call(&function)?.unbind()))
    })
}
