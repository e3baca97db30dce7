//! `VIRTUAL_ENV` is read once per process, before the first thing Python
//! runs for snakegen, so each way into Python gets a process of its own:
//! this test binary re-run as a child (the `entry` test, which does nothing
//! unless it is one) whose very first entry is the one under test.

use std::fs;
use std::process::Command;

use pyo3::prelude::*;
use snakegen::{Interpreter, Library, Object, Symbol, dynamic};

/// Set in a child: its first entry into Python.
const ENTRY: &str = "SNAKEGEN_VENV_TEST_ENTRY";

/// A conversion that imports, as a Rust type converting to a library's
/// type does (a `Vec` to a numpy array).
struct ImportsSympy;

impl<'py> IntoPyObject<'py> for ImportsSympy {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        py.import("sympy")?.getattr("origin")?.call0()
    }
}

/// The fake sympy's `origin()`, reached first through `entry`.
fn origin_through(entry: &str) -> String {
    match entry {
        "attach" => snakegen::attach(|py| {
            py.import("sympy")
                .and_then(|sympy| sympy.getattr("origin")?.call0()?.extract())
                .unwrap()
        }),
        "object" => Object::new(ImportsSympy).unwrap().extract().unwrap(),
        "symbol" => {
            let interpreter = Interpreter::new("cpython", python3_version());
            let library: &'static Library =
                Box::leak(Box::new(Library::stdlib("sympy", interpreter)));
            Symbol::new(library, "sympy", "origin")
                .call_extract(())
                .unwrap()
        }
        "dynamic" => dynamic::call("sympy", "origin", ())
            .unwrap()
            .extract()
            .unwrap(),
        _ => panic!("unknown entry {entry}"),
    }
}

/// Asked of `python3` outside this process, so that asking does not enter
/// Python here.
fn python3_version() -> &'static str {
    let output = Command::new("python3")
        .args(["-c", "import platform; print(platform.python_version())"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let version = String::from_utf8(output.stdout).unwrap();
    Box::leak(version.trim().to_owned().into_boxed_str())
}

/// The child's side; a no-op in a normal test run.
#[test]
fn entry() {
    let Ok(entry) = std::env::var(ENTRY) else {
        return;
    };
    assert_eq!(origin_through(&entry), "venv", "first entry: {entry}");
    // `.pth` files are how editable installs reach `sys.path`.
    let pth = dynamic::call("snakegen_pth_probe", "origin", ()).unwrap();
    assert_eq!(pth.extract::<String>().unwrap(), "pth");
    // The base interpreter's sympy is still on the path (the fake one has
    // no metadata), so the venv's did shadow it.
    assert!(
        dynamic::call("importlib.metadata", "version", ("sympy",)).is_ok(),
        "the base interpreter has sympy"
    );
}

#[test]
fn a_virtual_envs_packages_come_first_whichever_entry_is_first() {
    let venv = tempfile::tempdir().unwrap();
    let minor_version = python3_version().rsplit_once('.').unwrap().0;
    let site_packages = venv
        .path()
        .join("lib")
        .join(format!("python{minor_version}"))
        .join("site-packages");
    fs::create_dir_all(site_packages.join("sympy")).unwrap();
    fs::write(
        site_packages.join("sympy").join("__init__.py"),
        "def origin():\n    return 'venv'\n",
    )
    .unwrap();
    let extra = venv.path().join("extra");
    fs::create_dir_all(&extra).unwrap();
    fs::write(
        extra.join("snakegen_pth_probe.py"),
        "def origin():\n    return 'pth'\n",
    )
    .unwrap();
    fs::write(
        site_packages.join("snakegen_probe.pth"),
        format!("{}\n", extra.display()),
    )
    .unwrap();

    let failed: Vec<String> = ["attach", "object", "symbol", "dynamic"]
        .into_iter()
        .filter_map(|entry| {
            let output = Command::new(std::env::current_exe().unwrap())
                .args(["entry", "--exact", "--nocapture", "--test-threads=1"])
                .env(ENTRY, entry)
                .env("VIRTUAL_ENV", venv.path())
                .output()
                .unwrap();
            (!output.status.success()).then(|| {
                format!(
                    "first entry {entry}:\n{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                )
            })
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
