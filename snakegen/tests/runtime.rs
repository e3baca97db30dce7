//! The runtime against the real interpreter: calls, conversions, errors,
//! wrappers and the environment checks the adapters rely on.

use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use snakegen::{Dict, ErrorKind, Interpreter, Library, Object, Symbol, dict};

mod common;

use common::{python, python_object};

/// Set in a child: which scenario it plays (see `child`).
const ROLE: &str = "SNAKEGEN_RUNTIME_TEST_ROLE";

/// What `python3` reports, asked outside this process: the tests must not
/// assume a version.
fn python3(expression: &str) -> String {
    python(&format!("print({expression})"))
}

/// An object whose `str` and `repr` raise.
fn unprintable() -> Object {
    python_object(
        "class Bad:\n    def __str__(self): return 1 / 0\n    __repr__ = __str__\nbad = Bad()",
        "bad",
    )
}

fn live_python_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| python3("__import__('platform').python_version()"))
}

fn stdlib(module: &'static str) -> &'static Library {
    let interpreter = Interpreter::new("cpython", live_python_version());
    Box::leak(Box::new(Library::stdlib(module, interpreter)))
}

fn symbol(library: &'static Library, module: &'static str, name: &'static str) -> Symbol {
    Symbol::new(library, module, name)
}

#[test]
fn calls_a_cached_function_and_extracts_the_result() {
    let sqrt = symbol(stdlib("math"), "math", "sqrt");
    for _ in 0..3 {
        assert_eq!(
            sqrt.call((2.0,)).unwrap().extract::<f64>().unwrap(),
            2f64.sqrt()
        );
    }
    assert_eq!(sqrt.call((16,)).unwrap().extract::<f64>().unwrap(), 4.0);
}

#[test]
fn calls_with_the_attached_token_as_by_themselves() {
    let sqrt = symbol(stdlib("math"), "math", "sqrt");
    let (typed, untyped, error) = snakegen::attach(|py| {
        (
            sqrt.call_extract_attached::<f64>(py, (2.0,)).unwrap(),
            sqrt.call_attached(py, (9,)).unwrap().str(py).unwrap(),
            sqrt.call_extract_attached::<f64>(py, (-1.0,)).unwrap_err(),
        )
    });
    assert_eq!(typed, 2f64.sqrt());
    assert_eq!(untyped, "3.0");
    assert_eq!(
        error.to_string(),
        sqrt.call((-1.0,)).unwrap_err().to_string()
    );
}

#[test]
fn reads_module_values_live() {
    let pi = symbol(stdlib("math"), "math", "pi");
    assert_eq!(
        pi.value().unwrap().extract::<f64>().unwrap(),
        std::f64::consts::PI
    );
}

#[test]
fn keyword_arguments_and_kwargs_reach_python() {
    let dumps = symbol(stdlib("json"), "json", "dumps");
    let point = BTreeMap::from([("y", 2), ("x", 1)]);
    let text = dumps
        .call_with()
        .arg(&point)
        .kwarg("sort_keys", true)
        .kwargs([("separators", (",", ":"))])
        .call()
        .unwrap();
    assert_eq!(text.extract::<String>().unwrap(), r#"{"x":1,"y":2}"#);
}

#[test]
fn dict_keeps_the_key_order_given_as_any_argument() {
    let made = Object::new(dict([("b", 1), ("a", 2)])).unwrap();
    assert_eq!(format!("{made:?}"), "{'b': 1, 'a': 2}");
    let keys: Vec<String> = snakegen::dynamic::call("builtins", "list", (made,))
        .unwrap()
        .extract()
        .unwrap();
    assert_eq!(keys, ["b", "a"]);

    // Positional, through a tuple and through the builder.
    let list = symbol(stdlib("builtins"), "builtins", "list");
    let ordered = dict([("zeta", 1.5), ("alpha", 2.5), ("mid", 0.0)]);
    for listed in [
        list.call((&ordered,)).unwrap(),
        list.call_with().arg(&ordered).call().unwrap(),
        list.call_with().positional((&ordered,)).call().unwrap(),
    ] {
        assert_eq!(
            listed.extract::<Vec<String>>().unwrap(),
            ["zeta", "alpha", "mid"]
        );
    }
    // By keyword: `json.dumps(obj=..)` writes the keys in the dict's order.
    let dumps = symbol(stdlib("json"), "json", "dumps");
    let text = dumps
        .call_with()
        .kwarg("obj", dict([("b", 1), ("a", 2)]))
        .call()
        .unwrap();
    assert_eq!(text.to_string(), r#"{"b": 1, "a": 2}"#);
    let text = snakegen::dynamic::call_with("json", "dumps")
        .arg(dict([("b", 1), ("a", 2)]))
        .kwarg("sort_keys", true)
        .call()
        .unwrap();
    assert_eq!(text.to_string(), r#"{"a": 2, "b": 1}"#);

    // As Python's `dict([..])`: a repeated key keeps its first place and
    // its last value.
    let repeated = Object::new(dict([("a", 1), ("b", 2), ("a", 3)])).unwrap();
    assert_eq!(format!("{repeated:?}"), "{'a': 3, 'b': 2}");
    // Collected, nested, and with values of different types as objects.
    let collected: Dict<String, usize> = (0..3).map(|i| (format!("k{}", 2 - i), i)).collect();
    let rows = Object::new(vec![collected.clone(), collected]).unwrap();
    assert_eq!(
        format!("{rows:?}"),
        "[{'k2': 0, 'k1': 1, 'k0': 2}, {'k2': 0, 'k1': 1, 'k0': 2}]"
    );
    let columns = dict([
        ("name", Object::new(vec!["x", "y"]).unwrap()),
        ("size", Object::new(vec![1.5, 2.5]).unwrap()),
    ]);
    assert_eq!(
        format!("{:?}", Object::new(&columns).unwrap()),
        "{'name': ['x', 'y'], 'size': [1.5, 2.5]}"
    );
    // A `Vec` of pairs is still a list of tuples.
    let pairs = Object::new(vec![("b", 1), ("a", 2)]).unwrap();
    assert_eq!(format!("{pairs:?}"), "[('b', 1), ('a', 2)]");
    // An unhashable key is Python's `TypeError`, returned by the call.
    let error = dumps
        .call_with()
        .arg(dict([(vec![1], 1)]))
        .call()
        .unwrap_err();
    assert_eq!(error.python_type(), Some("TypeError"), "{error}");
}

#[test]
fn positional_slots_and_var_positional_keep_their_order() {
    let library = stdlib("builtins");
    let slice = symbol(library, "builtins", "slice");
    let made = slice
        .call_with()
        .arg(1)
        .arg_at(2, 3)
        .arg_at(1, 10)
        .call()
        .unwrap();
    assert_eq!(format!("{made:?}"), "slice(1, 10, 3)");

    let gap = slice.call_with().arg(1).arg_at(2, 3).call().unwrap_err();
    assert_eq!(gap.kind(), ErrorKind::Argument);
    assert!(
        gap.message().contains("positional argument 1 is not set"),
        "{gap}"
    );

    let hypot = symbol(stdlib("math"), "math", "hypot");
    let value = hypot.call_with().args([3.0, 4.0]).call().unwrap();
    assert_eq!(value.extract::<f64>().unwrap(), 5.0);
}

#[test]
fn positional_tuples_fill_parameters_in_order_and_python_checks_the_arity() {
    let library = stdlib("builtins");
    let slice = symbol(library, "builtins", "slice");
    let made = slice.call_with().positional((1, 10, 3)).call().unwrap();
    assert_eq!(format!("{made:?}"), "slice(1, 10, 3)");
    // A setter's slot after the tuple's.
    let made = slice
        .call_with()
        .positional((1, 10))
        .arg_at(2, 3)
        .call()
        .unwrap();
    assert_eq!(format!("{made:?}"), "slice(1, 10, 3)");
    // A slot the tuple filled is not replaced.
    let twice = slice
        .call_with()
        .positional((1, 10))
        .arg_at(1, 3)
        .call()
        .unwrap_err();
    assert_eq!(twice.kind(), ErrorKind::Argument);
    assert!(twice.message().contains("given twice"), "{twice}");
    // Too many: Python's TypeError, returned, not a panic.
    let too_many = slice
        .call_with()
        .positional((1, 2, 3, 4))
        .call()
        .unwrap_err();
    assert_eq!(too_many.python_type(), Some("TypeError"), "{too_many}");
    // `*args` after the tuple.
    let hypot = symbol(stdlib("math"), "math", "hypot");
    let value = hypot
        .call_with()
        .positional((3.0,))
        .args([4.0])
        .call()
        .unwrap();
    assert_eq!(value.extract::<f64>().unwrap(), 5.0);
}

#[test]
fn python_exceptions_become_errors_with_type_message_and_traceback() {
    let sqrt = symbol(stdlib("math"), "math", "sqrt");
    let error = sqrt.call((-1.0,)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Python);
    assert_eq!(error.python_type(), Some("ValueError"));
    assert_eq!(error.message(), "math domain error");
    assert_eq!(error.to_string(), "ValueError: math domain error");
    // Raised in C with no Python frame: the traceback is the summary line,
    // which `Debug` does not repeat.
    assert_eq!(error.traceback(), Some("ValueError: math domain error\n"));
    assert_eq!(format!("{error:?}"), "ValueError: math domain error");

    let loads = symbol(stdlib("json"), "json", "loads");
    let error = loads.call(("{",)).unwrap_err();
    assert_eq!(error.python_type(), Some("JSONDecodeError"));
    let traceback = error.traceback().expect("Python raised inside json");
    assert!(
        traceback.starts_with("Traceback (most recent call last):"),
        "{traceback}"
    );
    let debug = format!("{error:?}");
    assert!(
        debug.starts_with("JSONDecodeError: Expecting property name")
            && debug.contains("\n\nTraceback (most recent call last):\n")
            && debug.contains("json/decoder.py"),
        "{debug}"
    );
}

#[test]
fn tracebacks_include_chained_exceptions() {
    let code =
        "try:\n    1 / 0\nexcept ZeroDivisionError as error:\n    raise KeyError('k') from error\n";
    let error = snakegen::dynamic::call("builtins", "exec", (code, BTreeMap::<String, i64>::new()))
        .unwrap_err();
    assert_eq!(error.to_string(), "KeyError: 'k'");
    let traceback = error.traceback().unwrap();
    assert!(
        traceback.contains("ZeroDivisionError: division by zero")
            && traceback.contains("The above exception was the direct cause")
            && traceback.ends_with("KeyError: 'k'\n"),
        "{traceback}"
    );
}

#[test]
fn objects_display_as_str_and_debug_as_repr() {
    let a = Object::new("a").unwrap();
    assert_eq!(
        (a.to_string(), format!("{a:?}")),
        ("a".into(), "'a'".into())
    );
    let text = Object::new("a'b").unwrap();
    assert_eq!(text.to_string(), "a'b");
    assert_eq!(format!("{text:?}"), r#""a'b""#);
    let copy = text.clone();
    assert_eq!(
        copy.getattr("upper").unwrap().call(()).unwrap().to_string(),
        "A'B"
    );
    assert_eq!(
        text.call_method("count", ("'",))
            .unwrap()
            .extract::<i64>()
            .unwrap(),
        1
    );
}

#[test]
fn an_object_whose_str_raises_still_formats() {
    let bad = unprintable();
    assert_eq!(bad.to_string(), "<unprintable Bad object>");
    assert_eq!(format!("{bad:?}"), "<unprintable Bad object>");
}

struct Fraction(Object);
snakegen::wrapper!(Fraction);

#[test]
fn wrappers_convert_both_ways() {
    let library = stdlib("fractions");
    let class = symbol(library, "fractions", "Fraction");
    let three_quarters = Fraction(class.call((3, 4)).unwrap());
    assert_eq!(three_quarters.to_string(), "3/4");
    assert_eq!(format!("{three_quarters:?}"), "Fraction(3, 4)");

    // By reference and by value into a call, and back out of a result.
    let operator = stdlib("operator");
    let add = symbol(operator, "operator", "add");
    let sum = add.call((&three_quarters, three_quarters.clone())).unwrap();
    let sum: Fraction = sum.extract().unwrap();
    assert_eq!(sum.to_string(), "3/2");
    let as_object: Object = sum.into();
    assert_eq!(Fraction::from(as_object).as_ref().to_string(), "3/2");

    let from_float = class.call_method("from_float", (0.5,)).unwrap();
    assert_eq!(from_float.to_string(), "1/2");
    let limited = class
        .call_method_with("from_float")
        .arg(std::f64::consts::PI)
        .call()
        .unwrap()
        .call_method_with("limit_denominator")
        .kwarg("max_denominator", 100)
        .call()
        .unwrap();
    assert_eq!(limited.to_string(), "311/99");
}

#[test]
fn objects_cross_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Object>();
    assert_send_sync::<snakegen::Error>();
    let value = Object::new(vec![1, 2, 3]).unwrap();
    let length = std::thread::spawn(move || {
        value
            .call_method("__len__", ())
            .unwrap()
            .extract::<i64>()
            .unwrap()
    });
    assert_eq!(length.join().unwrap(), 3);
}

#[test]
fn attach_batches_calls() {
    let sqrt = symbol(stdlib("math"), "math", "sqrt");
    let total = snakegen::attach(|_py| {
        (1..=4)
            .map(|n| sqrt.call((n * n,)).unwrap().extract::<f64>().unwrap())
            .sum::<f64>()
    });
    assert_eq!(total, 10.0);
}

/// Runs this binary's `child` test as a process playing `role`, and kills
/// it if it has not finished in a minute: a deadlock fails the test
/// instead of hanging it.
fn run_child(role: &str) -> Output {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "`{role}` did not finish (a deadlock?):\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "`{role}` failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The child's side of the scenarios that need a process of their own; a
/// no-op in a normal test run.
#[test]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    match role.as_str() {
        "patch-release" => patch_release(),
        "lock-holder-attaches" => lock_holder_attaches(),
        _ => panic!("unknown role {role}"),
    }
}

/// The live version with another patch number: `3.11.8` for `3.11.7`.
fn another_patch_release() -> &'static str {
    let live = live_python_version();
    let (minor, patch) = live.rsplit_once('.').unwrap();
    let patch = patch.parse::<u32>().map_or(0, |patch| patch + 1);
    Box::leak(format!("{minor}.{patch}").into_boxed_str())
}

/// Two libraries generated a patch release apart, each used twice.
fn patch_release() {
    let interpreter = Interpreter::new("cpython", another_patch_release());
    let math: &'static Library = Box::leak(Box::new(Library::stdlib("math", interpreter)));
    let json: &'static Library = Box::leak(Box::new(Library::stdlib("json", interpreter)));
    for _ in 0..2 {
        let root = symbol(math, "math", "sqrt").call_extract::<f64>((4.0,));
        assert_eq!(root.unwrap(), 2.0);
        let text = symbol(json, "json", "dumps").call_extract::<String>((1,));
        assert_eq!(text.unwrap(), "1");
    }
}

#[test]
fn a_patch_release_apart_is_accepted_with_one_warning() {
    let output = run_child("patch-release");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("snakegen: warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].contains(&format!(
            "generated against cpython {}, and this process embeds cpython {}",
            another_patch_release(),
            live_python_version()
        )),
        "{stderr}"
    );
}

