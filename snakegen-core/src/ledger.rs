//! The usage ledger: the Python symbols a crate looked up by name at run
//! time (`snakegen::dynamic`, recording while `SNAKEGEN_LEDGER` is set),
//! which the scanner cannot see. `cargo snakegen ledger show` lists them,
//! `promote` adds them to each library's `include` list in `Cargo.toml`
//! (so the next run generates typed, locked adapters), `clear` forgets them.
//!
//! The format, written by the runtime (`snakegen/src/ledger.rs`): one file
//! per library, `.snakegen/ledger/<library>.jsonl`, one JSON object per
//! line, `{"symbol":"numpy.linalg.norm"}` (the dotted Python path; other
//! keys are ignored). Appends are whole lines under an OS file lock, and a
//! symbol may appear many times (one line per recording process): reading
//! deduplicates. A line that is not such an object is reported as a
//! warning at `file:line` and skipped.
//!
//! The ledger is local state, never committed: a run that finds the
//! directory makes sure the package's `.gitignore` says so.
//!
//! This module holds the decisions, as pure functions (`parse`,
//! `promote_manifest`, `gitignore_with_ledger`); `commands/ledger.rs` holds
//! the I/O edges around them (`show`, `promote`, `clear`, `pending`).

use std::collections::{BTreeMap, BTreeSet};

use toml_edit::{Array, DocumentMut, InlineTable, Item, Value};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::metadata::{is_dotted_path, library_of};

/// The ledger's directory in a package.
pub const DIR: &str = ".snakegen/ledger";
/// The environment variable the runtime records under: `1` for the
/// package's [`DIR`], any other value a directory.
pub const VARIABLE: &str = "SNAKEGEN_LEDGER";
/// What a ledger file's name ends with.
pub(crate) const EXTENSION: &str = "jsonl";
/// The line `cargo snakegen` adds to a package's `.gitignore`.
pub(crate) const GITIGNORE_LINE: &str = ".snakegen/ledger/";

/// What the ledger holds, deduplicated.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Library → the dotted paths recorded for it, sorted.
    pub libraries: BTreeMap<String, BTreeSet<String>>,
    /// Malformed lines, as warnings at `file:line`.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one ledger file's text. `file` is the name diagnostics show;
/// `library` the one its name says, which every symbol must belong to.
pub fn parse(file: &str, library: &str, text: &str) -> (BTreeSet<String>, Vec<Diagnostic>) {
    let mut symbols = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line, library) {
            Ok(symbol) => {
                symbols.insert(symbol);
            }
            Err(message) => diagnostics.push(
                Diagnostic::warning(Code::S0005, format!("malformed ledger line: {message}"))
                    .at(Location {
                        file: file.to_owned(),
                        line: index + 1,
                        column: 1,
                    })
                    .with_help(
                        "the line is skipped; the runtime writes `{\"symbol\":\"library.name\"}`",
                    ),
            ),
        }
    }
    (symbols, diagnostics)
}

fn parse_line(line: &str, library: &str) -> Result<String, String> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|error| format!("not JSON ({error})"))?;
    let symbol = value
        .get("symbol")
        .ok_or("no `symbol` key")?
        .as_str()
        .ok_or("`symbol` is not a string")?;
    if !is_dotted_path(symbol) {
        return Err(format!("`{symbol}` is not a dotted Python path"));
    }
    if library_of(symbol) != library {
        return Err(format!(
            "`{symbol}` is not in `{library}`, the library this file is for"
        ));
    }
    Ok(symbol.to_owned())
}

/// Why a recorded symbol was not added to an `include` list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// Its library is not in `[package.metadata.snakegen.libraries]`.
    NotConfigured,
    /// It is under one of the library's `exclude` submodules.
    Excluded,
    /// It is the library itself (`dynamic::import("math")`): nothing to add.
    Library,
}

/// What promotion did to the manifest.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Promotion {
    /// The manifest's new text: only the `include` lists differ.
    pub manifest: String,
    /// Library → the `include` entries added (relative to the library).
    pub added: BTreeMap<String, Vec<String>>,
    /// Library → recorded entries its `include` already had.
    pub already: BTreeMap<String, Vec<String>>,
    /// Recorded symbols left out, and why.
    pub skipped: Vec<(String, Skip)>,
}

