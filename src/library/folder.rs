//! One folder of the library and its on-disk index.
//!
//! # Layout
//! The index lives in `DIR/.yinwen-library/` or, when DIR cannot be written (a read-only
//! share), in the user's cache folder under `libraries/<hash of DIR's canonical path>/`
//! (with `folder.txt` naming DIR). Inside:
//! * `index/` — a tantivy index with two kinds of records, both carrying the file's key
//!   (its path relative to DIR, `/`-separated, exact bytes kept: [`super::names`]) so one
//!   deletion removes a file:
//!   - a **text** record (`rec` = 0): the decoded text, stored (LZ4-compressed);
//!   - **passage** records (`rec` = 1): a paragraph-sized piece of the text, indexed with the
//!     bigram tokenizer (positions kept), with its char range in the text.
//! * the **catalog** — every file's size, modification time, SHA-256, char count and header,
//!   and whether the run that wrote it read every file — is the payload of each tantivy
//!   commit, so it changes atomically with the index;
//! * `index.building/` — a first build or a rebuild, moved to `index/` only once committed
//!   (so an interrupted one leaves no index rather than an empty one);
//! * `indexer.lock` — held by the indexing run;
//! * `metadata.json` — the user's corrections to documents' metadata, by key.
//!
//! # Writers and readers
//! One indexing run at a time (`indexer.lock`, and tantivy's own writer lock); a second one
//! waits up to [`WRITER_WAIT`] and then gives up with a clear message. The indexer trusts
//! nothing it finds: the index must open, pass its checksums and hold what its catalog lists,
//! or it is built again. Readers ([`Folder::open`]) never create, rewrite or delete anything:
//! a damaged index is an error naming the repair, and a failure while reading is recorded as
//! the folder's fault ([`Folder::faults`]) so that no answer is "not found" in silence.
//! Readers open the last commit and never see a half-written one; a reader open while a
//! writer commits keeps its snapshot.

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
/// Catalog format; a different version makes the index be rebuilt (4: files keyed by their
/// names' exact bytes, see [`super::names`]; a flag for a complete build).
const CATALOG_VERSION: u32 = 4;
/// The index in use, inside the index location.
const LIVE_DIR: &str = "index";
/// Where a new index is built before it is moved to [`LIVE_DIR`].
const BUILDING_DIR: &str = "index.building";
/// Where the index being replaced goes for a moment.
const OLD_DIR: &str = "index.old";
/// The indexer's lock file (one indexing run at a time).
const LOCK_FILE: &str = "indexer.lock";
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
    /// The file's key: its path relative to the folder, `/`-separated, exact bytes kept
    /// ([`super::names`]; [`super::names::display`] shows it).
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
    /// Every file of the folder was read (false when the run was cancelled).
    #[serde(default)]
    complete: bool,
    entries: Vec<Entry>,
}

/// A file that could not be indexed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Path relative to the folder, for people ([`super::names::display`]).
    pub file: String,
    /// The exact bytes of the name, as hex, when `file` is not the exact name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_bytes: Option<String>,
    /// The reason, one line.
    pub reason: String,
}

impl Skipped {
    fn of(key: &str, reason: String) -> Skipped {
        Skipped {
            file: super::names::display(key).to_string(),
            file_bytes: super::names::exact_hex(key).map(str::to_string),
            reason,
        }
    }
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
    /// The run was cancelled (what was done before is committed, and the index is marked
    /// incomplete).
    pub cancelled: bool,
    /// The index was built again from scratch, and why (it was damaged, of another version,
    /// or a rebuild was asked for); `None` for a first build or an update.
    pub rebuilt: Option<String>,
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
    complete: bool,
    entries: Vec<Entry>,
    by_file: HashMap<String, usize>,
    overrides: Mutex<BTreeMap<String, Header>>,
    texts: Mutex<Vec<(String, Arc<str>)>>,
    faults: Mutex<Vec<String>>,
}

