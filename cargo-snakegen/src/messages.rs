//! `--message-format json`: cargo's JSON messages, one object per line,
//! each with a `reason`. A snakegen diagnostic is a `compiler-message`
//! whose `message` has rustc's shape, so cargo's consumers (rust-analyzer's
//! flycheck, `cargo_metadata::Message`) read snakegen's stream and cargo's
//! that follows it (the hand-off) as one.

use std::path::{Path, PathBuf};

use serde::Serialize;
use snakegen_core::{Code, Config, Diagnostic, Span};

/// One line of the stream.
#[derive(Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Message<'a> {
    CompilerMessage {
        package_id: &'a str,
        manifest_path: String,
        target: &'a snakegen_core::Target,
        message: &'a RustcDiagnostic,
    },
    /// Ends the stream when no cargo run follows (cargo ends its own).
    BuildFinished { success: bool },
}

impl Message<'_> {
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("a message serialises");
        line.push('\n');
        line
    }
}

/// rustc's `--error-format=json` diagnostic.
#[derive(Serialize)]
pub struct RustcDiagnostic {
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    message: String,
    code: Option<DiagnosticCode>,
    level: &'static str,
    spans: Vec<DiagnosticSpan>,
    children: Vec<RustcDiagnostic>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct DiagnosticCode {
    code: String,
    explanation: Option<&'static str>,
}

#[derive(Serialize)]
struct DiagnosticSpan {
    /// Relative to the workspace root, as cargo's rustc messages are.
    file_name: String,
    byte_start: usize,
    byte_end: usize,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<SpanLine>,
    label: Option<String>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<&'static str>,
    expansion: Option<()>,
}

#[derive(Serialize)]
struct SpanLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

/// What a package's messages say they are about, taken from its config.
pub struct Origin {
    config: Config,
    workspace_root: PathBuf,
}

impl Origin {
    pub fn new(config: &Config) -> Self {
        let workspace_root = config
            .workspace_manifest
            .parent()
            .unwrap_or(&config.package_root)
            .to_path_buf();
        Origin {
            config: config.clone(),
            workspace_root,
        }
    }

    pub fn package_root(&self) -> &Path {
        &self.config.package_root
    }

    /// `diagnostic` (located in this package, with `source` the text of its
    /// file) as a `compiler-message`, with `notes` as rustc's `note:`
    /// children; `None` for a package without targets, which cargo could
    /// not name either.
    pub fn compiler_message(
        &self,
        diagnostic: &Diagnostic,
        source: Option<&str>,
        notes: &[String],
    ) -> Option<String> {
        let file = diagnostic.location.as_ref().map(|location| &location.file);
        let target = match file {
            Some(file) => self.config.target_of(file),
            None => self.config.targets.first(),
        }?;
        let span = source.and_then(|source| Some((source, diagnostic.span(source)?)));
        let primary: Vec<DiagnosticSpan> = match (&diagnostic.location, &span) {
            (Some(location), Some((source, span))) => {
                vec![self.span(&location.file, source, span, None)]
            }
            // An unreadable file: its place, without bytes or text.
            (Some(location), None) => vec![DiagnosticSpan {
                file_name: self.file_name(&location.file),
                byte_start: 0,
                byte_end: 0,
                line_start: location.line,
                line_end: location.line,
                column_start: location.column,
                column_end: location.column,
                is_primary: true,
                text: Vec::new(),
                label: None,
                suggested_replacement: None,
                suggestion_applicability: None,
                expansion: None,
            }],
            (None, _) => Vec::new(),
        };
        let mut children: Vec<RustcDiagnostic> = notes
            .iter()
            .map(|note| child("note", note.clone(), Vec::new()))
            .collect();
        if let Some(help) = &diagnostic.help {
            let spans = match (&diagnostic.location, &span, &diagnostic.suggestion) {
                (Some(location), Some((source, span)), Some(replacement)) => {
                    vec![self.span(&location.file, source, span, Some(replacement))]
                }
                _ => Vec::new(),
            };
            children.push(child("help", help.clone(), spans));
        }
        let diagnostic = RustcDiagnostic {
            message_type: "diagnostic",
            message: diagnostic.message.clone(),
            code: Some(DiagnosticCode {
                code: diagnostic.code.to_string(),
                explanation: Some(Code::explanation(diagnostic.code)),
            }),
            level: diagnostic.severity.as_str(),
            spans: primary,
            children,
            rendered: Some(self.rendered(diagnostic, source)),
        };
        let message = Message::CompilerMessage {
            package_id: &self.config.package_id,
            manifest_path: self
                .config
                .package_root
                .join("Cargo.toml")
                .to_string_lossy()
                .into_owned(),
            target,
            message: &diagnostic,
        };
        Some(message.to_line())
    }

    /// As the terminal shows it without colour, the path as cargo's
    /// messages name it.
    fn rendered(&self, diagnostic: &Diagnostic, source: Option<&str>) -> String {
        let mut shown = diagnostic.clone();
        if let Some(location) = &mut shown.location {
            location.file = self.file_name(&location.file);
        }
        shown.render(source, false)
    }

    fn file_name(&self, file: &str) -> String {
        let path = self.config.package_root.join(file);
        let relative = path.strip_prefix(&self.workspace_root).unwrap_or(&path);
        relative.to_string_lossy().replace('\\', "/")
    }

    fn span(
        &self,
        file: &str,
        source: &str,
        span: &Span,
        replacement: Option<&str>,
    ) -> DiagnosticSpan {
        let lines: Vec<&str> = source
            .split('\n')
            .skip(span.line_start - 1)
            .take(span.line_end - span.line_start + 1)
            .collect();
        let last = lines.len().saturating_sub(1);
        let text = lines
            .iter()
            .enumerate()
            .map(|(index, line)| SpanLine {
                text: (*line).to_owned(),
                highlight_start: if index == 0 { span.column_start } else { 1 },
                highlight_end: if index == last {
                    span.column_end
                } else {
                    line.chars().count() + 1
                },
            })
            .collect();
        DiagnosticSpan {
            file_name: self.file_name(file),
            byte_start: span.bytes.start,
            byte_end: span.bytes.end,
            line_start: span.line_start,
            line_end: span.line_end,
            column_start: span.column_start,
            column_end: span.column_end,
            is_primary: true,
            text,
            label: None,
            suggested_replacement: replacement.map(str::to_owned),
            suggestion_applicability: replacement.map(|_| "MaybeIncorrect"),
            expansion: None,
        }
    }
}

fn child(level: &'static str, message: String, spans: Vec<DiagnosticSpan>) -> RustcDiagnostic {
    RustcDiagnostic {
        message_type: "diagnostic",
        message,
        code: None,
        level,
        spans,
        children: Vec::new(),
        rendered: None,
    }
}
