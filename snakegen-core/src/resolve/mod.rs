//! The resolve pass: maps each usage (`fractions.Fraction.new`, as written)
//! to the symbol it names (`fractions.Fraction`) by walking the metadata
//! through modules until the first non-module. Pure.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic};
use crate::generate::names::rust_name;
use crate::introspect::Unresolved;
use crate::metadata::{Item, LibraryMetadata, Symbol, result_classes};
use crate::scan::{Usage, UsageKind};

/// Where a dotted path leads in the metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Walk {
    /// A function, class or attribute: the symbol to generate.
    Symbol(String),
    /// The path ends on a module; only its file is needed.
    Module(String),
    /// Some segment is not in the metadata: introspection has to tell.
    Unknown,
}

pub fn walk(path: &str, libraries: &BTreeMap<String, LibraryMetadata>) -> Walk {
    let mut segments = path.split('.');
    let library = segments.next().unwrap_or_default();
    let Some(metadata) = libraries.get(library) else {
        return Walk::Unknown;
    };
    let mut prefix = library.to_owned();
    if !metadata.symbols.contains_key(&prefix) {
        return Walk::Unknown;
    }
    for segment in segments {
        let next = format!("{prefix}.{segment}");
        match metadata.symbols.get(&next) {
            Some(symbol) if symbol.is_module() => prefix = next,
            Some(_) => return Walk::Symbol(next),
            None => return Walk::Unknown,
        }
    }
    Walk::Module(prefix)
}

/// The Python paths a usage may mean, most literal first. Generated names
/// differ from Python's in documented ways: `json::with::dumps` and a
/// method's `x.dumps_with` are the builders of `dumps` (`with`, a keyword
/// in Python, is never an attribute), and a trailing `_` marks a renamed
/// keyword or collision (`self_`, `new_`).
pub fn candidates(path: &str) -> Vec<String> {
    let path = &without_builder_modules(path);
    let mut candidates = vec![path.to_owned()];
    let (parent, last) = path.rsplit_once('.').unwrap_or(("", path));
    let join = |name: &str| {
        if parent.is_empty() {
            name.to_owned()
        } else {
            format!("{parent}.{name}")
        }
    };
    let without_with = last.strip_suffix("_with").filter(|name| !name.is_empty());
    for name in [without_with, Some(last.trim_end_matches('_'))]
        .into_iter()
        .flatten()
        .chain(without_with.map(|name| name.trim_end_matches('_')))
    {
        let candidate = join(name);
        if !name.is_empty() && !candidates.contains(&candidate) {
            candidates.push(candidate);
        }
    }
    candidates
}

/// `path` less its `with` segments (`sympy.with.expand` is `sympy.expand`);
/// a library named `with` cannot be imported, so the first never is one.
fn without_builder_modules(path: &str) -> String {
    let mut segments = path.split('.');
    let first = segments.next().unwrap_or_default();
    std::iter::once(first)
        .chain(segments.filter(|segment| *segment != crate::generate::WITH))
        .collect::<Vec<_>>()
        .join(".")
}

/// Where a usage leads: the first of its candidates that the metadata knows.
pub fn walk_usage(path: &str, libraries: &BTreeMap<String, LibraryMetadata>) -> Walk {
    candidates(path)
        .iter()
        .map(|candidate| walk(candidate, libraries))
        .find(|walk| *walk != Walk::Unknown)
        .unwrap_or(Walk::Unknown)
}

/// What to ask introspection about: every candidate of every usage that
/// the metadata cannot answer yet.
pub fn unknown_paths(
    usages: &[Usage],
    libraries: &BTreeMap<String, LibraryMetadata>,
) -> BTreeSet<String> {
    usages
        .iter()
        .filter(|usage| walk_usage(&usage.path, libraries) == Walk::Unknown)
        .filter(|usage| !ruled_out(usage, libraries))
        .flat_map(|usage| candidates(&usage.path))
        .collect()
}

/// What the metadata says of `path`, in the library its first segment names.
fn described<'m>(
    path: &str,
    libraries: &'m BTreeMap<String, LibraryMetadata>,
) -> Option<&'m Symbol> {
    let library = path.split('.').next()?;
    libraries.get(library)?.symbols.get(path)
}

