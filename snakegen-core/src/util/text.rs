//! Text from Python or from the user's files, made safe to show.

/// `text` safe to print on a terminal or in a comment: control characters
/// (escape sequences, NUL, carriage returns) and the bidirectional
/// overrides that reorder what is shown come out escaped (`\u{1b}`),
/// except those in `keep` (a newline, a tab). Python's text is the
/// library's, not ours to trust.
pub fn printable(text: &str, keep: &[char]) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        let reorders = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && !keep.contains(&c)) || reorders {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// `count` and the noun that agrees with it: `1 library`, `3 libraries`.
pub fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
