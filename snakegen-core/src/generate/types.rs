//! Return annotations (from stubs or runtime hints) → Rust result types.
//!
//! `int` → `i64`, `float` → `f64`, `bool`, `str` → `String`, `bytes` →
//! `Vec<u8>`, `None` → `()`, `list[T]` → `Vec<T>`, `tuple[A, B]` → `(A, B)`,
//! `tuple[T, ...]` → `Vec<T>`, `dict[K, V]` → `HashMap<K, V>` (a key that
//! is not `str`, `int` or `bool` is an `Object`, which is `Eq + Hash` by
//! Python's rules), `Optional[T]` and `T | None` → `Option<T>`, a class
//! generated in the same module (or `Self`), generic or not
//! (`Pattern[str]`) → its wrapper. Anything else, other unions and type
//! variables included, is a `snakegen::Object`: the whole result at the
//! top, an item inside a container (`tuple[AnyStr, AnyStr]` → `(Object,
//! Object)`), so the container's shape is still Rust's.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::names;

/// A Rust result type and how a Python result becomes one.
pub enum Output {
    Object,
    Unit,
    /// A wrapper of a generated class: built from the object, unchecked.
    Wrapper(TokenStream),
    /// Anything `Object::extract` converts.
    Extracted(TokenStream),
}

impl Output {
    pub fn rust_type(&self) -> TokenStream {
        match self {
            Output::Object => quote! { snakegen::Object },
            Output::Unit => quote! { () },
            Output::Wrapper(rust) | Output::Extracted(rust) => rust.clone(),
        }
    }