/// The public names of `module`, when the metadata holds its index.
fn name_index<'m>(
    module: &str,
    libraries: &'m BTreeMap<String, LibraryMetadata>,
) -> Option<&'m [String]> {
    described(module, libraries)?.name_index()
}

/// A glob candidate whose module's name index lacks the name: not Python's
/// (`Ok(..)` under `use py::math::*`), decided without asking Python.
fn ruled_out(usage: &Usage, libraries: &BTreeMap<String, LibraryMetadata>) -> bool {
    let UsageKind::Glob { module } = &usage.kind else {
        return false;
    };
    let Some(names) = name_index(module, libraries) else {
        return false;
    };
    !candidates(&usage.path).iter().any(|candidate| {
        let name = candidate[module.len() + 1..]
            .split('.')
            .next()
            .unwrap_or_default();
        names.iter().any(|known| known == name)
    })
}

/// Glob-imported modules whose name index the metadata lacks.
pub fn missing_indexes(
    usages: &[Usage],
    libraries: &BTreeMap<String, LibraryMetadata>,
) -> BTreeSet<String> {
    usages
        .iter()
        .filter_map(|usage| match &usage.kind {
            UsageKind::Glob { module } if name_index(module, libraries).is_none() => {
                Some(module.clone())
            }
            _ => None,
        })
        .collect()
}

/// A usage that goes on past a function or a value, which has no items in
/// Rust: `sympy::printing::latex::latex`, where Python's attribute
/// `sympy.printing.latex` is the function that hides the submodule of the
/// same name (`from sympy.printing.latex import latex` goes through
/// `sys.modules`, the adapters through attributes).
fn past_a_function(
    usage: &Usage,
    libraries: &BTreeMap<String, LibraryMetadata>,
) -> Option<Diagnostic> {
    let Walk::Symbol(symbol) = walk_usage(&usage.path, libraries) else {
        return None;
    };
    let described = described(&symbol, libraries)?;
    if candidates(&usage.path).contains(&symbol) {
        return None;
    }
    let rust = |path: &str| path.replace('.', "::");
    let rest = &usage.path[symbol.len() + 1..];
    let member = rest.split('.').next().unwrap_or(rest);
    if let Some(instance) = &described.instance {
        // A module-level object (`scipy.stats.norm`): its members are
        // reached through it, one level deep.
        let members = &instance.of.members;
        let prefix = format!("{symbol}.");
        // `norm::object()` is the generated reader of the object itself.
        let reached = rest == "object"
            || candidates(&usage.path).iter().any(|candidate| {
                candidate
                    .strip_prefix(&prefix)
                    .is_some_and(|name| members.iter().any(|member| member == name))
            });
        if reached {
            return None;
        }
        let diagnostic = Diagnostic::error(
            Code::S0002,
            format!(
                "`{symbol}` is an instance of `{}`, which has no attribute `{rest}` the adapters reach",
                instance.class
            ),
        )
        .at(usage.location.clone())
        .on(rust_name(member));
        return Some(match suggest(member, members) {
            Some(best) if !members.iter().any(|name| name == member) => diagnostic
                .with_suggestion(
                    format!("a member with a similar spelling exists in `{symbol}`"),
                    rust_name(best),
                ),
            _ => diagnostic.with_help(format!(
                "the adapters reach its own members only; go further from `{}::object()` with `getattr`",
                rust(&symbol)
            )),
        });
    }
    let kind = match described.item {
        Item::Function { .. } => "function",
        Item::Attribute { .. } => "value",
        Item::Class(_) | Item::Module { .. } => return None,
    };
    Some(
        Diagnostic::error(
            Code::S0002,
            format!(
                "`{symbol}` is a {kind}, not a module: `{}` names nothing in it",
                usage.path
            ),
        )
        .at(usage.location.clone())
        .on(rust_name(last_segment(&usage.path)))
        .with_help(format!(
            "use `{}` itself (a Python submodule that an attribute of the same name hides is not reachable through the adapters)",
            rust(&symbol)
        )),
    )
}

