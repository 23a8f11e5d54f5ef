//! A lock file beside an open workspace (`WS.ron.lock`) so that the same workspace opened a
//! second time — by a colleague on a shared folder or in another window — is warned about.
//!
//! The lock says who holds it (user, machine, process) and is refreshed while the workspace is
//! open. A lock is *stale* — left by a crash — when its process is gone (same machine) or when
//! it has not been refreshed for [`STALE_AFTER`] (another machine, whose processes we cannot
//! see). Stale locks are taken over silently; live ones are reported so the user can decide.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A lock not refreshed for this long is taken for the remains of a crash.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);
/// How often an open workspace refreshes its lock (well inside [`STALE_AFTER`]).
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockOwner {
    /// Login name.
    pub user: String,
    /// Machine name.
    pub host: String,
    /// Process ID.
    pub pid: u32,
    /// When the lock was last refreshed (its file's modification time).
    pub refreshed: Option<SystemTime>,
}

impl LockOwner {
    /// This process.
    pub fn me() -> LockOwner {
        LockOwner {
            user: user_name(),
            host: host_name(),
            pid: std::process::id(),
            refreshed: None,
        }
    }

    fn to_text(&self) -> String {
        format!(
            "Yinwen workspace lock\nuser={}\nhost={}\npid={}\n",
            self.user, self.host, self.pid
        )
    }

    fn parse(text: &str) -> LockOwner {
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k).and_then(|r| r.strip_prefix('=')))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        LockOwner {
            user: field("user"),
            host: field("host"),
            pid: field("pid").parse().unwrap_or(0),
            refreshed: None,
        }
    }

    /// "张三 on desk-7" for messages.
    pub fn describe(&self) -> String {
        match (self.user.is_empty(), self.host.is_empty()) {
            (false, false) => format!("{} on {}", self.user, self.host),
            (false, true) => self.user.clone(),
            (true, false) => self.host.clone(),
            (true, true) => "someone".into(),
        }
    }

    /// Minutes since the lock was last refreshed, when known.
    pub fn minutes_since_refresh(&self) -> Option<u64> {
        let t = self.refreshed?;
        Some(SystemTime::now().duration_since(t).ok()?.as_secs() / 60)
    }

    fn is_me(&self) -> bool {
        self.pid == std::process::id() && self.host == host_name()
    }

    fn is_stale(&self) -> bool {
        if self.host == host_name() && !self.host.is_empty() && !process_alive(self.pid) {
            return true;
        }
        match self
            .refreshed
            .and_then(|t| SystemTime::now().duration_since(t).ok())
        {
            Some(age) => age > STALE_AFTER,
            None => false,
        }
    }
}

/// What the lock file of a workspace says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockState {
    /// No lock, or our own.
    Free,
    /// Someone holds it and seems to be working.
    Held(LockOwner),
    /// A lock left by a crashed or long-gone session.
    Stale(LockOwner),
}

/// The lock file of a workspace: `WS.ron.lock` beside it.
pub fn lock_path(workspace: &Path) -> PathBuf {
    let mut name = workspace.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Reads the lock of a workspace without changing anything.
pub fn inspect(workspace: &Path) -> LockState {
    let path = lock_path(workspace);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return LockState::Free;
    };
    let mut owner = LockOwner::parse(&text);
    owner.refreshed = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    if owner.is_me() {
        LockState::Free
    } else if owner.is_stale() {
        LockState::Stale(owner)
    } else {
        LockState::Held(owner)
    }
}

/// A lock this process holds. A background thread refreshes it every [`REFRESH_EVERY`] (so
/// it stays fresh while the window is minimised and draws nothing); dropping it stops the
/// thread and removes the lock file (if it is still ours).
#[derive(Debug)]
pub struct WorkspaceLock {
    path: PathBuf,
    stop: Option<std::sync::mpsc::Sender<()>>,
    refresher: Option<std::thread::JoinHandle<()>>,
}