impl Promotion {
    /// The libraries whose every recorded symbol is now covered: their
    /// ledger entries are done with.
    pub fn settled(&self) -> BTreeSet<String> {
        let mut settled: BTreeSet<String> = self
            .added
            .keys()
            .chain(self.already.keys())
            .cloned()
            .collect();
        for (symbol, skip) in &self.skipped {
            if *skip == Skip::NotConfigured {
                settled.remove(library_of(symbol));
            }
        }
        settled
    }
}

/// Adds every recorded symbol of a configured library to that library's
/// `include` list in `manifest` (a `Cargo.toml`'s text), keeping the
/// file's formatting and comments. A library written as a plain string
/// (`math = "stdlib"`) becomes an inline table
/// (`math = { version = "stdlib", include = ["sqrt"] }`). New entries go
/// where they sort, so a sorted list stays sorted; entries already there
/// are not repeated.
pub fn promote_manifest(
    manifest: &str,
    ledger: &BTreeMap<String, BTreeSet<String>>,
) -> Result<Promotion, String> {
    let mut document: DocumentMut = manifest
        .parse()
        .map_err(|error| format!("cannot be parsed: {error}"))?;
    let mut promotion = Promotion::default();
    let libraries = document
        .get_mut("package")
        .and_then(|item| item.get_mut("metadata"))
        .and_then(|item| item.get_mut("snakegen"))
        .and_then(|item| item.get_mut("libraries"))
        .and_then(Item::as_table_like_mut);
    let Some(libraries) = libraries else {
        for symbols in ledger.values() {
            promotion.skipped.extend(
                symbols
                    .iter()
                    .map(|symbol| (symbol.clone(), Skip::NotConfigured)),
            );
        }
        promotion.manifest = manifest.to_owned();
        return Ok(promotion);
    };
    for (library, symbols) in ledger {
        let Some(spec) = libraries.get_mut(library) else {
            promotion.skipped.extend(
                symbols
                    .iter()
                    .map(|symbol| (symbol.clone(), Skip::NotConfigured)),
            );
            continue;
        };
        let excluded = string_list(spec, "exclude");
        let mut wanted = Vec::new();
        for symbol in symbols {
            let Some(relative) = symbol.strip_prefix(&format!("{library}.")) else {
                promotion.skipped.push((symbol.clone(), Skip::Library));
                continue;
            };
            let is_excluded = excluded
                .iter()
                .any(|module| relative == module || relative.starts_with(&format!("{module}.")));
            if is_excluded {
                promotion.skipped.push((symbol.clone(), Skip::Excluded));
            } else {
                wanted.push(relative.to_owned());
            }
        }
        if wanted.is_empty() {
            continue;
        }
        let include = include_array(spec, library)?;
        for entry in wanted {
            let present = include.iter().any(|value| value.as_str() == Some(&entry));
            if present {
                promotion
                    .already
                    .entry(library.clone())
                    .or_default()
                    .push(entry);
            } else {
                insert_sorted(include, &entry);
                promotion
                    .added
                    .entry(library.clone())
                    .or_default()
                    .push(entry);
            }
        }
    }
    promotion.manifest = document.to_string();
    Ok(promotion)
}

