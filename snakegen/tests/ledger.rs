//! The usage ledger against real processes. `SNAKEGEN_LEDGER` is read once
//! per process, so each scenario re-runs this test binary as the recording
//! processes (the `recorder` test, which does nothing unless it is one).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Barrier};

use pyo3::prelude::*;
use snakegen::dynamic;

/// Set in a child: which scenario it plays.
const ROLE: &str = "SNAKEGEN_LEDGER_TEST_ROLE";
/// Set in a child of the concurrency scenario: its index.
const INDEX: &str = "SNAKEGEN_LEDGER_TEST_INDEX";
const PROCESSES: usize = 4;
const THREADS: usize = 4;
/// Modules whose attributes are recorded: every process writes to every
/// file.
const MODULES: [&str; 3] = ["math", "operator", "os"];

/// Every attribute of `MODULES` but `math.sqrt` (which every thread records
/// on top), in a fixed order. Asked of Python without `dynamic`, so the
/// asking records nothing.
fn attributes() -> Vec<(String, String)> {
    Python::attach(|py| {
        let mut attributes = Vec::new();
        for module in MODULES {
            let names: Vec<String> = py.import(module).unwrap().dir().unwrap().extract().unwrap();
            attributes.extend(
                names
                    .into_iter()
                    .filter(|name| (module, name.as_str()) != ("math", "sqrt"))
                    .map(|name| (module.to_owned(), name)),
            );
        }
        attributes
    })
}

/// The attributes process `process`, thread `thread` records: a share of
/// every module, disjoint from every other thread's.
fn share(
    attributes: &[(String, String)],
    process: usize,
    thread: usize,
) -> impl Iterator<Item = &(String, String)> {
    let slot = process * THREADS + thread;
    attributes
        .iter()
        .enumerate()
        .filter(move |(index, _)| index % (PROCESSES * THREADS) == slot)
        .map(|(_, attribute)| attribute)
}

