//! The window's modal dialogs in one list. While any of them is open, keyboard shortcuts do
//! nothing: the dialog has the keys, and nothing changes the workspace behind it.

use super::app::YinwenApp;

/// A modal dialog of the window. Every modal dialog is listed here, and
/// [`YinwenApp::is_modal_open`] says (with a total `match`) when each one is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum Modal {
    /// The in-window file dialogs (open, save as, a file for a purpose, reopen with another
    /// encoding), the first-launch welcome and the "save first?" question.
    FileOrQuestion,
    /// The export dialog.
    Export,
    /// The offer to restore unsaved work after a crash.
    Recovery,
    /// The review of a merge's conflicts.
    MergeReview,
    /// The workspace file changed on disk while open.
    ChangedOnDisk,
    /// The workspace file is in use by someone else.
    InUse,
    /// The preview of a cut (Problems list).
    CutPreview,
    /// The Link chooser of the Directive table.
    LinkChooser,
    /// The offer of an existing source instead of a new one.
    OfferExistingSource,
}

impl Modal {
    /// Every modal dialog.
    pub fn all() -> impl Iterator<Item = Modal> {
        <Modal as strum::IntoEnumIterator>::iter()
    }
}

impl YinwenApp {
    /// Whether dialog `m` is open.
    pub fn is_modal_open(&self, m: Modal) -> bool {
        match m {
            Modal::FileOrQuestion => self.dialogs.any_open(),
            Modal::Export => self.export_dialog.is_some(),
            Modal::Recovery => self.autosave.offer.is_some(),
            Modal::MergeReview => self.merge_review.is_some(),
            Modal::ChangedOnDisk => self.shared.conflict.is_some(),
            Modal::InUse => self.shared.lock_warning.is_some(),
            Modal::CutPreview => self.review.problems.cut.is_some(),
            Modal::LinkChooser => self.review.table.link_for.is_some(),
            Modal::OfferExistingSource => self.dir_ui.offer_existing.is_some(),
        }
    }

    /// The first open modal dialog, if any: the shortcut handler asks this first.
    pub fn open_modal(&self) -> Option<Modal> {
        Modal::all().find(|m| self.is_modal_open(*m))
    }

    /// Whether any modal dialog is open.
    pub fn modal_open(&self) -> bool {
        self.open_modal().is_some()
    }
}
