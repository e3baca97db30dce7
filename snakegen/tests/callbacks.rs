//! Rust closures as Python callables, against real scipy and pandas: each
//! result is compared with what Python computes for the same function.

mod common;

use common::{python, python_object};
use snakegen::dynamic::{call, call_with};
use snakegen::{ErrorKind, Object, callback};

/// The floats `script` prints, one `repr` a line.
fn python_floats(script: &str) -> Vec<f64> {
    let floats: Vec<f64> = python(script)
        .lines()
        .map(|line| line.parse().unwrap())
        .collect();
    assert!(!floats.is_empty(), "the script printed nothing");
    floats
}

/// Equal up to a relative 1e-9: numpy's vectorised `exp` and Rust's may
/// differ in the last bit, which iterative solvers carry along.
fn assert_close(rust: &[f64], python: &[f64]) {
    assert_eq!(rust.len(), python.len(), "{rust:?} vs {python:?}");
    for (r, p) in rust.iter().zip(python) {
        assert!(
            (r - p).abs() <= 1e-9 * p.abs().max(1.0),
            "{rust:?} vs Python's {python:?}"
        );
    }
}

fn attribute<T>(object: &Object, name: &str) -> T
where
    T: for<'py> pyo3::conversion::FromPyObjectOwned<'py> + 'static,
{
    object.getattr(name).unwrap().extract().unwrap()
}

#[test]
fn minimize_takes_a_closure_of_a_numpy_array() {
    let rosenbrock = |x: Vec<f64>| {
        (1.0 - x[0]) * (1.0 - x[0]) + 100.0 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
    };
    let gradient = |x: Vec<f64>| {
        vec![
            -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]),
            200.0 * (x[1] - x[0] * x[0]),
        ]
    };
    let nelder_mead = call_with("scipy.optimize", "minimize")
        .arg(callback(rosenbrock))
        .arg(vec![-1.2, 1.0])
        .kwarg("method", "Nelder-Mead")
        .call()
        .unwrap();
    let bfgs = call_with("scipy.optimize", "minimize")
        .arg(callback(rosenbrock))
        .arg(vec![-1.2, 1.0])
        .kwarg("jac", callback(gradient))
        .kwarg("method", "BFGS")
        .call()
        .unwrap();
    let mut rust: Vec<f64> = attribute(&nelder_mead, "x");
    rust.push(attribute(&nelder_mead, "fun"));
    rust.extend(attribute::<Vec<f64>>(&bfgs, "x"));
    rust.push(attribute::<i64>(&bfgs, "nit") as f64);
    let python = python_floats(
        "from scipy.optimize import minimize\n\
def f(x): return (1.0 - x[0]) * (1.0 - x[0]) + 100.0 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])\n\
def g(x): return [-2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]), 200.0 * (x[1] - x[0] * x[0])]\n\
a = minimize(f, [-1.2, 1.0], method='Nelder-Mead')\n\
b = minimize(f, [-1.2, 1.0], jac=g, method='BFGS')\n\
for v in [*a.x, a.fun, *b.x, b.nit]: print(repr(float(v)))\n",
    );
    assert_close(&rust, &python);
}

#[test]
fn minimize_scalar_and_brentq_take_closures_of_floats() {
    let scalar = call(
        "scipy.optimize",
        "minimize_scalar",
        (callback(|x: f64| {
            (x - 2.0) * (x - 2.0) * (x - 2.0) * (x - 2.0) - x
        }),),
    )
    .unwrap();
    let root: f64 = call(
        "scipy.optimize",
        "brentq",
        (callback(|x: f64| x * x * x - 2.0 * x - 5.0), 2.0, 3.0),
    )
    .unwrap()
    .extract()
    .unwrap();
    let rust = [attribute(&scalar, "x"), attribute(&scalar, "fun"), root];
    let python = python_floats(
        "from scipy.optimize import minimize_scalar, brentq\n\
s = minimize_scalar(lambda x: (x - 2.0) * (x - 2.0) * (x - 2.0) * (x - 2.0) - x)\n\
print(repr(float(s.x))); print(repr(float(s.fun)))\n\
print(repr(brentq(lambda x: x * x * x - 2.0 * x - 5.0, 2.0, 3.0)))\n",
    );
    assert_close(&rust, &python);
}

#[test]
fn curve_fit_counts_the_parameters_without_p0() {
    let xs: Vec<f64> = (0..20).map(|i| f64::from(i) * 0.5).collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|x| 2.5 * (-0.3 * x).exp() + 0.01 * (7.0 * x).sin())
        .collect();
    let model = snakegen::callback!(|x: Vec<f64>, a: f64, b: f64| {
        x.iter().map(|x| a * (-b * x).exp()).collect::<Vec<f64>>()
    });
    let fitted = call("scipy.optimize", "curve_fit", (model, &xs, &ys)).unwrap();
    let (parameters, _covariance): (Vec<f64>, Object) = fitted.extract().unwrap();
    let python = python_floats(
        "import math\nfrom scipy.optimize import curve_fit\nimport numpy as np\n\
xs = [i * 0.5 for i in range(20)]\n\
ys = [2.5 * math.exp(-0.3 * x) + 0.01 * math.sin(7.0 * x) for x in xs]\n\
def model(x, a, b): return [a * math.exp(-b * v) for v in x]\n\
p, _ = curve_fit(model, xs, ys)\n\
for v in p: print(repr(float(v)))\n",
    );
    assert_close(&parameters, &python);
}

