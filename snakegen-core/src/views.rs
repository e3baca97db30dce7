//! What `cargo snakegen inspect` and `cargo snakegen status` print: pure
//! views of the metadata, as JSON values with a stable shape (other tools
//! read them) and as text for people.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::metadata::{Item, LibraryMetadata, Signature, Symbol};

/// One symbol as other tools read it:
/// `{"path","canonical","kind","signature_source","parameters","returns","doc"}`.
/// A class shows its constructor's parameters; a method is found through
/// its class (`fractions.Fraction.limit_denominator`).
pub fn inspect(path: &str, symbols: &BTreeMap<String, Symbol>) -> Option<Value> {
    if let Some(symbol) = symbols.get(path) {
        let (kind, signature) = match &symbol.item {
            Item::Module { .. } => ("module", None),
            Item::Function { signature } => ("function", Some(signature)),
            Item::Class(class) => ("class", Some(&class.constructor)),
            Item::Attribute { .. } => ("attribute", None),
        };
        return Some(view(
            path,
            &symbol.canonical,
            kind,
            signature,
            symbol.doc.as_deref(),
        ));
    }
    let (owner, name) = path.rsplit_once('.')?;
    let Item::Class(class) = &symbols.get(owner)?.item else {
        return None;
    };
    let method = class.methods.get(name)?;
    let canonical = format!("{}.{name}", symbols[owner].canonical);
    Some(view(
        path,
        &canonical,
        "method",
        Some(&method.signature),
        method.doc.as_deref(),
    ))
}

fn view(
    path: &str,
    canonical: &str,
    kind: &str,
    signature: Option<&Signature>,
    doc: Option<&str>,
) -> Value {
    let parameters: Vec<Value> = signature
        .map(|signature| {
            signature
                .parameters
                .iter()
                .map(|parameter| json!({"name": parameter.name, "kind": parameter.kind, "default": parameter.default}))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "path": path,
        "canonical": canonical,
        "kind": kind,
        "signature_source": signature.map(|signature| signature.source),
        "parameters": parameters,
        "returns": signature.and_then(|signature| signature.returns.clone()),
        "doc": doc,
    })
}

/// Per library: used symbols against the size of its name index, the
/// signatures by source tier, and how many symbols have docs.
/// `index_sizes` is `None` for a library whose index is unknown.
pub fn status(
    libraries: &BTreeMap<String, LibraryMetadata>,
    index_sizes: &BTreeMap<String, usize>,
) -> Value {
    let libraries: Vec<Value> = libraries
        .iter()
        .map(|(name, metadata)| {
            let used: Vec<&Symbol> = metadata
                .symbols
                .values()
                .filter(|symbol| !symbol.is_module())
                .collect();
            let mut tiers: BTreeMap<String, usize> = BTreeMap::new();
            for signature in used.iter().flat_map(|symbol| signatures(symbol)) {
                let tier = serde_json::to_value(signature.source).expect("a plain enum serialises");
                *tiers
                    .entry(tier.as_str().unwrap_or_default().to_owned())
                    .or_default() += 1;
            }
            let documented = used.iter().filter(|symbol| symbol.doc.is_some()).count();
            json!({
                "library": name,
                "version": metadata.version,
                "used": used.len(),
                "names": index_sizes.get(name),
                "signatures": tiers,
                "documented": documented,
            })
        })
        .collect();
    json!({ "libraries": libraries })
}

/// Every signature a symbol's adapter is generated from.
fn signatures(symbol: &Symbol) -> Vec<&Signature> {
    match &symbol.item {
        Item::Function { signature } => vec![signature],
        Item::Class(class) => std::iter::once(&class.constructor)
            .chain(class.methods.values().map(|method| &method.signature))
            .collect(),
        Item::Module { .. } | Item::Attribute { .. } => Vec::new(),
    }
}

/// `status` for people: one line per library.
pub fn status_text(status: &Value) -> String {
    let mut text = String::new();
    for library in status["libraries"].as_array().into_iter().flatten() {
        let names = match library["names"].as_u64() {
            Some(names) => format!("{names}"),
            None => "?".to_owned(),
        };
        let tiers: Vec<String> = library["signatures"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(tier, count)| format!("{tier} {count}"))
            .collect();
        let used = library["used"].as_u64().unwrap_or(0);
        let documented = library["documented"].as_u64().unwrap_or(0);
        text.push_str(&format!(
            "{} {}: {used} of {names} public names used; signatures: {}; documented: {documented}/{used}\n",
            library["library"].as_str().unwrap_or_default(),
            library["version"].as_str().unwrap_or_default(),
            if tiers.is_empty() { "none".to_owned() } else { tiers.join(", ") },
        ));
    }
    text
}
