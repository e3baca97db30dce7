//! Every example's committed adapters, manifests and lock are what the
//! current generator makes from them: `--check` passes without Python.

use std::process::Command;

const EXAMPLES: [&str; 8] = [
    "quickstart",
    "symbolic",
    "arrays",
    "buildrs",
    "dynamic",
    "everyday",
    "scientific",
    "pool",
];

#[test]
fn every_example_is_up_to_date() {
    for example in EXAMPLES {
        let manifest = format!(
            "{}/../examples/{example}/Cargo.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
            .args(["snakegen", "--check", "--manifest-path", &manifest])
            .env("PYO3_PYTHON", "/nonexistent/python3")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "examples/{example} is stale; run `cargo run -p cargo-snakegen -- snakegen --manifest-path examples/{example}/Cargo.toml`:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// rustdoc compiles every fenced block that is not `text` and every
/// indented block as a Rust doc test; the generated docs (sympy's and
/// numpy's docstrings included) must have neither.
#[test]
fn generated_docs_hold_no_rust_doc_tests() {
    let mut checked = 0;
    for example in [
        "quickstart",
        "symbolic",
        "arrays",
        "dynamic",
        "everyday",
        "scientific",
        "pool",
    ] {
        let root = format!(
            "{}/../examples/{example}/src/py",
            env!("CARGO_MANIFEST_DIR")
        );
        for file in rust_files(std::path::Path::new(&root)) {
            let text = std::fs::read_to_string(&file).unwrap();
            let mut fence: Option<String> = None;
            // The content columns of the list items the line may be in
            // (Markdown reads 4 spaces past them as an indented block),
            // outside quotes and inside the current one.
            let mut lists: Vec<usize> = Vec::new();
            let mut quoted_lists: Vec<usize> = Vec::new();
            for (number, line) in text.lines().enumerate() {
                let Some(doc) = doc_comment(line) else {
                    continue;
                };
                let doc = doc.strip_prefix(' ').unwrap_or(doc);
                // Fences in list items and quotes are indented or quoted.
                let block = doc.trim_start_matches([' ', '>']);
                let ticks: String = block.chars().take_while(|&c| c == '`').collect();
                match &fence {
                    Some(open) if block.trim_end() == open => fence = None,
                    Some(_) => {}
                    None if ticks.len() >= 3 => {
                        assert_eq!(
                            &block[ticks.len()..],
                            "text",
                            "{}:{}: a fence that is not text",
                            file.display(),
                            number + 1
                        );
                        fence = Some(ticks);
                    }
                    None if block.trim().is_empty() => {}
                    None => {
                        let in_quote = doc.trim_start().starts_with('>');
                        let (content, lists) = if in_quote {
                            let quoted = doc.trim_start()[1..]
                                .strip_prefix(' ')
                                .unwrap_or(&doc.trim_start()[1..]);
                            (quoted, &mut quoted_lists)
                        } else {
                            quoted_lists.clear();
                            (doc, &mut lists)
                        };
                        let indent = content.len() - content.trim_start().len();
                        while lists.last().is_some_and(|&column| indent < column) {
                            lists.pop();
                        }
                        let container = lists.last().copied().unwrap_or(0);
                        assert!(
                            indent < container + 4,
                            "{}:{}: an indented block",
                            file.display(),
                            number + 1
                        );
                        if let Some(width) = list_marker_width(content.trim_start()) {
                            lists.push(indent + width);
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1_000, "only {checked} doc lines checked");
}

/// What the examples' adapters say holds no reST markup that rustdoc
/// would show as is: no role (`` :class:`x` ``), no directive
/// (`.. note::`).
#[test]
fn example_adapters_hold_no_rest_markup() {
    let mut adapters = Vec::new();
    for example in EXAMPLES {
        let py = std::path::PathBuf::from(format!(
            "{}/../examples/{example}/src/py",
            env!("CARGO_MANIFEST_DIR")
        ));
        if py.is_dir() {
            adapters.extend(rust_files(&py));
        }
    }
    assert!(adapters.len() > 20, "adapters missing: {adapters:?}");
    let mut markup = Vec::new();
    for adapter in &adapters {
        let text = std::fs::read_to_string(adapter).expect("a readable adapter");
        for (number, line) in text.lines().enumerate() {
            let Some(doc) = doc_comment(line) else {
                continue;
            };
            if has_role(doc) || has_directive(doc) {
                markup.push(format!("{}:{}: {doc}", adapter.display(), number + 1));
            }
        }
    }
    assert!(
        markup.is_empty(),
        "reST left in {} lines:\n{}",
        markup.len(),
        markup.join("\n")
    );
}

/// `` :name:`...` `` or `` :domain:name:`...` ``.
fn has_role(line: &str) -> bool {
    line.match_indices(":`").any(|(end, _)| {
        let name =
            line[..end].rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '-'));
        name.into_iter().next().is_some_and(|name| {
            name.starts_with(':')
                && name.len() > 1
                && name[1..].starts_with(|c: char| c.is_ascii_alphabetic())
        })
    })
}

/// `.. name::`, or `.. note:` / `.. warning:` with one colon, starting
/// a line (in a quote or a list item too).
fn has_directive(line: &str) -> bool {
    let Some(rest) = line.trim_start_matches([' ', '>']).strip_prefix(".. ") else {
        return false;
    };
    let name_length = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    name_length > 0 && rest[name_length..].starts_with(':')
}

#[test]
fn the_markup_checks_find_markup() {
    assert!(has_role(" Calls :func:`f` and :py:meth:`g`"));
    assert!(has_directive(" .. deprecated:: 1.6"));
    assert!(has_directive(" .. warning:"));
    assert!(!has_role(" `a`: the input, `x`: key"));
    assert!(!has_directive(" wait... then: go"));
}

/// The text of a doc comment line (`///` or `//!`), if it is one.
fn doc_comment(line: &str) -> Option<&str> {
    let line = line.trim_start();
    line.strip_prefix("///")
        .or_else(|| line.strip_prefix("//!"))
}

/// The width of the Markdown list marker `line` starts with (`- `, `12. `,
/// `3) `), if it starts one.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// A memory address (`<built-in method ... at 0x7f...>`) differs on every
/// run; nothing committed may hold one.
#[test]
fn no_artifact_holds_a_memory_address() {
    let mut checked = 0;
    for example in EXAMPLES {
        let root = std::path::PathBuf::from(format!(
            "{}/../examples/{example}",
            env!("CARGO_MANIFEST_DIR")
        ));
        let mut files = vec![root.join("snakegen.lock")];
        for directory in [root.join(".snakegen/manifest"), root.join("src/py")] {
            if directory.is_dir() {
                files.extend(rust_files(&directory));
            }
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (number, line) in text.lines().enumerate() {
                let address = line.split(" at 0x").nth(1).is_some_and(|rest| {
                    rest.chars().take_while(char::is_ascii_hexdigit).count() >= 6
                });
                assert!(!address, "{}:{}: {line}", file.display(), number + 1);
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} files checked");
}

fn rust_files(directory: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}
