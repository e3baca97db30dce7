//! The snakegen prepass engine: a pipeline of passes over plain data
//! (config → usages → metadata → resolved IR → files), wired by the
//! commands. See ARCHITECTURE.md for the map.
//!
//! The public API is what a build script needs ([`Build`]) and what the
//! `cargo snakegen` CLI drives: the commands, their options and reports,
//! [`Config`], [`Error`] and [`Reporter`]. Every pass is private.

mod artifacts;
pub mod commands;
mod config;
mod diagnostic;
mod error;
mod generate;
mod introspect;
mod ledger;
mod metadata;
mod reporter;
mod resolve;
mod scan;
mod util;

pub use artifacts::{Action, OUTPUT_FORMAT, Plan};
pub use cargo_metadata::Target;
pub use commands::build::Build;
pub use config::{Adapters, Config, ConfigError, Selection, load, load_selection};
pub use diagnostic::{Code, Diagnostic, Location, Severity, Span};
pub use error::Error;
pub use reporter::{Reporter, Waiting};
pub use scan::package::CacheMode;
pub use scan::{Usage, UsageKind};
pub use util::fs::IoError;
pub use util::text::{counted, printable};

/// For snakegen's own benchmarks, which are separate crates: not part of
/// the API, and free to change in any release.
#[doc(hidden)]
pub mod bench {
    pub use crate::scan::package::{PackageScan, scan_files};
    pub use crate::scan::{ScanTarget, scan_source};
}