impl WorkspaceLock {
    /// Takes the lock of a workspace. A free or stale lock is taken; a live lock of someone
    /// else is returned as `Err` unless `force` (the user chose to open it anyway).
    pub fn acquire(workspace: &Path, force: bool) -> Result<WorkspaceLock, LockOwner> {
        Self::acquire_every(workspace, force, REFRESH_EVERY)
    }

    fn acquire_every(
        workspace: &Path,
        force: bool,
        every: Duration,
    ) -> Result<WorkspaceLock, LockOwner> {
        if let LockState::Held(owner) = inspect(workspace)
            && !force
        {
            return Err(owner);
        }
        let path = lock_path(workspace);
        // Written whole through a temporary file, so a reader never sees half a lock.
        let written = super::write_atomic(&path, LockOwner::me().to_text().as_bytes());
        if written.is_err() {
            // A read-only folder: no lock can be kept, which only costs the warning.
            return Ok(WorkspaceLock {
                path: PathBuf::new(),
                stop: None,
                refresher: None,
            });
        }
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let p = path.clone();
        let refresher = std::thread::Builder::new()
            .name("yinwen-lock".into())
            .spawn(move || {
                // Wakes every `every`, and at once when the lock is dropped (sender gone).
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(every) {
                    refresh_file(&p);
                }
            })
            .ok();
        Ok(WorkspaceLock {
            path,
            stop: Some(tx),
            refresher,
        })
    }
}

/// What a command that writes a workspace holds while it reads, merges and writes: an
/// exclusive lock on the folder shared with every other Yinwen command writing there (so two
/// in-place merges run one after the other, the second reading the first one's result), and
/// the workspace's own lock file, so a window opening it meanwhile is warned. Dropping it
/// releases both.
#[derive(Debug)]
pub struct WriterLock {
    _workspace: WorkspaceLock,
    _folder: Option<std::fs::File>,
}

impl WriterLock {
    /// Takes the locks for writing `workspace`, waiting up to `wait` for another command
    /// writing in the same folder to finish.
    ///
    /// # Errors
    /// One line for the user: another command kept the folder longer than `wait`, or the
    /// workspace is open in a window (the window's changes would be lost).
    pub fn acquire(workspace: &Path, wait: Duration) -> Result<WriterLock, String> {
        let dir = match workspace.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let folder = lock_folder(dir, wait)?;
        if let LockState::Held(owner) = inspect(workspace) {
            let when = owner
                .minutes_since_refresh()
                .map(|m| format!(", active {m} min ago"))
                .unwrap_or_default();
            return Err(format!(
                "{}: the workspace is open in Yinwen by {}{when}; close it there first or write to another file (nothing was written)",
                workspace.display(),
                owner.describe()
            ));
        }
        let ws = WorkspaceLock::acquire(workspace, true)
            .map_err(|o| format!("{}: locked by {}", workspace.display(), o.describe()))?;
        Ok(WriterLock {
            _workspace: ws,
            _folder: folder,
        })
    }
}

/// An exclusive advisory lock on a folder (where the system has them; elsewhere `None`, and
/// the stamp check before replacing the file still refuses to overwrite a newer file).
fn lock_folder(dir: &Path, wait: Duration) -> Result<Option<std::fs::File>, String> {
    let Ok(f) = std::fs::File::open(dir) else {
        return Ok(None);
    };
    let start = std::time::Instant::now();
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(Some(f)),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(format!(
                    "{}: another Yinwen command is still writing a workspace in this folder; nothing was written (try again)",
                    dir.display()
                ));
            }
            // Locks unsupported here (some network shares): go on without.
            Err(std::fs::TryLockError::Error(_)) => return Ok(None),
        }
    }
}

fn still_ours(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .map(|t| LockOwner::parse(&t).is_me())
        .unwrap_or(false)
}

