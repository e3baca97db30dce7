//! `cargo snakegen status`: per library, the symbols used against the size
//! of its name index, the signatures by source tier, and how many symbols
//! have docs. JSON other tools read (a stable shape) or text for people.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::ask;
use crate::artifacts;
use crate::config::Config;
use crate::error::Error;
use crate::metadata::{Item, LibraryMetadata, Signature, Symbol};
use crate::reporter::Reporter;

#[derive(Debug, Serialize)]
pub struct StatusView {
    pub libraries: Vec<LibraryStatus>,
}

/// Fields are in the order of the JSON keys, sorted.
#[derive(Debug, Serialize)]
pub struct LibraryStatus {
    /// Used symbols with a docstring.
    pub documented: usize,
    pub library: String,
    /// The size of the library's name index; none when Python cannot say.
    pub names: Option<usize>,
    /// How many of those names the used symbols go through (`stats` for
    /// `scipy.stats.norm`): comparable with `names`, unlike `used`.
    pub names_used: usize,
    /// Signature source tier (`stub`, `inspect`, ...) → how many.
    pub signatures: BTreeMap<&'static str, usize>,
    /// Symbols used (modules not counted).
    pub used: usize,
    pub version: String,
}

impl StatusView {
    fn new(
        libraries: &BTreeMap<String, LibraryMetadata>,
        index_sizes: &BTreeMap<String, usize>,
    ) -> Self {
        let libraries = libraries
            .iter()
            .map(|(name, metadata)| {
                let used: Vec<&Symbol> = metadata
                    .symbols
                    .values()
                    .filter(|symbol| !symbol.is_module())
                    .collect();
                let mut signatures = BTreeMap::new();
                for signature in used.iter().flat_map(|symbol| signatures_of(symbol)) {
                    *signatures.entry(signature.source.as_str()).or_default() += 1;
                }
                let names_used: BTreeSet<&str> = metadata
                    .symbols
                    .iter()
                    .filter(|(_, symbol)| !symbol.is_module())
                    .filter_map(|(path, _)| path.split('.').nth(1))
                    .collect();
                LibraryStatus {
                    documented: used.iter().filter(|symbol| symbol.doc.is_some()).count(),
                    library: name.clone(),
                    names: index_sizes.get(name).copied(),
                    names_used: names_used.len(),
                    signatures,
                    used: used.len(),
                    version: metadata.version.clone(),
                }
            })
            .collect();
        StatusView { libraries }
    }
}

/// Every signature a symbol's adapter is generated from.
fn signatures_of(symbol: &Symbol) -> Vec<&Signature> {
    match &symbol.item {
        Item::Function { signature } => vec![signature],
        Item::Class(class) => std::iter::once(&class.constructor)
            .chain(class.methods.values().map(|method| &method.signature))
            .collect(),
        Item::Module { .. } | Item::Attribute { .. } => Vec::new(),
    }
}

/// For people: one line per library.
impl std::fmt::Display for StatusView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for library in &self.libraries {
            let names = library
                .names
                .map_or_else(|| "?".to_owned(), |names| names.to_string());
            let tiers: Vec<String> = library
                .signatures
                .iter()
                .map(|(tier, count)| format!("{tier} {count}"))
                .collect();
            writeln!(
                f,
                "{} {}: {} of {names} public names used ({} symbols); signatures: {}; documented: {}/{}",
                library.library,
                library.version,
                library.names_used,
                library.used,
                if tiers.is_empty() {
                    "none".to_owned()
                } else {
                    tiers.join(", ")
                },
                library.documented,
                library.used,
            )?;
        }
        Ok(())
    }
}

/// The committed metadata, plus the size of each library's name index
/// when Python can tell.
pub fn status(config: &Config, reporter: &mut dyn Reporter) -> Result<StatusView, Error> {
    let existing = {
        let _lock = super::read_lock_package(config, reporter)?;
        artifacts::existing_artifacts(config)?
    };
    let metadata = artifacts::parse_manifests(config, &existing)?.metadata;
    if metadata.is_empty() {
        return Ok(StatusView::new(&metadata, &BTreeMap::new()));
    }
    let roots: BTreeSet<String> = metadata.keys().cloned().collect();
    let index_sizes =
        match ask::introspect_paths(config, BTreeSet::new(), roots, BTreeSet::new(), reporter) {
            Ok(introspected) => introspected
                .metadata
                .iter()
                .filter_map(|(name, library)| {
                    Some((name.clone(), library.symbols.get(name)?.name_index()?.len()))
                })
                .collect(),
            Err(error) => {
                reporter.status("Warning", &format!("name index sizes unknown: {error}"));
                BTreeMap::new()
            }
        };
    Ok(StatusView::new(&metadata, &index_sizes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_used_count_the_root_names_the_symbols_go_through() {
        let function = r#"{"canonical": "x", "doc": null, "kind": "function", "signature": {
            "source": "inspect", "fallbacks": [], "parameters": [], "returns": null}}"#;
        let module = r#"{"canonical": "x", "doc": null, "kind": "module"}"#;
        let manifest = format!(
            r#"{{"version": "1.0", "symbols": {{
                "scipy": {module}, "scipy.stats": {module},
                "scipy.stats.norm": {function}, "scipy.stats.t": {function},
                "scipy.optimize": {module}, "scipy.optimize.curve_fit": {function},
                "scipy.fft": {function}
            }}}}"#
        );
        let metadata: LibraryMetadata = serde_json::from_str(&manifest).unwrap();
        let view = StatusView::new(
            &BTreeMap::from([("scipy".to_owned(), metadata)]),
            &BTreeMap::from([("scipy".to_owned(), 21)]),
        );
        assert_eq!(
            view.to_string(),
            "scipy 1.0: 3 of 21 public names used (4 symbols); signatures: inspect 4; documented: 0/4\n"
        );
    }
}
