//! The scan pass: Rust source → the Python symbols it names.
//!
//! syn gives the syntax tree but resolves no names, so this pass keeps its
//! own scopes: one per file, inline module and block, each with the names
//! its `use` items and `type` aliases bind and the modules it glob-imports.
//! A path counts when, after its roots (`crate`, `self`, `super`, a leading
//! `::`, the crate's own name) and bindings are resolved, it starts with
//! `<module>::<library>`.
//!
//! It must never miss a usage, because a missing adapter is a compile error
//! in the user's crate; an extra one only costs an adapter. So `super::` is
//! taken to reach the adapters at any depth, `#[cfg]`-disabled code is read,
//! macro bodies are parsed as expressions or else scanned as tokens, doc
//! tests are scanned as code, and a file syn cannot parse is still scanned
//! as tokens after its diagnostic. What only a Python name index can decide
//! (a call under a glob import) is reported as a [`UsageKind::Glob`]
//! candidate for the resolve pass.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::diagnostic::{Code, Diagnostic, Location};

mod imports;
pub(crate) mod package;
pub(crate) mod sources;
mod unscanned;

use imports::{Import, imports_in_tokens, imports_of_items};
pub use unscanned::{crashed, too_large, unreadable};

#[cfg(test)]
mod tests;

pub struct ScanTarget<'a> {
    /// The Rust module that holds the adapters (`py`).
    pub module: &'a str,
    /// The package's library crate name, as tests, examples and doc tests
    /// write it (`my_crate::py::math`).
    pub crate_name: &'a str,
    /// The configured Python libraries.
    pub libraries: &'a BTreeSet<String>,
}

/// One place where the source names a Python symbol.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub library: String,
    /// The Python dotted path as written (`fractions.Fraction.new`); the
    /// resolve pass finds which prefix is the symbol.
    pub path: String,
    pub location: Location,
    pub kind: UsageKind,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UsageKind {
    /// A path that certainly leads to the adapters.
    Path,
    /// A name under a glob import of the Python module `module`: a usage
    /// only if that module has the name.
    Glob { module: String },
    /// `snakegen::dynamic::call("math", "sqrt", ..)` or `call_with` with
    /// literal names.
    Dynamic,
    /// `snakegen::dynamic::getattr("operator", "add")` with literal names:
    /// the object itself, which a typed adapter gives only for a value
    /// (`math::pi()`), not for a function or a class.
    DynamicValue,
}

#[derive(Debug, Default)]
pub struct FileScan {
    pub usages: Vec<Usage>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every method name called (`x.det()`), whatever `x` is: the members
    /// of a used class worth generating.
    pub methods: BTreeSet<String>,
}

/// Deeper than this, a file is only token-scanned: syn parses (and the
/// visitor walks) recursively, and a few thousand levels would overflow
/// even the scan threads' large stacks. rustc itself stops far sooner.
const MAX_PARSED_NESTING: usize = 4_000;

