//! Python docstrings → rustdoc Markdown.
//!
//! Docstrings are written for Sphinx or numpydoc, not for rustdoc, and
//! rustdoc is strict: an indented block is a doc test it compiles as Rust,
//! `[x]` is a link it must resolve, `<expr>` is an HTML tag. So:
//! - section headers become `#` headings: numpydoc's underlined ones
//!   (`Parameters` / `----------`), Google's (`Args:`), reST's rubrics;
//! - parameter entries become list items: numpydoc's `x : int` with its
//!   indented description, Google's `x (int): ...`, reST's `:param x: ...`;
//! - `>>>` sessions, `::` literal blocks and any other indented block are
//!   fenced as `text`, so rustdoc shows them and runs nothing;
//! - prose keeps its words, with Markdown's special characters escaped.

use super::docs::code_span;

/// Sections whose entries are `name : type` / `name (type): text`.
const ENTRY_SECTIONS: &[&str] = &[
    "Args",
    "Arguments",
    "Parameters",
    "Other Parameters",
    "Keyword Arguments",
    "Kwargs",
    "Returns",
    "Return",
    "Yields",
    "Yield",
    "Raises",
    "Warns",
    "Attributes",
];

/// Sections of prose.
const PROSE_SECTIONS: &[&str] = &[
    "Warnings",
    "Warning",
    "See Also",
    "Notes",
    "Note",
    "References",
    "Examples",
    "Example",
    "Methods",
    "Todo",
    "Explanation",
];

/// Admonitions, shown as quotes that start with their name.
const ADMONITIONS: &[&str] = &[
    "note",
    "warning",
    "attention",
    "caution",
    "danger",
    "error",
    "hint",
    "important",
    "tip",
    "seealso",
    "todo",
    "admonition",
];

/// Directives whose body is literal text.
const LITERAL_DIRECTIVES: &[&str] = &[
    "code",
    "code-block",
    "sourcecode",
    "doctest",
    "testcode",
    "testoutput",
    "ipython",
    "math",
    "parsed-literal",
];

pub fn to_markdown(doc: &str) -> Vec<String> {
    let lines: Vec<&str> = doc.lines().map(str::trim_end).collect();
    convert(&lines, false)
}

