//! What introspection learns about Python symbols: plain data, serialised
//! as the per-library manifests (`.snakegen/manifest/<library>.json`) and
//! read back by `--check`, which regenerates from it without Python.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One symbol, keyed elsewhere by its public dotted path (`fractions.Fraction`).
// No `deny_unknown_fields` here: serde does not support it with `flatten`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbol {
    /// Where Python defines it (`sympy.functions.elementary.miscellaneous.sqrt`).
    pub canonical: String,
    pub doc: Option<String>,
    #[serde(flatten)]
    pub item: Item,
    /// For an object that is neither a module, a class nor a plain function
    /// (`scipy.stats.norm`, an `rv_continuous`; a numpy ufunc): its class,
    /// whose members the crate reaches through it (`stats::norm::cdf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<Instance>,
}

/// A module-level object's class, described as a class is: only the members
/// the crate calls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// Where Python defines the class (`scipy.stats._continuous_distns.norm_gen`).
    pub class: String,
    pub of: Class,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    Module {
        /// The module's public names, kept only for modules that the crate
        /// glob-imports: they decide which names under the glob are Python's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        names: Option<Vec<String>>,
    },
    Function {
        signature: Signature,
    },
    Class(Class),
    /// A module-level value (`math.pi`); `type_name` is its Python type.
    Attribute {
        type_name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Class {
    pub constructor: Signature,
    /// Every public member name. Only those the crate calls are described
    /// in `methods` and `attributes`, and generated.
    #[serde(default)]
    pub members: Vec<String>,
    /// Public methods the crate calls, own and inherited.
    pub methods: BTreeMap<String, Method>,
    /// Public data: properties and instance attributes, read through
    /// getters, and class constants (`class_level`), read from the class.
    pub attributes: BTreeMap<String, Attribute>,
    /// More public members than the introspector keeps: the rest are not
    /// generated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    pub binding: Binding,
    /// Without the bound `self`/`cls`.
    pub signature: Signature,
    pub doc: Option<String>,
}

/// How a method is called: on an instance, or on the class itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    Instance,
    Class,
    Static,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    pub doc: Option<String>,
    /// Its type in the stub (a property's return annotation, a field's
    /// `name: T`), which types the getter's result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// A class constant (`datetime.timezone.utc`: a `ClassVar` in the stub,
    /// or a plain value stored on the class that the stub does not
    /// declare): an associated function reads it from the class, with no
    /// instance.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub class_level: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub source: SignatureSource,
    /// Why each better tier failed, in tier order.
    pub fallbacks: Vec<String>,
    pub parameters: Vec<Parameter>,
    pub returns: Option<String>,
    /// Every `@overload` of the stub, when it has more than one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overloads: Vec<Overload>,
}

/// One `@overload` from a `.pyi` stub.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overload {
    pub parameters: Vec<Parameter>,
    pub returns: Option<String>,
}

/// Where a signature came from, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureSource {
    /// A `.pyi` stub (the package's own, or typeshed's), with names, kinds
    /// and defaults from `inspect.signature` when Python has one.
    Stub,
    /// `inspect.signature`, including `__text_signature__`.
    Inspect,
    /// The `name(params)` line at the top of the docstring.
    Docstring,
    /// Nothing known: `(*args, **kwargs)`.
    Variadic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    pub kind: ParameterKind,
    /// Python's `repr` of the default, or `None` when the parameter is required.
    pub default: Option<String>,
    pub annotation: Option<String>,
}

impl SignatureSource {
    /// The name in manifests and in `inspect`/`status` output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SignatureSource::Stub => "stub",
            SignatureSource::Inspect => "inspect",
            SignatureSource::Docstring => "docstring",
            SignatureSource::Variadic => "variadic",
        }
    }
}

