//! The config pass: finds the package through `cargo metadata` and validates
//! `[package.metadata.snakegen]`. Every error names the manifest and the key.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

const TABLE: &str = "package.metadata.snakegen";
const WORKSPACE_TABLE: &str = "workspace.metadata.snakegen";
const DEFAULT_MODULE: &str = "py";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const STDLIB: &str = "stdlib";

/// One package's validated configuration and layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub package_name: String,
    /// How the package's other targets (tests, examples, doc-tests) name
    /// its library: `my_crate::py::math::sqrt`.
    pub crate_name: String,
    pub package_root: PathBuf,
    pub target_dir: PathBuf,
    /// The Rust module that holds the adapters (`src/<module>/`).
    pub module: String,
    /// The configured interpreter, when the manifest names one.
    pub python: Option<String>,
    pub timeout: Duration,
    /// `prune = "auto"`: every run drops what nothing uses any more.
    pub prune_auto: bool,
    pub libraries: BTreeMap<String, LibraryConfig>,
    /// What to scan: each target's source directory (or file, for a build
    /// script, whose directory is the package root).
    pub source_roots: BTreeSet<PathBuf>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryConfig {
    pub requirement: Requirement,
    /// Symbols to generate even though no source names them.
    pub include: Vec<String>,
    /// Submodules never to generate.
    pub exclude: Vec<String>,
    /// The distribution name when it differs from the import name.
    pub package: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    Stdlib,
    /// A version requirement as written (`>=1.12`, `2`).
    Version(String),
}

impl Requirement {
    pub fn as_str(&self) -> &str {
        match self {
            Requirement::Stdlib => STDLIB,
            Requirement::Version(version) => version,
        }
    }
}

impl Config {
    /// The package-relative directory of the adapters, `/`-separated.
    pub fn module_dir(&self) -> String {
        format!("src/{}", self.module)
    }

    pub fn scratch_dir(&self) -> PathBuf {
        self.target_dir.join("snakegen")
    }

    /// This package's scan cache. Packages of a workspace share the target
    /// directory, and their files share relative paths (`src/main.rs`), so
    /// each package has its own cache, named after its root.
    pub fn scan_cache(&self) -> PathBuf {
        let root = self.package_root.to_string_lossy();
        let hash = crate::artifacts::sha256(root.as_bytes());
        let short = &hash["sha256:".len().."sha256:".len() + 16];
        self.scratch_dir()
            .join(format!("scan-cache-{}-{short}.json", self.package_name))
    }

    /// The interpreter to introspect with: the config's, then `PYO3_PYTHON`
    /// (what pyo3 builds against), then the active venv's, then `python3`.
    pub fn interpreter(&self) -> String {
        let from_env = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        self.python
            .clone()
            .or_else(|| from_env("PYO3_PYTHON"))
            .or_else(|| {
                let venv = PathBuf::from(from_env("VIRTUAL_ENV")?);
                Some(venv.join("bin").join("python").display().to_string())
            })
            .unwrap_or_else(|| "python3".to_owned())
    }
}

