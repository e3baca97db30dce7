//! The one hash snakegen records.

use sha2::{Digest, Sha256};

/// `sha256:<hex>`, the form every hash in the lock takes.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("sha256:{hex}")
}