/// Python's own names (`inspect.Parameter.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::enum_variant_names)]
pub enum ParameterKind {
    #[serde(rename = "POSITIONAL_ONLY")]
    PositionalOnly,
    #[serde(rename = "POSITIONAL_OR_KEYWORD")]
    PositionalOrKeyword,
    #[serde(rename = "VAR_POSITIONAL")]
    VarPositional,
    #[serde(rename = "KEYWORD_ONLY")]
    KeywordOnly,
    #[serde(rename = "VAR_KEYWORD")]
    VarKeyword,
}

impl ParameterKind {
    /// Python's name, as in manifests and `inspect` output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ParameterKind::PositionalOnly => "POSITIONAL_ONLY",
            ParameterKind::PositionalOrKeyword => "POSITIONAL_OR_KEYWORD",
            ParameterKind::VarPositional => "VAR_POSITIONAL",
            ParameterKind::KeywordOnly => "KEYWORD_ONLY",
            ParameterKind::VarKeyword => "VAR_KEYWORD",
        }
    }
}

impl Parameter {
    pub fn is_required(&self) -> bool {
        self.default.is_none() && !self.is_variadic()
    }

    /// `*args` or `**kwargs`.
    pub fn is_variadic(&self) -> bool {
        matches!(
            self.kind,
            ParameterKind::VarPositional | ParameterKind::VarKeyword
        )
    }
}

impl Symbol {
    /// For a glob-imported module: its public names.
    pub fn name_index(&self) -> Option<&[String]> {
        match &self.item {
            Item::Module { names } => names.as_deref(),
            _ => None,
        }
    }

    pub fn is_module(&self) -> bool {
        matches!(self.item, Item::Module { .. })
    }

    /// The names its results are annotated with: its return types (each
    /// overload's too) or, for a class, its described methods' and its
    /// attributes' types. The same scan as the introspector's
    /// `result_annotations`.
    fn result_names(&self) -> BTreeSet<&str> {
        let annotations: Vec<Option<&str>> = match &self.item {
            Item::Function { signature } => returns(signature).collect(),
            Item::Class(class) => class_results(class).collect(),
            Item::Module { .. } | Item::Attribute { .. } => Vec::new(),
        };
        let annotations = annotations.into_iter().chain(
            self.instance
                .iter()
                .flat_map(|instance| class_results(&instance.of)),
        );
        annotations.flatten().flat_map(annotation_names).collect()
    }

    /// The described class whose members it has: its own, or its
    /// instance's.
    pub fn members(&self) -> Option<&Class> {
        match (&self.item, &self.instance) {
            (Item::Class(class), _) => Some(class),
            (_, Some(instance)) => Some(&instance.of),
            _ => None,
        }
    }

    pub(crate) fn members_mut(&mut self) -> Option<&mut Class> {
        match (&mut self.item, &mut self.instance) {
            (Item::Class(class), _) => Some(class),
            (_, Some(instance)) => Some(&mut instance.of),
            _ => None,
        }
    }
}

fn returns(signature: &Signature) -> impl Iterator<Item = Option<&str>> {
    std::iter::once(signature.returns.as_deref()).chain(
        signature
            .overloads
            .iter()
            .map(|overload| overload.returns.as_deref()),
    )
}

/// A class's result annotations: its described methods' and its
/// attributes' types.
fn class_results(class: &Class) -> impl Iterator<Item = Option<&str>> {
    class
        .methods
        .values()
        .flat_map(|method| returns(&method.signature))
        .chain(
            class
                .attributes
                .values()
                .map(|attribute| attribute.annotation.as_deref()),
        )
}

/// The classes of `path`'s module that its results are annotated with, and
/// theirs in turn (`sqlite3.Connection` → `sqlite3.Cursor`), among
/// `symbols`. The introspector describes them with the symbol, so that a
/// result's type never depends on what else the crate uses.
pub(crate) fn result_classes(symbols: &BTreeMap<String, Symbol>, path: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending = vec![path.to_owned()];
    while let Some(path) = pending.pop() {
        let Some(symbol) = symbols.get(&path) else {
            continue;
        };
        let module = path.rsplit_once('.').map_or("", |(module, _)| module);
        for name in symbol.result_names() {
            let class = format!("{module}.{name}");
            let is_class = symbols
                .get(&class)
                .is_some_and(|symbol| matches!(symbol.item, Item::Class(_)));
            if is_class && class != path && found.insert(class.clone()) {
                pending.push(class);
            }
        }
    }
    found
}

