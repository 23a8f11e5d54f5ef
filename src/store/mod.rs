//! Workspace files: RON load and save, atomic writes, version checks.
//!
//! A workspace is one `.ron` file whose top-level value starts with `format: "yinwen"` and
//! `version: N`. Chinese text is written as it is (no `\u` escapes) and documents' text as
//! multi-line strings, so a workspace kept in git diffs line by line.

mod atomic;
mod check;
pub mod lock;
pub mod qdc;
mod ron_file;
mod stamp;

pub use atomic::write_atomic;
pub use check::{Problem, check_workspace};
pub use lock::{LockOwner, LockState, WorkspaceLock};
pub use ron_file::{
    StoreError, backup_path, from_ron_str, load, load_stamped, save, save_checked, to_ron_string,
};
pub use stamp::{DiskChange, DiskStamp};
