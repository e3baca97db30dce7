//! Calls that mean what Python means: a module-level object's methods
//! (`scipy.stats.norm.cdf`), keywords a callable takes through `**kwargs`,
//! result types that depend on the symbol alone, and a call with Python's
//! optional positional arguments that either means what Python means or
//! fails with the `call!` form in rustc's error.

mod common;

use common::{Crate, assert_fails, assert_success};

const LIBRARIES: &str = "sqlite3 = \"stdlib\"\nscipy = \">=1.10\"\ncollections = \"stdlib\"\nitertools = \"stdlib\"\nhashlib = \"stdlib\"";

const MAIN: &str = r#"
mod py;

use py::collections::Counter;
use py::scipy::stats;
use snakegen::call;

fn main() -> snakegen::Result<()> {
    // `connect(database)` matches the stub's overload that returns a
    // `Connection`, and `execute` a `Cursor`, whatever else the crate uses.
    let conn = py::sqlite3::connect(":memory:")?;
    conn.execute("create table t (x)")?;
    call!(conn.execute("insert into t values (?)", (41,)))?;
    let cursor = conn.execute("select x + 1 from t")?;
    println!("{:?}", cursor.fetchall()?);
    // A module-level object: its methods through its name, keywords
    // through `**kwds`, the object itself, and a call of it.
    println!("{}", stats::norm::cdf(1.96)?);
    println!("{}", call!(stats::norm::ppf(0.975, loc = 1.0, scale = 2.0))?);
    println!("{}", stats::norm::object()?.getattr("name")?);
    let frozen = call!(stats::norm(loc = 3.0))?;
    println!("{}", call!(frozen.mean())?);
    // Optional positional arguments, as Python passes them.
    let counter = Counter::new_with().iterable("abracadabra").call()?;
    println!("{:?}", call!(counter.most_common(2))?);
    println!("{}", call!(py::itertools::count(10))?);
    println!("{}", call!(call!(py::hashlib::sha256(b"abc".as_slice()))?.hexdigest())?);
    Ok(())
}
"#;

const RPATH_BUILD_SCRIPT: &str = include_str!("../../examples/symbolic/build.rs");

const PYTHON: &str = r#"
import sqlite3, collections, itertools, hashlib
from scipy import stats
conn = sqlite3.connect(":memory:")
conn.execute("create table t (x)")
conn.execute("insert into t values (?)", (41,))
print(conn.execute("select x + 1 from t").fetchall())
print(stats.norm.cdf(1.96))
print(stats.norm.ppf(0.975, loc=1.0, scale=2.0))
print(stats.norm.name)
print(stats.norm(loc=3.0).mean())
print(collections.Counter("abracadabra").most_common(2))
print(itertools.count(10))
print(hashlib.sha256(b"abc").hexdigest())
"#;

#[test]
fn natural_calls_print_what_python_prints() {
    // scipy is not in the system's Python: the binary needs the rpath to
    // the runtime's libpython, as the README's build script gives it.
    let krate = Crate::new(
        "natural_calls",
        LIBRARIES,
        &[("src/main.rs", MAIN), ("build.rs", RPATH_BUILD_SCRIPT)],
    );
    assert_success(&krate.snakegen(&[]));
    let run = krate.cargo(&["run", "--quiet"], &[]);
    assert_success(&run);
    let printed = String::from_utf8(run.stdout).unwrap();
    assert_eq!(printed, krate.python(PYTHON));
    assert_eq!(printed.lines().count(), 8, "every line is compared");
}

