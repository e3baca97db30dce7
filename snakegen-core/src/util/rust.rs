//! Rust's reserved words, which a Python name may collide with.

/// Keywords, strict and reserved, in every edition.
pub(crate) const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];
/// Keywords that cannot be raw identifiers (`r#self` is an error).
pub(crate) const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_ascii_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A name usable as written for a Rust module: ASCII, and no keyword.
pub(crate) fn is_plain_identifier(name: &str) -> bool {
    is_ascii_identifier(name) && !KEYWORDS.contains(&name) && !NOT_RAW.contains(&name)
}
