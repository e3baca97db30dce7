//! Where the CLI's output goes, as cargo does it: statuses, errors and
//! rustc-rendered diagnostics on stderr (coloured on request or on a
//! terminal), a spinner while Python works on a terminal, and with
//! `--message-format json` the diagnostics as cargo's JSON lines on stdout.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use snakegen_core::{Config, Diagnostic, Reporter, Waiting};

use crate::messages::{Message, Origin};

/// Text from Python or the user's files, for the terminal: newlines and
/// tabs kept, every other control character escaped.
pub fn printable(text: &str) -> String {
    snakegen_core::printable(text, &['\n', '\t'])
}

// The terminal may go away under us (`| head`, `2>/dev/full`): like
// cargo's shell, what cannot be written is dropped, never a panic.
fn to_stderr(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn to_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

// cargo's colours for its own lines (rustc's brighter ones are the
// renderer's, in diagnostics).
const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_YELLOW: &str = "\x1b[1;33m";
const BOLD_GREEN: &str = "\x1b[1;32m";
const BOLD_CYAN: &str = "\x1b[1;36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";
const ERASE_LINE: &str = "\r\x1b[2K";
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// cargo's way of writing a duration: `0.78s`, `1m 02s`.
pub fn elapsed(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 60 {
        format!("{}m {:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds}.{:02}s", duration.subsec_millis() / 10)
    }
}

pub struct Terminal {
    quiet: bool,
    color: bool,
    /// stderr is a terminal: the spinner can redraw its line.
    interactive: bool,
    /// The package root as the user sees it from the current directory
    /// (`examples/quickstart/`), prefixed to package-relative paths.
    package_prefix: String,
    /// With `--message-format json`: each package's message origin, and
    /// which is current. Diagnostics then go to stdout as JSON.
    json: Option<(Vec<Origin>, usize)>,
    /// The spinner's frame, while it is drawn.
    spinning: Option<usize>,
}

impl Terminal {
    pub fn new(quiet: bool, color: bool) -> Self {
        Terminal {
            quiet,
            color,
            interactive: std::io::stderr().is_terminal(),
            package_prefix: String::new(),
            json: None,
            spinning: None,
        }
    }

    /// From now on, diagnostics of these packages go to stdout as cargo's
    /// JSON messages.
    pub fn json_messages(&mut self, configs: &[Config]) {
        self.json = Some((configs.iter().map(Origin::new).collect(), 0));
    }

    pub fn is_json(&self) -> bool {
        self.json.is_some()
    }

    /// Ends a JSON stream that no cargo run continues.
    pub fn build_finished(&self, success: bool) {
        if self.is_json() {
            to_stdout(&Message::BuildFinished { success }.to_line());
        }
    }

    pub fn show_paths_from(&mut self, package_root: &Path) {
        let current = std::env::current_dir().and_then(std::fs::canonicalize);
        let root =
            std::fs::canonicalize(package_root).unwrap_or_else(|_| package_root.to_path_buf());
        self.package_prefix = match current
            .ok()
            .and_then(|current| root.strip_prefix(current).ok().map(Path::to_path_buf))
        {
            Some(relative) if relative.as_os_str().is_empty() => String::new(),
            Some(relative) => format!("{}/", relative.display()),
            None => format!("{}/", root.display()),
        };
        if let Some((origins, current)) = &mut self.json
            && let Some(index) = origins
                .iter()
                .position(|origin| origin.package_root() == package_root)
        {
            *current = index;
        }
    }

    /// A package-relative path as the user can open it from here (a path
    /// outside the package, such as a ledger elsewhere, is absolute).
    pub fn shown(&self, path: &str) -> String {
        if Path::new(path).is_absolute() {
            return path.to_owned();
        }
        format!("{}{path}", self.package_prefix)
    }

    fn painted(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// `error: message`, as cargo prints it.
    pub fn error(&self, message: &str) {
        let label = self.painted(BOLD_RED, "error");
        let colon = self.painted(BOLD, ":");
        to_stderr(&format!("{label}{colon} {}\n", printable(message)));
    }

    pub fn note(&self, message: &str) {
        if !self.quiet {
            let label = self.painted(BOLD_GREEN, "note");
            to_stderr(&format!("{label}: {}\n", printable(message)));
        }
    }

    pub fn fail(&self, error: &dyn std::fmt::Display, code: u8) -> std::process::ExitCode {
        self.error(&error.to_string());
        std::process::ExitCode::from(code)
    }

    /// A diagnostic of the current package with notes (the JSON message's
    /// `note` children; lines after it on a terminal).
    pub fn diagnostic_with_notes(
        &mut self,
        diagnostic: &Diagnostic,
        source: Option<&str>,
        notes: &[String],
    ) {
        if let Some((origins, current)) = &self.json {
            if let Some(line) = origins
                .get(*current)
                .and_then(|origin| origin.compiler_message(diagnostic, source, notes))
            {
                to_stdout(&line);
            }
            return;
        }
        let mut shown = diagnostic.clone();
        if let Some(location) = &mut shown.location {
            location.file = self.shown(&location.file);
        }
        let mut text = shown.render(source, self.color);
        for note in notes {
            let label = self.painted(BOLD_GREEN, "note");
            text.push_str(&format!("{label}: {}", printable(note)));
            if !note.ends_with('\n') {
                text.push('\n');
            }
        }
        text.push('\n');
        to_stderr(&text);
    }
}

impl Reporter for Terminal {
    fn status(&mut self, verb: &str, message: &str) {
        if self.quiet {
            return;
        }
        let line = if verb == "Warning" {
            let label = self.painted(BOLD_YELLOW, "warning");
            format!("{label}: {}\n", printable(message))
        } else {
            let verb = self.painted(BOLD_GREEN, &format!("{verb:>12}"));
            format!("{verb} {}\n", printable(message))
        };
        to_stderr(&line);
    }

    fn waiting(&mut self, waiting: &Waiting) {
        if self.quiet || !self.interactive {
            return;
        }
        let frame = self.spinning.map_or(0, |frame| (frame + 1) % SPINNER.len());
        self.spinning = Some(frame);
        let (verb, subject) = match waiting.library {
            Some(library) => ("Importing", printable(library)),
            None => ("Starting", "Python".to_owned()),
        };
        let verb = self.painted(BOLD_CYAN, &format!("{verb:>12}"));
        to_stderr(&format!(
            "{ERASE_LINE}{verb} {subject} {} {}",
            SPINNER[frame],
            elapsed(waiting.elapsed)
        ));
    }

    fn waited(&mut self) {
        if self.spinning.take().is_some() {
            to_stderr(ERASE_LINE);
        }
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic, source: Option<&str>) {
        self.diagnostic_with_notes(diagnostic, source, &[]);
    }

    fn package(&mut self, root: &Path) {
        self.show_paths_from(root);
    }

    fn shown(&self, path: &str) -> String {
        Terminal::shown(self, path)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn text_for_the_terminal_cannot_drive_it() {
        assert_eq!(
            super::printable("red \u{1b}[31m, nul \0, bell \u{7}\nnext\tline"),
            "red \\u{1b}[31m, nul \\u{0}, bell \\u{7}\nnext\tline"
        );
    }

    #[test]
    fn durations_read_as_cargos() {
        assert_eq!(super::elapsed(Duration::from_millis(780)), "0.78s");
        assert_eq!(super::elapsed(Duration::from_millis(12_345)), "12.34s");
        assert_eq!(super::elapsed(Duration::from_secs(62)), "1m 02s");
    }
}
