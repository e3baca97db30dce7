//! `cargo metadata`'s answer is reused by a warm run, and asked again after
//! every change that can change it. The cargo that runs is the real one,
//! behind a script that logs each start.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{Crate, assert_success, tree, write_script};

struct Logged {
    krate: Crate,
    _bin: tempfile::TempDir,
    cargo: PathBuf,
    log: PathBuf,
}

impl Logged {
    fn new() -> Logged {
        let krate = Crate::new(
            "warm",
            "math = \"stdlib\"",
            &[(
                "src/main.rs",
                "mod py;\nfn main() {\n    println!(\"{}\", py::math::sqrt(2.0).unwrap());\n}\n",
            )],
        );
        let bin = tempfile::tempdir().unwrap();
        let log = bin.path().join("cargo.log");
        let cargo = bin.path().join("cargo");
        write_script(
            &cargo,
            &format!(
                "#!/bin/sh\necho \"$1\" >> '{}'\nexec '{}' \"$@\"\n",
                log.display(),
                env!("CARGO")
            ),
        );
        let logged = Logged {
            krate,
            _bin: bin,
            cargo,
            log,
        };
        logged.age();
        logged
    }

    /// Whether a run of `cargo snakegen ARGS` started `cargo metadata`.
    #[track_caller]
    fn runs_metadata(&self, args: &[&str], env: &[(&str, &str)]) -> bool {
        let before = self.metadata_runs();
        let cargo = self.cargo.display().to_string();
        let mut env = env.to_vec();
        env.push(("CARGO", &cargo));
        let output = self.krate.snakegen_with_env(args, &env);
        assert_success(&output);
        self.metadata_runs() > before
    }

    fn metadata_runs(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|line| *line == "metadata")
            .count()
    }

    /// Edits older than the cache's trust window, as a file saved a while
    /// before the run.
    fn age(&self) {
        let past = SystemTime::now() - Duration::from_secs(10);
        for entry in walkdir::WalkDir::new(self.krate.root()) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() && !entry.path().starts_with(self.root().join("target"))
            {
                let file = std::fs::File::options()
                    .append(true)
                    .open(entry.path())
                    .unwrap();
                file.set_modified(past).unwrap();
            }
        }
    }

    fn write(&self, path: &str, text: &str) {
        self.krate.write(path, text);
        self.age();
    }

    fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.krate.read(path);
        assert!(text.contains(from), "{path} has {from}");
        self.write(path, &text.replacen(from, to, 1));
    }

    fn root(&self) -> &Path {
        self.krate.root()
    }

    /// Asked once after a change, then reused.
    #[track_caller]
    fn asks_again(&self, args: &[&str], env: &[(&str, &str)]) {
        assert!(self.runs_metadata(args, env), "the change runs cargo");
        assert!(!self.runs_metadata(args, env), "and the next run reuses it");
    }
}

#[test]
fn a_warm_run_reuses_cargo_metadata_and_writes_the_same_artifacts() {
    let logged = Logged::new();
    assert!(logged.runs_metadata(&[], &[]), "a cold run asks cargo");
    let first = tree(logged.root());
    assert!(first.contains_key("src/py/math.rs"));

    assert!(!logged.runs_metadata(&[], &[]), "a warm run does not");
    for artifact in ["src/py", ".snakegen", "snakegen.lock"] {
        let path = logged.root().join(artifact);
        let _ = std::fs::remove_dir_all(&path);
        let _ = std::fs::remove_file(&path);
    }
    assert!(!logged.runs_metadata(&[], &[]));
    assert_eq!(tree(logged.root()), first, "the same artifacts");
    assert!(!logged.runs_metadata(&["--check"], &[]));
}

#[test]
fn every_input_of_cargo_metadata_makes_it_run_again() {
    let logged = Logged::new();
    logged.asks_again(&[], &[]);

    // The package's manifest: a new library, then a new dependency.
    logged.edit(
        "Cargo.toml",
        "math = \"stdlib\"",
        "math = \"stdlib\"\njson = \"stdlib\"",
    );
    logged.asks_again(&[], &[]);
    logged.edit(
        "Cargo.toml",
        "[dependencies]",
        "[dependencies]\nitoa = \"1\"",
    );
    logged.asks_again(&[], &[]);
    logged.write("Cargo.lock", "version = 4\n");
    logged.asks_again(&[], &[]);

    // Targets cargo discovers without a manifest edit.
    logged.write("src/bin/extra.rs", "fn main() {}\n");
    logged.asks_again(&[], &[]);
    logged.write("examples/demo/main.rs", "fn main() {}\n");
    logged.asks_again(&[], &[]);

    // cargo's configuration, environment and flags.
    logged.write(".cargo/config.toml", "[net]\nretry = 3\n");
    logged.asks_again(&[], &[]);
    logged.asks_again(&[], &[("CARGO_NET_RETRY", "4")]);
    logged.asks_again(&["--offline"], &[]);
    assert!(
        logged.runs_metadata(&["-v"], &[]),
        "-v shows cargo's own messages"
    );

    // A corrupt cache is asked again, not trusted.
    let cache_dir = logged.root().join("target/snakegen/cargo-metadata");
    let caches: Vec<PathBuf> = std::fs::read_dir(&cache_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(caches.len(), 1, "{caches:?}");
    std::fs::write(&caches[0], b"{\"format\": 1, \"metadata\": [").unwrap();
    logged.asks_again(&[], &[]);

    // `clean` removes it.
    assert_success(&logged.krate.snakegen(&["clean"]));
    assert!(logged.runs_metadata(&[], &[]));
}

#[test]
fn new_workspace_members_make_cargo_metadata_run_again() {
    let logged = Logged::new();
    let member = |name: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n")
    };
    let skipped = |logged: &Logged| {
        let output = logged.krate.snakegen_with_env(
            &["--workspace"],
            &[("CARGO", &logged.cargo.display().to_string())],
        );
        assert_success(&output);
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    logged.asks_again(&["--workspace"], &[]);

    // Named in the root manifest.
    logged.write("listed/Cargo.toml", &member("listed"));
    logged.write("listed/src/lib.rs", "");
    logged.write("crates/first/Cargo.toml", &member("first"));
    logged.write("crates/first/src/lib.rs", "");
    logged.edit(
        "Cargo.toml",
        "[workspace]",
        "[workspace]\nmembers = [\"listed\", \"crates/*\"]",
    );
    logged.asks_again(&["--workspace"], &[]);
    let members = skipped(&logged);
    assert!(members.contains(": listed, first\n"), "{members}");

    // Matched by a glob: no manifest the cache knows changes.
    logged.write("crates/globbed/Cargo.toml", &member("globbed"));
    logged.write("crates/globbed/src/lib.rs", "");
    logged.asks_again(&["--workspace"], &[]);
    let members = skipped(&logged);
    assert!(members.contains(": listed, first, globbed\n"), "{members}");
}
