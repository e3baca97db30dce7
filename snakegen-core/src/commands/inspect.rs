//! `cargo snakegen inspect PATH`: what Python says about one dotted path,
//! as JSON other tools read (a stable shape) or as text for people.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::ask;
use crate::config::Config;
use crate::diagnostic::Location;
use crate::error::Error;
use crate::metadata::{Item, Parameter, Signature, Symbol, library_of};
use crate::reporter::Reporter;
use crate::resolve;
use crate::scan::{Usage, UsageKind};

/// One symbol. Fields are in the order of the JSON keys, sorted.
#[derive(Debug, Serialize)]
pub struct SymbolView {
    /// Where Python defines it (`sympy.functions.elementary...sqrt`).
    pub canonical: String,
    pub doc: Option<String>,
    /// `module`, `function`, `class` (with its constructor's signature),
    /// `attribute` or `method`.
    pub kind: &'static str,
    pub parameters: Vec<ParameterView>,
    pub path: String,
    pub returns: Option<String>,
    /// `stub`, `inspect`, `docstring` or `variadic`; none for a module or
    /// an attribute.
    pub signature_source: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct ParameterView {
    /// Python's `repr` of the default; none when required.
    pub default: Option<String>,
    /// Python's name of the kind (`POSITIONAL_OR_KEYWORD`).
    pub kind: &'static str,
    pub name: String,
}

impl SymbolView {
    fn new(
        path: &str,
        canonical: &str,
        kind: &'static str,
        signature: Option<&Signature>,
        doc: Option<&str>,
    ) -> Self {
        SymbolView {
            canonical: canonical.to_owned(),
            doc: doc.map(str::to_owned),
            kind,
            parameters: signature
                .map(|signature| {
                    signature
                        .parameters
                        .iter()
                        .map(ParameterView::new)
                        .collect()
                })
                .unwrap_or_default(),
            path: path.to_owned(),
            returns: signature.and_then(|signature| signature.returns.clone()),
            signature_source: signature.map(|signature| signature.source.as_str()),
        }
    }

    /// A class shows its constructor's parameters; a method is found
    /// through its class (`fractions.Fraction.limit_denominator`).
    fn find(path: &str, symbols: &BTreeMap<String, Symbol>) -> Option<Self> {
        if let Some(symbol) = symbols.get(path) {
            let (kind, signature) = match &symbol.item {
                Item::Module { .. } => ("module", None),
                Item::Function { signature } => ("function", Some(signature)),
                Item::Class(class) => ("class", Some(&class.constructor)),
                Item::Attribute { .. } => ("attribute", None),
            };
            return Some(Self::new(
                path,
                &symbol.canonical,
                kind,
                signature,
                symbol.doc.as_deref(),
            ));
        }
        let (owner, name) = path.rsplit_once('.')?;
        let owner = symbols.get(owner)?;
        let Item::Class(class) = &owner.item else {
            return None;
        };
        let method = class.methods.get(name)?;
        Some(Self::new(
            path,
            &format!("{}.{name}", owner.canonical),
            "method",
            Some(&method.signature),
            method.doc.as_deref(),
        ))
    }
}

impl ParameterView {
    fn new(parameter: &Parameter) -> Self {
        ParameterView {
            default: parameter.default.clone(),
            kind: parameter.kind.as_str(),
            name: parameter.name.clone(),
        }
    }
}

/// For people: the signature, where it came from, the docs.
impl std::fmt::Display for SymbolView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parameters: Vec<String> = self
            .parameters
            .iter()
            .map(|parameter| match &parameter.default {
                Some(default) => format!("{}={default}", parameter.name),
                None => parameter.name.clone(),
            })
            .collect();
        let returns = self
            .returns
            .as_ref()
            .map(|returns| format!(" -> {returns}"))
            .unwrap_or_default();
        writeln!(
            f,
            "{} {}({}){returns}\n  defined at {}\n  signature source: {}\n\n{}",
            self.kind,
            self.path,
            parameters.join(", "),
            self.canonical,
            self.signature_source.unwrap_or("none"),
            self.doc.as_deref().unwrap_or("(no docstring)"),
        )
    }
}

/// Asks Python about one dotted path of a configured library.
pub fn inspect(
    config: &Config,
    path: &str,
    reporter: &mut dyn Reporter,
) -> Result<SymbolView, Error> {
    let library = library_of(path);
    if !config.libraries.contains_key(library) {
        return Err(Error::NotConfigured(library.to_owned()));
    }
    // A method path (`fractions.Fraction.limit_denominator`) needs its
    // member described.
    let member = path.rsplit('.').next().unwrap_or_default().to_owned();
    let introspected = ask::introspect_paths(
        config,
        BTreeSet::from([path.to_owned()]),
        BTreeSet::new(),
        BTreeSet::from([member]),
        reporter,
    )?;
    let symbols = introspected
        .metadata
        .get(library)
        .map(|metadata| &metadata.symbols);
    if let Some(view) = symbols.and_then(|symbols| SymbolView::find(path, symbols)) {
        return Ok(view);
    }
    let usage = Usage {
        library: library.to_owned(),
        path: path.to_owned(),
        location: Location {
            file: "<command line>".to_owned(),
            line: 1,
            column: 1,
        },
        kind: UsageKind::Path,
    };
    let diagnostics = resolve::diagnose_unknown(
        &[usage],
        &introspected.metadata,
        Some(&introspected.unresolved),
        &BTreeMap::new(),
    );
    for diagnostic in &diagnostics {
        reporter.diagnostic(diagnostic, None);
    }
    Err(Error::Unresolved(diagnostics.len().max(1)))
}
