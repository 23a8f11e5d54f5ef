//! Import: turns the bytes of a speech file into normalised text. One reader per format,
//! chosen by the file's first bytes (never its name), serves `import`, File → Open, drag and
//! drop and the source library: plain text in a Chinese or Unicode encoding, Word `.docx`,
//! Word 97–2003 `.doc` (and `.wps` in that format), RTF, PDF with a text layer, OFD, and
//! saved web pages (`.html`, `.mhtml`).
//!
//! Entry points: [`import_file`] / [`import_file_with`] for a path, [`decode_bytes`] /
//! [`decode_with`] for bytes already in memory, [`preview`] for a cheap look at the first
//! lines under a chosen encoding and reflow. The text returned has its byte-order mark dropped
//! and its line endings turned into `\n`; hard-wrapped lines are rejoined when [`Reflow`]
//! says so (see [`reflow`]).

mod decode;
mod doc;
mod docx;
pub mod folder;
mod html;
pub mod layout;
pub mod limits;
mod normalize;
mod ofd;
mod pdf;
mod pdf_nesting;
pub mod reflow;
mod rtf;

pub use decode::EncodingChoice;
pub use normalize::normalize_newlines;
pub use reflow::{Reflow, Reflowed};

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::progress::Progress;
use sha2::{Digest, Sha256};

/// The file name extensions of the formats Yinwen reads, for file dialogs' filters (the
/// reader itself is chosen by the file's content, never its name).
pub const EXTENSIONS: &[&str] = &[
    "txt", "text", "docx", "doc", "wps", "rtf", "pdf", "ofd", "html", "htm", "mhtml", "mht",
];

pub use limits::MAX_FILE_BYTES;

/// How many bytes [`preview_lines`] decodes at most.
const PREVIEW_BYTES: usize = 64 * 1024;

/// The kind of file the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Plain text in some encoding.
    Text,
    /// A Word document (`.docx`).
    Docx,
    /// A Word 97–2003 binary document (`.doc`, or a `.wps` in that format).
    Doc,
    /// An RTF document.
    Rtf,
    /// A PDF with a text layer.
    Pdf,
    /// An OFD document (GB/T 33190).
    Ofd,
    /// A saved web page (`.html`, `.htm`, `.mhtml`).
    Html,
}

impl SourceFormat {
    /// The name people know the format by: "plain text", "Word (.docx)", "PDF", ….
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Text => "plain text",
            SourceFormat::Docx => "Word (.docx)",
            SourceFormat::Doc => "Word 97–2003 (.doc)",
            SourceFormat::Rtf => "RTF",
            SourceFormat::Pdf => "PDF",
            SourceFormat::Ofd => "OFD",
            SourceFormat::Html => "web page",
        }
    }

    /// Whether the text comes from a laid-out page (PDF, OFD), whose lines the reader joins
    /// by their positions rather than by [`reflow`].
    pub fn is_laid_out(self) -> bool {
        matches!(self, SourceFormat::Pdf | SourceFormat::Ofd)
    }
}

/// How to read a file: the encoding of a text (or a web page without a declared charset),
/// and whether to rejoin hard-wrapped lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The encoding; [`EncodingChoice::Auto`] detects it.
    pub encoding: EncodingChoice,
    /// Rejoin hard-wrapped lines; for PDF and OFD, `Off` keeps the page's lines.
    pub reflow: Reflow,
}

impl From<EncodingChoice> for Options {
    fn from(encoding: EncodingChoice) -> Self {
        Options {
            encoding,
            reflow: Reflow::Auto,
        }
    }
}

/// What a file was, once decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text: byte-order mark dropped, `\r\n` and lone `\r` turned into
    /// `\n`, nothing else changed.
    pub text: String,
    /// The encoding actually used: "UTF-8", "GB18030", "GBK", "Big5",
    /// "UTF-16LE", "UTF-16BE" (or, rarely, another name from
    /// auto-detection); "DOCX (UTF-8)" for a Word document.
    pub encoding: String,
    /// Whether the bytes began with a byte-order mark of the encoding used
    /// (it was dropped from `text`).
    pub had_bom: bool,
    /// Plain text or Word document.
    pub format: SourceFormat,
    /// Lowercase hex SHA-256 of the original bytes.
    pub sha256: String,
    /// What the user should know about the decoding (a guess of low confidence, a file
    /// mixing two encodings, a non-Chinese encoding); `None` when there is nothing to say.
    pub notice: Option<String>,
    /// Length of the original bytes.
    pub byte_len: u64,
    /// What rejoining hard-wrapped lines did, when it was done.
    pub reflowed: Option<Reflowed>,
    /// A title the file gives besides its text (a web page's), for the metadata.
    pub title: Option<String>,
    /// A date the file gives besides its text (a web page's publication date, ISO).
    pub date: Option<String>,
}

impl Decoded {
    /// The document this text becomes, with the file it came from (`path`, as the user named
    /// it) and `meta`: the text, its encoding, SHA-256 and byte length recorded as its origin.
    /// A title or date the file gives fills `meta` where it is empty.
    pub fn into_document(
        self,
        path: Option<&str>,
        mut meta: crate::model::DocMeta,
    ) -> crate::model::Document {
        if meta.title.is_empty()
            && let Some(t) = &self.title
        {
            meta.title = t.clone();
        }
        if meta.date.is_empty()
            && let Some(d) = &self.date
        {
            meta.date = d.clone();
        }
        fill_from_header(&mut meta, &crate::analysis::header::read_header(&self.text));
        crate::model::Document::new(
            self.text,
            crate::model::Origin {
                path: path.map(str::to_owned),
                encoding: self.encoding,
                sha256: self.sha256,
                byte_len: self.byte_len,
                corrections: Vec::new(),
            },
            meta,
        )
    }
}