/// Converts a block of lines; a `nested` block (a list item's, a
/// directive's) has no sections.
fn convert(lines: &[&str], nested: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut section: Option<&str> = None;
    // reST ranks section titles by the order their underlines first appear.
    let mut underlines: Vec<char> = Vec::new();
    // The indentation of the current section's entries (numpydoc: 0,
    // Google: one level in).
    let mut base: Option<usize> = None;
    // The indentation that continues the list item being written, if any.
    let mut list_indent: Option<usize> = None;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        let indent = indent_of(line);

        // numpydoc: `Parameters` over `----------`.
        if let Some(next) = lines.get(index + 1)
            && is_underline(next.trim(), trimmed)
            && !trimmed.is_empty()
            && !nested
        {
            let style = next.trim().chars().next().unwrap_or('-');
            let level = match underlines.iter().position(|&seen| seen == style) {
                Some(position) => position + 1,
                None => {
                    underlines.push(style);
                    underlines.len()
                }
            };
            section = Some(heading(&mut out, trimmed, level));
            base = None;
            index += 2;
            continue;
        }
        // Google: `Args:` alone on its line.
        if let Some(name) = trimmed
            .strip_suffix(':')
            .filter(|name| ENTRY_SECTIONS.contains(name) || PROSE_SECTIONS.contains(name))
            .filter(|_| !nested)
        {
            section = Some(heading(&mut out, name, 1));
            base = None;
            index += 1;
            continue;
        }
        if let Some(directive) = trimmed
            .strip_prefix("..")
            .filter(|rest| rest.is_empty() || rest.starts_with(' '))
        {
            let end = block_end(lines, index + 1, indent);
            write_directive(&mut out, directive.trim(), &lines[index + 1..end]);
            index = end;
            continue;
        }
        if trimmed.starts_with(">>>") {
            index = fence(&mut out, lines, index, |line| !line.trim().is_empty());
            continue;
        }
        if trimmed.is_empty() {
            push_blank(&mut out);
            index += 1;
            continue;
        }
        // reST fields: `:param x: text`, `:returns: text`.
        if let Some(field) = rest_field(trimmed) {
            out.push(field);
            index += 1;
            continue;
        }
        // An entry of a parameter-like section, with its deeper text.
        let entry_indent = *base.get_or_insert(indent);
        if section.is_some_and(|name| ENTRY_SECTIONS.contains(&name)) && indent == entry_indent {
            let end = block_end(lines, index + 1, entry_indent);
            let description = convert(&dedent(&lines[index + 1..end]), true);
            write_item(&mut out, "- ", description, |first| entry(trimmed, first));
            index = end;
            continue;
        }
        // A list item, with the lines indented under its text.
        if let Some((marker, width)) = source_list_marker(trimmed) {
            let end = block_end(lines, index + 1, indent + width - 1);
            let mut body = vec![&trimmed[width..]];
            body.extend(dedent(&lines[index + 1..end]));
            let body = convert(&body, true);
            list_indent = Some(marker.len());
            write_item(&mut out, &marker, body, str::to_owned);
            index = end;
            continue;
        }
        // An indented block.
        if indent > entry_indent {
            let end = block_end(lines, index, entry_indent);
            let previous = lines[..index].last().copied().unwrap_or("");
            let literal = lines[..index]
                .iter()
                .rfind(|line| !line.trim().is_empty())
                .is_some_and(|line| line.ends_with("::"));
            if !previous.trim().is_empty() && !literal {
                // Right under a line (a definition, a hanging indent): it
                // goes on from that line.
                let margin = " ".repeat(list_indent.unwrap_or(0));
                out.extend(
                    convert(&dedent(&lines[index..end]), true)
                        .into_iter()
                        .map(|line| {
                            if line.is_empty() {
                                line
                            } else {
                                format!("{margin}{line}")
                            }
                        }),
                );
                index = end;
            } else if literal || is_preformatted(&lines[index..end]) {
                // A literal block, or one laid out in columns.
                let inside = |line: &str| indent_of(line) > entry_indent || line.trim().is_empty();
                index = fence(&mut out, lines, index, inside);
            } else {
                // A block quote.
                push_quote(&mut out, convert(&dedent(&lines[index..end]), true));
                index = end;
            }
            continue;
        }
        // A simple table, `=====  =====` borders and columns: literal.
        if is_table_border(trimmed) {
            let mut end = index + 1;
            while end < lines.len()
                && !(is_table_border(lines[end].trim())
                    && lines.get(end + 1).is_none_or(|next| next.trim().is_empty()))
            {
                end += 1;
            }
            let last = (end + 1).min(lines.len());
            fence(&mut out, &lines[..last], index, |_| true);
            index = last;
            continue;
        }
        // Inline markup may go on to the paragraph's next lines
        // (`` `text\n<url>`_ ``): they are one line up to where every span
        // closes.
        let mut joined = trimmed.to_owned();
        let mut next = index + 1;
        if leaves_span_open(trimmed) {
            let mut candidate = joined.clone();
            for (offset, more) in lines[index + 1..].iter().take(3).enumerate() {
                if more.trim().is_empty() || indent_of(more) != indent {
                    break;
                }
                candidate.push(' ');
                candidate.push_str(more.trim());
                if !leaves_span_open(&candidate) {
                    joined.clone_from(&candidate);
                    next = index + offset + 2;
                }
            }
        }
        // reST's `Example::` introduces a literal block and reads `Example:`.
        let text = escape(
            joined
                .strip_suffix(':')
                .filter(|text| text.ends_with(':'))
                .unwrap_or(&joined),
        );
        // A paragraph line under a list item's continues it, indented as
        // Markdown (and clippy) want.
        let in_paragraph = out
            .last()
            .is_some_and(|last| !last.is_empty() && !last.starts_with("```"));
        if !in_paragraph {
            list_indent = None;
            out.push(text);
        } else {
            out.push(format!("{}{text}", " ".repeat(list_indent.unwrap_or(0))));
        }
        index = next;
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Whether lines are laid out in columns (`GE .... inverse_GE()`), which
/// joining them into a paragraph would lose.
fn is_preformatted(lines: &[&str]) -> bool {
    lines
        .iter()
        .any(|line| line.trim().contains("   ") || line.contains("..."))
}

fn is_table_border(line: &str) -> bool {
    line.starts_with("===") && line.contains(' ') && line.chars().all(|c| c == '=' || c == ' ')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The index after the lines from `start` indented past `indent` (blank
/// lines inside included, trailing ones not).
fn block_end(lines: &[&str], start: usize, indent: usize) -> usize {
    let mut end = start;
    let mut next = start;
    while let Some(line) = lines.get(next) {
        if line.trim().is_empty() {
            next += 1;
        } else if indent_of(line) > indent {
            next += 1;
            end = next;
        } else {
            break;
        }
    }
    end
}

/// The lines without their common indentation.
fn dedent<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let margin = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| indent_of(line))
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| line.get(margin..).unwrap_or(""))
        .collect()
}

