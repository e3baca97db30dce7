//! Crate docs with a test:
//!
//! ```
//! let pi = demo::py::math::pi().unwrap();
//! ```

/// Computes a root.
///
/// ```rust
/// # use demo::py::json;
/// let root = demo::py::math::sqrt(2.0).unwrap();
/// json::dumps(1).unwrap();
/// ```
///
/// Not Rust, so not compiled:
///
/// ```text
/// py::math::floor(1.5)
/// ```
///
/// ```no_run
/// use demo::py::statistics::mean;
/// mean(vec![1.0]);
/// ```
pub fn root() {}

/** Block doc:
```
demo::py::textwrap::dedent("x");
```
*/
pub fn block() {}
