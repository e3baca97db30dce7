//! The snakegen prepass engine. See ARCHITECTURE.md for the passes.

pub mod diagnostic;
pub mod scan;
