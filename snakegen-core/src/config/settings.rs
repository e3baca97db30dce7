//! `[package.metadata.snakegen]` validated, with `[workspace.metadata.snakegen]`
//! as its defaults. Strict: unknown keys are errors naming the key and its
//! table. Pure: the tables come from `cargo metadata`, read in `mod.rs`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::metadata::is_dotted_path;
use crate::util::rust::{is_ascii_identifier, is_plain_identifier};

use super::{
    Adapters, ConfigError, DEFAULT_MODULE, DEFAULT_TIMEOUT, Requirement, TABLE, WORKSPACE_TABLE,
};

/// A library's spec before its `include` entries are located.
#[derive(Debug)]
pub(super) struct LibrarySettings {
    pub(super) requirement: Requirement,
    pub(super) include: Vec<String>,
    pub(super) exclude: Vec<String>,
    pub(super) package: Option<String>,
}

pub(super) struct Settings {
    pub(super) module: String,
    pub(super) python: Option<String>,
    pub(super) timeout: Duration,
    pub(super) prune_auto: bool,
    pub(super) adapters: Adapters,
    pub(super) libraries: BTreeMap<String, LibrarySettings>,
}

/// Validates the `[package.metadata.snakegen]` table. Unknown keys are
/// errors, not warnings: a typo (`librarys`) would otherwise silently
/// generate nothing.
pub(super) fn parse_settings(
    manifest: &Path,
    package_metadata: &Value,
) -> Result<Settings, ConfigError> {
    let invalid = |key: &str, message: String| ConfigError::Invalid {
        manifest: manifest.to_path_buf(),
        key: key.to_owned(),
        message,
    };
    let table = match package_metadata.get("snakegen") {
        Some(value) => as_table(value, TABLE, &invalid)?,
        None => {
            return Err(invalid(
                TABLE,
                "the table is missing: add `[package.metadata.snakegen.libraries]` with the Python libraries to bind".to_owned(),
            ));
        }
    };
    reject_unknown_keys(
        table,
        TABLE,
        &[
            "module",
            "python",
            "timeout",
            "prune",
            "adapters",
            "libraries",
        ],
        &invalid,
    )?;

    let module = match table.get("module") {
        Some(value) => {
            let key = format!("{TABLE}.module");
            let module = as_string(value, &key, &invalid)?;
            if !is_plain_identifier(&module) {
                return Err(invalid(
                    &key,
                    format!(
                        "`{module}` cannot name a Rust module (an ASCII identifier that is not a keyword)"
                    ),
                ));
            }
            module
        }
        None => DEFAULT_MODULE.to_owned(),
    };
    let python = table
        .get("python")
        .map(|value| as_string(value, &format!("{TABLE}.python"), &invalid))
        .transpose()?;
    let prune_auto = table
        .get("prune")
        .map(|value| {
            choice(
                value,
                &format!("{TABLE}.prune"),
                &[("auto", true), ("manual", false)],
                &invalid,
            )
        })
        .transpose()?
        .unwrap_or(false);
    let adapters = table
        .get("adapters")
        .map(|value| {
            choice(
                value,
                &format!("{TABLE}.adapters"),
                &[("src", Adapters::Source), ("out-dir", Adapters::OutDir)],
                &invalid,
            )
        })
        .transpose()?
        .unwrap_or_default();
    let timeout = match table.get("timeout") {
        Some(value) => {
            let key = format!("{TABLE}.timeout");
            match value.as_u64() {
                Some(seconds) if seconds > 0 => Duration::from_secs(seconds),
                _ => {
                    return Err(invalid(
                        &key,
                        "expected a positive number of seconds".to_owned(),
                    ));
                }
            }
        }
        None => DEFAULT_TIMEOUT,
    };
    let libraries_key = format!("{TABLE}.libraries");
    let libraries = match table.get("libraries") {
        Some(value) => as_table(value, &libraries_key, &invalid)?
            .iter()
            .map(|(name, spec)| {
                let key = format!("{libraries_key}.{name}");
                if !is_python_module_name(name) {
                    return Err(invalid(
                        &key,
                        format!("`{name}` is not a Python module name"),
                    ));
                }
                Ok((name.clone(), parse_library(spec, &key, &invalid)?))
            })
            .collect::<Result<_, _>>()?,
        None => BTreeMap::new(),
    };
    Ok(Settings {
        module,
        python,
        timeout,
        prune_auto,
        adapters,
        libraries,
    })
}

