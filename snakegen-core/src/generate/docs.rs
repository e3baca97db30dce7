//! The rustdoc of generated items: Python's signature, the docstring (as
//! Markdown that runs and links nothing) and where the signature came from.

use super::*;

/// `json.dumps(obj, *, skipkeys=False, ..., **kw)`, Python's own rendering.
pub(super) fn python_signature(path: &str, signature: &Signature) -> String {
    parameters_text(path, &signature.parameters, signature.returns.as_ref())
}

fn parameters_text(path: &str, parameters: &[Parameter], returns: Option<&String>) -> String {
    let mut parts = Vec::new();
    let mut seen_keyword_marker = false;
    for (i, parameter) in parameters.iter().enumerate() {
        let mut text = match parameter.kind {
            ParameterKind::VarPositional => {
                seen_keyword_marker = true;
                format!("*{}", parameter.name)
            }
            ParameterKind::VarKeyword => format!("**{}", parameter.name),
            ParameterKind::KeywordOnly if !seen_keyword_marker => {
                seen_keyword_marker = true;
                parts.push("*".to_owned());
                parameter.name.clone()
            }
            _ => parameter.name.clone(),
        };
        if let Some(annotation) = &parameter.annotation {
            text.push_str(&format!(": {annotation}"));
        }
        if let Some(default) = &parameter.default {
            text.push_str(if parameter.annotation.is_some() {
                " = "
            } else {
                "="
            });
            text.push_str(default);
        }
        parts.push(text);
        let next_is_positional_only = parameters
            .get(i + 1)
            .is_some_and(|next| next.kind == ParameterKind::PositionalOnly);
        if parameter.kind == ParameterKind::PositionalOnly && !next_is_positional_only {
            parts.push("/".to_owned());
        }
    }
    let returns = returns.map(|r| format!(" -> {r}")).unwrap_or_default();
    format!("{path}({}){returns}", parts.join(", "))
}

/// The doc comment lines: the Python signature, the docstring as Markdown
/// (see `docstring`: nothing in it is run or linked by rustdoc), the stub's
/// overloads, and where the signature came from.
pub(super) fn doc_lines(
    headline: &str,
    doc: Option<&str>,
    signature: Option<(&str, &Signature)>,
) -> Vec<String> {
    let mut lines = vec![code_span(headline)];
    if let Some(doc) = doc {
        lines.push(String::new());
        lines.extend(docstring::to_markdown(doc));
    }
    if let Some((path, signature)) = signature {
        if !signature.overloads.is_empty() {
            lines.push(String::new());
            lines.push("Overloads, from the stub:".to_owned());
            for overload in &signature.overloads {
                let text = parameters_text(path, &overload.parameters, overload.returns.as_ref());
                lines.push(format!("- {}", code_span(&text)));
            }
        }
        let source = signature.source.as_str();
        lines.push(String::new());
        let mut line = format!("Signature source: {source}.");
        for fallback in &signature.fallbacks {
            line.push_str(&format!(" Not from {}.", code_span(fallback)));
        }
        lines.push(line);
    }
    doc_comment(lines)
}

/// `///` and `//!` take their text verbatim; rustdoc style wants a space.
/// Whatever bytes a docstring holds, the comment must compile: a bare CR
/// ends the line (rustc refuses it in a doc comment), and control and
/// bidirectional-override characters (which rustc denies in comments) are
/// written as escapes.
pub(super) fn doc_comment(lines: Vec<String>) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| line.split('\r'))
        .map(|line| {
            let line = crate::util::text::printable(line, &['\t']);
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Markdown inline code that survives backticks in `text`.
pub(super) fn code_span(text: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(text) + 1);
    if ticks.len() > 1 || text.starts_with('`') || text.ends_with('`') {
        format!("{ticks} {text} {ticks}")
    } else {
        format!("`{text}`")
    }
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `#[deprecated]` for an item whose docstring deprecates it (see
/// `docstring::deprecation`): rust-analyzer strikes its name through and
/// rustc warns where the crate uses it.
pub(super) fn deprecated_attribute(doc: Option<&str>, python_path: &str) -> Option<TokenStream> {
    let deprecation = docstring::deprecation(doc?, last_segment(python_path))?;
    let note = deprecation.note;
    // rustc (clippy's `deprecated_semver`) takes only a semver `since`:
    // `2.0` is written `2.0.0`; anything else goes into the note.
    let numbers: Vec<&str> = deprecation.since.split('.').collect();
    let numeric = numbers.len() <= 3
        && numbers
            .iter()
            .all(|number| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()));
    Some(match (numeric, note.is_empty()) {
        (true, true) => {
            let since = semver(&numbers);
            quote! { #[deprecated(since = #since)] }
        }
        (true, false) => {
            let since = semver(&numbers);
            quote! { #[deprecated(since = #since, note = #note)] }
        }
        (false, _) if deprecation.since.is_empty() && note.is_empty() => quote! { #[deprecated] },
        (false, _) => {
            let note = format!("Deprecated since {}. {note}", deprecation.since);
            let note = note.trim_end();
            quote! { #[deprecated(note = #note)] }
        }
    })
}

/// `2.0` as `2.0.0`.
fn semver(numbers: &[&str]) -> String {
    let mut numbers = numbers.to_vec();
    numbers.resize(3, "0");
    numbers.join(".")
}
