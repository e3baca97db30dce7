//! build.rs mode end to end, on a copy of `examples/buildrs`: plain
//! `cargo build`, from clean, with the adapters generated into `OUT_DIR`.
//!
//! One test, in steps: the copies would share one target directory (so
//! that dependencies build once), and with it the path of the binary.

mod common;

use common::{Crate, assert_success, fixture_target_dir, tree};

const CONFIG_TABLE: &str = "[package.metadata.snakegen]\n";

#[test]
fn build_rs_mode_generates_regenerates_and_refuses_python_in_ci() {
    let krate = Crate::example("buildrs");
    let manifest = krate.read("Cargo.toml");

    // 1. With the committed lock and manifests, a build needs no Python:
    // an interpreter that does not exist is never asked.
    krate.write(
        "Cargo.toml",
        &manifest.replace(
            CONFIG_TABLE,
            &format!("{CONFIG_TABLE}python = \"/nonexistent/python3\"\n"),
        ),
    );
    let before = tree(krate.root());
    // What an older build script left in the shared target directory.
    let outside_out_dir = fixture_target_dir().join("snakegen");
    let _ = std::fs::remove_dir_all(&outside_out_dir);
    let build = krate.cargo(&["build"], &[("CI", "")]);
    assert_success(&build);
    assert!(
        !String::from_utf8_lossy(&build.stderr).contains("warning: buildrs"),
        "the lock covers everything, so nothing to warn about:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    // The build script only reads the source tree (`cargo publish`
    // verifies the same), and writes only inside OUT_DIR, its OS lock and
    // caches included. (The fixture's Cargo.lock is the workspace's.)
    let mut after = tree(krate.root());
    after.remove("Cargo.lock");
    assert_eq!(before, after, "the build wrote into the source tree");
    assert!(
        !outside_out_dir.exists(),
        "the build script wrote outside OUT_DIR"
    );
    let out_dirs: Vec<_> = std::fs::read_dir(fixture_target_dir().join("debug/build"))
        .unwrap()
        .map(|entry| entry.unwrap().path().join("out/snakegen"))
        .filter(|state| state.join("buildrs.lock").exists())
        .collect();
    assert!(!out_dirs.is_empty(), "OUT_DIR holds the build's state");
    assert!(out_dirs.iter().all(|state| state.join("py.rs").exists()));
    let output = run_binary();
    assert!(
        output.starts_with("math.sqrt(2) = 1.4142135623730951\n"),
        "{output}"
    );

    // 2. A new symbol in the source: the next plain build generates it
    // (Python is asked) and says the lock does not cover it yet.
    krate.write("Cargo.toml", &manifest);
    let main = krate.read("src/main.rs");
    krate.write(
        "src/main.rs",
        &main.replace(
            "    Ok(())\n}",
            "    println!(\"floor = {}\", math::floor(2.5)?);\n    Ok(())\n}",
        ),
    );
    let build = krate.cargo(&["build"], &[("CI", "")]);
    assert_success(&build);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(
        stderr.contains("snakegen.lock does not cover math.floor: run `cargo snakegen`"),
        "{stderr}"
    );
    assert!(run_binary().ends_with("floor = 2\n"));

    // 3. With `CI` set, a symbol the lock lacks fails the build at its call
    // site, without starting Python.
    let main = krate.read("src/main.rs");
    krate.write(
        "src/main.rs",
        &main.replace("math::floor(2.5)?", "math::ceil(2.5)?"),
    );
    let build = krate.cargo(&["build"], &[("CI", "true")]);
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    for expected in [
        "error[S0003]: `math.ceil` is not in snakegen.lock",
        "--> src/main.rs:26:34",
        "1 Python symbol is used but not in snakegen.lock, and this build may not start Python (`CI` is set)",
        "help: run `cargo snakegen` where the libraries are installed",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }

    // 4. `cargo snakegen` locks them (writing no adapters into src/), and
    // the CI build passes.
    assert_success(&krate.snakegen(&["-q"]));
    assert!(!krate.root().join("src/py").exists());
    let check = krate.snakegen(&["--check"]);
    assert_success(&check);
    assert!(
        String::from_utf8_lossy(&check.stderr)
            .contains("Checked buildrs: manifests and lock are up to date")
    );
    assert_success(&krate.cargo(&["build"], &[("CI", "true")]));
    assert!(run_binary().ends_with("floor = 3\n"));

    // 5. A requirement the lock cannot vouch for fails a `CI` build too,
    // named, before Python is asked.
    krate.write(
        "Cargo.toml",
        &manifest.replace("math = \"stdlib\"", "math = \">=3\""),
    );
    let build = krate.cargo(&["build"], &[("CI", "true")]);
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(
        stderr.contains("`math`: the requirement changed from `stdlib` to `>=3`, so the locked 3.11.7 is another kind of version (a stdlib module's is its interpreter's), and this build may not start Python (`CI` is set)"),
        "{stderr}"
    );
}

fn run_binary() -> String {
    let output = std::process::Command::new(fixture_target_dir().join("debug").join("buildrs"))
        .output()
        .unwrap();
    assert_success(&output);
    String::from_utf8(output.stdout).unwrap()
}
