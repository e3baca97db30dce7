//! A class's adapter: the wrapper struct, its constructor, methods,
//! attribute getters and class constants, and the function that calls the
//! class as Python does.

use super::callable::{
    Callable, Generated, Nested, Receiver, callable, class_constant_allowance, output_for,
    self_convention_allowance, signature_output,
};
use super::docs::{code_span, deprecated_attribute, python_signature};
use super::*;
use crate::metadata::{Attribute, Method};

/// The class at `path` as Rust items, and what they add to the module's
/// nested modules.
pub(super) fn class_item(
    path: &str,
    symbol: &Symbol,
    class: &Class,
    type_name: &str,
    symbol_static: &Ident,
    scope: &mut Scope,
    classes: &BTreeSet<String>,
) -> (TokenStream, Nested) {
    let class_name = last_segment(path);
    let module = parent_of(path).unwrap_or_default();
    let type_ident = names::ident(type_name);
    let doc = doc_lines(
        &python_signature(path, &class.constructor),
        symbol.doc.as_deref(),
        Some((path, &class.constructor)),
    );
    let allow_case = (!class_name.starts_with(|c: char| c.is_uppercase()))
        .then(|| quote! { #[allow(non_camel_case_types)] });
    // `uuid.UUID`, `hashlib.HASH`: clippy would have them `Uuid`.
    let allow_acronym = (type_name.len() > 1 && !type_name.chars().any(|c| c.is_lowercase()))
        .then(|| quote! { #[allow(clippy::upper_case_acronyms)] });

    let mut members = Scope::default();
    let mut nested = Nested::default();
    let mut functions = Vec::new();
    let mut push = |spec: Callable| functions.push(nested.add(callable(&spec)));
    let new_names = member_names(&mut members, scope, "new", type_name);
    let new_builder = new_names.builder.clone();
    push(Callable {
        python_path: path,
        doc: Some(&format!(
            "Calls the Python class {} (its constructor).",
            code_span(path)
        )),
        names: new_names,
        receiver: Receiver::Symbol(symbol_static.clone()),
        in_impl: true,
        output: Output::Wrapper(quote! { #type_ident }),
        direct_output: None,
        signature: &class.constructor,
        call_by_name: true,
    });
    // The class called as Python calls it, `sympy::sin(&x)`: a function of
    // the struct's name (a struct with named fields leaves the value
    // namespace free), and `with::Name` building the same call as
    // `new_with`.
    // Plain text: the docstring pass escapes link brackets.
    let same_as = format!("`{}::new`", type_name.trim_start_matches("r#"));
    let constructor = callable(&Callable {
        python_path: path,
        doc: Some(&format!(
            "Calls the Python class {}, as Python does: the same as {same_as}.",
            code_span(path)
        )),
        names: CallableNames::module_level(type_name.to_owned(), new_builder),
        receiver: Receiver::Symbol(symbol_static.clone()),
        in_impl: false,
        output: Output::Wrapper(quote! { #type_ident }),
        direct_output: None,
        signature: &class.constructor,
        call_by_name: false,
    });
    let method_paths: Vec<(String, &Method)> = class
        .methods
        .iter()
        .map(|(name, method)| (format!("{path}.{name}"), method))
        .collect();
    for ((method_path, method), name) in method_paths.iter().zip(class.methods.keys()) {
        let receiver = match method.binding {
            Binding::Instance => Receiver::Instance(name.clone()),
            Binding::Class | Binding::Static => {
                Receiver::ClassAttribute(quote! { #symbol_static }, name.clone())
            }
        };
        let (output, direct_output) =
            signature_output(&method.signature, module, classes, Some(&type_ident));
        push(Callable {
            python_path: method_path,
            doc: method.doc.as_deref(),
            names: member_names(&mut members, scope, name, type_name),
            receiver,
            in_impl: true,
            output,
            direct_output,
            signature: &method.signature,
            call_by_name: false,
        });
    }
    let owner = Owner {
        path,
        module,
        classes,
        type_ident: Some(&type_ident),
        symbol_static: quote! { #symbol_static },
    };
    let getters = class
        .attributes
        .iter()
        .map(|(name, attribute)| attribute_getter(&owner, name, attribute, &mut members));
    // Its builder type is `new`'s.
    let constructor_function = nested.add(Generated {
        builder: TokenStream::new(),
        ..constructor
    });
    let deprecated = deprecated_attribute(symbol.doc.as_deref(), path);
    let item = quote! {
        #(#[doc = #doc])*
        #deprecated
        #allow_case
        #allow_acronym
        pub struct #type_ident {
            object: snakegen::Object,
        }
        snakegen::wrapper!(#type_ident, object);
        impl #type_ident {
            #(#functions)*
            #(#getters)*
        }
        #constructor_function
    };
    (item, nested)
}

/// What an attribute getter reads: a class (its wrapper's getters), or a
/// module-level object (`type_ident: None`; every getter reads the object).
pub(super) struct Owner<'a> {
    pub(super) path: &'a str,
    pub(super) module: &'a str,
    pub(super) classes: &'a BTreeSet<String>,
    pub(super) type_ident: Option<&'a Ident>,
    /// The cached class, or object.
    pub(super) symbol_static: TokenStream,
}

/// A getter for an attribute: `&self` for instance data, an associated
/// function reading the class for a class constant, a function reading the
/// object for a module-level object's.
pub(super) fn attribute_getter(
    owner: &Owner,
    name: &str,
    attribute: &Attribute,
    members: &mut Scope,
) -> TokenStream {
    let symbol_static = &owner.symbol_static;
    let getter = names::ident(&members.claim(name));
    let headline = match &attribute.annotation {
        Some(annotation) => format!("{}.{name}: {annotation}", owner.path),
        None => format!("{}.{name}", owner.path),
    };
    let doc = doc_lines(&headline, attribute.doc.as_deref(), None);
    let deprecated = deprecated_attribute(attribute.doc.as_deref(), name);
    let allow = non_snake_allowance(&getter);
    let output = output_for(
        attribute.annotation.as_deref(),
        owner.module,
        owner.classes,
        owner.type_ident,
    );
    let rust = output.rust_type();
    let conversion = output.conversion();
    if attribute.class_level || owner.type_ident.is_none() {
        // Read from the class each time, as a module value is.
        let trait_name = class_constant_allowance(&getter);
        quote! {
            #(#[doc = #doc])*
            #deprecated
            #allow
            #trait_name
            pub fn #getter() -> snakegen::Result<#rust> {
                #symbol_static.getattr(#name)#conversion
            }
        }
    } else {
        let convention = self_convention_allowance(&getter, false);
        quote! {
            #(#[doc = #doc])*
            #deprecated
            #allow
            #convention
            pub fn #getter(&self) -> snakegen::Result<#rust> {
                self.object.getattr(#name)#conversion
            }
        }
    }
}