/// A list item: the marker, its first paragraph (as `first` writes it) on
/// the marker's line, the rest of `body` indented under it.
fn write_item(
    out: &mut Vec<String>,
    marker: &str,
    body: Vec<String>,
    first: impl FnOnce(&str) -> String,
) {
    let paragraph_end = if body.first().is_some_and(|line| is_paragraph_text(line)) {
        body.iter().position(String::is_empty).unwrap_or(body.len())
    } else {
        0
    };
    let head = first(&body[..paragraph_end].join(" "));
    out.push(format!("{marker}{head}").trim_end().to_owned());
    let margin = " ".repeat(marker.len());
    for line in &body[paragraph_end..] {
        out.push(if line.is_empty() {
            String::new()
        } else {
            format!("{margin}{line}")
        });
    }
}

/// Whether a converted line is prose that a list item can start with.
fn is_paragraph_text(line: &str) -> bool {
    !line.is_empty()
        && !line.starts_with("```")
        && !line.starts_with('#')
        && !line.starts_with('>')
        && list_marker_width(line).is_none()
}

/// `lines` as a Markdown quote, apart from the paragraphs around it.
fn push_quote(out: &mut Vec<String>, lines: Vec<String>) {
    push_blank(out);
    out.extend(lines.into_iter().map(|line| {
        if line.is_empty() {
            ">".to_owned()
        } else {
            format!("> {line}")
        }
    }));
    out.push(String::new());
}

/// A reST list item's marker (`-`, `*`, `+`, `1.`, `1)`, `#.`) as
/// Markdown writes it, and the width of the source's marker with its
/// spaces.
fn source_list_marker(line: &str) -> Option<(String, usize)> {
    let marker_end = line.find(' ')?;
    let marker = &line[..marker_end];
    let width = marker_end + line[marker_end..].len() - line[marker_end..].trim_start().len();
    if width == line.len() {
        return None;
    }
    let markdown = match marker {
        "-" | "*" | "+" => "- ".to_owned(),
        "#." => "1. ".to_owned(),
        _ => {
            let digits = marker.trim_end_matches(['.', ')']);
            (marker.len() == digits.len() + 1
                && !digits.is_empty()
                && digits.len() < 10
                && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| format!("{marker} "))?
        }
    };
    Some((markdown, width))
}

/// A directive (`.. note::` and its indented body), a citation
/// (`.. [1] text`), or a comment or target (written as nothing).
fn write_directive(out: &mut Vec<String>, directive: &str, body: &[&str]) {
    if directive.starts_with('[') {
        let mut text = vec![escape(directive)];
        text.extend(
            body.iter()
                .map(|line| line.trim())
                .filter(|line| !line.is_empty())
                .map(escape),
        );
        push_blank(out);
        out.push(text.join(" "));
        out.push(String::new());
        return;
    }
    let Some((name, argument)) = directive.split_once("::").or_else(|| {
        directive
            .split_once(':')
            .filter(|(name, _)| ADMONITIONS.contains(&name.to_lowercase().as_str()))
    }) else {
        return;
    };
    let name = name.trim().to_lowercase();
    let argument = argument.trim();
    // Options (`:linenos:`) come first.
    let body = dedent(body);
    let content_start = body
        .iter()
        .position(|line| !line.starts_with(':'))
        .unwrap_or(body.len());
    let content = &body[content_start..];
    if LITERAL_DIRECTIVES.contains(&name.as_str()) {
        let mut literal: Vec<&str> = Vec::new();
        if name == "math" && !argument.is_empty() {
            literal.push(argument);
        }
        literal.extend(content.iter().skip_while(|line| line.is_empty()));
        if !literal.is_empty() {
            fence(out, &literal, 0, |_| true);
        }
        return;
    }
    let label = match name.as_str() {
        "deprecated" => format!("Deprecated since {argument}"),
        "versionadded" => format!("Added in version {argument}"),
        "versionchanged" => format!("Changed in version {argument}"),
        "seealso" => "See also".to_owned(),
        "admonition" => argument.to_owned(),
        name if ADMONITIONS.contains(&name) => {
            let mut name = name.to_owned();
            name[..1].make_ascii_uppercase();
            name
        }
        "rubric" => {
            heading(out, argument, 1);
            return;
        }
        _ => {
            // Anything else (`autosummary`, `plot`): its text, literal.
            let literal: Vec<&str> = content
                .iter()
                .copied()
                .skip_while(|line| line.is_empty())
                .collect();
            if !literal.is_empty() {
                fence(out, &literal, 0, |_| true);
            }
            return;
        }
    };
    let mut text: Vec<&str> = Vec::new();
    let argument_is_text = ADMONITIONS.contains(&name.as_str()) && name != "admonition";
    if argument_is_text && !argument.is_empty() {
        text.push(argument);
    }
    text.extend(content);
    let mut body = convert(&text, true);
    let label = escape(&label);
    match body.first_mut() {
        None => body.push(format!("**{label}.**")),
        Some(first) if is_paragraph_text(first) => *first = format!("**{label}:** {first}"),
        Some(_) => body.insert(0, format!("**{label}:**")),
    }
    push_quote(out, body);
}

