//! One folder of the library and its on-disk index.
//!
//! # Layout
//! The index lives in `DIR/.yinwen-library/` or, when DIR cannot be written (a read-only
//! share), in the user's cache folder under `libraries/<hash of DIR's canonical path>/`
//! (with `folder.txt` naming DIR). Inside:
//! * `index/` — a tantivy index with two kinds of records, both carrying the file's `path`
//!   (relative to DIR, `/`-separated) so one deletion removes a file:
//!   - a **text** record (`rec` = 0): the decoded text, stored (LZ4-compressed);
//!   - **passage** records (`rec` = 1): a paragraph-sized piece of the text, indexed with the
//!     bigram tokenizer (positions kept), with its char range in the text.
//! * the **catalog** — every file's size, modification time, SHA-256, char count and header —
//!   is the payload of each tantivy commit, so it changes atomically with the index;
//! * `metadata.json` — the user's corrections to documents' metadata, by path.
//!
//! # Writers and readers
//! Tantivy allows one `IndexWriter` per index (a lock file); a second indexer waits up to
//! [`WRITER_WAIT`] and then gives up with a clear message. Readers open the last commit and
//! never see a half-written one; a reader open while a writer commits keeps its snapshot.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::LibraryError;
use super::tokenizer::{self, BigramTokenizer};
use crate::analysis::header::{Header, read_header};
use crate::import::{self, EncodingChoice};
use crate::progress::Progress;

/// Name of the index folder inside a library folder.
pub const INDEX_DIR_NAME: &str = ".yinwen-library";
/// Catalog format; a different version makes the index be rebuilt.
const CATALOG_VERSION: u32 = 3;
/// How long an indexer waits for another one to finish.
pub const WRITER_WAIT: Duration = Duration::from_secs(10);
/// Memory the index writer may use (all threads together).
const WRITER_MEMORY: usize = 120_000_000;
/// A passage is cut at a line end once it has this many chars…
const PASSAGE_MIN: usize = 300;
/// …and, inside a long paragraph, at a sentence end after this many.
const PASSAGE_MAX: usize = 600;
/// Bigrams of a quotation scored when looking for variants (its rarest).
const SCORED_TERMS: usize = 12;
/// Chars of the next passage indexed with each passage.
const PASSAGE_OVERLAP: usize = 100;
/// Texts kept decoded in memory for alignment.
const TEXT_CACHE: usize = 48;

/// What the catalog knows of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Path relative to the folder, `/`-separated.
    pub file: String,
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time (ns since the epoch) when indexed.
    pub mtime: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Chars of the decoded text.
    pub chars: usize,
    /// What the header says (before the user's corrections).
    pub header: Header,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Catalog {
    version: u32,
    entries: Vec<Entry>,
}

/// A file that could not be indexed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Path relative to the folder.
    pub file: String,
    /// The reason, one line.
    pub reason: String,
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndexReport {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files whose content changed and were indexed again.
    pub changed: usize,
    /// Files gone from the folder, taken out of the index.
    pub removed: usize,
    /// Files unchanged.
    pub unchanged: usize,
    /// Files that could not be read.
    pub skipped: Vec<Skipped>,
    /// Files in the index now.
    pub documents: usize,
    /// Bytes read and indexed in this run.
    pub bytes_indexed: u64,
    /// The run was cancelled (what was done before is committed).
    pub cancelled: bool,
    /// Where the index is.
    pub index_dir: PathBuf,
}

#[derive(Clone, Copy)]
struct Fields {
    path: Field,
    rec: Field,
    text: Field,
    start: Field,
    end: Field,
    body: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let path = b.add_text_field("path", STRING | STORED);
    let rec = b.add_u64_field("rec", INDEXED);
    let text = b.add_text_field("text", STORED);
    let start = b.add_u64_field("start", STORED);
    let end = b.add_u64_field("end", STORED);
    let body_opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer::NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let body = b.add_text_field("body", body_opts);
    (
        b.build(),
        Fields {
            path,
            rec,
            text,
            start,
            end,
            body,
        },
    )
}

const REC_TEXT: u64 = 0;
const REC_PASSAGE: u64 = 1;

