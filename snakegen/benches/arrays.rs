//! Arrays: 1M `f64` between Rust and numpy, next to what Python itself
//! pays for the same trip through a list.
//!
//! `cargo bench -p snakegen --bench arrays` (options: `-- --len 1000000 --rounds 15`)
//!
//! Python's side is timed inside Python (`time.perf_counter_ns` around the
//! statement), Rust's side in Rust, alternating which runs first from
//! round to round.

#[path = "../../benches/timing.rs"]
mod timing;

use std::hint::black_box;
use std::time::Duration;

use timing::{median, option, time};

use snakegen::{Object, dynamic, lend_to_numpy, numpy_array};

/// Python code whose `timed(statement)` runs `statement` with `np`, `values`
/// (a list) and `array` (a float64 array of the same numbers) in scope and
/// returns how long it took.
const PYTHON_TIMER: &str = "
import time, numpy as np
def timed(statement, values, array):
    code = compile(statement, '<bench>', 'exec')
    scope = {'np': np, 'values': values, 'array': array}
    started = time.perf_counter_ns()
    exec(code, scope)
    return time.perf_counter_ns() - started
";

fn main() -> snakegen::Result<()> {
    let len = option("--len", 1_000_000);
    let rounds = option("--rounds", 15);
    let samples: Vec<f64> = (0..len).map(|index| index as f64 * 0.5).collect();
    let list = Object::new(&samples)?;
    let array = Object::new(numpy_array(&samples))?;
    let namespace = Object::new(snakegen::dict([(
        "__builtins__",
        dynamic::import("builtins")?,
    )]))?;
    dynamic::call("builtins", "exec", (PYTHON_TIMER, &namespace))?;
    let timer = namespace.call_method("__getitem__", ("timed",))?;
    let python = |statement: &str| -> snakegen::Result<Duration> {
        let nanos: u64 = timer.call((statement, &list, &array))?.extract()?;
        Ok(Duration::from_nanos(nanos))
    };
    let multiply = dynamic::getattr("numpy", "multiply")?;

    let mut measured: [Vec<Duration>; 8] = Default::default();
    for round in 0..rounds {
        let mut run = |slot: usize, duration: snakegen::Result<Duration>| -> snakegen::Result<()> {
            measured[slot].push(duration?);
            Ok(())
        };
        let python_first = round % 2 == 0;
        if python_first {
            run(0, python("np.array(values)"))?;
            run(1, python("array.tolist()"))?;
            run(2, python("np.multiply(array, 2.0, out=array)"))?;
        }
        let owned = samples.clone();
        run(
            3,
            Ok(time(|| {
                drop(black_box(Object::new(numpy_array(owned)).unwrap()))
            })),
        )?;
        run(
            4,
            Ok(time(|| {
                drop(black_box(Object::new(numpy_array(&samples)).unwrap()))
            })),
        )?;
        run(
            5,
            Ok(time(|| {
                drop(black_box(array.extract::<Vec<f64>>().unwrap()))
            })),
        )?;
        let mut lent = samples.clone();
        let address = lent.as_ptr() as usize;
        run(
            6,
            Ok(time(|| {
                lend_to_numpy(&mut lent, |view| {
                    multiply
                        .call_method_with("__call__")
                        .positional((view, 2.0))
                        .kwarg("out", view)
                        .call()?;
                    Ok(())
                })
                .unwrap();
            })),
        )?;
        // No copy: numpy wrote into the Vec's own memory.
        assert_eq!(lent.as_ptr() as usize, address);
        assert_eq!(lent[len - 1], samples[len - 1] * 2.0);
        // What the same trip cost before: through a list each way.
        run(
            7,
            Ok(time(|| {
                let array = dynamic::call("numpy", "array", (&samples,)).unwrap();
                black_box(array.extract::<Vec<f64>>().unwrap());
            })),
        )?;
        if !python_first {
            run(0, python("np.array(values)"))?;
            run(1, python("array.tolist()"))?;
            run(2, python("np.multiply(array, 2.0, out=array)"))?;
        }
    }
    let [
        python_array,
        python_tolist,
        python_multiply,
        rust_moved,
        rust_copied,
        rust_extract,
        rust_lent_multiply,
        rust_through_lists,
    ] = measured.map(median);
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("{len} f64, median of {rounds} rounds");
    println!(
        "python  np.array(list)                   {:8.3} ms",
        ms(python_array)
    );
    println!(
        "python  array.tolist()                   {:8.3} ms",
        ms(python_tolist)
    );
    println!(
        "python  np.multiply(a, 2, out=a)         {:8.3} ms",
        ms(python_multiply)
    );
    println!(
        "rust    numpy_array(vec), moved          {:8.3} ms",
        ms(rust_moved)
    );
    println!(
        "rust    numpy_array(&vec), one memcpy    {:8.3} ms",
        ms(rust_copied)
    );
    println!(
        "rust    extract::<Vec<f64>>()            {:8.3} ms",
        ms(rust_extract)
    );
    println!(
        "rust    lend_to_numpy + multiply out=    {:8.3} ms",
        ms(rust_lent_multiply)
    );
    println!(
        "rust    numpy.array(vec) + extract (old) {:8.3} ms",
        ms(rust_through_lists)
    );
    println!(
        "moved / np.array(list)   = {:.4} (target <= 0.1)",
        ratio(rust_moved, python_array)
    );
    println!(
        "copied / np.array(list)  = {:.4} (target <= 0.1)",
        ratio(rust_copied, python_array)
    );
    println!(
        "extract / tolist()       = {:.4} (target <= 0.1)",
        ratio(rust_extract, python_tolist)
    );
    println!(
        "lent multiply / python's = {:.4} (no copy: the Vec's own memory)",
        ratio(rust_lent_multiply, python_multiply)
    );
    Ok(())
}
