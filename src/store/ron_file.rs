//! RON serialisation of the workspace with version checks.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::check::Problem;
use super::stamp::DiskStamp;
use crate::model::{FORMAT_TAG, FORMAT_VERSION, Workspace};

/// Why a workspace could not be read or written. The file on disk is never modified on a
/// failed load, nor replaced on a failed save.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not valid RON or not a workspace of the expected shape.
    #[error("{}line {line}, column {col}: {message}", path_prefix(path))]
    Parse {
        /// The file, when known.
        path: Option<PathBuf>,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        col: usize,
        /// What the parser expected or found.
        message: String,
    },
    /// The file is RON but its `format` is not `"yinwen"`.
    #[error(
        "{}this is not a Yinwen workspace (format is \"{found}\", expected \"{FORMAT_TAG}\")",
        path_prefix(path)
    )]
    NotAWorkspace {
        /// The file, when known.
        path: Option<PathBuf>,
        /// The format tag found.
        found: String,
    },
    /// The file was written by a newer Yinwen.
    #[error(
        "{}this workspace was made by a newer Yinwen (format version {found}; this program reads up to {FORMAT_VERSION}). Update Yinwen to open it; the file was left untouched",
        path_prefix(path)
    )]
    TooNew {
        /// The file, when known.
        path: Option<PathBuf>,
        /// The version found.
        found: u32,
    },
    /// The file claims a version this program never wrote.
    #[error("{}unknown workspace format version {found}", path_prefix(path))]
    UnknownVersion {
        /// The file, when known.
        path: Option<PathBuf>,
        /// The version found.
        found: u32,
    },
    /// The file is not UTF-8 text.
    #[error(
        "{}the workspace file is not UTF-8 text (byte {offset})",
        path_prefix(path)
    )]
    NotUtf8 {
        /// The file, when known.
        path: Option<PathBuf>,
        /// First invalid byte.
        offset: usize,
    },
    /// Someone else changed the file since it was opened or last saved; it was not
    /// overwritten.
    #[error(
        "{}: the file was changed by someone else since you opened it; it was not overwritten",
        path.display()
    )]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
    },
    /// Serialising failed (should not happen for a valid workspace).
    #[error("could not write the workspace: {0}")]
    Serialize(String),
    /// The path is a device, a pipe or a folder, not a workspace file.
    #[error(
        "{}: not a regular file (a device, a pipe or a folder); nothing was read",
        path.display()
    )]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than any workspace Yinwen reads.
    #[error(
        "{}: {size} bytes is too large for a workspace (the limit is {max} bytes); nothing was read",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit, [`MAX_WORKSPACE_BYTES`].
        max: u64,
    },
}

/// The largest workspace file Yinwen reads (512 MiB), checked before reading.
pub const MAX_WORKSPACE_BYTES: u64 = 512 * 1024 * 1024;

fn path_prefix(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => format!("{}: ", p.display()),
        None => String::new(),
    }
}

impl StoreError {
    fn with_path(mut self, p: &Path) -> Self {
        match &mut self {
            StoreError::Parse { path, .. }
            | StoreError::NotAWorkspace { path, .. }
            | StoreError::TooNew { path, .. }
            | StoreError::UnknownVersion { path, .. }
            | StoreError::NotUtf8 { path, .. } => *path = Some(p.to_path_buf()),
            StoreError::Io { .. }
            | StoreError::ChangedOnDisk { .. }
            | StoreError::Serialize(_)
            | StoreError::NotAFile { .. }
            | StoreError::TooLarge { .. } => {}
        }
        self
    }
}

fn parse_error(e: ron::error::SpannedError) -> StoreError {
    StoreError::Parse {
        path: None,
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    }
}

