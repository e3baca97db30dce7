//! Helpers every pass may use: the file system, hashing, the OS lock.

pub(crate) mod flock;
pub(crate) mod fs;
pub(crate) mod hash;
