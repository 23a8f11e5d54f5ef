//! The source library: folders of official texts, indexed once, in which every quotation of a
//! speech finds its source by itself.
//!
//! * [`folder`] — one folder's tantivy index (bigram tokens with positions, the decoded texts
//!   stored, a catalog of each file's hash and header as the commit payload), built and
//!   updated by [`index_folder`].
//! * [`Library`] — the folders open together: [`Library::find`] gives, for a quotation, the
//!   best passages of the whole library, each aligned by our own verifier
//!   ([`crate::analysis::verify`]) into verbatim / variant / abridged with its diff, with the
//!   document's metadata and whom the document itself attributes the passage to
//!   ([`QuotedFrom`]); [`Library::search`] is full-text phrase search.
//! * [`claims`] — whether a directive's claimed source (speaker, title, 文号) agrees with
//!   what was found: misattribution judged from metadata and aliases.
//!
//! No egui here: the window and the CLI both call these functions.

pub mod claims;

pub mod folder;
pub mod names;
pub mod tokenizer;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::header::Header;
use crate::analysis::verify::{DiffOp, SourceIndex, Status};

pub use folder::{
    Entry, Folder, IndexReport, Skipped, index_folder, index_folder_with, index_location,
};

/// Passages fetched from the index per quotation by score, before alignment.
const CANDIDATE_PASSAGES: usize = 6;
/// Passages fetched by phrase (word for word) per quotation.
const PHRASE_PASSAGES: usize = 20;
/// Chars around a candidate passage given to the aligner (beyond the quotation's length),
/// for quotations that run over a passage's end.
const WINDOW_PAD: usize = 80;

/// What can go wrong with a library.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The path is not a folder.
    #[error("{0}: not a folder of texts")]
    NotAFolder(PathBuf),
    /// No index was built for the folder yet.
    #[error("{0}: not indexed yet (run `yinwen library index {0}` or add it in the Library panel)")]
    NotIndexed(PathBuf),
    /// The index was built by another version of Yinwen and must be built again.
    #[error(
        "{0}: the index was made by another version of Yinwen; update it (`yinwen library index {0}` or Update index in the Library panel)"
    )]
    Outdated(PathBuf),
    /// The index cannot be read, or disagrees with its catalog: it must be built again.
    #[error(
        "{dir}: the library index is damaged ({reason}); rebuild it with `yinwen library index {dir}` or Update index in the Library panel"
    )]
    Damaged {
        /// The library folder.
        dir: PathBuf,
        /// What is wrong, one short phrase.
        reason: String,
    },
    /// The last indexing run was cancelled or stopped: files of the folder may be missing.
    #[error(
        "{0}: the library index is incomplete (an indexing run was cancelled); complete it with `yinwen library index {0}` or Update index in the Library panel"
    )]
    Incomplete(PathBuf),
    /// Another indexer holds the writer lock.
    #[error("another indexing run is writing this library; try again when it has finished")]
    Busy,
    /// Neither the folder nor a cache folder can hold the index.
    #[error("no cache folder for a read-only library (set XDG_CACHE_HOME)")]
    NoCacheFolder,
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The index itself failed.
    #[error("library index: {0}")]
    Index(String),
}

/// Whom the found document attributes the passage to, when the passage is itself a
/// quotation there (a provincial document quoting a leader).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotedFrom {
    /// Who said it, as the document writes it.
    pub speaker: Option<String>,
    /// The title the document cites it from.
    pub source_title: Option<String>,
}

/// One place in the library where a quotation was found.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundMatch {
    /// Index of the folder in the library.
    pub folder: usize,
    /// Path relative to that folder.
    pub file: String,
    /// The document's metadata (with the user's corrections).
    pub header: Header,
    /// Verbatim, variant or abridged (never not found).
    pub status: Status,
    /// 1.0 for verbatim.
    pub similarity: f32,
    /// Char offset of the passage in the document's text.
    pub start: usize,
    /// Char offset just past the passage.
    pub end: usize,
    /// The passage as written in the document.
    pub passage: String,
    /// Quotation vs passage (normalised).
    pub diff: Vec<DiffOp>,
    /// Verbatim except for the script (Traditional vs Simplified).
    pub script_differs: bool,
    /// Whom the document attributes the passage to.
    pub quoted_from: Option<QuotedFrom>,
}

/// A hit of a full-text search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// Index of the folder in the library.
    pub folder: usize,
    /// Path relative to that folder.
    pub file: String,
    /// The document's title, when known.
    pub title: Option<String>,
    /// Char offset of the hit in the document's text.
    pub start: usize,
    /// Char offset just past the hit.
    pub end: usize,
    /// Up to 40 chars before the hit.
    pub before: String,
    /// The hit as written.
    pub hit: String,
    /// Up to 40 chars after the hit.
    pub after: String,
}

