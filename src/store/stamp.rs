//! Noticing that someone else changed a workspace file since we read or wrote it (a shared
//! folder, a sync client, a second copy of Yinwen): size, modification time and a SHA-256 of
//! the bytes, compared before every overwrite.

use std::path::Path;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// What a file looked like when we last read or wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskStamp {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, when the file system gives one.
    pub modified: Option<SystemTime>,
    /// SHA-256 of the content.
    pub hash: [u8; 32],
}

/// How a file compares with a stamp taken earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskChange {
    /// Same content (the modification time alone may have moved, e.g. a sync client touched
    /// it).
    Unchanged,
    /// Different content.
    Changed,
    /// The file is gone (deleted or renamed).
    Removed,
}

impl DiskStamp {
    /// The stamp of bytes just read from or written to `path`.
    pub fn of_bytes(path: &Path, bytes: &[u8]) -> DiskStamp {
        DiskStamp {
            len: bytes.len() as u64,
            modified: std::fs::metadata(path).and_then(|m| m.modified()).ok(),
            hash: Sha256::digest(bytes).into(),
        }
    }

    /// Reads the file and stamps it; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> std::io::Result<Option<DiskStamp>> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(DiskStamp::of_bytes(path, &bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Compares the file on disk now with this stamp. The content decides: a file whose time
    /// moved but whose bytes are the same is unchanged; a file with the same size and time
    /// but other bytes (coarse clocks on network shares) is changed.
    pub fn compare(&self, path: &Path) -> std::io::Result<DiskChange> {
        Ok(match DiskStamp::read(path)? {
            None => DiskChange::Removed,
            Some(now) if now.len == self.len && now.hash == self.hash => DiskChange::Unchanged,
            Some(_) => DiskChange::Changed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_changed_content_even_with_the_same_size_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ws.ron");
        std::fs::write(&p, "甲乙").unwrap();
        let stamp = DiskStamp::read(&p).unwrap().unwrap();
        assert_eq!(stamp.compare(&p).unwrap(), DiskChange::Unchanged);
        let t = std::fs::metadata(&p).unwrap().modified().unwrap();
        std::fs::write(&p, "丙丁").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(t).unwrap();
        drop(f);
        assert_eq!(stamp.compare(&p).unwrap(), DiskChange::Changed);
        std::fs::remove_file(&p).unwrap();
        assert_eq!(stamp.compare(&p).unwrap(), DiskChange::Removed);
    }

    #[test]
    fn a_touched_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ws.ron");
        std::fs::write(&p, "内容").unwrap();
        let stamp = DiskStamp::read(&p).unwrap().unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(SystemTime::UNIX_EPOCH).unwrap();
        drop(f);
        assert_eq!(stamp.compare(&p).unwrap(), DiskChange::Unchanged);
    }
}
