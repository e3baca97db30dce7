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
                let Some(doc) = line
                    .trim_start()
                    .strip_prefix("///")
                    .or_else(|| line.trim_start().strip_prefix("//!"))
                else {
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
