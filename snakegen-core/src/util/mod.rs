//! Helpers every pass may use: the file system, hashing, the OS lock,
//! Rust's keywords.

pub(crate) mod flock;
pub(crate) mod fs;
pub(crate) mod hash;
pub(crate) mod rust;
pub(crate) mod text;
