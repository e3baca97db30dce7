//! What the items of a scope bind: `use` trees, `type` aliases, the
//! scope's own definitions, and `use` items found in macro tokens.

use proc_macro2::{Span, TokenStream, TokenTree};

use super::unraw;

/// A name an item binds: from `use` (or `type X = path;`), a glob, or
/// the item's own definition.
pub(super) enum Import {
    Name {
        name: String,
        path: Vec<String>,
        span: Span,
    },
    Glob(Vec<String>),
    Local(String),
}

pub(super) fn imports_of_items(items: &[syn::Item]) -> Vec<Import> {
    let mut imports = Vec::new();
    for item in items {
        match item {
            syn::Item::Use(item) => {
                collect_imports(&item.tree, &mut Vec::new(), None, &mut imports)
            }
            // `type Frac = py::fractions::Fraction;` binds `Frac` like a `use`.
            syn::Item::Type(alias) => {
                if let syn::Type::Path(syn::TypePath {
                    qself: None, path, ..
                }) = alias.ty.as_ref()
                {
                    imports.push(Import::Name {
                        name: unraw(&alias.ident.to_string()),
                        path: path
                            .segments
                            .iter()
                            .map(|segment| unraw(&segment.ident.to_string()))
                            .collect(),
                        span: alias.ident.span(),
                    });
                }
            }
            other => {
                if let Some(name) = defined_name(other) {
                    imports.push(Import::Local(name));
                }
            }
        }
    }
    imports
}

fn defined_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Fn(item) => &item.sig.ident,
        syn::Item::Struct(item) => &item.ident,
        syn::Item::Enum(item) => &item.ident,
        syn::Item::Const(item) => &item.ident,
        syn::Item::Static(item) => &item.ident,
        syn::Item::Mod(item) => &item.ident,
        syn::Item::Trait(item) => &item.ident,
        syn::Item::Union(item) => &item.ident,
        _ => return None,
    };
    Some(unraw(&ident.to_string()))
}

/// `use` items found by tokens, for a file syn cannot parse: each
/// `use ... ;` that parses on its own still binds its names.
pub(super) fn imports_in_tokens(tokens: TokenStream) -> Vec<Import> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut imports = Vec::new();
    for (start, token) in tokens.iter().enumerate() {
        let TokenTree::Ident(ident) = token else {
            continue;
        };
        if ident != "use" {
            continue;
        }
        let end = tokens[start..]
            .iter()
            .position(|token| matches!(token, TokenTree::Punct(punct) if punct.as_char() == ';'))
            .map_or(tokens.len(), |offset| start + offset + 1);
        let item: TokenStream = tokens[start..end].iter().cloned().collect();
        if let Ok(item) = syn::parse2::<syn::ItemUse>(item) {
            collect_imports(&item.tree, &mut Vec::new(), None, &mut imports);
        }
    }
    imports
}

fn collect_imports(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    first_span: Option<Span>,
    imports: &mut Vec<Import>,
) {
    match tree {
        syn::UseTree::Path(path) => {
            let span = first_span.unwrap_or_else(|| path.ident.span());
            prefix.push(unraw(&path.ident.to_string()));
            collect_imports(&path.tree, prefix, Some(span), imports);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let name_text = unraw(&name.ident.to_string());
            let span = first_span.unwrap_or_else(|| name.ident.span());
            // `use py::math::{self}` binds `math`.
            let (bound, path) = if name_text == "self" {
                (prefix.last().cloned(), prefix.clone())
            } else {
                (
                    Some(name_text.clone()),
                    [prefix.as_slice(), &[name_text]].concat(),
                )
            };
            if let Some(name) = bound {
                imports.push(Import::Name { name, path, span });
            }
        }
        syn::UseTree::Rename(rename) => {
            let original = unraw(&rename.ident.to_string());
            let path = if original == "self" {
                prefix.clone()
            } else {
                [prefix.as_slice(), &[original]].concat()
            };
            imports.push(Import::Name {
                name: unraw(&rename.rename.to_string()),
                path,
                span: first_span.unwrap_or_else(|| rename.ident.span()),
            });
        }
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                collect_imports(tree, prefix, first_span, imports);
            }
        }
        syn::UseTree::Glob(_) => imports.push(Import::Glob(prefix.clone())),
    }
}