#[test]
fn another_interpreter_version_is_an_environment_error() {
    let live = live_python_version();
    let (major, rest) = live.split_once('.').unwrap();
    let minor: u32 = rest.split('.').next().unwrap().parse().unwrap();
    let next_minor = format!("{major}.{}.0", minor + 1);
    for version in ["2.0.0", &next_minor] {
        let interpreter = Interpreter::new("cpython", Box::leak(version.into()));
        let library: &'static Library = Box::leak(Box::new(Library::stdlib("math", interpreter)));
        let error = symbol(library, "math", "sqrt").call((2.0,)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Environment);
        let message = error.to_string();
        assert!(
            message.contains(&format!("generated against cpython {version}")),
            "{message}"
        );
        assert!(
            message.contains(&format!("embeds cpython {live}")),
            "{message}"
        );
        assert!(message.contains("rpath"), "{message}");
        assert!(message.contains("sys.prefix /"), "{message}");
    }
}

#[test]
fn a_library_that_failed_is_not_imported_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("snakegen_fails_to_import.py"),
        "import sys\n\
         sys.snakegen_import_attempts = getattr(sys, 'snakegen_import_attempts', 0) + 1\n\
         raise ImportError('broken on purpose')\n",
    )
    .unwrap();
    let path = snakegen::dynamic::getattr("sys", "path").unwrap();
    path.call_method("insert", (0, dir.path().to_str().unwrap()))
        .unwrap();

    let library = stdlib("snakegen_fails_to_import");
    let f = symbol(library, "snakegen_fails_to_import", "f");
    let g = symbol(library, "snakegen_fails_to_import", "g");
    let errors = [
        f.call(()).unwrap_err(),
        f.call(()).unwrap_err(),
        g.call(()).unwrap_err(),
        g.value().unwrap_err(),
    ];
    for error in &errors {
        assert_eq!(error.kind(), ErrorKind::Environment);
        assert_eq!(error.message(), errors[0].message());
    }
    assert!(
        errors[0].message().contains("broken on purpose"),
        "{}",
        errors[0]
    );
    let attempts = snakegen::dynamic::getattr("sys", "snakegen_import_attempts").unwrap();
    assert_eq!(attempts.extract::<i64>().unwrap(), 1);
}

