//! The parent's handle on one worker process: starting it (and checking
//! its hello), one request at a time, killing and reaping it, and passing
//! its stderr through with its id.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::BorrowedFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::job::Jobs;
use super::wire::{self, Hello, Missing};
use super::worker::WORKER_ENV;
use crate::error::{Error, Result};

/// How a pool starts its workers.
#[derive(Clone)]
pub(super) struct Launch {
    pub jobs: &'static Jobs,
    /// The workers' executable; `None` for this program's own.
    pub program: Option<PathBuf>,
    pub start_timeout: Duration,
}

pub(super) struct Process {
    /// The worker's number in its pool, kept across restarts.
    pub slot: usize,
    child: Child,
    requests: ChildStdin,
    replies: ChildStdout,
    /// Once reaped: its id may then belong to another process, so it is
    /// never signalled again.
    ended: Option<ExitStatus>,
}

impl Process {
    /// Starts the worker executable and waits until it says hello with the
    /// same jobs as ours.
    pub fn start(slot: usize, launch: &Launch) -> Result<Process> {
        let Launch {
            jobs,
            ref program,
            start_timeout,
        } = *launch;
        let program = match program {
            Some(program) => program.clone(),
            None => own_executable()?,
        };
        let mut child = Command::new(&program)
            .env(WORKER_ENV, std::process::id().to_string())
            // What jobs print reaches the terminal when printed.
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Out of the terminal's group: Ctrl-C is the parent's to handle,
            // and the workers follow the parent (see `worker::die_with`).
            .process_group(0)
            .spawn()
            .map_err(|error| {
                Error::environment(format!(
                    "could not start pool worker {slot} ({}): {error}",
                    program.display()
                ))
            })?;
        let (Some(requests), Some(replies), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            unreachable!("all three were piped");
        };
        pass_through(slot, stderr);
        let mut process = Process {
            slot,
            child,
            requests,
            replies,
            ended: None,
        };
        let hello = wire::read_frame_by(
            &mut process.replies,
            Some(Instant::now() + start_timeout),
            None,
        );
        let refusal = match hello {
            Ok(body) => match postcard::from_bytes::<Hello>(&body) {
                Ok(hello) if hello.protocol == wire::PROTOCOL && hello.jobs == jobs.signatures() => {
                    return Ok(process);
                }
                Ok(hello) => format!(
                    "it serves other jobs ({:?}, protocol {}) than this pool's ({:?}, protocol {}): is the executable on disk another build?",
                    hello.jobs,
                    hello.protocol,
                    jobs.signatures(),
                    wire::PROTOCOL
                ),
                Err(_) => "it did not answer as a pool worker: does `main` call `JOBS.serve_if_worker()` before it prints anything?".to_owned(),
            },
            Err(Missing::Closed) => format!(
                "it {} before serving: does `main` call `JOBS.serve_if_worker()` first?",
                describe(process.kill())
            ),
            Err(Missing::Late | Missing::Cancelled) => {
                format!("it did not start within {start_timeout:?}")
            }
        };
        process.kill();
        Err(Error::environment(format!(
            "could not start pool worker {slot}: {refusal}"
        )))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a request frame and waits for the reply's body until `deadline`
    /// or until `cancel` closes.
    pub fn call(
        &mut self,
        frame: &[u8],
        deadline: Option<Instant>,
        cancel: BorrowedFd<'_>,
    ) -> Result<Vec<u8>, Missing> {
        wire::write_all(&mut self.requests, frame).map_err(|_| Missing::Closed)?;
        wire::read_frame_by(&mut self.replies, deadline, Some(cancel))
    }

    /// Kills the worker's process group (whatever its jobs started, too)
    /// and reaps it. For a worker that already died, the status says how.
    pub fn kill(&mut self) -> ExitStatus {
        *self
            .ended
            .get_or_insert_with(|| kill_group(&mut self.child))
    }

    /// Closes its requests pipe, which ends the worker's loop, waits up to
    /// `grace` for it to exit (its end of the replies pipe closes), then
    /// kills what is left of its group: the worker, if it hangs, and
    /// whatever its jobs started.
    pub fn close(self, grace: Duration) {
        let Process {
            mut child,
            requests,
            mut replies,
            ended,
            ..
        } = self;
        if ended.is_none() {
            drop(requests);
            let _ = wire::read_frame_by(&mut replies, Some(Instant::now() + grace), None);
            kill_group(&mut child);
        }
    }
}

/// Kills the group a worker leads and reaps the worker: once only, since a
/// reaped worker's id may go to another process.
fn kill_group(child: &mut Child) -> ExitStatus {
    // SAFETY: a plain kill(2) of the group the worker leads; the worker is
    // not reaped yet, so the group's id is still its own.
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
    child.wait().unwrap_or_else(|_| ExitStatus::from_raw(0))
}

/// On Linux the running executable itself, even if a rebuild replaced the
/// file meanwhile.
fn own_executable() -> Result<PathBuf> {
    if cfg!(target_os = "linux") {
        return Ok("/proc/self/exe".into());
    }
    std::env::current_exe().map_err(|error| {
        Error::environment(format!("could not find this program's executable: {error}"))
    })
}

/// `killed by signal 11 (SIGSEGV)`, `exited with status 3`.
pub(super) fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal} ({})", signal_name(signal)),
        (None, None) => format!("ended ({status})"),
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGKILL => "SIGKILL: out of memory, or killed by another process",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGHUP => "SIGHUP",
        libc::SIGPIPE => "SIGPIPE",
        _ => "a signal",
    }
}

/// Copies the worker's stderr to ours, each line after `[worker N] `. The
/// thread ends when the worker does.
fn pass_through(slot: usize, stderr: std::process::ChildStderr) {
    let spawned = std::thread::Builder::new()
        .name(format!("snakegen-worker-{slot}-stderr"))
        .spawn(move || {
            let mut lines = BufReader::new(stderr);
            let mut line = Vec::new();
            while matches!(lines.read_until(b'\n', &mut line), Ok(read) if read > 0) {
                if !line.ends_with(b"\n") {
                    line.push(b'\n');
                }
                let mut out = std::io::stderr().lock();
                let _ = write!(out, "[worker {slot}] ").and_then(|()| out.write_all(&line));
                line.clear();
            }
        });
    if let Err(error) = spawned {
        eprintln!("snakegen: worker {slot}'s stderr is not passed through: {error}");
    }
}