/// A `.. deprecated:: X` that deprecates the item itself.
#[derive(Debug, PartialEq, Eq)]
pub struct Deprecation {
    pub since: String,
    /// The directive's text as Markdown (rustdoc shows it so).
    pub note: String,
}

/// The item's own deprecation: a `.. deprecated:: X` at the docstring's
/// top level whose text is empty, names the item (`` `round_` is
/// deprecated ``, "This function ..."), or only points elsewhere ("Use
/// `isin` instead."). Docstrings also use the directive for a parameter or
/// a way of calling (sympy's `integrate` of a `Poly`, pandas' `copy=`),
/// which leaves the item itself in use: those stay notes.
pub fn deprecation(doc: &str, name: &str) -> Option<Deprecation> {
    let lines: Vec<&str> = doc.lines().map(str::trim_end).collect();
    let (index, since) = lines.iter().enumerate().find_map(|(index, line)| {
        let since = line.strip_prefix(".. deprecated::")?;
        Some((index, since.trim().to_owned()))
    })?;
    let end = block_end(&lines, index + 1, 0);
    let text: Vec<&str> = lines[index + 1..end]
        .iter()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .collect();
    let text = text.join(" ");
    let subject = text.to_lowercase();
    // `` `name` is deprecated ``, ``:func:`~numpy.name` will be removed``.
    let (first, rest) = subject.split_once(' ').unwrap_or((&subject, ""));
    let first = first
        .trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
        .trim_end_matches("()")
        .rsplit(['.', ':', '`', '~'])
        .next()
        .unwrap_or_default();
    let named = first == name.to_lowercase()
        && ["is ", "has ", "was ", "will "]
            .iter()
            .any(|verb| rest.starts_with(verb));
    let itself = [
        "this function",
        "this method",
        "this class",
        "this property",
        "this attribute",
        "this module",
        "this alias",
        "deprecated",
        "use ",
        "please use ",
    ];
    let about_itself =
        text.is_empty() || named || itself.iter().any(|start| subject.starts_with(start));
    about_itself.then(|| Deprecation {
        since,
        note: escape(&text),
    })
}

/// The width of the list marker a Markdown line starts with (`- `, `+ `,
/// `12. `, `3) `), if it starts one.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

fn is_underline(line: &str, title: &str) -> bool {
    let Some(style) = line.chars().next().filter(|c| "=-~^\"'+#*".contains(*c)) else {
        return false;
    };
    line.len() >= 3 && line.chars().all(|c| c == style) && line.len() + 2 >= title.len()
}

fn heading<'a>(out: &mut Vec<String>, name: &'a str, level: usize) -> &'a str {
    push_blank(out);
    out.push(format!("{} {}", "#".repeat(level), escape(name)));
    out.push(String::new());
    name
}

fn push_blank(out: &mut Vec<String>) {
    if out.last().is_some_and(|last| !last.is_empty()) {
        out.push(String::new());
    }
}

