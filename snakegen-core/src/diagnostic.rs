//! Diagnostics in rustc's shape: `error[S0002]: message`, a `--> file:line:col`
//! line, the source line with carets under the offending name, and a `help:`
//! (with the replacement shown as a patch, like rustc's suggestions).
//! Rendered by annotate-snippets, rustc's own renderer.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Patch, Renderer, Snippet};

use crate::util::text::printable;

/// A place in a source file. `file` is relative to the package root and uses
/// `/` separators, so it is the same on every machine; `line` and `column` are
/// 1-based, `column` counted in characters like rustc.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// As rustc spells the level (`error`, `warning`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Stable codes, so users and tools can search for them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Code {
    /// A source file that `syn` cannot parse.
    S0001,
    /// A symbol that the Python library does not have.
    S0002,
    /// A used symbol that the lock does not contain (`--check`).
    S0003,
    /// A dynamic call by literal names that has a typed adapter.
    S0004,
    /// A usage-ledger line that cannot be read (skipped).
    S0005,
    /// A committed artifact that differs from what the manifests generate
    /// (`--check`).
    S0006,
    /// A path through the adapters' module into a Python library that
    /// `[package.metadata.snakegen.libraries]` does not list.
    S0007,
    /// A module's builder function spelt `f_with`, as before output format
    /// 13 (now `with::f`).
    S0008,
}

