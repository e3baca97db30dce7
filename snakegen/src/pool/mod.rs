//! Jobs on worker processes: Python past the GIL, crashes and hangs
//! contained, one round trip per job however many Python calls it makes.
//!
//! A [`Job`] is a plain Rust function with serde input and output; inside
//! it, the typed adapters run in-process in the worker. The workers are the
//! program's own executable, each with its own interpreter, started once
//! and reused; `main` hands them its [`Jobs`] list first thing:
//!
//! ```no_run
//! use snakegen::pool::{Job, Jobs, Pool};
//!
//! fn square(n: i64) -> snakegen::Result<i64> {
//!     snakegen::dynamic::call("operator", "mul", (n, n))?.extract()
//! }
//!
//! static SQUARE: Job<i64, i64> = Job::new("square", square);
//! static JOBS: Jobs = Jobs::new(&[&SQUARE]);
//!
//! fn main() -> snakegen::Result<()> {
//!     JOBS.serve_if_worker(); // a worker serves here and never returns
//!     let pool = Pool::new(&JOBS, 2)?;
//!     assert_eq!(pool.run(&SQUARE, 7)?, 49);
//!     let squares: Vec<snakegen::Result<i64>> = pool.map(&SQUARE, 1..=10);
//!     println!("{squares:?} {:?}", pool.stats());
//!     Ok(())
//! }
//! ```
//!
//! A job that fails fails alone: a Python exception is its `Err` with type,
//! message and traceback; a worker that dies (a segfault, `os._exit`, the
//! OOM killer) or a job past its deadline is an `Err` of kind
//! [`ErrorKind::Crashed`] or
//! [`Timeout`](ErrorKind::Timeout) naming the signal, status or
//! deadline, and the worker is started again. The workers die with the
//! parent, however it ends. Unix only.

mod job;
mod process;
mod wire;
mod worker;

use std::collections::VecDeque;
use std::io::{PipeReader, PipeWriter};
use std::marker::PhantomData;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use job::{AnyJob, Job, Jobs};

use crate::error::{Error, ErrorKind, Result};
use process::{Launch, Process};
use wire::{Missing, Reply};

/// How long a closing worker gets to exit by itself before it is killed.
const CLOSING_GRACE: Duration = Duration::from_secs(2);

/// Worker processes serving the jobs of one [`Jobs`] list. `Sync`: threads
/// may share one pool. Dropping it closes the idle workers and kills those
/// still running a job (whose results nobody can read any more: a job
/// outlives its `run`, `map` or stream only when that was dropped).
pub struct Pool {
    shared: Arc<Shared>,
    /// Dropped first when the pool is: the supervisors' polls see the
    /// pipe close and kill the workers still running a job.
    cancel: Option<PipeWriter>,
    supervisors: Vec<JoinHandle<()>>,
    jobs: &'static Jobs,
    deadline: Option<Duration>,
    workers: usize,
}

/// How a [`Pool`] starts: `Pool::builder(&JOBS).workers(4).deadline(..).start()`.
pub struct PoolBuilder {
    launch: Launch,
    workers: usize,
    queue: Option<usize>,
    deadline: Option<Duration>,
}

/// What a pool has done so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Jobs that returned `Ok`.
    pub done: u64,
    /// Jobs that returned `Err`, whatever the kind.
    pub failed: u64,
    /// Workers started again (and ready) after a crash or a deadline.
    pub restarted: u64,
    /// From a job's submission to the moment a worker took it, on average.
    pub mean_queue_wait: Duration,
}

impl Pool {
    /// A pool of `workers` processes, with the defaults of [`PoolBuilder`].
    pub fn new(jobs: &'static Jobs, workers: usize) -> Result<Pool> {
        Pool::builder(jobs).workers(workers).start()
    }

    /// A pool to configure: by default one worker per core, a queue of two
    /// jobs per worker, no deadline, 60 s for a worker to start.
    pub fn builder(jobs: &'static Jobs) -> PoolBuilder {
        PoolBuilder {
            launch: Launch {
                jobs,
                program: None,
                start_timeout: Duration::from_secs(60),
            },
            workers: std::thread::available_parallelism().map_or(1, usize::from),
            queue: None,
            deadline: None,
        }
    }

