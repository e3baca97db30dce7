//! The worker pool: throughput of a CPU-bound sympy job on 1 and 2 workers
//! against the same batch in-process on one thread, and the round trip of a
//! no-op job against an in-process call and a fresh process per call.
//!
//! `cargo bench -p snakegen --bench pool` (options: `-- --batch 48
//! --rounds 3 --round-trips 2000 --fresh 10`)
//!
//! This binary is also the workers' executable, so `main` serves first.

#[path = "../../benches/timing.rs"]
mod timing;

use std::hint::black_box;
use std::time::{Duration, Instant};

use snakegen::dynamic;
use snakegen::pool::{Job, Jobs, Pool};
use timing::{median, option, time};

/// `∫ expression dx` with sympy's cache cleared first, so that every run of
/// a job costs the same wherever it runs (5 to 15 ms here).
fn integrate(expression: String) -> snakegen::Result<String> {
    dynamic::call("sympy.core.cache", "clear_cache", ())?;
    let x = dynamic::call("sympy", "Symbol", ("x",))?;
    let parsed = dynamic::call("sympy", "sympify", (expression,))?;
    Ok(dynamic::call("sympy", "integrate", (parsed, x))?.to_string())
}

/// The no-op job: its input back.
fn echo(n: u32) -> snakegen::Result<u32> {
    Ok(n)
}

static INTEGRATE: Job<String, String> = Job::new("integrate", integrate);
static ECHO: Job<u32, u32> = Job::new("echo", echo);
static JOBS: Jobs = Jobs::new(&[&INTEGRATE, &ECHO]);

fn main() {
    JOBS.serve_if_worker();
    let batch_size = option("--batch", 48);
    let rounds = option("--rounds", 3);
    let round_trips = option("--round-trips", 2000);
    let fresh = option("--fresh", 10);

    let batch: Vec<String> = (0..batch_size)
        .map(|i| format!("sin(x)**{}*cos(x)**{}", 1 + i % 3, 1 + (i / 3) % 3))
        .collect();
    let one = Pool::new(&JOBS, 1).unwrap();
    let two = Pool::new(&JOBS, 2).unwrap();
    // Imports and first calls, everywhere, before anything is timed.
    let expected: Vec<String> = batch
        .iter()
        .cloned()
        .map(|e| integrate(e).unwrap())
        .collect();
    for pool in [&one, &two] {
        let results: Vec<String> = pool
            .map(&INTEGRATE, batch.clone())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(results, expected, "the pool computes what the process does");
    }

    let (mut alone, mut on_one, mut on_two) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let in_process = || {
            time(|| {
                for expression in batch.iter().cloned() {
                    black_box(integrate(expression).unwrap());
                }
            })
        };
        let pooled = |pool: &Pool| {
            time(|| {
                for result in pool.map(&INTEGRATE, batch.iter().cloned()) {
                    black_box(result.unwrap());
                }
            })
        };
        // Which side runs first alternates, against drift on a noisy machine.
        if round % 2 == 0 {
            alone.push(in_process());
            on_one.push(pooled(&one));
            on_two.push(pooled(&two));
        } else {
            on_two.push(pooled(&two));
            on_one.push(pooled(&one));
            alone.push(in_process());
        }
    }
    let (alone, on_one, on_two) = (median(alone), median(on_one), median(on_two));
    let per_job = |total: Duration| total / batch_size as u32;
    println!("throughput: {batch_size} integrals, median of {rounds} rounds");
    println!("| run | batch | per job | speed-up |");
    println!("|---|---|---|---|");
    for (name, total) in [
        ("in-process, one thread", alone),
        ("pool, 1 worker", on_one),
        ("pool, 2 workers", on_two),
    ] {
        println!(
            "| {name} | {:.1} ms | {:.2} ms | {:.2}x |",
            total.as_secs_f64() * 1e3,
            per_job(total).as_secs_f64() * 1e3,
            alone.as_secs_f64() / total.as_secs_f64()
        );
    }

    let mut pooled = Vec::with_capacity(round_trips);
    let mut in_process = Vec::with_capacity(round_trips);
    for _ in 0..100 {
        one.run(&ECHO, 7).unwrap();
    }
    for _ in 0..round_trips {
        in_process.push(time(|| {
            black_box(echo(black_box(7)).unwrap());
        }));
        let started = Instant::now();
        one.run(&ECHO, 7).unwrap();
        pooled.push(started.elapsed());
    }
    let mut fresh_process = Vec::with_capacity(fresh);
    for _ in 0..fresh {
        fresh_process.push(time(|| {
            let pool = Pool::new(&JOBS, 1).unwrap();
            pool.run(&ECHO, 7).unwrap();
        }));
    }
    let (pooled, in_process, fresh_process) =
        (median(pooled), median(in_process), median(fresh_process));
    println!();
    println!("round trip of a no-op job, median");
    println!("| call | median |");
    println!("|---|---|");
    println!(
        "| in-process call | {:.3} µs |",
        in_process.as_secs_f64() * 1e6
    );
    println!(
        "| pool, 1 worker ({round_trips} jobs) | {:.1} µs |",
        pooled.as_secs_f64() * 1e6
    );
    println!(
        "| fresh process per call ({fresh} calls) | {:.1} ms |",
        fresh_process.as_secs_f64() * 1e3
    );
    println!();
    println!(
        "ratios: 2 workers / in-process = {:.2}x (target >= 1.8), 1 worker / in-process = {:.2}x, pool round trip {:.1} µs (target <= 100), fresh process / pool = {:.0}x",
        alone.as_secs_f64() / on_two.as_secs_f64(),
        alone.as_secs_f64() / on_one.as_secs_f64(),
        pooled.as_secs_f64() * 1e6,
        fresh_process.as_secs_f64() / pooled.as_secs_f64()
    );
    let stats = two.stats();
    println!("2-worker pool: {stats:?}");
}
