//! The workspace model: documents, their text and metadata, and the commands that change them.
//!
//! Documents carry annotations (anchored passages with notes and tags from a hierarchical
//! codebook). Nothing here knows about egui. Every change to a [`Workspace`] goes through
//! [`Workspace::apply`], which returns the inverse command; [`History`] keeps those inverses
//! for undo and redo and tells whether the workspace differs from the last save.

pub mod anchor;
mod annotation;
mod command;
mod document;
mod filter;
mod history;
mod ids;
pub mod merge;
mod rejection;
mod source;
mod tag;
mod text;
mod workspace;

pub use anchor::{Anchor, Reanchored};
pub use annotation::{Annotation, DIRECTIVE_COLOR};
pub use command::{ChangeKind, Command, CommandError};
pub use document::{BUILTIN_ATTRIBUTES, Correction, DocMeta, Document, Origin, normalize_group};
pub use filter::DocFilter;
pub use history::History;
pub use ids::{AnnId, CharPos, DocId, SourceId, TagId};
pub use rejection::Rejection;
pub use source::{Attribution, DirectiveInfo, Source, SourceKind, Verification, VerifyStatus};
pub use source::{doc_number_key, title_key};
pub use tag::{PALETTE, Tag, default_tag_color, parse_hex_color};
pub use text::{CharIndex, Paragraph, byte_at, preview, segment_paragraphs};
pub use workspace::{FORMAT_TAG, FORMAT_VERSION, Workspace};
