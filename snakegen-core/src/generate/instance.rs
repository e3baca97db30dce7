//! A module-level object's members (`scipy.stats.norm`, an `rv_continuous`
//! instance): a module of the object's name, beside its function or value,
//! holding a function per used method and a getter per used attribute, each
//! reaching the cached object (`stats::norm::cdf(1.96)`), typed from the
//! object's class.

use super::callable::{Callable, Nested, Receiver, WITH, callable, hidden, signature_output};
use super::class::{Owner, attribute_getter};
use super::*;
use crate::metadata::Instance;

/// The object at `path` (cached as `symbol_static`), as `pub mod #name`;
/// `call_entry` is its `call!` entry when the object is callable, which
/// `call!(norm(..))` on the name alone reaches through the module.
pub(super) fn instance_module(
    path: &str,
    instance: &Instance,
    name: &str,
    symbol_static: &Ident,
    call_entry: Option<&Ident>,
    classes: &BTreeSet<String>,
) -> TokenStream {
    let module = parent_of(path).unwrap_or_default();
    let object = quote! { super::#symbol_static };
    let mut scope = Scope::with_reserved(&["object", WITH]);
    let class = &instance.of;
    let mut items = Vec::new();
    let mut nested = Nested::default();
    for (method_name, method) in &class.methods {
        let function = scope.claim(method_name);
        let builder = scope.claim(&builder_name("", method_name));
        let (output, direct_output) = signature_output(&method.signature, module, classes, None);
        items.push(nested.add(callable(&Callable {
            python_path: &format!("{path}.{method_name}"),
            doc: method.doc.as_deref(),
            names: CallableNames::module_level(function, builder),
            receiver: Receiver::ClassAttribute(object.clone(), method_name.clone()),
            in_impl: false,
            output,
            direct_output,
            signature: &method.signature,
            call_by_name: true,
        })));
    }
    let owner = Owner {
        path,
        module,
        classes,
        type_ident: None,
        symbol_static: object.clone(),
    };
    for (attribute_name, attribute) in &class.attributes {
        items.push(attribute_getter(
            &owner,
            attribute_name,
            attribute,
            &mut scope,
        ));
    }
    let nested_modules = nested.modules();
    let module_ident = names::ident(name);
    let allow = non_snake_allowance(&module_ident);
    let doc = format!(
        " The members of {}, an instance of {}, as functions that reach it.",
        code_span(path),
        code_span(&instance.class)
    );
    let call = call_entry.map(|entry| {
        hidden(quote! {
            #[allow(unused_imports)]
            pub use super::#entry as __call;
        })
    });
    quote! {
        #[doc = #doc]
        #allow
        pub mod #module_ident {
            #[allow(unused_imports)]
            use super::*;
            #call
            /// The Python object itself.
            pub fn object() -> snakegen::Result<snakegen::Object> {
                #object.object()
            }
            #(#items)*
            #nested_modules
        }
    }
}