fn refresh_file(path: &Path) {
    if !still_ours(path) {
        return;
    }
    if let Ok(f) = std::fs::File::options().append(true).open(path) {
        let _ = f.set_modified(SystemTime::now());
        let _ = (&f).flush();
    }
}

impl Drop for WorkspaceLock {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.refresher.take() {
            let _ = t.join();
        }
        if !self.path.as_os_str().is_empty() && still_ours(&self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default()
}

pub(crate) fn host_name() -> String {
    if let Some(h) = ["HOSTNAME", "COMPUTERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    {
        return h;
    }
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Whether a process of this machine is still running. Where that cannot be told, it is
/// assumed alive (the lock then goes stale by age).
pub(crate) fn process_alive(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    if cfg!(target_os = "linux") {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_opening_is_warned_and_the_lock_goes_when_closed() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("共享.ron");
        assert_eq!(inspect(&ws), LockState::Free);
        let lock = WorkspaceLock::acquire(&ws, false).unwrap();
        assert!(lock_path(&ws).exists());
        // Our own lock does not warn us.
        assert_eq!(inspect(&ws), LockState::Free);
        drop(lock);
        assert!(!lock_path(&ws).exists());
    }

    fn write_lock(ws: &Path, host: &str, pid: u32, age: Duration) {
        let p = lock_path(ws);
        std::fs::write(
            &p,
            format!("Yinwen workspace lock\nuser=李四\nhost={host}\npid={pid}\n"),
        )
        .unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(SystemTime::now() - age).unwrap();
    }

    #[test]
    fn a_live_lock_of_another_machine_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("a.ron");
        write_lock(&ws, "另一台电脑", 4242, Duration::from_secs(30));
        match inspect(&ws) {
            LockState::Held(o) => {
                assert_eq!(o.user, "李四");
                assert_eq!(o.describe(), "李四 on 另一台电脑");
                assert_eq!(o.minutes_since_refresh(), Some(0));
            }
            other => panic!("{other:?}"),
        }
        let err = WorkspaceLock::acquire(&ws, false).unwrap_err();
        assert_eq!(err.pid, 4242);
        // Opening anyway takes the lock over; closing then removes it.
        let lock = WorkspaceLock::acquire(&ws, true).unwrap();
        assert_eq!(inspect(&ws), LockState::Free);
        drop(lock);
        assert!(!lock_path(&ws).exists());
    }

    #[test]
    fn old_locks_and_locks_of_dead_processes_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("a.ron");
        write_lock(&ws, "另一台电脑", 4242, Duration::from_secs(3600));
        assert!(matches!(inspect(&ws), LockState::Stale(_)));
        assert!(WorkspaceLock::acquire(&ws, false).is_ok());

        if cfg!(target_os = "linux") {
            // A process of this machine that has ended.
            let mut child = std::process::Command::new("true").spawn().unwrap();
            let pid = child.id();
            child.wait().unwrap();
            write_lock(&ws, &host_name(), pid, Duration::from_secs(5));
            assert!(
                matches!(inspect(&ws), LockState::Stale(_)),
                "{:?}",
                inspect(&ws)
            );
        }
    }

    #[test]
    fn the_lock_is_refreshed_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("a.ron");
        let lock = WorkspaceLock::acquire_every(&ws, false, Duration::from_millis(20)).unwrap();
        let p = lock_path(&ws);
        let old = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let fresh = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(10));
            std::fs::metadata(&p).unwrap().modified().unwrap() > old + Duration::from_secs(60)
        });
        assert!(fresh, "refreshed without anyone calling refresh()");
        drop(lock);
        assert!(!p.exists());
    }

    #[test]
    fn a_lock_taken_over_by_someone_else_is_left_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("a.ron");
        let lock = WorkspaceLock::acquire(&ws, false).unwrap();
        write_lock(&ws, "另一台电脑", 4242, Duration::from_secs(1));
        drop(lock);
        assert!(lock_path(&ws).exists(), "their lock stays");
    }
}
