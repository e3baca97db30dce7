//! The worker pool against the real interpreter: crashes, deadlines,
//! exceptions and panics fail only their job, and no worker outlives the
//! pool or its parent.
//!
//! `harness = false`: this binary is also the workers' executable (and,
//! for the parent-death tests, the parent's), so `main` serves first.

use std::io::{BufRead, BufReader};
use std::process::{ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use snakegen::dynamic;
use snakegen::pool::{Job, Jobs, Pool};
use snakegen::{ErrorKind, Interpreter, Library, Symbol};

#[derive(Serialize, Deserialize, Clone, Debug)]
enum Behaviour {
    /// `2 * n`, computed by Python.
    Double(i64),
    Segfault,
    Hang,
    Raise,
    Exit(i32),
    Panic,
    /// Prints to stdout from Python and to stderr from Rust, then answers.
    Print(String),
}

fn behave(behaviour: Behaviour) -> snakegen::Result<i64> {
    match behaviour {
        Behaviour::Double(n) => dynamic::call("operator", "mul", (n, 2))?.extract(),
        Behaviour::Segfault => dynamic::call("ctypes", "string_at", (0,))?.extract(),
        Behaviour::Hang => dynamic::call("time", "sleep", (600,))?.extract(),
        Behaviour::Raise => dynamic::call("math", "sqrt", (-1,))?.extract(),
        Behaviour::Exit(code) => dynamic::call("os", "_exit", (code,))?.extract(),
        Behaviour::Panic => panic!("a job that panics"),
        Behaviour::Print(text) => {
            dynamic::call("builtins", "print", (format!("python says {text}"),))?;
            eprintln!("rust says {text}");
            Ok(0)
        }
    }
}

/// The worker's process id, after `pause` seconds.
fn pid(pause: f64) -> snakegen::Result<u32> {
    dynamic::call("time", "sleep", (pause,))?;
    dynamic::call("os", "getpid", ())?.extract()
}

/// What an adapter generated against another sympy declares.
static STALE_SYMPY: Library = Library::distribution(
    "sympy",
    "sympy",
    "0.0.1",
    Interpreter::new("cpython", "3.11.7"),
);
static STALE_SQRT: Symbol = Symbol::new(&STALE_SYMPY, "sympy", "sqrt");

fn stale_sqrt(n: i64) -> snakegen::Result<String> {
    Ok(STALE_SQRT.call((n,))?.to_string())
}

static BEHAVE: Job<Behaviour, i64> = Job::new("behave", behave);
static STALE: Job<i64, String> = Job::new("stale", stale_sqrt);
static PID: Job<f64, u32> = Job::new("pid", pid);
static JOBS: Jobs = Jobs::new(&[&BEHAVE, &PID, &STALE]);

/// A job that is not in `JOBS`.
static UNLISTED: Job<f64, u32> = Job::new("unlisted", pid);

/// What this binary does when a test runs it as a parent.
const ROLE: &str = "SNAKEGEN_POOL_TEST_ROLE";

fn main() {
    let role = std::env::var(ROLE).unwrap_or_default();
    if role == "forgetful" {
        return forgetful();
    }
    JOBS.serve_if_worker();
    match role.as_str() {
        "parent" => return parent_with_a_busy_worker(),
        "printer" => return printer(),
        "interrupted" => return interrupted_parent(),
        _ => {}
    }
    let tests: [(&str, fn()); 13] = [
        ("reliability_200_jobs", reliability_200_jobs),
        (
            "python_exception_keeps_type_message_traceback",
            python_exception,
        ),
        ("panic_fails_its_job_only", panic_fails_its_job_only),
        ("workers_check_library_versions", workers_check_versions),
        ("exit_status_is_named", exit_status_is_named),
        (
            "stream_pulls_inputs_as_results_are_read",
            stream_backpressure,
        ),
        (
            "dropping_the_pool_kills_running_jobs",
            drop_kills_running_jobs,
        ),
        ("unlisted_job_is_refused", unlisted_job_is_refused),
        ("another_program_must_serve_the_same_jobs", another_program),
        (
            "workers_die_with_a_killed_parent",
            workers_die_with_a_killed_parent,
        ),
        ("ctrl_c_is_keyboard_interrupt", ctrl_c_is_keyboard_interrupt),
        (
            "worker_output_passes_through_with_its_id",
            output_passes_through,
        ),
        ("main_without_serve_if_worker_fails_clearly", forgetful_main),
    ];
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let mut passed = 0;
    for (name, test) in tests {
        if !filter.is_empty() && !filter.iter().any(|wanted| name.contains(wanted.as_str())) {
            continue;
        }
        let started = Instant::now();
        test();
        println!(
            "test {name} ... ok ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
        passed += 1;
    }
    println!("{passed} passed, 0 failed");
}

/// The reliability test: 200 jobs, of which 10 segfault, 10 sleep
/// past their deadline and 10 raise.
fn reliability_200_jobs() {
    let pool = Pool::builder(&JOBS)
        .workers(2)
        .deadline(Duration::from_secs(1))
        .start()
        .unwrap();
    let first_pids = pool.pids();
    let inputs: Vec<Behaviour> = (0..200)
        .map(|i| match i % 20 {
            3 => Behaviour::Segfault,
            9 => Behaviour::Hang,
            15 => Behaviour::Raise,
            _ => Behaviour::Double(i),
        })
        .collect();
    let results = pool.map(&BEHAVE, inputs.clone());
    assert_eq!(results.len(), 200);
    let mut counts = [0; 4];
    for (input, result) in inputs.iter().zip(&results) {
        match (input, result) {
            (Behaviour::Double(n), Ok(doubled)) => {
                assert_eq!(*doubled, 2 * n);
                counts[0] += 1;
            }
            (Behaviour::Segfault, Err(error)) => {
                assert_eq!(error.kind(), ErrorKind::Crashed, "{error:?}");
                assert!(error.message().contains("signal 11 (SIGSEGV)"), "{error}");
                counts[1] += 1;
            }
            (Behaviour::Hang, Err(error)) => {
                assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
                assert!(error.message().contains("deadline of 1s"), "{error}");
                counts[2] += 1;
            }
            (Behaviour::Raise, Err(error)) => {
                assert_eq!(error.kind(), ErrorKind::Python, "{error:?}");
                assert_eq!(error.python_type(), Some("ValueError"));
                counts[3] += 1;
            }
            (input, result) => panic!("{input:?} gave {result:?}"),
        }
    }
    assert_eq!(counts, [170, 10, 10, 10]);
    // A job's error comes back before its worker is started again.
    let until = Instant::now() + Duration::from_secs(30);
    while pool.stats().restarted < 20 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
    let stats = pool.stats();
    assert_eq!(
        (stats.done, stats.failed, stats.restarted),
        (170, 30, 20),
        "{stats:?}"
    );
    // Every crashed or overrun worker was reaped, and still serving ones
    // are the pool's current workers.
    let serving = pool.pids();
    assert_ne!(serving, first_pids, "the workers were restarted");
    assert_eq!(children(), sorted(serving.clone()));
    // Still serving, on both workers.
    let more = pool.map(&BEHAVE, (0..20).map(Behaviour::Double));
    assert!(
        more.iter()
            .enumerate()
            .all(|(i, result)| result.as_ref().ok() == Some(&(2 * i as i64)))
    );
    let workers: std::collections::BTreeSet<u32> = pool
        .map(&PID, vec![0.1; 10])
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(workers.into_iter().collect::<Vec<_>>(), sorted(serving));
    drop(pool);
    assert_eq!(children(), Vec::<u32>::new(), "no worker outlives its pool");
}

fn python_exception() {
    let pool = Pool::new(&JOBS, 1).unwrap();
    let error = pool.run(&BEHAVE, Behaviour::Raise).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Python);
    assert_eq!(error.python_type(), Some("ValueError"));
    assert_eq!(error.message(), "math domain error");
    let traceback = error.traceback().unwrap();
    assert!(
        traceback.ends_with("ValueError: math domain error\n"),
        "{traceback}"
    );
    assert_eq!(pool.stats().restarted, 0);
}

fn panic_fails_its_job_only() {
    let pool = Pool::new(&JOBS, 1).unwrap();
    let before = pool.run(&PID, 0.0).unwrap();
    let error = pool.run(&BEHAVE, Behaviour::Panic).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Crashed);
    assert_eq!(error.message(), "job `behave` panicked: a job that panics");
    assert_eq!(
        pool.run(&PID, 0.0).unwrap(),
        before,
        "the same worker serves on"
    );
    assert_eq!(pool.stats().restarted, 0);
}

