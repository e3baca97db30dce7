use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A Python `dict` whose keys keep the order they were given in, for calls
/// where that order shows: a pandas `DataFrame`'s columns, JSON written
/// out. Made by [`dict`] or `collect()`; an [`IntoPy`](crate::IntoPy) by
/// value and by reference, as an argument or inside one (a `Vec` of
/// `Dict`s is a list of dicts).
///
/// A `BTreeMap` converts in key order and a `HashMap` in no particular
/// order, while a `Vec` of pairs stays what it is, a list of tuples. A key
/// given twice keeps its first place and its last value, as in Python's
/// `dict([..])`.
#[derive(Clone, Debug)]
pub struct Dict<K, V>(Vec<(K, V)>);

/// A Python `dict` with its keys in the order of `entries`.
///
/// ```no_run
/// let row = snakegen::dict([("b", 1), ("a", 2)]);
/// let text = snakegen::dynamic::call("json", "dumps", (&row,))?;
/// assert_eq!(text.to_string(), r#"{"b": 1, "a": 2}"#);
///
/// // Columns of different types: make each an `Object`.
/// let columns = snakegen::dict([
///     ("name", snakegen::Object::new(vec!["x", "y"])?),
///     ("size", snakegen::Object::new(vec![1.5, 2.5])?),
/// ]);
/// let frame = snakegen::dynamic::call_with("pandas", "DataFrame")
///     .kwarg("data", columns)
///     .call()?;
/// # Ok::<(), snakegen::Error>(())
/// ```
pub fn dict<K, V>(entries: impl IntoIterator<Item = (K, V)>) -> Dict<K, V> {
    entries.into_iter().collect()
}

impl<K, V> FromIterator<(K, V)> for Dict<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        Dict(entries.into_iter().collect())
    }
}

impl<'py, K, V> IntoPyObject<'py> for Dict<K, V>
where
    K: IntoPyObject<'py>,
    V: IntoPyObject<'py>,
{
    type Target = PyDict;
    type Output = Bound<'py, PyDict>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (key, value) in self.0 {
            dict.set_item(key, value)?;
        }
        Ok(dict)
    }
}

impl<'a, 'py, K, V> IntoPyObject<'py> for &'a Dict<K, V>
where
    &'a K: IntoPyObject<'py>,
    &'a V: IntoPyObject<'py>,
{
    type Target = PyDict;
    type Output = Bound<'py, PyDict>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (key, value) in &self.0 {
            dict.set_item(key, value)?;
        }
        Ok(dict)
    }
}
