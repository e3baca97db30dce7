//! One Python callable (function, constructor, method) as Rust: the direct
//! function, its builder's entry (`with::f` for a module's function,
//! `x.f_with()` for a method) and `call!`'s hidden entry.

use super::docs::{code_span, deprecated_attribute, doc_lines, python_signature};
use super::*;
use crate::metadata::{Overload, SignatureSource};

/// How the generated code reaches the Python callable.
pub(super) enum Receiver {
    /// A module-level function or a class constructor: the cached symbol.
    Symbol(Ident),
    /// A method called on `self`.
    Instance(String),
    /// A classmethod or staticmethod, called on the cached class; a method
    /// of a module-level object, called on it (`super::NORM`).
    ClassAttribute(TokenStream, String),
}

pub(super) struct Callable<'a> {
    pub(super) python_path: &'a str,
    pub(super) doc: Option<&'a str>,
    pub(super) names: CallableNames,
    pub(super) receiver: Receiver,
    /// Inside the impl of a class (constructors and methods).
    pub(super) in_impl: bool,
    pub(super) output: Output,
    /// The direct function's result type, when the stub's overloads say
    /// more for a call with only the required arguments
    /// (`sqlite3.connect(database)` is a `Connection`; with a `factory`, an
    /// instance of that).
    pub(super) direct_output: Option<Output>,
    pub(super) signature: &'a Signature,
    /// Also reachable as `<name>::__call`, which `call!(name(..))` uses for
    /// a name imported by itself: a module beside a module function, an
    /// associated function of a class (for its constructor).
    pub(super) call_by_name: bool,
}

/// The result types of a callable: its return annotation's, when every
/// overload of the stub maps to the same Rust type, otherwise an `Object`
/// (`numpy.where(c)` is a tuple but `where(c, x, y)` an array; the builder
/// reaches both); and, when it differs, the direct function's: the same
/// rule over the overloads that a call with only the required arguments
/// matches, when that is a class. `classes` are the classes generated in
/// the same module;
/// `owner` is the class whose method this is.
pub(super) fn signature_output(
    signature: &Signature,
    module: &str,
    classes: &BTreeSet<String>,
    owner: Option<&Ident>,
) -> (Output, Option<Output>) {
    let output =
        |returns: Option<&String>| output_for(returns.map(String::as_str), module, classes, owner);
    // `base`, if every overload maps to its Rust type.
    let agreed = |base: Output, overloads: &[&Overload]| {
        let rust = base.rust_type().to_string();
        let agree = overloads
            .iter()
            .all(|overload| output(overload.returns.as_ref()).rust_type().to_string() == rust);
        if agree { base } else { Output::Object }
    };
    let all: Vec<&Overload> = signature.overloads.iter().collect();
    let general = agreed(output(signature.returns.as_ref()), &all);
    let matching: Vec<&Overload> = all
        .iter()
        .copied()
        .filter(|overload| takes_only_required(overload, signature))
        .collect();
    let direct = match matching.first() {
        Some(first) if matching.len() < all.len() => {
            Some(agreed(output(first.returns.as_ref()), &matching))
        }
        _ => None,
    }
    // Only a class: a typed handle whose methods the call can go on to
    // (`connect(..)?.execute(..)`); a tuple or list would change what
    // printing the result shows.
    .filter(|direct| {
        matches!(direct, Output::Wrapper(_))
            && direct.rust_type().to_string() != general.rust_type().to_string()
    });
    (general, direct)
}

/// Whether an overload accepts the call the direct function makes: the
/// signature's required positional arguments by position, its required
/// keyword-only ones by name, and nothing else.
fn takes_only_required(overload: &Overload, signature: &Signature) -> bool {
    let positional = |p: &&Parameter| {
        matches!(
            p.kind,
            ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword
        )
    };
    let given = signature
        .parameters
        .iter()
        .filter(|p| p.is_required() && positional(p))
        .count();
    let given_keywords: BTreeSet<&str> = signature
        .parameters
        .iter()
        .filter(|p| p.is_required() && p.kind == ParameterKind::KeywordOnly)
        .map(|p| p.name.as_str())
        .collect();
    let needed = overload
        .parameters
        .iter()
        .filter(|p| p.is_required() && positional(p))
        .count();
    let room = overload.parameters.iter().filter(positional).count();
    let variadic = overload
        .parameters
        .iter()
        .any(|p| p.kind == ParameterKind::VarPositional);
    let keywords_given = overload
        .parameters
        .iter()
        .filter(|p| p.is_required() && p.kind == ParameterKind::KeywordOnly)
        .all(|p| given_keywords.contains(p.name.as_str()));
    needed <= given && (given <= room || variadic) && keywords_given
}

