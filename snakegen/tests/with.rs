//! `Object::with` against real context managers, compared with what Python's
//! `with` does for the same ones.

mod common;

use common::{python, python_object};
use snakegen::dynamic::{call, call_with};
use snakegen::{ErrorKind, Object};

#[test]
fn a_file_is_written_and_read_inside_with_and_closed_after() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("notes.txt");
    let path = path.to_str().unwrap();
    let file = call("builtins", "open", (path, "w")).unwrap();
    let written = file
        .with(|file| file.call_method_extract::<i64>("write", ("first line\nsecond\n",)))
        .unwrap();
    assert!(file.getattr("closed").unwrap().extract::<bool>().unwrap());
    let reader = call("builtins", "open", (path,)).unwrap();
    let lines = reader
        .with(|file| file.call_method_extract::<Vec<String>>("readlines", ()))
        .unwrap()
        .unwrap();
    assert!(reader.getattr("closed").unwrap().extract::<bool>().unwrap());
    assert_eq!(
        format!("{} {lines:?}", written.unwrap()).replace('"', "'"),
        python(&format!(
            "with open({path:?}, 'w') as f: n = f.write('first line\\nsecond\\n')\n\
with open({path:?}) as f: print(n, f.readlines())"
        ))
    );
}

#[test]
fn a_sqlite3_transaction_commits_or_rolls_back() {
    let connection = call("sqlite3", "connect", (":memory:",)).unwrap();
    connection
        .call_method("execute", ("CREATE TABLE items (name TEXT)",))
        .unwrap();
    let insert = |connection: &Object, name: &str| {
        connection.call_method("execute", ("INSERT INTO items VALUES (?)", (name,)))
    };
    connection
        .with(|connection| insert(&connection, "kept"))
        .unwrap();
    let failed = connection.with(|connection| -> snakegen::Result<()> {
        insert(&connection, "rolled back")?;
        connection.call_method("execute", ("INSERT INTO missing VALUES (1)",))?;
        Ok(())
    });
    let error = failed.unwrap_err();
    let rows: Vec<(String,)> = connection
        .call_method("execute", ("SELECT name FROM items",))
        .unwrap()
        .call_method_extract("fetchall", ())
        .unwrap();
    assert_eq!(
        format!("{error} {rows:?}").replace('"', "'"),
        python(
            "import sqlite3\nc = sqlite3.connect(':memory:')\n\
c.execute('CREATE TABLE items (name TEXT)')\n\
with c: c.execute('INSERT INTO items VALUES (?)', ('kept',))\n\
try:\n    with c:\n        c.execute('INSERT INTO items VALUES (?)', ('rolled back',))\n        c.execute('INSERT INTO missing VALUES (1)')\n\
except sqlite3.OperationalError as e: print(f'OperationalError: {e}', c.execute('SELECT name FROM items').fetchall())"
        )
    );
}

#[test]
fn a_temporary_directory_exists_inside_with_only() {
    let exists = |path: &str| -> bool {
        call("os.path", "isdir", (path,))
            .unwrap()
            .extract()
            .unwrap()
    };
    let directory = call("tempfile", "TemporaryDirectory", ()).unwrap();
    let path = directory
        .with(|path| -> snakegen::Result<String> {
            let path: String = path.extract()?;
            assert!(exists(&path));
            Ok(path)
        })
        .unwrap()
        .unwrap();
    assert!(!exists(&path));
}

#[test]
fn decimal_localcontext_sets_the_precision_inside_with() {
    let decimal = |text: &str| call("decimal", "Decimal", (text,)).unwrap();
    let divide = || decimal("1").call_method("__truediv__", (decimal("7"),));
    let context = call("decimal", "localcontext", ()).unwrap();
    let inside = context
        .with(|context| {
            context.call_method("__setattr__", ("prec", 5))?;
            divide()
        })
        .unwrap()
        .unwrap();
    let after = divide().unwrap();
    assert_eq!(
        format!("{inside} {after}"),
        python(
            "import decimal\nwith decimal.localcontext() as c:\n    c.prec = 5\n    inside = decimal.Decimal('1') / decimal.Decimal('7')\n\
print(inside, decimal.Decimal('1') / decimal.Decimal('7'))"
        )
    );
}

#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused by Rust")
    }
}

