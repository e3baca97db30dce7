//! Rust's format options on `Object` and the wrappers, checked against
//! Rust's own formatting of the same `f64`, integer or `&str`, and against
//! Python's `format()` where the two languages agree.

use snakegen::{Object, dynamic};

fn eval(expression: &str) -> Object {
    dynamic::call(
        "builtins",
        "eval",
        (
            expression,
            // `eval` from Rust has no calling frame to take globals from.
            dynamic::call("builtins", "dict", ()).unwrap(),
        ),
    )
    .unwrap()
}

/// Python's `format(object, spec)`.
fn python_format(object: &Object, spec: &str) -> String {
    dynamic::call("builtins", "format", (object, spec))
        .unwrap()
        .extract()
        .unwrap()
}

/// Each format string applied to the object and to the Rust value.
macro_rules! assert_formats_as {
    ($object:expr, $value:expr, [$($spec:literal),* $(,)?]) => {{
        let (object, value) = (&$object, &$value);
        $(
            assert_eq!(
                format!($spec, object),
                format!($spec, value),
                "{} of {:?}",
                $spec,
                object
            );
        )*
    }};
}

#[test]
fn precision_rounds_a_float_as_rust_rounds_an_f64() {
    let pi = dynamic::getattr("math", "pi").unwrap();
    assert_eq!(format!("{pi:.3}"), "3.142");
    assert_eq!(format!("{pi:.10}"), "3.1415926536");
    for value in [
        std::f64::consts::PI,
        std::f64::consts::E,
        0.125,
        2.675,
        0.5,
        1.5,
        2.5,
        -1.5,
        -0.0,
        1e-7,
        123_456.789,
        1e20,
        1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
    ] {
        let object = Object::new(value).unwrap();
        assert_formats_as!(
            object,
            value,
            [
                "{:.0}",
                "{:.1}",
                "{:.2}",
                "{:.3}",
                "{:.10}",
                "{:.17}",
                "{:+.3}",
                "{:>12.3}",
                "{:12.3}",
                "{:<12.3}",
                "{:*^12.3}",
                "{:012.3}",
                "{:+012.3}",
                "{:#.2}",
            ]
        );
        for precision in 0..=20 {
            assert_eq!(
                format!("{object:.precision$}"),
                python_format(&object, &format!(".{precision}f")),
                "{value} to {precision} places, as Python rounds it"
            );
        }
    }
}

#[test]
fn precision_agrees_with_python_on_many_floats() {
    // A fixed-seed generator, so that a failure reproduces.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..2000 {
        let value = if round % 2 == 0 {
            // Any mantissa and sign, magnitudes from 1e-18 to 1e18.
            let exponent = 1023 - 60 + next() % 120;
            f64::from_bits((next() & ((1 << 52) - 1)) | exponent << 52 | (next() & 1) << 63)
        } else {
            // Few binary digits: exact half-way cases at some precision.
            (next() % 100_000) as f64 / f64::from(1 << (next() % 12))
        };
        let precision = (next() % 25) as usize;
        let object = Object::new(value).unwrap();
        let ours = format!("{object:.precision$}");
        assert_eq!(ours, format!("{value:.precision$}"), "{value:e}");
        assert_eq!(
            ours,
            python_format(&object, &format!(".{precision}f")),
            "{value:e}"
        );
    }
}

#[test]
fn precision_gives_an_int_zeros_as_an_f64_gets_them() {
    let three = Object::new(3).unwrap();
    assert_eq!(format!("{three:.2}"), "3.00");
    for value in [0_i64, 3, -7, 42, 1 << 52, -(1 << 40)] {
        let object = Object::new(value).unwrap();
        assert_formats_as!(
            object,
            value as f64,
            [
                "{:.0}",
                "{:.1}",
                "{:.2}",
                "{:+.2}",
                "{:>10.2}",
                "{:10.2}",
                "{:<10.2}",
                "{:^10.2}",
                "{:010.2}",
                "{:+010.1}",
            ]
        );
    }
    // Every digit kept, where an f64 (and Python's `format(n, ".1f")`)
    // would round to the nearest double.
    let big = eval("10**30 + 1");
    assert_eq!(format!("{big:.1}"), "1000000000000000000000000000001.0");
    assert_eq!(format!("{big:.0}"), "1000000000000000000000000000001");
    assert_eq!(
        format!("{:+.2}", eval("-(10**25)")),
        "-10000000000000000000000000.00"
    );
}