/// Fences lines from `start` while `keep` holds (trailing blanks excluded)
/// as a `text` block; returns the index after it.
fn fence(
    out: &mut Vec<String>,
    lines: &[&str],
    start: usize,
    keep: impl Fn(&str) -> bool,
) -> usize {
    let mut end = start;
    while end < lines.len() && keep(lines[end]) {
        end += 1;
    }
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let block = &lines[start..end];
    let margin = block
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let longest_run = block
        .iter()
        .map(|line| longest_backtick_run(line))
        .max()
        .unwrap_or(0);
    let ticks = "`".repeat(longest_run.max(2) + 1);
    push_blank(out);
    out.push(format!("{ticks}text"));
    out.extend(
        block
            .iter()
            .map(|line| line.get(margin..).unwrap_or("").to_owned()),
    );
    out.push(ticks);
    out.push(String::new());
    end
}

/// `x : int, optional` → `` `x` (int, optional) ``; `x (int): text` →
/// `` `x` (int): text ``; anything else is escaped prose.
fn entry(line: &str, description: &str) -> String {
    let (name, kind, rest) = if let Some((name, kind)) = line.split_once(" : ") {
        (name.trim(), Some(kind.trim()), "")
    } else if let Some((head, rest)) = line
        .split_once(':')
        .filter(|(head, _)| !head.contains(' ') || head.contains('('))
    {
        match head.split_once('(') {
            Some((name, kind)) => (
                name.trim(),
                Some(kind.trim_end_matches(')').trim()),
                rest.trim(),
            ),
            None => (head.trim(), None, rest.trim()),
        }
    } else {
        return [escape(line), description.to_owned()]
            .join(" ")
            .trim()
            .to_owned();
    };
    let mut text = format!("`{}`", name.replace('`', ""));
    if let Some(kind) = kind.filter(|kind| !kind.is_empty()) {
        text.push_str(&format!(" ({})", escape(kind)));
    }
    let words: Vec<String> = [escape(rest), description.to_owned()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
    if !words.is_empty() {
        text.push_str(": ");
        text.push_str(&words.join(" "));
    }
    text
}

/// `:param x: text` → `` - `x`: text ``; `:returns: text` → `- Returns: text`.
fn rest_field(line: &str) -> Option<String> {
    let rest = line.strip_prefix(':')?;
    let (field, text) = rest.split_once(':')?;
    let mut words = field.split_whitespace();
    let kind = words.next()?;
    let name: Vec<&str> = words.collect();
    let text = escape(text.trim());
    match (kind, name.last()) {
        ("param" | "parameter" | "arg" | "argument" | "key" | "keyword", Some(name)) => {
            Some(format!("- `{name}`: {text}"))
        }
        ("type", Some(name)) => Some(format!("- `{name}` has type {text}")),
        ("raises" | "raise" | "except" | "exception", Some(name)) => {
            Some(format!("- Raises `{name}`: {text}"))
        }
        ("returns" | "return", None) => Some(format!("- Returns: {text}")),
        ("rtype", None) => Some(format!("- Return type: {text}")),
        _ => None,
    }
}

/// Markdown and rustdoc read these characters; prose means them literally.
/// Code spans (reST's ``code`` is Markdown's too) are kept as they are; an
/// unmatched backtick is escaped, or it would swallow the paragraph. Roles
/// (`` :class:`x` ``) become code spans or text, reST links
/// (`` `text <url>`_ ``) Markdown links, URLs autolinks (rustdoc rejects
/// bare ones).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let (prose, role) = split_role(&rest[..start]);
        escaped.push_str(&escape_prose(prose));
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let ticks = &rest[start..start + run];
        let after = &rest[start + run..];
        match closing(after, ticks) {
            Some(end) => {
                let content = &after[..end];
                let mut next = &after[end + run..];
                if let Some(role) = role {
                    escaped.push_str(&role_text(role, content));
                } else if run == 1 && next.starts_with('_') {
                    next = next.trim_start_matches('_');
                    escaped.push_str(&reference(content));
                } else {
                    escaped.push_str(&rest[start..start + run + end + run]);
                }
                rest = next;
            }
            None => {
                escaped.push_str(&escape_prose(role.unwrap_or_default()));
                escaped.push_str(&"\\`".repeat(run));
                rest = after;
            }
        }
    }
    escaped.push_str(&escape_prose(rest));
    escaped
}

/// Where in `after` the code span opened by `ticks` closes: at the same
/// number of backticks.
fn closing(after: &str, ticks: &str) -> Option<usize> {
    after
        .match_indices(ticks)
        .map(|(end, _)| end)
        .find(|&end| !after[end + ticks.len()..].starts_with('`') && !after[..end].ends_with('`'))
}