#[test]
fn quad_and_solve_ivp_integrate_closures() {
    let quad = call(
        "scipy.integrate",
        "quad",
        (callback(|x: f64| x.sin() * (-x).exp()), 0.0, 3.0),
    )
    .unwrap();
    let (integral, estimate): (f64, f64) = quad.extract().unwrap();
    let decay = callback(|_t: f64, y: Vec<f64>| vec![-0.5 * y[0], y[0] - 0.25 * y[1]]);
    let solution = call_with("scipy.integrate", "solve_ivp")
        .arg(decay)
        .arg((0.0, 4.0))
        .arg(vec![2.0, 0.0])
        .kwarg("t_eval", vec![1.0, 2.0, 4.0])
        .call()
        .unwrap();
    let trajectories: Vec<Vec<f64>> = attribute(&solution, "y");
    let mut rust = vec![integral, estimate];
    rust.extend(trajectories.concat());
    let python = python_floats(
        "import math\nfrom scipy.integrate import quad, solve_ivp\n\
i, e = quad(lambda x: math.sin(x) * math.exp(-x), 0.0, 3.0)\n\
print(repr(i)); print(repr(e))\n\
s = solve_ivp(lambda t, y: [-0.5 * y[0], y[0] - 0.25 * y[1]], (0.0, 4.0), [2.0, 0.0], t_eval=[1.0, 2.0, 4.0])\n\
for row in s.y:\n    for v in row: print(repr(float(v)))\n",
    );
    assert_close(&rust, &python);
}

#[test]
fn sorted_takes_a_key_and_pandas_applies_a_closure() {
    let words = vec!["kiwi", "fig", "banana", "apple", "date", "cherry"];
    let sorted: Vec<String> = call_with("builtins", "sorted")
        .arg(&words)
        .kwarg(
            "key",
            callback(|word: String| (word.len(), word.chars().rev().collect::<String>())),
        )
        .call_extract()
        .unwrap();
    let series = call("pandas", "Series", (vec![1.5, 2.0, 3.25],)).unwrap();
    let applied: Vec<f64> = series
        .call_method("apply", (callback(|x: f64| x * x + 1.0),))
        .unwrap()
        .call_method_extract("tolist", ())
        .unwrap();
    let frame = call(
        "pandas",
        "DataFrame",
        (vec![vec![1.0, 2.0], vec![3.0, 5.0]],),
    )
    .unwrap();
    let row_sums: Vec<f64> = frame
        .call_method_with("apply")
        .arg(callback(|row: Vec<f64>| row.iter().sum::<f64>() * 2.0))
        .kwarg("axis", 1)
        .call()
        .unwrap()
        .call_method_extract("tolist", ())
        .unwrap();
    let expected = python(
        "import pandas as pd\n\
print(sorted(['kiwi', 'fig', 'banana', 'apple', 'date', 'cherry'], key=lambda w: (len(w), w[::-1])))\n\
print(pd.Series([1.5, 2.0, 3.25]).apply(lambda x: x * x + 1.0).tolist())\n\
print(pd.DataFrame([[1.0, 2.0], [3.0, 5.0]]).apply(lambda row: sum(row) * 2.0, axis=1).tolist())\n",
    );
    let rust = format!("{sorted:?}\n{applied:?}\n{row_sums:?}").replace('"', "'");
    assert_eq!(rust, expected);
}

#[test]
fn python_sees_the_parameters_and_may_pass_them_by_keyword() {
    let signature = |function: Object| {
        call("inspect", "signature", (function,))
            .unwrap()
            .to_string()
    };
    let named = snakegen::callback!(move |x: f64, scale: f64, shift: f64| x * scale + shift)
        .into_object()
        .unwrap();
    assert_eq!(signature(named.clone()), "(x, scale, shift)");
    let by_keyword: f64 = named
        .call_method_with("__call__")
        .kwarg("shift", 1.0)
        .kwarg("x", 2.0)
        .kwarg("scale", 10.0)
        .call_extract()
        .unwrap();
    assert_eq!(by_keyword, 21.0);
    let plain = callback(|a: i64, b: i64| a - b).into_object().unwrap();
    assert_eq!(signature(plain), "(arg0, arg1)");
    let one = callback(|x: f64| x).into_object().unwrap();
    assert_eq!(signature(one), "(x)");
    let renamed = callback(|a: i64, b: i64| a - b)
        .named(["minuend", "subtrahend"])
        .into_object()
        .unwrap();
    assert_eq!(signature(renamed), "(minuend, subtrahend)");

    // Names that cannot be Python parameters are the call's error.
    let miscounted = call(
        "builtins",
        "callable",
        (callback(|a: i64, b: i64| a + b).named(["a"]),),
    )
    .unwrap_err();
    assert_eq!(miscounted.python_type(), Some("TypeError"));
    assert!(
        miscounted.message().contains("takes 2 parameters"),
        "{miscounted}"
    );
    let keyword = callback(|x: f64| x)
        .named(["class"])
        .into_object()
        .unwrap_err();
    assert_eq!(keyword.python_type(), Some("ValueError"));
    assert!(keyword.message().contains("'class'"), "{keyword}");
}

