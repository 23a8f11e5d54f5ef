//! The workspace: everything one `.ron` file holds.

use serde::{Deserialize, Serialize};

use super::annotation::Annotation;
use super::document::Document;
use super::ids::{AnnId, DocId, SourceId, TagId};
use super::rejection::Rejection;
use super::source::Source;
use super::tag::Tag;

/// The value of the `format` field of every workspace file.
pub const FORMAT_TAG: &str = "yinwen";
/// The workspace format version this build writes. Files with a larger version are refused.
pub const FORMAT_VERSION: u32 = 5;

/// Everything a user works on: documents (with their full text), and — in later versions —
/// codebook, annotations, sources and links.
///
/// Field order is the file's order: `format` and `version` come first so that any reader can
/// tell what it holds before parsing the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Shared (`Arc`) so that a copy of the workspace for a background job, an autosave or
    /// an export shares the texts instead of copying them; an edit copies only the document
    /// it changes, and only while someone else still holds the old one.
    pub documents: Vec<std::sync::Arc<Document>>,
    /// The codebook, sorted by ID (version 2).
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Annotations of all documents, sorted by ID (version 2).
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// The source library, sorted by ID (version 3).
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Names of the user-defined document attributes, in column order (version 4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// The user's memo on the workspace as a whole (version 4).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
    /// Detected directive candidates the user rejected, sorted by document and position
    /// (version 5; written only when there are any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejections: Vec<Rejection>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            format: FORMAT_TAG.to_string(),
            version: FORMAT_VERSION,
            next_id: 1,
            documents: Vec::new(),
            tags: Vec::new(),
            annotations: Vec::new(),
            sources: Vec::new(),
            attributes: Vec::new(),
            memo: String::new(),
            rejections: Vec::new(),
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
        by_id(&self.documents, id, |d| d.id).map(|d| &**d)
    }

    pub(crate) fn document_mut(&mut self, id: DocId) -> Option<&mut Document> {
        let at = position_by_id(&self.documents, id, |d| d.id)?;
        Some(std::sync::Arc::make_mut(&mut self.documents[at]))
    }

    /// The tag with this ID.
    pub fn tag(&self, id: TagId) -> Option<&Tag> {
        by_id(&self.tags, id, |t| t.id)
    }

    /// The annotation with this ID.
    pub fn annotation(&self, id: AnnId) -> Option<&Annotation> {
        by_id(&self.annotations, id, |a| a.id)
    }

    /// The source record with this ID.
    pub fn source(&self, id: SourceId) -> Option<&Source> {
        by_id(&self.sources, id, |s| s.id)
    }

    /// Whether the user rejected the candidate `start..end` of document `doc`.
    pub fn is_rejected(&self, doc: DocId, start: usize, end: usize) -> bool {
        self.rejections.iter().any(|r| r.covers(doc, start, end))
    }

    /// The spans `(start, end)` of one document's candidates that a rejection hides (orphans
    /// hide nothing).
    pub fn rejected_spans(&self, doc: DocId) -> std::collections::HashSet<(usize, usize)> {
        self.rejections_of(doc)
            .filter(|r| !r.orphan)
            .map(|r| (r.anchor.start.0, r.anchor.end.0))
            .collect()
    }

    /// Rejections of one document (orphans included), in position order.
    pub fn rejections_of(&self, doc: DocId) -> impl Iterator<Item = &Rejection> {
        self.rejections.iter().filter(move |r| r.doc == doc)
    }

    /// Where a rejection goes to keep the list in order.
    pub(crate) fn rejection_slot(&self, r: &Rejection) -> Result<usize, usize> {
        self.rejections.binary_search_by(|x| x.key().cmp(&r.key()))
    }

    /// Annotations of one document (orphans included), in ID order.
    pub fn annotations_of(&self, doc: DocId) -> impl Iterator<Item = &Annotation> {
        self.annotations.iter().filter(move |a| a.doc == doc)
    }

    /// Number of annotations and documents carrying each tag.
    pub fn tag_usage(&self) -> std::collections::HashMap<TagId, usize> {
        let mut m = std::collections::HashMap::new();
        for t in self.annotations.iter().flat_map(|a| &a.tags) {
            *m.entry(*t).or_insert(0) += 1;
        }
        for t in self.documents.iter().flat_map(|d| &d.meta.tags) {
            *m.entry(*t).or_insert(0) += 1;
        }
        m
    }

    /// The tag and all its descendants.
    pub fn tag_with_descendants(&self, id: TagId) -> Vec<TagId> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            let p = out[i];
            out.extend(
                self.tags
                    .iter()
                    .filter(|t| t.parent == Some(p))
                    .map(|t| t.id),
            );
            i += 1;
        }
        out
    }

    /// Tags in tree order (parents before children, siblings by name) with their depth.
    pub fn tag_tree(&self) -> Vec<(usize, &Tag)> {
        fn walk<'a>(
            ws: &'a Workspace,
            parent: Option<TagId>,
            depth: usize,
            out: &mut Vec<(usize, &'a Tag)>,
        ) {
            let mut kids: Vec<&Tag> = ws.tags.iter().filter(|t| t.parent == parent).collect();
            kids.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            for k in kids {
                out.push((depth, k));
                if depth < 64 {
                    walk(ws, Some(k.id), depth + 1, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self, None, 0, &mut out);
        out
    }

    /// The tag's full path, e.g. `社区服务 / 社区卫生`.
    pub fn tag_path(&self, id: TagId) -> String {
        let mut parts = Vec::new();
        let mut cur = self.tag(id);
        while let Some(t) = cur {
            parts.push(t.name.as_str());
            if parts.len() > 64 {
                break;
            }
            cur = t.parent.and_then(|p| self.tag(p));
        }
        parts.reverse();
        parts.join(" / ")
    }

    /// Whether any item uses this ID.
    pub(crate) fn id_in_use(&self, id: u64) -> bool {
        self.item_ids().any(|i| i == id)
    }

    /// Every item's ID: documents, tags, annotations, sources.
    pub fn item_ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.documents
            .iter()
            .map(|d| d.id.0)
            .chain(self.tags.iter().map(|t| t.id.0))
            .chain(self.annotations.iter().map(|a| a.id.0))
            .chain(self.sources.iter().map(|s| s.id.0))
    }

    /// The highest ID any item uses (0 for an empty workspace).
    pub fn max_item_id(&self) -> u64 {
        self.item_ids().max().unwrap_or(0)
    }

    /// Annotations carrying any of `tags` (or all of them, `all_of`), a tag including its
    /// children, ordered by document and position: the Retrieve view's list.
    pub fn retrieve(
        &self,
        tags: &std::collections::BTreeSet<TagId>,
        all_of: bool,
    ) -> Vec<&Annotation> {
        if tags.is_empty() {
            return Vec::new();
        }
        let expanded: Vec<std::collections::BTreeSet<TagId>> = tags
            .iter()
            .map(|t| self.tag_with_descendants(*t).into_iter().collect())
            .collect();
        let mut out: Vec<&Annotation> = self
            .annotations
            .iter()
            .filter(|a| {
                let has = |set: &std::collections::BTreeSet<TagId>| {
                    a.tags.iter().any(|t| set.contains(t))
                };
                if all_of {
                    expanded.iter().all(has)
                } else {
                    expanded.iter().any(has)
                }
            })
            .collect();
        out.sort_by_key(|a| (a.doc, a.anchor.start));
        out
    }

    /// Up to `chars` chars of text before and after an annotation's passage (its stored
    /// context for an orphan), line breaks shown as ` ¶ `.
    pub fn context_of(&self, ann: &Annotation, chars: usize) -> (String, String) {
        if ann.orphan {
            return (ann.anchor.prefix.clone(), ann.anchor.suffix.clone());
        }
        let Some(doc) = self.document(ann.doc) else {
            return (String::new(), String::new());
        };
        let before: String = {
            let s: Vec<char> = doc.text[..super::text::byte_at(&doc.text, ann.anchor.start.0)]
                .chars()
                .rev()
                .take(chars)
                .collect();
            s.into_iter().rev().collect()
        };
        let after: String = doc.text[super::text::byte_at(&doc.text, ann.anchor.end.0)..]
            .chars()
            .take(chars)
            .collect();
        (before.replace('\n', " ¶ "), after.replace('\n', " ¶ "))
    }

    /// The first of the IDs that additions may claim explicitly in one batch (a tag and its
    /// children imported together, several directives accepted at once): every ID from here
    /// on is free, and an explicit free ID is kept by [`Workspace::apply`]. Single additions
    /// pass ID 0 instead and learn their ID from [`super::Command::created_ids`].
    pub fn first_free_id(&self) -> u64 {
        self.next_id.max(1)
    }

    /// Makes sure `next_id` is past an ID given explicitly.
    pub(crate) fn claim_id(&mut self, id: u64) {
        self.next_id = self.next_id.max(id.saturating_add(1));
    }

    /// Hands out a fresh ID. Only commands call this, so IDs stay in the undo path.
    pub(crate) fn fresh_id(&mut self) -> u64 {
        let id = self.next_id.max(1);
        self.next_id = id.saturating_add(1);
        id
    }

    /// Restores the invariants the file format promises: documents sorted by ID, `next_id`
    /// above every ID in use. Called after loading.
    pub fn normalize(&mut self) {
        self.documents.sort_by_key(|d| d.id);
        self.tags.sort_by_key(|t| t.id);
        self.annotations.sort_by_key(|a| a.id);
        self.sources.sort_by_key(|s| s.id);
        self.rejections.sort_by(|a, b| a.key().cmp(&b.key()));
        self.rejections.dedup_by(|a, b| a.key() == b.key());
        for a in &mut self.annotations {
            a.normalize();
        }
        for d in &mut self.documents {
            // Only a document whose tags are out of order is touched (and so copied if shared).
            if !d.meta.tags.is_sorted() || d.meta.tags.windows(2).any(|w| w[0] == w[1]) {
                let d = std::sync::Arc::make_mut(d);
                d.meta.tags.sort();
                d.meta.tags.dedup();
            }
        }
        let max = self.max_item_id();
        self.next_id = self.next_id.max(max.saturating_add(1));
    }

    /// Inserts a document keeping the ID order.
    pub(crate) fn insert_document(&mut self, doc: Document) {
        let at = self.documents.partition_point(|d| d.id < doc.id);
        self.documents.insert(at, std::sync::Arc::new(doc));
    }
}
/// Where the item with `id` is in `items`: by binary search, since every collection is kept
/// in ID order (additions insert in place, loading sorts); a list put together out of order
/// by hand is still searched through, so a lookup is never wrong, only slower.
pub(crate) fn position_by_id<T, K: Ord + Copy>(
    items: &[T],
    id: K,
    key: impl Fn(&T) -> K,
) -> Option<usize> {
    match items.binary_search_by(|x| key(x).cmp(&id)) {
        Ok(at) => Some(at),
        Err(_) => items.iter().position(|x| key(x) == id),
    }
}

/// The item with `id` (see [`position_by_id`]).
fn by_id<T, K: Ord + Copy>(items: &[T], id: K, key: impl Fn(&T) -> K) -> Option<&T> {
    position_by_id(items, id, key).map(|at| &items[at])
}
