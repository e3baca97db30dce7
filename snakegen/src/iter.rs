//! Python iteration as a lazy Rust iterator.

use std::marker::PhantomData;

use pyo3::prelude::*;
use pyo3::types::PyIterator;

use crate::error::{Error, Result};
use crate::object::Object;

impl Object {
    /// Python's `iter(self)` as a lazy Rust iterator of `T` (`i64`,
    /// `String`, [`Object`], ...): each `next` asks Python for one item,
    /// so an infinite generator or `itertools.count()` is fine with
    /// `.take(n)`. `StopIteration` ends it; any other exception, or an
    /// item that does not convert to `T`, is an `Err` item (and the next
    /// `next` asks Python again, which ends a generator that raised).
    /// An object that is not iterable gives one `Err`.
    ///
    /// ```no_run
    /// let count = snakegen::dynamic::call("itertools", "count", (10,))?;
    /// let first: Vec<i64> = count.iter().take(5).collect::<snakegen::Result<_>>()?;
    /// assert_eq!(first, [10, 11, 12, 13, 14]);
    /// # Ok::<(), snakegen::Error>(())
    /// ```
    ///
    /// Each step attaches to the interpreter (see [`Object`] about locks).
    pub fn iter<T>(&self) -> Iter<T>
    where
        T: for<'py> FromPyObjectOwned<'py> + 'static,
    {
        let iterator = crate::attach(|py| {
            PyIterator::from_object(self.bind(py))
                .map(|iterator| Object::from(iterator.into_any()))
                .map_err(|error| Error::from_py(py, &error))
        });
        Iter {
            state: match iterator {
                Ok(iterator) => State::Iterating(iterator),
                Err(error) => State::NotIterable(error),
            },
            item: PhantomData,
        }
    }
}

/// The lazy iterator of [`Object::iter`].
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Iter<T> {
    state: State,
    item: PhantomData<fn() -> T>,
}

enum State {
    Iterating(Object),
    NotIterable(Error),
    Done,
}

impl<T> Iterator for Iter<T>
where
    T: for<'py> FromPyObjectOwned<'py> + 'static,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        let iterator = match std::mem::replace(&mut self.state, State::Done) {
            State::Iterating(iterator) => iterator,
            State::NotIterable(error) => return Some(Err(error)),
            State::Done => return None,
        };
        let item = crate::attach(|py| {
            let mut step = iterator.bind(py).cast::<PyIterator>().ok()?.clone();
            Some(match step.next()? {
                Ok(item) => crate::library::extract::<T>(py, item),
                Err(error) => Err(Error::from_py(py, &error)),
            })
        })?;
        self.state = State::Iterating(iterator);
        Some(item)
    }
}
