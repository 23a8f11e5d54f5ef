//! Replacing a file so that readers see either the old or the new content, never a mix.
//!
//! Every file Yinwen writes goes through [`write_atomic`]: the bytes go to a temporary file in
//! the same folder (named `.yinwen-PID@HOST~XXXXXX.tmp`), which is flushed and renamed over
//! the target. What the target was is respected:
//! - a symbolic link is followed and its *target* is replaced (the link stays a link);
//! - an existing target that is not a regular file (a device, a pipe, a folder) is refused;
//! - a replaced file keeps its permissions (and owner and group where the process may set
//!   them); a new file gets the usual permissions of the user's umask (0644 with umask 022).
//!
//! Temporary files left by a writer that was killed are removed at the next write into the
//! same folder: at once when the name says they belong to a process of this machine that is
//! gone, otherwise once they are older than a quarter of an hour.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same folder, flushed to disk and
/// then renamed over the target. On error the target is untouched and no temporary file is
/// left behind.
///
/// # Errors
/// The I/O error, or `InvalidInput` when `path` exists and is not a regular file (or a link
/// to one).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_like(path, bytes, None)
}

/// Like [`write_atomic`], but the permissions (and owner) are copied from `template` when it
/// exists, rather than from the file replaced (the backup of a workspace takes the
/// workspace's).
pub(crate) fn write_atomic_like(
    path: &Path,
    bytes: &[u8],
    template: Option<&Path>,
) -> std::io::Result<()> {
    let target = resolve_target(path)?;
    let dir = parent_dir(&target).to_path_buf();
    let existing = match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Some(m),
        Ok(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a regular file (a device, a pipe or a folder); nothing was written",
                    target.display()
                ),
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let like = template
        .and_then(|t| std::fs::metadata(t).ok())
        .or(existing);
    let mut builder = tempfile::Builder::new();
    let prefix = temp_prefix();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666 the kernel applies the umask, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    if let Some(m) = &like {
        copy_ownership(tmp.as_file(), m);
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(&dir) {
        // Make the rename itself durable; failure here does not undo the write.
        let _ = d.sync_all();
    }
    remove_stale_temp_files(&dir);
    Ok(())
}

/// Gives the temporary file the mode (and, where permitted, the owner and group) of the file
/// it replaces. Best effort: a shared folder may refuse, and then the umask's mode stays.
fn copy_ownership(file: &std::fs::File, like: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = like.permissions().mode() & 0o7777;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
        if let Ok(mine) = file.metadata()
            && (mine.uid() != like.uid() || mine.gid() != like.gid())
        {
            // Root may give the file back to its owner; anyone may set a group they are in.
            let _ = std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid()));
            let _ = std::os::unix::fs::fchown(file, None, Some(like.gid()));
            // chown may clear set-id bits; put the mode back.
            let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file.set_permissions(like.permissions());
    }
}

/// The folder a file lives in ("." for a bare name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Follows symbolic links from `path` to the file that would really be written, also when
/// the last link points to a file that does not exist yet. Gives up after 40 links.
pub fn resolve_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)?;
                p = if link.is_absolute() {
                    link
                } else {
                    parent_dir(&p).join(link)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{}: too many levels of symbolic links", path.display()),
    ))
}

/// `.yinwen-PID@HOST~`: the random part and `.tmp` follow. The name tells a later writer on
/// this machine whether the process that made the file is still alive.
fn temp_prefix() -> String {
    let host: String = super::lock::host_name()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        .take(64)
        .collect();
    format!(".yinwen-{}@{host}~", std::process::id())
}

/// Who made a temporary file, read from its name: `(pid, host)`; `None` for other names
/// (including temporary files of older versions, which carried no owner).
fn temp_owner(name: &str) -> Option<(u32, &str)> {
    let rest = name.strip_prefix(".yinwen-")?.strip_suffix(".tmp")?;
    let (owner, _) = rest.split_once('~')?;
    let (pid, host) = owner.split_once('@')?;
    Some((pid.parse().ok()?, host))
}

