//! Proc macros for snakegen users. Empty in the vertical slice: build.rs
//! mode (`include_adapters!`, DESIGN.md §9) and keyword-argument call syntax
//! will live here; the crate exists now so the workspace has its final shape.