#[test]
fn an_argument_that_does_not_convert_raises_type_error() {
    let square = callback(|x: f64| x * x).into_object().unwrap();
    let error = square.call(("text",)).unwrap_err();
    assert_eq!(error.python_type(), Some("TypeError"));
    assert!(
        error
            .message()
            .starts_with("argument 0 of the Rust callback"),
        "{error}"
    );
}

#[derive(Debug)]
struct Diverged {
    at: f64,
    cause: std::num::ParseFloatError,
}

impl std::fmt::Display for Diverged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "diverged at {}", self.at)
    }
}

impl std::error::Error for Diverged {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

#[test]
fn a_rust_error_comes_back_through_python_with_its_chain() {
    let failing = callback(|x: f64| -> Result<f64, Diverged> {
        Err(Diverged {
            at: x,
            cause: "not a number".parse::<f64>().unwrap_err(),
        })
    });
    let error = call("scipy.optimize", "brentq", (failing, 0.0, 1.0)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Python);
    assert_eq!(error.python_type(), Some("RustError"));
    assert_eq!(error.message(), "diverged at 0");
    let source = std::error::Error::source(&error).expect("the closure's error");
    let diverged = source.downcast_ref::<Diverged>().expect("the same type");
    assert_eq!(diverged.at, 0.0);
    assert_eq!(
        std::error::Error::source(diverged).unwrap().to_string(),
        "invalid float literal"
    );
    // Python's traceback shows the chain as causes.
    let traceback = error.traceback().unwrap();
    assert!(
        traceback.contains("RustError: invalid float literal")
            && traceback.contains("direct cause")
            && traceback.contains("brentq"),
        "{traceback}"
    );

    // A Python exception the closure passes on is raised again as it was.
    let passed_on =
        callback(|x: f64| -> snakegen::Result<f64> { call("math", "sqrt", (x - 5.0,))?.extract() });
    let error = call("scipy.integrate", "quad", (passed_on, 0.0, 1.0)).unwrap_err();
    assert_eq!(error.python_type(), Some("ValueError"));
    assert_eq!(error.message(), "math domain error");
}

#[test]
fn a_panic_becomes_an_exception_and_the_process_goes_on() {
    let panics_above_half = callback(|x: f64| -> f64 {
        if x > 0.5 {
            panic!("x is {x}, too large");
        }
        x
    })
    .into_object()
    .unwrap();
    // `except Exception` in Python does not swallow it.
    let catching = python_object(
        "def catching(f):\n    try:\n        return f(1.0)\n    except Exception:\n        return None\n",
        "catching",
    );
    let caught = catching.call((&panics_above_half,)).unwrap_err();
    assert_eq!(caught.python_type(), Some("RustPanic"));
    assert_eq!(
        caught.message(),
        "the Rust callback panicked: x is 1, too large"
    );
    // Through scipy's C and Fortran frames.
    let asserting = callback(|x: f64| -> f64 {
        assert!(x <= 0.5, "x is {x}, too large");
        x
    });
    let error = call("scipy.integrate", "quad", (asserting, 0.0, 1.0)).unwrap_err();
    assert_eq!(error.python_type(), Some("RustPanic"));
    assert!(
        error
            .message()
            .starts_with("the Rust callback panicked: x is"),
        "{error}"
    );
    // Its state may be broken: later calls raise instead of running it.
    let again = panics_above_half.call((0.1,)).unwrap_err();
    assert!(again.message().contains("after it panicked"), "{again}");
}

#[test]
fn fn_mut_state_lives_between_calls() {
    let mut seen = Vec::new();
    let running_mean = callback(move |x: f64| {
        seen.push(x);
        seen.iter().sum::<f64>() / seen.len() as f64
    })
    .into_object()
    .unwrap();
    let means: Vec<f64> = call(
        "builtins",
        "list",
        (call("builtins", "map", (&running_mean, vec![2.0, 4.0, 9.0])).unwrap(),),
    )
    .unwrap()
    .extract()
    .unwrap();
    assert_eq!(means, [2.0, 3.0, 5.0]);
    let reentrant = callback(|f: Object| f.call((f.clone(),)).map(|_| ()))
        .into_object()
        .unwrap();
    let error = reentrant.call((&reentrant,)).unwrap_err();
    assert!(
        error
            .message()
            .contains("called again while it was running"),
        "{error}"
    );
}