#[test]
fn another_library_version_is_an_environment_error() {
    let installed = python3("__import__('importlib.metadata').metadata.version('sympy')");
    let interpreter = Interpreter::new("cpython", live_python_version());
    let library: &'static Library = Box::leak(Box::new(Library::distribution(
        "sympy",
        "sympy",
        "0.0.1",
        interpreter,
    )));
    let error = symbol(library, "sympy", "sqrt").call((4,)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Environment);
    let message = error.to_string();
    assert!(
        message.contains(&format!(
            "generated against sympy 0.0.1, but {installed} is installed"
        )),
        "{message}"
    );

    let matching: &'static Library = Box::leak(Box::new(Library::distribution(
        "sympy",
        "sympy",
        Box::leak(installed.into_boxed_str()),
        interpreter,
    )));
    assert_eq!(
        symbol(matching, "sympy", "sqrt")
            .call((4,))
            .unwrap()
            .to_string(),
        "2"
    );
}

#[test]
fn a_missing_library_says_what_to_install() {
    let library = stdlib("snakegen_no_such_module");
    let error = symbol(library, "snakegen_no_such_module", "f")
        .call(())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Environment);
    let message = error.to_string();
    assert!(message.contains("ModuleNotFoundError"), "{message}");
    assert!(
        message.contains("pip install snakegen_no_such_module"),
        "{message}"
    );
}