/// Fills the details `meta` leaves empty from what the text's own header says (title, date,
/// speaker, occasion: `在全市……会议上的讲话` / `（二〇二〇年十月九日）` / `市民政局局长 吴建平`),
/// read by the same reader as the source library's metadata.
pub fn fill_from_header(meta: &mut crate::model::DocMeta, h: &crate::analysis::header::Header) {
    let fill = |field: &mut String, value: &Option<String>| {
        if field.trim().is_empty()
            && let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty())
        {
            *field = v.to_string();
        }
    };
    fill(&mut meta.title, &h.title);
    fill(&mut meta.date, &h.date);
    fill(&mut meta.speaker, &h.speaker);
    fill(&mut meta.occasion, &h.occasion);
}

/// Why a file could not be imported. Each message is one English line
/// that names the file when it is known (see [`ImportError::with_file`]).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The path does not exist.
    #[error("The file \"{}\" was not found", .path.display())]
    NotFound {
        /// The path asked for.
        path: PathBuf,
    },
    /// The path is a folder.
    #[error("\"{}\" is a folder, not a file", .path.display())]
    IsFolder {
        /// The path asked for.
        path: PathBuf,
    },
    /// The path is neither a file nor a folder (a device, a pipe, …).
    #[error("\"{}\" is not an ordinary file (it may be a device or a pipe)", .path.display())]
    NotAFile {
        /// The path asked for.
        path: PathBuf,
    },
    /// The file exists but could not be read (permissions, I/O error).
    #[error("Cannot read \"{}\": {source}", .path.display())]
    Unreadable {
        /// The path asked for.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error(
        "{} is too large to import: {} (the limit is {})",
        subject(.file.as_deref(), true),
        size_text(*.size),
        size_text(*.max)
    )]
    TooLarge {
        /// The file, when known.
        file: Option<PathBuf>,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        max: u64,
    },
    /// The file has no text: zero bytes, only a byte-order mark, or only
    /// whitespace.
    #[error("{} is empty: there is no text to import", subject(.file.as_deref(), true))]
    Empty {
        /// The file, when known.
        file: Option<PathBuf>,
    },
    /// The file contains a NUL byte and so is not text (UTF-16 aside).
    #[error(
        "{} looks like a binary file, not text: NUL byte at offset {offset}",
        subject(.file.as_deref(), true)
    )]
    Binary {
        /// The file, when known.
        file: Option<PathBuf>,
        /// Offset of the first NUL byte in the file.
        offset: u64,
    },
    /// Some bytes are not valid in the encoding used.
    #[error(
        "{} of {} cannot be decoded as {encoding}; the first is at byte offset {first_offset} (try choosing another encoding)",
        byte_count(*.count),
        subject(.file.as_deref(), false)
    )]
    Undecodable {
        /// The file, when known.
        file: Option<PathBuf>,
        /// The encoding tried, e.g. "GB18030".
        encoding: String,
        /// How many bytes are in malformed sequences.
        count: u64,
        /// Offset in the file of the first malformed byte.
        first_offset: u64,
    },
    /// A ZIP file that is not a readable `.docx` (damaged archive, no
    /// `word/document.xml`, malformed XML, or too large when unpacked).
    #[error("{} is not a readable Word document (.docx): {reason}", subject(.file.as_deref(), true))]
    Docx {
        /// The file, when known.
        file: Option<PathBuf>,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// A PDF, OFD, Word 97–2003, RTF or web page that cannot be read (damaged, encrypted,
    /// scanned, too large when unpacked).
    #[error("{} is not a readable {kind}: {reason}", subject(.file.as_deref(), true))]
    UnreadableDocument {
        /// The file, when known.
        file: Option<PathBuf>,
        /// The format, e.g. "PDF".
        kind: &'static str,
        /// What is wrong and what to do, in plain words.
        reason: String,
    },
    /// The bytes are not text in any encoding Yinwen reads.
    #[error("{} does not look like text: {reason}", subject(.file.as_deref(), true))]
    NotText {
        /// The file, when known.
        file: Option<PathBuf>,
        /// Why, in plain words.
        reason: String,
    },
    /// A file format Yinwen recognises but does not read (yet).
    #[error("{} is {what}", subject(.file.as_deref(), true))]
    Unsupported {
        /// The file, when known.
        file: Option<PathBuf>,
        /// What it is and what to do, e.g. "a PDF file; …".
        what: String,
    },
    /// The user cancelled opening the file.
    #[error("Opening \"{}\" was cancelled", .path.display())]
    Cancelled {
        /// The file.
        path: PathBuf,
    },
}

impl ImportError {
    /// Attaches the file name to an error that was raised without one
    /// (errors from [`decode_bytes`] and [`preview_lines`]).
    pub fn with_file(mut self, path: &Path) -> Self {
        match &mut self {
            ImportError::TooLarge { file, .. }
            | ImportError::Empty { file }
            | ImportError::Binary { file, .. }
            | ImportError::Undecodable { file, .. }
            | ImportError::Docx { file, .. }
            | ImportError::UnreadableDocument { file, .. }
            | ImportError::NotText { file, .. }
            | ImportError::Unsupported { file, .. } => {
                if file.is_none() {
                    *file = Some(path.to_path_buf());
                }
            }
            ImportError::NotFound { .. }
            | ImportError::IsFolder { .. }
            | ImportError::NotAFile { .. }
            | ImportError::Unreadable { .. }
            | ImportError::Cancelled { .. } => {}
        }
        self
    }
}

