//! Importing folders of speeches: every readable file under one or more folders, with the
//! folders they sit in as the documents' groups, and a list of what was skipped and why.
//!
//! The walk is shared with the source library (hidden and temporary files are left out,
//! symbolic links to folders are not followed). Files are decoded on every core; the
//! documents come back in path order whatever order the decoding finished in, so two
//! imports of the same folder give the same workspace.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{EXTENSIONS, ImportError, Options};
use crate::model::{DocMeta, Document};
use crate::progress::{Cancelled, Progress};

/// What [`walk`] found.
pub type Walked = (Vec<(String, PathBuf)>, Vec<(PathBuf, String)>);

/// Files of a folder, recursively: (path relative to `dir` with `/`, full path), sorted, and
/// the subfolders that could not be read, with why. Hidden files and folders (`.git`,
/// `.yinwen-library`), editors' and Office's temporary files (`~$报告.docx`, `稿.txt~`) are
/// left out; symbolic links to folders are not followed.
///
/// # Errors
/// Only when `dir` itself cannot be read.
pub fn walk(dir: &Path) -> std::io::Result<Walked> {
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        let rd = match std::fs::read_dir(&d) {
            Ok(rd) => rd,
            Err(e) if d.as_path() == dir => return Err(e),
            Err(e) => {
                unreadable.push((d, e.to_string()));
                continue;
            }
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.starts_with('~') || name.ends_with('~') {
                continue;
            }
            let Ok(ft) = e.file_type() else { continue };
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if ft.is_dir() {
                stack.push((e.path(), r));
            } else if ft.is_file() || (ft.is_symlink() && e.path().is_file()) {
                out.push((r, e.path()));
            }
        }
    }
    out.sort();
    unreadable.sort();
    Ok((out, unreadable))
}

/// A file the folder import left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why, in one line.
    pub reason: String,
    /// True when the file was not one Yinwen reads (by its name); false when it should have
    /// been readable and was not (damaged, no text layer, too large, a duplicate).
    pub unsupported: bool,
}

/// What importing folders gave.
#[derive(Debug, Default)]
pub struct FolderImport {
    /// The documents, in path order, each with its folder as its group.
    pub documents: Vec<Document>,
    /// Notes about files read (an encoding guessed, a reflow), one line each, by path.
    pub notes: Vec<(PathBuf, String)>,
    /// Files left out.
    pub skipped: Vec<Skipped>,
}

impl FolderImport {
    /// Files skipped although they looked readable (damaged, duplicates, …).
    pub fn failed(&self) -> usize {
        self.skipped.iter().filter(|s| !s.unsupported).count()
    }
}

/// Whether a file's name says it is in a format Yinwen reads.
pub fn has_readable_extension(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

/// The group of a file found under `root`: the root folder's name, then the folders
/// between it and the file, joined by `/` (`讲话/2023/a.txt` → `讲话/2023`).
fn group_of(root: &Path, rel: &str) -> String {
    let root_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let mut parts: Vec<&str> = vec![root_name.as_str()];
    let dirs: Vec<&str> = rel.split('/').collect();
    parts.extend(&dirs[..dirs.len().saturating_sub(1)]);
    crate::model::normalize_group(&parts.join("/"))
}

/// Imports every readable file under `roots` (folders, searched recursively).
///
/// Files whose names are not of a readable format are skipped as unsupported; files that
/// fail to read are skipped with the reason; a file with the same text as one already
/// imported (or as one of `known`, hex SHA-256 of texts already in the workspace) is
/// skipped as a duplicate. `progress` counts files; Cancel stops between files and returns
/// [`Cancelled`] (nothing is kept).
///
/// # Errors
/// A root that is not a readable folder is an error naming it; nothing is imported.
pub fn import_folders(
    roots: &[PathBuf],
    opts: Options,
    known: &std::collections::HashSet<String>,
    progress: &Progress,
) -> Result<Result<FolderImport, Cancelled>, ImportError> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut result = FolderImport::default();
    for root in roots {
        if !root.is_dir() {
            return Err(if root.exists() {
                ImportError::NotAFile { path: root.clone() }
            } else {
                ImportError::NotFound { path: root.clone() }
            });
        }
        let (listed, unreadable) = walk(root).map_err(|e| ImportError::Unreadable {
            path: root.clone(),
            source: e,
        })?;
        for (path, why) in unreadable {
            result.skipped.push(Skipped {
                path,
                reason: format!("the folder could not be read ({why})"),
                unsupported: false,
            });
        }
        for (rel, path) in listed {
            if has_readable_extension(&path) {
                files.push((path, group_of(root, &rel)));
            } else {
                result.skipped.push(Skipped {
                    path,
                    reason: "not a format Yinwen reads (.txt .docx .doc .wps .rtf .pdf .ofd .html .htm .mhtml)".into(),
                    unsupported: true,
                });
            }
        }
    }
    progress.set_total(files.len() as u64);
    progress.set_done(0);
    let decoded = decode_all(&files, opts, progress);
    if progress.is_cancelled() {
        return Ok(Err(Cancelled));
    }
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for ((path, group), outcome) in files.into_iter().zip(decoded) {
        match outcome {
            Some(Ok(d)) => {
                if let Some(n) = &d.notice {
                    result.notes.push((path.clone(), n.clone()));
                }
                let mut doc = d.into_document(Some(&path.to_string_lossy()), DocMeta::default());
                let mut meta = doc.meta.clone();
                meta.group = group;
                doc.meta = meta;
                let key = crate::model::merge::text_hash(&doc.text);
                if known.contains(&key) {
                    result.skipped.push(Skipped {
                        path,
                        reason: "the same text is already in the workspace".into(),
                        unsupported: false,
                    });
                } else if let Some(first) = seen.get(&key) {
                    result.skipped.push(Skipped {
                        reason: format!("the same text as {}", first.display()),
                        path,
                        unsupported: false,
                    });
                } else {
                    seen.insert(key, path);
                    result.documents.push(doc);
                }
            }
            Some(Err(e)) => result.skipped.push(Skipped {
                reason: e.to_string(),
                path,
                unsupported: false,
            }),
            None => return Ok(Err(Cancelled)),
        }
    }
    result.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Ok(result))
}

