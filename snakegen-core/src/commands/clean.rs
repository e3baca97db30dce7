//! `cargo snakegen clean`: removes snakegen's caches (the scan cache and the
//! metadata cache), never a committed artifact.

use crate::config::Config;
use crate::error::Error;
use crate::util::fs;

pub fn clean(config: &Config) -> Result<(), Error> {
    let scratch = &config.scratch_dir;
    fs::remove_tree(scratch, &config.scan_cache())?;
    fs::remove_tree(scratch, &scratch.join("metadata"))?;
    Ok(())
}
