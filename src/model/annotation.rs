//! Annotations: a passage of a document with a highlight colour, a note and tags.

use serde::{Deserialize, Serialize};

/// Highlight colour of quoted directives (a red), in the window, the sample and exports.
pub const DIRECTIVE_COLOR: &str = "#C0392B";

use super::anchor::Anchor;
use super::ids::{AnnId, DocId, TagId};
use super::source::DirectiveInfo;

/// A marked passage. An orphan is an annotation whose passage could not be found after the
/// text changed: it keeps its quote and is shown in its own list until the user re-attaches
/// or deletes it. Nothing deletes an orphan but the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Stable identifier.
    pub id: AnnId,
    /// The document it belongs to.
    pub doc: DocId,
    /// Where it is: position, quote and context.
    pub anchor: Anchor,
    /// Highlight colour `#RRGGBB`.
    #[serde(default = "super::tag::default_tag_color")]
    pub color: String,
    /// Free text, possibly several lines.
    #[serde(default)]
    pub note: String,
    /// Tags, sorted by ID, no duplicates.
    #[serde(default)]
    pub tags: Vec<TagId>,
    /// True when the passage was lost after a text change.
    #[serde(default)]
    pub orphan: bool,
    /// Set when the passage is an accepted quoted directive (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directive: Option<DirectiveInfo>,
}

impl Annotation {
    /// Sorts and de-duplicates the tag list (the stored order is stable).
    pub fn normalize(&mut self) {
        self.tags.sort();
        self.tags.dedup();
    }
}
