//! The pipe protocol between the parent and a worker: length-prefixed
//! frames (a little-endian `u32`, then the body). The worker's first frame
//! is its [`Hello`]; then each request (`u32` job index, then the job's
//! postcard input) gets one reply (a tag byte, then the postcard output or
//! the [`WireError`]).

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// Bumped when frames change: a worker from another build refuses to pair.
pub(super) const PROTOCOL: u32 = 1;

const DONE: u8 = 0;
const FAILED: u8 = 1;

/// What a worker says when it is ready: who it is and what it can run.
#[derive(Serialize, Deserialize)]
pub(super) struct Hello {
    pub protocol: u32,
    /// The signatures of its `Jobs` list, in order.
    pub jobs: Vec<String>,
}

/// A worker's answer to one request.
pub enum Reply {
    Done(Vec<u8>),
    Failed(WireError),
}

/// A [`crate::Error`] on its way from a worker.
#[derive(Serialize, Deserialize)]
pub struct WireError {
    kind: u8,
    python_type: Option<String>,
    message: String,
    traceback: Option<String>,
}

impl Reply {
    pub fn failed(error: &Error) -> Self {
        Reply::Failed(WireError {
            kind: match error.kind() {
                ErrorKind::Python => 0,
                ErrorKind::Environment => 1,
                ErrorKind::Argument => 2,
                ErrorKind::Crashed => 3,
                ErrorKind::Timeout => 4,
            },
            python_type: error.python_type().map(str::to_owned),
            message: error.message().to_owned(),
            traceback: error.traceback().map(str::to_owned),
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        match self {
            Reply::Done(output) => frame(&[&[DONE], output]),
            Reply::Failed(error) => {
                let error = postcard::to_stdvec(error).expect("strings and bytes serialize");
                frame(&[&[FAILED], &error])
            }
        }
    }

    /// `Ok(output bytes)`, or the job's error as the worker reported it.
    pub fn decode(body: &[u8]) -> Result<Result<Vec<u8>, Error>, String> {
        match body.split_first() {
            Some((&DONE, output)) => Ok(Ok(output.to_vec())),
            Some((&FAILED, error)) => {
                let error: WireError = postcard::from_bytes(error)
                    .map_err(|error| format!("an unreadable error: {error}"))?;
                let kind = match error.kind {
                    0 => ErrorKind::Python,
                    1 => ErrorKind::Environment,
                    2 => ErrorKind::Argument,
                    3 => ErrorKind::Crashed,
                    4 => ErrorKind::Timeout,
                    other => return Err(format!("an error of unknown kind {other}")),
                };
                Ok(Err(Error::from_parts(
                    kind,
                    error.python_type,
                    error.message,
                    error.traceback,
                )))
            }
            _ => Err("a reply without its tag".to_owned()),
        }
    }
}

/// One frame of `parts` laid end to end, to go out in one write.
pub(super) fn frame(parts: &[&[u8]]) -> Vec<u8> {
    let length: usize = parts.iter().map(|part| part.len()).sum();
    let mut frame = Vec::with_capacity(4 + length);
    frame.extend_from_slice(&(length as u32).to_le_bytes());
    for part in parts {
        frame.extend_from_slice(part);
    }
    frame
}

pub(super) fn request(job: u32, input: &[u8]) -> Vec<u8> {
    frame(&[&job.to_le_bytes(), input])
}

/// Splits a request's body into the job index and the input.
pub(super) fn split_request(body: &[u8]) -> Option<(u32, &[u8])> {
    let (index, input) = body.split_first_chunk::<4>()?;
    Some((u32::from_le_bytes(*index), input))
}

/// Reads one frame, blocking; `None` at a clean end of the stream.
pub(super) fn read_frame(from: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0; 4];
    match from.read_exact(&mut length) {
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let mut body = vec![0; u32::from_le_bytes(length) as usize];
    from.read_exact(&mut body)?;
    Ok(Some(body))
}

pub(super) fn write_all(to: &mut impl Write, frame: &[u8]) -> io::Result<()> {
    to.write_all(frame)?;
    to.flush()
}

/// Why no frame came.
pub(super) enum Missing {
    /// The other end closed the pipe (the worker died) or it failed.
    Closed,
    /// The deadline passed first.
    Late,
    /// The `cancel` pipe closed first: the pool is being dropped.
    Cancelled,
}

/// Reads one frame from `from`, giving up at `deadline` or when `cancel`
/// (the read end of a pipe nobody writes to) closes.
pub(super) fn read_frame_by(
    from: &mut (impl Read + AsRawFd),
    deadline: Option<Instant>,
    cancel: Option<BorrowedFd<'_>>,
) -> Result<Vec<u8>, Missing> {
    let mut length = [0; 4];
    fill(from, &mut length, deadline, cancel)?;
    let mut body = vec![0; u32::from_le_bytes(length) as usize];
    fill(from, &mut body, deadline, cancel)?;
    Ok(body)
}

fn fill(
    from: &mut (impl Read + AsRawFd),
    buffer: &mut [u8],
    deadline: Option<Instant>,
    cancel: Option<BorrowedFd<'_>>,
) -> Result<(), Missing> {
    let mut filled = 0;
    while filled < buffer.len() {
        wait_readable(from.as_raw_fd(), deadline, cancel)?;
        match from.read(&mut buffer[filled..]) {
            Ok(0) => return Err(Missing::Closed),
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Missing::Closed),
        }
    }
    Ok(())
}

/// `poll(2)` until `fd` has data or is closed, or `deadline` passes, or
/// `cancel` closes.
fn wait_readable(
    fd: i32,
    deadline: Option<Instant>,
    cancel: Option<BorrowedFd<'_>>,
) -> Result<(), Missing> {
    loop {
        let timeout = match deadline {
            None => -1,
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Missing::Late);
                }
                // Rounded up: a poll that wakes a little early just polls again.
                left.as_millis().saturating_add(1).min(i32::MAX as u128) as i32
            }
        };
        let watch = |fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // A closed `cancel` is never polled (-1 is skipped).
        let mut fds = [
            watch(fd),
            watch(cancel.map_or(-1, |cancel| cancel.as_raw_fd())),
        ];
        // SAFETY: two valid `pollfd`s, owned by this frame.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), 2, timeout) };
        if fds[1].revents != 0 {
            return Err(Missing::Cancelled);
        }
        if ready > 0 {
            return Ok(());
        }
        if ready < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return Err(Missing::Closed);
        }
    }
}
