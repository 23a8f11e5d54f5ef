//! Undo and redo over the single command path, and the "unsaved changes" marker.

use super::command::{Command, CommandError};
use super::workspace::Workspace;

/// Undo/redo stacks of inverse commands, with a state counter so that undoing back to the
/// saved state clears the unsaved marker.
#[derive(Debug, Default, Clone)]
pub struct History {
    /// Key of the last change if it may absorb the next change with the same key.
    open_key: Option<String>,
    undo: Vec<(Command, u64)>,
    redo: Vec<(Command, u64)>,
    current: u64,
    next_state: u64,
    saved: u64,
}

impl History {
    /// A history whose current state counts as saved.
    pub fn new() -> Self {
        History {
            next_state: 1,
            ..Default::default()
        }
    }

    /// Puts back an earlier copy of this history (taken with `clone`) after a change that
    /// did not complete (the window restores the workspace along with it). State numbers
    /// handed out since are not handed out again, so nothing cached for them is mistaken for
    /// a later state.
    pub fn roll_back_to(&mut self, earlier: History) {
        let next = self.next_state.max(earlier.next_state);
        *self = earlier;
        self.next_state = next;
    }

    /// Applies `cmd` to `ws` and records its inverse. Clears the redo stack. Returns the IDs
    /// of the items the command created (see [`Command::created_ids`]).
    pub fn execute(&mut self, ws: &mut Workspace, cmd: Command) -> Result<Vec<u64>, CommandError> {
        let inverse = ws.apply(cmd)?;
        let created = Command::created_ids(&inverse);
        self.open_key = None;
        self.undo.push((inverse, self.current));
        self.redo.clear();
        self.current = self.next_state;
        self.next_state += 1;
        Ok(created)
    }

    /// Like [`History::execute`], but consecutive changes with the same `key` (e.g. typing
    /// in one note) make one undo step: the first change's inverse is kept, later ones are
    /// dropped. Any other change, undo, redo or [`History::seal`] ends the run.
    pub fn execute_coalesced(
        &mut self,
        ws: &mut Workspace,
        cmd: Command,
        key: &str,
    ) -> Result<Vec<u64>, CommandError> {
        let joins = self.open_key.as_deref() == Some(key) && !self.undo.is_empty();
        if !joins {
            let created = self.execute(ws, cmd)?;
            self.open_key = Some(key.to_string());
            return Ok(created);
        }
        let inverse = ws.apply(cmd)?;
        self.redo.clear();
        // The state differs from every earlier one, including a saved one.
        self.current = self.next_state;
        self.next_state += 1;
        Ok(Command::created_ids(&inverse))
    }

    /// Ends a run of coalesced changes (e.g. when a note field loses focus).
    pub fn seal(&mut self) {
        self.open_key = None;
    }

    /// A number that changes whenever the workspace changes through this history.
    pub fn state_id(&self) -> u64 {
        self.current
    }

    /// Undoes the last change; returns false when there is nothing to undo.
    pub fn undo(&mut self, ws: &mut Workspace) -> Result<bool, CommandError> {
        self.open_key = None;
        let Some((inverse, state)) = self.undo.pop() else {
            return Ok(false);
        };
        match ws.apply(inverse.clone()) {
            Ok(redo) => {
                self.redo.push((redo, self.current));
                self.current = state;
                Ok(true)
            }
            Err(e) => {
                self.undo.push((inverse, state));
                Err(e)
            }
        }
    }

    /// Redoes the last undone change; returns false when there is nothing to redo.
    pub fn redo(&mut self, ws: &mut Workspace) -> Result<bool, CommandError> {
        self.open_key = None;
        let Some((cmd, state)) = self.redo.pop() else {
            return Ok(false);
        };
        match ws.apply(cmd.clone()) {
            Ok(inverse) => {
                self.undo.push((inverse, self.current));
                self.current = state;
                Ok(true)
            }
            Err(e) => {
                self.redo.push((cmd, state));
                Err(e)
            }
        }
    }

    /// Label of the change that Undo would revert (the inverse's label is the same kind).
    pub fn undo_label(&self) -> Option<super::ChangeKind> {
        self.undo.last().map(|(c, _)| c.label())
    }

    /// Label of the change that Redo would reapply.
    pub fn redo_label(&self) -> Option<super::ChangeKind> {
        self.redo.last().map(|(c, _)| c.label())
    }

    /// Whether there is anything to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is anything to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Marks the current state as saved.
    pub fn mark_saved(&mut self) {
        self.open_key = None;
        self.saved = self.current;
    }

    /// Marks the current state as not saved (e.g. work restored after a crash).
    pub fn mark_unsaved(&mut self) {
        self.saved = u64::MAX;
    }

    /// Whether the workspace differs from the last save (or from when it was opened).
    pub fn is_dirty(&self) -> bool {
        self.current != self.saved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocMeta, Document, Origin};

    fn add(h: &mut History, ws: &mut Workspace, t: &str) {
        let doc = Document::new(t.into(), Origin::default(), DocMeta::default());
        h.execute(ws, Command::AddDocument(Box::new(doc))).unwrap();
    }

    #[test]
    fn dirty_marker_follows_undo_and_redo() {
        let mut ws = Workspace::new();
        let mut h = History::new();
        assert!(!h.is_dirty());
        add(&mut h, &mut ws, "一");
        assert!(h.is_dirty());
        h.mark_saved();
        add(&mut h, &mut ws, "二");
        assert!(h.is_dirty());
        h.undo(&mut ws).unwrap();
        assert!(
            !h.is_dirty(),
            "undo back to the saved state clears the marker"
        );
        h.undo(&mut ws).unwrap();
        assert!(h.is_dirty());
        assert!(ws.documents.is_empty());
        h.redo(&mut ws).unwrap();
        assert!(!h.is_dirty());
        h.redo(&mut ws).unwrap();
        assert_eq!(ws.documents.len(), 2);
        assert!(!h.redo(&mut ws).unwrap());
    }

    #[test]
    fn typing_one_note_is_one_undo_step() {
        let mut ws = Workspace::new();
        let mut h = History::new();
        add(&mut h, &mut ws, "一");
        let id = ws.documents[0].id;
        for title in ["讲", "讲话", "讲话稿"] {
            let meta = crate::model::DocMeta {
                title: title.into(),
                ..Default::default()
            };
            h.execute_coalesced(&mut ws, Command::SetDocMeta(id, meta), "title")
                .unwrap();
        }
        assert_eq!(ws.documents[0].meta.title, "讲话稿");
        h.undo(&mut ws).unwrap();
        assert_eq!(
            ws.documents[0].meta.title, "",
            "one step undoes all the typing"
        );
        h.redo(&mut ws).unwrap();
        assert_eq!(ws.documents[0].meta.title, "讲话稿");
        // after a seal, the next edit is a new step
        h.seal();
        let meta = crate::model::DocMeta {
            title: "新".into(),
            ..Default::default()
        };
        h.execute_coalesced(&mut ws, Command::SetDocMeta(id, meta), "title")
            .unwrap();
        h.undo(&mut ws).unwrap();
        assert_eq!(ws.documents[0].meta.title, "讲话稿");
    }

    #[test]
    fn a_new_change_after_undo_clears_redo() {
        let mut ws = Workspace::new();
        let mut h = History::new();
        add(&mut h, &mut ws, "一");
        h.undo(&mut ws).unwrap();
        assert!(h.can_redo());
        add(&mut h, &mut ws, "二");
        assert!(!h.can_redo());
        assert_eq!(ws.documents[0].text, "二");
    }
}