/// "\"name\"" when the file is known, else "The file" / "the file".
fn subject(file: Option<&Path>, capital: bool) -> String {
    match file {
        Some(p) => format!("\"{}\"", p.display()),
        None if capital => "The file".to_owned(),
        None => "the file".to_owned(),
    }
}

/// "1 byte", "3 bytes".
fn byte_count(n: u64) -> String {
    if n == 1 {
        "1 byte".to_owned()
    } else {
        format!("{n} bytes")
    }
}

/// A size for people, rounded up: "50.1 MB", "50 MB", "812 bytes".
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes < MB {
        byte_count(bytes)
    } else if bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        let tenths = (bytes * 10).div_ceil(MB);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// Decodes a whole file held in memory with the encoding `choice` and automatic reflow; see
/// [`decode_with`].
///
/// # Errors
/// As [`decode_with`].
pub fn decode_bytes(bytes: &[u8], choice: EncodingChoice) -> Result<Decoded, ImportError> {
    decode_with(bytes, Options::from(choice))
}

/// Decodes a whole file held in memory, with the reader its first bytes call for (PDF, OFD,
/// `.docx`, `.doc`, RTF, web page, else text in the chosen encoding), then rejoins
/// hard-wrapped lines as `opts.reflow` says.
///
/// # Errors
/// [`ImportError::TooLarge`] (the file, or the text extracted from it, over 50 MB),
/// [`ImportError::Empty`] (no bytes, only a byte-order mark, or only whitespace),
/// [`ImportError::Binary`], [`ImportError::Undecodable`], [`ImportError::Docx`],
/// [`ImportError::UnreadableDocument`] or [`ImportError::Unsupported`]. They carry no file
/// name; add one with [`ImportError::with_file`].
pub fn decode_with(bytes: &[u8], opts: Options) -> Result<Decoded, ImportError> {
    // A large file's hash is taken on a second thread while it is decoded — once it is known
    // to be within the size budget (a refused file is not hashed first).
    if bytes.len() >= 1 << 20 && bytes.len() as u64 <= MAX_FILE_BYTES {
        return std::thread::scope(|scope| {
            let hash = scope.spawn(|| sha256_hex(bytes));
            let decoded = decode_unhashed(bytes, opts)?;
            let sha256 = hash.join().unwrap_or_else(|_| sha256_hex(bytes));
            Ok(Decoded { sha256, ..decoded })
        });
    }
    let decoded = decode_unhashed(bytes, opts)?;
    Ok(Decoded {
        sha256: sha256_hex(bytes),
        ..decoded
    })
}

/// [`decode_with`] without the hash (`sha256` left empty).
fn decode_unhashed(bytes: &[u8], opts: Options) -> Result<Decoded, ImportError> {
    let byte_len = bytes.len() as u64;
    if byte_len > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            file: None,
            size: byte_len,
            max: MAX_FILE_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(ImportError::Empty { file: None });
    }
    let format = reader_for(bytes)?;
    let unreadable = |reason: String| ImportError::UnreadableDocument {
        file: None,
        kind: format.name(),
        reason,
    };
    let keep_lines = opts.reflow == Reflow::Off;
    let limits = limits::Limits::default();
    let mut title = None;
    let mut date = None;
    let (text, encoding, had_bom, notice) = match format {
        SourceFormat::Docx => {
            let text = docx::extract_text(bytes, limits.part_bytes)
                .map_err(|reason| ImportError::Docx { file: None, reason })?;
            (text, "DOCX (UTF-8)".to_owned(), false, None)
        }
        SourceFormat::Doc => {
            let text = doc::extract_text(bytes, limits.text_bytes).map_err(unreadable)?;
            (text, "DOC (Word 97–2003)".to_owned(), false, None)
        }
        SourceFormat::Rtf => {
            let (text, notice) = rtf::extract_text(bytes, limits.text_bytes).map_err(unreadable)?;
            (text, "RTF".to_owned(), false, notice)
        }
        SourceFormat::Pdf => {
            let text = pdf::extract_text(bytes, keep_lines, &limits).map_err(unreadable)?;
            (text, "PDF".to_owned(), false, None)
        }
        SourceFormat::Ofd => {
            let text = ofd::extract_text(bytes, keep_lines, &limits).map_err(unreadable)?;
            (text, "OFD".to_owned(), false, None)
        }
        SourceFormat::Html => {
            let a = html::extract(bytes, opts.encoding)?;
            title = a.title;
            date = a.date;
            (a.text, a.encoding, false, a.notice)
        }
        SourceFormat::Text => {
            let d = decode::decode_text(bytes, opts.encoding, true)?;
            (d.text, d.encoding, d.had_bom, d.notice)
        }
    };
    let text = normalize::normalize_newlines_owned(text);
    if text.len() as u64 > limits.text_bytes {
        return Err(ImportError::TooLarge {
            file: None,
            size: text.len() as u64,
            max: limits.text_bytes,
        });
    }
    let (text, reflowed) = if format.is_laid_out() {
        (text, None)
    } else {
        reflow::apply(text, opts.reflow)
    };
    if text.trim().is_empty() {
        return Err(ImportError::Empty { file: None });
    }
    Ok(Decoded {
        text,
        encoding,
        had_bom,
        format,
        sha256: String::new(),
        byte_len,
        notice,
        reflowed,
        title,
        date,
    })
}

