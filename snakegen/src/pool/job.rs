//! Jobs and their registration. A job crosses to a worker as its index in
//! the [`Jobs`] list, never as a function pointer; the worker's list is
//! checked against the parent's (names and types) when it starts.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::wire::Reply;
use crate::error::{Error, ErrorKind, Result};

/// A Rust function that runs on a pool worker: serde input, serde output,
/// and any Python calls (the typed adapters) in between, at in-process
/// speed inside the worker.
///
/// ```no_run
/// use snakegen::pool::Job;
///
/// fn double(n: i64) -> snakegen::Result<i64> {
///     Ok(2 * n)
/// }
///
/// static DOUBLE: Job<i64, i64> = Job::new("double", double);
/// ```
pub struct Job<I, O> {
    name: &'static str,
    run: fn(I) -> Result<O>,
    deadline: Option<Duration>,
}

impl<I, O> Job<I, O> {
    /// The job `name` (unique in its [`Jobs`] list) runs `run`.
    pub const fn new(name: &'static str, run: fn(I) -> Result<O>) -> Self {
        Job {
            name,
            run,
            deadline: None,
        }
    }

    /// A run of this job that takes longer than `deadline` is killed with its
    /// worker, and returns an error of kind [`ErrorKind::Timeout`]. It
    /// overrides the pool's deadline.
    pub const fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The name the job was registered under.
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub(super) fn own_deadline(&self) -> Option<Duration> {
        self.deadline
    }
}

/// What the worker runs and the parent checks, whatever the job's types.
pub(super) mod private {
    pub trait Registered: Sync {
        fn name(&self) -> &'static str;
        /// `name(input) -> output`, with the types spelled out, compared
        /// between the parent and each worker.
        fn signature(&self) -> String;
        /// Runs the job on the serialized input, inside the worker.
        fn serve(&self, input: &[u8]) -> super::Reply;
    }
}

/// A job as a [`Jobs`] list holds it: any [`Job`] whose input deserializes
/// and whose output serializes.
pub trait AnyJob: private::Registered {}

impl<I: DeserializeOwned, O: Serialize> AnyJob for Job<I, O> {}

impl<I: DeserializeOwned, O: Serialize> private::Registered for Job<I, O> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn signature(&self) -> String {
        format!(
            "{}({}) -> {}",
            self.name,
            std::any::type_name::<I>(),
            std::any::type_name::<O>()
        )
    }

    fn serve(&self, input: &[u8]) -> Reply {
        let input: I = match postcard::from_bytes(input) {
            Ok(input) => input,
            Err(error) => {
                return Reply::failed(&Error::argument(format!(
                    "job `{}` could not read its input: {error}",
                    self.name
                )));
            }
        };
        // A panic fails its job and leaves the worker serving (the panic
        // hook has already printed it to the worker's stderr).
        match catch_unwind(AssertUnwindSafe(|| (self.run)(input))) {
            Ok(Ok(output)) => match postcard::to_stdvec(&output) {
                Ok(bytes) => Reply::Done(bytes),
                Err(error) => Reply::failed(&Error::argument(format!(
                    "job `{}` could not write its output: {error}",
                    self.name
                ))),
            },
            Ok(Err(error)) => Reply::failed(&error),
            Err(panic) => Reply::failed(&Error::plain(
                ErrorKind::Crashed,
                format!("job `{}` panicked: {}", self.name, panic_message(&*panic)),
            )),
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a non-text panic payload")
}

/// The jobs a program's pools can run. The same `static` list serves both
/// sides: the parent sends a job as its index here, and a worker (the same
/// executable) runs the function at that index.
///
/// ```no_run
/// use snakegen::pool::{Job, Jobs};
/// # fn double(n: i64) -> snakegen::Result<i64> { Ok(2 * n) }
/// static DOUBLE: Job<i64, i64> = Job::new("double", double);
/// static JOBS: Jobs = Jobs::new(&[&DOUBLE]);
///
/// fn main() {
///     JOBS.serve_if_worker(); // first: a worker never returns from it
///     // ...
/// }
/// ```
pub struct Jobs {
    jobs: &'static [&'static dyn AnyJob],
}

impl Jobs {
    /// The list, in a fixed order.
    pub const fn new(jobs: &'static [&'static dyn AnyJob]) -> Self {
        Jobs { jobs }
    }

    /// In a worker process started by a [`Pool`](super::Pool), serves jobs
    /// until the pool closes, then exits the process; in any other process,
    /// returns at once. Call it first in `main`, before anything the
    /// workers should not do.
    pub fn serve_if_worker(&'static self) {
        super::worker::serve_if_worker(self);
    }

    pub(super) fn get(&self, index: u32) -> Option<&'static dyn AnyJob> {
        self.jobs.get(index as usize).copied()
    }

    /// Where the pool finds `job`, checked by name and types.
    pub(super) fn index_of<I, O>(&self, job: &Job<I, O>) -> Result<u32>
    where
        Job<I, O>: AnyJob,
    {
        let wanted = private::Registered::signature(job);
        self.jobs
            .iter()
            .position(|registered| {
                registered.name() == job.name && registered.signature() == wanted
            })
            .map(|index| index as u32)
            .ok_or_else(|| {
                Error::argument(format!(
                    "the job `{wanted}` is not in this pool's `Jobs` list: add `&{}` to it",
                    job.name
                ))
            })
    }

    /// Every job's signature, in order: what a worker must agree with.
    pub(super) fn signatures(&self) -> Vec<String> {
        self.jobs.iter().map(|job| job.signature()).collect()
    }

    /// A list with a name twice could send a job to the wrong function.
    pub(super) fn check_unique(&self) -> Result<()> {
        let mut names: Vec<&str> = self.jobs.iter().map(|job| job.name()).collect();
        names.sort_unstable();
        match names.windows(2).find(|pair| pair[0] == pair[1]) {
            Some(pair) => Err(Error::argument(format!(
                "two jobs in one `Jobs` list are named `{}`",
                pair[0]
            ))),
            None => Ok(()),
        }
    }
}

pub(super) fn encode<T: Serialize>(value: &T, what: &str, job: &str) -> Result<Vec<u8>> {
    postcard::to_stdvec(value)
        .map_err(|error| Error::argument(format!("job `{job}` could not send its {what}: {error}")))
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8], job: &str) -> Result<T> {
    postcard::from_bytes(bytes).map_err(|error| {
        Error::argument(format!("job `{job}`'s output did not read back: {error}"))
    })
}
