//! The workspace: everything one `.ron` file holds.

use serde::{Deserialize, Serialize};

use super::document::Document;
use super::ids::DocId;

/// The value of the `format` field of every workspace file.
pub const FORMAT_TAG: &str = "yinwen";
/// The workspace format version this build writes. Files with a larger version are refused.
pub const FORMAT_VERSION: u32 = 1;

/// Everything a user works on: documents (with their full text), and — in later versions —
/// codebook, annotations, sources and links.
///
/// Field order is the file's order: `format` and `version` come first so that any reader can
/// tell what it holds before parsing the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Always [`FORMAT_TAG`].
    pub format: String,
    /// The format version the file was written with.
    pub version: u32,
    /// The next ID to hand out. IDs are never reused, even after a deletion.
    #[serde(default)]
    pub next_id: u64,
    /// Documents, kept sorted by ID so that saves are stable.
    #[serde(default)]
    pub documents: Vec<Document>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            format: FORMAT_TAG.to_string(),
            version: FORMAT_VERSION,
            next_id: 1,
            documents: Vec::new(),
        }
    }
}

impl Workspace {
    /// An empty workspace.
    pub fn new() -> Self {
        Self::default()
    }

    /// The document with this ID.
    pub fn document(&self, id: DocId) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    pub(crate) fn document_mut(&mut self, id: DocId) -> Option<&mut Document> {
        self.documents.iter_mut().find(|d| d.id == id)
    }

    /// Hands out a fresh ID. Only commands call this, so IDs stay in the undo path.
    pub(crate) fn fresh_id(&mut self) -> u64 {
        let id = self.next_id.max(1);
        self.next_id = id + 1;
        id
    }

    /// Restores the invariants the file format promises: documents sorted by ID, `next_id`
    /// above every ID in use. Called after loading.
    pub fn normalize(&mut self) {
        self.documents.sort_by_key(|d| d.id);
        let max = self.documents.iter().map(|d| d.id.0).max().unwrap_or(0);
        self.next_id = self.next_id.max(max + 1);
    }

    /// Inserts a document keeping the ID order.
    pub(crate) fn insert_document(&mut self, doc: Document) {
        let at = self.documents.partition_point(|d| d.id < doc.id);
        self.documents.insert(at, doc);
    }
}
