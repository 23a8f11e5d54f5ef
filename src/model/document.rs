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
    /// The group (folder in the workspace) the document is filed under: names joined by
    /// `/`, e.g. `2023/市委`; empty for the top level (version 4).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Administrative level of the speaker or issuer: 中央, 省, 市, 县 or as the user writes it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub level: String,
    /// Region (province, city, county) the document belongs to.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// Kind of document: 讲话, 报告, 通知, 意见, …
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// User-defined attributes (name → value); names are listed in
    /// [`crate::model::Workspace::attributes`].
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
    /// The user's memo on this document.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub memo: String,
}

/// The built-in document attributes after title, speaker and date, by field name: shown as
/// columns of the document table and offered to every filter.
pub const BUILTIN_ATTRIBUTES: [&str; 7] = [
    "speaker", "date", "occasion", "place", "level", "region", "kind",
];

impl DocMeta {
    /// The value of an attribute by name: a built-in field (`title`, `speaker`, `date`,
    /// `occasion`, `place`, `group`, `level`, `region`, `kind`) or a user-defined one.
    pub fn attribute(&self, name: &str) -> &str {
        match name {
            "title" => &self.title,
            "speaker" => &self.speaker,
            "date" => &self.date,
            "occasion" => &self.occasion,
            "place" => &self.place,
            "group" => &self.group,
            "level" => &self.level,
            "region" => &self.region,
            "kind" => &self.kind,
            other => self.attributes.get(other).map(String::as_str).unwrap_or(""),
        }
    }

    /// Sets an attribute by name (see [`DocMeta::attribute`]) to the value as typed (a field
    /// being edited keeps its spaces and a trailing `/`: call [`DocMeta::tidy`] when the
    /// user leaves it); a blank value removes a user-defined one.
    pub fn set_attribute(&mut self, name: &str, value: &str) {
        let v = value.to_string();
        match name {
            "title" => self.title = v,
            "speaker" => self.speaker = v,
            "date" => self.date = v,
            "occasion" => self.occasion = v,
            "place" => self.place = v,
            "group" => self.group = v,
            "level" => self.level = v,
            "region" => self.region = v,
            "kind" => self.kind = v,
            other => {
                if v.trim().is_empty() {
                    self.attributes.remove(other);
                } else {
                    self.attributes.insert(other.to_string(), v);
                }
            }
        }
    }
}

impl DocMeta {
    /// The details in their stored form: surrounding white space trimmed, the group
    /// normalised ([`normalize_group`]), blank user attributes dropped.
    pub fn tidy(&mut self) {
        for f in [
            &mut self.title,
            &mut self.speaker,
            &mut self.date,
            &mut self.occasion,
            &mut self.place,
            &mut self.level,
            &mut self.region,
            &mut self.kind,
        ] {
            let t = f.trim();
            if t.len() != f.len() {
                *f = t.to_string();
            }
        }
        self.group = normalize_group(&self.group);
        self.attributes.retain(|_, v| !v.trim().is_empty());
        for v in self.attributes.values_mut() {
            let t = v.trim();
            if t.len() != v.len() {
                *v = t.to_string();
            }
        }
    }
}

/// A group path in its one written form: names trimmed, empty names dropped, joined by `/`
/// (`\` and full-width `／` are read as `/`).
pub fn normalize_group(path: &str) -> String {
    path.split(['/', '\\', '／'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
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