/// Only the first two fields, read before the rest so that a newer file is recognised even if
/// the rest of it has a shape this program does not know.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// Serialises a workspace. The same workspace always gives the same bytes.
pub fn to_ron_string(ws: &Workspace) -> Result<String, StoreError> {
    let mut ws = ws.clone();
    ws.normalize();
    let config = ron::ser::PrettyConfig::new()
        .indentor("  ")
        .escape_strings(false)
        .struct_names(false);
    let mut s = ron::ser::to_string_pretty(&ws, config)
        .map_err(|e| StoreError::Serialize(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Parses a workspace, checking its format tag and version first. What loading repaired or
/// could not keep is dropped; use [`from_ron_str_with_notices`] to hear about it.
pub fn from_ron_str(s: &str) -> Result<Workspace, StoreError> {
    from_ron_str_with_notices(s).map(|(ws, _)| ws)
}

/// Parses a workspace and says what loading had to repair (a tag parent cycle, an ID counter
/// at the end of its range) or could not keep (fields this version does not know). Line
/// endings are taken as `\n` whatever the file uses (a copy saved with CRLF by a Windows
/// editor or git reads exactly like the original).
pub fn from_ron_str_with_notices(s: &str) -> Result<(Workspace, Vec<Problem>), StoreError> {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    let crlf;
    let s = if s.contains('\r') {
        crlf = s.replace("\r\n", "\n").replace('\r', "\n");
        crlf.as_str()
    } else {
        s
    };
    // Parse once; only when that fails (or the header is wrong) is the header read on its
    // own, so that a newer or foreign file is named as such rather than as a syntax error.
    let mut unknown: Vec<String> = Vec::new();
    let full = parse_noting_unknown_fields(s, &mut unknown);
    let header = match &full {
        Ok(ws) => Header {
            format: ws.format.clone(),
            version: ws.version,
        },
        Err(e) => match ron::from_str::<Header>(s) {
            Ok(h) if h.format != FORMAT_TAG || h.version > FORMAT_VERSION || h.version == 0 => h,
            _ => return Err(parse_error(e.clone())),
        },
    };
    if header.format != FORMAT_TAG {
        return Err(StoreError::NotAWorkspace {
            path: None,
            found: header.format,
        });
    }
    if header.version > FORMAT_VERSION {
        return Err(StoreError::TooNew {
            path: None,
            found: header.version,
        });
    }
    if header.version == 0 {
        return Err(StoreError::UnknownVersion {
            path: None,
            found: header.version,
        });
    }
    // Version 1 had documents only; version 2 added tags and annotations; version 3 adds
    // sources and directive links; version 4 adds document groups, attributes and memos
    // (a version-3 program would drop them, so it refuses version 4); version 5 adds rejected
    // directive candidates (a version-4 program would drop those decisions, so it refuses
    // version 5). All read as the current struct (missing collections and fields default to
    // empty) and are written back as current.
    let mut ws = full.map_err(parse_error)?;
    ws.version = FORMAT_VERSION;
    let mut notices = super::check::repair_on_load(&mut ws);
    ws.normalize();
    if !unknown.is_empty() {
        let shown: Vec<&str> = unknown.iter().take(5).map(String::as_str).collect();
        notices.push(Problem {
            kind: "unknown_field",
            message: format!(
                "{} field(s) this version of Yinwen does not know were ignored and will not be saved back: {}{}",
                unknown.len(),
                shown.join(", "),
                if unknown.len() > shown.len() { ", …" } else { "" }
            ),
        });
    }
    Ok((ws, notices))
}

/// `ron::from_str`, collecting the paths of fields the workspace struct does not have.
fn parse_noting_unknown_fields(
    s: &str,
    unknown: &mut Vec<String>,
) -> Result<Workspace, ron::error::SpannedError> {
    let mut de = ron::de::Deserializer::from_str(s)?;
    let ws = serde_ignored::deserialize(&mut de, |path| unknown.push(path.to_string()))
        .map_err(|e| de.span_error(e))?;
    de.end().map_err(|e| de.span_error(e))?;
    Ok(ws)
}

/// A workspace read from its file.
#[derive(Debug)]
pub struct Loaded {
    /// The workspace, repaired where that was safe.
    pub workspace: Workspace,
    /// The stamp of the bytes read, for [`save_checked`].
    pub stamp: DiskStamp,
    /// What loading repaired or could not keep, for the user to hear once.
    pub notices: Vec<Problem>,
}

/// Reads a workspace file. The file is only read.
pub fn load(path: &Path) -> Result<Workspace, StoreError> {
    load_checked(path).map(|l| l.workspace)
}

/// Reads a workspace file and stamps it, so that a later [`save_checked`] notices if someone
/// else changes it in between.
pub fn load_stamped(path: &Path) -> Result<(Workspace, DiskStamp), StoreError> {
    load_checked(path).map(|l| (l.workspace, l.stamp))
}

/// Reads a workspace file with its stamp and what loading repaired. Only regular files of at
/// most [`MAX_WORKSPACE_BYTES`] are read (a device or a pipe is refused before it is opened).
pub fn load_checked(path: &Path) -> Result<Loaded, StoreError> {
    let bytes = read_regular_file(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| StoreError::NotUtf8 {
        path: Some(path.to_path_buf()),
        offset: e.valid_up_to(),
    })?;
    let (workspace, notices) = from_ron_str_with_notices(text).map_err(|e| e.with_path(path))?;
    Ok(Loaded {
        workspace,
        stamp: DiskStamp::of_bytes(path, &bytes),
        notices,
    })
}

/// Reads a regular file of at most [`MAX_WORKSPACE_BYTES`], checking both before opening it
/// (so `/dev/zero` or a FIFO is refused at once) and while reading (a file that grows).
pub fn read_regular_file(path: &Path) -> Result<Vec<u8>, StoreError> {
    use std::io::Read;
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let too_large = |size| StoreError::TooLarge {
        path: path.to_path_buf(),
        size,
        max: MAX_WORKSPACE_BYTES,
    };
    if meta.len() > MAX_WORKSPACE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_WORKSPACE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_WORKSPACE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The backup kept beside a workspace file: `WS.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

/// Writes a workspace file atomically (temporary file, flush, rename), keeping the previous
/// version as `WS.ron.bak`.
pub fn save(ws: &Workspace, path: &Path) -> Result<(), StoreError> {
    save_checked(ws, path, None).map(|_| ())
}

/// Like [`save`], but first makes sure the file on disk is still the one described by
/// `expected` (taken when it was opened or last saved); if someone else changed it, nothing is
/// written and [`StoreError::ChangedOnDisk`] is returned. `None` overwrites whatever is there.
/// Returns the stamp of the file as written.
pub fn save_checked(
    ws: &Workspace,
    path: &Path,
    expected: Option<&DiskStamp>,
) -> Result<DiskStamp, StoreError> {
    let s = to_ron_string(ws)?;
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| StoreError::Io { path: p, source }
    };
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
    {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    match std::fs::read(path) {
        Ok(old) => {
            // The content decides; a moved modification time alone (a sync client touching
            // the file) is not a change.
            if let Some(stamp) = expected
                && (old.len() as u64 != stamp.len
                    || DiskStamp::of_bytes(path, &old).hash != stamp.hash)
            {
                return Err(StoreError::ChangedOnDisk {
                    path: path.to_path_buf(),
                });
            }
            let bak = backup_path(path);
            super::atomic::write_atomic_like(&bak, &old, Some(path)).map_err(io(&bak))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(path)(e)),
    }
    // Once more just before replacing it: writing the backup took a moment in which a
    // colleague's save may have landed.
    if let Some(stamp) = expected
        && stamp.compare(path).map_err(io(path))? == super::DiskChange::Changed
    {
        return Err(StoreError::ChangedOnDisk {
            path: path.to_path_buf(),
        });
    }
    super::write_atomic(path, s.as_bytes()).map_err(io(path))?;
    Ok(DiskStamp::of_bytes(path, s.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, DocMeta, Document, Origin};

    fn sample() -> Workspace {
        let mut ws = Workspace::new();
        for (t, title) in [("第一段“引文”\n第二段 r#\"x\"#", "讲话"), ("另一篇", "")]
        {
            let doc = Document::new(
                t.into(),
                Origin {
                    path: Some("/tmp/a.txt".into()),
                    encoding: "GBK".into(),
                    sha256: "ab".into(),
                    byte_len: 3,
                    ..Default::default()
                },
                DocMeta {
                    title: title.into(),
                    ..Default::default()
                },
            );
            ws.apply(Command::AddDocument(Box::new(doc))).unwrap();
        }
        ws
    }

    #[test]
    fn round_trip_is_byte_identical_and_readable() {
        let ws = sample();
        let a = to_ron_string(&ws).unwrap();
        let back = from_ron_str(&a).unwrap();
        assert_eq!(back, ws);
        assert_eq!(to_ron_string(&back).unwrap(), a);
        assert!(
            a.starts_with("(\n  format: \"yinwen\",\n  version: 5,"),
            "{a}"
        );
        assert!(a.contains("第一段“引文”"), "Chinese is not escaped");
        assert!(!a.contains("\\u"));
    }

    #[test]
    fn damaged_file_reports_line_and_column() {
        let good = to_ron_string(&sample()).unwrap();
        let bad = good.replacen("documents:", "documents", 1);
        match from_ron_str(&bad) {
            Err(StoreError::Parse { line, col, .. }) => {
                assert!(line > 1 && col > 0, "line {line} col {col}")
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
        let cut = (good.len() / 2..)
            .find(|&i| good.is_char_boundary(i))
            .unwrap();
        let truncated = &good[..cut];
        assert!(matches!(
            from_ron_str(truncated),
            Err(StoreError::Parse { .. })
        ));
    }

    #[test]
    fn newer_version_and_foreign_format_are_refused() {
        let good = to_ron_string(&sample()).unwrap();
        let newer = good.replacen("version: 5,", "version: 99,", 1);
        let err = from_ron_str(&newer).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }));
        assert!(err.to_string().contains("newer Yinwen"));
        let foreign = good.replacen("\"yinwen\"", "\"other\"", 1);
        assert!(matches!(
            from_ron_str(&foreign),
            Err(StoreError::NotAWorkspace { .. })
        ));
    }

    #[test]
    fn saving_keeps_the_previous_version_as_bak() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ws.ron");
        let mut ws = sample();
        save(&ws, &p).unwrap();
        assert!(
            !backup_path(&p).exists(),
            "nothing to back up the first time"
        );
        let first = std::fs::read(&p).unwrap();
        std::sync::Arc::make_mut(&mut ws.documents[0]).meta.title = "改过的标题".into();
        save(&ws, &p).unwrap();
        assert_eq!(std::fs::read(backup_path(&p)).unwrap(), first);
        assert_eq!(load(&p).unwrap(), ws);
        assert!(backup_path(&p).ends_with("ws.ron.bak"));
    }

    #[test]
    fn version_1_files_still_load() {
        let v1 = include_str!("../../tests/data/workspace-v1.ron");
        let ws = from_ron_str(v1).unwrap();
        assert_eq!(ws.version, FORMAT_VERSION);
        assert_eq!(ws.documents.len(), 2);
        assert!(ws.tags.is_empty() && ws.annotations.is_empty());
        assert!(to_ron_string(&ws).unwrap().contains("version: 5,"));
    }

    #[test]
    fn version_2_files_still_load() {
        let v2 = include_str!("../../tests/data/workspace-v2.ron");
        assert!(v2.contains("version: 2,"));
        let ws = from_ron_str(v2).unwrap();
        assert!(ws.annotations.len() >= 12 && !ws.tags.is_empty());
        assert!(ws.sources.is_empty());
        assert!(ws.annotations.iter().all(|a| a.directive.is_none()));
    }

    #[test]
    fn rejections_are_saved_only_when_there_are_some_and_load_back() {
        let mut ws = sample();
        let empty = to_ron_string(&ws).unwrap();
        assert!(!empty.contains("rejections"), "{empty}");
        let doc = ws.documents[0].clone();
        let r = crate::model::Rejection::new(doc.id, &doc.text, 3..5);
        ws.apply(Command::RejectCandidate(Box::new(r.clone())))
            .unwrap();
        let text = to_ron_string(&ws).unwrap();
        assert!(text.contains("rejections:"), "{text}");
        let back = from_ron_str(&text).unwrap();
        assert_eq!(back.rejections, vec![r]);
        assert!(back.is_rejected(doc.id, 3, 5));
        // A version-4 file (no rejections) still loads, and is written back as version 5.
        let v4 = empty.replacen("version: 5,", "version: 4,", 1);
        let old = from_ron_str(&v4).unwrap();
        assert!(old.rejections.is_empty());
        assert_eq!(to_ron_string(&old).unwrap(), empty);
    }

    #[test]
    fn failed_load_leaves_the_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ws.ron");
        std::fs::write(&p, b"(format: \"yinwen\", version: 1, documents: [").unwrap();
        let before = std::fs::read(&p).unwrap();
        let err = load(&p).unwrap_err();
        assert!(err.to_string().contains("ws.ron"), "{err}");
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    #[test]
    fn a_file_changed_by_someone_else_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("共享.ron");
        save(&sample(), &p).unwrap();
        let (mut ws, stamp) = load_stamped(&p).unwrap();
        // Our own saves move the stamp along.
        std::sync::Arc::make_mut(&mut ws.documents[0]).meta.title = "我们改的".into();
        let stamp = save_checked(&ws, &p, Some(&stamp)).unwrap();
        // A colleague saves over it.
        let mut theirs = ws.clone();
        std::sync::Arc::make_mut(&mut theirs.documents[0])
            .meta
            .title = "同事改的".into();
        save(&theirs, &p).unwrap();
        let on_disk = std::fs::read(&p).unwrap();
        std::sync::Arc::make_mut(&mut ws.documents[0]).meta.title = "我们又改了".into();
        let err = save_checked(&ws, &p, Some(&stamp)).unwrap_err();
        assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
        assert!(err.to_string().contains("changed by someone else"));
        assert_eq!(
            std::fs::read(&p).unwrap(),
            on_disk,
            "their version untouched"
        );
        // Overwriting is an explicit choice.
        save_checked(&ws, &p, None).unwrap();
        assert_eq!(load(&p).unwrap().documents[0].meta.title, "我们又改了");
    }

    #[test]
    fn a_removed_file_is_simply_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ws.ron");
        save(&sample(), &p).unwrap();
        let (ws, stamp) = load_stamped(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        save_checked(&ws, &p, Some(&stamp)).unwrap();
        assert_eq!(load(&p).unwrap(), ws);
    }
}
