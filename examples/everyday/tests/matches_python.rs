//! The example prints what Python prints for the same calls.

#[path = "../../prints_like_python.rs"]
mod prints_like_python;

const PYTHON: &str = r#"
import functools, operator, re
from collections import deque
from datetime import date, timedelta, timezone
print(f"dict(debug=1) = {dict(debug=1)}")
print(f"isinstance(1, int) = {str(isinstance(1, int)).lower()}")
print(f"str(42) = {str(42)}")
print(f"bool(0) = {bool(0)}")
print(f"type(1.5) = {type(1.5)}")
print(f"max(1, 5, 3) = {max(1, 5, 3)}")
print(f"date.fromisoformat('2024-02-29') = {date.fromisoformat('2024-02-29')}")
print(f"date(2024, 3, 1).isoformat() = {date(2024, 3, 1).isoformat()}")
print(f"date(2024, 2, 29) = {date(2024, 2, 29)}")
print(f"timezone.utc = {timezone.utc}")
print(f"date.min = {date.min}")
print(f"date.min.isoformat() = {date.min.isoformat()}")
print(f"timedelta.resolution = {timedelta.resolution}")
print(f"reduce(add, [1, 2, 3]) = {functools.reduce(operator.add, [1, 2, 3])}")
print(f"reduce(add, [], 10) = {functools.reduce(operator.add, [], 10)}")
print(f"deque() = {deque()}")
print(f"operator.mul(6, 7) = {operator.mul(6, 7)}")
print(f"[mul(i, 10) for i in 1..=4] = {' '.join(str(operator.mul(i, 10)) for i in range(1, 5))}")
print(f"findall = {re.compile('[0-9]+').findall('a1b22c333')}")
found = re.match(r"(\w+) (\w+)", "hello world")
print(f"match.group(2) = {found.group(2)}")
print(f"sorted(reverse=True) = {sorted([3, 1, 2], reverse=True)}")
print(f"sorted(key=len) = {sorted(['kiwi', 'fig', 'banana'], key=len)}")
print(f"reduce(mul, [1, 2, 3, 4]) = {functools.reduce(operator.mul, [1, 2, 3, 4])}")
import os.path, pathlib, urllib.parse, uuid
root, ext = os.path.splitext("/a/b/c.tar.gz")
print(f"splitext = {root} {ext}")
print(f"parse_qs a = {urllib.parse.parse_qs('a=1&a=2&b=3')['a']}")
path = pathlib.PurePosixPath("/usr/lib/python3.tar.gz")
print(f"path = {path.name} {path.suffix} {'|'.join(path.parts)}")
version = uuid.UUID("12345678-1234-5678-1234-567812345678").version
print(f"uuid.version = {-1 if version is None else version}")
print(f"port = {urllib.parse.urlparse('https://h:8080/p').port + 1}")
print(f"UUID(hex) = {uuid.UUID('12345678123456781234567812345678')}")
print(f"reduce(add, [], 10) = {functools.reduce(operator.add, [], 10)}")
print(f"max(1, 5, 3) = {max(1, 5, 3)}")
print(f"max(1, 5, 3, key=neg) = {max(1, 5, 3, key=operator.neg)}")
print(f"search = {str(re.compile('[0-9]+', 0).search('ab12', 3) is not None).lower()}")
try:
    functools.reduce(operator.add, [1], 10, 11)
except TypeError as error:
    print(f"reduce(add, [1], 10, 11) -> TypeError: {error}")
"#;

#[test]
fn the_example_prints_what_python_computes() {
    prints_like_python::assert_prints_like_python(env!("CARGO_BIN_EXE_everyday"), PYTHON, 34);
}