/// What identifies the speech being checked, so that its own copy in the library is left
/// out of its results.
#[derive(Debug, Clone)]
pub struct SpeechId {
    /// SHA-256 of the speech file's bytes.
    pub sha256: String,
    /// Its decoded text's char count.
    pub chars: usize,
    /// Its header.
    pub header: Header,
}

impl SpeechId {
    /// The identity of a decoded speech.
    pub fn of(sha256: &str, text: &str) -> SpeechId {
        SpeechId {
            sha256: sha256.to_string(),
            chars: text.chars().count(),
            header: crate::analysis::header::read_header(text),
        }
    }

    fn is(&self, e: &Entry) -> bool {
        e.sha256 == self.sha256 || (e.chars == self.chars && e.header == self.header)
    }
}

/// One or more indexed folders, searched together.
///
/// A folder whose index cannot be read is left out and listed in [`Library::unusable`]; one
/// that fails while being searched records a fault. [`Library::problems`] says both, so that
/// no caller answers "not found" from a library it could not read.
#[derive(Default)]
pub struct Library {
    /// The folders that opened, in the order they were given.
    pub folders: Vec<Folder>,
    /// The folders that could not be opened, with why.
    pub unusable: Vec<(PathBuf, LibraryError)>,
}

fn status_rank(s: Status) -> u8 {
    match s {
        Status::Verbatim => 0,
        Status::Abridged => 1,
        Status::Variant => 2,
        Status::NotFound => 3,
    }
}

fn slice_chars(text: &str, a: usize, b: usize) -> String {
    let (a, b) = (
        crate::model::byte_at(text, a),
        crate::model::byte_at(text, b),
    );
    text[a..b.max(a)].to_string()
}

impl Library {
    /// Opens the library of `dirs`, first indexing any folder that has no index yet, one made
    /// by another version, or one left incomplete (reporting to `progress`); what indexing
    /// did is returned with the library. A damaged index is not touched here (only
    /// `library index` rebuilds): it is listed in [`Library::unusable`].
    ///
    /// # Errors
    /// When no folder can be used (see [`Library::open`]).
    pub fn open_or_index(
        dirs: &[PathBuf],
        progress: &crate::progress::Progress,
    ) -> Result<(Library, Vec<(PathBuf, IndexReport)>), LibraryError> {
        let mut reports = Vec::new();
        let mut failed = Vec::new();
        for d in dirs {
            let needs_index = match Folder::open(d) {
                Ok(f) => !f.is_complete(),
                Err(LibraryError::NotIndexed(_) | LibraryError::Outdated(_)) => true,
                Err(_) => false,
            };
            if needs_index {
                match index_folder(d, progress) {
                    Ok(r) => reports.push((d.clone(), r)),
                    Err(e) => failed.push((d.clone(), e)),
                }
            }
        }
        // When no folder opens, the error of one that failed to index says more.
        let mut lib = Library::open(dirs).map_err(|e| {
            if failed.is_empty() {
                e
            } else {
                failed.remove(0).1
            }
        })?;
        for (d, e) in failed {
            lib.unusable.retain(|(u, _)| *u != d);
            lib.unusable.push((d, e));
        }
        Ok((lib, reports))
    }

    /// Opens the indexes of `dirs`, for reading only. Folders that cannot be opened are left
    /// out and listed in [`Library::unusable`].
    ///
    /// # Errors
    /// When no folder of a non-empty `dirs` can be opened: the first folder's error.
    pub fn open(dirs: &[PathBuf]) -> Result<Library, LibraryError> {
        let mut lib = Library::default();
        for d in dirs {
            match Folder::open(d) {
                Ok(f) => lib.folders.push(f),
                Err(e) => lib.unusable.push((d.clone(), e)),
            }
        }
        if lib.folders.is_empty() && !lib.unusable.is_empty() {
            return Err(lib.unusable.remove(0).1);
        }
        Ok(lib)
    }