    /// Runs `job` on a worker, waiting for its turn if all are busy.
    pub fn run<I, O>(&self, job: &Job<I, O>, input: I) -> Result<O>
    where
        I: Serialize,
        O: DeserializeOwned,
        Job<I, O>: AnyJob,
    {
        self.stream(job, [input])
            .next()
            .expect("one input gives one result")
    }

    /// Runs `job` on every input, spread over the workers; the results come
    /// in the order of the inputs, each job's failure its own.
    pub fn map<I, O>(&self, job: &Job<I, O>, inputs: impl IntoIterator<Item = I>) -> Vec<Result<O>>
    where
        I: Serialize,
        O: DeserializeOwned,
        Job<I, O>: AnyJob,
    {
        self.stream(job, inputs).collect()
    }

    /// Like [`map`](Pool::map), as an iterator for large batches: an input is
    /// taken from `inputs` only when fewer than the queue's capacity plus
    /// one per worker are waiting to be read, so a slow reader slows the
    /// producer (backpressure) and memory stays bounded. Dropping the
    /// stream cancels its jobs still queued; those already running finish on
    /// their workers, and their results are dropped. A Ctrl-C while it
    /// waits (once Python's `signal` module handles SIGINT) gives Python's
    /// `KeyboardInterrupt` and ends the stream (and `map`, `run`) there.
    pub fn stream<'p, I, O, Inputs>(
        &'p self,
        job: &Job<I, O>,
        inputs: Inputs,
    ) -> Stream<'p, I, O, Inputs::IntoIter>
    where
        I: Serialize,
        O: DeserializeOwned,
        Job<I, O>: AnyJob,
        Inputs: IntoIterator<Item = I>,
    {
        static BATCHES: AtomicU64 = AtomicU64::new(0);
        Stream {
            pool: self,
            job: self.jobs.index_of(job).map(|index| Target {
                index,
                name: job.name(),
                deadline: job.own_deadline().or(self.deadline),
            }),
            batch: BATCHES.fetch_add(1, Ordering::Relaxed),
            inputs: inputs.into_iter(),
            in_flight: VecDeque::new(),
            window: self.shared.capacity + self.workers,
            output: PhantomData,
        }
    }

    /// Jobs done and failed, workers restarted, and the mean queue wait.
    pub fn stats(&self) -> Stats {
        let stats = &self.shared.stats;
        let started = stats.started.load(Ordering::Relaxed);
        let waited = stats.waited_nanos.load(Ordering::Relaxed);
        Stats {
            done: stats.done.load(Ordering::Relaxed),
            failed: stats.failed.load(Ordering::Relaxed),
            restarted: stats.restarted.load(Ordering::Relaxed),
            mean_queue_wait: Duration::from_nanos(waited.checked_div(started).unwrap_or(0)),
        }
    }

    /// The process ids of the workers serving now, in worker order (a
    /// restarted worker has a new one).
    pub fn pids(&self) -> Vec<u32> {
        self.shared.queue().pids.clone()
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shared.queue().closing = true;
        self.shared.work.notify_all();
        self.shared.room.notify_all();
        drop(self.cancel.take());
        for supervisor in self.supervisors.drain(..) {
            let _ = supervisor.join();
        }
    }
}

impl PoolBuilder {
    /// How many worker processes (at least one).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// How many submitted jobs may wait for a worker before a submitter
    /// blocks (at least one).
    pub fn queue(mut self, capacity: usize) -> Self {
        self.queue = Some(capacity.max(1));
        self
    }

    /// The deadline of every job that has none of its own
    /// ([`Job::deadline`]): past it, the worker is killed and restarted and
    /// the job returns an error of kind [`ErrorKind::Timeout`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How long a worker may take to start and say it is ready.
    pub fn start_timeout(mut self, timeout: Duration) -> Self {
        self.launch.start_timeout = timeout;
        self
    }

