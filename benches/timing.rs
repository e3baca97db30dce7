//! Shared by the benchmarks of every crate (included with `#[path]`):
//! wall-clock timing and medians, nothing more.

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