    /// What makes this library's answers incomplete, one sentence a folder, each naming the
    /// command that repairs it: folders that could not be opened, folders whose index is
    /// incomplete, and folders whose index failed while being read.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self.unusable.iter().map(|(_, e)| e.to_string()).collect();
        out.extend(self.folder_problems());
        out
    }

    /// The problems of the folders that did open: an incomplete index, or one that failed
    /// while being read (see [`Library::problems`]).
    pub fn folder_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in &self.folders {
            let faults = f.faults();
            if !faults.is_empty() {
                out.push(
                    LibraryError::Damaged {
                        dir: f.dir.clone(),
                        reason: faults.join("; "),
                    }
                    .to_string(),
                );
            } else if !f.is_complete() {
                out.push(LibraryError::Incomplete(f.dir.clone()).to_string());
            }
        }
        out
    }

    /// Whether no folder gave a trustworthy answer: every folder unusable or faulty.
    pub fn nothing_usable(&self) -> bool {
        self.folders.iter().all(|f| !f.faults().is_empty())
            && (!self.folders.is_empty() || !self.unusable.is_empty())
    }

    /// Number of documents in all folders.
    pub fn document_count(&self) -> usize {
        self.folders.iter().map(|f| f.entries().len()).sum()
    }

    /// The best places of `quotation` in the library, best first: verbatim before abridged
    /// before variant, higher similarity first, then the earliest dated document (the
    /// primary source), then the one not quoting it from elsewhere. At most `limit`, one a
    /// document.
    pub fn find(&self, quotation: &str, limit: usize) -> Vec<FoundMatch> {
        self.find_except(quotation, limit, None)
    }

    /// [`Library::find`] leaving out documents that are `speech` itself (same hash, or the
    /// same text in another encoding): a speech kept in its own library does not find its
    /// quotations in itself.
    pub fn find_except(
        &self,
        quotation: &str,
        limit: usize,
        speech: Option<&SpeechId>,
    ) -> Vec<FoundMatch> {
        let qlen = quotation.chars().count();
        let abridged = quotation.contains(['…', '⋯']) || quotation.contains("...");
        let mut out: Vec<FoundMatch> = Vec::new();
        for (fi, folder) in self.folders.iter().enumerate() {
            // Passages holding the quotation word for word (a phrase query), then, unless one
            // of them does, the best-scored passages for variants.
            let mut exact = if abridged {
                Vec::new()
            } else {
                folder.phrase(quotation, PHRASE_PASSAGES)
            };
            // The speech itself is never its own source.
            if let Some(sp) = speech {
                exact.retain(|h| !folder.entry(&h.file).is_some_and(|e| sp.is(e)));
            }
            // Word-for-word hits are verbatim: only the earliest dated need aligning, one
            // passage a document (passages overlap).
            let date = |h: &folder::PassageHit| {
                folder
                    .header(&h.file)
                    .and_then(|x| x.date)
                    .unwrap_or_else(|| "9999".into())
            };
            exact.sort_by_cached_key(|h| (date(h), h.file.clone(), h.start));
            exact.dedup_by(|a, b| a.file == b.file);
            exact.truncate(limit);
            let exact_hits: Vec<(folder::PassageHit, usize)> =
                exact.iter().map(|h| (h.clone(), qlen.min(40))).collect();
            let verbatim = self.align(fi, quotation, exact_hits, speech, true, &mut out);
            // Found word for word: those are the sources; documents holding only a variant
            // are not looked for.
            if !verbatim {
                let scored = folder
                    .candidates(quotation, CANDIDATE_PASSAGES)
                    .into_iter()
                    .map(|h| (h, qlen + WINDOW_PAD))
                    .collect();
                self.align(fi, quotation, scored, speech, false, &mut out);
            }
        }
        // One match a document: its best.
        let by_rank = |x: &FoundMatch, y: &FoundMatch| {
            rank(x)
                .partial_cmp(&rank(y))
                .unwrap_or(std::cmp::Ordering::Equal)
        };
        out.sort_by(by_rank);
        let mut seen = std::collections::HashSet::new();
        out.retain(|m| seen.insert((m.folder, m.file.clone())));
        // Whom each kept document attributes the passage to (the detector on its paragraph),
        // then the final order, in which a document quoting it from elsewhere comes after
        // one of the same date that does not.
        out.truncate(limit + 2);
        for m in &mut out {
            if let Some(text) = self.folders[m.folder].text(&m.file) {
                m.quoted_from = quoted_from(&text, m.start, m.end);
            }
        }
        out.sort_by(by_rank);
        out.truncate(limit);
        out
    }

    /// Aligns `quotation` against windows around passage hits of folder `fi` (each with the
    /// padding to take around it), adding what is found to `out` (not twice the same place).
    /// Returns whether a verbatim match was found. `exact` hits come from a phrase query: a
    /// stored text that does not hold them at all disagrees with its own index (damage), which
    /// is recorded as the folder's fault rather than passed over as "not found".
    fn align(
        &self,
        fi: usize,
        quotation: &str,
        hits: Vec<(folder::PassageHit, usize)>,
        speech: Option<&SpeechId>,
        exact: bool,
        out: &mut Vec<FoundMatch>,
    ) -> bool {
        let folder = &self.folders[fi];
        // Windows per file, merged when they overlap.
        let mut windows: Vec<(String, usize, usize)> = Vec::new();
        for (h, pad) in hits {
            let (a, b) = (h.start.saturating_sub(pad), h.end + pad);
            if let Some(w) = windows
                .iter_mut()
                .find(|w| w.0 == h.file && a <= w.2 && b >= w.1)
            {
                w.1 = w.1.min(a);
                w.2 = w.2.max(b);
            } else {
                windows.push((h.file, a, b));
            }
        }
        let mut verbatim = false;
        for (file, a, b) in windows {
            if let Some(sp) = speech
                && folder.entry(&file).is_some_and(|e| sp.is(e))
            {
                continue;
            }
            let Some(text) = folder.text(&file) else {
                continue;
            };
            let window = slice_chars(&text, a, b);
            if window.is_empty() {
                continue;
            }
            let m = SourceIndex::new(&[window.as_str()]).find(quotation);
            let (Some(s), Some(e)) = (m.source_start, m.source_end) else {
                if exact {
                    folder.fault(format!(
                        "the stored text of {} does not hold what its index says",
                        names::display(&file)
                    ));
                }
                continue;
            };
            let (start, end) = (a + s, a + e);
            if out
                .iter()
                .any(|o| o.folder == fi && o.file == file && o.start < end && start < o.end)
            {
                continue;
            }
            verbatim |= m.status == Status::Verbatim;
            out.push(FoundMatch {
                folder: fi,
                passage: slice_chars(&text, start, end),
                header: folder.header(&file).unwrap_or_default(),
                file,
                status: m.status,
                similarity: m.similarity,
                start,
                end,
                diff: m.diff,
                script_differs: m.script_differs,
                quoted_from: None,
            });
        }
        verbatim
    }

    /// Passages of the library containing `text` (folded like quotations: script, width,
    /// line breaks), up to `limit`, each with some context.
    pub fn search(&self, text: &str, limit: usize) -> Vec<SearchHit> {
        let mut out = Vec::new();
        for (fi, folder) in self.folders.iter().enumerate() {
            for h in folder.phrase(text, limit) {
                let Some(doc) = folder.text(&h.file) else {
                    continue;
                };
                let passage = slice_chars(&doc, h.start, h.end);
                let m = SourceIndex::new(&[passage.as_str()]).find(text);
                if m.status != Status::Verbatim {
                    continue;
                }
                let (Some(s), Some(e)) = (m.source_start, m.source_end) else {
                    continue;
                };
                let (start, end) = (h.start + s, h.start + e);
                // Passages overlap: the same place may come twice.
                if out
                    .iter()
                    .any(|o: &SearchHit| o.folder == fi && o.file == h.file && o.start == start)
                {
                    continue;
                }
                out.push(SearchHit {
                    folder: fi,
                    title: folder.header(&h.file).and_then(|x| x.title),
                    before: slice_chars(&doc, start.saturating_sub(40), start),
                    hit: slice_chars(&doc, start, end),
                    after: slice_chars(&doc, end, end + 40),
                    file: h.file,
                    start,
                    end,
                });
                if out.len() >= limit {
                    return out;
                }
            }
        }
        out
    }

    /// The folder a match or hit came from.
    pub fn folder_dir(&self, folder: usize) -> Option<&Path> {
        self.folders.get(folder).map(|f| f.dir.as_path())
    }
}

