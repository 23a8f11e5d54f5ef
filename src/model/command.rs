//! Commands: the only way a workspace changes. Each application returns its inverse.

use super::document::{DocMeta, Document, Origin};
use super::ids::DocId;
use super::workspace::Workspace;

/// One change to a workspace.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Add a document. A document whose ID is 0 gets a fresh ID; any other ID is kept (undo
    /// of a removal puts the document back under its old ID).
    AddDocument(Box<Document>),
    /// Remove a document.
    RemoveDocument(DocId),
    /// Replace a document's metadata.
    SetDocMeta(DocId, DocMeta),
    /// Replace a document's text and origin (e.g. reopened with another encoding).
    ReplaceText {
        /// The document.
        id: DocId,
        /// The new text.
        text: String,
        /// Where the new text came from.
        origin: Origin,
    },
}

/// Why a command could not be applied. The workspace is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The command names a document that is not in the workspace.
    #[error("document {0} is not in the workspace")]
    UnknownDocument(DocId),
    /// The command would add a document under an ID already in use.
    #[error("document {0} is already in the workspace")]
    DuplicateDocument(DocId),
}

impl Command {
    /// A short description for menus ("Undo add document").
    pub fn label(&self) -> &'static str {
        match self {
            Command::AddDocument(_) => "add document",
            Command::RemoveDocument(_) => "remove document",
            Command::SetDocMeta(..) => "edit document details",
            Command::ReplaceText { .. } => "replace document text",
        }
    }
}

impl Workspace {
    /// Applies a command and returns the command that undoes it. On error nothing changed.
    pub fn apply(&mut self, cmd: Command) -> Result<Command, CommandError> {
        match cmd {
            Command::AddDocument(mut doc) => {
                if doc.id.0 == 0 {
                    doc.id = DocId(self.fresh_id());
                } else if self.document(doc.id).is_some() {
                    return Err(CommandError::DuplicateDocument(doc.id));
                } else {
                    self.next_id = self.next_id.max(doc.id.0 + 1);
                }
                let id = doc.id;
                self.insert_document(*doc);
                Ok(Command::RemoveDocument(id))
            }
            Command::RemoveDocument(id) => {
                let at = self
                    .documents
                    .iter()
                    .position(|d| d.id == id)
                    .ok_or(CommandError::UnknownDocument(id))?;
                let doc = self.documents.remove(at);
                Ok(Command::AddDocument(Box::new(doc)))
            }
            Command::SetDocMeta(id, meta) => {
                let doc = self
                    .document_mut(id)
                    .ok_or(CommandError::UnknownDocument(id))?;
                let old = std::mem::replace(&mut doc.meta, meta);
                Ok(Command::SetDocMeta(id, old))
            }
            Command::ReplaceText { id, text, origin } => {
                let doc = self
                    .document_mut(id)
                    .ok_or(CommandError::UnknownDocument(id))?;
                let old_text = std::mem::replace(&mut doc.text, text);
                let old_origin = std::mem::replace(&mut doc.origin, origin);
                Ok(Command::ReplaceText {
                    id,
                    text: old_text,
                    origin: old_origin,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new(text.into(), Origin::default(), DocMeta::default())
    }

    #[test]
    fn add_then_inverse_restores_and_ids_are_not_reused() {
        let mut ws = Workspace::new();
        let inv = ws.apply(Command::AddDocument(Box::new(doc("甲")))).unwrap();
        assert_eq!(ws.documents.len(), 1);
        assert_eq!(ws.documents[0].id, DocId(1));
        let redo = ws.apply(inv).unwrap();
        assert!(ws.documents.is_empty());
        // re-adding the removed document keeps its ID
        ws.apply(redo).unwrap();
        assert_eq!(ws.documents[0].id, DocId(1));
        ws.apply(Command::AddDocument(Box::new(doc("乙")))).unwrap();
        assert_eq!(ws.documents[1].id, DocId(2));
    }

    #[test]
    fn unknown_document_is_an_error_and_changes_nothing() {
        let mut ws = Workspace::new();
        let before = ws.clone();
        let err = ws
            .apply(Command::SetDocMeta(DocId(9), DocMeta::default()))
            .unwrap_err();
        assert_eq!(err, CommandError::UnknownDocument(DocId(9)));
        assert_eq!(ws, before);
    }

    #[test]
    fn meta_and_text_changes_invert() {
        let mut ws = Workspace::new();
        ws.apply(Command::AddDocument(Box::new(doc("旧文本"))))
            .unwrap();
        let id = ws.documents[0].id;
        let before = ws.clone();
        let meta = DocMeta {
            title: "讲话".into(),
            ..DocMeta::default()
        };
        let inv1 = ws.apply(Command::SetDocMeta(id, meta)).unwrap();
        let inv2 = ws
            .apply(Command::ReplaceText {
                id,
                text: "新文本".into(),
                origin: Origin::default(),
            })
            .unwrap();
        assert_eq!(ws.documents[0].text, "新文本");
        ws.apply(inv2).unwrap();
        ws.apply(inv1).unwrap();
        assert_eq!(ws, before);
    }
}