/// How old a leftover temporary file must be before it is taken for the remains of a killed
/// save rather than a save in progress, when its maker cannot be checked (another machine, or
/// a file of an older version).
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes `.yinwen-*.tmp` files left in `dir` by writes that were killed half-way: at once
/// when their name says they belong to a process of this machine that is gone, otherwise
/// once they are older than a quarter of an hour (a write in progress is never that old).
/// Returns how many were removed. Best effort: other files are never touched.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let me = std::process::id();
    let host = temp_prefix();
    let host = host
        .split_once('@')
        .and_then(|(_, h)| h.strip_suffix('~'))
        .unwrap_or("");
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".yinwen-") && name.ends_with(".tmp")) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let dead_here = match temp_owner(&name) {
            Some((pid, h)) => {
                !host.is_empty() && h == host && pid != me && !super::lock::process_alive(pid)
            }
            None => false,
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if (dead_here || old) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
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
        assert_eq!(remove_stale_temp_files(dir.path()), 1);
        assert!(!old.exists());
        assert!(fresh.exists(), "a save in progress is left alone");
        assert!(other.exists(), "other files are never touched");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn temp_files_of_dead_processes_go_at_once_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let host = temp_prefix();
        let host = host.split_once('@').unwrap().1.strip_suffix('~').unwrap();
        // A process that has certainly ended (pid beyond pid_max is never alive).
        let dead = dir
            .path()
            .join(format!(".yinwen-4194399@{host}~AbC123.tmp"));
        let live = dir
            .path()
            .join(format!(".yinwen-{}@{host}~XyZ789.tmp", std::process::id()));
        let elsewhere = dir.path().join(".yinwen-4194399@other-pc~q.tmp");
        for p in [&dead, &live, &elsewhere] {
            std::fs::write(p, "x").unwrap();
        }
        write_atomic(&dir.path().join("out.html"), b"<p>").unwrap();
        assert!(
            !dead.exists(),
            "a dead writer's temp file goes at the next write"
        );
        assert!(live.exists(), "our own write in progress stays");
        assert!(
            elsewhere.exists(),
            "another machine's stays until it is old"
        );
    }

    #[test]
    fn temp_names_carry_their_owner() {
        assert_eq!(temp_owner(".yinwen-123@pc-1~abc.tmp"), Some((123, "pc-1")));
        assert_eq!(temp_owner(".yinwen-abc.tmp"), None);
        let p = temp_prefix();
        assert!(temp_owner(&format!("{p}zz.tmp")).is_some());
    }

    #[test]
    fn missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/a.ron");
        assert!(write_atomic(&p, b"x").is_err());
        assert!(!p.exists());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_stay_links() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("shared.html");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink("shared.html", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        // A dangling link: its target is created.
        let dangling = dir.path().join("d.html");
        std::os::unix::fs::symlink("made.html", &dangling).unwrap();
        write_atomic(&dangling, b"x").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("made.html")).unwrap(),
            "x"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_pipes_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        let err = write_atomic(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let meta = std::fs::symlink_metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "the device is still a device");
    }

    #[cfg(unix)]
    #[test]
    fn modes_are_kept_on_replace_and_follow_the_umask_when_new() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ws.ron");
        std::fs::write(&p, "x").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomic(&p, b"y").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
        // New files: 0666 less the umask (whatever the test runner's umask is, never the
        // 0600 of a private temporary file unless the umask says so).
        let fresh = dir.path().join("new.html");
        write_atomic(&fresh, b"z").unwrap();
        let probe = dir.path().join("probe");
        std::fs::write(&probe, "").unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
        // A new file made from a template takes the template's mode.
        let bak = dir.path().join("ws.ron.bak");
        write_atomic_like(&bak, b"y", Some(&p)).unwrap();
        let mode = std::fs::metadata(&bak).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
    }
}
