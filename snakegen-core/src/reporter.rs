//! Where progress and diagnostics go: the terminal, JSON, cargo's build
//! script protocol, or a test.

use crate::diagnostic::Diagnostic;
pub use crate::introspect::Waiting;

/// Where progress and diagnostics go: the terminal, JSON, or a test.
pub trait Reporter {
    /// A cargo-style status line: `verb` right-aligned, then `message`.
    fn status(&mut self, verb: &str, message: &str);
    /// Called repeatedly while the interpreter works (a spinner on a
    /// terminal); `waited` follows when it is done.
    fn waiting(&mut self, _waiting: &Waiting) {}
    fn waited(&mut self) {}
    /// `source` is the text of the diagnostic's file, for the snippet.
    fn diagnostic(&mut self, diagnostic: &Diagnostic, source: Option<&str>);
    /// In a run over several packages, called before each package's work
    /// with its root: package-relative paths (diagnostics, `shown`) are
    /// that package's from then on.
    fn package(&mut self, _root: &std::path::Path) {}
    /// A package-relative path as the user can open it.
    fn shown(&self, path: &str) -> String {
        path.to_owned()
    }
}
