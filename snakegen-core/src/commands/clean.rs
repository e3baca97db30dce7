//! `cargo snakegen clean`: removes snakegen's caches (the scan cache, the
//! metadata cache and `cargo metadata`'s answers), never a committed
//! artifact.

use crate::config::{CARGO_METADATA_CACHE, Config};
use crate::error::Error;
use crate::util::fs;

pub fn clean(config: &Config) -> Result<(), Error> {
    let scratch = &config.scratch_dir;
    fs::remove_tree(scratch, &config.scan_cache())?;
    fs::remove_tree(scratch, &scratch.join("metadata"))?;
    fs::remove_tree(scratch, &scratch.join(CARGO_METADATA_CACHE))?;
    Ok(())
}
