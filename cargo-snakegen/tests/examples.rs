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
            for (number, line) in text.lines().enumerate() {
                let Some(doc) = line
                    .trim_start()
                    .strip_prefix("///")
                    .or_else(|| line.trim_start().strip_prefix("//!"))
                else {
                    continue;
                };
                let doc = doc.strip_prefix(' ').unwrap_or(doc);
                let ticks: String = doc.chars().take_while(|&c| c == '`').collect();
                match &fence {
                    Some(open) if doc.trim_end() == open => fence = None,
                    Some(_) => {}
                    None if ticks.len() >= 3 => {
                        assert_eq!(
                            &doc[ticks.len()..],
                            "text",
                            "{}:{}: a fence that is not text",
                            file.display(),
                            number + 1
                        );
                        fence = Some(ticks);
                    }
                    None => assert!(
                        !doc.starts_with("    "),
                        "{}:{}: an indented block",
                        file.display(),
                        number + 1
                    ),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1_000, "only {checked} doc lines checked");
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
