//! Placeholder: the scan pass is being written (API types only, by the lead, so the crate compiles).

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};

pub struct ScanTarget<'a> {
    pub module: &'a str,
    pub libraries: &'a BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Usage {
    pub library: String,
    pub path: String,
    pub location: Location,
}

pub struct FileScan {
    pub usages: Vec<Usage>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn scan_source(_file: &str, _source: &str, _target: &ScanTarget) -> FileScan {
    FileScan {
        usages: Vec::new(),
        diagnostics: Vec::new(),
    }
}