/// The bare names in an annotation (`Cursor`, `list`, `Pattern` in
/// `list[Pattern[str]] | Cursor`), not those inside string literals nor
/// after a dot (`np.ndarray`).
fn annotation_names(annotation: &str) -> Vec<&str> {
    let bytes = annotation.as_bytes();
    let mut names = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'\'' || byte == b'"' {
            index = annotation[index + 1..]
                .find(byte as char)
                .map_or(bytes.len(), |end| index + end + 2);
        } else if byte.is_ascii_alphanumeric() || byte == b'_' {
            let start = index;
            while index < bytes.len()
                && (bytes[index].is_ascii_alphanumeric() || bytes[index] == b'_')
            {
                index += 1;
            }
            let after_dot = start > 0 && bytes[start - 1] == b'.';
            if !after_dot && bytes[start].is_ascii_alphabetic() {
                names.push(&annotation[start..index]);
            }
        } else {
            index += 1;
        }
    }
    names
}

/// The interpreter that was asked, as recorded in the lock.
pub type PythonIdentity = snakegen_lockfile::Python;

/// Everything known about one configured library: what the manifest holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryMetadata {
    /// The installed version (the Python version for the stdlib).
    pub version: String,
    /// Every symbol on the way to a used one, modules included, by public path.
    pub symbols: BTreeMap<String, Symbol>,
}

impl LibraryMetadata {
    /// The first name in it that is not a Python identifier, as the key
    /// that holds it (`symbols."math.".`, `...parameters[0].name`): every
    /// such name becomes a Rust identifier in the generated code, so a
    /// manifest edited by hand or a library with odd attribute names must
    /// not get that far.
    pub(crate) fn first_invalid_name(&self) -> Option<String> {
        self.symbols.iter().find_map(|(path, symbol)| {
            let at = format!("symbols.{path:?}");
            if !is_dotted_path(path) {
                return Some(at);
            }
            symbol.first_invalid_name().map(|key| format!("{at}.{key}"))
        })
    }
}

impl Symbol {
    /// The first name in it that the generator would spell in Rust but is
    /// not a Python identifier, as its key in the symbol
    /// (`signature.parameters[0].name`, `methods."x*"`).
    pub(crate) fn first_invalid_name(&self) -> Option<String> {
        let own = match &self.item {
            Item::Module { names } => first_invalid(names.iter().flatten(), "names"),
            Item::Function { signature } => {
                invalid_in_signature(signature).map(|key| format!("signature.{key}"))
            }
            Item::Class(class) => invalid_in_class(class),
            Item::Attribute { .. } => None,
        };
        own.or_else(|| {
            let instance = self.instance.as_ref()?;
            invalid_in_class(&instance.of).map(|key| format!("instance.of.{key}"))
        })
    }
}

fn invalid_in_class(class: &Class) -> Option<String> {
    invalid_in_signature(&class.constructor)
        .map(|key| format!("constructor.{key}"))
        .or_else(|| first_invalid(&class.members, "members"))
        .or_else(|| {
            class.methods.iter().find_map(|(name, method)| {
                if !is_python_identifier(name) {
                    return Some(format!("methods.{name:?}"));
                }
                invalid_in_signature(&method.signature)
                    .map(|key| format!("methods.{name:?}.signature.{key}"))
            })
        })
        .or_else(|| {
            class
                .attributes
                .keys()
                .find(|name| !is_python_identifier(name))
                .map(|name| format!("attributes.{name:?}"))
        })
}

