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

/// A speech or document held in the workspace, with its full decoded text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub text: String,
}

impl Document {
    /// A new document; `id` is replaced by the workspace when the document is added.
    pub fn new(text: String, origin: Origin, meta: DocMeta) -> Self {
        Document {
            id: DocId(0),
            meta,
            origin,
            text,
        }
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