    /// Starts the workers from another executable than this program's own:
    /// one whose `main` serves the same [`Jobs`] list (checked when each
    /// worker starts). For a test binary, whose `main` is the test
    /// harness's: `.program(env!("CARGO_BIN_EXE_<name>"))`.
    pub fn program(mut self, program: impl Into<std::path::PathBuf>) -> Self {
        self.launch.program = Some(program.into());
        self
    }

    /// Starts every worker, and returns once all are ready.
    pub fn start(self) -> Result<Pool> {
        if std::env::var_os(worker::WORKER_ENV).is_some() {
            return Err(Error::environment(
                "this process is a pool worker, which starts no pool of its own: call `JOBS.serve_if_worker()` first in `main`",
            ));
        }
        self.launch.jobs.check_unique()?;
        let (cancelled, cancel) = std::io::pipe()
            .map_err(|error| Error::environment(format!("could not start a pool: {error}")))?;
        let shared = Arc::new(Shared {
            cancelled,
            queue: Mutex::new(Queue {
                pids: vec![0; self.workers],
                live: self.workers,
                ..Queue::default()
            }),
            work: Condvar::new(),
            room: Condvar::new(),
            capacity: self.queue.unwrap_or(2 * self.workers),
            stats: Counters::default(),
        });
        let mut pool = Pool {
            shared,
            cancel: Some(cancel),
            supervisors: Vec::with_capacity(self.workers),
            jobs: self.launch.jobs,
            deadline: self.deadline,
            workers: self.workers,
        };
        let (started_tx, started) = std::sync::mpsc::channel();
        for slot in 0..self.workers {
            let shared = Arc::clone(&pool.shared);
            let started_tx = started_tx.clone();
            let launch = self.launch.clone();
            // Each worker is started from its supervisor, a thread that lives
            // as long as the pool: Linux's parent-death signal follows the
            // thread that spawned the child, not the process.
            let supervisor = std::thread::Builder::new()
                .name(format!("snakegen-worker-{slot}"))
                .spawn(move || {
                    let process = Process::start(slot, &launch);
                    if let Ok(process) = &process {
                        shared.queue().pids[slot] = process.pid();
                    }
                    let _ = started_tx.send(process.as_ref().map(drop).map_err(Error::clone));
                    drop(started_tx);
                    if let Ok(process) = process {
                        supervise(&shared, process, &launch);
                    }
                })
                .map_err(|error| {
                    Error::environment(format!("could not start a pool thread: {error}"))
                })?;
            pool.supervisors.push(supervisor);
        }
        drop(started_tx);
        // Every supervisor reports once; a failed start fails the pool
        // (dropping it closes the workers that did start).
        for outcome in started.iter() {
            outcome?;
        }
        Ok(pool)
    }
}

/// A job as a stream sends it: its index, name and deadline.
#[derive(Clone, Copy)]
struct Target {
    index: u32,
    name: &'static str,
    deadline: Option<Duration>,
}

/// The results of [`Pool::stream`], in the order of the inputs.
pub struct Stream<'p, I, O, Inputs> {
    pool: &'p Pool,
    job: Result<Target>,
    batch: u64,
    inputs: Inputs,
    in_flight: VecDeque<Result<Receiver<Result<Vec<u8>>>>>,
    window: usize,
    output: PhantomData<fn(I) -> O>,
}

impl<I, O, Inputs> Iterator for Stream<'_, I, O, Inputs>
where
    I: Serialize,
    O: DeserializeOwned,
    Inputs: Iterator<Item = I>,
{
    type Item = Result<O>;

    fn next(&mut self) -> Option<Result<O>> {
        while self.in_flight.len() < self.window {
            let Some(input) = self.inputs.next() else {
                break;
            };
            let submitted = self.job.clone().and_then(|job| {
                let input = job::encode(&input, "input", job.name)?;
                self.pool.shared.submit(Task {
                    frame: wire::request(job.index, &input),
                    job,
                    batch: self.batch,
                    queued: Instant::now(),
                    reply: None,
                })
            });
            if submitted.is_err() {
                self.pool
                    .shared
                    .stats
                    .failed
                    .fetch_add(1, Ordering::Relaxed);
            }
            self.in_flight.push_back(submitted);
        }
        let reply = match self.in_flight.pop_front()? {
            Ok(receiver) => match wait(&receiver) {
                Ok(reply) => reply,
                Err(interrupt) => {
                    // The rest of the batch is not wanted either.
                    self.in_flight.clear();
                    self.cancel_queued();
                    self.window = 0;
                    return Some(Err(interrupt));
                }
            },
            Err(error) => Err(error),
        };
        let name = self.job.as_ref().map_or("", |job| job.name);
        Some(reply.and_then(|bytes| job::decode(&bytes, name)))
    }
}