/// The format of a file's bytes (a whole file, or only its start for a text), as the
/// readers see it.
///
/// # Errors
/// [`ImportError::Unsupported`] for formats refused outright (images, a workspace).
pub fn format_of(bytes: &[u8]) -> Result<SourceFormat, ImportError> {
    reader_for(bytes)
}

/// The one place that chooses a reader for a file, by its first bytes (never by its name);
/// formats Yinwen recognises but does not read are refused here with what to do instead.
fn reader_for(bytes: &[u8]) -> Result<SourceFormat, ImportError> {
    if let Some(what) = unsupported_format(bytes) {
        return Err(ImportError::Unsupported { file: None, what });
    }
    // A ZIP or a compound file starts with its own magic; a `%PDF-` inside its first KiB
    // (a member named so, stored bytes) does not make it a PDF.
    let other_container = docx::looks_like_zip(bytes) || doc::looks_like_cfb(bytes);
    Ok(if pdf::looks_like_pdf(bytes) && !other_container {
        SourceFormat::Pdf
    } else if ofd::looks_like_ofd(bytes) && !docx::has_document_xml(bytes) {
        SourceFormat::Ofd
    } else if docx::looks_like_zip(bytes) {
        SourceFormat::Docx
    } else if doc::looks_like_cfb(bytes) {
        SourceFormat::Doc
    } else if rtf::looks_like_rtf(bytes) {
        SourceFormat::Rtf
    } else if html::looks_like_html(bytes) {
        SourceFormat::Html
    } else {
        SourceFormat::Text
    })
}

/// Formats recognised by their first bytes that must not be read as plain text: what they
/// are and what to do instead.
fn unsupported_format(bytes: &[u8]) -> Option<String> {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let trimmed = start.trim_ascii_start();
    let head = &trimmed[..trimmed.len().min(512)];
    if head.starts_with(b"(") && head.windows(16).any(|w| w == b"format: \"yinwen\"") {
        return Some(
            "a Yinwen workspace, not a speech: open it (File → Open, or yinwen WS.ron) or merge it (yinwen merge)"
                .into(),
        );
    }
    if crate::store::qdpx::looks_like_qdpx(bytes) && !docx::has_document_xml(bytes) {
        return Some(
            "a REFI-QDA project (.qdpx), not a speech: open it as a workspace (File → Open, or yinwen import PROJECT.qdpx -o WS.ron)"
                .into(),
        );
    }
    if docx::looks_like_zip(bytes) && !docx::has_document_xml(bytes) {
        let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
        // OpenDocument: a `mimetype` member (stored uncompressed by the standard, but not
        // always) beside `content.xml`; names in a ZIP are never compressed.
        if has(b"application/vnd.oasis.opendocument") || (has(b"mimetype") && has(b"content.xml")) {
            return Some(
                "an OpenDocument file (.odt, .ods, .odp), which Yinwen does not read; save it as .docx in your word processor"
                    .into(),
            );
        }
        if has(b"xl/workbook.xml") || has(b"ppt/presentation.xml") {
            return Some(
                "an Excel or PowerPoint file, not a document; copy its text into a .docx or .txt file"
                    .into(),
            );
        }
    }
    let images: [(&[u8], &str); 5] = [
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
    ];
    for (magic, what) in images {
        if bytes.starts_with(magic) {
            return Some(format!(
                "{what}, not text; Yinwen does not read text from images (no OCR) — use the text version of the document or an OCR tool first"
            ));
        }
    }
    None
}

/// Reads and decodes a file. Checks that it exists, is an ordinary file
/// and is at most [`MAX_FILE_BYTES`] (before reading it), then calls
/// [`decode_bytes`].
///
/// # Errors
/// [`ImportError::NotFound`], [`ImportError::IsFolder`],
/// [`ImportError::NotAFile`], [`ImportError::Unreadable`],
/// [`ImportError::TooLarge`], or any error of [`decode_bytes`]. Every
/// error names the file.
pub fn import_file(path: &Path, choice: EncodingChoice) -> Result<Decoded, ImportError> {
    import_file_with(path, Options::from(choice), &Progress::new())
}

/// [`import_file`] reporting bytes read to `progress` and stopping with
/// [`ImportError::Cancelled`] when it is cancelled (while reading, and
/// before and after decoding).
pub fn import_file_with_progress(
    path: &Path,
    choice: EncodingChoice,
    progress: &Progress,
) -> Result<Decoded, ImportError> {
    import_file_with(path, Options::from(choice), progress)
}

/// [`import_file_with_progress`] with every reading option (encoding and reflow).
pub fn import_file_with(
    path: &Path,
    opts: Options,
    progress: &Progress,
) -> Result<Decoded, ImportError> {
    let cancelled = || ImportError::Cancelled {
        path: path.to_path_buf(),
    };
    let bytes = read_limited(path, progress)?;
    progress.check().map_err(|_| cancelled())?;
    let d = decode_with(&bytes, opts)
        .map_err(|e| named_binary(e, path))
        .map_err(|e| e.with_file(path))?;
    progress.check().map_err(|_| cancelled())?;
    Ok(d)
}

