/// Makes `pub struct Name(snakegen::Object)` a typed Python handle: `Clone`,
/// `Display` (Python `str`), `LowerExp` and `UpperExp`, `Debug` (Python
/// `repr`), conversions to and from [`Object`](crate::Object), use as an
/// argument or a result of calls, and `Deref` to `Object` for its
/// operators and dynamic access. The formatting traits are `Object`'s, so
/// they honour the format options as it does (`{:>12}`, `{:.3}`: see
/// [formatting](crate::Object#formatting)). `Clone` and the formatting
/// traits attach to the interpreter as `Object`'s do (see
/// [`Object`](crate::Object) about holding a lock meanwhile).
///
/// `wrapper!(Name, field)` does the same for a struct with one named field,
/// `pub struct Name { field: snakegen::Object }`. The generated adapters use
/// that form: a struct with named fields takes no name in the value
/// namespace, so a function of the same name (`sympy::sin(&x)`, Python's
/// way to call a class) and parameters named like the class (`exp`) can
/// live next to it.
#[macro_export]
macro_rules! wrapper {
    ($name:ident) => {
        $crate::wrapper!($name, 0);
    };
    ($name:ident, $field:tt) => {
        impl ::core::clone::Clone for $name {
            fn clone(&self) -> Self {
                Self {
                    $field: ::core::clone::Clone::clone(&self.$field),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.$field, f)
            }
        }

        impl ::core::fmt::LowerExp for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::LowerExp::fmt(&self.$field, f)
            }
        }

        impl ::core::fmt::UpperExp for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::UpperExp::fmt(&self.$field, f)
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.$field, f)
            }
        }

        impl ::core::convert::From<$name> for $crate::Object {
            fn from(value: $name) -> Self {
                value.$field
            }
        }

        impl ::core::convert::From<$crate::Object> for $name {
            fn from(object: $crate::Object) -> Self {
                Self { $field: object }
            }
        }

        impl ::core::ops::Deref for $name {
            type Target = $crate::Object;

            fn deref(&self) -> &$crate::Object {
                &self.$field
            }
        }

        impl ::core::convert::AsRef<$crate::Object> for $name {
            fn as_ref(&self) -> &$crate::Object {
                &self.$field
            }
        }

        impl<'py> $crate::__private::pyo3::IntoPyObject<'py> for $name {
            type Target = $crate::__private::pyo3::PyAny;
            type Output = $crate::__private::pyo3::Bound<'py, Self::Target>;
            type Error = ::core::convert::Infallible;

            fn into_pyobject(
                self,
                py: $crate::__private::pyo3::Python<'py>,
            ) -> ::core::result::Result<Self::Output, Self::Error> {
                $crate::__private::pyo3::IntoPyObject::into_pyobject(self.$field, py)
            }
        }

        impl<'a, 'py> $crate::__private::pyo3::IntoPyObject<'py> for &'a $name {
            type Target = $crate::__private::pyo3::PyAny;
            type Output = $crate::__private::pyo3::Borrowed<'a, 'py, Self::Target>;
            type Error = ::core::convert::Infallible;

            fn into_pyobject(
                self,
                py: $crate::__private::pyo3::Python<'py>,
            ) -> ::core::result::Result<Self::Output, Self::Error> {
                $crate::__private::pyo3::IntoPyObject::into_pyobject(&self.$field, py)
            }
        }

        impl<'a, 'py> $crate::__private::pyo3::FromPyObject<'a, 'py> for $name {
            type Error = ::core::convert::Infallible;

            fn extract(
                object: $crate::__private::pyo3::Borrowed<'a, 'py, $crate::__private::pyo3::PyAny>,
            ) -> ::core::result::Result<Self, Self::Error> {
                <$crate::Object as $crate::__private::pyo3::FromPyObject<'a, 'py>>::extract(object)
                    .map(|object| Self { $field: object })
            }
        }
    };
}
