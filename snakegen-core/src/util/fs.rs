//! Every file snakegen writes or deletes goes through here, in the spirit of
//! cargo-util's `paths`: errors name the path, writes are atomic (a temp
//! file in the same directory, then a rename), and nothing is written or
//! deleted through a symbolic link that leads out of the directory the
//! caller owns (the package, `target/snakegen/` or `OUT_DIR`).

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// An I/O failure and the path it happened on.
#[derive(Debug)]
pub struct IoError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl IoError {
    pub(crate) fn at(path: &Path) -> impl Fn(std::io::Error) -> IoError + '_ {
        move |error| IoError {
            path: path.to_path_buf(),
            error,
        }
    }
}

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for IoError {}

/// The package-relative, `/`-separated form used in every artifact and
/// diagnostic, so output is the same on every machine. Bytes that are not
/// UTF-8 are written `\xff`, so two such names stay two names.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|component| escaped(component.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

fn escaped(name: &std::ffi::OsStr) -> String {
    let mut text = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
}

/// The file's text; bytes that are not UTF-8 are replaced, since such a file
/// can be neither Rust nor one of ours, and is only compared.
pub(crate) fn read_text(path: &Path) -> Result<String, IoError> {
    let bytes = std::fs::read(path).map_err(IoError::at(path))?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
}

