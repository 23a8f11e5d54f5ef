//! Rejected directive candidates: a decision the user made about a passage the detector found.

use serde::{Deserialize, Serialize};

use super::anchor::Anchor;
use super::ids::DocId;
use super::text::CharIndex;

/// A detected directive candidate the user rejected (version 5). It is workspace data like an
/// annotation: saved, merged, undone, and re-anchored when the document's text changes (its
/// passage is stored as the same [`Anchor`] annotations use). A candidate is hidden while a
/// rejection that is not an orphan sits exactly on its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The document the candidate was found in.
    pub doc: DocId,
    /// The candidate's passage.
    pub anchor: Anchor,
    /// True when the passage was lost after a text change: the rejection is kept (with its
    /// quote) but no longer hides anything.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
}

impl Rejection {
    /// A rejection of the chars `range` of `text`, the text of document `doc`.
    pub fn new(doc: DocId, text: &str, range: std::ops::Range<usize>) -> Rejection {
        Rejection {
            doc,
            anchor: Anchor::new(text, &CharIndex::new(text), range),
            orphan: false,
        }
    }

    /// Whether this rejection hides the candidate `start..end` of document `doc`.
    pub fn covers(&self, doc: DocId, start: usize, end: usize) -> bool {
        !self.orphan && self.doc == doc && self.anchor.start.0 == start && self.anchor.end.0 == end
    }

    /// What identifies a rejection: two rejections with the same key are the same decision.
    pub fn key(&self) -> (DocId, usize, usize, bool, &str) {
        (
            self.doc,
            self.anchor.start.0,
            self.anchor.end.0,
            self.orphan,
            self.anchor.quote.as_str(),
        )
    }
}
