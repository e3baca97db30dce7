// Scans the crate, generates the adapters it uses into OUT_DIR, and links
// the binary to the libpython the runtime was built against (rpath).
fn main() {
    snakegen_core::Build::from_env().run().unwrap();
}