fn string_list(spec: &Item, key: &str) -> Vec<String> {
    spec.get(key)
        .and_then(Item::as_array)
        .map(|array| {
            array
                .iter()
                .filter_map(|value| value.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The library's `include` array, made if missing; a plain version string
/// becomes an inline table first.
fn include_array<'a>(spec: &'a mut Item, library: &str) -> Result<&'a mut Array, String> {
    if let Item::Value(Value::String(version)) = spec {
        let decor = version.decor().clone();
        let mut table = InlineTable::new();
        table.insert("version", Value::from(version.value().as_str()));
        table.insert("include", Value::Array(Array::new()));
        table.fmt();
        *table.decor_mut() = decor;
        *spec = Item::Value(Value::InlineTable(table));
    }
    if let Item::Value(Value::InlineTable(table)) = spec
        && table.get("include").is_none()
    {
        // The space before `}` belongs to the last value: it moves to the
        // new last one.
        let suffix = table
            .iter_mut()
            .last()
            .and_then(|(_, value)| {
                let suffix = value.decor().suffix().cloned();
                value.decor_mut().set_suffix("");
                suffix
            })
            .unwrap_or_else(|| " ".into());
        let mut include = Value::Array(Array::new());
        include.decor_mut().set_prefix(" ");
        include.decor_mut().set_suffix(suffix);
        table.insert("include", include);
    }
    let table = spec.as_table_like_mut().ok_or_else(|| {
        format!(
            "`{library}` in [package.metadata.snakegen.libraries] is neither a version nor a table"
        )
    })?;
    if table.get("include").is_none() {
        table.insert("include", Item::Value(Value::Array(Array::new())));
    }
    table
        .get_mut("include")
        .and_then(Item::as_array_mut)
        .ok_or_else(|| format!("`{library}.include` is not an array"))
}

/// Inserts `entry` before the first element that sorts after it, with the
/// spacing its neighbours have (one line each in a multi-line array).
fn insert_sorted(array: &mut Array, entry: &str) {
    let index = array
        .iter()
        .position(|value| value.as_str().is_some_and(|existing| existing > entry))
        .unwrap_or(array.len());
    let prefix = |value: &Value| {
        value
            .decor()
            .prefix()
            .and_then(|raw| raw.as_str())
            .map(str::to_owned)
    };
    // How an element that is not the first is preceded: as the second one
    // is, else (a one-element list) on its own line if the first is, else
    // after a space.
    // A comment in a neighbour's prefix stays with the neighbour: only the
    // line break and indentation are copied.
    let later_prefix = array
        .get(1)
        .and_then(prefix)
        .or_else(|| array.get(0).and_then(prefix).filter(|p| p.contains('\n')))
        .map(|prefix| match prefix.rfind('\n') {
            Some(at) => prefix[at..].to_owned(),
            None => prefix,
        })
        .unwrap_or_else(|| " ".to_owned());
    let mut value = Value::from(entry);
    if index == 0 && !array.is_empty() {
        let first = array.get(0).and_then(prefix).unwrap_or_default();
        value.decor_mut().set_prefix(first);
        if let Some(old_first) = array.get_mut(0) {
            old_first.decor_mut().set_prefix(later_prefix);
        }
    } else if !array.is_empty() {
        value.decor_mut().set_prefix(later_prefix);
    }
    array.insert_formatted(index, value);
}

/// `.gitignore`'s new text when no line of `existing` keeps the ledger out
/// of version control; `None` when one does.
pub fn gitignore_with_ledger(existing: Option<&str>) -> Option<String> {
    let text = existing.unwrap_or_default();
    let covered = text.lines().any(|line| {
        let pattern = line.trim();
        let pattern = pattern.strip_prefix("**/").unwrap_or(pattern);
        let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
        let pattern = pattern
            .strip_suffix("/**")
            .or_else(|| pattern.strip_suffix("/*"))
            .or_else(|| pattern.strip_suffix('/'))
            .unwrap_or(pattern);
        pattern == ".snakegen/ledger" || pattern == ".snakegen"
    });
    if covered {
        return None;
    }
    let mut updated = text.to_owned();
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push('\n');
    }
    updated.push_str("# cargo snakegen's usage ledger: local, never committed\n");
    updated.push_str(GITIGNORE_LINE);
    updated.push('\n');
    Some(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger(entries: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        entries
            .iter()
            .map(|(library, symbols)| {
                let symbols = symbols.iter().map(|symbol| (*symbol).to_owned()).collect();
                ((*library).to_owned(), symbols)
            })
            .collect()
    }

    #[test]
    fn a_symbol_that_is_not_a_python_path_is_a_malformed_line() {
        let text = "{\"symbol\":\"evilmod.\\u0345\"}\n{\"symbol\":\"evilmod.a-b\"}\n{\"symbol\":\"evilmod.ok\"}\n";
        let (symbols, diagnostics) = parse("evilmod.jsonl", "evilmod", text);
        assert_eq!(symbols, BTreeSet::from(["evilmod.ok".to_owned()]));
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    }

    #[test]
    fn lines_are_deduplicated_and_malformed_ones_reported_with_their_line() {
        let text = "{\"symbol\":\"math.sqrt\"}\n\
                    {\"symbol\":\"math.floor\"}\n\
                    {\"symbol\":\"math.sqrt\"}\n\
                    \n\
                    {\"symbol\":\"math.sq\n\
                    [1, 2]\n\
                    {\"symbol\":3}\n\
                    {\"symbol\":\"json.dumps\"}\n\
                    {\"symbol\":\"math.a-b\"}\n\
                    {\"symbol\":\"math.log\",\"extra\":true}\n";
        let (symbols, diagnostics) = parse(".snakegen/ledger/math.jsonl", "math", text);
        assert_eq!(
            symbols.into_iter().collect::<Vec<_>>(),
            ["math.floor", "math.log", "math.sqrt"]
        );
        let shown: Vec<String> = diagnostics
            .iter()
            .map(|diagnostic| {
                format!(
                    "{}: {}",
                    diagnostic.location.as_ref().unwrap(),
                    diagnostic.message
                )
            })
            .collect();
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert!(
            shown[0]
                .starts_with(".snakegen/ledger/math.jsonl:5:1: malformed ledger line: not JSON")
        );
        assert_eq!(
            shown[1..],
            [
                ".snakegen/ledger/math.jsonl:6:1: malformed ledger line: no `symbol` key",
                ".snakegen/ledger/math.jsonl:7:1: malformed ledger line: `symbol` is not a string",
                ".snakegen/ledger/math.jsonl:8:1: malformed ledger line: `json.dumps` is not in `math`, the library this file is for",
                ".snakegen/ledger/math.jsonl:9:1: malformed ledger line: `math.a-b` is not a dotted Python path",
            ]
        );
    }

    const MANIFEST: &str = r#"[package]
name = "demo"   # the demo
version = "0.1.0"

[package.metadata.snakegen.libraries]
# stdlib first
math = "stdlib"  # trailing comment
json = { version = "stdlib", include = ["dumps", "loads"] }
statistics = { version = "stdlib" }
numpy = { version = "2", exclude = ["testing"] }

[package.metadata.snakegen.libraries.fractions]
# a standard table
version = "stdlib"
include = [
    "Fraction",  # the class
    "gcd",
]
"#;

    #[test]
    fn promotion_edits_only_include_lists() {
        let promotion = promote_manifest(
            MANIFEST,
            &ledger(&[
                ("math", &["math.sqrt", "math.floor", "math"]),
                (
                    "json",
                    &["json.dumps", "json.JSONDecoder", "json.loads", "json.tool"],
                ),
                ("statistics", &["statistics.mean"]),
                (
                    "numpy",
                    &["numpy.testing.assert_equal", "numpy.linalg.norm"],
                ),
                (
                    "fractions",
                    &["fractions.Decimal", "fractions.Fraction", "fractions.z"],
                ),
                ("os", &["os.getcwd"]),
            ]),
        )
        .unwrap();
        expect_test::expect![[r#"
            [package]
            name = "demo"   # the demo
            version = "0.1.0"

            [package.metadata.snakegen.libraries]
            # stdlib first
            math = { version = "stdlib", include = ["floor", "sqrt"] }  # trailing comment
            json = { version = "stdlib", include = ["JSONDecoder", "dumps", "loads", "tool"] }
            statistics = { version = "stdlib", include = ["mean"] }
            numpy = { version = "2", exclude = ["testing"], include = ["linalg.norm"] }

            [package.metadata.snakegen.libraries.fractions]
            # a standard table
            version = "stdlib"
            include = [
                "Decimal",
                "Fraction",  # the class
                "gcd",
                "z",
            ]
        "#]]
        .assert_eq(&promotion.manifest);
        assert_eq!(
            promotion.already,
            BTreeMap::from([
                ("fractions".to_owned(), vec!["Fraction".to_owned()]),
                (
                    "json".to_owned(),
                    vec!["dumps".to_owned(), "loads".to_owned()]
                ),
            ])
        );
        assert_eq!(
            promotion.skipped,
            [
                ("math".to_owned(), Skip::Library),
                ("numpy.testing.assert_equal".to_owned(), Skip::Excluded),
                ("os.getcwd".to_owned(), Skip::NotConfigured),
            ]
        );
        assert_eq!(
            promotion.settled().into_iter().collect::<Vec<_>>(),
            ["fractions", "json", "math", "numpy", "statistics"]
        );
        // Promoting again changes nothing.
        let again = promote_manifest(
            &promotion.manifest,
            &ledger(&[("math", &["math.sqrt", "math.floor"])]),
        )
        .unwrap();
        assert_eq!(again.manifest, promotion.manifest);
        assert!(again.added.is_empty());
    }

    #[test]
    fn a_new_first_entry_takes_the_first_place_spacing() {
        let manifest = "[package.metadata.snakegen.libraries]\nmath = { version = \"stdlib\", include = [\"sqrt\"] }\n";
        let promoted =
            promote_manifest(manifest, &ledger(&[("math", &["math.floor", "math.tan"])])).unwrap();
        assert_eq!(
            promoted.manifest,
            "[package.metadata.snakegen.libraries]\nmath = { version = \"stdlib\", include = [\"floor\", \"sqrt\", \"tan\"] }\n"
        );
    }

    #[test]
    fn inline_and_dotted_library_tables_are_edited_in_place() {
        let manifest = "[package.metadata.snakegen]\nlibraries = { math = \"stdlib\" }\n\n[package.metadata]\nother.libraries.x = 1\n";
        let promoted = promote_manifest(manifest, &ledger(&[("math", &["math.sqrt"])])).unwrap();
        assert_eq!(
            promoted.manifest,
            "[package.metadata.snakegen]\nlibraries = { math = { version = \"stdlib\", include = [\"sqrt\"] } }\n\n[package.metadata]\nother.libraries.x = 1\n"
        );
        let dotted = "[package]\nmetadata.snakegen.libraries.json = \"stdlib\" # json\n";
        let promoted = promote_manifest(dotted, &ledger(&[("json", &["json.dumps"])])).unwrap();
        assert_eq!(
            promoted.manifest,
            "[package]\nmetadata.snakegen.libraries.json = { version = \"stdlib\", include = [\"dumps\"] } # json\n"
        );
    }

    #[test]
    fn a_manifest_without_libraries_promotes_nothing() {
        let promoted = promote_manifest(
            "[package]\nname = \"x\"\n",
            &ledger(&[("math", &["math.sqrt"])]),
        )
        .unwrap();
        assert_eq!(promoted.manifest, "[package]\nname = \"x\"\n");
        assert_eq!(
            promoted.skipped,
            [("math.sqrt".to_owned(), Skip::NotConfigured)]
        );
        assert!(promoted.settled().is_empty());
        assert!(promote_manifest("[package", &BTreeMap::new()).is_err());
    }

    #[test]
    fn the_gitignore_gets_one_line_unless_a_line_covers_the_ledger() {
        let added = "# cargo snakegen's usage ledger: local, never committed\n.snakegen/ledger/\n";
        assert_eq!(gitignore_with_ledger(None).as_deref(), Some(added));
        assert_eq!(
            gitignore_with_ledger(Some("/target")).unwrap(),
            format!("/target\n{added}")
        );
        for covering in [
            ".snakegen/ledger/",
            "/.snakegen/ledger",
            "**/.snakegen/ledger/",
            ".snakegen/",
            ".snakegen/ledger/*",
            "  .snakegen  ",
        ] {
            assert_eq!(
                gitignore_with_ledger(Some(&format!("/target\n{covering}\n"))),
                None,
                "{covering}"
            );
        }
        assert!(gitignore_with_ledger(Some("# .snakegen/ledger/\n")).is_some());
        assert!(gitignore_with_ledger(Some("!.snakegen/ledger/\n")).is_some());
    }
}