/// The signature of `execute` is the same whether or not another file
/// names `Cursor`, and after that file is gone again.
#[test]
fn a_result_type_depends_on_the_symbol_alone() {
    let main = r#"
mod py;

fn main() -> snakegen::Result<()> {
    let conn = py::sqlite3::connect(":memory:")?;
    let cursor = conn.execute("select 1")?;
    println!("{:?}", cursor.fetchall()?);
    Ok(())
}
"#;
    let krate = Crate::new(
        "stable_signatures",
        "sqlite3 = \"stdlib\"",
        &[("src/main.rs", main)],
    );
    let execute = |krate: &Crate| {
        let adapters = krate.read("src/py/sqlite3.rs");
        adapters
            .lines()
            .find(|line| line.contains("pub fn execute("))
            .unwrap_or_else(|| panic!("no execute in\n{adapters}"))
            .to_owned()
    };
    assert_success(&krate.snakegen(&[]));
    let alone = execute(&krate);
    assert!(alone.contains("snakegen::Result<Cursor>"), "{alone}");

    krate.write("src/main.rs", &format!("mod other;\n{main}"));
    krate.write(
        "src/other.rs",
        "#[allow(dead_code)]\npub fn first(cursor: crate::py::sqlite3::Cursor) -> snakegen::Result<snakegen::Object> { cursor.fetchone() }\n",
    );
    assert_success(&krate.snakegen(&[]));
    assert_eq!(
        execute(&krate),
        alone,
        "naming Cursor elsewhere changes nothing"
    );

    krate.write("src/main.rs", main);
    std::fs::remove_file(krate.root().join("src/other.rs")).unwrap();
    assert_success(&krate.snakegen(&["prune"]));
    assert_eq!(execute(&krate), alone, "nor does dropping that file");
    let run = krate.cargo(&["run", "--quiet"], &[]);
    assert_success(&run);
    assert_eq!(String::from_utf8(run.stdout).unwrap(), "[(1,)]\n");
}

/// `hashlib.sha256(data)` and `counter.most_common(3)` with Python's
/// argument count: the direct function takes only the required arguments,
/// and rustc's error quotes its definition line, which shows the `call!`
/// form that passes the optional ones.
#[test]
fn optional_positionals_fail_to_compile_showing_the_call_form() {
    let main = r#"
mod py;

fn main() -> snakegen::Result<()> {
    let digest = py::hashlib::sha256(b"abc".as_slice())?;
    let counter = py::collections::Counter::new()?;
    let top = counter.most_common(3)?;
    let numbers = py::itertools::count(10)?;
    println!("{digest} {top:?} {numbers}");
    Ok(())
}
"#;
    let krate = Crate::new(
        "optional_positionals",
        "collections = \"stdlib\"\nitertools = \"stdlib\"\nhashlib = \"stdlib\"",
        &[("src/main.rs", main)],
    );
    assert_success(&krate.snakegen(&[]));
    let build = krate.cargo(&["build", "--quiet"], &[]);
    assert!(!build.status.success());
    let errors = String::from_utf8(build.stderr).unwrap();
    for form in [
        "call!(hashlib::sha256(string))",
        "call!(x.most_common(n))",
        "call!(itertools::count(start, step))",
    ] {
        assert!(errors.contains(form), "no `{form}` in:\n{errors}");
    }
}

#[test]
fn a_path_past_a_module_level_object_says_what_the_object_is() {
    let main = r#"
mod py;

fn main() -> snakegen::Result<()> {
    println!("{}", py::scipy::stats::norm::cdf(1.0)?);
    println!("{}", py::scipy::stats::norm::cdff(1.0)?);
    Ok(())
}
"#;
    let krate = Crate::new(
        "past_an_object",
        "scipy = \">=1.10\"",
        &[("src/main.rs", main)],
    );
    let run = krate.snakegen(&[]);
    assert_fails(
        &run,
        1,
        "`scipy.stats.norm` is an instance of `scipy.stats._continuous_distns.norm_gen`, which has no attribute `cdff`",
    );
    assert_fails(
        &run,
        1,
        "help: a member with a similar spelling exists in `scipy.stats.norm`",
    );
    assert_fails(&run, 1, "py::scipy::stats::norm::cdf(1.0)?");
}