/// Diagnostics about a file are warnings: the token scan still finds its
/// usages (or, when even that fails, rustc will refuse the file too).
pub fn scan_source(file: &str, source: &str, target: &ScanTarget) -> FileScan {
    let mut scanner = Scanner::new(file, target);
    // Lexed once: the nesting check, the parse and the fallback token scan
    // all read the same tokens.
    let skipped = match source_tokens(source) {
        // Unbalanced delimiters defeat even the lexer; then nothing more
        // can be read, and the diagnostic says so.
        Err(error) => Some((
            error.to_string(),
            error.span().start(),
            "its delimiters do not balance, so no Python symbol could be read from it",
        )),
        Ok(tokens) => {
            let nesting = nesting_depth(&tokens);
            let unparsed = if nesting > MAX_PARSED_NESTING {
                let reason =
                    format!("its delimiters nest {nesting} deep (more than {MAX_PARSED_NESTING})");
                Some((reason, proc_macro2::LineColumn { line: 1, column: 0 }))
            } else {
                match syn::parse2::<syn::File>(tokens.clone()) {
                    Ok(syntax) => {
                        scanner.visit_file(&syntax);
                        None
                    }
                    Err(error) => Some((error.to_string(), error.span().start())),
                }
            };
            unparsed.map(|(reason, start)| {
                scanner.scan_unparsed_file(tokens);
                let help = "the Python symbols in this file were found by a token scan instead";
                (reason, start, help)
            })
        }
    };
    let skipped = skipped.map(|(reason, start, help)| {
        Diagnostic::warning(Code::S0001, format!("could not parse {file}: {reason}"))
            .at(Location {
                file: file.to_owned(),
                line: start.line,
                column: start.column + 1,
            })
            .with_help(help)
    });
    let unconfigured = scanner
        .unconfigured
        .into_iter()
        .map(|(location, library)| unconfigured(&library, location));
    let diagnostics = skipped.into_iter().chain(unconfigured).collect();
    FileScan {
        usages: scanner.usages.into_iter().collect(),
        diagnostics,
        methods: scanner.methods,
    }
}

fn unconfigured(library: &str, location: Location) -> Diagnostic {
    Diagnostic::error(
        Code::S0007,
        format!("`{library}` is not a configured Python library"),
    )
    .at(location)
    .on(library)
    .with_help(format!(
        "add it to [package.metadata.snakegen.libraries] with `cargo snakegen add {library}`"
    ))
}

/// The file's tokens, as `syn::parse_file` reads them: without a byte
/// order mark or a `#!` line (which is no Rust), positions kept.
fn source_tokens(source: &str) -> Result<TokenStream, proc_macro2::LexError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let shebang = source.starts_with("#!") && !source[2..].trim_start().starts_with('[');
    let source = match source.find('\n') {
        Some(end) if shebang => &source[end..],
        None if shebang => "",
        _ => source,
    };
    source.parse()
}

/// How deep groups nest in `tokens`, counted without recursion.
fn nesting_depth(tokens: &TokenStream) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(tokens.clone().into_iter(), 1)];
    while let Some((iter, depth)) = stack.last_mut() {
        let depth = *depth;
        match iter.next() {
            Some(TokenTree::Group(group)) => {
                deepest = deepest.max(depth);
                stack.push((group.stream().into_iter(), depth + 1));
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    deepest
}

/// What a name brought in by `use` or `type` stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Binding {
    /// The adapters' module itself (`use crate::py;`).
    AdapterModule,
    /// A Python path (`use py::json as j;` binds `j` to `json`).
    Python(Vec<String>),
}

#[derive(Default)]
struct Scope {
    bindings: BTreeMap<String, Binding>,
    /// Python modules imported with `*`.
    globs: Vec<Vec<String>>,
    /// Items defined here, which shadow what a glob brings in.
    locals: BTreeSet<String>,
}

struct Scanner<'a> {
    file: &'a str,
    target: &'a ScanTarget<'a>,
    /// Innermost last. A module starts afresh (Rust modules do not inherit
    /// their parent's imports); a block extends the enclosing scope.
    scopes: Vec<Scope>,
    usages: BTreeSet<Usage>,
    /// Sites that name a library not configured, with its name.
    unconfigured: BTreeMap<Location, String>,
    methods: BTreeSet<String>,
    doc_test: DocTest,
}

impl<'a> Scanner<'a> {
    fn new(file: &'a str, target: &'a ScanTarget<'a>) -> Self {
        Scanner {
            file,
            target,
            scopes: Vec::new(),
            usages: BTreeSet::new(),
            unconfigured: BTreeMap::new(),
            methods: BTreeSet::new(),
            doc_test: DocTest::default(),
        }
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes
            .iter()
            .rev()
            .find_map(|scope| scope.bindings.get(name))
    }

