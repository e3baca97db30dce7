//! The lock pass: one exclusive OS lock per package, held for the whole run,
//! so two runs (a terminal and an IDE's build.rs, say) never interleave
//! their writes. The OS drops the lock when the process dies, so a killed
//! run never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;

/// Held until dropped.
#[derive(Debug)]
pub struct PackageLock {
    _file: File,
}

impl PackageLock {
    /// Locks `<scratch>/<package>.lock`, calling `on_wait` once if another
    /// process holds it (cargo prints "Blocking waiting for file lock").
    pub fn acquire(scratch: &Path, package: &str, on_wait: impl FnOnce()) -> io::Result<Self> {
        std::fs::create_dir_all(scratch)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(scratch.join(format!("{package}.lock")))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait();
                file.lock()?;
            }
            Err(TryLockError::Error(error)) => return Err(error),
        }
        Ok(PackageLock { _file: file })
    }

    /// A shared hold on the package's lock, for commands that only read
    /// (`--check`, `status`): they wait out a run that is writing, so
    /// they see its artifacts whole. Creates nothing: without a lock file,
    /// no run has ever written here.
    pub fn shared(
        scratch: &Path,
        package: &str,
        on_wait: impl FnOnce(),
    ) -> io::Result<Option<Self>> {
        let file = match File::open(scratch.join(format!("{package}.lock"))) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        match file.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait();
                file.lock_shared()?;
            }
            Err(TryLockError::Error(error)) => return Err(error),
        }
        Ok(Some(PackageLock { _file: file }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_reader_waits_for_the_writer_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let none = PackageLock::shared(dir.path(), "demo", || panic!("no lock yet")).unwrap();
        assert!(none.is_none());
        assert!(!dir.path().join("demo.lock").exists());
        let writer = PackageLock::acquire(dir.path(), "demo", || {}).unwrap();
        let path = dir.path().to_path_buf();
        let (waiting_tx, waiting_rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            PackageLock::shared(&path, "demo", || waiting_tx.send(()).unwrap())
                .unwrap()
                .is_some()
        });
        waiting_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the reader waits for the writer");
        drop(writer);
        assert!(reader.join().unwrap());
        // Readers share.
        let first = PackageLock::shared(dir.path(), "demo", || panic!("shared")).unwrap();
        let second = PackageLock::shared(dir.path(), "demo", || panic!("shared")).unwrap();
        assert!(first.is_some() && second.is_some());
    }

    #[test]
    fn a_second_holder_waits_and_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let first =
            PackageLock::acquire(dir.path(), "demo", || panic!("nobody holds it yet")).unwrap();
        let (waiting_tx, waiting_rx) = mpsc::channel();
        let (acquired_tx, acquired_rx) = mpsc::channel();
        let path = dir.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let lock =
                PackageLock::acquire(&path, "demo", || waiting_tx.send(()).unwrap()).unwrap();
            acquired_tx.send(()).unwrap();
            drop(lock);
        });
        waiting_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the second run reports waiting");
        assert!(acquired_rx.try_recv().is_err(), "the lock is exclusive");
        drop(first);
        acquired_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("released locks are acquired");
        second.join().unwrap();
    }
}
