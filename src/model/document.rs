//! A document: its decoded text, where it came from, and its metadata.

use serde::{Deserialize, Serialize};

use super::ids::{DocId, TagId};
use super::text::{Paragraph, segment_paragraphs};

/// Where a document's text came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Origin {
    /// The file it was imported from, if any.
    pub path: Option<String>,
    /// The encoding the file was decoded with ("UTF-8", "GBK", "DOCX (UTF-8)", …).
    pub encoding: String,
    /// Lowercase hex SHA-256 of the original bytes.
    pub sha256: String,
    /// Size of the original file in bytes.
    pub byte_len: u64,
    /// Corrections made to the text inside the program since it was read from the file
    /// (quick fixes from the Problems list), in text order: the text is the file's text with
    /// these applied. Reading the file again starts a fresh list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
}

/// One correction of a document's text: `before` became `after`, which now starts at char
/// `start` of the text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Correction {
    /// Char offset of the corrected text in the document's current text.
    pub start: usize,
    /// The text as it was.
    pub before: String,
    /// The text as it is now (empty when the correction cut text out).
    pub after: String,
    /// What was wrong: a text-warning kind such as `digit_letter_confusion`,
    /// `placeholder_year`, `boilerplate` or `doc_number_form`.
    pub kind: String,
}

/// Descriptive metadata a user fills in. Empty strings mean "not known".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocMeta {
    /// Title of the speech or document.
    pub title: String,
    /// Who gave the speech or issued the document.
    pub speaker: String,
    /// Date as written or ISO (partial allowed, e.g. `2007-05`).
    pub date: String,
    /// The meeting or occasion.
    pub occasion: String,
    /// Where it was given or issued.
    pub place: String,
    /// Document-level tags, sorted by ID.
    pub tags: Vec<TagId>,
}

/// Revisions handed out so far in this process.
static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A revision number no text of this process has had before.
fn fresh_revision() -> u64 {
    REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A speech or document held in the workspace, with its full decoded text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier.
    pub id: DocId,
    /// Metadata.
    #[serde(default)]
    pub meta: DocMeta,
    /// Where the text came from.
    #[serde(default)]
    pub origin: Origin,
    /// The decoded text with `\n` line endings. Offsets everywhere are char indices into it.
    /// Replace it with [`Document::set_text`], which gives it a new [`Document::revision`].
    pub text: String,
    /// Changes whenever the text is replaced; never saved (see [`Document::revision`]).
    #[serde(skip, default = "fresh_revision")]
    revision: u64,
}

/// Documents are equal when their ID, details, origin and text are (the revision is a
/// process-local cache key, not content).
impl PartialEq for Document {
    fn eq(&self, o: &Self) -> bool {
        self.id == o.id && self.meta == o.meta && self.origin == o.origin && self.text == o.text
    }
}

impl Eq for Document {}

impl Document {
    /// A new document; `id` is replaced by the workspace when the document is added.
    pub fn new(text: String, origin: Origin, meta: DocMeta) -> Self {
        Document {
            id: DocId(0),
            meta,
            origin,
            text,
            revision: fresh_revision(),
        }
    }

    /// A number that changes whenever the text is replaced (and differs between two texts
    /// of this process): the key of caches built from the text (paragraphs, char index,
    /// detection). Copies of a document share it, as they share the text.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Replaces the text and gives the document a new revision; returns the old text.
    pub fn set_text(&mut self, text: String) -> String {
        self.revision = fresh_revision();
        std::mem::replace(&mut self.text, text)
    }

    /// The name to show for this document: its title, else its file name, else its id.
    pub fn display_name(&self) -> String {
        if !self.meta.title.trim().is_empty() {
            return self.meta.title.trim().to_string();
        }
        if let Some(path) = &self.origin.path
            && let Some(name) = std::path::Path::new(path).file_name()
        {
            return name.to_string_lossy().into_owned();
        }
        format!("Document {}", self.id.0)
    }

    /// Number of chars in the text.
    pub fn char_count(&self) -> usize {
        self.text.chars().count()
    }

    /// The document's paragraphs (see [`segment_paragraphs`]).
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        segment_paragraphs(&self.text)
    }
}