    /// The path after its roots: `crate::`, `self::`, any `super::` (taken
    /// to reach the adapters' module wherever it is) and the crate's name
    /// when a module follows it.
    fn without_roots<'s>(&self, segments: &'s [String]) -> &'s [String] {
        let roots = segments
            .iter()
            .take_while(|segment| matches!(segment.as_str(), "crate" | "self" | "super"))
            .count();
        match &segments[roots..] {
            [first, rest @ ..] if first == self.target.crate_name && !rest.is_empty() => rest,
            rest => rest,
        }
    }

    /// Resolves path segments to a Python path: `None` when the path does
    /// not lead into a configured library.
    fn resolve(&self, segments: &[String]) -> Option<Vec<String>> {
        let (first, rest) = self.without_roots(segments).split_first()?;
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

    fn location(&self, span: Span) -> Location {
        let start = span.start();
        Location {
            file: self.file.to_owned(),
            line: start.line,
            column: start.column + 1,
        }
    }

    fn insert(&mut self, python: &[String], location: Location, kind: UsageKind) {
        let python = without_call_entries(python);
        if python.len() < 2 {
            return;
        }
        self.usages.insert(Usage {
            library: python[0].clone(),
            path: python.join("."),
            location,
            kind,
        });
    }

    /// Records a path that names something inside a library; the library
    /// itself (`py::json` in `use py::json as j;`) is no symbol. A path
    /// through the adapters' module into a library that is not configured
    /// is an error at its site: no adapter could ever be generated for it.
    fn record(&mut self, segments: &[String], span: Span) {
        match self.resolve(segments) {
            Some(python) if python.len() > 1 => {
                self.insert(&python, self.location(span), UsageKind::Path);
            }
            Some(_) => {}
            None => {
                if let Some(library) = self.unconfigured_library(segments) {
                    let library = library.to_owned();
                    self.unconfigured.insert(self.location(span), library);
                }
            }
        }
    }

    /// The library of a path that goes through the adapters' module into
    /// a Python library the configuration does not list (`py::os::getcwd`
    /// without `os`).
    fn unconfigured_library<'s>(&self, segments: &'s [String]) -> Option<&'s str> {
        let (first, rest) = self.without_roots(segments).split_first()?;
        let through_adapters =
            first == self.target.module || self.lookup(first) == Some(&Binding::AdapterModule);
        let library = rest.first().filter(|_| through_adapters)?;
        (!self.target.libraries.contains(library)).then_some(library.as_str())
    }

    /// A path that binds to nothing may come from a glob import: a
    /// candidate under each glob in scope.
    fn record_glob_candidates(&mut self, segments: &[String], span: Span) {
        let segments = self.without_roots(segments);
        let Some(first) = segments.first() else {
            return;
        };
        let shadowed = self.scopes.iter().any(|scope| scope.locals.contains(first));
        if first == self.target.module || self.lookup(first).is_some() || shadowed {
            return;
        }
        let modules: Vec<Vec<String>> = self
            .scopes
            .iter()
            .flat_map(|scope| scope.globs.clone())
            .collect();
        for module in modules {
            let python = [module.as_slice(), segments].concat();
            let kind = UsageKind::Glob {
                module: module.join("."),
            };
            self.insert(&python, self.location(span), kind);
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
                let (name, path) = match import {
                    Import::Name { name, path, .. } => (Some(name), path),
                    Import::Glob(path) => (None, path),
                    Import::Local(name) => {
                        let scope = self.scopes.last_mut().expect("a scope is open");
                        scope.locals.insert(name.clone());
                        return false;
                    }
                };
                let binding = if self.without_roots(path) == [self.target.module] {
                    Some(Binding::AdapterModule)
                } else {
                    self.resolve(path).map(Binding::Python)
                };
                let scope = self.scopes.last_mut().expect("a scope is open");
                match (binding, name) {
                    (Some(binding), Some(name)) => {
                        scope.bindings.insert(name.clone(), binding);
                        false
                    }
                    (Some(Binding::Python(module)), None) => {
                        scope.globs.push(module);
                        false
                    }
                    (Some(Binding::AdapterModule), None) => false,
                    (None, _) => true,
                }
            });
            if pending.len() == before {
                break;
            }
        }
        // An import of a symbol is a usage in itself: it may only be passed
        // around as a value, never called by a path we would see.
        for import in imports {
            if let Import::Name { path, span, .. } = import {
                self.record(path, *span);
            }
        }
    }

    fn with_scope(&mut self, inherit: bool, imports: &[Import], visit: impl FnOnce(&mut Self)) {
        let outer = (!inherit).then(|| std::mem::take(&mut self.scopes));
        self.scopes.push(Scope::default());
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
        // An explicit stack rather than recursion: groups nest as deep as
        // the input likes.
        let mut stack: Vec<(Vec<TokenTree>, usize)> = vec![(tokens.into_iter().collect(), 0)];
        while let Some((tokens, index)) = stack.last_mut() {
            let Some(token) = tokens.get(*index) else {
                stack.pop();
                continue;
            };
            match token {
                TokenTree::Group(group) => {
                    let inner = group.stream().into_iter().collect();
                    *index += 1;
                    stack.push((inner, 0));
                }
                TokenTree::Ident(ident) => {
                    let mut segments = vec![unraw(&ident.to_string())];
                    let span = ident.span();
                    *index += 1;
                    while let Some(next) = path_separator_then_ident(tokens, *index) {
                        segments.push(next);
                        *index += 3;
                    }
                    let called = matches!(tokens.get(*index), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis);
                    self.record(&segments, span);
                    if let [.., _, last] = segments.as_slice() {
                        self.methods.insert(last.clone());
                    }
                    if segments.len() > 1 || called {
                        self.record_glob_candidates(&segments, span);
                    }
                }
                // `.name(` is a method call, whatever the receiver.
                TokenTree::Punct(punct) if punct.as_char() == '.' => {
                    if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(group))) =
                        (tokens.get(*index + 1), tokens.get(*index + 2))
                        && group.delimiter() == Delimiter::Parenthesis
                    {
                        self.methods.insert(unraw(&name.to_string()));
                    }
                    *index += 1;
                }
                _ => *index += 1,
            }
        }
    }

    fn scan_unparsed_file(&mut self, tokens: TokenStream) {
        let imports = imports_in_tokens(tokens.clone());
        self.with_scope(false, &imports, |scanner| scanner.scan_tokens(tokens));
    }

    /// `snakegen::dynamic::call("math", "sqrt", ..)` (and `call_with`,
    /// `getattr`): the names are data, but literal data is as good as a
    /// path.
    fn record_dynamic_call(&mut self, call: &syn::ExprCall) {
        let syn::Expr::Path(function) = call.func.as_ref() else {
            return;
        };
        let segments: Vec<String> = function
            .path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        let kind = match segments.as_slice() {
            [.., module, function] if module == "dynamic" => match function.as_str() {
                "call" | "call_with" => UsageKind::Dynamic,
                "getattr" => UsageKind::DynamicValue,
                _ => return,
            },
            _ => return,
        };
        let mut literals = call.args.iter().map(|argument| match argument {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        });
        let (Some(Some(module)), Some(Some(name))) = (literals.next(), literals.next()) else {
            return;
        };
        let python: Vec<String> = module
            .split('.')
            .chain([name.as_str()])
            .map(str::to_owned)
            .collect();
        if self.target.libraries.contains(&python[0]) {
            self.insert(&python, self.location(call.span()), kind);
        }
    }

    /// Feeds one line of documentation to the doc-test reader; a finished
    /// code block is scanned as its own crate, as rustdoc compiles it.
    fn read_doc_line(&mut self, line: &str, location: &Location) {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if let Some(lines) = self.doc_test.lines.take() {
                self.scan_doc_test(lines);
            } else if self.doc_test.in_other_block {
                self.doc_test.in_other_block = false;
            } else if is_rust_block(info) {
                self.doc_test.lines = Some(Vec::new());
            } else {
                self.doc_test.in_other_block = true;
            }
        } else if let Some(lines) = &mut self.doc_test.lines {
            // rustdoc hides `# ` lines but compiles them.
            let code = trimmed
                .strip_prefix("# ")
                .or_else(|| (trimmed == "#").then_some(""))
                .unwrap_or(line);
            lines.push((code.to_owned(), location.clone()));
        }
    }

    fn scan_doc_test(&mut self, lines: Vec<(String, Location)>) {
        let code: String = lines.iter().map(|(line, _)| format!("{line}\n")).collect();
        let mut inner = Scanner::new(self.file, self.target);
        let wrapped = format!("fn main() {{\n{code}}}\n");
        let parsed = syn::parse_file(&code)
            .map(|file| (file, 0))
            .or_else(|_| syn::parse_file(&wrapped).map(|file| (file, 1)));
        let offset = match parsed {
            Ok((file, offset)) => {
                inner.visit_file(&file);
                offset
            }
            Err(_) => {
                if let Ok(tokens) = code.parse::<TokenStream>() {
                    inner.scan_unparsed_file(tokens);
                }
                0
            }
        };
        self.methods.extend(inner.methods);
        // Positions inside the block are positions in the doc comment.
        for mut usage in inner.usages {
            if let Some((_, location)) = lines.get(usage.location.line.saturating_sub(1 + offset)) {
                usage.location = location.clone();
            }
            self.usages.insert(usage);
        }
    }
}