/// One indexed folder, open for reading.
pub struct Folder {
    /// The folder of texts.
    pub dir: PathBuf,
    /// Where its index is.
    pub index_dir: PathBuf,
    reader: IndexReader,
    fields: Fields,
    entries: Vec<Entry>,
    by_file: HashMap<String, usize>,
    overrides: Mutex<BTreeMap<String, Header>>,
    texts: Mutex<Vec<(String, Arc<str>)>>,
}

/// A passage hit of a search, before alignment.
#[derive(Debug, Clone)]
pub(crate) struct PassageHit {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

/// Where the index of `dir` is or would be: `DIR/.yinwen-library` when that exists or can be
/// made, else the cache folder.
pub fn index_location(dir: &Path, create: bool) -> Result<PathBuf, LibraryError> {
    let local = dir.join(INDEX_DIR_NAME);
    if local.join("index").join("meta.json").is_file() {
        return Ok(local);
    }
    let cached = cache_location(dir)?;
    if cached.join("index").join("meta.json").is_file() {
        return Ok(cached);
    }
    if !create {
        return Err(LibraryError::NotIndexed(dir.to_path_buf()));
    }
    if std::fs::create_dir_all(local.join("index")).is_ok() && tempfile::tempfile_in(&local).is_ok()
    {
        return Ok(local);
    }
    std::fs::create_dir_all(cached.join("index")).map_err(|e| LibraryError::Io {
        path: cached.clone(),
        source: e,
    })?;
    let _ = std::fs::write(cached.join("folder.txt"), dir.display().to_string());
    Ok(cached)
}

fn cache_location(dir: &Path) -> Result<PathBuf, LibraryError> {
    use sha2::{Digest, Sha256};
    let canon = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let key = Sha256::digest(canon.to_string_lossy().as_bytes());
    let hex: String = key.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .map(|p| p.join("yinwen"))
        .or_else(|| {
            directories::ProjectDirs::from("", "", "yinwen").map(|d| d.cache_dir().to_path_buf())
        })
        .ok_or(LibraryError::NoCacheFolder)?;
    Ok(base.join("libraries").join(hex))
}

fn open_index(index_dir: &Path) -> Result<(Index, Fields), LibraryError> {
    let io = |e: tantivy::TantivyError| LibraryError::Index(e.to_string());
    let (schema, fields) = schema();
    let dir = MmapDirectory::open(index_dir.join("index"))
        .map_err(|e| LibraryError::Index(e.to_string()))?;
    let index = Index::open_or_create(dir, schema.clone());
    let index = match index {
        Ok(i) if i.schema() == schema => i,
        _ => {
            // An index of another format: start again.
            let _ = std::fs::remove_dir_all(index_dir.join("index"));
            std::fs::create_dir_all(index_dir.join("index")).map_err(|e| LibraryError::Io {
                path: index_dir.to_path_buf(),
                source: e,
            })?;
            let dir = MmapDirectory::open(index_dir.join("index"))
                .map_err(|e| LibraryError::Index(e.to_string()))?;
            Index::open_or_create(dir, schema).map_err(io)?
        }
    };
    index
        .tokenizers()
        .register(tokenizer::NAME, BigramTokenizer);
    Ok((index, fields))
}

fn read_catalog(index: &Index) -> Catalog {
    index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str::<Catalog>(&p).ok())
        .filter(|c| c.version == CATALOG_VERSION)
        .unwrap_or_default()
}

/// Whether the index holds documents under a catalog this version cannot read (an index
/// built by another version of Yinwen, with another tokenizer).
fn outdated(index: &Index) -> bool {
    let payload = index.load_metas().ok().and_then(|m| m.payload);
    match payload {
        Some(p) => serde_json::from_str::<Catalog>(&p)
            .map(|c| c.version != CATALOG_VERSION)
            .unwrap_or(true),
        None => false,
    }
}

/// Files of a folder, recursively (see [`crate::import::folder::walk`]); subfolders that
/// cannot be read are passed over.
fn walk(dir: &Path) -> Result<Vec<(String, PathBuf)>, LibraryError> {
    crate::import::folder::walk(dir)
        .map(|(files, _)| files)
        .map_err(|e| LibraryError::Io {
            path: dir.to_path_buf(),
            source: e,
        })
}