/// A worker's adapters check the library's version at first use, as they
/// do in-process.
fn workers_check_versions() {
    let pool = Pool::new(&JOBS, 1).unwrap();
    let error = pool.run(&STALE, 2).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Environment, "{error}");
    assert!(
        error
            .message()
            .starts_with("the adapters for `sympy` were generated against sympy 0.0.1, but"),
        "{error}"
    );
    assert_eq!(pool.stats().restarted, 0);
}

fn exit_status_is_named() {
    let pool = Pool::new(&JOBS, 1).unwrap();
    let error = pool.run(&BEHAVE, Behaviour::Exit(3)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Crashed);
    assert!(
        error
            .message()
            .contains("exited with status 3 running job `behave`"),
        "{error}"
    );
    assert_eq!(pool.run(&BEHAVE, Behaviour::Double(4)).unwrap(), 8);
    assert_eq!(pool.stats().restarted, 1);
}

fn stream_backpressure() {
    let pool = Pool::builder(&JOBS).workers(2).queue(3).start().unwrap();
    let pulled = std::cell::Cell::new(0);
    let inputs = (0..100).map(|i| {
        pulled.set(pulled.get() + 1);
        Behaviour::Double(i)
    });
    let mut stream = pool.stream(&BEHAVE, inputs);
    assert_eq!(stream.next().unwrap().unwrap(), 0);
    // The queue's 3, plus one per worker.
    assert_eq!(pulled.get(), 5);
    assert_eq!(stream.nth(9).unwrap().unwrap(), 20);
    assert_eq!(pulled.get(), 15);
    let rest: Vec<i64> = stream.map(Result::unwrap).collect();
    assert_eq!(rest, (11..100).map(|i| 2 * i).collect::<Vec<_>>());
    let stats = pool.stats();
    assert_eq!((stats.done, stats.failed), (100, 0));
    // Dropping a stream half read cancels what it queued.
    let mut stream = pool.stream(&BEHAVE, (0..100).map(Behaviour::Double));
    stream.next().unwrap().unwrap();
    drop(stream);
    assert_eq!(pool.run(&BEHAVE, Behaviour::Double(1)).unwrap(), 2);
    assert!(pool.stats().done < 200);
}