/// A module's builder function spelt as before output format 13
/// (`sympy::expand_with`, now `sympy::with::expand`; a module-level
/// object's too), which rustc would only report as not found. Methods keep
/// `x.f_with()`.
fn builder_spelt_as_before(
    usage: &Usage,
    libraries: &BTreeMap<String, LibraryMetadata>,
) -> Option<Diagnostic> {
    let path = without_builder_modules(&usage.path);
    let (parent, last) = path.rsplit_once('.')?;
    let name = last.strip_suffix("_with").filter(|name| !name.is_empty())?;
    if walk(&path, libraries) != Walk::Unknown {
        return None;
    }
    let callable = format!("{parent}.{name}");
    let module_level = walk(&callable, libraries) == Walk::Symbol(callable.clone());
    let member_of_object = described(parent, libraries)
        .and_then(|object| object.instance.as_ref())
        .is_some_and(|instance| instance.of.members.iter().any(|member| member == name));
    if !(module_level || member_of_object) {
        return None;
    }
    let (old, new) = (rust_name(last), format!("with::{}", rust_name(name)));
    Some(
        Diagnostic::error(
            Code::S0008,
            format!("`{old}` is spelt `{new}` since output format 13"),
        )
        .at(usage.location.clone())
        .on(old)
        .with_suggestion("a module's builder functions are in its `with` module", new),
    )
}

