//! P1: what an adapter call costs next to a hand-written pyo3 call.
//!
//! `cargo bench -p snakegen --bench call` (option: `-- --calls 200000`, per side and round)
//!
//! The adapter side is exactly what `cargo snakegen` generates for
//! `math.sqrt` (a `Library`, a cached `Symbol`, a typed `f64` result):
//! `call!(py, math::sqrt(x))` is `SQRT.call_extract_attached::<f64>(py,
//! (x,))`, and `math::sqrt(x)` is `SQRT.call_extract::<f64>((x,))`, which
//! attaches again. The hand-written side caches the callable once and
//! calls and extracts it in the same attached scope.

#[path = "../../benches/timing.rs"]
mod timing;

use std::hint::black_box;
use std::time::Duration;

use timing::{median, option, time};

use pyo3::prelude::*;
use snakegen::{Interpreter, Library, Symbol};

fn main() {
    let calls = option("--calls", 200_000);
    let version: String = Python::attach(|py| {
        py.import("platform")
            .unwrap()
            .call_method0("python_version")
            .unwrap()
            .extract()
            .unwrap()
    });
    let library: &'static Library = Box::leak(Box::new(Library::stdlib(
        "math",
        Interpreter::new("cpython", Box::leak(version.into_boxed_str())),
    )));
    let sqrt = Symbol::new(library, "math", "sqrt");
    sqrt.call((1.0,)).expect("math.sqrt works");

    // Many short rounds: the machine is shared, and a ratio within a round
    // compares sides that ran under the same load.
    let rounds = 41;
    let mut hand = Vec::new();
    let mut attached = Vec::new();
    let mut nested = Vec::new();
    let mut auto = Vec::new();
    for round in 0..rounds {
        // All in the same attached scope, as the issue defines P1.
        let times = snakegen::attach(|py| {
            let cached: Py<PyAny> = py.import("math").unwrap().getattr("sqrt").unwrap().unbind();
            let callee = cached.bind(py);
            let hand_loop = || {
                time(|| {
                    for index in 0..calls {
                        black_box(
                            callee
                                .call1((index as f64,))
                                .unwrap()
                                .extract::<f64>()
                                .unwrap(),
                        );
                    }
                })
            };
            let attached_loop = || {
                time(|| {
                    for index in 0..calls {
                        black_box(
                            sqrt.call_extract_attached::<f64>(py, (index as f64,))
                                .unwrap(),
                        );
                    }
                })
            };
            let nested_loop = || {
                time(|| {
                    for index in 0..calls {
                        black_box(sqrt.call_extract::<f64>((index as f64,)).unwrap());
                    }
                })
            };
            // Which side runs first rotates, so that warm-up and frequency
            // changes within a round favour none.
            let loops: [&dyn Fn() -> Duration; 3] = [&hand_loop, &attached_loop, &nested_loop];
            let mut times = [Duration::ZERO; 3];
            for offset in 0..3 {
                let which = (round + offset) % 3;
                times[which] = loops[which]();
            }
            times
        });
        hand.push(times[0]);
        attached.push(times[1]);
        nested.push(times[2]);
        auto.push(
            time(|| {
                for index in 0..calls / 10 {
                    black_box(sqrt.call_extract::<f64>((index as f64,)).unwrap());
                }
            }) * 10,
        );
    }
    let ratio = |side: &[Duration]| {
        let mut ratios: Vec<f64> = side
            .iter()
            .zip(&hand)
            .map(|(side, hand)| side.as_secs_f64() / hand.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    let (attached_ratio, nested_ratio, auto_ratio) =
        (ratio(&attached), ratio(&nested), ratio(&auto));
    let per_call = |side: Vec<Duration>| median(side).as_secs_f64() * 1e9 / calls as f64;
    println!("{calls} calls of math.sqrt, median of {rounds} rounds");
    println!(
        "hand-written pyo3, cached callable:      {:7.1} ns/call",
        per_call(hand.clone())
    );
    println!(
        "call!(py, math::sqrt(x)), the token:      {:7.1} ns/call",
        per_call(attached)
    );
    println!(
        "math::sqrt(x) inside attach (attaches):  {:7.1} ns/call",
        per_call(nested)
    );
    println!(
        "math::sqrt(x) attaching by itself:       {:7.1} ns/call",
        per_call(auto)
    );
    println!("median of the rounds' ratios to hand-written:");
    println!("with the token   = {attached_ratio:.3} (target <= 1.05)");
    println!("nested attach    = {nested_ratio:.3}");
    println!("auto-attach      = {auto_ratio:.3} (target <= 3)");
}
