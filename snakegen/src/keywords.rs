//! Keywords a callable takes through `**kwargs`, for `call!`.

use crate::IntoPy;

/// A pending call whose callable takes any keyword (`**kwargs`: scipy's
/// `norm.ppf(q, *args, **kwds)`). `call!` sends a keyword that has no
/// setter of its own through it, so `call!(stats::norm::ppf(0.975, loc =
/// 1.0))` passes `loc=1.0` as Python does; a builder without `**kwargs`
/// does not implement it, and an unknown keyword stays a compile error.
pub trait AnyKeyword: Sized {
    /// Sets the keyword argument `name`.
    fn keyword(self, name: &str, value: impl IntoPy) -> Self;
}
