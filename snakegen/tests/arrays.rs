//! Arrays against the real numpy: `Vec`s extracted through the buffer,
//! Rust arrays into numpy without lists, Rust memory lent to numpy.

use std::process::Command;

use snakegen::ndarray::{Array2, ArrayD, IxDyn, s};
use snakegen::{Interpreter, Library, Object, Symbol, dynamic, lend_to_numpy, numpy_array};

/// Set in a child: which scenario it plays (see `child`).
const ROLE: &str = "SNAKEGEN_ARRAYS_TEST_ROLE";

fn numpy(name: &str, args: impl snakegen::Args) -> Object {
    dynamic::call("numpy", name, args).unwrap()
}

/// Python evaluates `expression` with `numpy` as `np` and `a` bound.
fn eval(expression: &str, a: impl snakegen::IntoPy) -> Object {
    let namespace =
        Object::new(snakegen::dict([("np", dynamic::import("numpy").unwrap())])).unwrap();
    namespace.call_method("__setitem__", ("a", a)).unwrap();
    dynamic::call("builtins", "eval", (expression, &namespace)).unwrap()
}

/// Where numpy keeps the array's elements.
fn data_address(array: &Object) -> usize {
    eval("a.__array_interface__['data'][0]", array)
        .extract()
        .unwrap()
}

#[test]
fn a_vec_is_extracted_from_the_buffer_when_the_dtype_matches() {
    // An array that refuses to be iterated: only its buffer can convert it.
    let refusing = eval(
        "type('Refusing', (np.ndarray,), {'__iter__': lambda self: 1 / 0, '__getitem__': lambda self, i: 1 / 0})",
        (),
    );
    let array = refusing.call_method("__call__", ((3,),)).unwrap();
    array.call_method("fill", (2.5,)).unwrap();
    assert_eq!(array.extract::<Vec<f64>>().unwrap(), [2.5, 2.5, 2.5]);
    let ints = numpy("arange", (4,));
    assert_eq!(ints.extract::<Vec<i64>>().unwrap(), [0, 1, 2, 3]);
    let bytes = Object::new(pyo3_bytes(b"snake")).unwrap();
    assert_eq!(bytes.extract::<Vec<u8>>().unwrap(), b"snake");
}

fn pyo3_bytes(bytes: &'static [u8]) -> Object {
    dynamic::call("builtins", "bytes", (bytes.to_vec(),)).unwrap()
}

#[test]
fn another_dtype_or_shape_converts_by_value_as_before() {
    let ints = numpy("arange", (3,));
    assert_eq!(ints.extract::<Vec<f64>>().unwrap(), [0.0, 1.0, 2.0]);
    let floats = numpy("linspace", (0.0, 1.0, 3));
    let error = floats.extract::<Vec<i64>>().unwrap_err();
    assert!(error.message().contains("to Vec<i64>"), "{error}");
    let grid = numpy("ones", ((2, 2),));
    assert_eq!(
        grid.extract::<Vec<Vec<f64>>>().unwrap(),
        [[1.0, 1.0], [1.0, 1.0]]
    );
    assert!(grid.extract::<Vec<f64>>().is_err());
}

#[test]
fn a_plain_vec_stays_a_list() {
    let text = dynamic::call("json", "dumps", (vec![1.5, 2.0],)).unwrap();
    assert_eq!(text.extract::<String>().unwrap(), "[1.5, 2.0]");
}

#[test]
fn an_owned_vec_moves_into_numpy_without_a_copy() {
    let samples: Vec<f64> = (0..1000).map(f64::from).collect();
    let address = samples.as_ptr() as usize;
    let array = Object::new(numpy_array(samples)).unwrap();
    assert_eq!(
        eval("type(a).__name__ + ' ' + str(a.dtype)", &array).to_string(),
        "ndarray float64"
    );
    assert_eq!(data_address(&array), address);
    assert_eq!(numpy("sum", (&array,)).extract::<f64>().unwrap(), 499_500.0);
}

#[test]
fn slices_and_views_are_copied_once_in_their_shape() {
    let samples = vec![1i32, 2, 3];
    let copied = Object::new(numpy_array(&samples[..])).unwrap();
    assert_ne!(data_address(&copied), samples.as_ptr() as usize);
    assert_eq!(
        eval("repr(a)", &copied).to_string(),
        "array([1, 2, 3], dtype=int32)"
    );
    assert_eq!(
        eval("repr(a)", numpy_array(&samples)).to_string(),
        "array([1, 2, 3], dtype=int32)"
    );

    let grid = Array2::from_shape_fn((2, 3), |(row, column)| (row * 10 + column) as f64);
    assert_eq!(
        eval("repr(a)", numpy_array(&grid)).to_string(),
        "array([[ 0.,  1.,  2.],\n       [10., 11., 12.]])"
    );
    // A column: not contiguous.
    assert_eq!(
        eval("repr(a)", numpy_array(grid.slice(s![.., 1]))).to_string(),
        "array([ 1., 11.])"
    );
    let address = grid.as_ptr() as usize;
    let moved = Object::new(numpy_array(grid)).unwrap();
    assert_eq!(data_address(&moved), address);
    assert_eq!(
        eval("a.shape", &moved).extract::<(usize, usize)>().unwrap(),
        (2, 3)
    );
}