/// A binary file whose name says what it is gets a better message than "binary": a `.wps`
/// (or WPS spreadsheet, presentation) that is not in Word's format is Kingsoft WPS's own
/// format. The reader is still chosen by content; only the message uses the name.
fn named_binary(e: ImportError, path: &Path) -> ImportError {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let what = match (&e, ext.as_str()) {
        (ImportError::Binary { .. } | ImportError::Undecodable { .. }, "wps" | "et" | "dps") => {
            "a WPS Office file in Kingsoft's own format, not Word's; save it as .docx in WPS"
        }
        _ => return e,
    };
    ImportError::Unsupported {
        file: None,
        what: what.into(),
    }
}

/// Reads a file of at most [`MAX_FILE_BYTES`], refusing larger ones from
/// their metadata without reading them; reads in 1 MiB pieces so that
/// progress shows and Cancel works on a slow disk or share.
fn read_limited(path: &Path, progress: &Progress) -> Result<Vec<u8>, ImportError> {
    let io_error = |source: io::Error| match source.kind() {
        io::ErrorKind::NotFound => ImportError::NotFound {
            path: path.to_path_buf(),
        },
        _ => ImportError::Unreadable {
            path: path.to_path_buf(),
            source,
        },
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(ImportError::IsFolder {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_file() {
        return Err(ImportError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let too_large = |size: u64| ImportError::TooLarge {
        file: Some(path.to_path_buf()),
        size,
        max: MAX_FILE_BYTES,
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    progress.set_total(meta.len());
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let mut file = File::open(path).map_err(io_error)?.take(MAX_FILE_BYTES + 1);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled {
                path: path.to_path_buf(),
            });
        }
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(e)),
        };
        bytes.extend_from_slice(&chunk[..n]);
        progress.advance(n as u64);
    }
    // The file may have grown since the metadata was read.
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Decodes only the start of `bytes` with `choice` and returns the encoding used and up to
/// `max_lines` lines as they are in the file (no reflow); see [`preview`].
///
/// # Errors
/// As [`preview`].
pub fn preview_lines(
    bytes: &[u8],
    choice: EncodingChoice,
    max_lines: usize,
) -> Result<(String, Vec<String>), ImportError> {
    let opts = Options {
        encoding: choice,
        reflow: Reflow::Off,
    };
    preview(bytes, opts, max_lines).map(|p| (p.encoding, p.lines))
}

/// What [`preview`] shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The encoding (or format) used.
    pub encoding: String,
    /// The first lines (paragraphs after reflow).
    pub lines: Vec<String>,
    /// What reflow did to the part previewed.
    pub reflowed: Option<Reflowed>,
}

/// The first lines of a file read with `opts`, for the open and "Reopen with…" dialogs.
/// Cheap on a large text file: only its first 64 KiB are decoded (cut cleanly for the
/// encoding), and reflow is judged on them. Other formats are read whole.
/// Malformed bytes inside the decoded prefix are reported as for [`decode_bytes`]; a
/// character cut by the prefix end is not an error.
///
/// # Errors
/// As [`decode_with`], for the decoded prefix only (whitespace-only text is
/// [`ImportError::Empty`] only when the whole file was decoded).
pub fn preview(bytes: &[u8], opts: Options, max_lines: usize) -> Result<Preview, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty { file: None });
    }
    if reader_for(bytes)? != SourceFormat::Text {
        let d = decode_with(bytes, opts)?;
        return Ok(Preview {
            encoding: d.encoding,
            lines: d.text.lines().take(max_lines).map(str::to_owned).collect(),
            reflowed: d.reflowed,
        });
    }
    let prefix = &bytes[..bytes.len().min(PREVIEW_BYTES)];
    let complete = prefix.len() == bytes.len();
    let d = decode::decode_text(prefix, opts.encoding, complete)?;
    let text = normalize::normalize_newlines_owned(d.text);
    if complete && text.trim().is_empty() {
        return Err(ImportError::Empty { file: None });
    }
    let (text, reflowed) = reflow::apply(text, opts.reflow);
    Ok(Preview {
        encoding: d.encoding,
        lines: text.lines().take(max_lines).map(str::to_owned).collect(),
        reflowed,
    })
}

