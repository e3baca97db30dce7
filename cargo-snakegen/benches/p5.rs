//! P5: laziness. For a crate that uses 10 sympy symbols:
//! - the generated lines ÷ the lines a whole-library generation of sympy's
//!   top level (every name in `sympy.__all__`) needs;
//! - the cold prepass time ÷ `python3 -c "import sympy"`.
//!
//! `cargo bench -p cargo-snakegen --bench p5`

mod process;
#[path = "../../benches/timing.rs"]
mod timing;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use process::{run, snakegen};
use timing::{median, time};

const USED: [&str; 10] = [
    "Symbol",
    "expand",
    "factor",
    "diff",
    "integrate",
    "solve",
    "Matrix",
    "simplify",
    "sqrt",
    "pi",
];

fn main() {
    let rounds = 5;
    let used = crate_with(
        "used",
        &USED
            .map(|name| format!("    let _ = py::sympy::{name};\n"))
            .concat(),
        "",
    );
    // Interleaved, so that the machine's load falls on both sides alike.
    let (import, prepass): (Vec<Duration>, Vec<Duration>) = (0..rounds)
        .map(|_| {
            let import = time(|| run(Command::new("python3").args(["-c", "import sympy"])));
            for stale in ["target", "src/py", ".snakegen", "snakegen.lock"] {
                let _ = std::fs::remove_dir_all(used.path().join(stale));
                let _ = std::fs::remove_file(used.path().join(stale));
            }
            (import, time(|| snakegen(used.path())))
        })
        .unzip();
    let (import, prepass) = (median(import), median(prepass));
    let used_lines = generated_lines(used.path());

    let names = String::from_utf8(
        Command::new("python3")
            .args(["-c", "import sympy, json; print(json.dumps(sorted(n for n in sympy.__all__ if not n.startswith('_'))))"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let whole = crate_with("whole", "", &format!("include = {}", names.trim()));
    let started = Instant::now();
    snakegen(whole.path());
    let whole_time = started.elapsed();
    let whole_lines = generated_lines(whole.path());

    println!("import sympy:               {:8.1} ms", millis(import));
    println!("cold prepass, 10 symbols:   {:8.1} ms", millis(prepass));
    println!("generated lines, 10 symbols: {used_lines}");
    println!(
        "generated lines, all {} top-level names: {whole_lines} (took {:.1} s)",
        names.matches(',').count() + 1,
        whole_time.as_secs_f64()
    );
    println!(
        "lines ratio   = 1/{:.0} (target <= 1/100)",
        whole_lines as f64 / used_lines as f64
    );
    println!(
        "prepass ratio = {:.2} (target <= 1.2)",
        prepass.as_secs_f64() / import.as_secs_f64()
    );
}

fn crate_with(name: &str, uses: &str, settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let settings = if settings.is_empty() {
        "\">=1.12\"".to_owned()
    } else {
        format!("{{ version = \">=1.12\", {settings} }}")
    };
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[package.metadata.snakegen.libraries]\nsympy = {settings}\n\n[workspace]\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        format!("mod py;\npub fn uses() {{\n{uses}}}\n"),
    )
    .unwrap();
    dir
}

fn generated_lines(root: &Path) -> usize {
    fn count(directory: &Path) -> usize {
        std::fs::read_dir(directory)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .map(|path| {
                if path.is_dir() {
                    count(&path)
                } else {
                    std::fs::read_to_string(path).unwrap().lines().count()
                }
            })
            .sum()
    }
    count(&root.join("src/py"))
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