#[test]
fn numbers_without_precision_keep_pythons_text_and_pad_as_rust_numbers() {
    // Where Python's `str` and Rust's `Display` write the same digits, the
    // whole result is Rust's.
    for value in [1.5, -1.5, 0.1, 100.25] {
        let object = Object::new(value).unwrap();
        assert_formats_as!(
            object,
            value,
            [
                "{:8}", "{:>8}", "{:<8}", "{:^8}", "{:*>8}", "{:+}", "{:08}", "{:+08}", "{:2}"
            ]
        );
    }
    for value in [0_i64, 7, -7, 123_456] {
        let object = Object::new(value).unwrap();
        assert_formats_as!(
            object,
            value,
            [
                "{:8}", "{:>8}", "{:<8}", "{:^8}", "{:_<8}", "{:+}", "{:08}", "{:+08}"
            ]
        );
    }
    // Python's own text, padded.
    let large = Object::new(1e20).unwrap();
    assert_eq!(format!("{large:>8}|{large:+}"), "   1e+20|+1e+20");
    let small = Object::new(-1.5e-7).unwrap();
    assert_eq!(format!("{small:010}"), "-001.5e-07");
    // Without any option, Python's `str` exactly.
    assert_eq!(format!("{large}"), "1e+20");
}

#[test]
fn nan_and_infinities_keep_pythons_spelling() {
    let nan = Object::new(f64::NAN).unwrap();
    let inf = Object::new(f64::INFINITY).unwrap();
    let minus_inf = Object::new(f64::NEG_INFINITY).unwrap();
    assert_eq!(format!("{nan:.3}|{inf:.3}|{minus_inf:.3}"), "nan|inf|-inf");
    assert_eq!(
        format!("{inf:>6.1}|{inf:+.2}|{minus_inf:+}"),
        "   inf|+inf|-inf"
    );
    assert_eq!(
        format!("{nan:e}|{minus_inf:E}|{inf:<5e}|"),
        "nan|-inf|inf  |"
    );
}

#[test]
fn other_objects_pad_and_cut_their_text_as_a_str() {
    for (object, text) in [
        (Object::new("snake").unwrap(), "snake"),
        (Object::new("héllo wörld").unwrap(), "héllo wörld"),
        (Object::new(vec![1, 2, 3]).unwrap(), "[1, 2, 3]"),
        (Object::new(true).unwrap(), "True"),
        (eval("None"), "None"),
        (eval("1+2j"), "(1+2j)"),
        (eval("-2j"), "(-0-2j)"),
        (eval("__import__('decimal').Decimal('-1.25')"), "-1.25"),
    ] {
        assert_eq!(object.to_string(), text);
        assert_formats_as!(
            object,
            text,
            [
                "{:12}", "{:>12}", "{:<12}", "{:^12}", "{:-^12}", "{:.3}", "{:>12.3}", "{:.0}",
                "{:.20}", "{:+}", "{:012}", "{:3}",
            ]
        );
        // `{:e}` has no meaning for text, so it is `Display`.
        assert_eq!(format!("{object:>12.3e}"), format!("{text:>12.3}"));
    }
}