/// Whether a backtick in `text` opens a span that does not close in it.
fn leaves_span_open(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + run..];
        match closing(after, &rest[start..start + run]) {
            Some(end) => rest = &after[end + run..],
            None => return true,
        }
    }
    false
}

/// `text` and the role (`class`, `py:meth`) it ends with, if it ends with
/// one: `` :class: `` right before a backtick.
fn split_role(text: &str) -> (&str, Option<&str>) {
    let Some(inner) = text.strip_suffix(':') else {
        return (text, None);
    };
    let name_start = inner
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || "_:+-".contains(c)))
        .map_or(0, |position| position + 1);
    let candidate = &inner[name_start..];
    match candidate.strip_prefix(':') {
        Some(name) if name.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            (&text[..name_start], Some(name))
        }
        _ => (text, None),
    }
}

/// A role's text: Python objects and math as code, cross-references as
/// their title, DOIs and arXiv ids as links.
fn role_text(role: &str, content: &str) -> String {
    let name = role.rsplit(':').next().unwrap_or(role);
    let (title, target) = match content.strip_suffix('>').and_then(|c| c.rsplit_once(" <")) {
        Some((title, target)) => (Some(title.trim()), target.trim()),
        None => (None, content.trim()),
    };
    match name {
        "doi" => format!("[doi:{}](https://doi.org/{target})", escape_prose(target)),
        "arxiv" => format!(
            "[arXiv:{}](https://arxiv.org/abs/{target})",
            escape_prose(target)
        ),
        "ref" | "doc" | "numref" | "term" | "abbr" | "dfn" | "sub" | "sup" | "guilabel" => {
            escape_prose(title.unwrap_or(target))
        }
        "math" | "samp" | "file" | "command" | "kbd" | "envvar" | "option" | "program" => {
            code_span(content)
        }
        _ => {
            let shown = match title {
                Some(title) => title.to_owned(),
                None => {
                    let target = target.trim_start_matches('!');
                    let target = match target.strip_prefix('~') {
                        Some(path) => path.rsplit('.').next().unwrap_or(path),
                        None => target.trim_start_matches('.'),
                    };
                    let call = matches!(name, "func" | "meth") && !target.ends_with(')');
                    format!("{target}{}", if call { "()" } else { "" })
                }
            };
            code_span(&shown)
        }
    }
}

/// A reST hyperlink reference: `` `text <url>`_ `` is a Markdown link, a
/// named one (`` `text`_ ``) its text.
fn reference(content: &str) -> String {
    match content.strip_suffix('>').and_then(|c| c.rsplit_once('<')) {
        Some((text, url)) if url.contains("://") => {
            // reST drops the spaces of a URL that goes on to the next line.
            let url: String = url.split_whitespace().collect();
            let url = url.as_str();
            let text = text.trim();
            let text = if text.is_empty() { url } else { text };
            let url = if url.contains([' ', '(', ')']) {
                format!("<{url}>")
            } else {
                url.to_owned()
            };
            format!("[{}]({url})", escape_prose(text))
        }
        Some((text, _)) => escape_prose(text.trim()),
        None => escape_prose(content),
    }
}

/// Prose with reST's `**strong**` and `*emphasis*` kept (Markdown writes
/// them the same), other special characters escaped.
fn escape_prose(text: &str) -> String {
    for delimiter in ["**", "*"] {
        if let Some((before, inner, after)) = inline_markup(text, delimiter) {
            return format!(
                "{}{delimiter}{}{delimiter}{}",
                escape_words(before),
                escape_words(inner),
                escape_prose(after)
            );
        }
    }
    escape_words(text)
}

