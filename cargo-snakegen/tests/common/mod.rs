//! A throwaway crate for end-to-end tests: a manifest, some sources, and the
//! real `cargo-snakegen` binary run on it.

#![allow(dead_code)] // each test binary uses its own part of this

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Python packages that misbehave or have odd signatures, shipped with the
/// tests and put on `PYTHONPATH`.
pub const FIXTURE_PACKAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python");

pub struct Crate {
    dir: tempfile::TempDir,
}

impl Crate {
    /// A standalone crate named `name` with `[package.metadata.snakegen]`
    /// libraries `libraries` (TOML lines) and `files` (path, text).
    pub fn new(name: &str, libraries: &str, files: &[(&str, &str)]) -> Crate {
        let dir = tempfile::tempdir().unwrap();
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nsnakegen = {{ path = {:?} }}\n\n\
             [package.metadata.snakegen.libraries]\n{libraries}\n\n[workspace]\n",
            runtime().display().to_string()
        );
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        let krate = Crate { dir };
        for (path, text) in files {
            krate.write(path, text);
        }
        krate
    }

    /// A crate as `cargo new` makes it (`kind`: `--bin` or `--lib`), named
    /// `app`, without version control.
    pub fn cargo_new(kind: &str) -> Crate {
        let dir = tempfile::tempdir().unwrap();
        let output = Command::new(env!("CARGO"))
            .args(["init", kind, "--vcs", "none", "--name", "app", "--quiet"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_success(&output);
        Crate { dir }
    }

    /// What `python3 -c code` prints, run in the crate's directory.
    pub fn python(&self, code: &str) -> String {
        let output = Command::new("python3")
            .args(["-c", code])
            .current_dir(self.root())
            .output()
            .unwrap();
        assert_success(&output);
        String::from_utf8(output.stdout).unwrap()
    }

    /// A copy of a directory, with `@RUNTIME@` in `Cargo.toml.in` replaced.
    pub fn copy_of(fixture: &Path) -> Crate {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(fixture, dir.path());
        let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml.in"))
            .unwrap()
            .replace("@RUNTIME@", &runtime().display().to_string());
        std::fs::write(
            dir.path().join("Cargo.toml"),
            format!("{manifest}\n[workspace]\n"),
        )
        .unwrap();
        Crate { dir }
    }

    /// A standalone copy of `examples/<name>`: its manifest (with the
    /// runtime by path, in a workspace of its own), build script, sources
    /// and committed artifacts; not its tests or `.gitignore`.
    pub fn example(name: &str) -> Crate {
        let example = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(name);
        let dir = tempfile::tempdir().unwrap();
        for part in ["build.rs", "snakegen.lock", "src", ".snakegen"] {
            let from = example.join(part);
            let to = dir.path().join(part);
            if from.is_dir() {
                std::fs::create_dir_all(&to).unwrap();
                copy_tree(&from, &to);
            } else if from.exists() {
                std::fs::copy(&from, &to).unwrap();
            }
        }
        std::fs::write(dir.path().join("Cargo.toml"), standalone_manifest(&example)).unwrap();
        Crate { dir }
    }

    /// A copy of a workspace: every `Cargo.toml.in` in the tree becomes a
    /// `Cargo.toml` with `@RUNTIME@` replaced, nothing appended.
    pub fn copy_of_workspace(fixture: &Path) -> Crate {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(fixture, dir.path());
        instantiate_manifests(dir.path());
        Crate { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path)).unwrap()
    }

    /// `cargo snakegen ARGS` with the fixture packages importable.
    pub fn snakegen(&self, args: &[&str]) -> Output {
        self.snakegen_with_env(args, &[])
    }

    pub fn snakegen_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.snakegen_in(".", args, env)
    }

    /// `cargo snakegen ARGS` run from `dir`, a path relative to the root.
    pub fn snakegen_in(&self, dir: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"))
            .arg("snakegen")
            .args(args)
            .env("PYTHONPATH", FIXTURE_PACKAGES)
            .envs(env.iter().copied())
            .current_dir(self.root().join(dir))
            .output()
            .unwrap()
    }

    /// `cargo check` of the crate against its generated adapters.
    pub fn cargo_check(&self) -> Output {
        self.cargo(&["check", "--quiet", "--all-targets"], &[])
    }

    /// `cargo ARGS` offline and `--locked` to the workspace's dependency
    /// versions, in a target directory every fixture shares (so
    /// dependencies build once).
    pub fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.lock_like_the_workspace();
        Command::new(env!("CARGO"))
            .args(args)
            .args(["--offline", "--locked"])
            .env("CARGO_TARGET_DIR", fixture_target_dir())
            .envs(env.iter().copied())
            .current_dir(self.root())
            .output()
            .unwrap()
    }

    /// The workspace's `Cargo.lock`, less what this crate does not use
    /// (`cargo update --workspace` updates only the crate itself): every
    /// dependency at the version the workspace's tests ran with.
    pub fn lock_like_the_workspace(&self) {
        let lock = self.root().join("Cargo.lock");
        if lock.exists() {
            return;
        }
        std::fs::copy(workspace_root().join("Cargo.lock"), &lock).unwrap();
        let pruned = Command::new(env!("CARGO"))
            .args(["update", "--workspace", "--offline", "--quiet"])
            .current_dir(self.root())
            .output()
            .unwrap();
        assert_success(&pruned);
        let workspace = std::fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap();
        for package in std::fs::read_to_string(&lock).unwrap().split("[[package]]") {
            if package.contains("\nsource = ") {
                assert!(
                    workspace.contains(package.trim_end()),
                    "a dependency left the workspace's version:{package}"
                );
            }
        }
    }
}

