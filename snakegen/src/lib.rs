//! The runtime that snakegen's generated adapters call.
//!
//! - [`Object`]: an owned Python object (`Display` is Python's `str`, with
//!   Rust's width, alignment and precision, `Debug` its `repr`), and
//!   [`IntoPy`], what a call accepts; [`dict()`] makes a Python `dict` that
//!   keeps its keys in the order given.
//! - [`Error`]: a Python exception (type, message, traceback), or an
//!   environment problem found before Python ran the call.
//! - [`Library`] and [`Symbol`]: what an adapter module declares. A symbol
//!   caches its Python callable on first use, after the library checked
//!   that the live interpreter and version are the ones it was generated
//!   against.
//! - [`Call`]: a pending call, for optional and keyword arguments.
//! - [`call!`]: a Python-style keyword call, `call!(np::mean(&a, axis = 0))`,
//!   written as the adapter's `_with` builder.
//! - [`include_adapters!`]: the adapters a build script generated into
//!   `OUT_DIR` (build.rs mode).
//! - [`dynamic`]: calls by name, for names known only at run time, and
//!   the usage ledger that records them (`SNAKEGEN_LEDGER`) so that
//!   `cargo snakegen ledger promote` can make them typed adapters.
//! - [`callback()`] and [`callback!`]: a Rust closure as a Python
//!   callable (scipy's `minimize`, `sorted(key=)`, pandas' `apply`).
//! - [`Object::iter`]: Python iteration as a lazy Rust iterator;
//!   [`Object::with`]: Python's `with` statement.
//! - `pool` (the `pool` feature, Unix): jobs, plain Rust functions with
//!   serde input and output, on worker processes with their own
//!   interpreters: parallel past the GIL, crashes and hangs contained.
//! - [`wrapper!`]: turns `pub struct Fraction(snakegen::Object)` into a
//!   typed handle that converts to and from Python.
//! - Arrays: a `Vec` of numbers extracted from a numpy array copies its
//!   buffer at once; with the `numpy` feature, `numpy_array`,
//!   `lend_to_numpy` and `Object::to_ndarray` pass Rust arrays to numpy
//!   and back without Python lists.
//!
//! The interpreter is the libpython this crate was linked against, started
//! on first use. Before anything runs in Python, whichever entry comes
//! first (an adapter call, an [`Object`] conversion, [`attach`]), the
//! site-packages of an active `VIRTUAL_ENV` go on `sys.path` ahead of the
//! base interpreter's, as they would in the venv's own `python`. Calls
//! attach to the interpreter by themselves, and so do `Object`'s `Clone`,
//! formatting traits, `PartialEq` and `Hash`: see [`Object`] about holding
//! a lock meanwhile. [`attach`] holds one attachment over several calls;
//! each call inside it still attaches again (a nested attach, cheap but
//! not free), unless it passes the token: `call!(py, math::sqrt(x))`.

#![warn(missing_docs)]

mod array;
mod call;
mod callback;
mod context;
mod dict;
pub mod dynamic;
mod error;
mod format;
mod frame;
mod iter;
mod keywords;
mod ledger;
mod library;
mod object;
mod operators;
#[cfg(all(feature = "pool", unix))]
pub mod pool;
mod start;
mod wrapper;

#[cfg(feature = "numpy")]
pub use array::{IntoNumpy, LendToNumpy, NumpyArray, lend_to_numpy, numpy_array};
pub use call::{Args, Call, Pending};
pub use callback::{Callback, Function, Returned, Signature, callback};
pub use dict::{Dict, dict};
pub use error::{Error, ErrorKind, Result};
pub use iter::Iter;
pub use keywords::AnyKeyword;
pub use library::{Interpreter, Library, Symbol};
/// The `ndarray` crate that [`numpy_array`] and [`Object::to_ndarray`]
/// take and give, at the version they need.
#[cfg(feature = "numpy")]
pub use numpy::ndarray;
pub use object::{IntoPy, Object};
pub use operators::CompareOp;
pub use pyo3::Python;
/// Waits for a `Mutex` detached from the interpreter: see [`Object`] about
/// locks.
pub use pyo3::sync::MutexExt;
pub use snakegen_macros::call;
pub use start::attach;

/// `include_adapters!(py)` is `pub mod py { ... }`: the adapters that
/// `snakegen_core::Build` wrote into `OUT_DIR` from the package's build
/// script (`adapters = "out-dir"` in `[package.metadata.snakegen]`). The
/// name is the configured `module` (default `py`).
#[macro_export]
macro_rules! include_adapters {
    ($module:ident) => {
        include!(concat!(
            env!("OUT_DIR"),
            "/snakegen/",
            stringify!($module),
            ".rs"
        ));
    };
}

/// `hidden! { items }`: the items the adapters need that are not Python
/// names (`call!`'s `__call_f` entries, the builder types), hidden from
/// rustdoc and from rust-analyzer's completion. rust-analyzer lists the
/// `#[doc(hidden)]` items of the crate being edited, but leaves out
/// unstable ones on a stable toolchain; it sets `cfg(rust_analyzer)`, here
/// in the runtime, so rustc never reads the stability attribute (which it
/// allows only in the standard library) and the user's crate has no cfg to
/// declare.
#[cfg(rust_analyzer)]
#[doc(hidden)]
#[macro_export]
macro_rules! hidden {
    ($($item:item)*) => {
        $(
            #[doc(hidden)]
            #[unstable(feature = "snakegen_internals", issue = "none")]
            $item
        )*
    };
}

#[cfg(not(rust_analyzer))]
#[doc(hidden)]
#[macro_export]
macro_rules! hidden {
    ($($item:item)*) => {
        $(
            #[doc(hidden)]
            $item
        )*
    };
}

/// What the `wrapper!` macro expands to needs pyo3, which user crates do not
/// depend on directly.
#[doc(hidden)]
pub mod __private {
    pub use pyo3;
}
