//! Data-driven generator tests: a manifest (`snakegen-core/tests/generate/<name>.json`)
//! in, the generated files (`tests/generate/<name>.out`) out, byte-exact.
//! `UPDATE_EXPECT=1` rewrites the expectations; review the diff.

use std::collections::BTreeMap;

use super::docs::code_span;
use super::{Input, Library, generate};
use crate::metadata::{LibraryMetadata, PythonIdentity};

fn render(library: &str, fixture: &str) -> String {
    let metadata: LibraryMetadata =
        serde_json::from_str(fixture).expect("the fixture is a valid manifest");
    let python = PythonIdentity {
        implementation: "cpython".into(),
        version: "3.11.7".into(),
        platform: "linux-x86_64".into(),
    };
    let files: BTreeMap<String, String> = generate(&Input {
        module: "py",
        python: &python,
        libraries: vec![Library {
            name: library,
            distribution: Some(library),
            metadata: &metadata,
        }],
    });
    files
        .iter()
        .map(|(path, text)| format!("=== {path}\n{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn odd_names() {
    let output = render("odd", include_str!("../../tests/generate/odd_names.json"));
    expect_test::expect_file!["../../tests/generate/odd_names.out"].assert_eq(&output);
    syn_checks(&output);
}

/// Class constants (`ClassVar`s) are associated functions that read the
/// class; instance data stays `&self` getters; names that Rust or clippy
/// would take for something else (`new`, `default`) do not clash.
#[test]
fn class_constants() {
    let output = render(
        "clock",
        include_str!("../../tests/generate/class_constants.json"),
    );
    expect_test::expect_file!["../../tests/generate/class_constants.out"].assert_eq(&output);
    syn_checks(&output);
    assert!(output.contains("pub fn utc() -> snakegen::Result<zone>"));
    assert!(output.contains("pub fn offset(&self) -> snakegen::Result<i64>"));
}

/// Descriptors (properties, `cached_property`, slots) are `&self` getters
/// of the name the crate calls, whatever the value is (a callable one too),
/// next to methods; names Rust would take otherwise get the usual rule.
#[test]
fn descriptors() {
    let output = render("net", include_str!("../../tests/generate/descriptors.json"));
    expect_test::expect_file!["../../tests/generate/descriptors.out"].assert_eq(&output);
    syn_checks(&output);
    for getter in [
        "pub fn broadcast_address(&self) -> snakegen::Result<Network>",
        "pub fn degree(&self) -> snakegen::Result<snakegen::Object>",
        "pub fn new_(&self) -> snakegen::Result<i64>",
        "pub fn r#type(&self) -> snakegen::Result<String>",
        "pub fn self_(&self) -> snakegen::Result<snakegen::Object>",
    ] {
        assert!(output.contains(getter), "{getter}\n{output}");
    }
    assert!(output.contains("self.object.getattr(\"broadcast_address\")"));
    assert!(!output.contains("call_method_with(\"broadcast_address\")"));
}

/// A docstring that deprecates its item gives `#[deprecated]`, one that
/// deprecates a way of calling it a note; the struct of a deprecated class
/// is named in its own module without warnings.
#[test]
fn deprecations() {
    let output = render(
        "old",
        include_str!("../../tests/generate/deprecations.json"),
    );
    expect_test::expect_file!["../../tests/generate/deprecations.out"].assert_eq(&output);
    syn_checks(&output);
    let attributes = output.matches("#[deprecated(").count();
    // `round_` and `round__with`, the struct, the attribute's getter.
    assert_eq!(attributes, 4, "{output}");
    assert!(output.contains("#![allow(deprecated)]"));
    assert!(!output.contains("since = \"1.6\""), "{output}");
}

/// Every generated file is valid Rust on its own.
fn syn_checks(output: &str) {
    for file in output.split("=== ").filter(|chunk| !chunk.is_empty()) {
        let (path, text) = file.split_once('\n').unwrap();
        if let Err(error) = syn::parse_file(text) {
            panic!("{path} does not parse: {error}");
        }
    }
}

#[test]
fn fences_outgrow_backticks() {
    assert_eq!(code_span("a`b"), "`` a`b ``");
    assert_eq!(code_span("sqrt(x)"), "`sqrt(x)`");
}

/// Any bytes in a docstring give a comment rustc accepts.
#[test]
fn hostile_docstrings_give_compiling_docs() {
    let lines = super::docs::doc_lines(
        "m.f()",
        Some("one\rtwo\r\nthree \u{202e}evil\u{202c} nul\u{0} bell\u{7}\ttab"),
        None,
    );
    assert_eq!(
        lines,
        [
            " `m.f()`",
            "",
            " one",
            " two",
            " three \\u{202e}evil\\u{202c} nul\\u{0} bell\\u{7}\ttab",
        ]
    );
}

/// Every keyword some stub overload accepts is settable, where the callable
/// takes keywords it does not name (`subprocess.run(.., text=True)`); one
/// it names already, or a private one, is not set twice.
#[test]
fn keywords_of_any_overload_are_setters() {
    let parameter = |name: &str, kind: &str, default: Option<&str>| serde_json::json!({"name": name, "kind": kind, "default": default, "annotation": null});
    let signature = serde_json::json!({
        "source": "stub",
        "fallbacks": [],
        "returns": null,
        "parameters": [
            parameter("args", "VAR_POSITIONAL", None),
            parameter("check", "KEYWORD_ONLY", Some("False")),
            parameter("kwargs", "VAR_KEYWORD", None),
        ],
        "overloads": [
            {"returns": null, "parameters": [
                parameter("args", "VAR_POSITIONAL", None),
                parameter("check", "KEYWORD_ONLY", Some("False")),
                parameter("text", "KEYWORD_ONLY", None),
            ]},
            {"returns": null, "parameters": [
                parameter("args", "VAR_POSITIONAL", None),
                parameter("encoding", "KEYWORD_ONLY", Some("None")),
                parameter("_private", "KEYWORD_ONLY", Some("None")),
            ]},
        ],
    });
    let manifest = serde_json::json!({"version": "1", "symbols": {
        "proc": {"canonical": "proc", "doc": null, "kind": "module"},
        "proc.run": {"canonical": "proc.run", "doc": null, "kind": "function", "signature": signature},
    }});
    let output = render("proc", &manifest.to_string());
    for setter in ["check", "text", "encoding", "kwargs"] {
        assert_eq!(
            output.matches(&format!("pub fn {setter}(")).count(),
            1,
            "{setter}:\n{output}"
        );
    }
    assert!(!output.contains("fn private("), "{output}");
    syn_checks(&output);
}

/// A result annotated as an iterator is stepped lazily (`itertools.count()`
/// never ends), typed by its item; inside a container it stays an object.
#[test]
fn iterator_results_are_lazy() {
    let function = |returns: &str| serde_json::json!({"source": "stub", "fallbacks": [], "returns": returns, "parameters": []});
    let manifest = serde_json::json!({"version": "1", "symbols": {
        "tree": {"canonical": "tree", "doc": null, "kind": "module"},
        "tree.walk": {"canonical": "tree.walk", "doc": null, "kind": "function",
            "signature": function("Iterator[tuple[str, int]]")},
        "tree.batches": {"canonical": "tree.batches", "doc": null, "kind": "function",
            "signature": function("list[Iterator[int]]")},
        "tree.Node": {"canonical": "tree.Node", "doc": null, "kind": "class",
            "constructor": {"source": "inspect", "fallbacks": [], "returns": null, "parameters": []},
            "members": ["children"],
            "methods": {"children": {"binding": "instance", "doc": null,
                "signature": function("collections.abc.Generator[Self, None, None]")}},
            "attributes": {}},
    }});
    let output = render("tree", &manifest.to_string());
    syn_checks(&output);
    for expected in [
        "pub fn walk() -> snakegen::Result<snakegen::Iter<(String, i64)>>",
        ".map(|value| value.iter::<(String, i64)>())",
        "pub fn batches() -> snakegen::Result<Vec<snakegen::Object>>",
        "pub fn children(&self) -> snakegen::Result<snakegen::Iter<Node>>",
    ] {
        assert!(output.contains(expected), "{expected}\n{output}");
    }
}

/// A parameter annotated `Callable` (optional or not) takes a closure as
/// well as any value: `snakegen::Function`, with a marker per parameter.
#[test]
fn callable_parameters_take_closures() {
    let parameter = |name: &str, kind: &str, default: Option<&str>, annotation: &str| serde_json::json!({"name": name, "kind": kind, "default": default, "annotation": annotation});
    let signature = serde_json::json!({
        "source": "stub",
        "fallbacks": [],
        "returns": "list[int]",
        "parameters": [
            parameter("function", "POSITIONAL_ONLY", None, "Callable[[int], int]"),
            parameter("values", "POSITIONAL_ONLY", None, "list[int]"),
            parameter("key", "KEYWORD_ONLY", Some("None"), "None | Callable[[int], Any]"),
            parameter("reverse", "KEYWORD_ONLY", Some("False"), "bool"),
        ],
    });
    let manifest = serde_json::json!({"version": "1", "symbols": {
        "fold": {"canonical": "fold", "doc": null, "kind": "module"},
        "fold.apply": {"canonical": "fold.apply", "doc": null, "kind": "function", "signature": signature},
    }});
    let output = render("fold", &manifest.to_string());
    syn_checks(&output);
    for expected in [
        "pub fn apply<Marker0>(\n    function: impl snakegen::Function<Marker0>,\n    values: impl snakegen::IntoPy,\n)",
        "APPLY.call_extract::<Vec<i64>>((snakegen::Function::into_function(function), values))",
        "pub mod with {\n    #[allow(unused_imports)]\n    use super::*;\n    /// Like [`apply`](fn@super::apply)",
        "    pub fn apply<Marker0>(\n        function: impl snakegen::Function<Marker0>,",
        ".arg(snakegen::Function::into_function(function))",
        "pub fn key<Marker>(self, value: impl snakegen::Function<Marker>) -> Self",
        "pub fn reverse(self, value: impl snakegen::IntoPy) -> Self",
    ] {
        assert!(output.contains(expected), "{expected}\n{output}");
    }
}