impl<I, O, Inputs> Stream<'_, I, O, Inputs> {
    fn cancel_queued(&self) {
        self.pool
            .shared
            .queue()
            .tasks
            .retain(|task| task.batch != self.batch);
        self.pool.shared.room.notify_all();
    }
}

/// How often a caller waiting for a result runs Python's signal handlers.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// The job's reply; `Err` for a Ctrl-C meanwhile. Once anything imported
/// Python's `signal` module (sympy does), SIGINT no longer ends the
/// process: Python's handler only notes it for the next check, which a
/// thread blocked here in Rust would never make. So the wait makes it, and
/// a Ctrl-C ends the wait with Python's `KeyboardInterrupt`, as it would
/// end an in-process call.
fn wait(receiver: &Receiver<Result<Vec<u8>>>) -> Result<Result<Vec<u8>>> {
    loop {
        match receiver.recv_timeout(SIGNAL_CHECK) {
            Ok(reply) => return Ok(reply),
            Err(RecvTimeoutError::Disconnected) => {
                return Ok(Err(Error::plain(
                    ErrorKind::Crashed,
                    "the pool closed before the job ran",
                )));
            }
            Err(RecvTimeoutError::Timeout) => run_signal_handlers()?,
        }
    }
}

/// Python runs them on the main thread only; an interpreter that never
/// started has none.
fn run_signal_handlers() -> Result<()> {
    // SAFETY: Py_IsInitialized may be called at any time.
    if unsafe { pyo3::ffi::Py_IsInitialized() } == 0 {
        return Ok(());
    }
    crate::attach(|py| {
        py.check_signals()
            .map_err(|error| Error::from_py(py, &error))
    })
}

impl<I, O, Inputs> Drop for Stream<'_, I, O, Inputs> {
    fn drop(&mut self) {
        if !self.in_flight.is_empty() {
            self.cancel_queued();
        }
    }
}

struct Shared {
    queue: Mutex<Queue>,
    /// Closes when the pool is dropped.
    cancelled: PipeReader,
    /// A task was queued, or the pool is closing.
    work: Condvar,
    /// A task left the queue, or no worker is left.
    room: Condvar,
    capacity: usize,
    stats: Counters,
}

#[derive(Default)]
struct Queue {
    tasks: VecDeque<Task>,
    closing: bool,
    /// Workers still serving; each supervisor whose worker cannot be
    /// started again takes one away.
    live: usize,
    /// Why the last worker that could not be restarted could not.
    lost: Option<Error>,
    pids: Vec<u32>,
}

#[derive(Default)]
struct Counters {
    done: AtomicU64,
    failed: AtomicU64,
    restarted: AtomicU64,
    started: AtomicU64,
    waited_nanos: AtomicU64,
}

struct Task {
    /// The request, framed.
    frame: Vec<u8>,
    job: Target,
    /// Which stream submitted it, so that dropping the stream cancels it.
    batch: u64,
    queued: Instant,
    reply: Option<SyncSender<Result<Vec<u8>>>>,
}

