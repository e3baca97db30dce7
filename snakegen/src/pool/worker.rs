//! The worker's side: the program's own executable, started by a pool with
//! `SNAKEGEN_POOL_WORKER` set, serving requests from its stdin until the
//! pool closes it.

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

use super::job::Jobs;
use super::wire::{self, Hello, Reply};
use crate::error::Error;

/// Set in a worker's environment to the parent's process id.
pub(super) const WORKER_ENV: &str = "SNAKEGEN_POOL_WORKER";

pub(super) fn serve_if_worker(jobs: &'static Jobs) {
    let Some(parent) = std::env::var_os(WORKER_ENV) else {
        return;
    };
    let code = match serve(jobs, &parent.to_string_lossy()) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("snakegen: pool worker: {error}");
            1
        }
    };
    std::process::exit(code);
}

fn serve(jobs: &'static Jobs, parent: &str) -> io::Result<()> {
    let parent: libc::pid_t = parent.parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{WORKER_ENV}={parent} is not a process id"),
        )
    })?;
    die_with(parent);
    let (mut requests, mut replies) = take_pipes()?;
    // Started before saying hello, so that a pool's start-up includes the
    // interpreter's, and the first job does not pay for it.
    crate::attach(|_| ());
    let hello = Hello {
        protocol: wire::PROTOCOL,
        jobs: jobs.signatures(),
    };
    let hello = postcard::to_stdvec(&hello).map_err(io::Error::other)?;
    wire::write_all(&mut replies, &wire::frame(&[&hello]))?;
    while let Some(request) = wire::read_frame(&mut requests)? {
        let reply = match wire::split_request(&request)
            .and_then(|(index, input)| Some((jobs.get(index)?, input)))
        {
            Some((job, input)) => job.serve(input),
            None => Reply::failed(&Error::argument(
                "the pool asked for a job this worker does not have",
            )),
        };
        wire::write_all(&mut replies, &reply.encode())?;
    }
    Ok(())
}

/// Moves the protocol off fds 0 and 1, so that whatever the jobs print
/// (Python's `print` included) goes to stderr, which the parent passes on
/// with the worker's id, and nothing a job reads from stdin eats requests.
fn take_pipes() -> io::Result<(File, File)> {
    // SAFETY: fds 0, 1 and 2 are open for the life of the process (the
    // parent made them pipes); the duplicates are close-on-exec.
    let standard = |fd| unsafe { BorrowedFd::borrow_raw(fd) }.try_clone_to_owned();
    let requests = standard(0)?;
    let replies = standard(1)?;
    let null = File::open("/dev/null")?;
    redirect(null.as_raw_fd(), 0)?;
    redirect(2, 1)?;
    Ok((File::from(requests), File::from(replies)))
}

fn redirect(from: i32, to: i32) -> io::Result<()> {
    // SAFETY: both are open descriptors; `to` is replaced atomically.
    if unsafe { libc::dup2(from, to) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A worker outlives neither a parent killed outright (SIGKILL, Ctrl-C)
/// nor one that exits without closing the pool. An idle worker would also
/// see its requests pipe close; a busy one is inside a job, so the kernel
/// (Linux) or a watching thread ends it.
fn die_with(parent: libc::pid_t) {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and changes nothing else.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
    #[cfg(not(target_os = "linux"))]
    std::thread::spawn(move || {
        // SAFETY: getppid cannot fail.
        while unsafe { libc::getppid() } == parent {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        std::process::exit(1);
    });
    // The parent may have died before the signal was armed.
    // SAFETY: getppid cannot fail.
    if unsafe { libc::getppid() } != parent {
        eprintln!("snakegen: pool worker: its parent, process {parent}, is gone");
        std::process::exit(1);
    }
}
