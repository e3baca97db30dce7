//! The scan pass on a large corpus of real Rust: the sources of the crates
//! in the local cargo registry, copied at run time (never committed), with
//! usages injected. Prints each measurement and the ratios of BENCHMARKS.md.
//!
//! `cargo bench -p snakegen-core --bench scan` (options: `-- --mb 10 --runs 5`)

#[path = "../../benches/timing.rs"]
mod timing;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use timing::{median, time};

use snakegen_core::CacheMode;
use snakegen_core::bench::{PackageScan, ScanTarget, scan_files};

/// One injected usage in every this many files.
const INJECT_EVERY: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|arg| arg == name)
            .and_then(|index| args.get(index + 1))
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    };
    let megabytes = option("--mb", 10);
    let runs = option("--runs", 5);

    let workspace = tempfile::tempdir().expect("a temp dir");
    let (files, injected) = build_corpus(workspace.path(), (megabytes as u64) << 20);
    let bytes: u64 = files
        .values()
        .map(|path| std::fs::metadata(path).unwrap().len())
        .sum();
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

/// Copies registry sources until `budget` bytes, injecting a usage in
/// every `INJECT_EVERY`th file. Returns the files and the injected count.
fn build_corpus(root: &Path, budget: u64) -> (BTreeMap<PathBuf, PathBuf>, usize) {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cargo")
        });
    let mut sources: Vec<PathBuf> = Vec::new();
    for registry in std::fs::read_dir(home.join("registry/src")).expect("a local cargo registry") {
        collect_rust_files(&registry.unwrap().path(), &mut sources);
    }
    sources.sort();
    let mut files = BTreeMap::new();
    let mut total = 0;
    let mut injected = 0;
    for (index, source) in sources.iter().enumerate() {
        if total >= budget {
            break;
        }
        let Ok(mut text) = std::fs::read_to_string(source) else {
            continue;
        };
        if index % INJECT_EVERY == 0 {
            text.push_str(&format!(
                "\nfn __snakegen_injected_{index}() {{ let _ = crate::py::math::sqrt(2.0); }}\n"
            ));
            injected += 1;
        }
        let relative = format!("corpus/{index:06}.rs");
        let path = root.join(&relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        total += text.len() as u64;
        files.insert(PathBuf::from(relative), path);
    }
    assert!(
        total >= budget,
        "the registry holds only {total} bytes of Rust"
    );
    (files, injected)
}

fn collect_rust_files(directory: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            out.push(path);
        }
    }
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
