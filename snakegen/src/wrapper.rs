/// Makes `pub struct Name(snakegen::Object)` a typed Python handle: `Clone`,
/// `Display` (Python `str`), `Debug` (Python `repr`), conversions to and from
/// [`Object`](crate::Object), use as an argument or a result of calls, and
/// `Deref` to `Object` for its operators and dynamic access.
#[macro_export]
macro_rules! wrapper {
    ($name:ident) => {
        impl ::core::clone::Clone for $name {
            fn clone(&self) -> Self {
                Self(::core::clone::Clone::clone(&self.0))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::core::convert::From<$name> for $crate::Object {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl ::core::convert::From<$crate::Object> for $name {
            fn from(object: $crate::Object) -> Self {
                Self(object)
            }
        }

        impl ::core::ops::Deref for $name {
            type Target = $crate::Object;

            fn deref(&self) -> &$crate::Object {
                &self.0
            }
        }

        impl ::core::convert::AsRef<$crate::Object> for $name {
            fn as_ref(&self) -> &$crate::Object {
                &self.0
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
                $crate::__private::pyo3::IntoPyObject::into_pyobject(self.0, py)
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
                $crate::__private::pyo3::IntoPyObject::into_pyobject(&self.0, py)
            }
        }

        impl<'a, 'py> $crate::__private::pyo3::FromPyObject<'a, 'py> for $name {
            type Error = ::core::convert::Infallible;

            fn extract(
                object: $crate::__private::pyo3::Borrowed<'a, 'py, $crate::__private::pyo3::PyAny>,
            ) -> ::core::result::Result<Self, Self::Error> {
                <$crate::Object as $crate::__private::pyo3::FromPyObject<'a, 'py>>::extract(object)
                    .map(Self)
            }
        }
    };
}