pub(super) fn output_for(
    returns: Option<&str>,
    module: &str,
    classes: &BTreeSet<String>,
    owner: Option<&Ident>,
) -> Output {
    let owner = owner.map(ToString::to_string);
    let context = types::Context {
        module,
        classes,
        owner: owner.as_deref(),
    };
    types::output(returns, &context)
}

/// A required argument of the direct function.
struct Required {
    ident: Ident,
    python: String,
    by_keyword: bool,
    /// Annotated `Callable[..]`: takes a closure too.
    callable: bool,
}

enum SetterKind {
    /// An optional positional-only parameter, at this position.
    Slot(usize),
    Keyword,
    VarPositional,
    VarKeyword,
}

struct Setter {
    ident: Ident,
    python: String,
    kind: SetterKind,
    /// Annotated `Callable[..]`: takes a closure too.
    callable: bool,
}

/// Whether the parameter `name` is a function: `Callable[..]` in the
/// signature and in every stub overload that has it, or `None` in some
/// (`sorted`'s `key` is `None` in one overload, a `Callable` in the other).
fn is_callable(signature: &Signature, name: &str) -> bool {
    let annotations: Vec<&str> = std::iter::once(&signature.parameters)
        .chain(
            signature
                .overloads
                .iter()
                .map(|overload| &overload.parameters),
        )
        .flatten()
        .filter(|parameter| parameter.name == name)
        .map(|parameter| parameter.annotation.as_deref())
        .collect::<Option<_>>()
        .unwrap_or_default();
    !annotations.is_empty() && types::is_callable(&annotations.join(" | "))
}

