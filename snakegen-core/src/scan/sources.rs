//! Which files the scan reads: every `.rs` file of every target, walked
//! like git sees the package (the `ignore` crate: `.gitignore`d and hidden
//! entries are skipped), never the target directory, a nested package or
//! the generated adapters. An I/O edge; the scan it feeds is pure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::util::fs::IoError;

/// Package-relative path → path on disk. Keyed by path, not by its
/// (lossy) text, so two names that differ only in non-UTF-8 bytes are two
/// files.
pub type SourceFiles = BTreeMap<PathBuf, PathBuf>;

pub(crate) fn rust_files(config: &Config) -> Result<SourceFiles, IoError> {
    let root = &config.package_root;
    let adapters = root.join(config.module_dir());
    let skipped = [
        adapters,
        config.target_dir.clone(),
        // A build script's "source root" is the package root, so the
        // default target directory must be skipped even when cargo was
        // told to put the build elsewhere.
        root.join("target"),
    ];
    let mut sources = SourceFiles::new();
    for source_root in &config.source_roots {
        let walker = ignore::WalkBuilder::new(source_root)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry({
                let skipped = skipped.clone();
                let root = root.clone();
                move |entry| {
                    let path = entry.path();
                    !skipped.iter().any(|skip| path == skip)
                        && !is_nested_package(&root, path, entry.file_type())
                }
            })
            .build();
        for entry in walker {
            let entry = entry.map_err(|error| walk_error(source_root, error))?;
            let is_rust = entry
                .path()
                .extension()
                .is_some_and(|extension| extension == "rs");
            if entry.file_type().is_some_and(|kind| kind.is_file()) && is_rust {
                let relative = entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_path_buf();
                sources.insert(relative, entry.into_path());
            }
        }
    }
    Ok(sources)
}

/// A directory below the package root with its own `Cargo.toml` is another
/// package, scanned (if at all) as that package.
fn is_nested_package(root: &Path, path: &Path, kind: Option<std::fs::FileType>) -> bool {
    kind.is_some_and(|kind| kind.is_dir()) && path != root && path.join("Cargo.toml").is_file()
}

fn walk_error(source_root: &Path, error: ignore::Error) -> IoError {
    let path = walk_error_path(&error).unwrap_or(source_root).to_path_buf();
    let error = error
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("cannot walk the package's sources"));
    IoError { path, error }
}

fn walk_error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(root: &Path, source_roots: &[&str]) -> Config {
        let mut config = crate::config::tests::sample(root);
        config.source_roots = source_roots.iter().map(|dir| root.join(dir)).collect();
        config
    }

    fn scanned(config: &Config) -> Vec<String> {
        rust_files(config)
            .unwrap()
            .keys()
            .map(|path| crate::util::fs::relative(Path::new(""), path))
            .collect()
    }

    fn touch(root: &Path, relative: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "fn f() {}\n").unwrap();
    }

    #[test]
    fn never_the_target_directory_git_hidden_ignored_or_nested_packages() {
        let package = tempfile::tempdir().unwrap();
        let root = package.path();
        for file in [
            "build.rs",
            "src/main.rs",
            "src/py/math.rs",
            "target/debug/build/x/out/generated.rs",
            ".git/hooks/x.rs",
            ".hidden/x.rs",
            "ignored/x.rs",
            "nested/src/lib.rs",
        ] {
            touch(root, file);
        }
        std::fs::write(root.join(".gitignore"), "/ignored/\n").unwrap();
        std::fs::write(root.join("nested/Cargo.toml"), "[package]\n").unwrap();
        // A build script puts the package root among the source roots.
        let config = config(root, &["", "src"]);
        assert_eq!(scanned(&config), ["build.rs", "src/main.rs"]);
    }

    #[cfg(unix)]
    #[test]
    fn names_that_differ_only_in_non_utf8_bytes_are_two_files() {
        use std::os::unix::ffi::OsStrExt;
        let package = tempfile::tempdir().unwrap();
        let root = package.path();
        touch(root, "src/main.rs");
        for name in [b"odd\xff.rs".as_slice(), b"odd\xfe.rs".as_slice()] {
            let path = root.join("src").join(std::ffi::OsStr::from_bytes(name));
            std::fs::write(path, "fn f() {}\n").unwrap();
        }
        let config = config(root, &["src"]);
        assert_eq!(
            scanned(&config),
            ["src/main.rs", "src/odd\\xfe.rs", "src/odd\\xff.rs"]
        );
    }
}