/// A job whose stream was dropped still runs; dropping the pool kills it
/// rather than wait for it.
fn drop_kills_running_jobs() {
    let pool = Pool::new(&JOBS, 2).unwrap();
    let mut stream = pool.stream(&BEHAVE, [Behaviour::Double(1), Behaviour::Hang]);
    assert_eq!(stream.next().unwrap().unwrap(), 2);
    drop(stream);
    // The hanging job has reached its worker once both were taken.
    while pool.stats().mean_queue_wait.is_zero() || children().len() < 2 {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    drop(pool);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(children(), Vec::<u32>::new());
}

fn unlisted_job_is_refused() {
    let pool = Pool::new(&JOBS, 1).unwrap();
    let error = pool.run(&UNLISTED, 0.0).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Argument);
    assert_eq!(
        error.message(),
        "the job `unlisted(f64) -> u32` is not in this pool's `Jobs` list: add `&unlisted` to it"
    );
}

fn another_program() {
    let error = Pool::builder(&JOBS)
        .workers(1)
        .program("/bin/true")
        .start()
        .err()
        .unwrap();
    assert_eq!(error.kind(), ErrorKind::Environment);
    assert!(
        error
            .message()
            .starts_with("could not start pool worker 0: it exited with status 0 before serving"),
        "{error}"
    );
    let pool = Pool::builder(&JOBS)
        .workers(1)
        .program(std::env::current_exe().unwrap())
        .start()
        .unwrap();
    assert_eq!(pool.run(&BEHAVE, Behaviour::Double(21)).unwrap(), 42);
}

/// The parent is killed outright (SIGKILL) and interrupted (SIGINT, as
/// Ctrl-C sends it) while a job runs and another worker idles: no worker
/// survives it.
fn workers_die_with_a_killed_parent() {
    for signal in [libc::SIGKILL, libc::SIGINT] {
        let (mut parent, workers, _) = parent_and_workers("parent");
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(parent.id() as i32, signal) };
        assert!(!parent.wait().unwrap().success());
        assert_all_end(&workers, signal);
    }
}

