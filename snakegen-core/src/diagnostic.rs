//! Diagnostics in rustc's shape: `error[S0001]: message`, a `--> file:line:col`
//! line, the source line with a caret, and an optional `help:` line.

use std::fmt::Write as _;

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
    /// A path through the adapters' module into a Python library that
    /// `[package.metadata.snakegen.libraries]` does not list.
    S0006,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            help: None,
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

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders like rustc. `source` is the text of `location.file`, when it
    /// could be read, for the snippet line.
    pub fn render(&self, source: Option<&str>) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{severity}[{:?}]: {}\n", self.code, self.message);
        if let Some(location) = &self.location {
            let line_text =
                source.and_then(|text| text.lines().nth(location.line.saturating_sub(1)));
            let gutter = " ".repeat(location.line.to_string().len());
            let _ = writeln!(out, "{gutter}--> {location}");
            if let Some(line_text) = line_text {
                let caret_pad: String = line_text
                    .chars()
                    .take(location.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, "{gutter} |");
                let _ = writeln!(out, "{} | {line_text}", location.line);
                let _ = writeln!(out, "{gutter} | {caret_pad}^");
            }
            if let Some(help) = &self.help {
                let _ = writeln!(out, "{gutter} = help: {help}");
            }
        } else if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}
