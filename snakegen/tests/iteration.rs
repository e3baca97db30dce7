//! `Object::iter` against real Python iterators, compared with what Python
//! yields for the same ones.

mod common;

use common::{python, python_object};
use snakegen::dynamic::call;
use snakegen::{Object, Result};

fn evaluate(expression: &str) -> Object {
    python_object(&format!("value = {expression}"), "value")
}

#[test]
fn an_infinite_iterator_is_taken_lazily() {
    let count = call("itertools", "count", (10,)).unwrap();
    let first: Vec<i64> = count.iter().take(5).collect::<Result<_>>().unwrap();
    // The same iterator goes on where it stopped, as Python's does.
    let next: Vec<i64> = count.iter().take(2).collect::<Result<_>>().unwrap();
    assert_eq!(
        format!("{first:?} {next:?}"),
        python(
            "import itertools\nc = itertools.count(10)\n\
print(list(itertools.islice(c, 5)), list(itertools.islice(c, 2)))"
        )
    );
    // A generator that never ends, consumed a million items deep: each
    // step converts one item, nothing is collected.
    let squares = evaluate("(n * n for n in __import__('itertools').count())");
    let millionth = squares.iter::<i64>().nth(999_999).unwrap().unwrap();
    assert_eq!(
        millionth.to_string(),
        python(
            "import itertools\n\
print(next(itertools.islice((n * n for n in itertools.count()), 999999, None)))"
        )
    );
}

#[test]
fn an_exception_is_an_err_item_and_stop_iteration_the_end() {
    let generator = evaluate("(10 // (2 - n) for n in range(4))");
    let items: Vec<Result<i64>> = generator.iter().collect();
    let [Ok(first), Ok(second), Err(error)] = &items[..] else {
        panic!("{items:?}");
    };
    assert_eq!(error.python_type(), Some("ZeroDivisionError"));
    assert_eq!(
        format!("[{first}, {second}] {}", error),
        python(
            "g = (10 // (2 - n) for n in range(4))\nseen = []\n\
try:\n    for v in g: seen.append(v)\n\
except ZeroDivisionError as e: print(seen, f'ZeroDivisionError: {e}')"
        )
    );
    // An item of another type is an `Err` too, and the iteration goes on.
    let mixed: Vec<Result<i64>> = evaluate("[1, 'two', 3]").iter().collect();
    assert!(matches!(mixed[..], [Ok(1), Err(_), Ok(3)]), "{mixed:?}");
    // Something that is not iterable: one `Err`.
    let mut number = Object::new(5).unwrap().iter::<i64>();
    let error = number.next().unwrap().unwrap_err();
    assert_eq!(error.to_string(), "TypeError: 'int' object is not iterable");
    assert!(number.next().is_none());
}

#[test]
fn items_convert_to_the_type_asked_for() {
    let pairs = evaluate("{'b': 2, 'a': 1}.items()");
    let pairs: Vec<(String, i64)> = pairs.iter().collect::<Result<_>>().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/iteration.rs");
    let lines = call("builtins", "open", (path,)).unwrap();
    let first_line = lines.iter::<String>().next().unwrap().unwrap();
    assert_eq!(
        format!("{pairs:?} {first_line:?}").replace('"', "'"),
        python(&format!(
            "print(list({{'b': 2, 'a': 1}}.items()), repr(next(iter(open({:?})))))",
            path
        ))
    );
}