#[derive(Debug)]
pub enum ConfigError {
    Metadata(String),
    Package(String),
    Invalid {
        manifest: PathBuf,
        key: String,
        message: String,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Metadata(message) => write!(f, "`cargo metadata` failed: {message}"),
            ConfigError::Package(message) => f.write_str(message),
            ConfigError::Invalid {
                manifest,
                key,
                message,
            } => write!(f, "invalid `{key}` in {}: {message}", manifest.display()),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads the package selected by `manifest_path` (default: the current
/// directory's) and `package` (`-p`).
pub fn load(manifest_path: Option<&Path>, package: Option<&str>) -> Result<Config, ConfigError> {
    let metadata = workspace_metadata(manifest_path)?;
    let selected = select_package(&metadata, manifest_path, package)?;
    config_for(&metadata, selected)
}

/// The packages a run works on: `-p NAME`s, every snakegen member with
/// `--workspace`, else the one `load` picks.
#[derive(Debug)]
pub struct Selection {
    /// Sorted by package name: the order locks are taken in.
    pub configs: Vec<Config>,
    /// Members `--workspace` passed over: they have no
    /// `[package.metadata.snakegen]` and do not depend on `snakegen`.
    pub skipped: Vec<String>,
}

/// Like `load`, for `-p NAME...` (any number) and `--workspace`. With
/// neither, the package `load` picks. `--workspace` takes the members that
/// have `[package.metadata.snakegen]` or that inherit
/// `[workspace.metadata.snakegen]` (they depend on `snakegen`), and skips
/// the others with a note; `-p` naming such a member is an error.
pub fn load_selection(
    manifest_path: Option<&Path>,
    packages: &[String],
    workspace: bool,
) -> Result<Selection, ConfigError> {
    let metadata = workspace_metadata(manifest_path)?;
    let mut skipped = Vec::new();
    let selected: Vec<&cargo_metadata::Package> = if workspace {
        let mut members = Vec::new();
        for member in metadata.workspace_packages() {
            if uses_snakegen(&metadata, member) {
                members.push(member);
            } else {
                skipped.push(member.name.to_string());
            }
        }
        if members.is_empty() {
            return Err(ConfigError::Package(format!(
                "no member of the workspace uses snakegen: add [{TABLE}] to a member's Cargo.toml"
            )));
        }
        members
    } else if packages.is_empty() {
        vec![select_package(&metadata, manifest_path, None)?]
    } else {
        packages
            .iter()
            .map(|name| select_package(&metadata, manifest_path, Some(name)))
            .collect::<Result<_, _>>()?
    };
    let mut configs = selected
        .into_iter()
        .map(|package| config_for(&metadata, package))
        .collect::<Result<Vec<_>, _>>()?;
    configs.sort_by(|a, b| a.package_name.cmp(&b.package_name));
    configs.dedup_by(|a, b| a.package_name == b.package_name);
    Ok(Selection { configs, skipped })
}

fn workspace_metadata(
    manifest_path: Option<&Path>,
) -> Result<cargo_metadata::Metadata, ConfigError> {
    let mut command = cargo_metadata::MetadataCommand::new();
    command.no_deps();
    if let Some(path) = manifest_path {
        command.manifest_path(path);
    }
    command
        .exec()
        .map_err(|error| ConfigError::Metadata(error.to_string()))
}

/// A member snakegen works on: it has its own table, or the workspace has
/// one and the member depends on the runtime (so it can use adapters).
fn uses_snakegen(metadata: &cargo_metadata::Metadata, package: &cargo_metadata::Package) -> bool {
    package.metadata.get("snakegen").is_some()
        || (metadata.workspace_metadata.get("snakegen").is_some()
            && package
                .dependencies
                .iter()
                .any(|dependency| dependency.name == "snakegen"))
}

/// `package`'s configuration, with `[workspace.metadata.snakegen]`'s
/// defaults when it inherits them.
fn config_for(
    metadata: &cargo_metadata::Metadata,
    selected: &cargo_metadata::Package,
) -> Result<Config, ConfigError> {
    let manifest = selected.manifest_path.clone().into_std_path_buf();
    let package_root = manifest
        .parent()
        .expect("a manifest path has a parent")
        .to_path_buf();
    let workspace_manifest = metadata
        .workspace_root
        .join("Cargo.toml")
        .into_std_path_buf();
    let settings = if uses_snakegen(metadata, selected) {
        let table = inherit(
            &workspace_manifest,
            &metadata.workspace_metadata,
            &selected.metadata,
        )?;
        parse_settings(&manifest, &table)?
    } else {
        parse_settings(&manifest, &selected.metadata)?
    };
    let source_roots = selected
        .targets
        .iter()
        .filter_map(|target| {
            let src = target.src_path.as_std_path();
            let is_build_script = target.kind.iter().any(|k| k.to_string() == "custom-build");
            if is_build_script {
                Some(src.to_path_buf())
            } else {
                src.parent().map(Path::to_path_buf)
            }
        })
        .collect();
    let crate_name = selected
        .targets
        .iter()
        .find(|target| target.kind.iter().any(|kind| kind.to_string() == "lib"))
        .map_or_else(
            || selected.name.replace('-', "_"),
            |target| target.name.replace('-', "_"),
        );
    Ok(Config {
        package_name: selected.name.to_string(),
        crate_name,
        package_root,
        target_dir: metadata.target_directory.clone().into_std_path_buf(),
        module: settings.module,
        python: settings.python,
        timeout: settings.timeout,
        prune_auto: settings.prune_auto,
        libraries: settings.libraries,
        source_roots,
    })
}

fn select_package<'a>(
    metadata: &'a cargo_metadata::Metadata,
    manifest_path: Option<&Path>,
    package: Option<&str>,
) -> Result<&'a cargo_metadata::Package, ConfigError> {
    let members: Vec<&cargo_metadata::Package> = metadata.workspace_packages();
    if let Some(name) = package {
        return members
            .iter()
            .copied()
            .find(|p| p.name.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
                ConfigError::Package(format!(
                    "package `{name}` is not a member of the workspace (members: {})",
                    names.join(", ")
                ))
            });
    }
    // Like cargo: the package whose directory is the manifest's, or else
    // the nearest one that contains the current directory.
    let start = match manifest_path {
        Some(path) => path.parent().map(Path::to_path_buf),
        None => std::env::current_dir().ok(),
    };
    let start = start.and_then(|dir| std::fs::canonicalize(dir).ok());
    let nearest = start.and_then(|start| {
        members
            .iter()
            .copied()
            .filter_map(|p| {
                let dir = std::fs::canonicalize(p.manifest_path.parent()?.as_std_path()).ok()?;
                start
                    .starts_with(&dir)
                    .then(|| (dir.components().count(), p))
            })
            .max_by_key(|(depth, _)| *depth)
    });
    if let Some((_, found)) = nearest {
        return Ok(found);
    }
    metadata.root_package().ok_or_else(|| {
        ConfigError::Package(
            "the manifest is a virtual workspace manifest: choose a package with `-p NAME`, or every one with `--workspace`"
                .to_owned(),
        )
    })
}