/// The first `delimiter`-enclosed span that reST reads as inline markup:
/// the opening delimiter after a space or an opening punctuation and
/// before text, the closing one after text and before a space or a
/// punctuation.
fn inline_markup<'a>(text: &'a str, delimiter: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let opens = |position: usize| {
        let before = text[..position].chars().next_back();
        let after = text[position + delimiter.len()..].chars().next();
        before.is_none_or(|c| c.is_whitespace() || "'\"([{<-/:".contains(c))
            && after.is_some_and(|c| !c.is_whitespace() && c != '*')
    };
    let closes = |position: usize| {
        let before = text[..position].chars().next_back();
        let after = text[position + delimiter.len()..].chars().next();
        before.is_some_and(|c| !c.is_whitespace() && c != '*')
            && after.is_none_or(|c| c.is_whitespace() || "'\")]}>-/:.,;!?".contains(c))
    };
    let open = text
        .match_indices(delimiter)
        .map(|(i, _)| i)
        .find(|&i| opens(i))?;
    let inner_start = open + delimiter.len();
    let close = text[inner_start..]
        .match_indices(delimiter)
        .map(|(i, _)| inner_start + i)
        .find(|&i| closes(i))?;
    Some((
        &text[..open],
        &text[inner_start..close],
        &text[close + delimiter.len()..],
    ))
}

fn escape_words(text: &str) -> String {
    text.split(' ')
        .map(escape_word)
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape_word(word: &str) -> String {
    // A citation's reference, `[1]_`.
    if let Some((citation, after)) = word.split_once("]_")
        && citation.starts_with('[')
    {
        return format!(
            "{}{}",
            escape_plain(&format!("{citation}]")),
            escape_word(after)
        );
    }
    let start = word.find("https://").or_else(|| word.find("http://"));
    if let Some(start) = start {
        let rest = &word[start..];
        let length = rest.find(['<', '>', '"', '\'', '`']).unwrap_or(rest.len());
        let url = rest[..length].trim_end_matches(['.', ',', ';', ':', ')']);
        let prefix = word[..start].strip_suffix('<').unwrap_or(&word[..start]);
        let suffix = &rest[url.len()..];
        let suffix = suffix.strip_prefix('>').unwrap_or(suffix);
        return format!("{}<{url}>{}", escape_plain(prefix), escape_word(suffix));
    }
    escape_plain(word)
}

fn escape_plain(word: &str) -> String {
    let mut escaped = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '\\' | '[' | ']' | '*' | '_' | '#' | '|' | '~' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{deprecation, to_markdown};

    /// Data-driven: each docstring `tests/docstring/<name>.txt` in, its
    /// Markdown `<name>.md` out. `UPDATE_EXPECT=1` rewrites the expectations.
    #[test]
    fn docstrings_become_markdown() {
        let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docstring");
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&directory)
            .expect("tests/docstring is readable")
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
            .collect();
        fixtures.sort();
        assert!(fixtures.len() >= 9, "fixtures missing: {fixtures:?}");
        for fixture in fixtures {
            let docstring = std::fs::read_to_string(&fixture).expect("a readable fixture");
            let mut markdown = to_markdown(&docstring).join("\n");
            markdown.push('\n');
            expect_test::expect_file![fixture.with_extension("md")].assert_eq(&markdown);
        }
    }

    /// Only a deprecation of the item itself deprecates it.
    #[test]
    fn deprecations_of_the_item_itself() {
        let deprecated = |doc: &str, name: &str| deprecation(doc, name).map(|found| found.since);
        let numpy =
            "Round.\n\n.. deprecated:: 1.25.0\n    ``round_`` is deprecated as of NumPy 1.25.0.\n";
        assert_eq!(deprecated(numpy, "round_"), Some("1.25.0".to_owned()));
        let role = ".. deprecated:: 2.0\n   :func:`~numpy.trapz` will be removed.";
        assert_eq!(deprecated(role, "trapz"), Some("2.0".to_owned()));
        assert!(deprecated(".. deprecated:: 3\n", "f").is_some());
        assert!(deprecated(".. deprecated:: 3\n   Use `g` instead.", "f").is_some());
        assert!(deprecated(".. deprecated:: 3\n   This function is old.", "f").is_some());
        // sympy's `integrate` and `Poly`, pandas' parameters: ways of
        // calling, not the item.
        let usage = "Integrate.\n\n.. deprecated:: 1.6\n\n   Using ``integrate()`` with :class:`~.Poly` is deprecated.\n";
        assert_eq!(deprecated(usage, "integrate"), None);
        let combining = ".. deprecated:: 1.6\n   Poly with non-Poly objects in binary operations is deprecated.";
        assert_eq!(deprecated(combining, "Poly"), None);
        let parameter = "Parameters\n----------\ncopy : bool\n    .. deprecated:: 3.0.0\n        This keyword is ignored.\n";
        assert_eq!(deprecated(parameter, "DataFrame"), None);
        assert_eq!(deprecated("No directive.", "f"), None);
    }
}
