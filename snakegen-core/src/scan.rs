//! The scan pass: Rust source → the Python symbols it names.
//!
//! syn gives the syntax tree but resolves no names, so this pass keeps its
//! own `use` scopes: one per file, inline module and block. A path counts
//! when, after its roots (`crate`, `self`, `super`, a leading `::`) and
//! aliases are resolved, it starts with `<module>::<library>`.
//!
//! It over-approximates on purpose. An extra adapter is harmless; a missed
//! one is a compile error in the user's crate. So `super::` is taken to
//! reach the adapters at any depth, macro bodies are parsed as expressions
//! or else scanned as tokens, and a file syn cannot parse is still scanned
//! as tokens after its diagnostic.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::visit::Visit;

use crate::diagnostic::{Code, Diagnostic, Location};

pub struct ScanTarget<'a> {
    /// The Rust module that holds the adapters (`py`).
    pub module: &'a str,
    /// The configured Python libraries.
    pub libraries: &'a BTreeSet<String>,
}

/// One place where the source names a Python symbol.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Usage {
    pub library: String,
    /// The Python dotted path as written (`fractions.Fraction.new`); the
    /// resolve pass finds which prefix is the symbol.
    pub path: String,
    pub location: Location,
}

pub struct FileScan {
    pub usages: Vec<Usage>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn scan_source(file: &str, source: &str, target: &ScanTarget) -> FileScan {
    let mut scanner = Scanner {
        file,
        target,
        scopes: Vec::new(),
        usages: BTreeSet::new(),
    };
    let mut diagnostics = Vec::new();
    match syn::parse_file(source) {
        Ok(syntax) => scanner.visit_file(&syntax),
        Err(error) => {
            let start = error.span().start();
            // Unbalanced delimiters defeat even the lexer; then nothing
            // more can be read, and the diagnostic says so.
            let help = match source.parse::<TokenStream>() {
                Ok(tokens) => {
                    scanner.scan_unparsed_file(tokens);
                    "the Python symbols in this file were found by a token scan instead"
                }
                Err(_) => {
                    "its delimiters do not balance, so no Python symbol could be read from it"
                }
            };
            diagnostics.push(
                Diagnostic::error(Code::S0001, format!("could not parse {file}: {error}"))
                    .at(Location {
                        file: file.to_owned(),
                        line: start.line,
                        column: start.column + 1,
                    })
                    .with_help(help),
            );
        }
    }
    FileScan {
        usages: scanner.usages.into_iter().collect(),
        diagnostics,
    }
}

/// What a name brought in by `use` stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Binding {
    /// The adapters' module itself (`use crate::py;`).
    AdapterModule,
    /// A Python path (`use py::json as j;` binds `j` to `json`).
    Python(Vec<String>),
}

type Scope = BTreeMap<String, Binding>;

struct Scanner<'a> {
    file: &'a str,
    target: &'a ScanTarget<'a>,
    /// Innermost last. A module starts afresh (Rust modules do not inherit
    /// their parent's imports); a block extends the enclosing scope.
    scopes: Vec<Scope>,
    usages: BTreeSet<Usage>,
}

/// An import as written: the name it binds and the path it names.
struct Import {
    name: String,
    path: Vec<String>,
    span: Span,
}

