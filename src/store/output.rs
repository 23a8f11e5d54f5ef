//! The check every writer makes before it writes: the output must not be one of the files
//! being read, and must be a regular file (or not exist yet). Symbolic links are followed,
//! so `-o link.html` writes the link's target.

use std::path::{Path, PathBuf};

/// What an input is, for the message when an output would overwrite it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputRole {
    /// The workspace being read (`export`, `check`).
    Workspace,
    /// The common ancestor of a merge (`merge --base`).
    BaseWorkspace,
    /// The colleague's workspace of a merge.
    TheirWorkspace,
    /// A speech being imported.
    Speech,
}

impl OutputRole {
    fn describe(self) -> &'static str {
        match self {
            OutputRole::Workspace => "the workspace being read",
            OutputRole::BaseWorkspace => "the base workspace being read (--base)",
            OutputRole::TheirWorkspace => "their workspace being read",
            OutputRole::Speech => "a speech being imported",
        }
    }
}

/// Whether two paths name the same file: the same device and inode where the system has
/// them (hard links and symbolic links included), else the same canonical path. Paths that
/// do not exist are never the same file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return ma.dev() == mb.dev() && ma.ino() == mb.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Checks an output path before anything is read or written, and returns the file that
/// will really be written (a symbolic link resolved to its target).
///
/// # Errors
/// One line for the user when the output is the same file as one of `inputs` ("the output
/// is the workspace being read"), or exists and is not a regular file (a device such as
/// `/dev/null`, a pipe, a folder).
pub fn check_output(output: &Path, inputs: &[(&Path, OutputRole)]) -> Result<PathBuf, String> {
    let target = super::resolve_target(output).map_err(|e| format!("{}: {e}", output.display()))?;
    if let Some((_, role)) = inputs.iter().find(|(p, _)| same_file(&target, p)) {
        return Err(format!(
            "{}: the output is {}; nothing was written (choose another output file)",
            output.display(),
            role.describe()
        ));
    }
    match std::fs::metadata(&target) {
        Ok(m) if !m.is_file() => Err(format!(
            "{}: the output is not a regular file (a device, a pipe or a folder); nothing was written",
            output.display()
        )),
        _ => Ok(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_by_any_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("w.ron");
        std::fs::write(&ws, "x").unwrap();
        let role = [(ws.as_path(), OutputRole::Workspace)];
        let err = check_output(&ws, &role).unwrap_err();
        assert!(
            err.contains("the output is the workspace being read"),
            "{err}"
        );
        // Another spelling of the same path.
        let dotted = dir.path().join(".").join("w.ron");
        assert!(check_output(&dotted, &role).is_err());
        #[cfg(unix)]
        {
            let hard = dir.path().join("hard.ron");
            std::fs::hard_link(&ws, &hard).unwrap();
            assert!(check_output(&hard, &role).is_err());
            let soft = dir.path().join("soft.ron");
            std::os::unix::fs::symlink(&ws, &soft).unwrap();
            assert!(check_output(&soft, &role).is_err());
        }
        let other = dir.path().join("out.html");
        assert_eq!(check_output(&other, &role).unwrap(), other);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_links_resolved() {
        let err = check_output(Path::new("/dev/null"), &[]).unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        assert!(check_output(dir.path(), &[]).is_err());
        let target = dir.path().join("t.html");
        let link = dir.path().join("l.html");
        std::os::unix::fs::symlink("t.html", &link).unwrap();
        assert_eq!(check_output(&link, &[]).unwrap(), target);
    }
}