/// `list[3]`: the first of `names` that is not an identifier.
fn first_invalid<'a>(names: impl IntoIterator<Item = &'a String>, list: &str) -> Option<String> {
    names
        .into_iter()
        .position(|name| !is_python_identifier(name))
        .map(|index| format!("{list}[{index}]"))
}

fn invalid_in_signature(signature: &Signature) -> Option<String> {
    let parameters = |parameters: &[Parameter]| {
        first_invalid(
            parameters.iter().map(|parameter| &parameter.name),
            "parameters",
        )
        .map(|key| format!("{key}.name"))
    };
    parameters(&signature.parameters).or_else(|| {
        signature
            .overloads
            .iter()
            .enumerate()
            .find_map(|(index, overload)| {
                parameters(&overload.parameters).map(|key| format!("overloads[{index}].{key}"))
            })
    })
}

/// Python's `str.isidentifier()`: a letter or `_`, then letters, digits
/// and `_`, in Unicode's identifier classes (which Rust's are too).
pub(crate) fn is_python_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first == '_' || unicode_ident::is_xid_start(first))
        && chars.all(unicode_ident::is_xid_continue)
}

/// `numpy.linalg.norm`: identifiers joined by dots, none empty.
pub(crate) fn is_dotted_path(path: &str) -> bool {
    path.split('.').all(is_python_identifier)
}

/// The library a dotted path belongs to: its first segment.
pub(crate) fn library_of(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_pythons() {
        for good in ["x", "_", "sqrt", "rowsList", "\u{e9}t\u{e9}", "x2"] {
            assert!(is_python_identifier(good), "{good:?}");
        }
        for bad in ["", "x*", "a-b", "a/b", "nul\u{0}", "\u{345}", "2x", "a b"] {
            assert!(!is_python_identifier(bad), "{bad:?}");
        }
        assert!(is_dotted_path("numpy.linalg.norm"));
        for bad in ["math.", ".math", "math..sqrt", "evilmod.\u{345}", ""] {
            assert!(!is_dotted_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn identifiers_as_python_says() {
        // Each checked against `str.isidentifier()` of CPython 3.11.
        for name in [
            "x", "_", "_0", "café", "ｘ", "µ", "℘", "ℕ", "a\u{300}", "class", "self",
        ] {
            assert!(is_python_identifier(name), "{name:?}");
        }
        for name in [
            "", "1x", "x*", "a-b", "r#x", "x²", "²", "\u{300}a", "x y", "a.b",
        ] {
            assert!(!is_python_identifier(name), "{name:?}");
        }
    }

    #[test]
    fn the_first_invalid_name_is_named_by_its_key() {
        let manifest = r#"{"version": "1", "symbols": {
            "m.f": {"canonical": "m.f", "doc": null, "kind": "function", "signature": {
                "source": "inspect", "fallbacks": [], "returns": null,
                "parameters": [
                    {"name": "ok", "kind": "POSITIONAL_ONLY", "default": null, "annotation": null},
                    {"name": "x*", "kind": "POSITIONAL_ONLY", "default": null, "annotation": null}
                ]}}}}"#;
        let metadata: LibraryMetadata = serde_json::from_str(manifest).unwrap();
        assert_eq!(
            metadata.first_invalid_name().as_deref(),
            Some(r#"symbols."m.f".signature.parameters[1].name"#)
        );
        let empty_segment: LibraryMetadata = serde_json::from_str(
            r#"{"version": "1", "symbols": {"math.": {"canonical": "math", "doc": null, "kind": "module"}}}"#,
        )
        .unwrap();
        assert_eq!(
            empty_segment.first_invalid_name().as_deref(),
            Some(r#"symbols."math.""#)
        );
    }

    #[test]
    fn dotted_paths_have_no_empty_segment() {
        assert!(is_dotted_path("math") && is_dotted_path("fractions.Fraction.limit_denominator"));
        for path in ["", "math.", ".math", "a..b", "math.x*"] {
            assert!(!is_dotted_path(path), "{path:?}");
        }
    }
}