/// Once Python's `signal` module is imported (sympy imports it), Python
/// handles SIGINT: the parent waiting on the pool gets `KeyboardInterrupt`,
/// returns, and dropping its pool kills the busy worker.
fn ctrl_c_is_keyboard_interrupt() {
    let (mut parent, workers, mut stdout) = parent_and_workers("interrupted");
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: a plain kill(2) of our own child.
    unsafe { libc::kill(parent.id() as i32, libc::SIGINT) };
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "KeyboardInterrupt\n");
    assert!(parent.wait().unwrap().success());
    assert_all_end(&workers, libc::SIGINT);
}

/// Starts this binary in `role`; it prints its workers' ids on a line.
fn parent_and_workers(role: &str) -> (std::process::Child, Vec<u32>, BufReader<ChildStdout>) {
    let mut parent = Command::new(std::env::current_exe().unwrap())
        .env(ROLE, role)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(parent.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let workers: Vec<u32> = line
        .split_whitespace()
        .map(|pid| pid.parse().unwrap())
        .collect();
    assert_eq!(workers.len(), 2, "{line}");
    assert!(workers.iter().all(|&pid| running(pid)));
    (parent, workers, stdout)
}

fn assert_all_end(workers: &[u32], signal: i32) {
    let until = Instant::now() + Duration::from_secs(5);
    while workers.iter().any(|&pid| running(pid)) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    let survivors: Vec<&u32> = workers.iter().filter(|&&pid| running(pid)).collect();
    assert!(
        survivors.is_empty(),
        "signal {signal}: workers {survivors:?} survived"
    );
}

fn parent_with_a_busy_worker() {
    let pool = Pool::new(&JOBS, 2).unwrap();
    let pids: Vec<String> = pool.pids().iter().map(u32::to_string).collect();
    std::thread::scope(|scope| {
        scope.spawn(|| pool.run(&BEHAVE, Behaviour::Hang));
        // The job has reached a worker once the queue wait is counted.
        while pool.stats().mean_queue_wait.is_zero() {
            std::thread::sleep(Duration::from_millis(5));
        }
        println!("{}", pids.join(" "));
        std::thread::sleep(Duration::from_secs(60));
        std::process::exit(0);
    });
}

fn interrupted_parent() {
    dynamic::import("signal").unwrap();
    let pool = Pool::new(&JOBS, 2).unwrap();
    let pids: Vec<String> = pool.pids().iter().map(u32::to_string).collect();
    println!("{}", pids.join(" "));
    let error = pool.run(&BEHAVE, Behaviour::Hang).unwrap_err();
    println!("{}", error.python_type().unwrap_or_default());
}

fn output_passes_through() {
    let output = Command::new(std::env::current_exe().unwrap())
        .env(ROLE, "printer")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("[worker 0] python says hello\n"),
        "{stderr}"
    );
    assert!(stderr.contains("[worker 0] rust says hello\n"), "{stderr}");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "0\n",
        "the protocol stays off stdout"
    );
}

fn printer() {
    let pool = Pool::new(&JOBS, 1).unwrap();
    println!(
        "{}",
        pool.run(&BEHAVE, Behaviour::Print("hello".into())).unwrap()
    );
}

fn forgetful_main() {
    let output = Command::new(std::env::current_exe().unwrap())
        .env(ROLE, "forgetful")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("could not start pool worker 0: it exited with status 1 before serving: does `main` call `JOBS.serve_if_worker()` first?"),
        "{stdout}"
    );
    assert!(output.status.success());
}

/// A `main` that starts a pool without serving first: its workers would
/// start pools of their own, and refuse to.
fn forgetful() {
    if std::env::var_os("SNAKEGEN_POOL_WORKER").is_some() {
        let error = Pool::new(&JOBS, 1).err().unwrap();
        eprintln!("{error}");
        std::process::exit(1);
    }
    println!("{}", Pool::new(&JOBS, 1).err().unwrap());
}

/// The running processes whose parent is this one.
fn children() -> Vec<u32> {
    let me = std::process::id();
    let mut children: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&pid| stat(pid).is_some_and(|(_, parent)| parent == me))
        .collect();
    children.sort();
    children
}

/// Alive and not a zombie.
fn running(pid: u32) -> bool {
    stat(pid).is_some_and(|(state, _)| state != 'Z')
}

/// The state and parent of a process, from `/proc/<pid>/stat`.
fn stat(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command's closing parenthesis: state, then parent pid.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?.chars().next()?;
    Some((state, fields.next()?.parse().ok()?))
}

fn sorted(mut pids: Vec<u32>) -> Vec<u32> {
    pids.sort();
    pids
}