/// The state of the doc-test reader across an item's doc lines.
#[derive(Default)]
struct DocTest {
    /// The lines of the Rust code block being read, if inside one.
    lines: Option<Vec<(String, Location)>>,
    /// Inside a block of another language (```text).
    in_other_block: bool,
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
            if let [.., _, last] = segments.as_slice() {
                self.record_glob_candidates(&segments, first.ident.span());
                // `m::Alias::from_float(..)` calls a class member through a
                // path the scan cannot resolve: keep the name as one the
                // crate may call.
                self.methods.insert(last.clone());
            }
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.methods.insert(unraw(&call.method.to_string()));
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(function) = call.func.as_ref()
            && let [only] = function.path.segments.iter().collect::<Vec<_>>().as_slice()
        {
            self.record_glob_candidates(&[unraw(&only.ident.to_string())], only.ident.span());
        }
        self.record_dynamic_call(call);
        syn::visit::visit_expr_call(self, call);
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

    fn visit_attribute(&mut self, attribute: &'ast syn::Attribute) {
        if let syn::Meta::NameValue(meta) = &attribute.meta
            && meta.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &meta.value
        {
            let location = self.location(attribute.span());
            for line in text.value().lines() {
                self.read_doc_line(line, &location);
            }
        } else {
            syn::visit::visit_attribute(self, attribute);
            // Attribute arguments are tokens to syn (`#[handler(py::math::sqrt)]`).
            if let syn::Meta::List(list) = &attribute.meta {
                self.scan_tokens(list.tokens.clone());
            }
        }
    }
}

/// Code fences rustdoc compiles: no language, or only rustdoc's own tags.
fn is_rust_block(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .all(|tag| {
            matches!(
                tag,
                "rust"
                    | "ignore"
                    | "no_run"
                    | "should_panic"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || tag.starts_with("edition")
        })
}

/// A path as Python knows it, without the generator's `call!` entries:
/// `f::__call` and `f::__attached` are `f`, `m::__call_f` is `m::f` (what
/// `call!` expands to, or what older code imported by hand); nothing after
/// an entry is Python.
fn without_call_entries(python: &[String]) -> Vec<String> {
    let mut kept = Vec::with_capacity(python.len());
    for segment in python {
        if segment == "__call" || segment == "__attached" {
            break;
        }
        if let Some(name) = segment.strip_prefix("__call_") {
            kept.push(name.to_owned());
            break;
        }
        kept.push(segment.clone());
    }
    kept
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
