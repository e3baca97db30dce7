//! Arrays without Python lists. A `Vec` of numbers extracted from a numpy
//! array (or any other object with a 1-D buffer of the same element type:
//! `array.array`, `bytes`, a `memoryview`) is one copy of its memory,
//! where pyo3 alone would convert it element by element. With the `numpy`
//! feature, Rust arrays go to numpy (`numpy_array`), numpy arrays come back
//! as `ndarray` arrays or views, and Rust memory is lent to numpy in place
//! (`lend_to_numpy`).

use std::any::{Any, TypeId};

use pyo3::buffer::{Element, PyBuffer};
use pyo3::prelude::*;

#[cfg(feature = "numpy")]
mod numpy_array;

#[cfg(feature = "numpy")]
pub use numpy_array::{IntoNumpy, LendToNumpy, NumpyArray, lend_to_numpy, numpy_array};

/// `Some` when `T` is a `Vec` of a buffer element type and `value` is a
/// 1-D buffer of exactly that type: its memory copied at once. `None`
/// leaves the conversion to pyo3 (a list, another element type, which
/// Python's own conversion rules then apply to).
#[inline(always)]
pub(crate) fn vec_from_buffer<T: 'static>(value: &Bound<'_, PyAny>) -> Option<PyResult<T>> {
    macro_rules! elements {
        ($($element:ty)*) => {$(
            if TypeId::of::<T>() == TypeId::of::<Vec<$element>>() {
                return copy_buffer::<$element>(value).map(|vec| vec.map(same_type::<_, T>));
            }
        )*};
    }
    elements!(f64 f32 i64 i32 i16 i8 isize u64 u32 u16 u8 usize);
    None
}

fn copy_buffer<E: Element>(value: &Bound<'_, PyAny>) -> Option<PyResult<Vec<E>>> {
    // SAFETY: a valid object pointer; the check only reads its type's slots.
    if unsafe { pyo3::ffi::PyObject_CheckBuffer(value.as_ptr()) } == 0 {
        return None;
    }
    // A buffer of another element type (or a format pyo3 does not know)
    // fails here, and is converted by value instead.
    let buffer = PyBuffer::<E>::get(value).ok()?;
    if buffer.dimensions() != 1 {
        return None;
    }
    Some(buffer.to_vec(value.py()))
}

/// `value` as `T`, when [`vec_from_buffer`] has checked that they are the
/// same type.
fn same_type<A: 'static, T: 'static>(value: A) -> T {
    let mut slot = Some(value);
    (&mut slot as &mut dyn Any)
        .downcast_mut::<Option<T>>()
        .and_then(Option::take)
        .expect("the caller compared the type ids")
}