/// A diagnostic for each usage that does not resolve. `unresolved` is what
/// introspection said about missing names (for "did you mean"); without it
/// (`--check`, which runs no Python) the usage is reported as unlocked.
pub fn diagnose_unknown(
    usages: &[Usage],
    libraries: &BTreeMap<String, LibraryMetadata>,
    unresolved: Option<&BTreeMap<String, Unresolved>>,
    excluded: &BTreeMap<String, Vec<String>>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for usage in usages {
        if ruled_out(usage, libraries) {
            continue;
        }
        if let Some(module) = excluded_module(&usage.path, excluded) {
            diagnostics.push(
                Diagnostic::error(
                    Code::S0002,
                    format!("`{}` is in the excluded module `{module}`", usage.path),
                )
                .at(usage.location.clone())
                .on(rust_name(last_segment(&usage.path)))
                .with_help(format!(
                    "remove `{}` from `exclude` in [package.metadata.snakegen.libraries.{}]",
                    module
                        .strip_prefix(&format!("{}.", usage.library))
                        .unwrap_or(&module),
                    usage.library
                )),
            );
            continue;
        }
        if let Some(diagnostic) = past_a_function(usage, libraries) {
            diagnostics.push(diagnostic);
            continue;
        }
        if let Some(diagnostic) = builder_spelt_as_before(usage, libraries) {
            diagnostics.push(diagnostic);
            continue;
        }
        if walk_usage(&usage.path, libraries) != Walk::Unknown {
            continue;
        }
        // What introspection was asked about (`sympy.with.expnd` is `sympy.expnd`).
        let path = without_builder_modules(&usage.path);
        let diagnostic = match (&usage.kind, unresolved) {
            // A guess under a glob that Python did not confirm: not a usage.
            (UsageKind::Glob { .. }, Some(_)) => continue,
            (UsageKind::Glob { module }, None) if name_index(module, libraries).is_none() => {
                Diagnostic::error(
                    Code::S0003,
                    format!("the glob import of `{module}` is not in snakegen.lock"),
                )
                .at(usage.location.clone())
                .with_help("run `cargo snakegen` to index the module")
            }
            (_, unresolved) => match unresolved {
                None => Diagnostic::error(Code::S0003, format!("`{path}` is not in snakegen.lock"))
                    .at(usage.location.clone())
                    .on(rust_name(last_segment(&usage.path)))
                    .with_help("run `cargo snakegen` to generate its adapter"),
                Some(unresolved) => match unresolved.get(&path) {
                    Some(missing) => {
                        let diagnostic = Diagnostic::error(
                            Code::S0002,
                            format!(
                                "cannot find `{}` in Python module `{}`",
                                missing.name, missing.module
                            ),
                        )
                        .at(usage.location.clone())
                        .on(rust_name(&missing.name));
                        match suggest(&missing.name, &missing.names) {
                            Some(best) => diagnostic.with_suggestion(
                                format!(
                                    "a name with a similar spelling exists in `{}`",
                                    missing.module
                                ),
                                rust_name(best),
                            ),
                            None => diagnostic,
                        }
                    }
                    // The library itself failed; that is reported once, elsewhere.
                    None => continue,
                },
            },
        };
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// The member names the crate may call on generated classes: every method
/// call in the package (`x.det()`, whatever `x` is) and every segment of a
/// Python path (`Fraction::from_float`), each with the Python names its
/// generated name may stand for (`limit_denominator_with`). A superset:
/// only names a class really has are described.
pub fn called_members(methods: &BTreeSet<String>, usages: &[Usage]) -> BTreeSet<String> {
    let segments = usages
        .iter()
        .flat_map(|usage| usage.path.split('.').skip(1));
    methods
        .iter()
        .map(String::as_str)
        .chain(segments)
        .flat_map(candidates)
        .collect()
}

/// Called members of generated classes that the metadata lists but does
/// not describe yet, as `class.member` paths.
pub fn undescribed_members(
    called: &BTreeSet<String>,
    libraries: &BTreeMap<String, LibraryMetadata>,
) -> BTreeSet<String> {
    let mut missing = BTreeSet::new();
    for (path, symbol) in libraries.values().flat_map(|library| &library.symbols) {
        if let Some(class) = symbol.members() {
            for member in class
                .members
                .iter()
                .filter(|member| called.contains(*member))
            {
                if !class.methods.contains_key(member) && !class.attributes.contains_key(member) {
                    missing.insert(format!("{path}.{member}"));
                }
            }
        }
    }
    missing
}

/// The members introspection describes: the called ones, and those already
/// described (generation is append-only).
pub fn described_members(libraries: &BTreeMap<String, LibraryMetadata>) -> BTreeSet<String> {
    libraries
        .values()
        .flat_map(|library| library.symbols.values())
        .filter_map(|symbol| {
            let class = symbol.members()?;
            Some(class.methods.keys().chain(class.attributes.keys()))
        })
        .flatten()
        .cloned()
        .collect()
}

/// The metadata without what nothing uses any more: the symbols the usages
/// reach, the modules on their way, the name indexes that glob imports
/// still need, and of each class the members still called. Returns it with
/// the removed symbol and member paths.
pub fn prune(
    metadata: &BTreeMap<String, LibraryMetadata>,
    usages: &[Usage],
    called: &BTreeSet<String>,
) -> (BTreeMap<String, LibraryMetadata>, Vec<String>) {
    let mut kept: BTreeSet<String> = BTreeSet::new();
    for usage in usages {
        if let Walk::Symbol(symbol) = walk_usage(&usage.path, metadata) {
            kept.insert(symbol);
        }
        if let UsageKind::Glob { module } = &usage.kind {
            kept.insert(module.clone());
        }
    }
    let mut removed = Vec::new();
    let mut pruned = BTreeMap::new();
    for (name, library) in metadata {
        // Of each class, the members still called; then the classes their
        // results are typed with stay too.
        let mut symbols = library.symbols.clone();
        for class in symbols.values_mut().filter_map(Symbol::members_mut) {
            class.methods.retain(|member, _| called.contains(member));
            class.attributes.retain(|member, _| called.contains(member));
        }
        let mut kept = kept.clone();
        let result_classes: Vec<String> = kept
            .iter()
            .flat_map(|path| result_classes(&symbols, path))
            .collect();
        kept.extend(result_classes);
        let needed = |path: &str, symbol: &Symbol| {
            let on_the_way = kept
                .iter()
                .any(|used| used.starts_with(&format!("{path}.")));
            kept.contains(path) || (symbol.is_module() && on_the_way)
        };
        // A class that goes is listed itself, not member by member.
        for (path, symbol) in &library.symbols {
            if !needed(path, symbol) {
                if !symbol.is_module() {
                    removed.push(path.clone());
                }
            } else if let Some(class) = symbol.members() {
                for member in class.methods.keys().chain(class.attributes.keys()) {
                    if !called.contains(member) {
                        removed.push(format!("{path}.{member}"));
                    }
                }
            }
        }
        symbols.retain(|path, symbol| needed(path, symbol));
        if symbols
            .values()
            .any(|symbol| !symbol.is_module() || symbol.name_index().is_some())
        {
            let library = LibraryMetadata {
                version: library.version.clone(),
                symbols,
            };
            pruned.insert(name.clone(), library);
        }
    }
    removed.sort();
    (pruned, removed)
}

fn excluded_module(path: &str, excluded: &BTreeMap<String, Vec<String>>) -> Option<String> {
    let library = path.split('.').next()?;
    excluded.get(library)?.iter().find_map(|module| {
        let full = format!("{library}.{module}");
        (path == full || path.starts_with(&format!("{full}."))).then_some(full)
    })
}

/// The last name of a dotted path: `math.sqrt` → `sqrt`.
fn last_segment(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// The closest of `candidates` to a misspelt `name`. Jaro-Winkler costs
/// the product of the lengths, so a name far longer than any identifier
/// worth suggesting for (a hostile 1 MB one) gets no suggestion.
fn suggest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    const LONGEST_TYPO: usize = 256;
    if name.len() > LONGEST_TYPO {
        return None;
    }
    candidates
        .iter()
        .filter(|candidate| candidate.len() <= LONGEST_TYPO)
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::metadata::{Item, Signature, SignatureSource, Symbol};

    fn symbol(item: Item) -> Symbol {
        Symbol {
            canonical: String::new(),
            doc: None,
            item,
            instance: None,
        }
    }

    fn function() -> Item {
        Item::Function {
            signature: Signature {
                source: SignatureSource::Variadic,
                fallbacks: vec![],
                parameters: vec![],
                returns: None,
                overloads: vec![],
            },
        }
    }

    fn libraries() -> BTreeMap<String, LibraryMetadata> {
        let symbols = [
            ("numpy", symbol(Item::Module { names: None })),
            ("numpy.linalg", symbol(Item::Module { names: None })),
            ("numpy.linalg.norm", symbol(function())),
            (
                "numpy.pi",
                symbol(Item::Attribute {
                    type_name: "float".into(),
                }),
            ),
        ];
        let numpy = LibraryMetadata {
            version: "2.0".into(),
            symbols: symbols
                .into_iter()
                .map(|(path, symbol)| (path.to_owned(), symbol))
                .collect(),
        };
        [("numpy".to_owned(), numpy)].into()
    }

    fn usage(path: &str) -> Usage {
        Usage {
            library: path.split('.').next().unwrap().to_owned(),
            path: path.to_owned(),
            location: Location {
                file: "src/main.rs".into(),
                line: 3,
                column: 5,
            },
            kind: UsageKind::Path,
        }
    }

    #[test]
    fn walks_through_modules_to_the_first_symbol() {
        let libraries = libraries();
        assert_eq!(
            walk("numpy.linalg.norm", &libraries),
            Walk::Symbol("numpy.linalg.norm".into())
        );
        assert_eq!(
            walk("numpy.pi.real", &libraries),
            Walk::Symbol("numpy.pi".into())
        );
        assert_eq!(
            walk("numpy.linalg", &libraries),
            Walk::Module("numpy.linalg".into())
        );
        assert_eq!(walk("numpy.fft.fft", &libraries), Walk::Unknown);
        assert_eq!(walk("scipy.sparse", &libraries), Walk::Unknown);
    }

    /// `src/main.rs` of the usages below, which start at 3:5.
    const CALLS: &str = "use snakegen::py;\n\n    py::numpy::linalg::nrom(&a) + py::numpy::linalg::norm::norm(&a);\n";

    #[test]
    fn unknown_names_get_suggestions_from_the_module_index() {
        let unresolved = [(
            "numpy.linalg.nrom".to_owned(),
            Unresolved {
                module: "numpy.linalg".into(),
                name: "nrom".into(),
                names: vec!["det".into(), "norm".into()],
            },
        )]
        .into();
        let diagnostics = diagnose_unknown(
            &[usage("numpy.linalg.nrom")],
            &libraries(),
            Some(&unresolved),
            &BTreeMap::new(),
        );
        expect_test::expect![[r#"
            error[S0002]: cannot find `nrom` in Python module `numpy.linalg`
             --> src/main.rs:3:24
              |
            3 |     py::numpy::linalg::nrom(&a) + py::numpy::linalg::norm::norm(&a);
              |                        ^^^^
              |
            help: a name with a similar spelling exists in `numpy.linalg`
              |
            3 -     py::numpy::linalg::nrom(&a) + py::numpy::linalg::norm::norm(&a);
            3 +     py::numpy::linalg::norm(&a) + py::numpy::linalg::norm::norm(&a);
              |
        "#]]
        .assert_eq(&diagnostics[0].render(Some(CALLS), false));
    }

    #[test]
    fn a_builder_spelt_as_before_output_format_13_gets_the_new_spelling() {
        let source = "use snakegen::py;\n\n    py::numpy::linalg::norm_with(&a).ord(2).call()?;\n";
        let diagnose =
            |path: &str| diagnose_unknown(&[usage(path)], &libraries(), None, &BTreeMap::new());
        let diagnostics = diagnose("numpy.linalg.norm_with");
        expect_test::expect![[r#"
            error[S0008]: `norm_with` is spelt `with::norm` since output format 13
             --> src/main.rs:3:24
              |
            3 |     py::numpy::linalg::norm_with(&a).ord(2).call()?;
              |                        ^^^^^^^^^
              |
            help: a module's builder functions are in its `with` module
              |
            3 -     py::numpy::linalg::norm_with(&a).ord(2).call()?;
            3 +     py::numpy::linalg::with::norm(&a).ord(2).call()?;
              |
        "#]]
        .assert_eq(&diagnostics[0].render(Some(source), false));
        assert_eq!(diagnose("numpy.linalg.with.norm"), []);
        // Not a builder: a name Python does not have, for introspection.
        assert_eq!(diagnose("numpy.linalg.det_with")[0].code, Code::S0003);
    }

    #[test]
    fn a_path_past_a_function_is_an_error() {
        // `from sympy.printing.latex import latex` written as a path: the
        // attribute `sympy.printing.latex` is the function.
        let diagnostics = diagnose_unknown(
            &[
                usage("numpy.linalg.norm.norm"),
                usage("numpy.linalg.with.norm"),
            ],
            &libraries(),
            None,
            &BTreeMap::new(),
        );
        assert_eq!(diagnostics.len(), 1);
        expect_test::expect![[r#"
            error[S0002]: `numpy.linalg.norm` is a function, not a module: `numpy.linalg.norm.norm` names nothing in it
             --> src/main.rs:3:54
              |
            3 |     py::numpy::linalg::nrom(&a) + py::numpy::linalg::norm::norm(&a);
              |                                                      ^^^^
              |
              = help: use `numpy::linalg::norm` itself (a Python submodule that an attribute of the same name hides is not reachable through the adapters)
        "#]].assert_eq(&diagnostics[0].render(Some(CALLS), false));
    }

    #[test]
    fn without_python_unknown_usages_are_unlocked() {
        let diagnostics = diagnose_unknown(
            &[usage("numpy.fft.fft"), usage("numpy.pi")],
            &libraries(),
            None,
            &BTreeMap::new(),
        );
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].message,
            "`numpy.fft.fft` is not in snakegen.lock"
        );
    }

    #[test]
    fn excluded_modules_are_refused() {
        let excluded = [("numpy".to_owned(), vec!["linalg".to_owned()])].into();
        let diagnostics = diagnose_unknown(
            &[usage("numpy.linalg.norm"), usage("numpy.pi")],
            &libraries(),
            None,
            &excluded,
        );
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].message,
            "`numpy.linalg.norm` is in the excluded module `numpy.linalg`"
        );
    }

    #[test]
    fn generated_names_lead_back_to_python_names() {
        assert_eq!(
            candidates("json.dumps_with"),
            ["json.dumps_with", "json.dumps"]
        );
        assert_eq!(
            candidates("odd.thing.crate_"),
            ["odd.thing.crate_", "odd.thing.crate"]
        );
        assert_eq!(
            candidates("odd.new__with"),
            ["odd.new__with", "odd.new_", "odd.new"]
        );
        assert_eq!(candidates("math.sqrt"), ["math.sqrt"]);
        assert_eq!(candidates("json.with.dumps"), ["json.dumps"]);
        assert_eq!(candidates("json.with"), ["json"]);
        assert_eq!(
            candidates("scipy.stats.norm.with.ppf"),
            ["scipy.stats.norm.ppf"]
        );
        assert_eq!(candidates("odd._with"), ["odd._with"]);
        assert_eq!(
            walk_usage("numpy.linalg.norm_with", &libraries()),
            Walk::Symbol("numpy.linalg.norm".into())
        );
    }
}
