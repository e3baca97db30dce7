//! Proc macros for snakegen users, re-exported by the `snakegen` crate.
//!
//! [`call!`] writes a Python-style call as the adapter's hidden entry,
//! which takes the positional arguments as one tuple and returns the
//! keyword builder:
//!
//! ```text
//! call!(np::mean(&a, axis = 0))        →  np::__call_mean((&a,)).axis(0).call()
//! call!(sympy::Rational(1, 3))         →  sympy::__call_Rational((1, 3,)).call()
//! call!(m.limit_denominator(10))       →  m.__call_limit_denominator((10,)).call()
//! call!(date(2024, 2, 29))             →  date::__call((2024, 2, 29,)).call()
//! call!(py, math::sqrt(x))             →  math::sqrt::__attached(py, (x,))
//! ```

use proc_macro2::{Delimiter, Group, Ident, Spacing, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

/// A Python-style call of an adapter, positional and keyword arguments as
/// Python takes them: the positional arguments go to Python positionally,
/// as written (up to twelve), filling the parameters in order, optional
/// ones too (`call!(sympy::Rational(1, 3))`); each `name = value` becomes
/// the builder's setter `.name(value)`, then `.call()`. Python checks the
/// number of positional arguments when called (a `TypeError`, returned as
/// the call's error); the keyword names are checked when compiling, as
/// setters. It expands to the adapter's hidden entry `m::__call_f((a, b,))`
/// (`x.__call_m((a,))` for a method; `f::__call((a, b,))` for a name
/// imported by itself, so `use py::sympy::Symbol; call!(Symbol("x"))`
/// needs no other import). A method of a plain
/// `snakegen::Object`, which has no entries, is called by name, each
/// keyword sent as written: `call!(expr.subs(&x, 2))`.
///
/// Setter names are the builder's: Python's name in snake_case. A keyword
/// that is a Rust keyword may be written bare (`type = 1`) or raw
/// (`r#type = 1`); `self`, `super`, `crate` and `Self` are the setters
/// `self_`, `super_`, `crate_` and `Self_`. As in Python, positional
/// arguments come first.
///
/// With a token first, `call!(py, math::sqrt(x))` calls a module function
/// on a thread that is attached already (inside `snakegen::attach(|py|
/// ..)`) without attaching again: the hot path, at a hand-written pyo3
/// call's cost. It takes positional arguments only (keywords go through
/// the builder, which attaches by itself) and expands to the hidden entry
/// `math::sqrt::__attached(py, (x,))`.
#[proc_macro]
pub fn call(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    // A call's own commas are inside its parentheses: one at the top level
    // ends the token of `call!(py, f(..))`.
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    if let Some(comma) = tokens
        .iter()
        .position(|token| matches!(token, TokenTree::Punct(punct) if punct.as_char() == ','))
    {
        let token: Expr = syn::parse2(tokens[..comma].iter().cloned().collect())?;
        return expand_attached(&token, tokens[comma + 1..].iter().cloned().collect());
    }
    let expr: Expr = syn::parse2(raw_keywords(tokens.into_iter().collect()))?;
    match &expr {
        Expr::Call(call) => {
            let Expr::Path(function) = &*call.func else {
                return Err(syn::Error::new_spanned(
                    &call.func,
                    "expected a path to an adapter function: `call!(np::mean(&a, axis = 0))`",
                ));
            };
            let (positional, keywords) = split_arguments(&call.args)?;
            let setters = setters(&keywords);
            let mut path = function.clone();
            let imported_by_name = path.qself.is_none()
                && path.path.leading_colon.is_none()
                && path.path.segments.len() == 1;
            if imported_by_name {
                // `use py::datetime::date; call!(date(..))`: the entry is
                // reached through the name itself, so nothing hidden needs
                // importing.
                let span = path.path.segments[0].ident.span();
                path.path
                    .segments
                    .push(syn::PathSegment::from(Ident::new("__call", span)));
            } else {
                let last = path.path.segments.last_mut().expect("a path has a segment");
                last.ident = entry(&last.ident);
            }
            let fallbacks = keyword_fallbacks(&keywords);
            Ok(quote!({
                #fallbacks
                #path((#(#positional,)*)) #(#setters)* .call()
            }))
        }
        Expr::MethodCall(call) => {
            let (positional, keywords) = split_arguments(&call.args)?;
            let setters = setters(&keywords);
            let receiver = &call.receiver;
            let method = entry(&call.method);
            let fallback = object_fallback(&call.method, &method);
            let fallbacks = keyword_fallbacks(&keywords);
            Ok(quote!({
                #fallback
                #fallbacks
                #receiver.#method((#(#positional,)*)) #(#setters)* .call()
            }))
        }
        other => Err(syn::Error::new_spanned(
            other,
            "expected a call: `call!(np::mean(&a, axis = 0))` or `call!(x.method(key = value))`",
        )),
    }
}

/// `call!(py, m::f(a, b))`: `m::f::__attached(py, (a, b,))`, the entry in
/// the hidden module beside a module function.
fn expand_attached(token: &Expr, input: TokenStream) -> syn::Result<TokenStream> {
    const EXPECTED: &str =
        "with a token, `call!` calls a module function: `call!(py, math::sqrt(x))`";
    let expr: Expr = syn::parse2(raw_keywords(input))?;
    let Expr::Call(call) = &expr else {
        return Err(syn::Error::new_spanned(&expr, EXPECTED));
    };
    let Expr::Path(function) = &*call.func else {
        return Err(syn::Error::new_spanned(&call.func, EXPECTED));
    };
    let (positional, keywords) = split_arguments(&call.args)?;
    if let Some((name, _)) = keywords.first() {
        return Err(syn::Error::new_spanned(
            name,
            "with a token, `call!` passes positional arguments only: a keyword goes through the builder, which attaches by itself (`call!(m::f(.., key = value))`)",
        ));
    }
    let mut path = function.clone();
    let span = path
        .path
        .segments
        .last()
        .map_or_else(proc_macro2::Span::call_site, |segment| segment.ident.span());
    path.path
        .segments
        .push(syn::PathSegment::from(Ident::new("__attached", span)));
    Ok(quote!(#path(#token, (#(#positional,)*))))
}

/// `.name(value)` for each keyword: the builder's setters.
fn setters<'a>(keywords: &'a [Keyword<'_>]) -> impl Iterator<Item = TokenStream> + 'a {
    keywords.iter().map(|(name, value)| quote!(.#name(#value)))
}

/// A keyword with no setter of its own goes through `**kwargs` where the
/// builder takes any keyword (`snakegen::AnyKeyword`): each keyword gets a
/// trait local to the call, whose method of the setter's name sends it by
/// Python's name. A builder's own setter is an inherent method, found
/// first, so named keywords stay typed; a builder without `**kwargs` has
/// neither, and the keyword is a compile error.
fn keyword_fallbacks(keywords: &[Keyword<'_>]) -> TokenStream {
    keywords
        .iter()
        .map(|(setter, _)| {
            let text = setter.unraw().to_string();
            let python = text
                .strip_suffix('_')
                .filter(|name| matches!(*name, "self" | "super" | "crate" | "Self"))
                .unwrap_or(&text);
            let trait_name = format_ident!("__SnakegenKeyword_{}", text);
            quote! {
                #[allow(non_camel_case_types, dead_code)]
                trait #trait_name: Sized {
                    fn #setter(self, value: impl ::snakegen::IntoPy) -> Self;
                }
                impl<T: ::snakegen::AnyKeyword> #trait_name for T {
                    fn #setter(self, value: impl ::snakegen::IntoPy) -> Self {
                        ::snakegen::AnyKeyword::keyword(self, #python, value)
                    }
                }
            }
        })
        .collect()
}

/// A method called on a plain `snakegen::Object` (sympy's untyped
/// results: `call!(expr.subs(&x, 2))`) has no hidden entry of its own:
/// the expansion declares one for `Object`, in a trait local to the
/// call, which calls the method by name, each keyword sent as written
/// (the pending call takes any keyword). A wrapper's own entry is an
/// inherent method of the wrapper, found before method lookup derefs to
/// `Object`, so typed calls stay typed.
fn object_fallback(method: &Ident, entry: &Ident) -> TokenStream {
    let python_name = method.unraw().to_string();
    quote! {
        #[allow(non_camel_case_types, dead_code)]
        struct __SnakegenMethodCall(::snakegen::Call);
        #[allow(non_camel_case_types, dead_code)]
        impl __SnakegenMethodCall {
            fn call(self) -> ::snakegen::Result<::snakegen::Object> {
                self.0.call()
            }
        }
        impl ::snakegen::AnyKeyword for __SnakegenMethodCall {
            fn keyword(self, name: &::core::primitive::str, value: impl ::snakegen::IntoPy) -> Self {
                __SnakegenMethodCall(self.0.kwarg(name, value))
            }
        }
        // The entry of a dunder (`__getitem__`) is `__call___getitem__`.
        #[allow(non_camel_case_types, non_snake_case, dead_code)]
        trait __SnakegenObjectMethod {
            fn #entry(&self, args: impl ::snakegen::Args) -> __SnakegenMethodCall;
        }
        #[allow(non_camel_case_types, non_snake_case, dead_code)]
        impl __SnakegenObjectMethod for ::snakegen::Object {
            fn #entry(&self, args: impl ::snakegen::Args) -> __SnakegenMethodCall {
                __SnakegenMethodCall(self.call_method_with(#python_name).positional(args))
            }
        }
    }
}

type Keyword<'a> = (Ident, &'a Expr);

fn split_arguments(
    arguments: &Punctuated<Expr, Token![,]>,
) -> syn::Result<(Vec<&Expr>, Vec<Keyword<'_>>)> {
    let mut positional = Vec::new();
    let mut keywords: Vec<Keyword<'_>> = Vec::new();
    for argument in arguments {
        match keyword(argument) {
            Some((name, value)) => {
                if let Some((earlier, _)) = keywords.iter().find(|(earlier, _)| *earlier == name) {
                    return Err(syn::Error::new_spanned(
                        argument,
                        format!("keyword argument `{}` repeated", earlier.unraw()),
                    ));
                }
                keywords.push((name, value));
            }
            None if !keywords.is_empty() => {
                return Err(syn::Error::new_spanned(
                    argument,
                    "positional argument follows keyword argument",
                ));
            }
            None => positional.push(argument),
        }
    }
    Ok((positional, keywords))
}

/// `name = value`, where `name` is a single identifier.
fn keyword(argument: &Expr) -> Option<(Ident, &Expr)> {
    let Expr::Assign(assign) = argument else {
        return None;
    };
    let Expr::Path(path) = &*assign.left else {
        return None;
    };
    if path.qself.is_some() || !assign.attrs.is_empty() {
        return None;
    }
    Some((path.path.get_ident()?.clone(), &assign.right))
}

/// The adapter's hidden entry for `call!`: `mean` → `__call_mean`,
/// `r#type` → `__call_type`.
fn entry(name: &Ident) -> Ident {
    format_ident!("__call_{}", name.unraw(), span = name.span())
}

/// `type = 1` is not an expression; `r#type = 1` is. Rewrites each
/// `keyword =` that starts an argument of the outermost call, so the whole
/// input parses as one expression.
fn raw_keywords(input: TokenStream) -> TokenStream {
    let mut tokens: Vec<TokenTree> = input.into_iter().collect();
    if let Some(TokenTree::Group(arguments)) = tokens.last_mut()
        && arguments.delimiter() == Delimiter::Parenthesis
    {
        let mut rewritten = Group::new(
            Delimiter::Parenthesis,
            rewrite_arguments(arguments.stream()),
        );
        rewritten.set_span(arguments.span());
        *arguments = rewritten;
    }
    tokens.into_iter().collect()
}

fn rewrite_arguments(arguments: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = arguments.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut at_start = true;
    for (index, token) in tokens.iter().enumerate() {
        let assigned = matches!(
            tokens.get(index + 1),
            Some(TokenTree::Punct(punct)) if punct.as_char() == '=' && punct.spacing() == Spacing::Alone
        );
        match token {
            TokenTree::Ident(name) if at_start && assigned => {
                out.push(TokenTree::Ident(setter(name)))
            }
            other => out.push(other.clone()),
        }
        at_start = matches!(token, TokenTree::Punct(punct) if punct.as_char() == ',');
    }
    out.into_iter().collect()
}

/// The builder's setter for a keyword written as `name`: itself, raw if it
/// is a Rust keyword, and `self_`-style for the four that cannot be raw.
fn setter(name: &Ident) -> Ident {
    let text = name.to_string();
    if syn::parse_str::<Ident>(&text).is_ok() || text.starts_with("r#") {
        return name.clone();
    }
    match text.as_str() {
        "self" | "super" | "crate" | "Self" => format_ident!("{text}_", span = name.span()),
        keyword => Ident::new_raw(keyword, name.span()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};

    fn check(input: &str, expected: Expect) {
        let input: TokenStream = input.parse().unwrap();
        let output = match expand(input) {
            Ok(tokens) => tokens.to_string(),
            Err(error) => format!("error: {error}"),
        };
        expected.assert_eq(&output);
    }

    #[test]
    fn keywords_become_setters_of_the_entrys_builder() {
        check(
            "np::mean(&a, axis = 0)",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_axis : Sized { fn axis (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_axis for T { fn axis (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "axis" , value) } } np :: __call_mean ((& a ,)) . axis (0) . call () }"#
            ]],
        );
        check(
            "py::fractions::Fraction::new(numerator = 1, denominator = 3)",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_numerator : Sized { fn numerator (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_numerator for T { fn numerator (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "numerator" , value) } } # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_denominator : Sized { fn denominator (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_denominator for T { fn denominator (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "denominator" , value) } } py :: fractions :: Fraction :: __call_new (()) . numerator (1) . denominator (3) . call () }"#
            ]],
        );
    }

    #[test]
    fn method_calls_use_the_methods_entry() {
        check(
            "third.limit_denominator(max_denominator = 10)",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] struct __SnakegenMethodCall (:: snakegen :: Call) ; # [allow (non_camel_case_types , dead_code)] impl __SnakegenMethodCall { fn call (self) -> :: snakegen :: Result < :: snakegen :: Object > { self . 0 . call () } } impl :: snakegen :: AnyKeyword for __SnakegenMethodCall { fn keyword (self , name : & :: core :: primitive :: str , value : impl :: snakegen :: IntoPy) -> Self { __SnakegenMethodCall (self . 0 . kwarg (name , value)) } } # [allow (non_camel_case_types , non_snake_case , dead_code)] trait __SnakegenObjectMethod { fn __call_limit_denominator (& self , args : impl :: snakegen :: Args) -> __SnakegenMethodCall ; } # [allow (non_camel_case_types , non_snake_case , dead_code)] impl __SnakegenObjectMethod for :: snakegen :: Object { fn __call_limit_denominator (& self , args : impl :: snakegen :: Args) -> __SnakegenMethodCall { __SnakegenMethodCall (self . call_method_with ("limit_denominator") . positional (args)) } } # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_max_denominator : Sized { fn max_denominator (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_max_denominator for T { fn max_denominator (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "max_denominator" , value) } } third . __call_limit_denominator (()) . max_denominator (10) . call () }"#
            ]],
        );
    }

    #[test]
    fn positional_arguments_go_positionally_as_written() {
        check(
            "math::sqrt(2.0)",
            expect!["{ math :: __call_sqrt ((2.0 ,)) . call () }"],
        );
        check(
            "sympy::Rational(1, 3)",
            expect!["{ sympy :: __call_Rational ((1 , 3 ,)) . call () }"],
        );
        check(
            "np::clip(&a, 1, 4)",
            expect!["{ np :: __call_clip ((& a , 1 , 4 ,)) . call () }"],
        );
        check(
            "math::gcd(12, 18, 30)",
            expect!["{ math :: __call_gcd ((12 , 18 , 30 ,)) . call () }"],
        );
        check(
            "m.limit_denominator(10)",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] struct __SnakegenMethodCall (:: snakegen :: Call) ; # [allow (non_camel_case_types , dead_code)] impl __SnakegenMethodCall { fn call (self) -> :: snakegen :: Result < :: snakegen :: Object > { self . 0 . call () } } impl :: snakegen :: AnyKeyword for __SnakegenMethodCall { fn keyword (self , name : & :: core :: primitive :: str , value : impl :: snakegen :: IntoPy) -> Self { __SnakegenMethodCall (self . 0 . kwarg (name , value)) } } # [allow (non_camel_case_types , non_snake_case , dead_code)] trait __SnakegenObjectMethod { fn __call_limit_denominator (& self , args : impl :: snakegen :: Args) -> __SnakegenMethodCall ; } # [allow (non_camel_case_types , non_snake_case , dead_code)] impl __SnakegenObjectMethod for :: snakegen :: Object { fn __call_limit_denominator (& self , args : impl :: snakegen :: Args) -> __SnakegenMethodCall { __SnakegenMethodCall (self . call_method_with ("limit_denominator") . positional (args)) } } m . __call_limit_denominator ((10 ,)) . call () }"#
            ]],
        );
        check(
            "Fraction::new()",
            expect!["{ Fraction :: __call_new (()) . call () }"],
        );
        check(
            "sympy::series(&e, &x, n = 4)",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_n : Sized { fn n (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_n for T { fn n (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "n" , value) } } sympy :: __call_series ((& e , & x ,)) . n (4) . call () }"#
            ]],
        );
    }

    #[test]
    fn a_token_first_calls_the_attached_entry() {
        check(
            "py, math::sqrt(x)",
            expect!["math :: sqrt :: __attached (py , (x ,))"],
        );
        check(
            "token, sqrt(1.0, 2)",
            expect!["sqrt :: __attached (token , (1.0 , 2 ,))"],
        );
        check(
            "py, np::mean(&a, axis = 0)",
            expect![[
                r#"error: with a token, `call!` passes positional arguments only: a keyword goes through the builder, which attaches by itself (`call!(m::f(.., key = value))`)"#
            ]],
        );
        check(
            "py, x.det()",
            expect![[
                r#"error: with a token, `call!` calls a module function: `call!(py, math::sqrt(x))`"#
            ]],
        );
    }

    #[test]
    fn rust_keywords_name_their_setters() {
        check(
            "f(x, type = 1, r#match = 2, self = 3)",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_type : Sized { fn r#type (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_type for T { fn r#type (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "type" , value) } } # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_match : Sized { fn r#match (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_match for T { fn r#match (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "match" , value) } } # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_self_ : Sized { fn self_ (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_self_ for T { fn self_ (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "self" , value) } } f :: __call ((x ,)) . r#type (1) . r#match (2) . self_ (3) . call () }"#
            ]],
        );
        check(
            "r#type(x, where = 1)",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_where : Sized { fn r#where (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_where for T { fn r#where (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "where" , value) } } r#type :: __call ((x ,)) . r#where (1) . call () }"#
            ]],
        );
    }

    #[test]
    fn nested_assignments_are_values_not_keywords() {
        check(
            "f(g(x = 1), y = (z == 2))",
            expect![[
                r#"{ # [allow (non_camel_case_types , dead_code)] trait __SnakegenKeyword_y : Sized { fn y (self , value : impl :: snakegen :: IntoPy) -> Self ; } impl < T : :: snakegen :: AnyKeyword > __SnakegenKeyword_y for T { fn y (self , value : impl :: snakegen :: IntoPy) -> Self { :: snakegen :: AnyKeyword :: keyword (self , "y" , value) } } f :: __call ((g (x = 1) ,)) . y ((z == 2)) . call () }"#
            ]],
        );
    }

    #[test]
    fn mistakes_are_python_errors() {
        check(
            "f(a = 1, 2)",
            expect![[r#"error: positional argument follows keyword argument"#]],
        );
        check(
            "f(a = 1, a = 2)",
            expect![[r#"error: keyword argument `a` repeated"#]],
        );
        check(
            "x + 1",
            expect![[
                r#"error: expected a call: `call!(np::mean(&a, axis = 0))` or `call!(x.method(key = value))`"#
            ]],
        );
        check(
            "(f)(a = 1)",
            expect![[
                r#"error: expected a path to an adapter function: `call!(np::mean(&a, axis = 0))`"#
            ]],
        );
    }
}
