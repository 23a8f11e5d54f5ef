//! Workspace files: RON load and save, atomic writes, version checks.
//!
//! A workspace is one `.ron` file whose top-level value starts with `format: "yinwen"` and
//! `version: N`. Chinese text is written as it is (no `\u` escapes) and documents' text as
//! multi-line strings, so a workspace kept in git diffs line by line.

mod atomic;
mod check;
pub mod lock;
mod output;
pub mod qdc;
pub mod qdpx;
mod ron_file;
mod stamp;

pub use atomic::{remove_stale_temp_files, resolve_target, write_atomic};
pub use check::{ID_LIMIT, Problem, check_workspace};
pub use lock::{LockOwner, LockState, WorkspaceLock, WriterLock};
pub use output::{OutputRole, check_output, same_file};
pub use ron_file::{
    Loaded, MAX_WORKSPACE_BYTES, StoreError, backup_path, from_ron_str, from_ron_str_with_notices,
    load, load_checked, load_stamped, read_regular_file, save, save_checked, to_ron_string,
};
pub use stamp::{DiskChange, DiskStamp};
