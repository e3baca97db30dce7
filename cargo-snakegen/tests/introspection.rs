//! The introspector against real Python: a fixture package with every
//! signature shape (`tests/python/snakegen_fixture`), the real stdlib,
//! sympy and numpy, whose manifests must agree with `inspect.signature`,
//! and libraries that misbehave (`tests/python/snakegen_*`).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Crate, assert_fails, assert_success};
use serde_json::Value;

const FIXTURE_USES: &str = r#"
mod py;
use py::snakegen_fixture as f;

pub fn uses() {
    let _ = f::with::kinds(1, 2).c(3).e(4).args([5]).kw([("x", 6)]);
    let _ = f::overloaded(1);
    let _ = f::keywords("t");
    let _ = f::r#match("p");
    let _ = f::r#gen();
    let _ = f::café("c");
    let _ = f::Huge::new().and_then(|huge| huge.own_with(1.0).scale(2.0).call());
    let _ = f::lazy_value(1, 2);
    let _ = f::PI();
}
"#;

fn fixture_crate() -> Crate {
    let krate = Crate::new(
        "uses_fixture",
        "snakegen_fixture = \">=1.2\"",
        &[("src/lib.rs", FIXTURE_USES)],
    );
    assert_success(&krate.snakegen(&[]));
    krate
}

fn manifest(krate: &Crate, library: &str) -> Value {
    serde_json::from_str(&krate.read(&format!(".snakegen/manifest/{library}.json"))).unwrap()
}

fn parameters(signature: &Value) -> Vec<(String, String, Value)> {
    signature["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["kind"].as_str().unwrap().to_owned(),
                p["default"].clone(),
            )
        })
        .collect()
}

#[test]
fn every_signature_shape_is_read_and_compiles() {
    let krate = fixture_crate();
    let manifest = manifest(&krate, "snakegen_fixture");
    let symbols = &manifest["symbols"];
    assert_eq!(
        manifest["version"], "1.2.3",
        "from __version__: the fixture is no distribution"
    );

    let kinds = &symbols["snakegen_fixture.kinds"]["signature"];
    assert_eq!(kinds["source"], "stub");
    let expected = [
        ("a", "POSITIONAL_ONLY", Value::Null),
        ("b", "POSITIONAL_ONLY", "2".into()),
        ("c", "POSITIONAL_OR_KEYWORD", "3".into()),
        ("args", "VAR_POSITIONAL", Value::Null),
        ("d", "KEYWORD_ONLY", Value::Null),
        ("e", "KEYWORD_ONLY", "None".into()),
        ("kw", "VAR_KEYWORD", Value::Null),
    ];
    let expected: Vec<(String, String, Value)> = expected
        .into_iter()
        .map(|(name, kind, default)| (name.to_owned(), kind.to_owned(), default))
        .collect();
    assert_eq!(
        parameters(kinds),
        expected,
        "names, kinds and defaults are Python's own"
    );
    assert_eq!(
        kinds["parameters"][0]["annotation"], "int",
        "annotations come from the stub"
    );
    assert_eq!(kinds["returns"], "None");

    let overloaded = &symbols["snakegen_fixture.overloaded"]["signature"];
    assert_eq!(overloaded["overloads"].as_array().unwrap().len(), 2);
    assert_eq!(overloaded["overloads"][1]["returns"], "str");

    // Of a class, every member is listed; only the called ones are
    // described and generated.
    let huge = &symbols["snakegen_fixture.Huge"];
    assert_eq!(huge["members"].as_array().unwrap().len(), 301);
    let methods: Vec<&String> = huge["methods"].as_object().unwrap().keys().collect();
    assert_eq!(methods, ["own"]);

    assert_eq!(
        symbols["snakegen_fixture.lazy_value"]["canonical"],
        "snakegen_fixture.kinds"
    );
    assert_eq!(
        symbols["snakegen_fixture.café"]["signature"]["parameters"][0]["name"],
        "crème"
    );

    // Keyword and non-ASCII names, builders, the truncated class: all compile.
    assert_success(&krate.cargo_check());
    // And their generated code is reviewed, byte for byte.
    expect_test::expect_file!["golden/snakegen_fixture.rs"]
        .assert_eq(&krate.read("src/py/snakegen_fixture.rs"));
}

