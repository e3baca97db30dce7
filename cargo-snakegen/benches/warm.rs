//! The warm run as a whole process (issue #17): `cargo snakegen` on a crate
//! of real Rust (`benches/corpus.rs`) cold and warm, and on
//! `examples/quickstart` against `cargo metadata --no-deps` alone. Rounds
//! interleave every measurement, so the machine's load falls on all alike.
//!
//! `cargo bench -p cargo-snakegen --bench warm` (options: `-- --mb 16 --runs 5`)

#[path = "../../benches/corpus.rs"]
mod corpus;
mod process;
#[path = "../../benches/timing.rs"]
mod timing;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use process::{run, snakegen};
use timing::{median, option, time};

fn main() {
    let megabytes = option("--mb", 16);
    let runs = option("--runs", 5);
    // cargo runs a subcommand with `CARGO` set to itself, and so it runs
    // this bench: `cargo snakegen` is measured as cargo starts it.
    let cargo = PathBuf::from(std::env::var_os("CARGO").expect("run by cargo, which sets CARGO"));

    let package = tempfile::tempdir().expect("a temp dir");
    let root = package.path();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"corpus\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [package.metadata.snakegen.libraries]\nmath = \"stdlib\"\n\n[workspace]\n",
    )
    .unwrap();
    let corpus = corpus::build(root, (megabytes as u64) << 20);
    std::fs::write(root.join("src/lib.rs"), "mod py;\n").unwrap();
    println!(
        "corpus: {} files, {:.1} MB, {} injected usages",
        corpus.files.len(),
        corpus.bytes as f64 / 1e6,
        corpus.injected
    );
    // Let the files age past the caches' mtime-trust windows.
    std::thread::sleep(Duration::from_millis(2100));

    let quickstart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/quickstart");
    snakegen(&quickstart); // its caches, once

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut metadata = Vec::new();
    let mut quickstart_warm = Vec::new();
    for _ in 0..runs {
        for stale in ["target", "src/py", ".snakegen", "snakegen.lock"] {
            let _ = std::fs::remove_dir_all(root.join(stale));
            let _ = std::fs::remove_file(root.join(stale));
        }
        cold.push(time(|| snakegen(root)));
        let lock = std::fs::read_to_string(root.join("snakegen.lock")).unwrap();
        assert!(lock.contains("math.sqrt"), "the cold run found the usages");
        let written = std::fs::metadata(root.join("snakegen.lock"))
            .and_then(|lock| lock.modified())
            .unwrap();

        warm.push(time(|| snakegen(root)));
        let unchanged = std::fs::metadata(root.join("snakegen.lock"))
            .and_then(|lock| lock.modified())
            .unwrap();
        assert_eq!(written, unchanged, "a warm no-op writes nothing");

        metadata.push(time(|| {
            run(Command::new(&cargo)
                .args(["metadata", "--no-deps", "--format-version", "1"])
                .current_dir(&quickstart))
        }));
        quickstart_warm.push(time(|| snakegen(&quickstart)));
    }
    let [cold, warm, metadata, quickstart_warm] =
        [cold, warm, metadata, quickstart_warm].map(median);
    println!(
        "corpus, cold run (no cache, no artifacts): {}",
        millis(cold)
    );
    println!(
        "corpus, warm no-op:                        {}",
        millis(warm)
    );
    println!(
        "`cargo metadata --no-deps` in quickstart:  {}",
        millis(metadata)
    );
    println!(
        "quickstart, warm no-op:                    {}",
        millis(quickstart_warm)
    );
    println!(
        "corpus warm / cold                = {:.4} (target <= 0.03)",
        ratio(warm, cold)
    );
    println!(
        "quickstart warm / cargo metadata  = {:.2} (target <= 1.5)",
        ratio(quickstart_warm, metadata)
    );
}

fn millis(duration: Duration) -> String {
    format!("{:8.1} ms", duration.as_secs_f64() * 1e3)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