/// Runs this binary's `recorder` test as a child playing `role`.
fn run_recorder(role: &str, env: &[(&str, &str)]) -> Output {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["recorder", "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The child's side of every scenario; a no-op in a normal test run.
#[test]
fn recorder() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    match role.as_str() {
        "concurrent" => {
            let process: usize = std::env::var(INDEX).unwrap().parse().unwrap();
            let attributes = Arc::new(attributes());
            let start = Arc::new(Barrier::new(THREADS));
            let threads: Vec<_> = (0..THREADS)
                .map(|thread| {
                    let attributes = Arc::clone(&attributes);
                    let start = Arc::clone(&start);
                    std::thread::spawn(move || {
                        start.wait();
                        for (module, name) in share(&attributes, process, thread) {
                            dynamic::getattr(module, name).unwrap();
                            // A hot loop appends once per process.
                            dynamic::call("math", "sqrt", (2.0,)).unwrap();
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
        }
        "every-entry-point" => {
            dynamic::call("math", "sqrt", (2.0,)).unwrap();
            let dumped = dynamic::call_with("json", "dumps")
                .arg(vec![1, 2])
                .kwarg("separators", (",", ":"))
                .call()
                .unwrap();
            assert_eq!(dumped.to_string(), "[1,2]");
            dynamic::getattr("math", "pi").unwrap();
            dynamic::import("os.path").unwrap();
            // A name Python does not have is not recorded.
            assert!(dynamic::call("math", "no_such_function", ()).is_err());
            // A lookup that succeeds is recorded even if the call raises.
            assert!(dynamic::call("math", "log", (-1.0,)).is_err());
        }
        "unwritable" => {
            for _ in 0..3 {
                assert_eq!(
                    dynamic::call("math", "floor", (2.5,))
                        .unwrap()
                        .extract::<i64>()
                        .unwrap(),
                    2
                );
                dynamic::getattr("math", "pi").unwrap();
            }
        }
        other => panic!("unknown role {other}"),
    }
}

/// Every `.jsonl` file of `dir`, by file name, as lines.
fn ledger_lines(dir: &Path) -> BTreeMap<String, Vec<String>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.ends_with('\n'), "{name} ends in a partial line");
            (name, text.lines().map(str::to_owned).collect())
        })
        .collect()
}

fn line(symbol: &str) -> String {
    format!("{{\"symbol\":\"{symbol}\"}}")
}

#[test]
fn concurrent_processes_and_threads_lose_and_tear_no_line() {
    let ledger = tempfile::tempdir().unwrap();
    let dir = ledger.path().join("ledger");
    let dir_text = dir.display().to_string();
    let children: Vec<_> = (0..PROCESSES)
        .map(|process| {
            let dir_text = dir_text.clone();
            std::thread::spawn(move || {
                run_recorder(
                    "concurrent",
                    &[
                        ("SNAKEGEN_LEDGER", dir_text.as_str()),
                        (INDEX, &process.to_string()),
                    ],
                )
            })
        })
        .collect();
    for child in children {
        child.join().unwrap();
    }

    let attributes = attributes();
    assert!(attributes.len() > 300, "{}", attributes.len());
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, name) in &attributes {
        expected
            .entry(format!("{module}.jsonl"))
            .or_default()
            .push(line(&format!("{module}.{name}")));
    }
    for _ in 0..PROCESSES {
        expected
            .get_mut("math.jsonl")
            .unwrap()
            .push(line("math.sqrt"));
    }
    let mut found = ledger_lines(&dir);
    for lines in found.values_mut().chain(expected.values_mut()) {
        lines.sort();
    }
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (file, lines) in &expected {
        // Equal as multisets: every line whole, none lost, none repeated
        // within a process.
        assert!(found[file] == *lines, "{file} differs");
    }
}

#[test]
fn every_entry_point_records_what_it_looked_up() {
    let ledger = tempfile::tempdir().unwrap();
    let dir = ledger.path().join("custom");
    run_recorder(
        "every-entry-point",
        &[("SNAKEGEN_LEDGER", &dir.display().to_string())],
    );
    let found = ledger_lines(&dir);
    let expected = BTreeMap::from([
        ("json.jsonl".to_owned(), vec![line("json.dumps")]),
        (
            "math.jsonl".to_owned(),
            vec![line("math.sqrt"), line("math.pi"), line("math.log")],
        ),
        ("os.jsonl".to_owned(), vec![line("os.path")]),
    ]);
    assert_eq!(found, expected);
}

#[test]
fn one_means_the_packages_ledger_directory() {
    let package = tempfile::tempdir().unwrap();
    run_recorder(
        "every-entry-point",
        &[
            ("SNAKEGEN_LEDGER", "1"),
            ("CARGO_MANIFEST_DIR", &package.path().display().to_string()),
        ],
    );
    let files: BTreeSet<String> = ledger_lines(&package.path().join(".snakegen/ledger"))
        .into_keys()
        .collect();
    assert_eq!(
        files,
        BTreeSet::from(["json.jsonl", "math.jsonl", "os.jsonl"].map(str::to_owned))
    );
}

#[test]
fn recording_off_writes_nothing() {
    let package = tempfile::tempdir().unwrap();
    for off in ["", "unset"] {
        let mut env = vec![("CARGO_MANIFEST_DIR", package.path().to_str().unwrap())];
        if off.is_empty() {
            env.push(("SNAKEGEN_LEDGER", ""));
        }
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args(["recorder", "--exact", "--test-threads=1"])
            .env(ROLE, "every-entry-point")
            .envs(env);
        if off == "unset" {
            command.env_remove("SNAKEGEN_LEDGER");
        }
        assert!(command.output().unwrap().status.success());
    }
    assert_eq!(std::fs::read_dir(package.path()).unwrap().count(), 0);
}

#[test]
fn a_ledger_that_cannot_be_written_fails_no_call_and_says_so_once() {
    let blocker = tempfile::NamedTempFile::new().unwrap();
    // A directory inside a regular file cannot be made.
    let dir = blocker.path().join("ledger");
    let output = run_recorder(
        "unwritable",
        &[("SNAKEGEN_LEDGER", &dir.display().to_string())],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("could not record").count(), 1, "{stderr}");
    assert!(
        stderr.contains("snakegen: could not record `math.floor` in the usage ledger"),
        "{stderr}"
    );
}
