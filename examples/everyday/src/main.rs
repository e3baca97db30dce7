//! Everyday standard library calls, written as a Python user would write
//! them. Each line is one that an earlier generator got wrong (the comment
//! says how); every value printed is computed by Python.

mod py;

use py::builtins::{self, bool, dict, str};
use py::collections::deque;
use py::datetime::{date, timedelta, timezone};
use py::{functools, operator, os, pathlib, re, urllib, uuid};
use snakegen::call;

fn main() -> snakegen::Result<()> {
    // Classes named like Rust's primitives (`str`, `bool`) next to a
    // `**kwargs` setter (`AsRef<str>`) and a `bool` result.
    let settings = dict::new_with().kwargs([("debug", 1)]).call()?;
    println!("dict(debug=1) = {settings}");
    let int = snakegen::dynamic::getattr("builtins", "int")?;
    println!("isinstance(1, int) = {}", builtins::isinstance(1, &int)?);
    println!("str(42) = {}", str::new_with().object(42).call()?);
    println!("bool(0) = {}", bool::new_with().o(0).call()?);
    // A class named like a Rust keyword.
    println!("type(1.5) = {}", builtins::r#type(1.5)?);
    // `*_args` in the stub: a setter named `args`.
    println!(
        "max(1, 5, 3) = {}",
        builtins::with::max(1).args([5, 3]).call()?
    );

    // A classmethod of a C type, on the class.
    println!(
        "date.fromisoformat('2024-02-29') = {}",
        date::fromisoformat("2024-02-29")?
    );
    // A class called as Python calls it.
    println!(
        "date(2024, 3, 1).isoformat() = {}",
        date(2024, 3, 1)?.isoformat()?
    );
    // `call!` on a name imported by itself, as Python writes it.
    println!("date(2024, 2, 29) = {}", call!(date(2024, 2, 29))?);
    // Class constants (`ClassVar`s in the stub), read from the class:
    // associated functions, typed from the stub.
    println!("timezone.utc = {}", timezone::utc()?);
    println!("date.min = {}", date::min()?);
    println!("date.min.isoformat() = {}", date::min()?.isoformat()?);
    println!("timedelta.resolution = {}", timedelta::resolution()?);

    // Optional parameters that only the stub's overloads tell apart.
    let add = snakegen::dynamic::getattr("operator", "add")?;
    let neg = snakegen::dynamic::getattr("operator", "neg")?;
    println!(
        "reduce(add, [1, 2, 3]) = {}",
        functools::reduce(&add, vec![1, 2, 3])?
    );
    println!(
        "reduce(add, [], 10) = {}",
        functools::with::reduce(&add, Vec::<i64>::new())
            .initial(10)
            .call()?
    );
    println!("deque() = {}", deque::new()?);
    println!("operator.mul(6, 7) = {}", operator::mul(6, 7)?);
    // Many calls in one attachment, each passed its token.
    let products = snakegen::attach(|py| {
        (1..=4)
            .map(|factor| call!(py, operator::mul(factor, 10))?.str(py))
            .collect::<snakegen::Result<Vec<_>>>()
    })?;
    println!("[mul(i, 10) for i in 1..=4] = {}", products.join(" "));

    // A generic class of the module as a result: `Pattern[str]`, and
    // `Match[str] | None`.
    let digits: re::Pattern = re::compile("[0-9]+")?;
    println!("findall = {:?}", digits.findall("a1b22c333")?);
    let found: Option<re::Match> = re::r#match("(\\w+) (\\w+)", "hello world")?;
    if let Some(found) = found {
        println!("match.group(2) = {}", found.group_with().group1(2).call()?);
    }
    // Keywords through `call!`, `**kwargs` included.
    println!(
        "sorted(reverse=True) = {:?}",
        call!(builtins::sorted(vec![3, 1, 2], reverse = true))?
    );
    // A parameter the stub types `Callable` takes a Rust closure.
    println!(
        "sorted(key=len) = {:?}",
        call!(builtins::sorted(
            vec!["kiwi", "fig", "banana"],
            key = |word: String| word.len()
        ))?
    );
    println!(
        "reduce(mul, [1, 2, 3, 4]) = {}",
        functools::reduce(|a: i64, b: i64| a * b, vec![1, 2, 3, 4])?
    );

    // Containers of type variables keep their shape: `tuple[AnyStr,
    // AnyStr]` destructures, `dict[AnyStr, list[AnyStr]]` is a map.
    let (root, ext) = os::path::splitext("/a/b/c.tar.gz")?;
    println!("splitext = {root} {ext}");
    let query = urllib::parse::parse_qs("a=1&a=2&b=3")?;
    let values = &query[&snakegen::Object::from(builtins::str::new_with().object("a").call()?)];
    println!("parse_qs a = {values:?}");
    // Properties typed from the stub, inherited ones (`PurePath.suffix`)
    // included, and `builtins.int` spelled in full (`UUID.version`).
    let path = pathlib::PurePosixPath::new(["/usr/lib/python3.tar.gz"])?;
    println!(
        "path = {} {} {}",
        path.name()?,
        path.suffix()?,
        path.parts()?.join("|")
    );
    let id = uuid::UUID::new_with()
        .hex("12345678-1234-5678-1234-567812345678")
        .call()?;
    println!("uuid.version = {}", id.version()?.unwrap_or(-1));
    let url = urllib::parse::ParseResult::from(urllib::parse::urlparse("https://h:8080/p")?);
    println!("port = {}", url.port()?.unwrap_or(0) + 1);

    // `call!` passes positional arguments as Python does, optional ones
    // too: a constructor's, a positional-only `initial`, `*args`, a
    // method's; Python checks how many.
    let id = call!(uuid::UUID("12345678123456781234567812345678"))?;
    println!("UUID(hex) = {id}");
    println!(
        "reduce(add, [], 10) = {}",
        call!(functools::reduce(&add, Vec::<i64>::new(), 10))?
    );
    println!("max(1, 5, 3) = {}", call!(builtins::max(1, 5, 3))?);
    println!(
        "max(1, 5, 3, key=neg) = {}",
        call!(builtins::max(1, 5, 3, key = &neg))?
    );
    let digits = call!(re::compile("[0-9]+", 0))?;
    println!("search = {}", call!(digits.search("ab12", 3))?.is_some());
    let too_many = call!(functools::reduce(&add, vec![1], 10, 11)).unwrap_err();
    println!("reduce(add, [1], 10, 11) -> {too_many}");
    Ok(())
}