impl Code {
    /// The longer text rustc calls a code's explanation (`rustc --explain`),
    /// carried in the JSON messages.
    pub fn explanation(self) -> &'static str {
        match self {
            Code::S0001 => {
                "A source file could not be parsed as Rust, so its Python symbols were found by a token scan, or not at all.\n\nrustc will report the syntax error itself; fix it and run `cargo snakegen` again.\n"
            }
            Code::S0002 => {
                "A Python path used in the crate names something its library does not have: a misspelt name, a name in an excluded module, or a name reached through a function.\n\nNothing is written until every used symbol resolves. Fix the name (the help suggests the closest one Python knows) and run `cargo snakegen` again.\n"
            }
            Code::S0003 => {
                "A Python symbol used in the crate is not in `snakegen.lock`, so the committed adapters do not cover it.\n\nRun `cargo snakegen` where the libraries are installed, and commit `snakegen.lock`, `.snakegen/` and the adapters.\n"
            }
            Code::S0004 => {
                "A dynamic call names a Python symbol by a literal string, and a typed adapter exists for it.\n\nThe typed adapter checks the arguments at compile time; call it instead.\n"
            }
            Code::S0005 => {
                "A line of the usage ledger (`.snakegen/ledger/*.jsonl`) cannot be read; it was skipped.\n\nThe ledger is local state: clear it with `cargo snakegen ledger clear`.\n"
            }
            Code::S0006 => {
                "A committed artifact (an adapter, a manifest or `snakegen.lock`) differs from what the committed manifests generate, is missing, or is stale.\n\nRun `cargo snakegen` and commit the result.\n"
            }
            Code::S0007 => {
                "A path through the adapters' module names a Python library that `[package.metadata.snakegen.libraries]` does not list, so no adapter is generated for it.\n\nAdd the library with `cargo snakegen add <library>` (or list it in `Cargo.toml` by hand) and run `cargo snakegen` again.\n"
            }
            Code::S0008 => {
                "A module's builder function is spelt `f_with`, as adapters before output format 13 named it. It is now in the module's `with` module: `sympy::with::expand(e)` for `sympy::expand_with(e)`, `with::Rational(1)` for `Rational_with(1)`. Methods keep `x.f_with()`.\n\nApply the suggestion and run `cargo snakegen` again.\n"
            }
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    /// The name the diagnostic is about, as the source spells it
    /// (`expnd`): the carets go under its first occurrence from
    /// `location` on, within the statement. Without it, or when it is not
    /// found, they go under the identifier at `location`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub help: Option<String>,
    /// What replaces `name` to fix the problem (`expand`), shown as rustc
    /// shows a suggestion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// Where a diagnostic points in its file's text: bytes, and the 1-based
/// lines and character columns rustc's JSON gives (ends exclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub bytes: Range<usize>,
    pub line_start: usize,
    pub line_end: usize,
    pub column_start: usize,
    pub column_end: usize,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            name: None,
            help: None,
            suggestion: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// The carets go under `name` (see [`Diagnostic::name`]).
    pub fn on(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A `help` that replaces the diagnostic's `name` with `replacement`.
    pub fn with_suggestion(
        mut self,
        help: impl Into<String>,
        replacement: impl Into<String>,
    ) -> Self {
        self.help = Some(help.into());
        self.suggestion = Some(replacement.into());
        self
    }

    /// The span in `source` (the text of `location.file`) the carets go
    /// under; `None` without a location, or when the location is past the
    /// text.
    pub fn span(&self, source: &str) -> Option<Span> {
        let location = self.location.as_ref()?;
        let line_offset = line_offsets(source).nth(location.line.checked_sub(1)?)?;
        let line_text = source[line_offset..].split('\n').next().unwrap_or_default();
        let column_offset = line_text
            .char_indices()
            .nth(location.column.saturating_sub(1))
            .map_or(line_text.len(), |(offset, _)| offset);
        let start = line_offset + column_offset;
        let bytes = self
            .name
            .as_deref()
            .and_then(|name| find_name(source, start, name))
            .unwrap_or_else(|| start..start + identifier_length(&source[start..]));
        let (line_start, column_start) = line_column(source, bytes.start);
        let (line_end, column_end) = line_column(source, bytes.end);
        Some(Span {
            bytes,
            line_start,
            line_end,
            column_start,
            column_end,
        })
    }

    /// Renders like rustc, in rustc's colours when `color`. `source` is the
    /// text of `location.file`, when it could be read, for the snippet.
    /// Text from the user's files or from Python is made printable first.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let message = printable(&self.message, &['\n']);
        let code = self.code.to_string();
        let help = self.help.as_deref().map(|help| printable(help, &['\n']));
        let suggestion = self.suggestion.as_deref().map(|text| printable(text, &[]));
        let file = self
            .location
            .as_ref()
            .map(|location| printable(&location.file, &[]));
        // A snippet shows the file's text as it is: one with control
        // characters is pointed at, not shown.
        let shown = source
            .filter(|text| printable(text, &['\n', '\t']) == *text)
            .and_then(|text| Some((text, self.span(text)?)));
        let mut primary = Group::with_title(level.primary_title(&message).id(&code));
        let mut report = Vec::new();
        match (&self.location, &file, &shown) {
            (Some(_), Some(file), Some((text, span))) => {
                primary = primary.element(
                    Snippet::source(*text)
                        .path(file.as_str())
                        .annotation(AnnotationKind::Primary.span(span.bytes.clone())),
                );
            }
            (Some(location), Some(file), _) => {
                primary = primary.element(
                    Origin::path(file.as_str())
                        .line(location.line)
                        .char_column(location.column),
                );
            }
            _ => {}
        }
        let patch = match (&help, &suggestion, &shown, &file) {
            (Some(help), Some(replacement), Some((text, span)), Some(file)) => Some(
                Level::HELP.secondary_title(help.as_str()).element(
                    Snippet::source(*text)
                        .path(file.as_str())
                        .patch(Patch::new(span.bytes.clone(), replacement.as_str())),
                ),
            ),
            _ => None,
        };
        if patch.is_none()
            && let Some(help) = &help
        {
            let help = match &suggestion {
                Some(replacement) => format!("{help}: `{replacement}`"),
                None => help.clone(),
            };
            primary = primary.element(Level::HELP.message(help));
        }
        report.push(primary);
        report.extend(patch);
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut rendered = renderer.render(&report);
        rendered.push('\n');
        rendered
    }
}

/// The byte offset where each line of `source` starts.
fn line_offsets(source: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(source.match_indices('\n').map(|(offset, _)| offset + 1))
}

/// The 1-based line and character column of byte `offset`.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The first whole-identifier occurrence of `name` (or `r#name`) from
/// `start` to the end of the statement (a `;`), as bytes.
fn find_name(source: &str, start: usize, name: &str) -> Option<Range<usize>> {
    let rest = &source[start..];
    let statement = &rest[..rest.find(';').unwrap_or(rest.len())];
    statement.match_indices(name).find_map(|(offset, _)| {
        let end = offset + name.len();
        let before = statement[..offset].chars().next_back();
        let after = statement[end..].chars().next();
        let raw = statement[..offset].ends_with("r#");
        let bounded = !before.is_some_and(is_identifier_char) || raw;
        let whole = bounded && !after.is_some_and(is_identifier_char);
        let begin = if raw { offset - 2 } else { offset };
        whole.then(|| start + begin..start + end)
    })
}

fn is_identifier_char(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

/// The length in bytes of the identifier `text` starts with, or of its
/// first character when it starts with none (a lone caret, as rustc puts
/// under a punctuation); 0 at the end of a line.
fn identifier_length(text: &str) -> usize {
    let identifier: usize = text
        .chars()
        .take_while(|&c| is_identifier_char(c))
        .map(char::len_utf8)
        .sum();
    match text.chars().next() {
        _ if identifier > 0 => identifier,
        Some(c) if c != '\n' && c != '\r' => c.len_utf8(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    const SOURCE: &str = "use snakegen::py;\n\nfn main() {\n    let x = py::sympy::expnd(&y);\n}\n";

    fn unknown() -> Diagnostic {
        Diagnostic::error(Code::S0002, "cannot find `expnd` in Python module `sympy`")
            .at(Location {
                file: "src/main.rs".to_owned(),
                line: 4,
                column: 13,
            })
            .on("expnd")
            .with_suggestion("a name with a similar spelling exists in `sympy`", "expand")
    }

    #[test]
    fn carets_span_the_named_segment() {
        let span = unknown().span(SOURCE).unwrap();
        assert_eq!(&SOURCE[span.bytes.clone()], "expnd");
        assert_eq!(
            (
                span.line_start,
                span.column_start,
                span.line_end,
                span.column_end
            ),
            (4, 24, 4, 29)
        );
    }

    #[test]
    fn without_a_name_the_identifier_at_the_location_is_underlined() {
        let mut diagnostic = unknown();
        diagnostic.name = Some("absent".to_owned());
        let span = diagnostic.span(SOURCE).unwrap();
        assert_eq!(&SOURCE[span.bytes], "py");
    }

    #[test]
    fn a_raw_identifier_is_found_with_its_prefix() {
        let source = "x = py::builtins::r#type(&y);\n";
        let diagnostic = Diagnostic::error(Code::S0002, "m")
            .at(Location {
                file: "a.rs".to_owned(),
                line: 1,
                column: 5,
            })
            .on("type");
        let span = diagnostic.span(source).unwrap();
        assert_eq!(&source[span.bytes], "r#type");
    }

    #[test]
    fn renders_as_rustc_without_colour() {
        expect![[r#"
            error[S0002]: cannot find `expnd` in Python module `sympy`
             --> src/main.rs:4:24
              |
            4 |     let x = py::sympy::expnd(&y);
              |                        ^^^^^
              |
            help: a name with a similar spelling exists in `sympy`
              |
            4 |     let x = py::sympy::expand(&y);
              |                           +
        "#]]
        .assert_eq(&unknown().render(Some(SOURCE), false));
    }

    #[test]
    fn renders_in_rustcs_colours() {
        expect![[r#"
            [1m[91merror[S0002][0m[1m: cannot find `expnd` in Python module `sympy`[0m
             [1m[94m--> [0msrc/main.rs:4:24
              [1m[94m|[0m
            [1m[94m4[0m [1m[94m|[0m     let x = py::sympy::expnd(&y);
              [1m[94m|[0m                        [1m[91m^^^^^[0m
              [1m[94m|[0m
            [1m[96mhelp[0m: a name with a similar spelling exists in `sympy`
              [1m[94m|[0m
            [1m[94m4[0m [1m[94m| [0m    let x = py::sympy::exp[92ma[0mnd(&y);
              [1m[94m|[0m                           [92m+[0m
        "#]]
        .assert_eq(&unknown().render(Some(SOURCE), true).replace('\x1b', ""));
    }

    #[test]
    fn a_warning_without_source_points_at_its_location() {
        let diagnostic = Diagnostic::warning(Code::S0001, "could not parse src/lib.rs")
            .at(Location {
                file: "src/lib.rs".to_owned(),
                line: 7,
                column: 3,
            })
            .with_help("the Python symbols in this file were found by a token scan instead");
        expect![[r#"
            warning[S0001]: could not parse src/lib.rs
            --> src/lib.rs:7:3
             = help: the Python symbols in this file were found by a token scan instead
        "#]]
        .assert_eq(&diagnostic.render(None, false));
    }

    #[test]
    fn text_from_python_cannot_drive_the_terminal() {
        let diagnostic = Diagnostic::error(Code::S0002, "red \u{1b}[31m")
            .with_help("bell \u{7}")
            .with_suggestion("x", "y\u{1b}");
        let rendered = diagnostic.render(None, false);
        assert!(!rendered.contains('\u{1b}'), "{rendered:?}");
    }
}
