//! Python names → Rust identifiers.
//!
//! The rule, which the scanner reverses:
//! - a Rust keyword becomes a raw identifier (`where` → `r#where`);
//! - the four keywords that cannot be raw (`self`, `super`, `crate`, `Self`)
//!   get a trailing underscore (`self` → `self_`);
//! - a name already taken in the same scope (a Python method named `new`
//!   next to the constructor, a keyword named `call` on a builder) also gets
//!   a trailing underscore, repeated until it is free.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span};

use crate::util::rust::{KEYWORDS, NOT_RAW};

/// The Rust spelling of a Python name, as text (`r#where`, `self_`).
pub fn rust_name(python: &str) -> String {
    if NOT_RAW.contains(&python) {
        format!("{python}_")
    } else if KEYWORDS.contains(&python) {
        format!("r#{python}")
    } else {
        python.to_owned()
    }
}

/// The identifier for a name from `rust_name`. Names are validated where
/// they enter (manifests, config, ledger, the introspector's answer); one
/// that slips through anyway is spelled out (`x*` → `x_u2a_`) rather than
/// panicking the generator.
pub fn ident(rust_name: &str) -> Ident {
    match rust_name.strip_prefix("r#") {
        Some(raw) if is_identifier(raw) && !NOT_RAW.contains(&raw) => {
            Ident::new_raw(raw, Span::call_site())
        }
        _ if is_identifier(rust_name) => Ident::new(rust_name, Span::call_site()),
        _ => Ident::new(&spelled_out(rust_name), Span::call_site()),
    }
}

fn is_identifier(name: &str) -> bool {
    crate::metadata::is_python_identifier(name) && name != "_"
}

fn spelled_out(name: &str) -> String {
    let mut out = String::from("x_");
    for c in name.chars() {
        if unicode_ident::is_xid_continue(c) {
            out.push(c);
        } else {
            out.push_str(&format!("u{:x}_", c as u32));
        }
    }
    out
}

/// `rowsList` → `rows_list`, `B` → `b`: for parameters and their setters,
/// whose Rust names are not Python's API (the keyword string is).
pub fn snake_case(python: &str) -> String {
    let mut snake = String::new();
    let mut previous: Option<char> = None;
    for c in python.chars() {
        if c.is_uppercase() && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) {
            snake.push('_');
        }
        snake.extend(c.to_lowercase());
        previous = Some(c);
    }
    snake
}

/// `limit_denominator` → `LimitDenominator`, for builder type names.
pub fn camel_case(python: &str) -> String {
    python
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Hands out names in one Rust scope, renaming collisions by the rule above.
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    pub fn claim(&mut self, python: &str) -> String {
        let mut name = rust_name(python);
        while !self.taken.insert(name.trim_start_matches("r#").to_owned()) {
            name = format!("{}_", name.trim_start_matches("r#"));
        }
        name
    }
}

/// Whether rustc's `non_snake_case` lint accepts `name` as a function: no
/// uppercase, and no `__` between words (`new__with`, a renamed `new_`'s
/// builder function, is not snake case).
pub fn is_snake_case(name: &str) -> bool {
    let name = name.trim_start_matches("r#");
    !name.chars().any(|c| c.is_uppercase()) && !name.trim_matches('_').contains("__")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_is_no_identifier_is_spelled_out_not_a_panic() {
        assert_eq!(ident("x*").to_string(), "x_xu2a_");
        assert_eq!(ident("\u{345}").to_string(), "x_\u{345}");
        assert_eq!(ident("r#a-b").to_string(), "x_ru23_au2d_b");
        assert_eq!(ident("").to_string(), "x_");
        assert_eq!(ident("r#where").to_string(), "r#where");
        assert_eq!(ident("self_").to_string(), "self_");
    }

    #[test]
    fn keywords_and_collisions() {
        assert_eq!(rust_name("where"), "r#where");
        assert_eq!(rust_name("gen"), "r#gen");
        assert_eq!(rust_name("self"), "self_");
        assert_eq!(rust_name("Self"), "Self_");
        assert_eq!(rust_name("sqrt"), "sqrt");
        let mut scope = Scope::with_reserved(&["new", "call"]);
        assert_eq!(scope.claim("new"), "new_");
        assert_eq!(scope.claim("new_"), "new__");
        assert_eq!(scope.claim("type"), "r#type");
        assert_eq!(scope.claim("type"), "type_");
        assert_eq!(camel_case("limit_denominator"), "LimitDenominator");
        assert_eq!(snake_case("rowsList"), "rows_list");
        assert_eq!(snake_case("B"), "b");
        assert_eq!(snake_case("max_denominator"), "max_denominator");
        assert_eq!(camel_case("_private__name"), "PrivateName");
        assert_eq!(ident("r#where").to_string(), "r#where");
        assert!(is_snake_case("new_with") && is_snake_case("new_") && is_snake_case("__x__"));
        assert!(!is_snake_case("new__with") && !is_snake_case("N") && !is_snake_case("a__b_"));
    }
}