impl std::error::Error for Refused {}

#[test]
fn exit_sees_the_error_and_may_suppress_it() {
    let suppress_value_error = || {
        let value_error = snakegen::dynamic::getattr("builtins", "ValueError").unwrap();
        call("contextlib", "suppress", (value_error,)).unwrap()
    };
    // Python's exception, passed on with `?`: suppressed as in Python.
    let suppressed = suppress_value_error()
        .with(|_| call("math", "sqrt", (-1.0,)))
        .unwrap();
    assert!(suppressed.is_none());
    // A Rust error is a `RustError`, which `suppress(ValueError)` lets
    // through; it comes back with the Rust error as its source.
    let error = suppress_value_error()
        .with(|_| Err::<(), _>(Refused))
        .unwrap_err();
    assert_eq!(error.to_string(), "RustError: refused by Rust");
    assert!(
        std::error::Error::source(&error)
            .unwrap()
            .downcast_ref::<Refused>()
            .is_some()
    );
    // What `__exit__` receives, recorded by a manager written in Python.
    let recorder = python_object(
        r"
class Recorder:
    def __enter__(self):
        self.seen = []
        return 'entered'

    def __exit__(self, kind, value, traceback):
        self.seen.append((kind and kind.__name__, value and str(value), traceback is not None))
        return False

recorder = Recorder()
",
        "recorder",
    );
    let seen = || recorder.getattr("seen").unwrap().to_string();
    let entered: String = recorder
        .with(|value| value.extract::<String>())
        .unwrap()
        .unwrap();
    assert_eq!(
        format!("{entered} {}", seen()),
        "entered [(None, None, False)]"
    );
    let failed = recorder.with(|_| Err::<(), _>(Refused)).unwrap_err();
    assert_eq!(failed.python_type(), Some("RustError"));
    // Raised from Rust, the exception has no Python frames.
    assert_eq!(seen(), "[('RustError', 'refused by Rust', False)]");
    // Python's exception as it was, with the traceback of its frames.
    let _ = recorder
        .with(|_| call("json", "loads", ("{",)))
        .unwrap_err();
    assert_eq!(
        seen(),
        python(
            "import json\ntry: json.loads('{')\n\
except ValueError as e: print([(type(e).__name__, str(e), e.__traceback__ is not None)])"
        )
    );
}

#[test]
fn an_exit_that_raises_is_reported_with_the_original_error_chained() {
    let failing_exit = python_object(
        r"
class FailingExit:
    def __enter__(self):
        return self

    def __exit__(self, *exception):
        raise KeyError('from __exit__')
",
        "FailingExit",
    );
    let error = failing_exit
        .call(())
        .unwrap()
        .with(|_| call("math", "sqrt", (-1.0,)))
        .unwrap_err();
    assert_eq!(error.to_string(), "KeyError: 'from __exit__'");
    let traceback = error.traceback().unwrap();
    let original = traceback.find("ValueError: math domain error").unwrap();
    let during = traceback
        .find("During handling of the above exception")
        .unwrap();
    assert!(original < during, "{traceback}");
    // On success, an `__exit__` that raises is the error.
    let error = failing_exit
        .call(())
        .unwrap()
        .with(|_| Ok::<_, Refused>(1))
        .unwrap_err();
    assert_eq!(error.python_type(), Some("KeyError"));
}

#[test]
fn a_panic_inside_exits_then_unwinds() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("partial.txt");
    let file = call_with("builtins", "open")
        .arg(path.to_str().unwrap())
        .kwarg("mode", "w")
        .call()
        .unwrap();
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        file.with(|file| -> snakegen::Result<()> {
            file.call_method("write", ("before the panic",))?;
            panic!("inside with");
        })
    }));
    assert!(unwound.is_err());
    assert!(file.getattr("closed").unwrap().extract::<bool>().unwrap());
    // Closing flushed what was written.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "before the panic");
}

#[test]
fn an_object_that_is_no_context_manager_is_a_type_error() {
    let error = Object::new(5)
        .unwrap()
        .with(|_| Ok::<_, Refused>(()))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Python);
    assert_eq!(
        error.to_string(),
        python("try:\n    with 5: pass\nexcept TypeError as e: print(f'TypeError: {e}')")
    );
}