/// Sort key of a match (smaller is better).
fn rank(m: &FoundMatch) -> (u8, i64, String, u8, String) {
    (
        status_rank(m.status),
        -((m.similarity * 100.0).round() as i64),
        // Undated last.
        m.header.date.clone().unwrap_or_else(|| "9999".into()),
        m.quoted_from.is_some() as u8,
        m.file.clone(),
    )
}

/// Whether the passage `start..end` of `text` lies inside a quotation the text attributes to
/// someone: the detector is run on the paragraph around it.
fn quoted_from(text: &str, start: usize, end: usize) -> Option<QuotedFrom> {
    let chars: Vec<char> = text.chars().collect();
    // Only a passage inside quotation marks can be quoted from someone.
    let para_start = chars[..start.min(chars.len())]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |k| k + 1);
    if !chars[para_start.max(start.saturating_sub(2000))..start.min(chars.len())]
        .iter()
        .any(|c| matches!(c, '“' | '「' | '『' | '"' | '‘'))
    {
        return None;
    }
    // The paragraph(s) around the passage, at most 400 chars before it.
    let mut a = start.saturating_sub(400);
    if let Some(nl) = chars[a..start.min(chars.len())]
        .iter()
        .rposition(|&c| c == '\n')
        .filter(|&k| a + k + 1 < start.saturating_sub(60))
    {
        a += nl + 1;
    }
    let b = (end + 60).min(chars.len());
    let window: String = chars[a..b].iter().collect();
    let det = crate::analysis::detect(&window);
    det.directives
        .iter()
        .find(|d| a + d.start <= start && end <= a + d.end + 1)
        .filter(|d| d.speaker.is_some() || d.source_title.is_some())
        .map(|d| QuotedFrom {
            speaker: d.speaker.clone(),
            source_title: d.source_title.clone(),
        })
}

#[cfg(test)]
mod tests;
