//! One lock file per running job, held by whichever process runs it.
//!
//! Several processes may share a data dir (the TUI, a CLI worker, `serve`). At start-up a job
//! marked `running` whose lock nobody holds belongs to a process that died: it is recovered. The
//! OS releases the lock when its holder exits, however it exits (kill -9 included).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::model::{Error, JobId};

#[derive(Debug)]
pub struct JobLock {
    file: Option<File>,
    path: PathBuf,
}

pub fn lock_path(data_dir: &Path, job: &JobId) -> PathBuf {
    data_dir.join("locks").join(format!("{job}.lock"))
}

impl JobLock {
    /// Takes the job's lock, or `None` when another process (or handle) holds it.
    pub fn try_acquire(data_dir: &Path, job: &JobId) -> Result<Option<JobLock>, Error> {
        let path = lock_path(data_dir, job);
        let io = |e: std::io::Error| {
            Error::internal(format!(
                "could not use the lock file {}: {e}",
                path.display()
            ))
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(JobLock {
                file: Some(file),
                path,
            })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(io(e)),
        }
    }

    /// The open file carrying the lock. Handing it to a child process (as its stdin) hands the
    /// lock over with no moment where nobody holds it; the file is then the child's to remove.
    pub fn into_file(mut self) -> Option<File> {
        self.file.take()
    }
}

impl Drop for JobLock {
    fn drop(&mut self) {
        if self.file.is_some() {
            // A stale lock *file* is harmless (only the OS lock matters), so this is best effort.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_cannot_be_taken_twice_and_is_free_after_drop() {
        let dir = tempfile::tempdir().unwrap();
        let job = JobId::generate();
        let first = JobLock::try_acquire(dir.path(), &job)
            .unwrap()
            .expect("free at first");
        assert!(JobLock::try_acquire(dir.path(), &job).unwrap().is_none());
        drop(first);
        assert!(JobLock::try_acquire(dir.path(), &job).unwrap().is_some());
    }
}