#[test]
fn inspect_prints_the_shape_other_tools_read() {
    let krate = Crate::new(
        "inspects",
        "snakegen_fixture = \"*\"\nfractions = \"stdlib\"",
        &[("src/lib.rs", "")],
    );
    let output = krate.snakegen(&[
        "inspect",
        "snakegen_fixture.kinds",
        "--message-format",
        "json",
    ]);
    assert_success(&output);
    let view: Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = view
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "canonical",
            "doc",
            "kind",
            "parameters",
            "path",
            "returns",
            "schema_version",
            "signature_source"
        ]
    );
    assert_eq!(
        view["parameters"][1],
        serde_json::json!({"name": "b", "kind": "POSITIONAL_ONLY", "default": "2"})
    );
    assert_eq!(view["doc"], "All five parameter kinds.");

    let output = krate.snakegen(&["inspect", "fractions.Fraction", "--message-format", "json"]);
    assert_success(&output);
    let view: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(view["kind"], "class");
    assert_eq!(
        view["parameters"][0]["name"], "numerator",
        "a class shows its constructor"
    );
}

#[test]
fn an_unmet_version_requirement_is_an_error() {
    let krate = Crate::new(
        "too_new",
        "snakegen_fixture = \">=2\"",
        &[(
            "src/lib.rs",
            "mod py;\nfn f() { let _ = py::snakegen_fixture::gen(); }\n",
        )],
    );
    let output = krate.snakegen(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`snakegen_fixture` 1.2.3 is installed, but [package.metadata.snakegen.libraries] asks for `>=2`"),
        "{stderr}"
    );
}

/// Real functions and classes whose parameters must match
/// `inspect.signature` exactly (names, kinds, `repr` of defaults).
const REAL: &[&str] = &[
    "json.dumps",
    "json.loads",
    "textwrap.wrap",
    "textwrap.dedent",
    "statistics.mean",
    "statistics.quantiles",
    "fractions.Fraction",
    "math.isclose",
    "sympy.expand",
    "sympy.solve",
    "sympy.Symbol",
    "sympy.integrate",
    "sympy.simplify",
    "numpy.linspace",
    "numpy.mean",
    "numpy.linalg.norm",
];

#[test]
fn real_libraries_match_inspect_signature() {
    let uses: String = REAL
        .iter()
        .map(|path| format!("    let _ = py::{};\n", path.replace('.', "::")))
        .collect();
    let krate = Crate::new(
        "real",
        "json = \"stdlib\"\ntextwrap = \"stdlib\"\nstatistics = \"stdlib\"\nfractions = \"stdlib\"\nmath = \"stdlib\"\nsympy = \">=1.12\"\nnumpy = \"2\"",
        &[(
            "src/lib.rs",
            &format!("mod py;\npub fn uses() {{\n{uses}    let _ = py::math::log;\n}}\n"),
        )],
    );
    assert_success(&krate.snakegen(&[]));

    let script = r#"
import importlib, inspect, json, re, sys
out = {}
for path in sys.argv[1:]:
    module, _, name = path.rpartition(".")
    obj = getattr(importlib.import_module(module), name)
    parameters = list(inspect.signature(obj).parameters.values())
    # Addresses in reprs (`<function f at 0x7f..>`) differ between runs; the
    # manifest drops them, on purpose.
    out[path] = [[p.name, p.kind.name, None if p.default is p.empty else re.sub(r" at 0x[0-9a-fA-F]+", "", repr(p.default))] for p in parameters]
print(json.dumps(out))
"#;
    let python = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(REAL)
        .output()
        .unwrap();
    assert_success(&python);
    let expected: Value = serde_json::from_slice(&python.stdout).unwrap();
    for path in REAL {
        let library = path.split('.').next().unwrap();
        let symbol = &manifest(&krate, library)["symbols"][path];
        let signature = if symbol["kind"] == "class" {
            &symbol["constructor"]
        } else {
            &symbol["signature"]
        };
        let ours: Vec<Value> = parameters(signature)
            .into_iter()
            .map(|(name, kind, default)| serde_json::json!([name, kind, default]))
            .collect();
        assert_eq!(Value::Array(ours), expected[path], "{path}");
    }

    // A C builtin without a signature of its own gets typeshed's, and says why.
    let log = &manifest(&krate, "math")["symbols"]["math.log"]["signature"];
    assert_eq!(log["source"], "stub");
    assert!(
        log["fallbacks"][0]
            .as_str()
            .unwrap()
            .starts_with("inspect: no signature found"),
        "{log}"
    );
    assert_eq!(log["parameters"][1]["name"], "base");
}