    /// What follows a `snakegen::Result<snakegen::Object>` to convert it.
    pub fn conversion(&self) -> TokenStream {
        match self {
            Output::Object => TokenStream::new(),
            Output::Unit => quote! { .map(|_| ()) },
            Output::Wrapper(rust) => quote! { .map(#rust::from) },
            Output::Extracted(rust) => quote! { .and_then(|value| value.extract::<#rust>()) },
        }
    }
}

/// Where an annotation is read: the module whose classes have wrappers,
/// and the class whose method it is (for `Self`).
pub struct Context<'a> {
    pub module: &'a str,
    pub classes: &'a BTreeSet<String>,
    pub owner: Option<&'a str>,
}

pub fn output(annotation: Option<&str>, context: &Context) -> Output {
    let Some(annotation) = annotation else {
        return Output::Object;
    };
    match parse(annotation.trim()) {
        Some(Annotation::Name(name)) if name == "None" => Output::Unit,
        Some(parsed) => match rust(&parsed, context) {
            Some(Rust::Wrapper(rust)) => Output::Wrapper(rust),
            Some(Rust::Extracted(rust)) => Output::Extracted(rust),
            None => Output::Object,
        },
        None => Output::Object,
    }
}

#[derive(Debug, PartialEq)]
enum Annotation {
    Name(String),
    Generic(String, Vec<Annotation>),
    Union(Vec<Annotation>),
}

enum Rust {
    Wrapper(TokenStream),
    Extracted(TokenStream),
}

impl Rust {
    fn tokens(self) -> TokenStream {
        match self {
            Rust::Wrapper(rust) | Rust::Extracted(rust) => rust,
        }
    }
}

fn rust(annotation: &Annotation, context: &Context) -> Option<Rust> {
    let extracted = |tokens| Some(Rust::Extracted(tokens));
    match annotation {
        Annotation::Name(name) => match name.as_str() {
            "int" => extracted(primitive("i64", context)),
            "float" => extracted(primitive("f64", context)),
            "bool" => extracted(primitive("bool", context)),
            "str" => extracted(quote! { String }),
            "bytes" => {
                let byte = primitive("u8", context);
                extracted(quote! { Vec<#byte> })
            }
            "Self" => context.owner.map(|owner| Rust::Wrapper(wrapper(owner))),
            name => class_wrapper(name, context),
        },
        Annotation::Generic(name, arguments) => {
            // An item of a container: what the item maps to, else an
            // `Object` (every Python value extracts to one).
            let inner = |index: usize| -> Option<TokenStream> {
                let argument = arguments.get(index)?;
                Some(
                    rust(argument, context)
                        .map(Rust::tokens)
                        .unwrap_or_else(|| quote! { snakegen::Object }),
                )
            };
            match (name.as_str(), arguments.len()) {
                ("list" | "List", 1) => {
                    let item = inner(0)?;
                    extracted(quote! { Vec<#item> })
                }
                ("Optional", 1) => {
                    let item = inner(0)?;
                    extracted(quote! { Option<#item> })
                }
                ("dict" | "Dict", 2) => {
                    let key = match &arguments[0] {
                        Annotation::Name(key) if matches!(key.as_str(), "str" | "int" | "bool") => {
                            inner(0)?
                        }
                        // Floats and wrappers are not `Eq + Hash` in Rust.
                        _ => quote! { snakegen::Object },
                    };
                    let value = inner(1)?;
                    extracted(quote! { std::collections::HashMap<#key, #value> })
                }
                ("tuple" | "Tuple", 2) if arguments[1] == Annotation::Name("...".into()) => {
                    let item = inner(0)?;
                    extracted(quote! { Vec<#item> })
                }
                ("tuple" | "Tuple", _)
                    if !arguments
                        .iter()
                        .any(|argument| *argument == Annotation::Name("...".into())) =>
                {
                    let items = (0..arguments.len())
                        .map(inner)
                        .collect::<Option<Vec<_>>>()?;
                    // `tuple[()]`, the empty tuple: pyo3 extracts no `()`.
                    let empty = items.iter().all(|item| item.to_string() == "()");
                    if empty {
                        return extracted(quote! { Vec<snakegen::Object> });
                    }
                    extracted(quote! { (#(#items,)*) })
                }
                // A generic class of the module (`re.compile` returns
                // `Pattern[str]`): its wrapper, whatever the parameters.
                (name, _) => class_wrapper(name, context),
            }
        }
        Annotation::Union(members) => {
            let none = Annotation::Name("None".into());
            match members.as_slice() {
                [item, other] | [other, item] if *other == none => {
                    let item = rust(item, context)
                        .map(Rust::tokens)
                        .unwrap_or_else(|| quote! { snakegen::Object });
                    extracted(quote! { Option<#item> })
                }
                _ => None,
            }
        }
    }
}

/// A Rust primitive type, by its full path when a class of the module
/// takes its name (`builtins.bool` is `pub struct bool`).
fn primitive(name: &str, context: &Context) -> TokenStream {
    let ident = names::ident(name);
    if context.classes.contains(name) {
        quote! { ::core::primitive::#ident }
    } else {
        quote! { #ident }
    }
}

/// The wrapper of `name` when it is a class generated in the module.
fn class_wrapper(name: &str, context: &Context) -> Option<Rust> {
    let class = name
        .strip_prefix(&format!("{}.", context.module))
        .unwrap_or(name);
    context
        .classes
        .contains(class)
        .then(|| Rust::Wrapper(wrapper(class)))
}

fn wrapper(class: &str) -> TokenStream {
    let ident = names::ident(&names::rust_name(class));
    quote! { #ident }
}

/// `a | b`, `name[args]`, dotted names; `None` for anything else.
fn parse(text: &str) -> Option<Annotation> {
    let mut members = split_top_level(text, '|')
        .into_iter()
        .map(|member| parse_single(member.trim()));
    let first = members.next()??;
    let rest: Vec<Annotation> = members.collect::<Option<_>>()?;
    if rest.is_empty() {
        return Some(first);
    }
    Some(Annotation::Union(
        std::iter::once(first).chain(rest).collect(),
    ))
}

fn parse_single(text: &str) -> Option<Annotation> {
    match text.split_once('[') {
        Some((name, rest)) => {
            let inside = rest.strip_suffix(']')?;
            // `tuple[()]` is the empty tuple; an argument that is not a
            // type (`Literal['r']`, `Callable`'s `[int]`) is an unknown
            // name, so the generic around it still maps (`ndarray[..]`).
            let arguments = if inside.trim() == "()" {
                Vec::new()
            } else {
                split_top_level(inside, ',')
                    .into_iter()
                    .map(|argument| {
                        parse(argument.trim()).unwrap_or_else(|| Annotation::Name("?".into()))
                    })
                    .collect()
            };
            Some(Annotation::Generic(name.trim().to_owned(), arguments))
        }
        None if text == "..."
            || text
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                && !text.is_empty() =>
        {
            // Stubs spell a builtin in full where a member shadows it
            // (`uuid.UUID.version -> builtins.int | None`).
            let text = text.strip_prefix("typing.").unwrap_or(text);
            let text = text.strip_prefix("builtins.").unwrap_or(text);
            Some(Annotation::Name(text.to_owned()))
        }
        None => None,
    }
}

/// Splits on `separator` outside brackets.
fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if c == separator && depth == 0 => {
                parts.push(&text[start..index]);
                start = index + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(annotation: &str) -> String {
        let classes: BTreeSet<String> = ["Fraction".to_owned()].into();
        let context = Context {
            module: "fractions",
            classes: &classes,
            owner: Some("Fraction"),
        };
        output(Some(annotation), &context).rust_type().to_string()
    }

    #[test]
    fn primitives_shadowed_by_classes_are_spelled_in_full() {
        let classes: BTreeSet<String> = ["bool".to_owned(), "str".to_owned()].into();
        let context = Context {
            module: "builtins",
            classes: &classes,
            owner: None,
        };
        let rendered = |annotation| output(Some(annotation), &context).rust_type().to_string();
        assert_eq!(rendered("bool"), ":: core :: primitive :: bool");
        assert_eq!(rendered("str"), "String");
        assert_eq!(rendered("list[int]"), "Vec < i64 >");
        assert_eq!(rendered("str | None"), "Option < String >");
    }

    #[test]
    fn annotations_map_to_rust_types() {
        let cases = [
            ("float", "f64"),
            ("int", "i64"),
            ("bool", "bool"),
            ("str", "String"),
            ("bytes", "Vec < u8 >"),
            ("None", "()"),
            ("list[str]", "Vec < String >"),
            ("List[int]", "Vec < i64 >"),
            ("tuple[int, str]", "(i64 , String ,)"),
            ("tuple[int, ...]", "Vec < i64 >"),
            ("tuple[Any, ...]", "Vec < snakegen :: Object >"),
            (
                "tuple[AnyStr, AnyStr]",
                "(snakegen :: Object , snakegen :: Object ,)",
            ),
            ("tuple[int, _T, ...]", "snakegen :: Object"),
            ("list[_T]", "Vec < snakegen :: Object >"),
            (
                "dict[AnyStr, list[AnyStr]]",
                "std :: collections :: HashMap < snakegen :: Object , Vec < snakegen :: Object > >",
            ),
            (
                "dict[float, Fraction]",
                "std :: collections :: HashMap < snakegen :: Object , Fraction >",
            ),
            ("_T | None", "Option < snakegen :: Object >"),
            ("builtins.int | None", "Option < i64 >"),
            ("Fraction[tuple[()], _T]", "Fraction"),
            ("tuple[()]", "Vec < snakegen :: Object >"),
            ("list[Literal['a', 'b']]", "Vec < snakegen :: Object >"),
            ("list[int | str]", "Vec < snakegen :: Object >"),
            (
                "dict[str, float]",
                "std :: collections :: HashMap < String , f64 >",
            ),
            (
                "dict[Any, int]",
                "std :: collections :: HashMap < snakegen :: Object , i64 >",
            ),
            ("Optional[int]", "Option < i64 >"),
            ("int | None", "Option < i64 >"),
            ("None | str", "Option < String >"),
            ("int | float", "snakegen :: Object"),
            ("Fraction", "Fraction"),
            ("fractions.Fraction", "Fraction"),
            ("Self", "Fraction"),
            ("list[Fraction]", "Vec < Fraction >"),
            ("Fraction[int]", "Fraction"),
            ("fractions.Fraction[int, str]", "Fraction"),
            ("Other[int]", "snakegen :: Object"),
            ("_T", "snakegen :: Object"),
            (
                "Callable[[Any], Any] | None",
                "Option < snakegen :: Object >",
            ),
        ];
        for (annotation, expected) in cases {
            assert_eq!(rendered(annotation), expected, "{annotation}");
        }
    }
}