/// Decodes the files on every core; `None` for files not read because of Cancel.
fn decode_all(
    files: &[(PathBuf, String)],
    opts: Options,
    progress: &Progress,
) -> Vec<Option<Result<super::Decoded, ImportError>>> {
    let slots: Vec<Mutex<Option<Result<super::Decoded, ImportError>>>> =
        files.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8)
        .min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    if progress.is_cancelled() {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((path, _)) = files.get(i) else {
                        return;
                    };
                    let r = super::import_file_with(path, opts, &Progress::new());
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                    progress.advance(1);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_groups_and_unreadable_files_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("讲话");
        std::fs::create_dir_all(root.join("2023/市委")).unwrap();
        std::fs::write(root.join("a.txt"), "第一篇讲话。\n").unwrap();
        std::fs::write(root.join("2023/市委/b.txt"), "第二篇讲话。\n").unwrap();
        std::fs::write(root.join("2023/dup.txt"), "第一篇讲话。\n").unwrap();
        std::fs::write(root.join("2023/表.xls"), [0u8, 1, 2]).unwrap();
        std::fs::write(root.join("2023/坏.pdf"), b"%PDF-1.4 not really").unwrap();
        std::fs::write(root.join(".hidden.txt"), "隐藏").unwrap();
        let got = import_folders(
            std::slice::from_ref(&root),
            Options::default(),
            &Default::default(),
            &Progress::new(),
        )
        .unwrap()
        .unwrap();
        let groups: Vec<&str> = got
            .documents
            .iter()
            .map(|d| d.meta.group.as_str())
            .collect();
        // Path order: 2023/dup.txt comes before a.txt, so a.txt is the duplicate.
        assert_eq!(groups, ["讲话/2023", "讲话/2023/市委"]);
        let skipped: Vec<(String, bool)> = got
            .skipped
            .iter()
            .map(|s| {
                (
                    s.path.file_name().unwrap().to_string_lossy().into_owned(),
                    s.unsupported,
                )
            })
            .collect();
        assert_eq!(
            skipped,
            [
                ("坏.pdf".to_string(), false),
                ("表.xls".to_string(), true),
                ("a.txt".to_string(), false),
            ]
        );
        assert!(got.skipped[2].reason.contains("dup.txt"));
        assert_eq!(got.failed(), 2);
    }

    #[test]
    fn a_missing_folder_is_an_error_and_cancel_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let e = import_folders(
            &[dir.path().join("没有")],
            Options::default(),
            &Default::default(),
            &Progress::new(),
        );
        assert!(e.is_err());
        std::fs::write(dir.path().join("a.txt"), "讲话").unwrap();
        let p = Progress::new();
        p.cancel();
        let r = import_folders(
            &[dir.path().to_path_buf()],
            Options::default(),
            &Default::default(),
            &p,
        )
        .unwrap();
        assert!(r.is_err());
    }
}