struct Settings {
    module: String,
    python: Option<String>,
    timeout: Duration,
    prune_auto: bool,
    libraries: BTreeMap<String, LibraryConfig>,
}

/// Validates the `[package.metadata.snakegen]` table. Unknown keys are
/// errors, not warnings: a typo (`librarys`) would otherwise silently
/// generate nothing.
fn parse_settings(manifest: &Path, package_metadata: &Value) -> Result<Settings, ConfigError> {
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
        &["module", "python", "timeout", "prune", "libraries"],
        &invalid,
    )?;

    let module = match table.get("module") {
        Some(value) => {
            let key = format!("{TABLE}.module");
            let module = as_string(value, &key, &invalid)?;
            if !is_rust_identifier(&module) {
                return Err(invalid(
                    &key,
                    format!("`{module}` is not a Rust module name"),
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
    let prune_auto = match table.get("prune") {
        None => false,
        Some(value) => {
            let key = format!("{TABLE}.prune");
            match as_string(value, &key, &invalid)?.as_str() {
                "auto" => true,
                "manual" => false,
                other => {
                    return Err(invalid(
                        &key,
                        format!("expected \"auto\" or \"manual\", found \"{other}\""),
                    ));
                }
            }
        }
    };
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
fn inherit(
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
) -> Result<LibraryConfig, ConfigError> {
    let requirement = |text: String, key: &str| {
        if text == STDLIB {
            return Ok(Requirement::Stdlib);
        }
        crate::requirement::VersionReq::parse(&text).map_err(|message| invalid(key, message))?;
        Ok(Requirement::Version(text))
    };
    if let Value::String(text) = spec {
        return Ok(LibraryConfig {
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
    let string_list = |name: &str| -> Result<Vec<String>, ConfigError> {
        let list_key = format!("{key}.{name}");
        match table.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| as_string(item, &format!("{list_key}[{i}]"), invalid))
                .collect(),
            Some(_) => Err(invalid(
                &list_key,
                "expected an array of strings".to_owned(),
            )),
        }
    };
    Ok(LibraryConfig {
        requirement: requirement(version, &version_key)?,
        include: string_list("include")?,
        exclude: string_list("exclude")?,
        package: table
            .get("package")
            .map(|value| as_string(value, &format!("{key}.package"), invalid))
            .transpose()?,
    })
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

fn is_rust_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

fn is_python_module_name(name: &str) -> bool {
    is_rust_identifier(name)
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
    fn errors_name_the_manifest_and_the_key() {
        let cases = [
            (
                json!({ "librarys": {} }),
                "invalid `package.metadata.snakegen.librarys` in demo/Cargo.toml: unknown key (did you mean `libraries`?); expected one of: module, python, timeout, prune, libraries",
            ),
            (
                json!({ "module": 3 }),
                "invalid `package.metadata.snakegen.module` in demo/Cargo.toml: expected a string, found a number",
            ),
            (
                json!({ "module": "my-py" }),
                "invalid `package.metadata.snakegen.module` in demo/Cargo.toml: `my-py` is not a Rust module name",
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
