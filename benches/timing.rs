//! Shared by the benchmarks of every crate (included with `#[path]`):
//! wall-clock timing, medians and the numeric options, nothing more.

#![allow(dead_code)] // each benchmark uses its own part of this

use std::time::{Duration, Instant};

pub fn time(work: impl FnOnce()) -> Duration {
    let started = Instant::now();
    work();
    started.elapsed()
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The number after `name` on the command line (`-- --runs 5`), or
/// `default`.
pub fn option(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|arg| arg != name)
        .nth(1)
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}
