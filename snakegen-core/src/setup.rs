//! The setup pass behind `cargo snakegen init` and `add`: a crate's own
//! files, text in, text out (`commands::init` and `commands::add` read and
//! write them). Each edit returns `None` when the file already has what it
//! would add, so a second run changes nothing; `Cargo.toml` goes through
//! `toml_edit`, so its comments and layout stay as written.

use proc_macro2::LineColumn;
use toml_edit::{DocumentMut, Item, Table, Value};

/// The `snakegen` dependency `init` adds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Runtime<'a> {
    /// From crates.io, at the version of the tool.
    Version(&'a str),
    /// A checkout of the runtime crate, as written in `Cargo.toml`
    /// (relative to the package).
    Path(&'a str),
}

/// `Cargo.toml` after `init`: the runtime dependency and the
/// `[package.metadata.snakegen]` table (with an empty `libraries` table
/// for `add` to fill), and the adapters' module it configures.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct InitManifest {
    pub(crate) text: Option<String>,
    pub(crate) module: String,
    /// The build script's path, when `[package] build` names another file
    /// than `build.rs`.
    pub(crate) build_script: String,
    /// Whether the runtime dependency was added (not there already).
    pub(crate) added_runtime: bool,
}

pub(crate) fn init_manifest(manifest: &str, runtime: Runtime) -> Result<InitManifest, String> {
    let mut document = parse_manifest(manifest)?;
    let end = last_position(document.as_table());
    let package = package_table(&mut document)?;
    let build_script = match package.get("build").map(|item| item.as_value()) {
        None => "build.rs".to_owned(),
        Some(Some(Value::Boolean(flag))) if *flag.value() => "build.rs".to_owned(),
        Some(Some(Value::String(path))) => path.value().clone(),
        Some(_) => {
            return Err(
                "`package.build` turns the build script off, and the libpython rpath goes there: remove it, or name a file".to_owned(),
            );
        }
    };
    let metadata = implicit_table(package, "metadata")?;
    let settings = match metadata.entry("snakegen") {
        toml_edit::Entry::Occupied(entry) => entry.into_mut(),
        toml_edit::Entry::Vacant(entry) => {
            let mut settings = at_end(end + 1);
            settings.insert("module", toml_edit::value(DEFAULT_MODULE));
            settings.insert("libraries", Item::Table(at_end(end + 2)));
            entry.insert(Item::Table(settings))
        }
    };
    let module = match settings.get("module") {
        None => DEFAULT_MODULE.to_owned(),
        Some(item) => item
            .as_str()
            .ok_or("`package.metadata.snakegen.module` is not a string")?
            .to_owned(),
    };
    let dependencies = document
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
        .ok_or("`dependencies` is not a table")?;
    let added_runtime = !dependencies.contains_key(RUNTIME);
    if added_runtime {
        let dependency = match runtime {
            Runtime::Version(version) => toml_edit::value(version),
            Runtime::Path(path) => {
                let mut table = toml_edit::InlineTable::new();
                table.insert("path", path.into());
                toml_edit::value(table)
            }
        };
        dependencies.insert(RUNTIME, dependency);
    }
    Ok(InitManifest {
        text: changed(manifest, document.to_string()),
        module,
        build_script,
        added_runtime,
    })
}