impl Shared {
    fn queue(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding the lock leaves the queue consistent (each
        // change is one call), so a poisoned lock is still usable.
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `task`, waiting while the queue is full.
    fn submit(&self, mut task: Task) -> Result<Receiver<Result<Vec<u8>>>> {
        let (reply, receiver) = sync_channel(1);
        task.reply = Some(reply);
        let mut queue = self.queue();
        loop {
            if queue.live == 0 {
                return Err(queue
                    .lost
                    .clone()
                    .unwrap_or_else(|| Error::environment("the pool has no worker left")));
            }
            if queue.tasks.len() < self.capacity {
                break;
            }
            queue = self
                .room
                .wait(queue)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        queue.tasks.push_back(task);
        drop(queue);
        self.work.notify_one();
        Ok(receiver)
    }

    /// The next task, or `None` once the pool closes.
    fn take(&self) -> Option<Task> {
        let mut queue = self.queue();
        loop {
            if queue.closing {
                return None;
            }
            if let Some(task) = queue.tasks.pop_front() {
                drop(queue);
                self.room.notify_one();
                let waited = task.queued.elapsed().as_nanos() as u64;
                self.stats.started.fetch_add(1, Ordering::Relaxed);
                self.stats.waited_nanos.fetch_add(waited, Ordering::Relaxed);
                return Some(task);
            }
            queue = self
                .work
                .wait(queue)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    fn finish(&self, task: Task, result: Result<Vec<u8>>) {
        let counter = if result.is_ok() {
            &self.stats.done
        } else {
            &self.stats.failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if let Some(reply) = task.reply {
            // The stream may be gone: then nobody wants the result.
            let _ = reply.send(result);
        }
    }

    /// A worker that could not be started again: with the last one, every
    /// queued job fails and later submissions are refused.
    fn lose_worker(&self, error: Error) {
        eprintln!("snakegen: pool: {error}");
        let mut queue = self.queue();
        queue.live -= 1;
        queue.lost = Some(error.clone());
        let orphans: Vec<Task> = if queue.live == 0 {
            queue.tasks.drain(..).collect()
        } else {
            Vec::new()
        };
        drop(queue);
        self.room.notify_all();
        for task in orphans {
            self.finish(task, Err(error.clone()));
        }
    }
}

/// One worker's thread: takes tasks, runs them on its process, restarts
/// it when it dies or overruns, and closes it when the pool closes.
fn supervise(shared: &Shared, mut process: Process, launch: &Launch) {
    while let Some(task) = shared.take() {
        let deadline = task.job.deadline.map(|deadline| Instant::now() + deadline);
        let reply = process.call(&task.frame, deadline, shared.cancelled.as_fd());
        let (result, restart) = match reply {
            Ok(body) => match Reply::decode(&body) {
                Ok(result) => (result, false),
                Err(garbled) => {
                    process.kill();
                    let message = format!(
                        "worker {} sent {garbled} for job `{}`; it was restarted",
                        process.slot, task.job.name
                    );
                    (Err(Error::plain(ErrorKind::Crashed, message)), true)
                }
            },
            Err(Missing::Closed) => {
                let status = process::describe(process.kill());
                let message = format!(
                    "worker {} (pid {}) {status} running job `{}`; it was restarted",
                    process.slot,
                    process.pid(),
                    task.job.name
                );
                (Err(Error::plain(ErrorKind::Crashed, message)), true)
            }
            Err(Missing::Cancelled) => {
                process.kill();
                let message = format!("the pool was dropped while job `{}` ran", task.job.name);
                return shared.finish(task, Err(Error::plain(ErrorKind::Crashed, message)));
            }
            Err(Missing::Late) => {
                process.kill();
                let message = format!(
                    "job `{}` passed its deadline of {:?} on worker {}, which was killed and restarted",
                    task.job.name,
                    task.job.deadline.unwrap_or_default(),
                    process.slot
                );
                (Err(Error::plain(ErrorKind::Timeout, message)), true)
            }
        };
        shared.finish(task, result);
        if restart {
            process = match Process::start(process.slot, launch) {
                Ok(started) => started,
                Err(error) => return shared.lose_worker(error),
            };
            shared.queue().pids[process.slot] = process.pid();
            shared.stats.restarted.fetch_add(1, Ordering::Relaxed);
        }
    }
    process.close(CLOSING_GRACE);
}