/// A passage hit of a search, before alignment.
#[derive(Debug, Clone)]
pub(crate) struct PassageHit {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

/// Where the index of `dir` is or would be: `DIR/.yinwen-library` when that holds an index or
/// can be written, else the cache folder. Nothing is created unless `create`, and then only
/// the location itself (the index is built aside and moved in when complete).
pub fn index_location(dir: &Path, create: bool) -> Result<PathBuf, LibraryError> {
    let local = dir.join(INDEX_DIR_NAME);
    if local.join(LIVE_DIR).join("meta.json").is_file() {
        return Ok(local);
    }
    let cached = cache_location(dir)?;
    if cached.join(LIVE_DIR).join("meta.json").is_file() {
        return Ok(cached);
    }
    if !create {
        return Err(LibraryError::NotIndexed(dir.to_path_buf()));
    }
    if std::fs::create_dir_all(&local).is_ok() && tempfile::tempfile_in(&local).is_ok() {
        return Ok(local);
    }
    std::fs::create_dir_all(&cached).map_err(|e| LibraryError::Io {
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

/// One sentence on a tantivy error, without its debug dump.
fn short_reason(e: &dyn std::fmt::Display) -> String {
    let s = one_line(&e.to_string());
    let mut out: String = s.chars().take(160).collect();
    if s.chars().count() > 160 {
        out.push('…');
    }
    out
}

/// Runs `f`, turning a panic into `None`: tantivy panics on some damaged files (an `unwrap`
/// while opening a stored-text segment) instead of returning an error. The default panic
/// message is not printed for it (the caller reports the damage in one sentence).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    use std::cell::Cell;
    static HOOK: std::sync::Once = std::sync::Once::new();
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    r.ok()
}

/// What a panic inside the index reader means.
const PANICKED: &str = "its files are corrupted (the index reader failed on them)";

/// What is wrong with an index, in words (a tantivy error's text holds debug dumps).
fn plain(e: &tantivy::TantivyError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::OpenReadError as R;
    let file = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let first_sentence = |s: String| {
        let s = s.split(['.', '\n']).next().unwrap_or("").trim().to_string();
        short_reason(&s)
    };
    match e {
        T::OpenReadError(R::FileDoesNotExist(p)) => {
            format!("the index file {} is missing", file(p))
        }
        T::OpenReadError(R::IoError { io_error, filepath }) => format!(
            "the index file {} cannot be read: {}",
            file(filepath),
            first_sentence(io_error.to_string())
        ),
        T::OpenReadError(R::IncompatibleIndex(_)) => {
            "it is in an index format this version cannot read".into()
        }
        T::DataCorruption(_) => "its data is corrupted".into(),
        T::IoError(io) => format!(
            "its files cannot be read: {}",
            first_sentence(io.to_string())
        ),
        T::OpenDirectoryError(_) => "its folder cannot be opened".into(),
        T::SchemaError(_) => "its schema cannot be read".into(),
        _ => "its files cannot be read".into(),
    }
}

/// Opens the index in `path` as it is, for reading: never creates, rewrites or deletes
/// anything. An index of another schema is [`LibraryError::Outdated`]; one that cannot be
/// opened is [`LibraryError::Damaged`].
fn open_existing(dir: &Path, path: &Path) -> Result<(Index, Fields), LibraryError> {
    let damaged = |reason: String| LibraryError::Damaged {
        dir: dir.to_path_buf(),
        reason,
    };
    let (schema, fields) = schema();
    let mdir =
        MmapDirectory::open(path).map_err(|_| damaged("its folder cannot be opened".into()))?;
    let index = quietly(|| Index::open(mdir))
        .ok_or_else(|| damaged(PANICKED.into()))?
        .map_err(|e| damaged(plain(&e)))?;
    if index.schema() != schema {
        return Err(LibraryError::Outdated(dir.to_path_buf()));
    }
    index
        .tokenizers()
        .register(tokenizer::NAME, BigramTokenizer);
    Ok((index, fields))
}

/// Makes a new, empty index in `path` (whatever was there is removed first). Only the indexer
/// calls this, under its lock.
fn create_fresh(path: &Path) -> Result<(Index, Fields), LibraryError> {
    let io = |e: std::io::Error| LibraryError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    if path.exists() {
        std::fs::remove_dir_all(path).map_err(io)?;
    }
    std::fs::create_dir_all(path).map_err(io)?;
    let (schema, fields) = schema();
    let mdir = MmapDirectory::open(path).map_err(|e| LibraryError::Index(short_reason(&e)))?;
    let index = Index::create(mdir, schema, tantivy::IndexSettings::default())
        .map_err(|e| LibraryError::Index(short_reason(&e)))?;
    index
        .tokenizers()
        .register(tokenizer::NAME, BigramTokenizer);
    Ok((index, fields))
}

/// The catalog of an index's last commit. A commit with no catalog or one that cannot be read
/// is damage; one of another version is [`LibraryError::Outdated`].
fn read_catalog(dir: &Path, index: &Index) -> Result<Catalog, LibraryError> {
    let damaged = |reason: &str| LibraryError::Damaged {
        dir: dir.to_path_buf(),
        reason: reason.to_string(),
    };
    let metas = index.load_metas().map_err(|e| damaged(&plain(&e)))?;
    let Some(payload) = metas.payload else {
        // Never committed (an index created and left before its first commit): not an index.
        if metas.segments.is_empty() {
            return Err(LibraryError::NotIndexed(dir.to_path_buf()));
        }
        return Err(damaged("its catalog is missing"));
    };
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    match serde_json::from_str::<Version>(&payload) {
        Ok(v) if v.version != CATALOG_VERSION => {
            return Err(LibraryError::Outdated(dir.to_path_buf()));
        }
        Ok(_) => {}
        Err(_) => return Err(damaged("its catalog cannot be read")),
    }
    serde_json::from_str::<Catalog>(&payload).map_err(|_| damaged("its catalog cannot be read"))
}

/// Checks that the index agrees with its catalog: every segment opens and the index holds
/// one text record per catalogued file. With `checksums`, every segment file is also read
/// through and its checksum compared (what `library index` does before trusting an index).
fn check_index(
    dir: &Path,
    index: &Index,
    fields: Fields,
    catalog: &Catalog,
    checksums: bool,
) -> Result<IndexReader, LibraryError> {
    let damaged = |reason: String| LibraryError::Damaged {
        dir: dir.to_path_buf(),
        reason,
    };
    if checksums {
        let bad = quietly(|| index.validate_checksum())
            .ok_or_else(|| damaged(PANICKED.into()))?
            .map_err(|e| damaged(plain(&e)))?;
        if !bad.is_empty() {
            let mut names: Vec<String> = bad
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            names.sort();
            names.truncate(3);
            return Err(damaged(format!(
                "{} index files fail their checksum: {}",
                bad.len(),
                names.join(", ")
            )));
        }
    }
    let reader: IndexReader = quietly(|| {
        index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
    })
    .ok_or_else(|| damaged(PANICKED.into()))?
    .map_err(|e: tantivy::TantivyError| damaged(plain(&e)))?;
    let searcher = reader.searcher();
    let texts = quietly(|| {
        searcher.search(
            &TermQuery::new(
                Term::from_field_u64(fields.rec, REC_TEXT),
                IndexRecordOption::Basic,
            ),
            &tantivy::collector::Count,
        )
    })
    .ok_or_else(|| damaged(PANICKED.into()))?
    .map_err(|e| damaged(plain(&e)))?;
    if texts != catalog.entries.len() {
        return Err(damaged(format!(
            "it holds {texts} texts but its catalog lists {} files",
            catalog.entries.len()
        )));
    }
    Ok(reader)
}

/// What the indexer found before it started.
enum Health {
    /// No index yet.
    Missing,
    /// An index it can update in place.
    Healthy(Index, Fields, Catalog),
    /// An index to build again from scratch, and why (for the report).
    Rebuild(String),
}

fn health(dir: &Path, index_dir: &Path) -> Health {
    let live = index_dir.join(LIVE_DIR);
    if !live.join("meta.json").is_file() {
        return Health::Missing;
    }
    let checked = open_existing(dir, &live).and_then(|(index, fields)| {
        let catalog = read_catalog(dir, &index)?;
        check_index(dir, &index, fields, &catalog, true)?;
        Ok((index, fields, catalog))
    });
    match checked {
        Ok((index, fields, catalog)) => Health::Healthy(index, fields, catalog),
        Err(LibraryError::NotIndexed(_)) => Health::Missing,
        Err(LibraryError::Outdated(_)) => {
            Health::Rebuild("it was made by another version of Yinwen".into())
        }
        Err(LibraryError::Damaged { reason, .. }) => {
            Health::Rebuild(format!("it was damaged: {reason}"))
        }
        Err(e) => Health::Rebuild(format!("it could not be read: {}", short_reason(&e))),
    }
}

/// The indexer's lock on a library location: one indexing run at a time, across processes.
/// Held until dropped; a process that dies releases it.
struct IndexerLock(#[allow(dead_code)] std::fs::File);

fn lock_indexer(index_dir: &Path) -> Result<IndexerLock, LibraryError> {
    let path = index_dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| LibraryError::Io {
            path: path.clone(),
            source: e,
        })?;
    let deadline = std::time::Instant::now() + WRITER_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(IndexerLock(file)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(LibraryError::Busy),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(LibraryError::Io { path, source: e });
            }
        }
    }
}

/// Moves the index built in `index.building` into place, the old one (if any) out of the
/// way first. A reader opening in between finds no index ("not indexed yet"), never a part.
fn swap_in(index_dir: &Path) -> Result<(), LibraryError> {
    let io = |path: PathBuf| move |e: std::io::Error| LibraryError::Io { path, source: e };
    let live = index_dir.join(LIVE_DIR);
    let old = index_dir.join(OLD_DIR);
    let building = index_dir.join(BUILDING_DIR);
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(old.clone()))?;
    }
    if live.exists() {
        std::fs::rename(&live, &old).map_err(io(live.clone()))?;
    }
    std::fs::rename(&building, &live).map_err(io(live.clone()))?;
    if old.exists() {
        // Readers that still have the old files open keep them (Unix); a leftover folder is
        // removed by the next run.
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Files of a folder, recursively (see [`crate::import::folder::walk`]); subfolders that
/// cannot be read are passed over.
fn walk(dir: &Path) -> Result<Vec<(String, PathBuf)>, LibraryError> {
    let (files, _) = crate::import::folder::walk(dir).map_err(|e| LibraryError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut keyed: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|(rel, path)| {
            let key = path
                .strip_prefix(dir)
                .map(super::names::key_of)
                .unwrap_or(rel);
            (key, path)
        })
        .collect();
    keyed.sort();
    Ok(keyed)
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
/// report and left out. `progress` counts bytes; cancelling commits what was done, marked
/// incomplete. See [`index_folder_with`].
pub fn index_folder(dir: &Path, progress: &Progress) -> Result<IndexReport, LibraryError> {
    index_folder_with(dir, progress, false)
}

/// [`index_folder`], building the index again from scratch when `rebuild`.
///
/// The existing index is checked first — it opens, every segment file passes its checksum,
/// it holds one text per catalogued file — and built again from scratch when it fails (the
/// report says why). A first build or a rebuild is made aside (`index.building`) and moved
/// into place only when committed, so an interrupted one leaves "not indexed yet" (or the
/// old index), never an empty or partial index that answers "not found". An update of a
/// healthy index is one atomic tantivy commit, the catalog its payload.
pub fn index_folder_with(
    dir: &Path,
    progress: &Progress,
    rebuild: bool,
) -> Result<IndexReport, LibraryError> {
    if !dir.is_dir() {
        return Err(LibraryError::NotAFolder(dir.to_path_buf()));
    }
    let files = walk(dir)?;
    let index_dir = index_location(dir, true)?;
    let _lock = lock_indexer(&index_dir)?;
    let health = if rebuild {
        match health(dir, &index_dir) {
            Health::Missing => Health::Missing,
            _ => Health::Rebuild("a rebuild was asked for".into()),
        }
    } else {
        health(dir, &index_dir)
    };
    let mut report = IndexReport {
        index_dir: index_dir.clone(),
        ..Default::default()
    };
    let (index, fields, old, aside) = match health {
        Health::Healthy(index, fields, catalog) => (index, fields, catalog, false),
        Health::Missing => {
            let (i, f) = create_fresh(&index_dir.join(BUILDING_DIR))?;
            (i, f, Catalog::default(), true)
        }
        Health::Rebuild(why) => {
            report.rebuilt = Some(why);
            let (i, f) = create_fresh(&index_dir.join(BUILDING_DIR))?;
            (i, f, Catalog::default(), true)
        }
    };
    let mut writer = acquire_writer(&index)?;
    let mut by_file: HashMap<String, Entry> = old
        .entries
        .into_iter()
        .map(|e| (e.file.clone(), e))
        .collect();

    // What must be read: new or touched files.
    let mut todo = Vec::new();
    let mut total = 0u64;
    let mut seen = std::collections::HashSet::new();
    for (key, path) in &files {
        seen.insert(key.clone());
        let Ok(meta) = std::fs::metadata(path) else {
            report
                .skipped
                .push(Skipped::of(key, "cannot be read".into()));
            continue;
        };
        match by_file.get(key) {
            Some(e) if e.size == meta.len() && e.mtime == mtime_ns(&meta) => report.unchanged += 1,
            _ => {
                total += meta.len();
                todo.push((key.clone(), path.clone(), meta));
            }
        }
    }
    progress.set_total(total);
    let mut changed_any = aside || !old.complete;
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
    for (key, path, meta) in todo {
        if progress.is_cancelled() {
            report.cancelled = true;
            break;
        }
        let decoded = match import::import_file(&path, EncodingChoice::Auto) {
            Ok(d) => d,
            Err(e) => {
                report
                    .skipped
                    .push(Skipped::of(&key, one_line(&e.to_string())));
                progress.advance(meta.len());
                continue;
            }
        };
        let size = meta.len();
        let mtime = mtime_ns(&meta);
        let previous = by_file.get(&key);
        if let Some(p) = previous
            && p.sha256 == decoded.sha256
        {
            // Touched, not changed: remember the new time only.
            let mut e = p.clone();
            e.size = size;
            e.mtime = mtime;
            by_file.insert(key.clone(), e);
            report.unchanged += 1;
            changed_any = true;
            progress.advance(size);
            continue;
        }
        if previous.is_some() {
            writer.delete_term(Term::from_field_text(fields.path, &key));
            report.changed += 1;
        } else {
            report.added += 1;
        }
        let text = decoded.text;
        add_text(&writer, fields, &key, &text)?;
        by_file.insert(
            key.clone(),
            Entry {
                file: key,
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
    if changed_any || report.cancelled {
        let mut entries: Vec<Entry> = by_file.into_values().collect();
        entries.sort_by(|a, b| a.file.cmp(&b.file));
        let catalog = Catalog {
            version: CATALOG_VERSION,
            complete: !report.cancelled,
            entries,
        };
        let payload =
            serde_json::to_string(&catalog).map_err(|e| LibraryError::Index(e.to_string()))?;
        let mut prepared = writer
            .prepare_commit()
            .map_err(|e| LibraryError::Index(short_reason(&e)))?;
        prepared.set_payload(&payload);
        prepared
            .commit()
            .map_err(|e| LibraryError::Index(short_reason(&e)))?;
    }
    writer
        .wait_merging_threads()
        .map_err(|e| LibraryError::Index(short_reason(&e)))?;
    drop(index);
    if aside {
        swap_in(&index_dir)?;
    }
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
    /// Opens the index of `dir` (its last commit), for reading only: nothing on disk is
    /// created, rewritten or deleted.
    ///
    /// # Errors
    /// [`LibraryError::NotIndexed`] when there is none yet (or only an interrupted first
    /// build); [`LibraryError::Outdated`] for an index of another version;
    /// [`LibraryError::Damaged`] when it cannot be read or disagrees with its catalog.
    pub fn open(dir: &Path) -> Result<Folder, LibraryError> {
        if !dir.is_dir() {
            return Err(LibraryError::NotAFolder(dir.to_path_buf()));
        }
        let index_dir = index_location(dir, false)?;
        let (index, fields) = open_existing(dir, &index_dir.join(LIVE_DIR))?;
        let catalog = read_catalog(dir, &index)?;
        let reader = check_index(dir, &index, fields, &catalog, false)?;
        let by_file = catalog
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.file.clone(), i))
            .collect();
        let overrides = match std::fs::read(index_dir.join("metadata.json")) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => {
                return Err(LibraryError::Io {
                    path: index_dir.join("metadata.json"),
                    source: e,
                });
            }
            Ok(b) => serde_json::from_slice(&b).map_err(|_| LibraryError::Damaged {
                dir: dir.to_path_buf(),
                reason: format!(
                    "the corrected metadata in {} cannot be read",
                    index_dir.join("metadata.json").display()
                ),
            })?,
        };
        Ok(Folder {
            dir: dir.to_path_buf(),
            index_dir,
            reader,
            fields,
            complete: catalog.complete,
            entries: catalog.entries,
            by_file,
            overrides: Mutex::new(overrides),
            texts: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
        })
    }

    /// Whether every file of the folder was indexed (false after a cancelled run: answers
    /// may miss what was not read yet).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The real path of the indexed file `file` (a key, see [`super::names`]).
    pub fn path_of(&self, file: &str) -> PathBuf {
        super::names::path_in(&self.dir, file)
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

    /// Records that reading the index failed (the index is damaged): the folder's answers
    /// are then incomplete, and [`Folder::faults`] says why.
    pub(crate) fn fault(&self, what: impl std::fmt::Display) {
        if let Ok(mut f) = self.faults.lock() {
            let s = short_reason(&what);
            if f.len() < 5 && !f.contains(&s) {
                f.push(s);
            }
        }
    }

    /// Runs one read of the index: its error, or a panic of the reader on damaged files, is
    /// recorded as a fault and gives `None`.
    fn read<T>(&self, f: impl FnOnce() -> tantivy::Result<T>) -> Option<T> {
        match quietly(f) {
            Some(Ok(t)) => Some(t),
            Some(Err(e)) => {
                self.fault(plain(&e));
                None
            }
            None => {
                self.fault(PANICKED);
                None
            }
        }
    }

    /// What went wrong reading this folder's index since it was opened (empty when nothing
    /// did): its answers may then be missing matches.
    pub fn faults(&self) -> Vec<String> {
        self.faults.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// The decoded text of `file` as indexed. A catalogued file whose text cannot be read
    /// is recorded as a fault.
    pub fn text(&self, file: &str) -> Option<Arc<str>> {
        if let Ok(cache) = self.texts.lock()
            && let Some((_, t)) = cache.iter().find(|(f, _)| f == file)
        {
            return Some(t.clone());
        }
        let catalogued = self.by_file.contains_key(file);
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
        let top = self.read(|| searcher.search(&q, &TopDocs::with_limit(1).order_by_score()))?;
        let Some((_, addr)) = top.first() else {
            if catalogued {
                self.fault(format!(
                    "the text of {} is missing from the index",
                    super::names::display(file)
                ));
            }
            return None;
        };
        let doc: TantivyDocument = self.read(|| searcher.doc(*addr))?;
        let Some(text) = doc.get_first(self.fields.text).and_then(|v| v.as_str()) else {
            self.fault(format!(
                "the text of {} is missing from the index",
                super::names::display(file)
            ));
            return None;
        };
        let text: Arc<str> = Arc::from(text);
        if let Ok(mut cache) = self.texts.lock() {
            if cache.len() >= TEXT_CACHE {
                cache.remove(0);
            }
            cache.push((file.to_string(), text.clone()));
        }
        Some(text)
    }

    fn passage_of(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Option<PassageHit> {
        let doc: TantivyDocument = self.read(|| searcher.doc(addr))?;
        let hit = (|| {
            Some(PassageHit {
                file: doc.get_first(self.fields.path)?.as_str()?.to_string(),
                start: doc.get_first(self.fields.start)?.as_u64()? as usize,
                end: doc.get_first(self.fields.end)?.as_u64()? as usize,
            })
        })();
        match &hit {
            None => self.fault("a passage record is incomplete"),
            // A record naming a file the catalog does not list, or a range past its text,
            // was read from damaged bytes.
            Some(h)
                if self
                    .entry(&h.file)
                    .is_none_or(|e| h.start > h.end || h.start > e.chars) =>
            {
                self.fault("a passage record disagrees with the catalog");
                return None;
            }
            Some(_) => {}
        }
        hit
    }

    /// How many passages hold `term` (0 and a fault when the index cannot say).
    fn doc_freq(&self, searcher: &tantivy::Searcher, term: &Term) -> u64 {
        self.read(|| searcher.doc_freq(term)).unwrap_or(0)
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
                let df = self.doc_freq(&searcher, &t);
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
        // A bigram found nowhere: no passage can hold the phrase (cheap to know).
        if terms.iter().any(|(_, t)| self.doc_freq(&searcher, t) == 0) {
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
        let top = match self
            .read(|| searcher.search(q, &TopDocs::with_limit(limit.max(1)).order_by_score()))
        {
            Some(x) => x,
            None => return Vec::new(),
        };
        top.into_iter()
            .filter_map(|(_, addr)| self.passage_of(searcher, addr))
            .collect()
    }
}