/// Like `read_text`, but a missing file is `None`.
pub(crate) fn read_text_if_exists(path: &Path) -> Result<Option<String>, IoError> {
    match read_text(path) {
        Ok(text) => Ok(Some(text)),
        Err(IoError { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Writes `bytes` to `path`, inside `root`, so that readers see the old
/// bytes or the new ones, never a torn file (a full disk once truncated a
/// user's `Cargo.toml`). A `path` that is a symbolic link to a file inside
/// `root` is written through, so the link stays a link.
pub(crate) fn write_atomic(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    std::fs::create_dir_all(root).map_err(IoError::at(root))?;
    let target = contained(root, path)?;
    let directory = target.parent().expect("a contained path has a parent");
    std::fs::create_dir_all(directory).map_err(IoError::at(directory))?;
    let file_name = target
        .file_name()
        .expect("a contained path names a file")
        .to_string_lossy();
    let temp = directory.join(format!(".{file_name}.snakegen-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, &target));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(IoError::at(path))
}

/// Whether `path` is a temp file of `write_atomic` that a killed run left
/// behind (`.math.rs.snakegen-1234.tmp`).
pub(crate) fn is_leftover_temp(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with('.') && name.ends_with(".tmp") && name.contains(".snakegen-")
}

/// Deletes the file at `path`, inside `root`; a link is deleted itself,
/// never what it points to. A missing file is not an error.
pub(crate) fn remove_file(root: &Path, path: &Path) -> Result<(), IoError> {
    if !root.exists() {
        return Ok(());
    }
    let directory = contained(root, path.parent().unwrap_or(root))?;
    let name = path.file_name().ok_or_else(|| outside(path, root))?;
    match std::fs::remove_file(directory.join(name)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(IoError::at(path)(error)),
        _ => Ok(()),
    }
}

/// Deletes the directory tree at `path`, inside `root`, if it exists; a
/// link in it is deleted, not followed.
pub(crate) fn remove_tree(root: &Path, path: &Path) -> Result<(), IoError> {
    if !root.exists() {
        return Ok(());
    }
    let parent = contained(root, path.parent().unwrap_or(root))?;
    let name = path.file_name().ok_or_else(|| outside(path, root))?;
    let target = parent.join(name);
    let removed = match std::fs::symlink_metadata(&target) {
        Ok(metadata) if metadata.is_dir() => std::fs::remove_dir_all(&target),
        Ok(_) => std::fs::remove_file(&target),
        Err(error) => Err(error),
    };
    match removed {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(IoError::at(path)(error)),
        _ => Ok(()),
    }
}

/// `path` with its links resolved, once it is known to stay inside `root`
/// (itself resolved: `target/` may be a link to another disk). Missing
/// trailing components are fine: they will be created inside. The error
/// names the link that leads out.
pub(crate) fn contained(root: &Path, path: &Path) -> Result<PathBuf, IoError> {
    let canonical_root = std::fs::canonicalize(root).map_err(IoError::at(root))?;
    let relative = path.strip_prefix(root).map_err(|_| outside(path, root))?;
    if relative
        .components()
        .any(|component| !matches!(component, Component::Normal(_)))
    {
        return Err(outside(path, root));
    }
    // The longest existing prefix decides where the links lead.
    let mut existing = root.to_path_buf();
    let mut rest = Vec::new();
    for (index, component) in relative.components().enumerate() {
        let next = existing.join(component);
        if std::fs::symlink_metadata(&next).is_err() {
            rest = relative.components().skip(index).collect();
            break;
        }
        existing = next;
    }
    let resolved = std::fs::canonicalize(&existing).map_err(IoError::at(&existing))?;
    if !resolved.starts_with(&canonical_root) {
        return Err(outside(
            &first_link_out(root, &existing, &canonical_root),
            root,
        ));
    }
    Ok(rest
        .into_iter()
        .fold(resolved, |path, component| path.join(component)))
}

/// The first component of `path` (inside `root`) that resolves outside.
fn first_link_out(root: &Path, path: &Path, canonical_root: &Path) -> PathBuf {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut prefix = root.to_path_buf();
    for component in relative.components() {
        prefix.push(component);
        let leaves =
            std::fs::canonicalize(&prefix).is_ok_and(|real| !real.starts_with(canonical_root));
        if leaves {
            return prefix;
        }
    }
    path.to_path_buf()
}

fn outside(path: &Path, root: &Path) -> IoError {
    IoError {
        path: path.to_path_buf(),
        error: std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "is a symbolic link that leads outside {}; snakegen never writes or deletes through one",
                root.display()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_leaves_no_temp_file() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("a/b/c.txt");
        write_atomic(root.path(), &file, b"one").unwrap();
        write_atomic(root.path(), &file, b"two").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(root.path().join("a/b"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["c.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_or_deletes_through_a_link_out_of_the_root() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("victim"), "keep").unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join("out")).unwrap();
        std::os::unix::fs::symlink(
            elsewhere.path().join("victim"),
            root.path().join("file-link"),
        )
        .unwrap();

        for (path, link) in [
            ("out/victim", "out"),
            ("out/new", "out"),
            ("file-link", "file-link"),
        ] {
            let error = write_atomic(root.path(), &root.path().join(path), b"x").unwrap_err();
            assert!(error.to_string().contains("leads outside"), "{error}");
            assert_eq!(
                error.path,
                root.path().join(link),
                "the error names the link"
            );
        }
        let error = remove_file(root.path(), &root.path().join("out/victim")).unwrap_err();
        assert!(error.to_string().contains("leads outside"), "{error}");
        let error = remove_tree(root.path(), &root.path().join("out/x")).unwrap_err();
        assert!(error.to_string().contains("leads outside"), "{error}");
        assert_eq!(
            std::fs::read_to_string(elsewhere.path().join("victim")).unwrap(),
            "keep"
        );
        assert!(!elsewhere.path().join("new").exists());

        // The link itself is the package's to delete.
        remove_file(root.path(), &root.path().join("file-link")).unwrap();
        assert!(elsewhere.path().join("victim").exists());
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_link_that_stays_inside() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("real.toml"), "old").unwrap();
        std::os::unix::fs::symlink("real.toml", root.path().join("Cargo.toml")).unwrap();
        write_atomic(root.path(), &root.path().join("Cargo.toml"), b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(root.path().join("Cargo.toml"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(root.path().join("real.toml")).unwrap(),
            "new"
        );
    }
}