/// The package's `metadata` with `[workspace.metadata.snakegen]` (from
/// `workspace`, the root manifest's `workspace.metadata`) under its own
/// `snakegen` table: what `parse_settings` reads for a package that
/// inherits. Package keys win; `libraries` merge by name, the package's
/// spec of a library replacing the workspace's whole. The defaults are
/// validated on their own first, so that their errors name their table
/// and manifest.
pub(super) fn inherit(
    root_manifest: &Path,
    workspace: &Value,
    package_metadata: &Value,
) -> Result<Value, ConfigError> {
    if workspace.get("snakegen").is_none() {
        return Ok(package_metadata.clone());
    }
    parse_settings(root_manifest, workspace).map_err(in_workspace_table)?;
    let Some(Value::Object(defaults)) = workspace.get("snakegen") else {
        unreachable!("parse_settings accepts only a table");
    };
    let mut merged = defaults.clone();
    match package_metadata.get("snakegen") {
        Some(Value::Object(own)) => {
            for (key, value) in own {
                match (merged.get_mut(key), value) {
                    (Some(Value::Object(libraries)), Value::Object(own)) if key == "libraries" => {
                        libraries.extend(own.clone());
                    }
                    _ => {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        // Not a table: the package's own error says so.
        Some(_) => return Ok(package_metadata.clone()),
        None => {}
    }
    let mut package = match package_metadata {
        Value::Object(package) => package.clone(),
        _ => serde_json::Map::new(),
    };
    package.insert("snakegen".to_owned(), Value::Object(merged));
    Ok(Value::Object(package))
}

/// An error `parse_settings` found in the workspace's table, named as such.
fn in_workspace_table(error: ConfigError) -> ConfigError {
    match error {
        ConfigError::Invalid {
            manifest,
            key,
            message,
        } => ConfigError::Invalid {
            manifest,
            key: key.replacen(TABLE, WORKSPACE_TABLE, 1),
            message,
        },
        other => other,
    }
}

fn parse_library(
    spec: &Value,
    key: &str,
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<LibrarySettings, ConfigError> {
    let requirement = |text: String, key: &str| {
        Requirement::parse(&text).map_err(|message| invalid(key, message))
    };
    if let Value::String(text) = spec {
        return Ok(LibrarySettings {
            requirement: requirement(text.clone(), key)?,
            include: Vec::new(),
            exclude: Vec::new(),
            package: None,
        });
    }
    let Value::Object(table) = spec else {
        return Err(invalid(
            key,
            "expected a version string (\"stdlib\", \">=1.12\") or a table { version, include, exclude, package }".to_owned(),
        ));
    };
    reject_unknown_keys(
        table,
        key,
        &["version", "include", "exclude", "package"],
        invalid,
    )?;
    let version_key = format!("{key}.version");
    let version = match table.get("version") {
        Some(value) => as_string(value, &version_key, invalid)?,
        None => {
            return Err(invalid(
                &version_key,
                "missing: say \"stdlib\" or a version requirement".to_owned(),
            ));
        }
    };
    // Each entry names Python symbols below the library (`ndarray`,
    // `linalg.norm`), which become Rust paths: nothing else gets through.
    let path_list = |name: &str| -> Result<Vec<String>, ConfigError> {
        let list_key = format!("{key}.{name}");
        let Some(value) = table.get(name) else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = value else {
            return Err(invalid(
                &list_key,
                "expected an array of strings".to_owned(),
            ));
        };
        let mut paths = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let item_key = format!("{list_key}[{index}]");
            let path = as_string(item, &item_key, invalid)?;
            if !is_dotted_path(&path) {
                return Err(invalid(
                    &item_key,
                    format!(
                        "{path:?} is not a dotted Python path below the library (like \"ndarray\" or \"linalg.norm\")"
                    ),
                ));
            }
            paths.push(path);
        }
        Ok(paths)
    };
    Ok(LibrarySettings {
        requirement: requirement(version, &version_key)?,
        include: path_list("include")?,
        exclude: path_list("exclude")?,
        package: table
            .get("package")
            .map(|value| as_string(value, &format!("{key}.package"), invalid))
            .transpose()?,
    })
}

/// Where each `include` entry is written in a manifest's text:
/// (library, entry) → 1-based (line, column), for diagnostics that point
/// at the entry. Empty when the text does not parse.
pub(crate) fn include_positions(manifest: &str) -> BTreeMap<(String, String), (usize, usize)> {
    let mut positions = BTreeMap::new();
    let Ok(document) = toml_edit::Document::parse(manifest) else {
        return positions;
    };
    let libraries = document
        .get("package")
        .and_then(|item| item.get("metadata"))
        .and_then(|item| item.get("snakegen"))
        .and_then(|item| item.get("libraries"))
        .and_then(toml_edit::Item::as_table_like);
    for (library, spec) in libraries.into_iter().flat_map(|table| table.iter()) {
        let entries = spec.get("include").and_then(toml_edit::Item::as_array);
        for value in entries.into_iter().flatten() {
            if let (Some(entry), Some(span)) = (value.as_str(), value.span()) {
                let before = &manifest[..span.start];
                let line = before.matches('\n').count() + 1;
                let column = before[before.rfind('\n').map_or(0, |at| at + 1)..]
                    .chars()
                    .count()
                    + 1;
                positions.insert((library.to_owned(), entry.to_owned()), (line, column));
            }
        }
    }
    positions
}

fn as_table<'v>(
    value: &'v Value,
    key: &str,
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<&'v serde_json::Map<String, Value>, ConfigError> {
    value
        .as_object()
        .ok_or_else(|| invalid(key, format!("expected a table, found {}", type_name(value))))
}

fn as_string(
    value: &Value,
    key: &str,
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<String, ConfigError> {
    value.as_str().map(str::to_owned).ok_or_else(|| {
        invalid(
            key,
            format!("expected a string, found {}", type_name(value)),
        )
    })
}

/// A string that must be one of a few spellings, each meaning a value.
fn choice<T: Copy>(
    value: &Value,
    key: &str,
    options: &[(&str, T)],
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<T, ConfigError> {
    let text = as_string(value, key, invalid)?;
    options
        .iter()
        .find(|(spelling, _)| *spelling == text)
        .map(|(_, meaning)| *meaning)
        .ok_or_else(|| {
            let expected: Vec<String> = options
                .iter()
                .map(|(spelling, _)| format!("\"{spelling}\""))
                .collect();
            invalid(
                key,
                format!("expected {}, found \"{text}\"", expected.join(" or ")),
            )
        })
}

fn reject_unknown_keys(
    table: &serde_json::Map<String, Value>,
    table_key: &str,
    known: &[&str],
    invalid: &impl Fn(&str, String) -> ConfigError,
) -> Result<(), ConfigError> {
    for key in table.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let suggestion = known
            .iter()
            .map(|candidate| (strsim::jaro_winkler(key, candidate), candidate))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, candidate)| format!(" (did you mean `{candidate}`?)"))
            .unwrap_or_default();
        return Err(invalid(
            &format!("{table_key}.{key}"),
            format!(
                "unknown key{suggestion}; expected one of: {}",
                known.join(", ")
            ),
        ));
    }
    Ok(())
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a table",
    }
}

/// A top-level Python module whose Rust module (`py::<name>`) needs no
/// renaming beyond raw identifiers: ASCII, not `_`.
fn is_python_module_name(name: &str) -> bool {
    is_ascii_identifier(name) && name != "_"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(snakegen: Value) -> Result<Settings, String> {
        parse_settings(
            Path::new("demo/Cargo.toml"),
            &json!({ "snakegen": snakegen }),
        )
        .map_err(|error| error.to_string())
    }

    #[test]
    fn full_table_is_read() {
        let settings = settings(json!({
            "module": "python",
            "python": "python3.11",
            "timeout": 5,
            "libraries": {
                "math": "stdlib",
                "sympy": ">=1.12",
                "sklearn": { "version": "1", "include": ["svm.SVC"], "exclude": ["testing"], "package": "scikit-learn" },
            },
        }))
        .unwrap();
        assert_eq!(settings.module, "python");
        assert_eq!(settings.python.as_deref(), Some("python3.11"));
        assert_eq!(settings.timeout, Duration::from_secs(5));
        assert_eq!(settings.libraries["math"].requirement, Requirement::Stdlib);
        assert_eq!(
            settings.libraries["sympy"].requirement,
            Requirement::Version(">=1.12".into())
        );
        let sklearn = &settings.libraries["sklearn"];
        assert_eq!(sklearn.include, ["svm.SVC"]);
        assert_eq!(sklearn.exclude, ["testing"]);
        assert_eq!(sklearn.package.as_deref(), Some("scikit-learn"));
    }

    #[test]
    fn defaults_apply() {
        let settings = settings(json!({ "libraries": { "math": "stdlib" } })).unwrap();
        assert_eq!(settings.module, "py");
        assert_eq!(settings.python, None);
        assert_eq!(settings.timeout, DEFAULT_TIMEOUT);
    }

    #[test]
    fn hostile_names_are_refused_naming_the_key() {
        for module in ["fn", "self", "crate", "super", "Self", "type", "_", "a-b"] {
            let error = settings(json!({ "module": module, "libraries": { "math": "stdlib" } }))
                .err()
                .unwrap();
            assert!(
                error.contains("invalid `package.metadata.snakegen.module`"),
                "{module}: {error}"
            );
        }
        for entry in ["a-b", "a/b", "nul\u{0}", "\u{345}", "math.", "", "x*"] {
            let error = settings(json!({ "libraries": { "numpy": {
                "version": "2", "include": ["ndarray", entry] } } }))
            .err()
            .unwrap();
            assert!(
                error.contains("invalid `package.metadata.snakegen.libraries.numpy.include[1]`"),
                "{entry:?}: {error}"
            );
        }
        let error = settings(json!({ "libraries": { "numpy": {
            "version": "2", "exclude": ["testing/x"] } } }))
        .err()
        .unwrap();
        assert!(error.contains("numpy.exclude[0]`"), "{error}");
    }

    #[test]
    fn errors_name_the_manifest_and_the_key() {
        let cases = [
            (
                json!({ "librarys": {} }),
                "invalid `package.metadata.snakegen.librarys` in demo/Cargo.toml: unknown key (did you mean `libraries`?); expected one of: module, python, timeout, prune, adapters, libraries",
            ),
            (
                json!({ "module": 3 }),
                "invalid `package.metadata.snakegen.module` in demo/Cargo.toml: expected a string, found a number",
            ),
            (
                json!({ "module": "my-py" }),
                "invalid `package.metadata.snakegen.module` in demo/Cargo.toml: `my-py` cannot name a Rust module (an ASCII identifier that is not a keyword)",
            ),
            (
                json!({ "libraries": { "numpy": { "version": "2", "exclude": "testing" } } }),
                "invalid `package.metadata.snakegen.libraries.numpy.exclude` in demo/Cargo.toml: expected an array of strings",
            ),
            (
                json!({ "libraries": { "numpy": { "version": "2", "include": ["a", 1] } } }),
                "invalid `package.metadata.snakegen.libraries.numpy.include[1]` in demo/Cargo.toml: expected a string, found a number",
            ),
            (
                json!({ "libraries": { "numpy": { "versoin": "2" } } }),
                "invalid `package.metadata.snakegen.libraries.numpy.versoin` in demo/Cargo.toml: unknown key (did you mean `version`?); expected one of: version, include, exclude, package",
            ),
            (
                json!({ "libraries": { "numpy": 2 } }),
                "invalid `package.metadata.snakegen.libraries.numpy` in demo/Cargo.toml: expected a version string (\"stdlib\", \">=1.12\") or a table { version, include, exclude, package }",
            ),
            (
                json!({ "libraries": { "numpy": { "version": "18446744073709551615" } } }),
                "invalid `package.metadata.snakegen.libraries.numpy.version` in demo/Cargo.toml: `18446744073709551615` is not a version requirement: 18446744073709551615 is too large to have a next version (try \"stdlib\", \"2\", \">=1.12\" or \">=1.12, <2\")",
            ),
            (
                json!({ "adapters": "target" }),
                "invalid `package.metadata.snakegen.adapters` in demo/Cargo.toml: expected \"src\" or \"out-dir\", found \"target\"",
            ),
            (
                json!({ "timeout": 0 }),
                "invalid `package.metadata.snakegen.timeout` in demo/Cargo.toml: expected a positive number of seconds",
            ),
            (
                json!([]),
                "invalid `package.metadata.snakegen` in demo/Cargo.toml: expected a table, found an array",
            ),
        ];
        for (table, expected) in cases {
            assert_eq!(settings(table).err().as_deref(), Some(expected));
        }
    }

    #[test]
    fn include_entries_are_located() {
        let manifest = "[package]\nname = \"x\"\n\n[package.metadata.snakegen.libraries]\nmath = { version = \"stdlib\", include = [\"sqrt\", \"floor\"] }\n\n[package.metadata.snakegen.libraries.json]\nversion = \"stdlib\"\ninclude = [\n    \"dumps\",\n]\n";
        let positions = include_positions(manifest);
        assert_eq!(
            positions,
            BTreeMap::from([
                (("json".to_owned(), "dumps".to_owned()), (10, 5)),
                (("math".to_owned(), "floor".to_owned()), (5, 49)),
                (("math".to_owned(), "sqrt".to_owned()), (5, 41)),
            ])
        );
        assert!(include_positions("[package").is_empty());
    }

    #[test]
    fn workspace_defaults_apply_and_package_keys_win() {
        let workspace = json!({ "snakegen": {
            "module": "python",
            "timeout": 9,
            "prune": "auto",
            "libraries": {
                "math": "stdlib",
                "numpy": { "version": "2", "include": ["ndarray"] },
            },
        }});
        let root = Path::new("Cargo.toml");
        let settings_of = |manifest: &str, package: &Value| {
            let table = inherit(root, &workspace, package)?;
            parse_settings(Path::new(manifest), &table)
        };
        let inherited = settings_of("a/Cargo.toml", &Value::Null).unwrap();
        assert_eq!(inherited.module, "python");
        assert_eq!(inherited.timeout, Duration::from_secs(9));
        assert!(inherited.prune_auto);
        assert_eq!(inherited.libraries["numpy"].include, ["ndarray"]);

        let own = json!({ "snakegen": {
            "module": "py",
            "prune": "manual",
            "libraries": { "numpy": ">=1.26", "json": "stdlib" },
        }});
        let merged = settings_of("b/Cargo.toml", &own).unwrap();
        assert_eq!(merged.module, "py");
        assert_eq!(merged.timeout, Duration::from_secs(9));
        assert!(!merged.prune_auto);
        let names: Vec<&str> = merged.libraries.keys().map(String::as_str).collect();
        assert_eq!(names, ["json", "math", "numpy"]);
        // The package's spec of a library replaces the workspace's whole.
        assert_eq!(
            merged.libraries["numpy"].requirement,
            Requirement::Version(">=1.26".into())
        );
        assert!(merged.libraries["numpy"].include.is_empty());
    }

    #[test]
    fn workspace_errors_name_the_workspace_table_and_root_manifest() {
        let workspace = json!({ "snakegen": { "libraries": { "math": 3 } } });
        let error = inherit(Path::new("Cargo.toml"), &workspace, &Value::Null)
            .err()
            .unwrap();
        assert!(
            error.to_string().starts_with(
                "invalid `workspace.metadata.snakegen.libraries.math` in Cargo.toml: expected a version string"
            ),
            "{error}"
        );
        // The package's own keys are still the package's.
        let workspace = json!({ "snakegen": { "libraries": { "math": "stdlib" } } });
        let own = json!({ "snakegen": { "libraries": { "json": 3 } } });
        let table = inherit(Path::new("Cargo.toml"), &workspace, &own).unwrap();
        let error = parse_settings(Path::new("a/Cargo.toml"), &table)
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .starts_with("invalid `package.metadata.snakegen.libraries.json` in a/Cargo.toml"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_table_says_what_to_add() {
        let error = parse_settings(Path::new("Cargo.toml"), &Value::Null)
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .contains("[package.metadata.snakegen.libraries]"),
            "{error}"
        );
    }
}
