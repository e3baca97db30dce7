//! P1: what an adapter call costs next to a hand-written pyo3 call.
//!
//! `cargo bench -p snakegen --bench call` (option: `-- --calls 1000000`)
//!
//! The adapter side is exactly what `cargo snakegen` generates for
//! `math.sqrt` (a `Library`, a cached `Symbol`, a typed `f64` result); the
//! hand-written side caches the callable once and calls and extracts it in
//! the same attached scope.

#[path = "../../benches/timing.rs"]
mod timing;

use std::hint::black_box;
use std::time::Duration;

use timing::{median, time};

use pyo3::prelude::*;
use snakegen::{Interpreter, Library, Symbol};

fn main() {
    let calls = std::env::args()
        .skip_while(|arg| arg != "--calls")
        .nth(1)
        .and_then(|value| value.parse().ok())
        .unwrap_or(1_000_000usize);
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

    let rounds = 9;
    let mut hand = Vec::new();
    let mut adapter = Vec::new();
    let mut auto = Vec::new();
    for round in 0..rounds {
        // Both in the same attached scope, as the issue defines P1.
        let (hand_time, adapter_time) = snakegen::attach(|py| {
            let cached: Py<PyAny> = py.import("math").unwrap().getattr("sqrt").unwrap().unbind();
            let callee = cached.bind(py);
            let adapter_loop = || {
                time(|| {
                    for index in 0..calls {
                        black_box(sqrt.call_extract::<f64>((index as f64,)).unwrap());
                    }
                })
            };
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
            // Which side runs first alternates, so that warm-up and
            // frequency changes within a round favour neither.
            if round % 2 == 0 {
                let adapter_time = adapter_loop();
                (hand_loop(), adapter_time)
            } else {
                let hand_time = hand_loop();
                (hand_time, adapter_loop())
            }
        });
        hand.push(hand_time);
        adapter.push(adapter_time);
        auto.push(
            time(|| {
                for index in 0..calls / 10 {
                    black_box(sqrt.call_extract::<f64>((index as f64,)).unwrap());
                }
            }) * 10,
        );
    }
    let [hand, adapter, auto] = [hand, adapter, auto].map(median);
    let per_call = |total: Duration| total.as_secs_f64() * 1e9 / calls as f64;
    println!("{calls} calls of math.sqrt, median of {rounds} rounds");
    println!(
        "hand-written pyo3, cached callable: {:7.1} ns/call",
        per_call(hand)
    );
    println!(
        "adapter inside snakegen::attach:    {:7.1} ns/call",
        per_call(adapter)
    );
    println!(
        "adapter attaching by itself:        {:7.1} ns/call",
        per_call(auto)
    );
    println!(
        "adapter / hand-written  = {:.3} (target <= 1.10)",
        adapter.as_secs_f64() / hand.as_secs_f64()
    );
    println!(
        "auto-attach / hand-written = {:.3} (target <= 3)",
        auto.as_secs_f64() / hand.as_secs_f64()
    );
}