#[test]
fn registered_numbers_round_too() {
    let numpy = dynamic::import("numpy").unwrap();
    let float32 = numpy.call_method("float32", (0.1,)).unwrap();
    assert_eq!(format!("{float32:.3}"), "0.100");
    assert_eq!(format!("{float32:.3}"), python_format(&float32, ".3f"));
    assert_eq!(format!("{float32:>6}"), "   0.1");
    let float64 = numpy.call_method("float64", (2.675,)).unwrap();
    assert_eq!(format!("{float64:.2}"), format!("{:.2}", 2.675));
    let int64 = numpy.call_method("int64", (-42,)).unwrap();
    assert_eq!(format!("{int64:+.1}|{int64:6}"), "-42.0|   -42");
    let flag = numpy.call_method("bool_", (true,)).unwrap();
    assert_eq!(format!("{flag:.2}|{flag:>5}"), "Tr| True");

    let sympy = dynamic::import("sympy").unwrap();
    let pi = sympy.getattr("pi").unwrap();
    let pi_30 = pi.call_method("evalf", (30,)).unwrap();
    assert_eq!(pi_30.to_string(), "3.14159265358979323846264338328");
    assert_eq!(format!("{pi_30:.5}"), "3.14159");
    // A symbol is no number: its text is cut.
    assert_eq!(format!("{pi:.1}|{pi:>3}"), "p| pi");
    let third = sympy.call_method("Rational", (1, 3)).unwrap();
    assert_eq!(
        format!("{third:.3}|{third:>5}|{third:+}"),
        "0.333|  1/3|+1/3"
    );
    let integer = sympy.call_method("Integer", (12,)).unwrap();
    assert_eq!(format!("{integer:.2}|{integer:e}"), "12.00|1.2e1");

    // An int subclass with a `__str__` of its own: its text, but its value
    // for a precision.
    let loud = eval("type('Loud', (int,), {'__str__': lambda self: 'loud'})(3)");
    assert_eq!(format!("{loud:.1}|{loud:>6}|{loud:.0}"), "3.0|  loud|3");
}

#[test]
fn exponents_are_written_as_rust_writes_the_value() {
    for value in [std::f64::consts::PI, -1234.5, 1e-7, 6.02e23, 0.0, -0.0] {
        let object = Object::new(value).unwrap();
        assert_formats_as!(
            object,
            value,
            [
                "{:e}",
                "{:E}",
                "{:.2e}",
                "{:+.3E}",
                "{:>12.1e}",
                "{:012.3e}",
                "{:<10e}"
            ]
        );
    }
    for value in [0_i128, 1234, -1235, 1000, i64::MAX as i128, 1 << 100] {
        let object = eval(&value.to_string());
        assert_formats_as!(
            object,
            value,
            ["{:e}", "{:E}", "{:.2e}", "{:.0e}", "{:+e}", "{:>14.3e}"]
        );
    }
    // Beyond i128, the nearest f64, as Python's `format(n, "e")` takes.
    let beyond = eval("10**40 + 1");
    assert_eq!(format!("{beyond:e}|{beyond:.3E}"), "1e40|1.000E40");
    // Beyond f64 too: every digit, padded as a number.
    let huge = eval("-(10**400)");
    assert_eq!(format!("{huge:e}"), format!("-1{}", "0".repeat(400)));
}

struct Fraction(Object);
snakegen::wrapper!(Fraction);

#[allow(non_camel_case_types)]
struct fraction {
    object: Object,
}
snakegen::wrapper!(fraction, object);

#[test]
fn wrappers_format_as_their_object() {
    let class = dynamic::getattr("fractions", "Fraction").unwrap();
    let three_quarters = Fraction(class.call((3, 4)).unwrap());
    assert_eq!(
        format!("{three_quarters:>8}|{three_quarters:.3}|{three_quarters:e}|{three_quarters:+}"),
        "     3/4|0.750|7.5e-1|+3/4"
    );
    let half = fraction::from(class.call((-1, 2)).unwrap());
    assert_eq!(
        format!("{half:8}|{half:<8}|{half:08.2}|{half:.1E}"),
        "    -1/2|-1/2    |-0000.50|-5.0E-1"
    );
    let word = Fraction(Object::new("word").unwrap());
    assert_eq!(format!("{word:.2}|{word:>6}|{word:?}"), "wo|  word|'word'");
}

#[test]
fn debug_stays_the_repr_and_unprintable_objects_pad() {
    let text = Object::new("a").unwrap();
    assert_eq!(format!("{text:>5?}|{text:.1?}"), "'a'|'a'");
    let bad = eval("type('Bad', (), {'__str__': lambda self: 1 / 0})()");
    assert_eq!(format!("{bad:>26}"), "  <unprintable Bad object>");
    assert_eq!(format!("{bad:.3}"), "<un");
}