#[test]
fn operators_follow_python() {
    let class = symbol(stdlib("fractions"), "fractions", "Fraction");
    let half = Fraction(class.call((1, 2)).unwrap());
    // Through `Deref`, as generated wrappers get them.
    assert_eq!(half.add(1).unwrap().to_string(), "3/2");
    assert_eq!(half.mul(&half).unwrap().to_string(), "1/4");
    assert_eq!(half.pow(2).unwrap().to_string(), "1/4");
    assert_eq!(half.neg().unwrap().to_string(), "-1/2");
    assert_eq!(
        half.div(0.5).unwrap().to_string(),
        "1.0",
        "Fraction / float is a float"
    );
    assert!(half.lt(1).unwrap() && half.eq(0.5).unwrap() && half.ne(1).unwrap());
    let error = half.add("text").unwrap_err();
    assert_eq!(error.python_type(), Some("TypeError"));

    let list = Object::new(vec![10, 20, 30]).unwrap();
    assert_eq!(
        (
            list.len().unwrap(),
            list.get_item(1).unwrap().extract::<i64>().unwrap()
        ),
        (3, 20)
    );
    assert_eq!(
        list.floor_div(1).unwrap_err().python_type(),
        Some("TypeError")
    );
}

#[test]
fn a_wrong_argument_type_is_pythons_type_error() {
    let sqrt = symbol(stdlib("math"), "math", "sqrt");
    let error = sqrt.call(("four",)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Python);
    assert_eq!(error.to_string(), "TypeError: must be real number, not str");
}

