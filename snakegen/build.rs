// An embedding binary without an rpath loads whichever libpython the system
// loader finds first (on Debian: /usr/lib's, without the user's packages), not
// the one pyo3 was configured for. We export the right directory so that
// dependents' build scripts can add the rpath (`DEP_SNAKEGEN_LIBDIR`), and add
// it to our own test binaries.
fn main() {
    let config = pyo3_build_config::get();
    if let Some(lib_dir) = config.lib_dir() {
        println!("cargo::metadata=libdir={lib_dir}");
        println!("cargo::rustc-env=SNAKEGEN_LIBDIR={lib_dir}");
    }
    pyo3_build_config::add_libpython_rpath_link_args();
}
