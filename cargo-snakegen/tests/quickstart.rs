//! End to end on a copy of `examples/quickstart`: the real binary, the real
//! interpreter, the real files. The committed artifacts of the example are
//! the golden files: regenerating them from nothing must give their bytes.
//! `UPDATE_EXPECT=1 cargo test -p cargo-snakegen` rewrites them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/quickstart");

/// The artifacts snakegen owns in a package, by relative path.
fn artifacts(root: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for directory in ["src/py", ".snakegen"] {
        let directory = root.join(directory);
        if !directory.exists() {
            continue;
        }
        for entry in walkdir(&directory) {
            let relative = entry
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, std::fs::read_to_string(&entry).unwrap());
        }
    }
    if let Ok(lock) = std::fs::read_to_string(root.join("snakegen.lock")) {
        files.insert("snakegen.lock".to_owned(), lock);
    }
    files
}

fn walkdir(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A standalone copy of the example, with or without its artifacts.
struct Package {
    dir: tempfile::TempDir,
}

impl Package {
    fn copy(with_artifacts: bool) -> Package {
        let dir = tempfile::tempdir().unwrap();
        let example = Path::new(EXAMPLE);
        std::fs::write(
            dir.path().join("Cargo.toml"),
            common::standalone_manifest(example),
        )
        .unwrap();
        let mut files = vec!["build.rs".to_owned(), "src/main.rs".to_owned()];
        if with_artifacts {
            files.extend(artifacts(example).into_keys());
        }
        for file in files {
            let to = dir.path().join(&file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(example.join(&file), to).unwrap();
        }
        Package { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn snakegen(&self, args: &[&str]) -> Output {
        self.snakegen_with_env(args, &[])
    }

    fn snakegen_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-snakegen"));
        command.arg("snakegen").args(args).current_dir(self.root());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap()
    }

    fn edit(&self, file: &str, edit: impl FnOnce(String) -> String) {
        let path = self.root().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(text)).unwrap();
    }

    fn mtimes(&self) -> BTreeMap<String, std::time::SystemTime> {
        artifacts(self.root())
            .into_keys()
            .map(|file| {
                let mtime = std::fs::metadata(self.root().join(&file))
                    .unwrap()
                    .modified()
                    .unwrap();
                (file, mtime)
            })
            .collect()
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stderr:\n{}",
        stderr(output)
    );
}

#[test]
fn generating_from_nothing_gives_the_committed_example() {
    let package = Package::copy(false);
    assert_exit(&package.snakegen(&[]), 0);
    let generated = artifacts(package.root());
    let example = Path::new(EXAMPLE);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        for (file, text) in &generated {
            let to = example.join(file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, text).unwrap();
        }
    }
    let committed = artifacts(example);
    assert_eq!(
        generated.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "the same set of files"
    );
    for (file, text) in &generated {
        let diff = similar::TextDiff::from_lines(&committed[file], text)
            .unified_diff()
            .header(&format!("committed/{file}"), &format!("generated/{file}"))
            .to_string();
        assert!(
            diff.is_empty(),
            "{file} differs (UPDATE_EXPECT=1 to accept):\n{diff}"
        );
    }
}

#[test]
fn a_second_run_changes_nothing_and_starts_no_python() {
    let package = Package::copy(false);
    assert_exit(&package.snakegen(&[]), 0);
    let before = (artifacts(package.root()), package.mtimes());
    // An interpreter that cannot start proves the warm run needs none.
    let output = package.snakegen_with_env(&[], &[("PYO3_PYTHON", "/nonexistent/python3")]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("Finished quickstart: up to date, no Python started"),
        "{}",
        stderr(&output)
    );
    assert_eq!((artifacts(package.root()), package.mtimes()), before);
}

#[test]
fn deleting_the_adapters_regenerates_them_from_the_manifests() {
    let package = Package::copy(true);
    let before = artifacts(package.root());
    std::fs::remove_dir_all(package.root().join("src/py")).unwrap();
    let output = package.snakegen_with_env(&[], &[("PYO3_PYTHON", "/nonexistent/python3")]);
    assert_exit(&output, 0);
    assert_eq!(artifacts(package.root()), before);
}

#[test]
fn check_passes_on_the_committed_example_and_writes_nothing() {
    let package = Package::copy(true);
    let before = (artifacts(package.root()), package.mtimes());
    let output =
        package.snakegen_with_env(&["--check"], &[("PYO3_PYTHON", "/nonexistent/python3")]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("up to date"),
        "{}",
        stderr(&output)
    );
    assert_eq!((artifacts(package.root()), package.mtimes()), before);
}

#[test]
fn check_names_a_hand_edited_file_and_shows_the_diff() {
    let package = Package::copy(true);
    package.edit("src/py/math.rs", |text| {
        text.replacen("pub fn sqrt", "pub fn square_root", 1)
    });
    let output = package.snakegen(&["--check"]);
    assert_exit(&output, 1);
    let stderr = stderr(&output);
    assert!(stderr.contains("`src/py/math.rs` differs"), "{stderr}");
    assert!(
        stderr.contains("-pub fn square_root") && stderr.contains("+pub fn sqrt"),
        "{stderr}"
    );
}

#[test]
fn check_names_an_unlocked_symbol_at_its_call_site() {
    let package = Package::copy(true);
    package.edit("src/main.rs", |text| {
        format!("{text}\nfn hypotenuse() -> snakegen::Result<snakegen::Object> {{\n    py::math::hypot([3.0, 4.0])\n}}\n")
    });
    let line = std::fs::read_to_string(package.root().join("src/main.rs"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let output = package.snakegen(&["--check"]);
    assert_exit(&output, 1);
    let stderr = stderr(&output);
    assert!(
        stderr.contains("error[S0003]: `math.hypot` is not in snakegen.lock"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> src/main.rs:{line}:15")),
        "{stderr}"
    );
}

#[test]
fn check_notices_a_lock_or_manifest_that_would_change() {
    let package = Package::copy(true);
    package.edit("snakegen.lock", |text| {
        text.replacen("requested = \"stdlib\"", "requested = \"*\"", 1)
    });
    let output = package.snakegen(&["--check"]);
    assert_exit(&output, 1);
    assert!(
        stderr(&output).contains("`snakegen.lock` differs"),
        "{}",
        stderr(&output)
    );

    let package = Package::copy(true);
    package.edit(".snakegen/manifest/math.json", |text| {
        text.replacen("Return the square root", "Return the root", 1)
    });
    let output = package.snakegen(&["--check"]);
    assert_exit(&output, 1);
    let stderr = stderr(&output);
    assert!(
        stderr.contains("`snakegen.lock` differs"),
        "the manifest hash changed:\n{stderr}"
    );
    assert!(
        stderr.contains("`src/py/math.rs` differs"),
        "the docs changed:\n{stderr}"
    );
}

#[test]
fn an_unknown_symbol_is_an_error_at_its_call_site_and_writes_nothing() {
    let package = Package::copy(true);
    package.edit("src/main.rs", |text| {
        format!("{text}\nfn typo() {{\n    let _ = py::math::sqr(2.0);\n}}\n")
    });
    let before = (artifacts(package.root()), package.mtimes());
    let output = package.snakegen(&[]);
    assert_exit(&output, 1);
    let stderr = stderr(&output);
    assert!(
        stderr.contains("error[S0002]: cannot find `sqr` in Python module `math`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: a name with a similar spelling exists in `math`\n   |\n47 |     let _ = py::math::sqrt(2.0);\n"),
        "{stderr}"
    );
    assert_eq!((artifacts(package.root()), package.mtimes()), before);
}

#[test]
fn bad_input_is_exit_2_naming_the_place() {
    let package = Package::copy(true);
    package.edit("snakegen.lock", |text| {
        text.replacen("name = \"cargo-snakegen\"", "name = cargo-snakegen", 1)
    });
    let output = package.snakegen(&["--check"]);
    assert_exit(&output, 2);
    let stderr_text = stderr(&output);
    assert!(
        stderr_text.contains("error: snakegen.lock:5:8: cannot be read"),
        "{stderr_text}"
    );

    let package = Package::copy(true);
    package.edit(".snakegen/manifest/math.json", |text| {
        text.replacen('{', "[", 1)
    });
    let output = package.snakegen(&[]);
    assert_exit(&output, 2);
    let stderr_text = stderr(&output);
    assert!(
        stderr_text.contains("error: .snakegen/manifest/math.json:"),
        "{stderr_text}"
    );

    let package = Package::copy(true);
    package.edit("Cargo.toml", |text| {
        text.replacen("module = \"py\"", "modul = \"py\"", 1)
    });
    let output = package.snakegen(&[]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("package.metadata.snakegen.modul"),
        "{}",
        stderr(&output)
    );

    let package = Package::copy(false);
    let output = package.snakegen_with_env(&[], &[("PYO3_PYTHON", "/nonexistent/python3")]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("could not start the Python interpreter `/nonexistent/python3`"),
        "{}",
        stderr(&output)
    );
    assert!(
        artifacts(package.root()).is_empty(),
        "a failed run writes nothing"
    );
}

#[test]
fn scan_prints_usages_as_json() {
    let package = Package::copy(true);
    let output = package.snakegen(&["scan", "--message-format", "json"]);
    assert_exit(&output, 0);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let sqrt = document["usages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|usage| usage["path"] == "math.sqrt")
        .expect("math.sqrt is used");
    assert_eq!(sqrt["library"], "math");
    assert_eq!(sqrt["file"], "src/main.rs");
    assert!(sqrt["line"].as_u64().unwrap() > 1 && sqrt["column"].as_u64().unwrap() >= 1);
    assert_eq!(document["diagnostics"], serde_json::json!([]));
}

/// The example, configured with one more library that `main.rs` uses.
fn with_library(library: &str, settings: &str) -> Package {
    let package = Package::copy(true);
    package.edit("Cargo.toml", |text| {
        text.replacen(
            "[package.metadata.snakegen.libraries]\n",
            &format!("[package.metadata.snakegen.libraries]\n{library} = \"1\"\n"),
            1,
        )
        .replacen(
            "module = \"py\"",
            &format!("module = \"py\"\n{settings}"),
            1,
        )
    });
    package.edit("src/main.rs", |text| {
        format!("{text}\nfn extra() {{\n    let _ = py::{library}::something();\n}}\n")
    });
    package
}

#[test]
fn a_library_that_fails_to_import_is_named_with_a_hint() {
    let package = with_library("snakegen_raises", "");
    let before = (artifacts(package.root()), package.mtimes());
    let output = package.snakegen_with_env(&[], &[("PYTHONPATH", common::FIXTURE_PACKAGES)]);
    assert_exit(&output, 2);
    let stderr = stderr(&output);
    assert!(
        stderr.contains("could not import the Python library `snakegen_raises`: RuntimeError: snakegen_raises refuses to import"),
        "{stderr}"
    );
    assert!(
        stderr.contains("-c \"import snakegen_raises\"` shows the traceback"),
        "{stderr}"
    );
    assert_eq!((artifacts(package.root()), package.mtimes()), before);
}

#[test]
fn a_library_that_hangs_is_killed_after_the_timeout_and_named() {
    // Long enough for Python to reach the hanging import on a loaded
    // machine (with 1 s it was sometimes still importing the stdlib).
    let package = with_library("snakegen_hangs", "timeout = 5");
    let output = package.snakegen_with_env(&[], &[("PYTHONPATH", common::FIXTURE_PACKAGES)]);
    assert_exit(&output, 2);
    let stderr = stderr(&output);
    assert!(
        stderr.contains("introspection timed out after 5s while importing `snakegen_hangs`"),
        "{stderr}"
    );
}

#[test]
fn a_newly_called_method_of_a_generated_class_is_drift_until_generated() {
    let package = Package::copy(true);
    package.edit("src/main.rs", |text| {
        format!("{text}\nfn ratio(fraction: &py::fractions::Fraction) -> snakegen::Result<snakegen::Object> {{\n    fraction.as_integer_ratio()\n}}\n")
    });
    let output = package.snakegen(&["--check"]);
    assert_exit(&output, 1);
    let stderr = stderr(&output);
    assert!(
        stderr.contains("`fractions.Fraction.as_integer_ratio` is called but not in snakegen.lock"),
        "{stderr}"
    );

    assert_exit(&package.snakegen(&[]), 0);
    assert!(
        std::fs::read_to_string(package.root().join("src/py/fractions.rs"))
            .unwrap()
            .contains("pub fn as_integer_ratio(&self)")
    );
    assert_exit(&package.snakegen(&["--check"]), 0);
}

#[test]
fn a_hand_edited_file_is_restored_and_named() {
    let package = Package::copy(true);
    let before = artifacts(package.root());
    package.edit("src/py/math.rs", |text| {
        text.replacen("pub fn sqrt", "pub fn square_root", 1)
    });
    let output = package.snakegen(&[]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("Restoring src/py/math.rs (it was edited by hand)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(artifacts(package.root()), before);
}

#[test]
fn a_corrupt_artifact_is_kept_unless_forced() {
    let package = Package::copy(true);
    let before = artifacts(package.root());
    package.edit(".snakegen/manifest/json.json", |text| {
        text.replacen('{', "{{", 1)
    });
    let corrupt = artifacts(package.root());
    assert_exit(&package.snakegen(&[]), 2);
    assert_eq!(
        artifacts(package.root()),
        corrupt,
        "nothing is overwritten without --force"
    );

    let output = package.snakegen(&["--force"]);
    assert_exit(&output, 0);
    assert!(stderr(&output).contains("(--force)"), "{}", stderr(&output));
    assert_eq!(artifacts(package.root()), before);
}

#[test]
fn a_full_run_equals_an_incremental_one_and_clean_keeps_artifacts() {
    let package = Package::copy(true);
    let target = package.root().join("target");
    let env = [("CARGO_TARGET_DIR", target.to_str().unwrap())];
    let before = artifacts(package.root());
    assert_exit(&package.snakegen_with_env(&["--full"], &env), 0);
    assert_eq!(artifacts(package.root()), before);

    let scratch = target.join("snakegen");
    let caches = || {
        let scan_caches = std::fs::read_dir(&scratch)
            .unwrap()
            .filter(|entry| {
                entry
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("scan-cache-")
            })
            .count();
        (scan_caches, scratch.join("metadata").exists())
    };
    assert_eq!(caches(), (1, true));
    assert_exit(&package.snakegen_with_env(&["clean"], &env), 0);
    assert_eq!(caches(), (0, false));
    assert_eq!(artifacts(package.root()), before);
}

#[test]
fn prune_removes_exactly_the_unused_symbols() {
    let package = Package::copy(true);
    package.edit("src/main.rs", |text| {
        text.replace("math::pi()?", "std::f64::consts::PI")
    });
    let before = artifacts(package.root());
    let output = package.snakegen(&["prune", "--dry-run"]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("Would prune math.pi"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        artifacts(package.root()),
        before,
        "a dry run writes nothing"
    );

    let output = package.snakegen(&["prune"]);
    assert_exit(&output, 0);
    let stderr_text = stderr(&output);
    let pruned: Vec<&str> = stderr_text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Pruning "))
        .collect();
    assert_eq!(pruned, ["math.pi"]);
    let lock = std::fs::read_to_string(package.root().join("snakegen.lock")).unwrap();
    assert!(lock.contains("symbols = [\"math.sqrt\"]"), "{lock}");
    assert!(
        !std::fs::read_to_string(package.root().join("src/py/math.rs"))
            .unwrap()
            .contains("pub fn pi")
    );
    assert_exit(&package.snakegen(&["--check"]), 0);
}

#[test]
fn prune_refuses_after_a_scan_with_errors_and_auto_prune_runs_with_every_run() {
    let package = Package::copy(true);
    package.edit("src/main.rs", |text| {
        text.replace("math::pi()?", "std::f64::consts::PI")
    });
    std::fs::write(package.root().join("src/broken.rs"), "fn broken( {").unwrap();
    let before = artifacts(package.root());
    let output = package.snakegen(&["prune"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("not pruning: the scan had errors"),
        "{}",
        stderr(&output)
    );
    assert_eq!(artifacts(package.root()), before);

    std::fs::remove_file(package.root().join("src/broken.rs")).unwrap();
    package.edit("Cargo.toml", |text| {
        text.replacen("module = \"py\"", "module = \"py\"\nprune = \"auto\"", 1)
    });
    assert_exit(&package.snakegen(&[]), 0);
    let lock = std::fs::read_to_string(package.root().join("snakegen.lock")).unwrap();
    assert!(lock.contains("symbols = [\"math.sqrt\"]"), "{lock}");
}

#[test]
fn check_reports_as_json_and_names_lock_changes() {
    let package = Package::copy(true);
    package.edit("src/main.rs", |text| {
        format!("{text}\nfn hypotenuse() -> snakegen::Result<snakegen::Object> {{\n    py::math::hypot([3.0, 4.0])\n}}\n")
    });
    package.edit("snakegen.lock", |text| {
        text.replacen(
            "symbols = [\"math.pi\", \"math.sqrt\"]",
            "symbols = [\"math.sqrt\"]",
            1,
        )
    });
    let output = package.snakegen(&["--check", "--message-format", "json"]);
    assert_exit(&output, 1);
    let messages: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let diagnostics: Vec<&serde_json::Value> = messages
        .iter()
        .filter(|message| message["reason"] == "compiler-message")
        .map(|message| &message["message"])
        .collect();
    assert_eq!(diagnostics[0]["code"]["code"], "S0003");
    assert_eq!(diagnostics[0]["spans"][0]["file_name"], "src/main.rs");
    assert_eq!(diagnostics[1]["code"]["code"], "S0006");
    assert_eq!(diagnostics[1]["spans"][0]["file_name"], "snakegen.lock");
    assert_eq!(
        diagnostics[1]["children"][0]["message"],
        "snakegen.lock would change:\n  - `math`: symbol `math.pi` added\n"
    );
    assert_eq!(
        messages.last().unwrap(),
        &serde_json::json!({"reason": "build-finished", "success": false})
    );

    let output = package.snakegen(&["--check"]);
    assert!(
        stderr(&output)
            .contains("note: snakegen.lock would change:\n  - `math`: symbol `math.pi` added"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_battery_of_bad_inputs_gets_clear_errors_and_changes_nothing() {
    type Edit = fn(&Package);
    let cases: [(&str, Edit, i32, &str); 7] = [
        (
            "a lock of a future format",
            |p| {
                p.edit("snakegen.lock", |t| {
                    t.replacen("version = 1", "version = 2", 1)
                })
            },
            2,
            "lock format version 2 is not supported",
        ),
        (
            "an empty lock",
            |p| p.edit("snakegen.lock", |_| String::new()),
            2,
            "snakegen.lock:1:1: cannot be read",
        ),
        (
            "a manifest with an unknown field",
            |p| {
                p.edit(".snakegen/manifest/math.json", |t| {
                    t.replacen("\"version\"", "\"colour\": 1,\n  \"version\"", 1)
                })
            },
            2,
            ".snakegen/manifest/math.json:",
        ),
        (
            "a config key of the wrong type",
            |p| {
                p.edit("Cargo.toml", |t| {
                    t.replacen("module = \"py\"", "module = 3", 1)
                })
            },
            2,
            "invalid `package.metadata.snakegen.module`",
        ),
        (
            "a nonsense version requirement",
            |p| {
                p.edit("Cargo.toml", |t| {
                    t.replacen("math = \"stdlib\"", "math = \">=one\"", 1)
                })
            },
            2,
            "`>=one` is not a version requirement",
        ),
        (
            "an unknown symbol",
            |p| {
                p.edit("src/main.rs", |t| {
                    t.replacen("math::sqrt(2.0)", "math::sqrtt(2.0)", 1)
                })
            },
            1,
            "a name with a similar spelling exists in `math`",
        ),
        (
            "a missing interpreter when one is needed",
            |p| {
                p.edit("Cargo.toml", |t| {
                    t.replacen(
                        "module = \"py\"",
                        "module = \"py\"\npython = \"/nonexistent/python3\"",
                        1,
                    )
                });
                p.edit("src/main.rs", |t| {
                    t.replacen("math::sqrt(2.0)", "math::cbrt(2.0)", 1)
                });
            },
            2,
            "could not start the Python interpreter `/nonexistent/python3`",
        ),
    ];
    for (case, edit, code, message) in cases {
        let package = Package::copy(true);
        edit(&package);
        let before = (artifacts(package.root()), package.mtimes());
        let output = package.snakegen(&[]);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{case}:\n{}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(message),
            "{case}:\n{}",
            stderr(&output)
        );
        assert_eq!(
            (artifacts(package.root()), package.mtimes()),
            before,
            "{case} changed an artifact"
        );
    }
}

#[test]
fn color_and_verbosity_follow_the_flags_and_cargo() {
    let package = Package::copy(true);
    const GREEN: &str = "\x1b[1;32m";
    let always = package.snakegen(&["--check", "--color", "always"]);
    assert_exit(&always, 0);
    assert!(stderr(&always).contains(&format!("{GREEN}     Checked")));
    // Cargo passes its `term.color` on as CARGO_TERM_COLOR; the flag wins.
    let from_cargo = package.snakegen_with_env(&["--check"], &[("CARGO_TERM_COLOR", "always")]);
    assert!(stderr(&from_cargo).contains(GREEN));
    let never = package.snakegen_with_env(
        &["--check", "--color", "never"],
        &[("CARGO_TERM_COLOR", "always")],
    );
    assert!(!stderr(&never).contains('\x1b'), "{}", stderr(&never));

    let verbose = package.snakegen_with_env(&["-v"], &[("PYO3_PYTHON", "/opt/python3.11")]);
    assert_exit(&verbose, 0);
    assert!(
        stderr(&verbose).contains("Interpreter /opt/python3.11 for quickstart"),
        "{}",
        stderr(&verbose)
    );
    assert_exit(&package.snakegen(&["-v", "-q"]), 2);
}

#[test]
fn a_lock_from_another_generator_makes_python_describe_everything_again() {
    let package = Package::copy(true);
    let committed = artifacts(package.root());
    // As if an older snakegen, whose introspector may have described the
    // symbols differently, wrote the lock and the manifests.
    package.edit("snakegen.lock", |lock| {
        lock.replace(
            &format!("output = {}\n", snakegen_core::OUTPUT_FORMAT),
            "output = 0\n",
        )
    });
    let output = package.snakegen_with_env(&[], &[("PYO3_PYTHON", "/nonexistent/python3")]);
    assert_exit(&output, 2);
    let output = package.snakegen(&[]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("Finished quickstart: 1 file written, Python asked"),
        "{}",
        stderr(&output)
    );
    assert_eq!(artifacts(package.root()), committed);
}
