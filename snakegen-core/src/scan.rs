//! Placeholder: the scan pass is being written.