impl Scanner<'_> {
    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|scope| scope.get(name))
    }

    /// Resolves path segments to a Python path: `None` when the path does
    /// not lead into a configured library.
    fn resolve(&self, segments: &[String]) -> Option<Vec<String>> {
        let (first, rest) = without_roots(segments).split_first()?;
        let python: Vec<String> = if first == self.target.module {
            rest.to_vec()
        } else {
            match self.lookup(first)? {
                Binding::AdapterModule => rest.to_vec(),
                Binding::Python(path) => path.iter().chain(rest).cloned().collect(),
            }
        };
        let library = python.first()?;
        self.target.libraries.contains(library).then_some(python)
    }

    /// Records a path that names something inside a library; the library
    /// itself (`py::json` in `use py::json as j;`) is no symbol.
    fn record(&mut self, segments: &[String], span: Span) {
        if let Some(python) = self.resolve(segments).filter(|python| python.len() > 1) {
            let start = span.start();
            self.usages.insert(Usage {
                library: python[0].clone(),
                path: python.join("."),
                location: Location {
                    file: self.file.to_owned(),
                    line: start.line,
                    column: start.column + 1,
                },
            });
        }
    }

    /// Binds a scope's imports. An import may go through another one
    /// (`use py::math; use math::sqrt;`), in any order, as in Rust; so
    /// resolve until nothing changes.
    fn bind_imports(&mut self, imports: &[Import]) {
        let mut pending: Vec<&Import> = imports.iter().collect();
        loop {
            let before = pending.len();
            pending.retain(|import| {
                let binding = if without_roots(&import.path) == [self.target.module] {
                    Some(Binding::AdapterModule)
                } else {
                    self.resolve(&import.path).map(Binding::Python)
                };
                match binding {
                    Some(binding) => {
                        let scope = self.scopes.last_mut().expect("a scope is open");
                        scope.insert(import.name.clone(), binding);
                        false
                    }
                    None => true,
                }
            });
            if pending.len() == before {
                break;
            }
        }
        // An import of a symbol is a usage in itself: it may only be passed
        // around as a value, never called by a path we would see.
        for import in imports {
            self.record(&import.path, import.span);
        }
    }

    fn with_scope(&mut self, inherit: bool, imports: &[Import], visit: impl FnOnce(&mut Self)) {
        let outer = (!inherit).then(|| std::mem::take(&mut self.scopes));
        self.scopes.push(Scope::new());
        self.bind_imports(imports);
        visit(self);
        self.scopes.pop();
        if let Some(outer) = outer {
            self.scopes = outer;
        }
    }

    /// Token scan: every `a::b::c` chain, through groups. Used for macro
    /// bodies that are not expressions and for files syn cannot parse.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut index = 0;
        while index < tokens.len() {
            match &tokens[index] {
                TokenTree::Group(group) => {
                    self.scan_tokens(group.stream());
                    index += 1;
                }
                TokenTree::Ident(ident) => {
                    let mut segments = vec![unraw(&ident.to_string())];
                    let span = ident.span();
                    index += 1;
                    while let Some(next) = path_separator_then_ident(&tokens, index) {
                        segments.push(next);
                        index += 3;
                    }
                    self.record(&segments, span);
                }
                _ => index += 1,
            }
        }
    }

    fn scan_unparsed_file(&mut self, tokens: TokenStream) {
        let imports = imports_in_tokens(tokens.clone());
        self.with_scope(false, &imports, |scanner| scanner.scan_tokens(tokens));
    }
}

impl<'ast> Visit<'ast> for Scanner<'_> {
    fn visit_file(&mut self, file: &'ast syn::File) {
        let imports = imports_of_items(&file.items);
        self.with_scope(false, &imports, |scanner| {
            syn::visit::visit_file(scanner, file)
        });
    }

    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        let imports = module
            .content
            .as_ref()
            .map(|(_, items)| imports_of_items(items))
            .unwrap_or_default();
        self.with_scope(false, &imports, |scanner| {
            syn::visit::visit_item_mod(scanner, module)
        });
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let items: Vec<syn::Item> = block
            .stmts
            .iter()
            .filter_map(|statement| match statement {
                syn::Stmt::Item(item) => Some(item.clone()),
                _ => None,
            })
            .collect();
        let imports = imports_of_items(&items);
        self.with_scope(true, &imports, |scanner| {
            syn::visit::visit_block(scanner, block)
        });
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(first) = path.segments.first() {
            let segments: Vec<String> = path
                .segments
                .iter()
                .map(|segment| unraw(&segment.ident.to_string()))
                .collect();
            self.record(&segments, first.ident.span());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        let expressions =
            mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated);
        match expressions {
            Ok(expressions) => expressions
                .iter()
                .for_each(|expression| self.visit_expr(expression)),
            Err(_) => self.scan_tokens(mac.tokens.clone()),
        }
    }
}