#[test]
fn a_result_that_does_not_convert_says_what_to_what() {
    let factorial = symbol(stdlib("math"), "math", "factorial");
    let error = factorial.call_extract::<i64>((30,)).unwrap_err();
    assert_eq!(error.python_type(), Some("OverflowError"));
    assert_eq!(
        error.to_string(),
        "OverflowError: cannot convert 265252859812191058636308480000000 (int) to i64: \
         Python int too large to convert to C long"
    );
    let loads = symbol(stdlib("json"), "json", "loads");
    let list = loads.call(("[1, 2]",)).unwrap();
    let error = list.extract::<String>().unwrap_err();
    assert_eq!(
        format!("{error:?}"),
        "TypeError: cannot convert [1, 2] (list) to String: 'list' object is not an instance of 'str'"
    );
    let error = list.extract::<(i64, Vec<String>)>().unwrap_err();
    assert!(
        error
            .message()
            .starts_with("cannot convert [1, 2] (list) to (i64, Vec<String>): "),
        "{error}"
    );
    // Long values are cut.
    let long = loads.call((format!("[{}1]", "1, ".repeat(50)),)).unwrap();
    let message = long.extract::<f64>().unwrap_err().to_string();
    assert!(message.contains("1, 1, 1... (list) to f64"), "{message}");
}

