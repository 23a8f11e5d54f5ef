//! The budget of every reader, in one place: how much a file may unpack, expand or produce
//! before it is refused. Each limit is checked *while* the reader expands its input (a zip
//! member while it is unpacked, a PDF content stream while it is inflated, an OFD `DeltaX`
//! while it is expanded), never only afterwards, so a small hostile file stops early with one
//! line naming the limit. README ("What it opens") states the same figures.
//!
//! | format | limit |
//! |---|---|
//! | every file | [`MAX_FILE_BYTES`] on disk, [`MAX_TEXT_BYTES`] of extracted text |
//! | `.docx` | `word/document.xml` at most [`MAX_PART_BYTES`] unpacked |
//! | OFD | each part at most [`MAX_PART_BYTES`] unpacked, all parts together at most [`MAX_UNPACKED_BYTES`]; a `DeltaX` expands to at most one advance per character of its text; at most [`MAX_PIECES`] text pieces, a page listed twice counted twice |
//! | PDF | measured before each page is read (a stream shared by several pages counted for each): one page's content streams at most [`MAX_PAGE_CONTENT_BYTES`] inflated, [`MAX_PAGE_STRINGS`] strings of text holding [`MAX_PAGE_SHOWN_BYTES`]; all pages together [`MAX_CONTENT_BYTES`], [`MAX_STRINGS`] strings, [`MAX_SHOWN_BYTES`]; at most [`MAX_PIECES`] words |
//! | web page | parsed and scored in time linear in the page |

/// Largest file read, in bytes (50 MiB).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Largest text extracted from one file, in bytes of UTF-8 (50 MiB).
pub const MAX_TEXT_BYTES: u64 = 50 * 1024 * 1024;

/// Largest single part of a ZIP package (`word/document.xml`, an OFD page), unpacked (50 MiB).
pub const MAX_PART_BYTES: u64 = 50 * 1024 * 1024;

/// Most bytes unpacked from one OFD package altogether (200 MiB).
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;

/// Most pieces of positioned text (OFD `TextCode`s, PDF words) in one document: each costs
/// about a hundred bytes besides its text, so this bounds the layout's memory (4 million).
pub const MAX_PIECES: usize = 4_000_000;

/// Largest content of one PDF page (its content streams inflated), in bytes (4 MiB). A page
/// of dense text needs well under 100 KiB.
pub const MAX_PAGE_CONTENT_BYTES: u64 = 4 * 1024 * 1024;

/// Largest content of all pages of a PDF together, in bytes (128 MiB); a content stream
/// shared by several pages is counted once for each.
pub const MAX_CONTENT_BYTES: u64 = 128 * 1024 * 1024;

/// Most strings of text (`(…)` and `<…>` operands) one PDF page draws (10,000; a dense page
/// drawn a glyph at a time needs about 2,000).
pub const MAX_PAGE_STRINGS: u64 = 10_000;

/// Most strings of text all pages of a PDF draw together (400,000).
pub const MAX_STRINGS: u64 = 400_000;

/// Most bytes of text in the strings one PDF page draws (256 KiB; a dense page of Chinese
/// holds about 4 KiB).
pub const MAX_PAGE_SHOWN_BYTES: u64 = 256 * 1024;

/// Most bytes of text in the strings all pages of a PDF draw together (16 MiB).
pub const MAX_SHOWN_BYTES: u64 = 16 * 1024 * 1024;

/// The limits one reading runs under: the real ones ([`Limits::default`]) or, in tests,
/// small ones that a few bytes can trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// See [`MAX_TEXT_BYTES`].
    pub text_bytes: u64,
    /// See [`MAX_PART_BYTES`].
    pub part_bytes: u64,
    /// See [`MAX_UNPACKED_BYTES`].
    pub unpacked_bytes: u64,
    /// See [`MAX_PIECES`].
    pub pieces: usize,
    /// See [`MAX_PAGE_CONTENT_BYTES`].
    pub page_content_bytes: u64,
    /// See [`MAX_CONTENT_BYTES`].
    pub content_bytes: u64,
    /// See [`MAX_PAGE_STRINGS`].
    pub page_strings: u64,
    /// See [`MAX_STRINGS`].
    pub strings: u64,
    /// See [`MAX_PAGE_SHOWN_BYTES`].
    pub page_shown_bytes: u64,
    /// See [`MAX_SHOWN_BYTES`].
    pub shown_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            text_bytes: MAX_TEXT_BYTES,
            part_bytes: MAX_PART_BYTES,
            unpacked_bytes: MAX_UNPACKED_BYTES,
            pieces: MAX_PIECES,
            page_content_bytes: MAX_PAGE_CONTENT_BYTES,
            content_bytes: MAX_CONTENT_BYTES,
            page_strings: MAX_PAGE_STRINGS,
            strings: MAX_STRINGS,
            page_shown_bytes: MAX_PAGE_SHOWN_BYTES,
            shown_bytes: MAX_SHOWN_BYTES,
        }
    }
}

/// A size limit for people: "50 MB", "256 KB", "812 bytes".
pub(crate) fn mb(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes >= MB {
        format!("{} MB", bytes.div_ceil(MB))
    } else if bytes >= KB && bytes.is_multiple_of(KB) {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}