fn mtime_ns(m: &std::fs::Metadata) -> u64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// Cuts a text into passages: char ranges at line ends once [`PASSAGE_MIN`] chars are
/// gathered, and at sentence ends inside paragraphs longer than [`PASSAGE_MAX`].
pub(crate) fn passages(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        let len = i + 1 - start;
        let cut = (c == '\n' && len >= PASSAGE_MIN)
            || (len >= PASSAGE_MAX && matches!(c, '。' | '！' | '？' | '；' | '\n'))
            || len >= PASSAGE_MAX * 2;
        if cut {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

/// Builds or updates the index of `dir`.
///
/// New files are indexed, files whose size or time changed are read again and re-indexed
/// when their SHA-256 differs, files gone are removed. Unreadable files are listed in the
/// report and left out. `progress` counts bytes; cancelling commits what was done.
pub fn index_folder(dir: &Path, progress: &Progress) -> Result<IndexReport, LibraryError> {
    if !dir.is_dir() {
        return Err(LibraryError::NotAFolder(dir.to_path_buf()));
    }
    let files = walk(dir)?;
    let index_dir = index_location(dir, true)?;
    let (index, fields) = open_index(&index_dir)?;
    let mut writer = acquire_writer(&index)?;
    let old = read_catalog(&index);
    if old.entries.is_empty() {
        // No catalog, or one of an older format: whatever the index holds is dropped and
        // every file indexed again.
        writer
            .delete_all_documents()
            .map_err(|e| LibraryError::Index(e.to_string()))?;
    }
    let mut by_file: HashMap<String, Entry> = old
        .entries
        .into_iter()
        .map(|e| (e.file.clone(), e))
        .collect();
    let mut report = IndexReport {
        index_dir: index_dir.clone(),
        ..Default::default()
    };

    // What must be read: new or touched files.
    let mut todo = Vec::new();
    let mut total = 0u64;
    let mut seen = std::collections::HashSet::new();
    for (rel, path) in &files {
        seen.insert(rel.clone());
        let Ok(meta) = std::fs::metadata(path) else {
            report.skipped.push(Skipped {
                file: rel.clone(),
                reason: "cannot be read".into(),
            });
            continue;
        };
        match by_file.get(rel) {
            Some(e) if e.size == meta.len() && e.mtime == mtime_ns(&meta) => report.unchanged += 1,
            _ => {
                total += meta.len();
                todo.push((rel.clone(), path.clone(), meta));
            }
        }
    }
    progress.set_total(total);
    let mut changed_any = false;
    let removed: Vec<String> = by_file
        .keys()
        .filter(|k| !seen.contains(*k))
        .cloned()
        .collect();
    for k in removed {
        writer.delete_term(Term::from_field_text(fields.path, &k));
        by_file.remove(&k);
        report.removed += 1;
        changed_any = true;
    }
    for (rel, path, meta) in todo {
        if progress.is_cancelled() {
            report.cancelled = true;
            break;
        }
        let decoded = match import::import_file(&path, EncodingChoice::Auto) {
            Ok(d) => d,
            Err(e) => {
                report.skipped.push(Skipped {
                    file: rel.clone(),
                    reason: one_line(&e.to_string()),
                });
                progress.advance(meta.len());
                continue;
            }
        };
        let size = meta.len();
        let mtime = mtime_ns(&meta);
        let previous = by_file.get(&rel);
        if let Some(p) = previous
            && p.sha256 == decoded.sha256
        {
            // Touched, not changed: remember the new time only.
            let mut e = p.clone();
            e.size = size;
            e.mtime = mtime;
            by_file.insert(rel.clone(), e);
            report.unchanged += 1;
            changed_any = true;
            progress.advance(size);
            continue;
        }
        if previous.is_some() {
            writer.delete_term(Term::from_field_text(fields.path, &rel));
            report.changed += 1;
        } else {
            report.added += 1;
        }
        let text = decoded.text;
        add_text(&writer, fields, &rel, &text)?;
        by_file.insert(
            rel.clone(),
            Entry {
                file: rel,
                size,
                mtime,
                sha256: decoded.sha256,
                chars: text.chars().count(),
                header: read_header(&text),
            },
        );
        report.bytes_indexed += size;
        changed_any = true;
        progress.advance(size);
    }
    report.documents = by_file.len();
    let fresh = index
        .load_metas()
        .map(|m| m.payload.is_none())
        .unwrap_or(true);
    if changed_any || fresh {
        let mut entries: Vec<Entry> = by_file.into_values().collect();
        entries.sort_by(|a, b| a.file.cmp(&b.file));
        let catalog = Catalog {
            version: CATALOG_VERSION,
            entries,
        };
        let payload =
            serde_json::to_string(&catalog).map_err(|e| LibraryError::Index(e.to_string()))?;
        let mut prepared = writer
            .prepare_commit()
            .map_err(|e| LibraryError::Index(e.to_string()))?;
        prepared.set_payload(&payload);
        prepared
            .commit()
            .map_err(|e| LibraryError::Index(e.to_string()))?;
    }
    writer
        .wait_merging_threads()
        .map_err(|e| LibraryError::Index(e.to_string()))?;
    progress.finish();
    Ok(report)
}

fn acquire_writer(index: &Index) -> Result<IndexWriter, LibraryError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let deadline = std::time::Instant::now() + WRITER_WAIT;
    loop {
        match index.writer_with_num_threads(threads, WRITER_MEMORY) {
            Ok(w) => return Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(tantivy::TantivyError::LockFailure(..)) => return Err(LibraryError::Busy),
            Err(e) => return Err(LibraryError::Index(e.to_string())),
        }
    }
}

fn add_text(writer: &IndexWriter, f: Fields, rel: &str, text: &str) -> Result<(), LibraryError> {
    let err = |e: tantivy::TantivyError| LibraryError::Index(e.to_string());
    let mut doc = TantivyDocument::default();
    doc.add_text(f.path, rel);
    doc.add_u64(f.rec, REC_TEXT);
    doc.add_text(f.text, text);
    writer.add_document(doc).map_err(err)?;
    // Char offsets → byte offsets once.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    for (a, b) in passages(text) {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.path, rel);
        doc.add_u64(f.rec, REC_PASSAGE);
        // Each passage also holds the start of the next one, so a quotation running over
        // the cut is still found word for word.
        let b2 = (b + PASSAGE_OVERLAP).min(bytes.len() - 1);
        doc.add_u64(f.start, a as u64);
        doc.add_u64(f.end, b2 as u64);
        doc.add_text(f.body, &text[bytes[a]..bytes[b2]]);
        writer.add_document(doc).map_err(err)?;
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Folder {
    /// Opens the index of `dir` (its last commit).
    ///
    /// # Errors
    /// [`LibraryError::NotIndexed`] when there is none yet.
    pub fn open(dir: &Path) -> Result<Folder, LibraryError> {
        if !dir.is_dir() {
            return Err(LibraryError::NotAFolder(dir.to_path_buf()));
        }
        let index_dir = index_location(dir, false)?;
        let (index, fields) = open_index(&index_dir)?;
        if outdated(&index) {
            return Err(LibraryError::Outdated(dir.to_path_buf()));
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| LibraryError::Index(e.to_string()))?;
        let catalog = read_catalog(&index);
        let by_file = catalog
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.file.clone(), i))
            .collect();
        let overrides = std::fs::read(index_dir.join("metadata.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Ok(Folder {
            dir: dir.to_path_buf(),
            index_dir,
            reader,
            fields,
            entries: catalog.entries,
            by_file,
            overrides: Mutex::new(overrides),
            texts: Mutex::new(Vec::new()),
        })
    }

    /// The indexed files, in path order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// What the catalog knows of `file`.
    pub fn entry(&self, file: &str) -> Option<&Entry> {
        self.by_file.get(file).map(|&i| &self.entries[i])
    }

    /// The header of `file` with the user's corrections.
    pub fn header(&self, file: &str) -> Option<Header> {
        if let Some(h) = self
            .overrides
            .lock()
            .ok()
            .and_then(|o| o.get(file).cloned())
        {
            return Some(h);
        }
        self.by_file
            .get(file)
            .map(|&i| self.entries[i].header.clone())
    }

    /// Whether the user corrected the metadata of `file`.
    pub fn is_edited(&self, file: &str) -> bool {
        self.overrides
            .lock()
            .map(|o| o.contains_key(file))
            .unwrap_or(false)
    }

    /// Saves the user's corrected metadata of `file` (`None` goes back to what the header
    /// says). Written atomically beside the index.
    pub fn set_header(&self, file: &str, header: Option<Header>) -> Result<(), LibraryError> {
        let mut o = self
            .overrides
            .lock()
            .map_err(|_| LibraryError::Index("metadata lock poisoned".into()))?;
        let before = o.clone();
        match header {
            Some(h) => {
                o.insert(file.to_string(), h);
            }
            None => {
                o.remove(file);
            }
        }
        let path = self.index_dir.join("metadata.json");
        let bytes =
            serde_json::to_vec_pretty(&*o).map_err(|e| LibraryError::Index(e.to_string()))?;
        if let Err(e) = crate::store::write_atomic(&path, &bytes) {
            *o = before;
            return Err(LibraryError::Io { path, source: e });
        }
        Ok(())
    }

    /// The decoded text of `file` as indexed.
    pub fn text(&self, file: &str) -> Option<Arc<str>> {
        if let Ok(cache) = self.texts.lock()
            && let Some((_, t)) = cache.iter().find(|(f, _)| f == file)
        {
            return Some(t.clone());
        }
        let searcher = self.reader.searcher();
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.path, file),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.rec, REC_TEXT),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .ok()?;
        let (_, addr) = top.first()?;
        let doc: TantivyDocument = searcher.doc(*addr).ok()?;
        let text: Arc<str> = Arc::from(doc.get_first(self.fields.text)?.as_str()?);
        if let Ok(mut cache) = self.texts.lock() {
            if cache.len() >= TEXT_CACHE {
                cache.remove(0);
            }
            cache.push((file.to_string(), text.clone()));
        }
        Some(text)
    }

    fn passage_of(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Option<PassageHit> {
        let doc: TantivyDocument = searcher.doc(addr).ok()?;
        Some(PassageHit {
            file: doc.get_first(self.fields.path)?.as_str()?.to_string(),
            start: doc.get_first(self.fields.start)?.as_u64()? as usize,
            end: doc.get_first(self.fields.end)?.as_u64()? as usize,
        })
    }

    /// The passages most likely to hold `quotation`: its rarest bigrams, scored by BM25.
    pub(crate) fn candidates(&self, quotation: &str, limit: usize) -> Vec<PassageHit> {
        let searcher = self.reader.searcher();
        let mut terms: Vec<String> = tokenizer::bigrams(quotation)
            .into_iter()
            .map(|t| t.text)
            .collect();
        terms.sort();
        terms.dedup();
        let mut with_df: Vec<(u64, Term)> = terms
            .iter()
            .map(|t| Term::from_field_text(self.fields.body, t))
            .filter_map(|t| {
                let df = searcher.doc_freq(&t).ok()?;
                (df > 0).then_some((df, t))
            })
            .collect();
        if with_df.is_empty() {
            return Vec::new();
        }
        with_df.sort_by_key(|(df, _)| *df);
        with_df.truncate(SCORED_TERMS);
        let q = BooleanQuery::new(
            with_df
                .into_iter()
                .map(|(_, t)| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                    )
                })
                .collect(),
        );
        self.top_passages(&searcher, &q, limit)
    }

    /// Passages containing `text` as a phrase (its bigrams at their positions): the text word
    /// for word, after folding (script, width, line breaks).
    pub(crate) fn phrase(&self, text: &str, limit: usize) -> Vec<PassageHit> {
        let searcher = self.reader.searcher();
        let toks = tokenizer::bigrams(text);
        if toks.is_empty() {
            return Vec::new();
        }
        let terms: Vec<(usize, Term)> = toks
            .iter()
            .map(|t| (t.position, Term::from_field_text(self.fields.body, &t.text)))
            .collect();
        let dfs: Vec<u64> = terms
            .iter()
            .map(|(_, t)| searcher.doc_freq(t).unwrap_or(0))
            .collect();
        // A bigram found nowhere: no passage can hold the phrase (cheap to know).
        if dfs.contains(&0) {
            return Vec::new();
        }
        let q: Box<dyn Query> = if terms.len() == 1 {
            Box::new(TermQuery::new(terms[0].1.clone(), IndexRecordOption::Basic))
        } else {
            Box::new(PhraseQuery::new_with_offset(terms))
        };
        self.top_passages(&searcher, &*q, limit)
    }

    /// The `limit` best-scored passages of a query.
    fn top_passages(
        &self,
        searcher: &tantivy::Searcher,
        q: &dyn Query,
        limit: usize,
    ) -> Vec<PassageHit> {
        let Ok(top) = searcher.search(q, &TopDocs::with_limit(limit.max(1)).order_by_score())
        else {
            return Vec::new();
        };
        top.into_iter()
            .filter_map(|(_, addr)| self.passage_of(searcher, addr))
            .collect()
    }
}