/// `Cargo.toml` with `library = "requirement"` in
/// `[package.metadata.snakegen.libraries]` (the table made if missing).
/// An entry already there gets the new requirement (its `version`, when
/// it is a table, whose other keys stay); entries that were sorted stay
/// sorted.
pub(crate) fn manifest_with_library(
    manifest: &str,
    library: &str,
    requirement: &str,
) -> Result<Option<String>, String> {
    let mut document = parse_manifest(manifest)?;
    let end = last_position(document.as_table());
    let package = package_table(&mut document)?;
    let settings = implicit_table(implicit_table(package, "metadata")?, "snakegen")?;
    let libraries = settings
        .entry("libraries")
        .or_insert_with(|| Item::Table(at_end(end + 1)))
        .as_table_like_mut()
        .ok_or("`package.metadata.snakegen.libraries` is not a table")?;
    let was_sorted = libraries
        .iter()
        .map(|(name, _)| name)
        .is_sorted_by(|a, b| a <= b);
    match libraries.get_mut(library) {
        Some(spec) if spec.is_str() => {
            let decor = spec.as_value().map(|value| value.decor().clone());
            let mut value = Value::from(requirement);
            if let Some(decor) = decor {
                *value.decor_mut() = decor;
            }
            *spec = Item::Value(value);
        }
        Some(spec) => {
            let table = spec.as_table_like_mut().ok_or_else(|| {
                format!("`package.metadata.snakegen.libraries.{library}` is neither a string nor a table")
            })?;
            table.insert("version", toml_edit::value(requirement));
        }
        None => {
            libraries.insert(library, toml_edit::value(requirement));
            if was_sorted {
                libraries.sort_values();
            }
        }
    }
    Ok(changed(manifest, document.to_string()))
}

/// The build script with the rpath to the runtime's libpython: a new one
/// when there is none, else the existing one with a call to a function
/// that adds it, first thing in its `main`.
pub(crate) fn build_script_with_rpath(existing: Option<&str>) -> Result<Option<String>, String> {
    let Some(source) = existing else {
        return Ok(Some(format!(
            "fn main() {{\n    {RPATH_FUNCTION}();\n}}\n{}",
            rpath_function()
        )));
    };
    if source.contains(RPATH_VARIABLE) {
        return Ok(None);
    }
    let file = parse_rust(source)?;
    let main = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Fn(function) if function.sig.ident == "main" => Some(function),
            _ => None,
        })
        .ok_or("it has no `fn main` to add the libpython rpath to")?;
    let taken = file.items.iter().any(
        |item| matches!(item, syn::Item::Fn(function) if function.sig.ident == RPATH_FUNCTION),
    );
    if taken {
        return Err(format!(
            "it already has a `fn {RPATH_FUNCTION}`, where the libpython rpath would go"
        ));
    }
    let body = offset(source, main.block.brace_token.span.open().end());
    let mut text = source.to_owned();
    text.insert_str(body, &format!("\n    {RPATH_FUNCTION}();"));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&rpath_function());
    Ok(Some(text))
}

/// The crate root with `mod <module>;` (`pub` in a library, so its tests,
/// examples and binaries reach the adapters as `my_crate::py`), after the
/// inner attributes and docs, unless it declares the module already.
pub(crate) fn crate_root_with_module(
    source: &str,
    module: &str,
    public: bool,
) -> Result<Option<String>, String> {
    let file = parse_rust(source)?;
    let declared = file
        .items
        .iter()
        .any(|item| matches!(item, syn::Item::Mod(declared) if declared.ident == module));
    if declared {
        return Ok(None);
    }
    let visibility = if public { "pub " } else { "" };
    let declaration = format!("{visibility}mod {module};\n");
    let mut text = source.to_owned();
    match file.attrs.last() {
        Some(attribute) => {
            let line = syn::spanned::Spanned::span(attribute).end().line;
            let at = offset(
                source,
                LineColumn {
                    line: line + 1,
                    column: 0,
                },
            );
            if at == text.len() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.insert_str(at.min(text.len()), &format!("\n{declaration}"));
        }
        None if source.trim().is_empty() => text = declaration,
        None => text.insert_str(0, &format!("{declaration}\n")),
    }
    Ok(Some(text))
}

/// `.gitattributes` marking the adapters as generated, so that code review
/// collapses their diffs.
pub(crate) fn gitattributes_with_adapters(existing: Option<&str>, module: &str) -> Option<String> {
    let line = format!("src/{module}/** linguist-generated=true");
    let existing = existing.unwrap_or_default();
    if existing.lines().any(|present| present.trim() == line) {
        return None;
    }
    let separator = if existing.is_empty() || existing.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some(format!("{existing}{separator}{line}\n"))
}

