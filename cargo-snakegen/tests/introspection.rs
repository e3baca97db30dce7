//! The introspector against real Python: a fixture package with every
//! signature shape (`tests/python/snakegen_fixture`), and the real stdlib,
//! sympy and numpy, whose manifests must agree with `inspect.signature`.

mod common;

use std::process::Command;

use common::{Crate, assert_success};
use serde_json::Value;

const FIXTURE_USES: &str = r#"
mod py;
use py::snakegen_fixture as f;

pub fn uses() {
    let _ = f::kinds_with(1, 2).c(3).e(4).args([5]).kw([("x", 6)]);
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
    let output = krate.snakegen(&["inspect", "snakegen_fixture.kinds", "--format", "json"]);
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
            "signature_source"
        ]
    );
    assert_eq!(
        view["parameters"][1],
        serde_json::json!({"name": "b", "kind": "POSITIONAL_ONLY", "default": "2"})
    );
    assert_eq!(view["doc"], "All five parameter kinds.");

    let output = krate.snakegen(&["inspect", "fractions.Fraction", "--format", "json"]);
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
    krate.write("src/lib.rs", "mod py;\npub fn f() { let _ = py::snakegen_versioned::answer_with(); }\nfn g() { let _ = py::snakegen_versioned::other(); }\n");
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
        .replace("resolved = \"1.0.0\"", "resolved = \"0.9.0\"");
    krate.write("snakegen.lock", &lock);
    let output = krate.snakegen(&["doctor"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("drift  snakegen_versioned: locked 0.9.0, live 1.0.0"),
        "{stdout}"
    );
    assert!(stdout.contains("ok     math:"), "{stdout}");
}
