//! The scan pass on a large corpus of real Rust (`benches/corpus.rs`).
//! Prints each measurement and the ratios of BENCHMARKS.md.
//!
//! `cargo bench -p snakegen-core --bench scan` (options: `-- --mb 10 --runs 5`)

#[path = "../../benches/corpus.rs"]
mod corpus;
#[path = "../../benches/timing.rs"]
mod timing;

use std::collections::BTreeSet;
use std::time::Duration;

use timing::{median, option, time};

use snakegen_core::CacheMode;
use snakegen_core::bench::{PackageScan, ScanTarget, scan_files};

fn main() {
    let megabytes = option("--mb", 10);
    let runs = option("--runs", 5);

    let workspace = tempfile::tempdir().expect("a temp dir");
    let corpus::Corpus {
        files,
        injected,
        bytes,
    } = corpus::build(workspace.path(), (megabytes as u64) << 20);
    println!(
        "corpus: {} files, {:.1} MB, {injected} injected usages, {} cores",
        files.len(),
        bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    // Let the copies age past the scanner's mtime-trust window.
    std::thread::sleep(Duration::from_millis(200));

    let libraries: BTreeSet<String> = ["math".to_owned()].into();
    let target = ScanTarget {
        module: "py",
        crate_name: "bench",
        libraries: &libraries,
    };
    let cache = workspace.path().join("target/snakegen/scan-cache.json");
    let texts: Vec<String> = files
        .values()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();

    let mut bare = Vec::new();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let mut edit = Vec::new();
    let edited_file = files.values().nth(files.len() / 2).unwrap().clone();
    let original = std::fs::read_to_string(&edited_file).unwrap();
    for run in 0..runs {
        bare.push(time(|| {
            let failures = texts
                .iter()
                .filter(|text| syn::parse_file(text).is_err())
                .count();
            std::hint::black_box(failures);
        }));

        let _ = std::fs::remove_file(&cache);
        let mut scan = None;
        cold.push(time(|| {
            scan = Some(scan_files(&files, &target, &cache, CacheMode::ReadWrite).unwrap())
        }));
        let scan = scan.unwrap();
        check_found(&scan, injected);
        assert_eq!(scan.parsed, files.len());

        let mut again = None;
        warm.push(time(|| {
            again = Some(scan_files(&files, &target, &cache, CacheMode::ReadWrite).unwrap())
        }));
        assert_eq!(again.unwrap().parsed, 0, "a warm no-op parses nothing");

        std::fs::write(
            &edited_file,
            format!("{original}\nfn __edit_{run}() {{ crate::py::math::floor(1.5); }}\n"),
        )
        .unwrap();
        let mut edited = None;
        edit.push(time(|| {
            edited = Some(scan_files(&files, &target, &cache, CacheMode::ReadWrite).unwrap())
        }));
        let edited = edited.unwrap();
        assert_eq!(edited.parsed, 1, "an edit parses one file");
        assert!(edited.usages.iter().any(|usage| usage.path == "math.floor"));
        std::fs::write(&edited_file, &original).unwrap();
    }

    let [bare, cold, warm, edit] = [bare, cold, warm, edit].map(median);
    println!("bare single-thread syn::parse_file: {}", millis(bare));
    println!("cold scan (parallel, writes cache): {}", millis(cold));
    println!("warm no-op:                         {}", millis(warm));
    println!("one-file edit:                      {}", millis(edit));
    println!(
        "cold / bare      = {:.3} (target <= 1.0)",
        ratio(cold, bare)
    );
    println!(
        "warm / cold      = {:.4} (target <= 0.03)",
        ratio(warm, cold)
    );
    println!(
        "edit / warm      = {:.2} (target <= 2.0)",
        ratio(edit, warm)
    );
}

fn check_found(scan: &PackageScan, injected: usize) {
    let found: BTreeSet<&str> = scan
        .usages
        .iter()
        .filter(|usage| usage.path == "math.sqrt")
        .map(|usage| usage.location.file.as_str())
        .collect();
    assert_eq!(found.len(), injected, "every injected usage is found");
}

fn millis(duration: Duration) -> String {
    format!("{:9.2} ms", duration.as_secs_f64() * 1e3)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
