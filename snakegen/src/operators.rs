//! Python's operators on [`Object`], with Python's semantics (reflected
//! methods, `NotImplemented`, `TypeError`). Wrappers reach them through
//! `Deref`, so `x.add(1)?.pow(2)?` works on a sympy `Symbol`.

use pyo3::prelude::*;
pub use pyo3::pyclass::CompareOp;

use crate::error::Result;
use crate::object::{IntoPy, Object};

macro_rules! binary {
    ($($(#[$doc:meta])* $name:ident => $method:ident;)*) => {
        impl Object {
            $(
                $(#[$doc])*
                pub fn $name(&self, other: impl IntoPy) -> Result<Object> {
                    crate::attach(|py| {
                        let other = other.into_bound_any(py)?;
                        Ok(Object::from(self.bind(py).$method(other)?.unbind()))
                    })
                }
            )*
        }
    };
}

macro_rules! comparison {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        impl Object {
            $(
                $(#[$doc])*
                pub fn $name(&self, other: impl IntoPy) -> Result<bool> {
                    crate::attach(|py| {
                        let other = other.into_bound_any(py)?;
                        Ok(self.bind(py).$name(other)?)
                    })
                }
            )*
        }
    };
}

binary! {
    /// `self + other`
    add => add;
    /// `self - other`
    sub => sub;
    /// `self * other`
    mul => mul;
    /// `self @ other`
    matmul => matmul;
    /// `self / other`
    div => div;
    /// `self // other`
    floor_div => floor_div;
    /// `self % other`
    rem => rem;
    /// `self[key]`
    get_item => get_item;
}

comparison! {
    /// `self == other`
    eq;
    /// `self != other`
    ne;
    /// `self < other`
    lt;
    /// `self <= other`
    le;
    /// `self > other`
    gt;
    /// `self >= other`
    ge;
}

impl Object {
    /// `self ** exponent`
    pub fn pow(&self, exponent: impl IntoPy) -> Result<Object> {
        crate::attach(|py| {
            let exponent = exponent.into_bound_any(py)?;
            Ok(Object::from(
                self.bind(py).pow(exponent, py.None())?.unbind(),
            ))
        })
    }

    /// `self < other` (or `<=`, `==`, ...: `op`) as the object Python
    /// returns, where [`lt`](Object::lt) and the others take its truth
    /// value: a sympy relational (`x < 0`, for `Piecewise`) or a numpy
    /// array of booleans (`a > 1`, for `numpy.where`).
    ///
    /// ```no_run
    /// use snakegen::{CompareOp, Object};
    /// let x = Object::new(2)?;
    /// println!("{}", x.rich_compare(CompareOp::Lt, 3)?); // True
    /// # Ok::<(), snakegen::Error>(())
    /// ```
    pub fn rich_compare(&self, op: CompareOp, other: impl IntoPy) -> Result<Object> {
        crate::attach(|py| {
            let other = other.into_bound_any(py)?;
            Ok(Object::from(
                self.bind(py).rich_compare(other, op)?.unbind(),
            ))
        })
    }

    /// `-self`
    pub fn neg(&self) -> Result<Object> {
        crate::attach(|py| Ok(Object::from(self.bind(py).neg()?.unbind())))
    }

    /// `len(self)`
    pub fn len(&self) -> Result<usize> {
        crate::attach(|py| Ok(self.bind(py).len()?))
    }

    /// `len(self) == 0`
    pub fn is_empty(&self) -> Result<bool> {
        self.len().map(|length| length == 0)
    }
}
