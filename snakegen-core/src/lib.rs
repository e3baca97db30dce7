//! The snakegen prepass engine. See ARCHITECTURE.md for the passes.

pub mod artifacts;
pub mod build_script;
pub mod config;
pub mod diagnostic;
pub mod docstring;
pub mod flock;
pub mod generate;
pub mod introspect;
pub mod ledger;
pub mod metadata;
pub mod metadata_cache;
pub mod names;
pub mod package_scan;
pub mod pipeline;
pub mod requirement;
pub mod resolve;
pub mod scan;
pub mod sources;
pub mod stubs;
pub mod types;
pub mod views;
pub mod workspace;
pub mod write;

pub use artifacts::OUTPUT_FORMAT;
pub use build_script::Build;
