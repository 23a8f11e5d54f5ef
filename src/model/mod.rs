//! The workspace model: documents, their text and metadata, and the commands that change them.
//!
//! Nothing here knows about egui. Every change to a [`Workspace`] goes through
//! [`Workspace::apply`], which returns the inverse command; [`History`] keeps those inverses
//! for undo and redo and tells whether the workspace differs from the last save.

mod command;
mod document;
mod history;
mod ids;
mod text;
mod workspace;

pub use command::{Command, CommandError};
pub use document::{DocMeta, Document, Origin};
pub use history::History;
pub use ids::{CharPos, DocId};
pub use text::{CharIndex, Paragraph, segment_paragraphs};
pub use workspace::{FORMAT_TAG, FORMAT_VERSION, Workspace};
