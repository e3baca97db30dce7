// Link the binary to the libpython that the `snakegen` runtime was built
// against; without an rpath the loader may pick the system's libpython.
fn main() {
    if let Ok(lib_dir) = std::env::var("DEP_SNAKEGEN_LIBDIR") {
        println!("cargo::rustc-link-arg=-Wl,-rpath,{lib_dir}");
    }
}