/// The generated adapters' form: a named field, so that a function of the
/// class's name (`sympy::sin(&x)`) can live next to the struct.
#[allow(non_camel_case_types)]
struct fraction {
    object: Object,
}
snakegen::wrapper!(fraction, object);

#[allow(dead_code)]
fn fraction() {}

#[test]
fn wrappers_with_a_named_field_convert_both_ways() {
    let class = symbol(stdlib("fractions"), "fractions", "Fraction");
    let half = fraction::from(class.call((1, 2)).unwrap());
    assert_eq!(format!("{half} {half:?}"), "1/2 Fraction(1, 2)");
    let add = symbol(stdlib("operator"), "operator", "add");
    let one: fraction = add.call((&half, half.clone())).unwrap().extract().unwrap();
    assert_eq!(Object::from(one).to_string(), "1");
}

#[test]
fn objects_are_hash_map_keys_by_python_equality() {
    use std::collections::{HashMap, HashSet};
    // 1 == 1.0 == True in Python, with one hash: one key.
    let keys: HashSet<Object> = [
        Object::new(1).unwrap(),
        Object::new(1.0).unwrap(),
        Object::new(true).unwrap(),
        Object::new("1").unwrap(),
    ]
    .into_iter()
    .collect();
    assert_eq!(keys.len(), 2);
    // An unhashable object is a key by identity, and a dict built from it
    // raises Python's TypeError.
    let list = Object::new(vec![1, 2]).unwrap();
    assert!(list == list.clone());
    // ... and only by identity, so that equal keys never hash apart.
    assert!(list != Object::new(vec![1, 2]).unwrap());
    // `Eq` is reflexive even where Python's `==` is not.
    let nan = Object::new(f64::NAN).unwrap();
    assert!(nan == nan.clone());
    assert!(nan != Object::new(f64::NAN).unwrap());
    let unhashable: HashMap<Object, i64> = [(list, 1)].into_iter().collect();
    let dict = symbol(stdlib("builtins"), "builtins", "dict");
    let error = dict.call((unhashable,)).unwrap_err();
    assert_eq!(error.python_type(), Some("TypeError"));
    // A dict result extracts with object keys.
    let loads = symbol(stdlib("json"), "json", "loads");
    let map: HashMap<Object, i64> = loads.call((r#"{"a": 1}"#,)).unwrap().extract().unwrap();
    assert_eq!(map[&Object::new("a").unwrap()], 1);
}

#[test]
fn a_function_that_reads_its_callers_frame_gets_one() {
    // `_getframe(1)` from a call out of Rust: there is no caller frame
    // unless the runtime provides one.
    let run = symbol(stdlib("builtins"), "builtins", "exec");
    run.call((
        "import sys\ndef caller_module():\n    return sys._getframe(1).f_globals['__name__']\nsys.modules['__main__'].caller_module = caller_module\n",
        std::collections::HashMap::<String, i64>::new(),
    ))
    .unwrap();
    let caller = symbol(stdlib("__main__"), "__main__", "caller_module");
    assert_eq!(
        caller.call(()).unwrap().extract::<String>().unwrap(),
        "snakegen_frame"
    );
    let direct = snakegen::dynamic::call("__main__", "caller_module", ()).unwrap();
    assert_eq!(direct.extract::<String>().unwrap(), "snakegen_frame");
}

#[test]
fn an_iterator_extracts_to_a_vec() {
    let iter = symbol(stdlib("builtins"), "builtins", "iter");
    let numbers: Vec<i64> = iter.call((vec![3, 1, 2],)).unwrap().extract().unwrap();
    assert_eq!(numbers, [3, 1, 2]);
    let pairs: Vec<(i64, String)> = symbol(stdlib("builtins"), "builtins", "enumerate")
        .call((vec!["a"],))
        .unwrap()
        .extract()
        .unwrap();
    assert_eq!(pairs, [(0, "a".to_owned())]);
}

#[test]
fn token_taking_variants_agree_with_the_traits() {
    use std::hash::BuildHasher;
    let hasher = std::hash::RandomState::new();
    let values = [
        Object::new(1).unwrap(),
        Object::new(1.0).unwrap(),
        Object::new(true).unwrap(),
        Object::new("1").unwrap(),
        Object::new(f64::NAN).unwrap(),
        Object::new(vec![1, 2]).unwrap(),
    ];
    snakegen::attach(|py| {
        for a in &values {
            let copy = a.clone_ref(py);
            assert!(copy.bind(py).is(a.bind(py)));
            assert!(copy.eq_key(py, a), "{a:?} is the same key as itself");
            assert_eq!(a.str(py).unwrap(), a.to_string());
            assert_eq!(a.repr(py).unwrap(), format!("{a:?}"));
            assert_eq!(hasher.hash_one(a), hasher.hash_one(a.hash_key(py)));
            for b in &values {
                assert_eq!(a.eq_key(py, b), a == b, "{a:?} and {b:?}");
                if a.eq_key(py, b) {
                    assert_eq!(a.hash_key(py), b.hash_key(py), "{a:?} and {b:?}");
                }
            }
        }
        // 1 == 1.0 == True in Python; "1" is another key.
        assert!(values[0].eq_key(py, &values[1]) && values[1].eq_key(py, &values[2]));
        assert!(!values[0].eq_key(py, &values[3]));
        assert_eq!(values[0].hash_key(py), 1);
        // Unhashable and unequal-to-itself objects are keys by identity.
        let (nan, list) = (&values[4], &values[5]);
        assert!(!nan.eq_key(py, &Object::new(f64::NAN).unwrap()));
        assert!(!list.eq_key(py, &Object::new(vec![1, 2]).unwrap()));
        assert_eq!(list.hash_key(py), list.bind(py).as_ptr() as isize);
    });

    // Where `Display` and `Debug` fall back, `str` and `repr` say why.
    let bad = unprintable();
    snakegen::attach(|py| {
        for error in [bad.str(py).unwrap_err(), bad.repr(py).unwrap_err()] {
            assert_eq!(error.to_string(), "ZeroDivisionError: division by zero");
        }
        assert_eq!(format!("{}", bad.bind(py)), "<unprintable Bad object>");
    });
}

/// The deadlock `Object`'s documentation describes, with its cure: a thread
/// holds a `Mutex` and clones an object (which attaches), while another is
/// attached and waits for the `Mutex`. Waiting with `lock_py_attached`
/// detaches, so the holder can attach and finish. A plain `lock()` there
/// hangs for good (the child is killed and the test fails).
fn lock_holder_attaches() {
    use std::sync::{Arc, Mutex, mpsc};

    use snakegen::MutexExt;

    let shared = Arc::new(Mutex::new(Object::new("shared").unwrap()));
    let (locked, is_locked) = mpsc::channel();
    let (attached, is_attached) = mpsc::channel();
    let holder = std::thread::spawn({
        let shared = Arc::clone(&shared);
        move || {
            let guard = shared.lock().unwrap();
            locked.send(()).unwrap();
            is_attached.recv().unwrap();
            let copy = guard.clone();
            drop(guard);
            copy.to_string()
        }
    });
    let waiter = std::thread::spawn(move || {
        is_locked.recv().unwrap();
        snakegen::attach(|py| {
            attached.send(()).unwrap();
            let guard = shared.lock_py_attached(py).unwrap();
            guard.str(py).unwrap()
        })
    });
    assert_eq!(holder.join().unwrap(), "shared");
    assert_eq!(waiter.join().unwrap(), "shared");
}

#[test]
fn a_thread_waiting_for_a_lock_detached_lets_the_holder_attach() {
    run_child("lock-holder-attaches");
}