/// `cargo snakegen ARGS` in `dir`, not yet started, with the fixture
/// packages importable: for a caller that sets its own stdio, environment
/// or time limit.
pub fn snakegen_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"));
    command
        .arg("snakegen")
        .args(args)
        .env("PYTHONPATH", FIXTURE_PACKAGES)
        .current_dir(dir);
    command
}

/// An example's `Cargo.toml` for a copy outside the workspace: the runtime
/// by path, and a workspace of its own.
pub fn standalone_manifest(example: &Path) -> String {
    let manifest = std::fs::read_to_string(example.join("Cargo.toml"))
        .unwrap()
        .replace(
            "snakegen.workspace = true",
            &format!(
                "snakegen = {{ path = {:?} }}",
                runtime().display().to_string()
            ),
        )
        .replace(
            "snakegen-core.workspace = true",
            &format!(
                "snakegen-core = {{ path = {:?} }}",
                workspace_root().join("snakegen-core").display().to_string()
            ),
        );
    assert!(
        manifest.contains("snakegen = { path"),
        "the example depends on the runtime"
    );
    format!("{manifest}\n[workspace]\n")
}

/// Every file under `root` with its bytes, links not followed, the
/// package's own `target/` left out.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| !entry.path().starts_with(root.join("target")))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry.path().strip_prefix(root).unwrap();
            (
                path.display().to_string(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

#[track_caller]
pub fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn workspace_root() -> PathBuf {
    std::fs::canonicalize(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap()
}

/// `fixtures/` in the target directory cargo uses for the workspace
/// (`CARGO_TARGET_DIR`, relative to the workspace root, or `target/`).
pub fn fixture_target_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| PathBuf::from("target"), PathBuf::from);
    workspace_root().join(target).join("fixtures")
}

/// Exit code `code`, and `message` on stderr.
#[track_caller]
pub fn assert_fails(output: &Output, code: i32, message: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
}

/// Writes an executable shell script at `path`.
pub fn write_script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The workspace's `snakegen` runtime crate.
pub fn runtime() -> PathBuf {
    workspace_root().join("snakegen")
}

fn instantiate_manifests(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            instantiate_manifests(&path);
        } else if path.file_name().is_some_and(|name| name == "Cargo.toml.in") {
            let manifest = std::fs::read_to_string(&path)
                .unwrap()
                .replace("@RUNTIME@", &runtime().display().to_string());
            std::fs::write(path.with_file_name("Cargo.toml"), manifest).unwrap();
        }
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
