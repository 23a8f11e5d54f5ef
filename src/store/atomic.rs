//! Replacing a file so that readers see either the old or the new content, never a mix.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder, flushed to disk and
/// then renamed over the target. On error the target is untouched and no temporary file is
/// left behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".yinwen-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        // Make the rename itself durable; failure here does not undo the write.
        let _ = d.sync_all();
    }
    Ok(())
}

/// How old a leftover temporary file must be before it is taken for the remains of a killed
/// save rather than a save in progress.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes `.yinwen-*.tmp` files left in `dir` by saves that were killed half-way, once they
/// are older than a quarter of an hour (a save in progress is never that old). Best effort.
pub fn remove_stale_temp_files(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".yinwen-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        write_atomic(&p, "旧".as_bytes()).unwrap();
        write_atomic(&p, "新".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "新");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn only_old_leftover_temp_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".yinwen-abc.tmp");
        let fresh = dir.path().join(".yinwen-def.tmp");
        let other = dir.path().join("notes.tmp");
        for p in [&old, &fresh, &other] {
            std::fs::write(p, "x").unwrap();
        }
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for p in [&old, &other] {
            let f = std::fs::File::options().write(true).open(p).unwrap();
            f.set_modified(hour_ago).unwrap();
        }
        remove_stale_temp_files(dir.path());
        assert!(!old.exists());
        assert!(fresh.exists(), "a save in progress is left alone");
        assert!(other.exists(), "other files are never touched");
    }

    #[test]
    fn missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/a.ron");
        assert!(write_atomic(&p, b"x").is_err());
        assert!(!p.exists());
    }
}