fn imports_of_items(items: &[syn::Item]) -> Vec<Import> {
    let mut imports = Vec::new();
    for item in items {
        if let syn::Item::Use(item) = item {
            collect_imports(&item.tree, &mut Vec::new(), None, &mut imports);
        }
    }
    imports
}

/// `use` items found by tokens, for a file syn cannot parse: each
/// `use ... ;` that parses on its own still binds its names.
fn imports_in_tokens(tokens: TokenStream) -> Vec<Import> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut imports = Vec::new();
    for (start, token) in tokens.iter().enumerate() {
        let TokenTree::Ident(ident) = token else {
            continue;
        };
        if ident != "use" {
            continue;
        }
        let end = tokens[start..]
            .iter()
            .position(|token| matches!(token, TokenTree::Punct(punct) if punct.as_char() == ';'))
            .map_or(tokens.len(), |offset| start + offset + 1);
        let item: TokenStream = tokens[start..end].iter().cloned().collect();
        if let Ok(item) = syn::parse2::<syn::ItemUse>(item) {
            collect_imports(&item.tree, &mut Vec::new(), None, &mut imports);
        }
    }
    imports
}

fn collect_imports(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    first_span: Option<Span>,
    imports: &mut Vec<Import>,
) {
    match tree {
        syn::UseTree::Path(path) => {
            let span = first_span.unwrap_or_else(|| path.ident.span());
            prefix.push(unraw(&path.ident.to_string()));
            collect_imports(&path.tree, prefix, Some(span), imports);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let name_text = unraw(&name.ident.to_string());
            let span = first_span.unwrap_or_else(|| name.ident.span());
            // `use py::math::{self}` binds `math`.
            let (bound, path) = if name_text == "self" {
                (prefix.last().cloned(), prefix.clone())
            } else {
                (
                    Some(name_text.clone()),
                    [prefix.as_slice(), &[name_text]].concat(),
                )
            };
            if let Some(bound) = bound {
                imports.push(Import {
                    name: bound,
                    path,
                    span,
                });
            }
        }
        syn::UseTree::Rename(rename) => {
            let original = unraw(&rename.ident.to_string());
            let path = if original == "self" {
                prefix.clone()
            } else {
                [prefix.as_slice(), &[original]].concat()
            };
            imports.push(Import {
                name: unraw(&rename.rename.to_string()),
                path,
                span: first_span.unwrap_or_else(|| rename.ident.span()),
            });
        }
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                collect_imports(tree, prefix, first_span, imports);
            }
        }
        // Globs need the library's name index (#3); they bind nothing here.
        syn::UseTree::Glob(_) => {}
    }
}

/// The path after its roots: `crate::`, `self::` and any `super::` are
/// taken to reach the adapters' module wherever it is (over-approximate).
fn without_roots(segments: &[String]) -> &[String] {
    let roots = segments
        .iter()
        .take_while(|segment| matches!(segment.as_str(), "crate" | "self" | "super"))
        .count();
    &segments[roots..]
}

/// `r#where` is the Python name `where`.
fn unraw(ident: &str) -> String {
    ident.strip_prefix("r#").unwrap_or(ident).to_owned()
}

/// The identifier after a `::` at `index`, if there is one.
fn path_separator_then_ident(tokens: &[TokenTree], index: usize) -> Option<String> {
    match (
        tokens.get(index),
        tokens.get(index + 1),
        tokens.get(index + 2),
    ) {
        (
            Some(TokenTree::Punct(first)),
            Some(TokenTree::Punct(second)),
            Some(TokenTree::Ident(ident)),
        ) if first.as_char() == ':'
            && second.as_char() == ':'
            && first.spacing() == proc_macro2::Spacing::Joint =>
        {
            Some(unraw(&ident.to_string()))
        }
        _ => None,
    }
}