/// Lowercase hex SHA-256.
fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::docx::testing::{docx_with_body, zip_of};
    use super::*;
    use encoding_rs::{BIG5, GB18030, GBK};

    const SIMPLIFIED: &str = "同志们，现在，我代表第十六届中央委员会向大会作报告。中国共产党第十七次全国代表大会，是在我国改革发展关键阶段召开的一次十分重要的大会。大会的主题是：高举中国特色社会主义伟大旗帜，以邓小平理论和“三个代表”重要思想为指导，深入贯彻落实科学发展观，继续解放思想，坚持改革开放，推动科学发展，促进社会和谐，为夺取全面建设小康社会新胜利而奋斗。";
    const TRADITIONAL: &str = "「中華民國政府」於今日發表聲明，表示將繼續推動兩岸關係和平發展，並加強與各國的經濟合作。行政院長在記者會上說，政府會全力支持產業升級，照顧勞工權益，讓臺灣的經濟在全球競爭中保持優勢。他強調，民主、自由與人權是我們共同的價值，國人應該團結一致，面對未來的挑戰。";

    fn encode(enc: &'static encoding_rs::Encoding, s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = enc.encode(s);
        assert!(!unmappable, "test text must be encodable in {}", enc.name());
        bytes.into_owned()
    }

    fn utf16(s: &str, little: bool) -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    fn auto(bytes: &[u8]) -> Decoded {
        decode_bytes(bytes, EncodingChoice::Auto).unwrap()
    }

    #[test]
    fn reading_reports_progress_and_stops_when_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("长讲话.txt");
        std::fs::write(&p, SIMPLIFIED.repeat(20_000)).unwrap(); // about 10 MB: ten reads
        let progress = Progress::new();
        let d = import_file_with_progress(&p, EncodingChoice::Auto, &progress).unwrap();
        assert_eq!(progress.fraction(), Some(1.0));
        assert_eq!(d.byte_len, std::fs::metadata(&p).unwrap().len());
        let cancelled = Progress::new();
        cancelled.cancel();
        let err = import_file_with_progress(&p, EncodingChoice::Auto, &cancelled).unwrap_err();
        assert!(matches!(err, ImportError::Cancelled { .. }), "{err}");
        assert!(err.to_string().contains("was cancelled"));
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = auto(SIMPLIFIED.as_bytes());
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str(), d.had_bom),
            (SIMPLIFIED, "UTF-8", false)
        );
        assert_eq!(d.format, SourceFormat::Text);
        assert_eq!(d.byte_len, SIMPLIFIED.len() as u64);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), SIMPLIFIED.as_bytes()].concat();
        let d = auto(&with_bom);
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str(), d.had_bom),
            (SIMPLIFIED, "UTF-8", true)
        );
        assert_eq!(d.byte_len, SIMPLIFIED.len() as u64 + 3);
        let d = decode_bytes(&with_bom, EncodingChoice::Utf8).unwrap();
        assert!(d.had_bom && d.text == SIMPLIFIED);
    }

    #[test]
    fn utf16_with_bom() {
        let text = "中文 UTF-16 𠀀 text\r\n第二行";
        for (little, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
            let d = auto(&utf16(text, little));
            assert_eq!(d.text, "中文 UTF-16 𠀀 text\n第二行");
            assert_eq!((d.encoding.as_str(), d.had_bom), (name, true));
        }
        let d = decode_bytes(&utf16(text, true), EncodingChoice::Utf16Le).unwrap();
        assert!(d.had_bom && d.text.starts_with("中文"));
        // UTF-16 without BOM, chosen explicitly: NUL bytes are fine.
        let d = decode_bytes(&utf16("ab中", false)[2..], EncodingChoice::Utf16Be).unwrap();
        assert_eq!((d.text.as_str(), d.had_bom), ("ab中", false));
    }

    #[test]
    fn gb18030_beyond_gbk() {
        let text = format!("{SIMPLIFIED}价格为100€，生僻字𠀀和𪚥也要保留。");
        let bytes = encode(GB18030, &text);
        let d = decode_bytes(&bytes, EncodingChoice::Gb18030).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            (text.as_str(), "GB18030")
        );
        let d = auto(&bytes);
        assert_eq!(d.text, text);
        assert!(
            ["GBK", "GB18030"].contains(&d.encoding.as_str()),
            "{}",
            d.encoding
        );
        // The GB18030 byte-order mark is honoured too.
        let with_bom = [b"\x84\x31\x95\x33".as_slice(), &bytes].concat();
        let d = auto(&with_bom);
        assert!(d.had_bom && d.text == text && d.encoding == "GB18030");
    }

    #[test]
    fn gbk_is_detected() {
        let d = auto(&encode(GBK, SIMPLIFIED));
        assert_eq!((d.text.as_str(), d.encoding.as_str()), (SIMPLIFIED, "GBK"));
        // A short paragraph is enough.
        let short = "我们要坚持以人民为中心的发展思想，不断增进人民福祉。";
        assert_eq!(auto(&encode(GBK, short)).text, short);
    }

    #[test]
    fn big5_is_detected() {
        let d = auto(&encode(BIG5, TRADITIONAL));
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            (TRADITIONAL, "Big5")
        );
        let d = decode_bytes(&encode(BIG5, TRADITIONAL), EncodingChoice::Big5).unwrap();
        assert_eq!(d.text, TRADITIONAL);
    }

    #[test]
    fn explicit_choice_wins() {
        // Big5 bytes read as GB18030 decode (to nonsense) without error.
        let d = decode_bytes(&encode(BIG5, TRADITIONAL), EncodingChoice::Gb18030).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_ne!(d.text, TRADITIONAL);
        // A BOM that contradicts the choice is not dropped.
        let bytes = [b"\xEF\xBB\xBFa".as_slice(), &encode(GBK, "中文")].concat();
        let d = decode_bytes(&bytes, EncodingChoice::Gb18030).unwrap();
        assert!(!d.had_bom && d.text.ends_with("中文") && d.text != "中文");
        let d = decode_bytes(&utf16("中文", true), EncodingChoice::Utf16Be).unwrap();
        assert!(!d.had_bom && d.text.starts_with('\u{FFFE}'));
        // A UTF-16 file read as UTF-8 on request: its NUL bytes are not
        // "binary", its BOM is undecodable.
        let err = decode_bytes(&utf16("ab", true), EncodingChoice::Utf8).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::Undecodable {
                    first_offset: 0,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn line_endings_are_normalised_and_nothing_else() {
        let text = "\u{3000}\u{3000}第一行 \r\n第二行\t\r第三行\n\r\n";
        let d = auto(text.as_bytes());
        assert_eq!(d.text, "\u{3000}\u{3000}第一行 \n第二行\t\n第三行\n\n");
        let d = auto(&encode(GBK, text));
        assert_eq!(d.text, "\u{3000}\u{3000}第一行 \n第二行\t\n第三行\n\n");
    }

    #[test]
    fn empty_inputs() {
        for bytes in [
            &b""[..],
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            b" \r\n\t ",
            "\u{3000}\n".as_bytes(),
        ] {
            let err = decode_bytes(bytes, EncodingChoice::Auto).unwrap_err();
            assert!(matches!(err, ImportError::Empty { .. }), "{bytes:?}: {err}");
        }
        assert!(matches!(
            decode_bytes(b"", EncodingChoice::Big5),
            Err(ImportError::Empty { .. })
        ));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let bytes = b"abc\x00def\x00";
        for choice in [
            EncodingChoice::Auto,
            EncodingChoice::Utf8,
            EncodingChoice::Gb18030,
        ] {
            let err = decode_bytes(bytes, choice).unwrap_err();
            assert!(
                matches!(err, ImportError::Binary { offset: 3, .. }),
                "{err}"
            );
            assert_eq!(
                err.to_string(),
                "The file looks like a binary file, not text: NUL byte at offset 3"
            );
        }
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), b"ab\x00"].concat();
        assert!(matches!(
            auto_err(&with_bom),
            ImportError::Binary { offset: 5, .. }
        ));
    }

    fn auto_err(bytes: &[u8]) -> ImportError {
        decode_bytes(bytes, EncodingChoice::Auto).unwrap_err()
    }

    #[test]
    fn forced_utf8_reports_bad_bytes() {
        // "中文" (6 bytes), a stray 0xFF, "ab", a cut sequence E4 B8, "x".
        let bytes = [b"\xE4\xB8\xAD\xE6\x96\x87\xFF".as_slice(), b"ab\xE4\xB8x"].concat();
        let err = decode_bytes(&bytes, EncodingChoice::Utf8).unwrap_err();
        assert!(
            matches!(&err, ImportError::Undecodable { encoding, count: 3, first_offset: 6, .. } if encoding == "UTF-8"),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "3 bytes of the file cannot be decoded as UTF-8; the first is at byte offset 6 (try choosing another encoding)"
        );
        // Offsets count the BOM.
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), &bytes].concat();
        let err = decode_bytes(&with_bom, EncodingChoice::Utf8).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::Undecodable {
                    first_offset: 9,
                    ..
                }
            ),
            "{err}"
        );
        // A truncated last character counts.
        let err = decode_bytes(b"ab\xE4\xB8", EncodingChoice::Utf8).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::Undecodable {
                    count: 2,
                    first_offset: 2,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn damaged_utf8_is_reported_as_utf8_in_auto() {
        let mut bytes = SIMPLIFIED.repeat(3).into_bytes();
        bytes.insert(30, 0xFF);
        let err = auto_err(&bytes);
        assert!(
            matches!(&err, ImportError::Undecodable { encoding, count: 1, first_offset: 30, .. } if encoding == "UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn forced_gb18030_and_big5_report_bad_bytes() {
        let bytes = [encode(GBK, "中文"), vec![0xFF], encode(GBK, "好")].concat();
        let err = decode_bytes(&bytes, EncodingChoice::Gb18030).unwrap_err();
        assert!(
            matches!(&err, ImportError::Undecodable { encoding, count: 1, first_offset: 4, .. } if encoding == "GB18030"),
            "{err}"
        );
        let bytes = [
            encode(BIG5, "中華"),
            vec![0x80],
            encode(BIG5, "民國"),
            vec![0xA4],
        ]
        .concat();
        let err = decode_bytes(&bytes, EncodingChoice::Big5).unwrap_err();
        assert!(
            matches!(&err, ImportError::Undecodable { encoding, count: 2, first_offset: 4, .. } if encoding == "Big5"),
            "{err}"
        );
    }

    #[test]
    fn auto_reports_damaged_gbk_as_gbk() {
        let mut bytes = encode(GBK, &SIMPLIFIED.repeat(4));
        let at = bytes.len() - 40;
        bytes[at] = 0xFF;
        let err = auto_err(&bytes);
        match &err {
            ImportError::Undecodable {
                encoding,
                first_offset,
                ..
            } => {
                assert!(["GBK", "GB18030"].contains(&encoding.as_str()), "{err}");
                assert_eq!(*first_offset, at as u64);
            }
            _ => panic!("unexpected {err}"),
        }
    }

    #[test]
    fn docx_is_read() {
        let body = r#"<w:p><w:r><w:t>中国共产党</w:t></w:r><w:r><w:t>第十七次全国代表大会</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t><w:tab/><w:t>有制表符</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>单元格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let bytes = docx_with_body(body);
        let d = decode_bytes(&bytes, EncodingChoice::Big5).unwrap();
        assert_eq!(
            d.text,
            "中国共产党第十七次全国代表大会\n第二段\t有制表符\n单元格"
        );
        assert_eq!(
            (d.encoding.as_str(), d.format, d.had_bom),
            ("DOCX (UTF-8)", SourceFormat::Docx, false)
        );
        assert_eq!(d.byte_len, bytes.len() as u64);
    }

    #[test]
    fn bad_docx_is_refused() {
        let mut corrupt = docx_with_body("<w:p><w:r><w:t>中文</w:t></w:r></w:p>");
        corrupt.truncate(corrupt.len() - 30);
        let err = auto_err(&corrupt);
        assert!(matches!(err, ImportError::Docx { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with("The file is not a readable Word document (.docx): ")
        );
        let err = auto_err(&zip_of(&[("a.txt", "中文")]));
        assert!(matches!(err, ImportError::Docx { .. }), "{err}");
        let err = auto_err(&docx_with_body(""));
        assert!(matches!(err, ImportError::Empty { .. }), "{err}");
    }

    #[test]
    fn sha256_of_original_bytes() {
        let d = auto(b"abc");
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let d = auto(b"\xEF\xBB\xBFabc\r\n");
        assert_eq!(d.text, "abc\n");
        assert_ne!(d.sha256, auto(b"abc\n").sha256);
    }

    #[test]
    fn encoding_choice_labels_round_trip() {
        let labels: Vec<_> = EncodingChoice::ALL.iter().map(|c| c.label()).collect();
        assert_eq!(
            labels,
            ["auto", "utf-8", "gb18030", "big5", "utf-16le", "utf-16be"]
        );
        for c in EncodingChoice::ALL {
            assert_eq!(c.to_string().parse::<EncodingChoice>(), Ok(c));
            assert_eq!(c.label().to_uppercase().parse::<EncodingChoice>(), Ok(c));
        }
        assert_eq!("GBK".parse(), Ok(EncodingChoice::Gb18030));
        assert_eq!(" utf8 ".parse(), Ok(EncodingChoice::Utf8));
        assert_eq!(EncodingChoice::default(), EncodingChoice::Auto);
        let err = "latin1".parse::<EncodingChoice>().unwrap_err();
        assert!(
            err.contains("latin1") && err.contains("gb18030") && err.contains("utf-16be"),
            "{err}"
        );
    }

    /// A fresh, empty directory under the system temp dir.
    fn temp_dir(tag: &str) -> PathBuf {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "yinwen-import-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn import_file_reads_and_names_the_file() {
        let dir = temp_dir("ok");
        let path = dir.join("讲话.txt");
        std::fs::write(&path, encode(GBK, SIMPLIFIED)).unwrap();
        let d = import_file(&path, EncodingChoice::Auto).unwrap();
        assert_eq!(d.text, SIMPLIFIED);
        std::fs::write(&path, b"\xEF\xBB\xBF").unwrap();
        let err = import_file(&path, EncodingChoice::Auto).unwrap_err();
        assert!(
            matches!(&err, ImportError::Empty { file: Some(p) } if p == &path),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "\"{}\" is empty: there is no text to import",
                path.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn import_file_refuses_missing_folders_and_huge_files() {
        let dir = temp_dir("bad");
        let missing = dir.join("missing.txt");
        let err = import_file(&missing, EncodingChoice::Auto).unwrap_err();
        assert!(matches!(err, ImportError::NotFound { .. }), "{err}");
        assert!(err.to_string().contains("missing.txt"));

        let err = import_file(&dir, EncodingChoice::Auto).unwrap_err();
        assert!(matches!(err, ImportError::IsFolder { .. }), "{err}");

        let huge = dir.join("huge.txt");
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let err = import_file(&huge, EncodingChoice::Auto).unwrap_err();
        assert!(
            matches!(err, ImportError::TooLarge { size, max: MAX_FILE_BYTES, .. } if size == MAX_FILE_BYTES + 1),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "\"{}\" is too large to import: 50.1 MB (the limit is 50 MB)",
                huge.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn errors_are_one_line() {
        let dir = temp_dir("lines");
        let errors = [
            import_file(&dir.join("x"), EncodingChoice::Auto).unwrap_err(),
            import_file(&dir, EncodingChoice::Auto).unwrap_err(),
            auto_err(b""),
            auto_err(b"\x00"),
            decode_bytes(b"\xFF", EncodingChoice::Utf8).unwrap_err(),
            auto_err(&zip_of(&[("a", "b")])),
        ];
        for e in errors {
            let s = e.to_string();
            assert!(!s.contains('\n') && !s.is_empty(), "{s}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn preview_decodes_a_prefix() {
        // 1 ASCII byte then two-byte characters: the 64 KiB cut falls inside one.
        let mut text = String::from("a");
        let mut n = 0;
        while text.len() < 200_000 {
            n += 1;
            text.push_str(&format!("第{n}行：中国共产党全国代表大会\r\n"));
        }
        let bytes = encode(GBK, &text);
        let (enc, lines) = preview_lines(&bytes, EncodingChoice::Gb18030, 3).unwrap();
        assert_eq!(enc, "GB18030");
        assert_eq!(
            lines,
            [
                "a第1行：中国共产党全国代表大会",
                "第2行：中国共产党全国代表大会",
                "第3行：中国共产党全国代表大会"
            ]
        );
        let (enc, lines) = preview_lines(&bytes, EncodingChoice::Auto, 2).unwrap();
        assert_eq!((enc.as_str(), lines.len()), ("GBK", 2));
        // All lines of the prefix, the last one possibly cut.
        let (_, lines) = preview_lines(&bytes, EncodingChoice::Gb18030, usize::MAX).unwrap();
        assert!(lines.len() > 1000 && lines.len() < 3000, "{}", lines.len());
        // Big5 gives nonsense or an error, never a panic.
        match preview_lines(&bytes, EncodingChoice::Big5, 3) {
            Ok((enc, lines)) => {
                assert!(enc == "Big5" && lines[0] != "a第1行：中国共产党全国代表大会")
            }
            Err(e) => assert!(matches!(e, ImportError::Undecodable { .. }), "{e}"),
        }
        // UTF-16 cut at an odd byte is fine too.
        let wide = utf16(&"中文\n".repeat(30_000), true);
        let (_, lines) =
            preview_lines(&wide[..PREVIEW_BYTES + 1], EncodingChoice::Auto, 2).unwrap();
        assert_eq!(lines, ["中文", "中文"]);
        assert!(matches!(
            preview_lines(b"", EncodingChoice::Auto, 2),
            Err(ImportError::Empty { .. })
        ));
    }
}
