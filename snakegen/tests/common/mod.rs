//! What the interop tests share: Python's own answers, asked of `python3`
//! outside this process, and Python objects made from source.

use std::process::Command;

use snakegen::Object;
use snakegen::dynamic::call;

/// What `python3 -c script` prints, trimmed; a script that fails fails
/// the test.
pub fn python(script: &str) -> String {
    let output = Command::new("python3")
        .args(["-c", script])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The object `name` that `code` defines, run in a fresh namespace (a call
/// from Rust has no Python frame whose globals `exec` could use).
pub fn python_object(code: &str, name: &str) -> Object {
    let globals = call("builtins", "dict", ()).unwrap();
    call("builtins", "exec", (code, &globals)).unwrap();
    globals.call_method("__getitem__", (name,)).unwrap()
}