/// The value a required argument passes to Python: a closure given for a
/// `Callable` becomes a callback.
fn passed(argument: &Required) -> TokenStream {
    let ident = &argument.ident;
    if argument.callable {
        quote! { snakegen::Function::into_function(#ident) }
    } else {
        quote! { #ident }
    }
}

/// A signature's parameters as the generated API takes them: the required
/// ones as function arguments, the optional ones (and `*args`/`**kwargs`)
/// as builder setters.
struct Arguments {
    required: Vec<Required>,
    /// The `_with` builder's setters.
    setters: Vec<Setter>,
    /// Setters only `call!`'s entry needs: it passes positional arguments
    /// only, so a required keyword-only parameter is set on its builder.
    keyword_setters: Vec<Setter>,
    /// `f(*values)` and nothing else (`math.hypot`): the function takes an
    /// iterator.
    only_var_positional: bool,
}

impl Arguments {
    fn new(signature: &Signature) -> Self {
        let parameters = signature.parameters.as_slice();
        let mut arguments = Scope::default();
        let mut setter_names = Scope::with_reserved(&["call"]);
        let only_var_positional =
            matches!(parameters, [p] if p.kind == ParameterKind::VarPositional);
        let mut required = Vec::new();
        let mut setters = Vec::new();
        let mut keyword_setters = Vec::new();
        let mut position = 0;
        for parameter in parameters {
            if parameter.is_required() {
                let by_keyword = parameter.kind == ParameterKind::KeywordOnly;
                required.push(Required {
                    ident: names::ident(&arguments.claim(&names::snake_case(&parameter.name))),
                    python: parameter.name.clone(),
                    by_keyword,
                    callable: is_callable(signature, &parameter.name),
                });
                if by_keyword {
                    keyword_setters.push(Setter {
                        ident: names::ident(
                            &setter_names.claim(&names::snake_case(&parameter.name)),
                        ),
                        python: parameter.name.clone(),
                        kind: SetterKind::Keyword,
                        callable: is_callable(signature, &parameter.name),
                    });
                }
            } else if (!parameter.name.starts_with('_') || parameter.is_variadic())
                && !only_var_positional
            {
                let kind = match parameter.kind {
                    ParameterKind::PositionalOnly => SetterKind::Slot(position),
                    ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly => {
                        SetterKind::Keyword
                    }
                    ParameterKind::VarPositional => SetterKind::VarPositional,
                    ParameterKind::VarKeyword => SetterKind::VarKeyword,
                };
                // Stubs spell variadics `*_args`: the setter is `args`.
                let setter_name = match parameter.name.trim_start_matches('_') {
                    "" => parameter.name.as_str(),
                    trimmed => trimmed,
                };
                setters.push(Setter {
                    ident: names::ident(&setter_names.claim(&names::snake_case(setter_name))),
                    python: parameter.name.clone(),
                    kind,
                    callable: is_callable(signature, &parameter.name),
                });
            }
            if matches!(
                parameter.kind,
                ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword
            ) {
                position += 1;
            }
        }
        // The stub's overloads may name keywords that Python's signature
        // leaves to `**kwargs` (`subprocess.run(..., text=True)`): each is
        // settable by name too, where the callable takes them.
        let named: BTreeSet<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
        let mut overload_keywords = BTreeSet::new();
        let takes_them = signature.source == SignatureSource::Stub
            || parameters
                .iter()
                .any(|parameter| parameter.kind == ParameterKind::VarKeyword);
        if takes_them && !only_var_positional {
            for parameter in signature.overloads.iter().flat_map(|o| &o.parameters) {
                let by_keyword = matches!(
                    parameter.kind,
                    ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly
                );
                if by_keyword
                    && !parameter.name.starts_with('_')
                    && !named.contains(parameter.name.as_str())
                    && overload_keywords.insert(parameter.name.as_str())
                {
                    setters.push(Setter {
                        ident: names::ident(
                            &setter_names.claim(&names::snake_case(&parameter.name)),
                        ),
                        python: parameter.name.clone(),
                        kind: SetterKind::Keyword,
                        callable: is_callable(signature, &parameter.name),
                    });
                }
            }
        }
        Arguments {
            required,
            setters,
            keyword_setters,
            only_var_positional,
        }
    }
}

/// What every generated function of one callable shares: how it reaches
/// Python and how the result comes back.
struct CallParts {
    self_param: Option<TokenStream>,
    /// `<Marker0, ..>`, one marker per `Callable` argument, or nothing.
    generics: TokenStream,
    /// `x: impl snakegen::IntoPy, ...` for the required arguments
    /// (`impl snakegen::Function<Marker0>` for a `Callable`).
    params: Vec<TokenStream>,
    result_type: TokenStream,
    /// The runtime's call method, `call` or `call_extract::<T>`.
    call: TokenStream,
    /// The same on a thread that is attached already, taking the token:
    /// `call_attached` or `call_extract_attached::<T>`.
    call_attached: TokenStream,
    call_method: TokenStream,
    /// The conversion of an untyped result (`.map(Wrapper::from)`).
    wrap: TokenStream,
    /// A pending `snakegen::Call` of the callable, without arguments.
    start_call: TokenStream,
    /// `.arg(x)` / `.kwarg("k", k)` for each required argument.
    pass_required: Vec<TokenStream>,
}

impl CallParts {
    fn new(spec: &Callable, output: &Output, required: &[Required]) -> Self {
        let self_param = matches!(spec.receiver, Receiver::Instance(_)).then(|| quote! { &self, });
        let mut markers = Vec::new();
        let params = required
            .iter()
            .map(|argument| {
                let ident = &argument.ident;
                if argument.callable {
                    let marker = quote::format_ident!("Marker{}", markers.len());
                    let param = quote! { #ident: impl snakegen::Function<#marker> };
                    markers.push(marker);
                    param
                } else {
                    quote! { #ident: impl snakegen::IntoPy }
                }
            })
            .collect();
        let generics = if markers.is_empty() {
            TokenStream::new()
        } else {
            quote! { <#(#markers),*> }
        };
        // A typed result converts inside the call's own attachment.
        let (call, call_attached, call_method, wrap) = match output {
            Output::Extracted(rust) => (
                quote! { call_extract::<#rust> },
                quote! { call_extract_attached::<#rust> },
                quote! { call_method_extract::<#rust> },
                TokenStream::new(),
            ),
            other => (
                quote! { call },
                quote! { call_attached },
                quote! { call_method },
                other.conversion(),
            ),
        };
        let start_call = match &spec.receiver {
            Receiver::Symbol(symbol) => quote! { #symbol.call_with() },
            Receiver::Instance(method) => quote! { self.object.call_method_with(#method) },
            Receiver::ClassAttribute(symbol, method) => {
                quote! { #symbol.call_method_with(#method) }
            }
        };
        let pass_required = required
            .iter()
            .map(|argument| {
                let python = &argument.python;
                let value = passed(argument);
                if argument.by_keyword {
                    quote! { .kwarg(#python, #value) }
                } else {
                    quote! { .arg(#value) }
                }
            })
            .collect();
        CallParts {
            self_param,
            generics,
            params,
            result_type: output.rust_type(),
            call,
            call_attached,
            call_method,
            wrap,
            start_call,
            pass_required,
        }
    }
}

/// What one callable adds to its module: the items in place (the function,
/// `call!`'s entry, and in an impl the `_with` method), the module-level
/// builder function for the module's `with`, and the builder type for its
/// `__builders`.
pub(super) struct Generated {
    pub(super) items: TokenStream,
    pub(super) with: TokenStream,
    pub(super) builder: TokenStream,
}

/// The builder functions and types of one module, gathered as its callables
/// are generated, for its `with` and `__builders` modules.
#[derive(Default)]
pub(super) struct Nested {
    withs: Vec<TokenStream>,
    builders: Vec<TokenStream>,
}

impl Nested {
    /// Keeps what `generated` adds to the nested modules; returns its items.
    pub(super) fn add(&mut self, generated: Generated) -> TokenStream {
        self.withs.push(generated.with);
        self.builders.push(generated.builder);
        generated.items
    }

    pub(super) fn extend(&mut self, other: Nested) {
        self.withs.extend(other.withs);
        self.builders.extend(other.builders);
    }

    /// `pub mod with` (the builder functions under the Python names,
    /// `with::expand(e).deep(false).call()`) and the hidden
    /// `pub mod __builders` (their types), each only when it holds
    /// something. Neither name can be a Python one (`with` is a keyword
    /// there, and no public name starts with `_`), so completion after
    /// `py::sympy::` lists the Python names, `with` and nothing else.
    pub(super) fn modules(&self) -> TokenStream {
        let with_doc = " This module's functions and classes with their optional and keyword arguments: \
            `with::f(required..)` returns a builder with one setter per optional parameter; \
            finish with `.call()`. `call!(f(.., keyword = value))` makes the same call.";
        let with = nested_module(quote! { #[doc = #with_doc] }, WITH, &self.withs);
        let builders = hidden(nested_module(TokenStream::new(), BUILDERS, &self.builders));
        quote! { #with #builders }
    }
}

/// The module of a module's builder functions: `sympy::with::expand`.
pub(crate) const WITH: &str = "with";

/// The module that holds a module's builder types, out of the way of its
/// Python names in completion and in rustdoc's index: `with::f(..)` returns
/// a `__builders::FCall`.
const BUILDERS: &str = "__builders";

/// `items` (`call!`'s `__call_f`, `__builders`, the module beside a
/// function: what the adapters need that is not a Python name) in the
/// runtime's `hidden!`, which hides them from rustdoc and from
/// rust-analyzer's completion. `format::unparse` lays its body out as
/// prettyplease lays out items.
pub(super) fn hidden(items: TokenStream) -> TokenStream {
    if items.is_empty() {
        return items;
    }
    quote! { snakegen::hidden! { #items } }
}

fn nested_module(attributes: TokenStream, name: &str, items: &[TokenStream]) -> TokenStream {
    if items.iter().all(TokenStream::is_empty) {
        return TokenStream::new();
    }
    let module = names::ident(name);
    quote! {
        #attributes
        pub mod #module {
            #[allow(unused_imports)]
            use super::*;
            #(#items)*
        }
    }
}

/// The direct function and, when the signature has optional parts, the
/// builder function (a `_with` method in an impl, else for the module's
/// `with`) and its builder type (for the module's `__builders`).
pub(super) fn callable(spec: &Callable) -> Generated {
    let Arguments {
        required,
        mut setters,
        keyword_setters,
        only_var_positional,
    } = Arguments::new(spec.signature);
    let parts = CallParts::new(spec, &spec.output, &required);
    let function = match &spec.direct_output {
        Some(output) => {
            let direct_parts = CallParts::new(spec, output, &required);
            direct_function(spec, &direct_parts, &required, only_var_positional)
        }
        None => direct_function(spec, &parts, &required, only_var_positional),
    };
    let attached = attached_entry(spec, &parts);
    let CallParts {
        self_param,
        generics,
        params,
        result_type,
        call,
        wrap,
        start_call,
        pass_required,
        ..
    } = &parts;

    // `call!`'s hidden entry: every positional argument, as written, in
    // one tuple; then the keyword builder (or, for a callable without
    // setters, the runtime's `Pending`).
    let entry_name =
        quote::format_ident!("__call_{}", spec.names.function.trim_start_matches("r#"));
    let entry_allow = non_snake_allowance(&entry_name);
    let builder = names::ident(&spec.names.builder);
    // Builders live in the module's hidden `__builders` (see `BUILDERS`).
    let builders = names::ident(BUILDERS);
    let builder_path = quote! { #builders::#builder };
    let entry = |returns: TokenStream, body: TokenStream| {
        let by_name = spec.call_by_name.then(|| {
            if spec.in_impl {
                quote! {
                    pub fn __call(args: impl snakegen::Args) -> #returns {
                        Self::#entry_name(args)
                    }
                }
            } else {
                let module = names::ident(&spec.names.function);
                let allow = non_snake_allowance(&module);
                quote! {
                    #allow
                    pub mod #module {
                        // Unused until a `call!` names the function alone.
                        #[allow(unused_imports)]
                        pub use super::#entry_name as __call;
                        #attached
                    }
                }
            }
        });
        hidden(quote! {
            #entry_allow
            pub fn #entry_name(#self_param args: impl snakegen::Args) -> #returns {
                #body
            }
            #by_name
        })
    };
    // The builder function: `with::f` at module level, for every callable
    // (so that `with::` names what `py::m::` does), `f_with` in an impl
    // only for one with optional arguments.
    let with_name = names::ident(&spec.names.with);
    // Inside an impl the function is reached through `Self`; at module
    // level `fn@` keeps rustdoc from reading `array` as the primitive. Raw
    // identifiers (`r#match`) cannot be linked at all.
    let label = spec.names.function.trim_start_matches("r#");
    let link = if spec.names.function.starts_with("r#") {
        format!("`{label}`")
    } else if spec.in_impl {
        format!("[`{label}`](Self::{label})")
    } else {
        format!("[`{label}`](fn@super::{label})")
    };
    let with_allow = non_snake_allowance(&with_name);
    let with_deprecated = deprecated_attribute(spec.doc, spec.python_path);
    let with_function = |doc: String, returns: TokenStream, body: TokenStream| {
        quote! {
            #[doc = #doc]
            #with_deprecated
            #with_allow
            pub fn #with_name #generics(#self_param #(#params),*) -> #returns {
                #body
            }
        }
    };
    let (entry, with_function, builder) = if setters.is_empty() && keyword_setters.is_empty() {
        let pending = quote! { snakegen::Pending<#result_type> };
        let entry = entry(
            pending.clone(),
            quote! { snakegen::Pending::new(#start_call.positional(args), |call| call.#call() #wrap) },
        );
        let with = (!spec.in_impl).then(|| {
            with_function(
                format!(" Like {link}, which has no optional arguments: finish with `.call()`."),
                pending,
                quote! { snakegen::Pending::new(#start_call #(#pass_required)*, |call| call.#call() #wrap) },
            )
        });
        (entry, with, TokenStream::new())
    } else {
        let entry = entry(
            quote! { #builder_path },
            quote! { #builder_path(#start_call.positional(args)) },
        );
        let has_optional = !setters.is_empty();
        setters.extend(keyword_setters);
        let with = (has_optional || !spec.in_impl).then(|| {
            with_function(
                format!(" Like {link}, with the optional arguments settable on the returned builder; finish with `.call()`."),
                builder_path.clone(),
                quote! { #builder_path(#start_call #(#pass_required)*) },
            )
        });
        (entry, with, builder_item(spec, &parts, &builder, &setters))
    };
    // A method's `_with` stays beside it; a module's goes to its `with`.
    let (beside, in_with) = if spec.in_impl {
        (with_function, None)
    } else {
        (None, with_function)
    };
    Generated {
        items: quote! { #function #beside #entry },
        with: in_with.unwrap_or_default(),
        builder,
    }
}

/// `call!(py, m::f(..))`'s entry, `f::__attached(py, (positional, ..))`:
/// a module function called with the token of `snakegen::attach` instead
/// of attaching again (P1: a hand-written pyo3 call's cost). It lives in
/// the hidden module beside the function, and takes the positional
/// arguments as `call!` passes them; keywords go through the builder.
fn attached_entry(spec: &Callable, parts: &CallParts) -> Option<TokenStream> {
    let Receiver::Symbol(symbol) = &spec.receiver else {
        return None;
    };
    if spec.in_impl {
        return None;
    }
    let CallParts {
        result_type,
        call_attached,
        wrap,
        ..
    } = parts;
    Some(quote! {
        // The result's conversion may name the module's classes.
        #[allow(unused_imports)]
        use super::*;
        pub fn __attached(py: snakegen::Python<'_>, args: impl snakegen::Args) -> snakegen::Result<#result_type> {
            #symbol.#call_attached(py, args) #wrap
        }
    })
}

/// `f(required...)`, calling with Python's defaults.
fn direct_function(
    spec: &Callable,
    parts: &CallParts,
    required: &[Required],
    only_var_positional: bool,
) -> TokenStream {
    let CallParts {
        self_param,
        generics,
        params,
        result_type,
        call,
        call_method,
        wrap,
        start_call,
        pass_required,
        ..
    } = parts;
    let function_name = names::ident(&spec.names.function);
    let allow = non_snake_allowance(&function_name);
    let deprecated = deprecated_attribute(spec.doc, spec.python_path);
    let mut doc = doc_lines(
        &python_signature(spec.python_path, spec.signature),
        spec.doc,
        Some((spec.python_path, spec.signature)),
    );
    // Under the signature: the same call as Python writes it, which hover
    // shows first. When the function leaves out optional positional
    // arguments, `with_call_forms` also writes it on the definition's
    // line, which rustc quotes under a wrong argument count.
    let leaves_out_positionals = !only_var_positional
        && spec.signature.parameters.iter().any(|parameter| {
            !parameter.is_required()
                && matches!(
                    parameter.kind,
                    ParameterKind::PositionalOnly
                        | ParameterKind::PositionalOrKeyword
                        | ParameterKind::VarPositional
                )
        });
    let lead = if leaves_out_positionals {
        OPTIONAL_POSITIONALS
    } else {
        " As Python writes it: "
    };
    doc.splice(
        1..1,
        [String::new(), format!("{lead}{}", call_example(spec))],
    );
    if only_var_positional {
        let parameter = &spec.signature.parameters[0];
        let values = names::ident(&names::rust_name(&names::snake_case(&parameter.name)));
        quote! {
            #(#[doc = #doc])*
            #deprecated
            #allow
            pub fn #function_name(#self_param #values: impl IntoIterator<Item = impl snakegen::IntoPy>) -> snakegen::Result<#result_type> {
                #start_call.args(#values).#call() #wrap
            }
        }
    } else if required.iter().any(|argument| argument.by_keyword) {
        quote! {
            #(#[doc = #doc])*
            #deprecated
            #allow
            pub fn #function_name #generics(#self_param #(#params),*) -> snakegen::Result<#result_type> {
                #start_call #(#pass_required)* .#call() #wrap
            }
        }
    } else {
        let values: Vec<TokenStream> = required.iter().map(passed).collect();
        let call = match &spec.receiver {
            Receiver::Symbol(symbol) => quote! { #symbol.#call((#(#values,)*)) },
            Receiver::Instance(method) => {
                quote! { self.object.#call_method(#method, (#(#values,)*)) }
            }
            Receiver::ClassAttribute(symbol, method) => {
                quote! { #symbol.#call_method(#method, (#(#values,)*)) }
            }
        };
        quote! {
            #(#[doc = #doc])*
            #deprecated
            #allow
            pub fn #function_name #generics(#self_param #(#params),*) -> snakegen::Result<#result_type> {
                #call #wrap
            }
        }
    }
}

/// The doc line that shows the `call!` form of a function that leaves out
/// optional positional arguments.
pub(super) const OPTIONAL_POSITIONALS: &str = " As Python writes it, optional arguments too: ";

/// `call!(fractions::Fraction(numerator, denominator))`, with Python's
/// positional parameters, and required keyword-only ones as keywords.
fn call_example(spec: &Callable) -> String {
    let mut arguments: Vec<String> = Vec::new();
    for parameter in &spec.signature.parameters {
        match parameter.kind {
            ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword => {
                arguments.push(parameter.name.clone())
            }
            ParameterKind::KeywordOnly if parameter.is_required() => {
                arguments.push(format!("{} = ..", names::snake_case(&parameter.name)))
            }
            _ => {}
        }
    }
    let arguments = arguments.join(", ");
    let rust_path = |python: &str| python.replace('.', "::");
    let call = match &spec.receiver {
        Receiver::Instance(method) => format!("x.{method}({arguments})"),
        Receiver::Symbol(_) | Receiver::ClassAttribute(..) => {
            format!("{}({arguments})", rust_path(spec.python_path))
        }
    };
    code_span(&format!("call!({call})"))
}

/// The builder type: one setter per optional part, then `.call()`.
fn builder_item(
    spec: &Callable,
    parts: &CallParts,
    builder: &Ident,
    setters: &[Setter],
) -> TokenStream {
    let CallParts {
        result_type,
        call,
        wrap,
        ..
    } = parts;
    let setter_fns = setters.iter().map(|setter| {
        let ident = &setter.ident;
        let python = &setter.python;
        // A `Callable` takes a closure too.
        let (generics, value_type, value) = if setter.callable {
            (
                quote! { <Marker> },
                quote! { impl snakegen::Function<Marker> },
                quote! { snakegen::Function::into_function(value) },
            )
        } else {
            (TokenStream::new(), quote! { impl snakegen::IntoPy }, quote! { value })
        };
        let (doc, body) = match setter.kind {
            SetterKind::Slot(index) => (
                format!(" Sets the positional-only argument `{python}`."),
                quote! { pub fn #ident #generics(self, value: #value_type) -> Self { Self(self.0.arg_at(#index, #value)) } },
            ),
            SetterKind::Keyword => (
                format!(" Sets `{python}`."),
                quote! { pub fn #ident #generics(self, value: #value_type) -> Self { Self(self.0.kwarg(#python, #value)) } },
            ),
            SetterKind::VarPositional => (
                format!(" Appends to `*{python}`."),
                quote! {
                    pub fn #ident(self, values: impl IntoIterator<Item = impl snakegen::IntoPy>) -> Self {
                        Self(self.0.args(values))
                    }
                },
            ),
            SetterKind::VarKeyword => (
                format!(" Adds to `**{python}`."),
                quote! {
                    // In full: `builtins.str` is a `pub struct str` here.
                    pub fn #ident(self, values: impl IntoIterator<Item = (impl AsRef<::core::primitive::str>, impl snakegen::IntoPy)>) -> Self {
                        Self(self.0.kwargs(values))
                    }
                },
            ),
        };
        let allow = self_convention_allowance(ident, true);
        quote! { #[doc = #doc] #allow #body }
    });
    let builder_doc = format!(
        " A pending call of {}: set optional arguments, then `.call()`.",
        code_span(spec.python_path)
    );
    // `call!(f(x, key = v))` sends a keyword with no setter through it.
    let any_keyword = setters
        .iter()
        .any(|setter| matches!(setter.kind, SetterKind::VarKeyword))
        .then(|| {
            quote! {
                impl snakegen::AnyKeyword for #builder {
                    fn keyword(self, name: &::core::primitive::str, value: impl snakegen::IntoPy) -> Self {
                        Self(self.0.kwarg(name, value))
                    }
                }
            }
        });
    quote! {
        #[doc = #builder_doc]
        #[must_use]
        pub struct #builder(pub(super) snakegen::Call);
        impl #builder {
            #(#setter_fns)*
            /// Calls Python.
            pub fn call(self) -> snakegen::Result<#result_type> {
                self.0.#call() #wrap
            }
        }
        #any_keyword
    }
}

/// Clippy's `wrong_self_convention` for a Python name: a builder setter
/// (`self` by value) named `is_safe` or `as_integer`, a getter (`&self`)
/// named `from_*`.
pub(super) fn self_convention_allowance(name: &Ident, by_value: bool) -> Option<TokenStream> {
    let name = name.to_string();
    let name = name.trim_start_matches("r#");
    let prefixes: &[&str] = if by_value {
        &["is_", "as_", "to_", "from_"]
    } else {
        &["from_"]
    };
    prefixes
        .iter()
        .any(|prefix| name.starts_with(prefix))
        .then(|| quote! { #[allow(clippy::wrong_self_convention)] })
}

/// Clippy's `should_implement_trait` for a class constant named like a
/// trait's associated function without arguments (`Default::default`).
pub(super) fn class_constant_allowance(name: &Ident) -> Option<TokenStream> {
    (name == "default").then(|| quote! { #[allow(clippy::should_implement_trait)] })
}

pub(super) fn non_snake_allowance(name: &Ident) -> Option<TokenStream> {
    (!names::is_snake_case(&name.to_string())).then(|| quote! { #[allow(non_snake_case)] })
}