#[test]
fn a_cached_symbol_needs_no_import() {
    let krate = Crate::new(
        "cached",
        "snakegen_versioned = \"1\"",
        &[(
            "src/lib.rs",
            "mod py;\npub fn f() { let _ = py::snakegen_versioned::answer(); }\n",
        )],
    );
    assert_success(&krate.snakegen(&[]));
    let lock = krate.read("snakegen.lock");
    assert!(lock.contains("resolved = \"1.0.0\""), "{lock}");

    // Without manifests the run must introspect again; the cache answers,
    // and the library, which would now fail to import, is never imported.
    std::fs::remove_dir_all(krate.root().join(".snakegen")).unwrap();
    let output = krate.snakegen_with_env(&[], &[("SNAKEGEN_FIXTURE_EXPLODE", "1")]);
    assert_success(&output);
    assert!(String::from_utf8_lossy(&output.stderr).contains("Cached"));
    assert_eq!(krate.read("snakegen.lock"), lock);

    // A new symbol is not cached: then the library is imported, and fails.
    krate.write("src/lib.rs", "mod py;\npub fn f() { let _ = py::snakegen_versioned::with::answer(); }\nfn g() { let _ = py::snakegen_versioned::other(); }\n");
    let output = krate.snakegen_with_env(&[], &[("SNAKEGEN_FIXTURE_EXPLODE", "1")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("was imported although"));
}

#[test]
fn doctor_reports_environment_drift() {
    let krate = Crate::new(
        "doctor",
        "snakegen_versioned = \"1\"\nmath = \"stdlib\"",
        &[(
            "src/lib.rs",
            "mod py;\npub fn f() { let _ = py::snakegen_versioned::answer(); let _ = py::math::pi(); }\n",
        )],
    );
    assert_success(&krate.snakegen(&[]));
    let output = krate.snakegen(&["doctor"]);
    assert_success(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ok     snakegen_versioned: 1.0.0"),
        "{stdout}"
    );

    let lock = krate
        .read("snakegen.lock")
        .replace("resolved = \"1.0.0\"", "resolved = \"1.5.0\"");
    krate.write("snakegen.lock", &lock);
    let output = krate.snakegen(&["doctor"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("drift  snakegen_versioned: locked 1.5.0, live 1.0.0"),
        "{stdout}"
    );
    assert!(stdout.contains("ok     math:"), "{stdout}");
}

/// A crate that calls `library.function()`, with `requirement`.
fn calling(name: &str, library: &str, requirement: &str, function: &str) -> Crate {
    Crate::new(
        name,
        &format!("{library} = \"{requirement}\""),
        &[(
            "src/lib.rs",
            &format!("mod py;\npub fn f() {{\n    let _ = py::{library}::{function}();\n}}\n"),
        )],
    )
}

#[cfg(unix)]
fn with_timeout(krate: &Crate, seconds: u64) {
    let manifest = krate.read("Cargo.toml").replace(
        "[package.metadata.snakegen.libraries]",
        &format!("[package.metadata.snakegen]\ntimeout = {seconds}\n\n[package.metadata.snakegen.libraries]"),
    );
    krate.write("Cargo.toml", &manifest);
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether the process `pid` exists and is not a zombie.
#[cfg(unix)]
fn running(pid: &str) -> bool {
    let ps = Command::new("ps")
        .args(["-o", "stat=", "-p", pid])
        .output()
        .unwrap();
    let state = String::from_utf8_lossy(&ps.stdout);
    let state = state.trim();
    !state.is_empty() && !state.starts_with('Z')
}

#[cfg(unix)]
fn gone_within(pid: &str, limit: Duration) -> bool {
    let started = Instant::now();
    while running(pid) {
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

/// The pids `snakegen_spawns` wrote: interpreter, child, daemon.
#[cfg(unix)]
fn spawned_pids(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    text.split_whitespace().map(str::to_owned).collect()
}

#[cfg(unix)]
fn kill(pids: &[String]) {
    for pid in pids {
        let _ = Command::new("kill").args(["-KILL", pid]).status();
    }
}

#[cfg(unix)]
#[test]
fn a_process_the_import_started_does_not_hold_the_run() {
    let krate = calling("spawns", "snakegen_spawns", "*", "spawned");
    with_timeout(&krate, 5);
    let pids = krate.root().join("pids");
    let started = Instant::now();
    let output = krate.snakegen_with_env(&[], &[("SNAKEGEN_FIXTURE_PIDS", pids.to_str().unwrap())]);
    let elapsed = started.elapsed();
    kill(&spawned_pids(&pids)[1..]);
    assert_success(&output);
    // Its `sleep 60`s inherit the interpreter's stderr: a pipe would stay
    // open, and be read to its end, until they exit.
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

#[cfg(unix)]
#[test]
fn a_timeout_kills_what_the_import_started_and_bounds_the_run() {
    let krate = calling("spawns_hangs", "snakegen_spawns", "*", "spawned");
    with_timeout(&krate, 2);
    let pids = krate.root().join("pids");
    let started = Instant::now();
    let output = krate.snakegen_with_env(
        &[],
        &[
            ("SNAKEGEN_FIXTURE_PIDS", pids.to_str().unwrap()),
            ("SNAKEGEN_FIXTURE_THEN", "hang"),
        ],
    );
    let elapsed = started.elapsed();
    let pids = spawned_pids(&pids);
    let (interpreter, child, daemon) = (&pids[0], &pids[1], &pids[2]);
    let child_gone = gone_within(child, Duration::from_secs(5));
    // A daemon leaves the process group on purpose; it holds nothing of
    // the run's, but the test cleans it up.
    kill(std::slice::from_ref(daemon));
    assert_fails(
        &output,
        2,
        "introspection timed out after 2s while importing `snakegen_spawns`",
    );
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    assert!(!running(interpreter));
    assert!(child_gone, "the interpreter's child outlived the timeout");
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_no_interpreter_behind() {
    use std::path::PathBuf;
    use std::process::Stdio;

    let krate = calling("spawns_killed", "snakegen_spawns", "*", "spawned");
    let target = krate.root().join("target");
    let pids = krate.root().join("pids");
    let mut tool = Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
        .arg("snakegen")
        .env("PYTHONPATH", common::FIXTURE_PACKAGES)
        .env("CARGO_TARGET_DIR", &target)
        .env("SNAKEGEN_FIXTURE_PIDS", &pids)
        // Long enough for a surviving interpreter to be seen, short enough
        // that it then answers.
        .env("SNAKEGEN_FIXTURE_THEN", "4")
        .current_dir(krate.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !pids.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no interpreter started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let pids = spawned_pids(&pids);
    let imported = Instant::now();
    let terminated = Command::new("kill")
        .args(["-TERM", &tool.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    tool.wait().unwrap();
    let interpreter_gone = gone_within(&pids[0], Duration::from_secs(2));
    let child_gone = gone_within(&pids[1], Duration::from_secs(2));
    // Past the import's end: an interpreter still alive would answer now.
    std::thread::sleep(Duration::from_secs(5).saturating_sub(imported.elapsed()));
    kill(&pids);
    assert!(interpreter_gone, "the interpreter outlived the tool");
    assert!(child_gone, "the import's child outlived the tool");
    let answers: Vec<PathBuf> = std::fs::read_dir(target.join("snakegen"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with("introspect-")
                && name.ends_with(".json")
                && !name.ends_with(".request.json")
        })
        .collect();
    assert!(answers.is_empty(), "{answers:?}");
}

#[test]
fn a_docstring_signature_is_parsed_never_run() {
    let krate = calling("docsig", "snakegen_docsig", "*", "touch");
    let marker = krate.root().join("marker");
    let output = krate.snakegen_with_env(
        &[],
        &[("SNAKEGEN_FIXTURE_MARKER", marker.to_str().unwrap())],
    );
    assert_success(&output);
    assert!(!marker.exists(), "a default in a docstring was evaluated");
    let manifest = manifest(&krate, "snakegen_docsig");
    let signature = &manifest["symbols"]["snakegen_docsig.touch"]["signature"];
    assert_eq!(signature["source"], "docstring", "{signature}");
    let expected = [
        (
            "path",
            "POSITIONAL_OR_KEYWORD",
            Value::from(format!("open({:?}, 'w')", marker.to_str().unwrap()).replace('"', "'")),
        ),
        ("mode", "KEYWORD_ONLY", "420".into()),
    ];
    let expected: Vec<(String, String, Value)> = expected
        .into_iter()
        .map(|(name, kind, default)| (name.to_owned(), kind.to_owned(), default))
        .collect();
    assert_eq!(parameters(signature), expected);
    assert_eq!(signature["parameters"][1]["annotation"], "int");
    assert_eq!(signature["returns"], "None");
}

/// Python's text is the library's: no escape sequence or NUL reaches the
/// terminal.
fn assert_printable(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        &text[..text.len().min(2000)]
    );
}

#[test]
fn an_import_error_is_printed_escaped() {
    let output = calling("noisy", "snakegen_noisy", "*", "f").snakegen(&[]);
    assert_fails(
        &output,
        2,
        "could not import the Python library `snakegen_noisy`: ImportError: snakegen_noisy \\u{1b}[2J\\u{1b}]0;owned\\u{7}cleared\\u{0} the screen\nsecond line\n",
    );
    assert_printable(&stderr(&output));
}

#[test]
fn a_flood_on_stderr_is_kept_in_a_file_and_only_its_end_echoed() {
    let krate = calling("floods", "snakegen_floods", "*", "f");
    let output = krate.snakegen(&[]);
    assert_fails(
        &output,
        2,
        "the introspector failed in `python3`: exit status: 3",
    );
    let stderr = stderr(&output);
    assert!(stderr.len() < 16 * 1024, "{} bytes echoed", stderr.len());
    assert_printable(&stderr);
    assert!(
        stderr.contains("noise\\u{0} from snakegen_floods\nthe last line\n"),
        "{stderr}"
    );
    let kept = stderr
        .lines()
        .find_map(|line| line.strip_prefix("  = note: all of its stderr is in "))
        .unwrap_or_else(|| panic!("no file named: {stderr}"));
    let kept = std::fs::metadata(kept).unwrap();
    assert!(kept.len() > 50 * 1024 * 1024, "{} bytes kept", kept.len());
}

#[test]
fn a_version_that_is_not_pep_440_meets_no_requirement() {
    let output = calling("oddver", "snakegen_oddver", ">=0", "value").snakegen(&[]);
    assert_fails(
        &output,
        2,
        "`snakegen_oddver` says its version is `not a version \\u{0}`, which is not a PEP 440 version, so `>=0` cannot be checked",
    );
    assert_printable(&stderr(&output));
}

#[test]
fn the_pip_hint_for_a_caret_requirement_is_pep_440() {
    let output = calling("caret", "snakegen_fixture", "^3", "gen").snakegen(&[]);
    assert_fails(
        &output,
        2,
        "= help: `pip install \"snakegen_fixture>=3, <4\"` into `python3`",
    );
}

#[test]
fn an_import_that_stops_the_interpreter_is_not_a_missing_install() {
    let krate = calling("interrupts", "snakegen_interrupts", "*", "f");
    let output = krate.snakegen(&[]);
    assert_fails(
        &output,
        2,
        "importing the Python library `snakegen_interrupts` was interrupted by KeyboardInterrupt\n",
    );
    assert!(
        !stderr(&output).contains("pip install"),
        "{}",
        stderr(&output)
    );

    let output = krate.snakegen_with_env(&[], &[("SNAKEGEN_FIXTURE_RAISE", "SystemExit")]);
    assert_fails(
        &output,
        2,
        "importing the Python library `snakegen_interrupts` was interrupted by SystemExit: 3\n",
    );
    assert!(
        !stderr(&output).contains("pip install"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_metadata_cache_entry_that_does_not_fit_is_discarded() {
    let krate = calling("corrupt_cache", "snakegen_versioned", "1", "answer");
    let target = krate.root().join("target");
    let env = [("CARGO_TARGET_DIR", target.to_str().unwrap())];
    assert_success(&krate.snakegen_with_env(&[], &env));
    let path = "snakegen_versioned.answer";
    let entry = std::fs::read_dir(target.join("snakegen/metadata"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|file| {
            let entry: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
            entry["symbols"].get(path).is_some()
        })
        .expect("the path is cached");
    let pristine = std::fs::read(&entry).unwrap();

    type Corruption = fn(&mut Value);
    let corruptions: [(&str, Corruption); 3] = [
        ("a symbol of an unconfigured library", |entry| {
            let symbol = entry["symbols"]["snakegen_versioned.answer"].clone();
            entry["symbols"]["os.getcwd"] = symbol;
        }),
        ("a parameter that is no identifier", |entry| {
            entry["symbols"]["snakegen_versioned.answer"]["signature"]["parameters"][0]["name"] =
                "x*".into();
        }),
        ("an empty last segment", |entry| {
            let symbol = entry["symbols"]["snakegen_versioned.answer"].clone();
            entry["symbols"]["snakegen_versioned."] = symbol;
        }),
    ];
    let mut cases: Vec<(&str, Vec<u8>)> = corruptions
        .into_iter()
        .map(|(case, corrupt)| {
            let mut entry: Value = serde_json::from_slice(&pristine).unwrap();
            corrupt(&mut entry);
            (case, serde_json::to_vec(&entry).unwrap())
        })
        .collect();
    cases.push(("not JSON", b"{\"symbols\": ".to_vec()));
    for (case, bytes) in cases {
        std::fs::write(&entry, bytes).unwrap();
        std::fs::remove_dir_all(krate.root().join(".snakegen")).unwrap();
        let output = krate.snakegen_with_env(&[], &env);
        assert_success(&output);
        assert!(
            !stderr(&output).contains("Cached"),
            "{case}: the entry was used"
        );
        let manifest = manifest(&krate, "snakegen_versioned");
        let symbols = manifest["symbols"].as_object().unwrap();
        let paths: Vec<&String> = symbols.keys().collect();
        assert_eq!(paths, ["snakegen_versioned", path], "{case}");
        assert_eq!(
            symbols[path]["signature"]["parameters"][0]["name"], "question",
            "{case}"
        );
        assert_eq!(
            std::fs::read(&entry).unwrap(),
            pristine,
            "{case}: not stored again"
        );
    }
}