/// `>=X.Y` from an installed version: what `add` writes when no
/// requirement is given. `None` for a version PEP 440 cannot read.
pub(crate) fn default_requirement(installed: &str) -> Option<String> {
    let version: pep440_rs::Version = installed.parse().ok()?;
    let release: Vec<String> = version
        .release()
        .iter()
        .take(2)
        .map(u64::to_string)
        .collect();
    Some(format!(">={}", release.join(".")))
}

/// `[package] name`, when the manifest has one.
pub(crate) fn package_name(manifest: &str) -> Option<String> {
    let document: DocumentMut = manifest.parse().ok()?;
    Some(document.get("package")?.get("name")?.as_str()?.to_owned())
}

/// `to` from the directory `from` (both absolute), as a `/`-separated
/// relative path: what `Cargo.toml` says for a path dependency.
pub(crate) fn relative_path(from: &std::path::Path, to: &std::path::Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let up = std::iter::repeat_n("..".to_owned(), from.len() - shared);
    let down = to[shared..]
        .iter()
        .map(|component| component.as_os_str().to_string_lossy().into_owned());
    let path: Vec<String> = up.chain(down).collect();
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.join("/")
    }
}

const RUNTIME: &str = "snakegen";
const DEFAULT_MODULE: &str = "py";
const RPATH_VARIABLE: &str = "DEP_SNAKEGEN_LIBDIR";
const RPATH_FUNCTION: &str = "link_libpython";

fn rpath_function() -> String {
    format!(
        "\n/// Links the binary to the libpython the `snakegen` runtime was built\n\
         /// against: without an rpath, the loader may pick the system's.\n\
         fn {RPATH_FUNCTION}() {{\n    \
             if let Ok(dir) = std::env::var(\"{RPATH_VARIABLE}\") {{\n        \
                 println!(\"cargo::rustc-link-arg=-Wl,-rpath,{{dir}}\");\n    \
             }}\n\
         }}\n"
    )
}

fn parse_rust(source: &str) -> Result<syn::File, String> {
    syn::parse_file(source).map_err(|error| {
        let start = error.span().start();
        format!(
            "cannot be parsed at {}:{}: {error}",
            start.line,
            start.column + 1
        )
    })
}

fn package_table(document: &mut DocumentMut) -> Result<&mut dyn toml_edit::TableLike, String> {
    document
        .get_mut("package")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| {
            "it has no [package] table (a virtual manifest): choose a member with `-p NAME`"
                .to_owned()
        })
}

fn parse_manifest(manifest: &str) -> Result<DocumentMut, String> {
    manifest
        .parse()
        .map_err(|error| format!("cannot be parsed: {error}"))
}

/// The table `key` of `parent`, made (without a header of its own, as
/// `[package.metadata]` is usually left implicit) when missing.
fn implicit_table<'t>(
    parent: &'t mut dyn toml_edit::TableLike,
    key: &str,
) -> Result<&'t mut dyn toml_edit::TableLike, String> {
    let item = parent.entry(key).or_insert_with(|| {
        let mut table = Table::new();
        table.set_implicit(true);
        Item::Table(table)
    });
    item.as_table_like_mut()
        .ok_or_else(|| format!("`{key}` is not a table"))
}

/// The document position of the last table in `table`, nested ones
/// included.
fn last_position(table: &Table) -> isize {
    table
        .iter()
        .filter_map(|(_, item)| item.as_table())
        .map(|child| child.position().unwrap_or(0).max(last_position(child)))
        .max()
        .unwrap_or(0)
}

/// A new table shown at `position`: after every table there was, with a
/// blank line before its header.
fn at_end(position: isize) -> Table {
    let mut table = Table::new();
    table.set_position(Some(position));
    table.decor_mut().set_prefix("\n");
    table
}

fn changed(before: &str, after: String) -> Option<String> {
    (after != before).then_some(after)
}

/// The byte offset of a line and (character) column in `source`.
fn offset(source: &str, position: LineColumn) -> usize {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(position.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line = &source[line_start.min(source.len())..];
    let within: usize = line.chars().take(position.column).map(char::len_utf8).sum();
    line_start + within
}

#[cfg(test)]
mod tests;