#[test]
fn an_adapter_taking_array_like_accepts_rust_arrays() {
    let version: String = dynamic::call("importlib.metadata", "version", ("numpy",))
        .unwrap()
        .extract()
        .unwrap();
    let python: String = dynamic::call("platform", "python_version", ())
        .unwrap()
        .extract()
        .unwrap();
    let library: &'static Library = Box::leak(Box::new(Library::distribution(
        "numpy",
        "numpy",
        Box::leak(version.into_boxed_str()),
        Interpreter::new("cpython", Box::leak(python.into_boxed_str())),
    )));
    // What `cargo snakegen` generates for `numpy.linalg.norm(x: ArrayLike, ..)`.
    let norm = Symbol::new(library, "numpy.linalg", "norm");
    let norm = |x: snakegen::NumpyArray<Vec<f64>>| norm.call_extract::<f64>((x,)).unwrap();
    assert_eq!(norm(numpy_array(vec![3.0, 4.0])), 5.0);
}

#[test]
fn numpy_arrays_come_back_as_ndarray_arrays_and_views() {
    let grid = numpy("arange", (6.0,))
        .call_method("reshape", (2, 3))
        .unwrap();
    let owned: ArrayD<f64> = grid.to_ndarray().unwrap();
    assert_eq!(owned.shape(), [2, 3]);
    assert_eq!(owned[IxDyn(&[1, 2])], 5.0);

    let (address, total) = grid
        .with_ndarray(|view: snakegen::ndarray::ArrayViewD<f64>| {
            (view.as_ptr() as usize, view.sum())
        })
        .unwrap();
    assert_eq!(address, data_address(&grid));
    assert_eq!(total, 15.0);

    let error = numpy("arange", (3,)).to_ndarray::<f64>().unwrap_err();
    assert_eq!(
        error.message(),
        "expected a numpy array of float64, found a numpy array of int64"
    );
    let error = Object::new(vec![1.0])
        .unwrap()
        .to_ndarray::<f64>()
        .unwrap_err();
    assert_eq!(
        error.message(),
        "expected a numpy array of float64, found list"
    );
    let series = dynamic::call("pandas", "Series", (vec![1.0],)).unwrap();
    let error = series.to_ndarray::<f64>().unwrap_err();
    assert_eq!(
        error.message(),
        "expected a numpy array of float64, found Series"
    );
}

#[test]
fn numpy_works_in_place_on_memory_that_rust_lends() {
    let mut samples = vec![3.0, 1.0, 2.0];
    let address = samples.as_ptr() as usize;
    let seen = lend_to_numpy(&mut samples, |array| {
        array.call_method("sort", ())?;
        dynamic::call_with("numpy", "multiply")
            .args([array, array])
            .kwarg("out", array)
            .call()?;
        Ok(data_address(array))
    })
    .unwrap();
    assert_eq!(seen, address);
    assert_eq!(samples, [1.0, 4.0, 9.0]);

    let mut grid = Array2::<i64>::zeros((2, 2));
    lend_to_numpy(&mut grid, |array| {
        eval("a.__setitem__((1, 0), 7)", array);
        Ok(())
    })
    .unwrap();
    assert_eq!(grid, snakegen::ndarray::array![[0, 0], [7, 0]]);
}

#[test]
fn an_array_that_outlives_its_loan_aborts_the_process() {
    for role in ["escape", "escape-and-panic"] {
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["child", "--exact", "--nocapture", "--test-threads=1"])
            .env(ROLE, role)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{role}: {stderr}");
        assert!(
            stderr.contains("the numpy array lent by `lend_to_numpy` is still referenced after the loan (1 other references)"),
            "{role}: {stderr}"
        );
        assert!(!String::from_utf8_lossy(&output.stdout).contains("returned"));
    }
}

#[test]
fn a_panic_during_a_loan_that_kept_nothing_is_an_ordinary_panic() {
    let mut samples = vec![1.0];
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = lend_to_numpy(&mut samples, |array| -> snakegen::Result<()> {
            array.call_method("fill", (5.0,))?;
            panic!("inside the loan");
        });
    }));
    assert!(panicked.is_err());
    assert_eq!(samples, [5.0]);
}

/// The child's side of the scenarios that need a process of their own; a
/// no-op in a normal test run.
#[test]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    match role.as_str() {
        "escape" | "escape-and-panic" => {
            let kept = dynamic::call("builtins", "list", ()).unwrap();
            let mut samples = vec![1.0, 2.0];
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                lend_to_numpy(&mut samples, |array| {
                    kept.call_method("append", (array,))?;
                    if role == "escape-and-panic" {
                        panic!("with the array kept");
                    }
                    Ok(())
                })
            }));
            println!("returned");
        }
        _ => panic!("unknown role {role}"),
    }
}
