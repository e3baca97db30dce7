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

pub fn to_markdown(doc: &str) -> Vec<String> {
    let lines: Vec<&str> = doc.lines().map(str::trim_end).collect();
    let mut out: Vec<String> = Vec::new();
    let mut section: Option<&str> = None;
    // The indentation of the current section's entries (numpydoc: 0,
    // Google: one level in).
    let mut base: Option<usize> = None;
    // The indentation that continues the list item being written, if any.
    let mut list_indent: Option<usize> = None;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();

        // numpydoc: `Parameters` over `----------`.
        if let Some(next) = lines.get(index + 1)
            && is_underline(next.trim(), trimmed)
            && !trimmed.is_empty()
        {
            section = Some(heading(&mut out, trimmed));
            base = None;
            index += 2;
            continue;
        }
        // Google: `Args:` alone on its line.
        if let Some(name) = trimmed
            .strip_suffix(':')
            .filter(|name| ENTRY_SECTIONS.contains(name) || PROSE_SECTIONS.contains(name))
        {
            section = Some(heading(&mut out, name));
            base = None;
            index += 1;
            continue;
        }
        if trimmed.starts_with(">>>") {
            index = fence(&mut out, &lines, index, |line| !line.trim().is_empty());
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
            let mut description = Vec::new();
            let mut next = index + 1;
            let deeper = |more: &&&str| {
                more.len() - more.trim_start().len() > entry_indent && !more.trim().is_empty()
            };
            while let Some(more) = lines.get(next).filter(deeper) {
                description.push(escape(more.trim()));
                next += 1;
            }
            out.push(format!("- {}", entry(trimmed, &description.join(" "))));
            index = next;
            continue;
        }
        // An indented block (a `::` literal block is one): literal.
        if indent > entry_indent {
            let inside = |line: &str| {
                line.len() - line.trim_start().len() > entry_indent || line.trim().is_empty()
            };
            index = fence(&mut out, &lines, index, inside);
            continue;
        }
        // reST's `Example::` introduces a literal block and reads `Example:`.
        let text = escape(
            trimmed
                .strip_suffix(':')
                .filter(|text| text.ends_with(':'))
                .unwrap_or(trimmed),
        );
        // A paragraph that Markdown reads as a list item (`1) If ...`)
        // continues indented, as Markdown (and clippy) want.
        let in_paragraph = out
            .last()
            .is_some_and(|last| !last.is_empty() && !last.starts_with("```"));
        if !in_paragraph {
            list_indent = list_marker_width(&text);
            out.push(text);
        } else {
            list_indent =
                list_indent.or_else(|| out.last().and_then(|last| list_marker_width(last)));
            match list_marker_width(&text) {
                Some(width) => {
                    list_indent = Some(width);
                    out.push(text);
                }
                None => out.push(format!("{}{text}", " ".repeat(list_indent.unwrap_or(0)))),
            }
        }
        index += 1;
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
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
    line.len() >= 3 && line.chars().all(|c| c == '-' || c == '=') && line.len() + 2 >= title.len()
}

fn heading<'a>(out: &mut Vec<String>, name: &'a str) -> &'a str {
    push_blank(out);
    out.push(format!("# {}", escape(name)));
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
/// unmatched backtick is escaped, or it would swallow the paragraph. URLs
/// become autolinks (rustdoc rejects bare ones).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        escaped.push_str(&escape_prose(&rest[..start]));
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let ticks = &rest[start..start + run];
        let after = &rest[start + run..];
        match after
            .find(ticks)
            .filter(|&end| !after[end + run..].starts_with('`'))
        {
            Some(end) => {
                escaped.push_str(&rest[start..start + run + end + run]);
                rest = &after[end + run..];
            }
            None => {
                escaped.push_str(&"\\`".repeat(run));
                rest = after;
            }
        }
    }
    escaped.push_str(&escape_prose(rest));
    escaped
}

fn escape_prose(text: &str) -> String {
    text.split(' ')
        .map(escape_word)
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape_word(word: &str) -> String {
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
    use super::to_markdown;

    #[test]
    fn numpydoc_google_and_rest_sections() {
        let numpy = "Compute the mean.\n\nParameters\n----------\na : array_like\n    Input [values].\naxis : int, optional\n    Axis.\n\nReturns\n-------\nm : ndarray\n\nExamples\n--------\n>>> np.mean([1, 2])\n1.5\n";
        expect_test::expect![[r#"
            Compute the mean.

            # Parameters

            - `a` (array\_like): Input \[values\].
            - `axis` (int, optional): Axis.

            # Returns

            - `m` (ndarray)

            # Examples

            ```text
            >>> np.mean([1, 2])
            1.5
            ```"#]]
        .assert_eq(&to_markdown(numpy).join("\n"));

        let google = "Sum `snake_case` things, `unmatched.\n\nArgs:\n    x (int): The first.\n    y: The <second>.\n\nReturns:\n    int: the *sum*.\n";
        expect_test::expect![[r#"
            Sum `snake_case` things, \`unmatched.

            # Args

            - `x` (int): The first.
            - `y`: The &lt;second&gt;.

            # Returns

            - `int`: the \*sum\*."#]]
        .assert_eq(&to_markdown(google).join("\n"));

        let rest = "Parse it::\n\n    x = 1\n\nSee https://example.org/a_b. and (<https://json.org>)\n\n1) A list item that\ngoes on.\n\n:param text: the input\n:returns: a value\n:raises ValueError: when bad\n";
        expect_test::expect![[r#"
            Parse it:

            ```text
            x = 1
            ```

            See <https://example.org/a_b>. and (<https://json.org>)

            1) A list item that
               goes on.

            - `text`: the input
            - Returns: a value
            - Raises `ValueError`: when bad"#]]
        .assert_eq(&to_markdown(rest).join("\n"));
    }
}
