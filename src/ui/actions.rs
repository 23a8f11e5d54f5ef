//! The one list of user actions: each has a label, a shortcut and a menu. Menus, keyboard
//! handling and the Help → Keyboard shortcuts window are all built from [`Action::all`].

use egui::{Key, KeyboardShortcut, Modifiers};

use super::i18n::tr;

/// Top-level menus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// File menu.
    File,
    /// Edit menu.
    Edit,
    /// View menu.
    View,
    /// Help menu.
    Help,
}

impl Menu {
    /// Every menu, in menu-bar order.
    pub const ALL: [Menu; 4] = [Menu::File, Menu::Edit, Menu::View, Menu::Help];

    /// The menu's title in the menu bar, in the current language.
    pub fn title(self) -> String {
        match self {
            Menu::File => tr!("menu.file"),
            Menu::Edit => tr!("menu.edit"),
            Menu::View => tr!("menu.view"),
            Menu::Help => tr!("menu.help"),
        }
    }
}

/// Something the user can ask for from a menu or a shortcut. The variants are in menu order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum Action {
    /// Start an empty workspace.
    NewWorkspace,
    /// Open speeches or a workspace (path field, system dialog, recent files).
    Open,
    /// Import every readable file of a folder (and its subfolders) into groups.
    OpenFolder,
    /// Open the bundled sample speech.
    OpenSample,
    /// Open the verification exercise (a memo quoting two reports, with their texts).
    OpenVerificationSample,
    /// Reopen the current document's file with another encoding.
    ReopenWithEncoding,
    /// Remove the current document from the workspace.
    CloseDocument,
    /// Save the workspace.
    Save,
    /// Save the workspace under a new name.
    SaveAs,
    /// Export an annotated copy or a table.
    Export,
    /// Quit.
    Quit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Copy the selection.
    Copy,
    /// Highlight the selection.
    Highlight,
    /// Highlight the selection and write a note.
    Annotate,
    /// Delete the selected annotation.
    DeleteAnnotation,
    /// Find in the document or workspace.
    Find,
    /// Next search hit.
    FindNext,
    /// Previous search hit.
    FindPrevious,
    /// Replace the document's text with a revised file, re-anchoring annotations.
    UpdateText,
    /// Show or hide the side panel.
    ToggleSidePanel,
    /// Show the Problems list under the text (or hide it when it is shown).
    ShowProblems,
    /// Show the Directive table under the text and give it the keys.
    ShowDirectiveTable,
    /// Show the documents of the whole workspace: their table, the directive register,
    /// the code matrices and the memos, in place of the text (again: back to the text).
    ShowCorpus,
    /// Select the whole document.
    SelectAll,
    /// Larger text.
    ZoomIn,
    /// Smaller text.
    ZoomOut,
    /// Default text size.
    ZoomReset,
    /// Switch between light and dark.
    ToggleTheme,
    /// Show or hide the document list.
    ToggleDocumentList,
    /// Merge a colleague's workspace into this one.
    MergeWorkspace,
    /// Verify every directive linked to a source with text.
    VerifyAll,
    /// List every shortcut.
    Shortcuts,
    /// Version and licences.
    About,
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Action {
    /// Every action, in menu order (the order of the enum: derived, so none is left out).
    pub fn all() -> impl Iterator<Item = Action> {
        <Action as strum::IntoEnumIterator>::iter()
    }

    /// The menu entry's text, in the current language.
    pub fn label(self) -> String {
        match self {
            Action::NewWorkspace => tr!("action.new_workspace"),
            Action::ShowProblems => tr!("action.show_problems"),
            Action::ShowDirectiveTable => tr!("action.show_directive_table"),
            Action::Open => tr!("action.open"),
            Action::OpenFolder => tr!("action.open_folder"),
            Action::ShowCorpus => tr!("action.show_corpus"),
            Action::OpenSample => tr!("action.open_sample"),
            Action::OpenVerificationSample => tr!("action.open_verification_sample"),
            Action::ReopenWithEncoding => tr!("action.reopen_with_encoding"),
            Action::CloseDocument => tr!("action.close_document"),
            Action::Save => tr!("action.save"),
            Action::SaveAs => tr!("action.save_as"),
            Action::Export => tr!("action.export"),
            Action::Quit => tr!("action.quit"),
            Action::Undo => tr!("action.undo"),
            Action::Redo => tr!("action.redo"),
            Action::Copy => tr!("action.copy"),
            Action::Highlight => tr!("action.highlight"),
            Action::Annotate => tr!("action.annotate"),
            Action::DeleteAnnotation => tr!("action.delete_annotation"),
            Action::Find => tr!("action.find"),
            Action::FindNext => tr!("action.find_next"),
            Action::FindPrevious => tr!("action.find_previous"),
            Action::UpdateText => tr!("action.update_text"),
            Action::ToggleSidePanel => tr!("action.toggle_side_panel"),
            Action::SelectAll => tr!("action.select_all"),
            Action::ZoomIn => tr!("action.zoom_in"),
            Action::ZoomOut => tr!("action.zoom_out"),
            Action::ZoomReset => tr!("action.zoom_reset"),
            Action::ToggleTheme => tr!("action.toggle_theme"),
            Action::ToggleDocumentList => tr!("action.toggle_document_list"),
            Action::MergeWorkspace => tr!("action.merge_workspace"),
            Action::VerifyAll => tr!("action.verify_all"),
            Action::Shortcuts => tr!("action.shortcuts"),
            Action::About => tr!("action.about"),
        }
    }

    /// A one-line explanation, shown as the menu entry's tooltip.
    pub fn tooltip(self) -> String {
        match self {
            Action::NewWorkspace => tr!("action.new_workspace_tip"),
            Action::ShowProblems => tr!("action.show_problems_tip"),
            Action::ShowDirectiveTable => tr!("action.show_directive_table_tip"),
            Action::Open => tr!("action.open_tip"),
            Action::OpenFolder => tr!("action.open_folder_tip"),
            Action::ShowCorpus => tr!("action.show_corpus_tip"),
            Action::OpenSample => tr!("action.open_sample_tip"),
            Action::OpenVerificationSample => tr!("action.open_verification_sample_tip"),
            Action::ReopenWithEncoding => tr!("action.reopen_with_encoding_tip"),
            Action::CloseDocument => tr!("action.close_document_tip"),
            Action::Save => tr!("action.save_tip"),
            Action::SaveAs => tr!("action.save_as_tip"),
            Action::Export => tr!("action.export_tip"),
            Action::Quit => tr!("action.quit_tip"),
            Action::Undo => tr!("action.undo_tip"),
            Action::Redo => tr!("action.redo_tip"),
            Action::Copy => tr!("action.copy_tip"),
            Action::Highlight => tr!("action.highlight_tip"),
            Action::Annotate => tr!("action.annotate_tip"),
            Action::DeleteAnnotation => tr!("action.delete_annotation_tip"),
            Action::Find => tr!("action.find_tip"),
            Action::FindNext => tr!("action.find_next_tip"),
            Action::FindPrevious => tr!("action.find_previous_tip"),
            Action::UpdateText => tr!("action.update_text_tip"),
            Action::ToggleSidePanel => tr!("action.toggle_side_panel_tip"),
            Action::SelectAll => tr!("action.select_all_tip"),
            Action::ZoomIn => tr!("action.zoom_in_tip"),
            Action::ZoomOut => tr!("action.zoom_out_tip"),
            Action::ZoomReset => tr!("action.zoom_reset_tip"),
            Action::ToggleTheme => tr!("action.toggle_theme_tip"),
            Action::ToggleDocumentList => tr!("action.toggle_document_list_tip"),
            Action::MergeWorkspace => tr!("action.merge_workspace_tip"),
            Action::VerifyAll => tr!("action.verify_all_tip"),
            Action::Shortcuts => tr!("action.shortcuts_tip"),
            Action::About => tr!("action.about_tip"),
        }
    }

    /// The menu it belongs to.
    pub fn menu(self) -> Menu {
        match self {
            Action::NewWorkspace
            | Action::Open
            | Action::OpenFolder
            | Action::OpenSample
            | Action::OpenVerificationSample
            | Action::ReopenWithEncoding
            | Action::CloseDocument
            | Action::Save
            | Action::SaveAs
            | Action::Export
            | Action::MergeWorkspace
            | Action::Quit => Menu::File,
            Action::UpdateText => Menu::File,
            Action::Undo
            | Action::Redo
            | Action::Copy
            | Action::SelectAll
            | Action::Highlight
            | Action::Annotate
            | Action::DeleteAnnotation
            | Action::Find
            | Action::FindNext
            | Action::FindPrevious
            | Action::VerifyAll => Menu::Edit,
            Action::ToggleSidePanel
            | Action::ShowProblems
            | Action::ShowDirectiveTable
            | Action::ShowCorpus => Menu::View,
            Action::ZoomIn
            | Action::ZoomOut
            | Action::ZoomReset
            | Action::ToggleTheme
            | Action::ToggleDocumentList => Menu::View,
            Action::Shortcuts | Action::About => Menu::Help,
        }
    }

    /// Keyboard shortcuts; the first is shown in menus.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const fn k(m: Modifiers, key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(m, key)
        }
        match self {
            Action::NewWorkspace => const { &[k(CMD, Key::N)] },
            Action::ShowProblems => const { &[k(Modifiers::NONE, Key::F8)] },
            Action::ShowDirectiveTable => const { &[k(CMD_SHIFT, Key::D)] },
            Action::Open => const { &[k(CMD, Key::O)] },
            Action::OpenFolder => const { &[k(CMD_SHIFT, Key::O)] },
            Action::ShowCorpus => const { &[k(Modifiers::NONE, Key::F9)] },
            Action::Save => const { &[k(CMD, Key::S)] },
            Action::SaveAs => const { &[k(CMD_SHIFT, Key::S)] },
            Action::Export => const { &[k(CMD_SHIFT, Key::E)] },
            Action::CloseDocument => const { &[k(CMD, Key::W)] },
            Action::Quit => const { &[k(CMD, Key::Q)] },
            Action::Undo => const { &[k(CMD, Key::Z)] },
            Action::Redo => const { &[k(CMD_SHIFT, Key::Z), k(CMD, Key::Y)] },
            Action::SelectAll => const { &[k(CMD, Key::A)] },
            Action::ZoomIn => const { &[k(CMD, Key::Plus), k(CMD, Key::Equals)] },
            Action::ZoomOut => const { &[k(CMD, Key::Minus)] },
            Action::ZoomReset => const { &[k(CMD, Key::Num0)] },
            Action::Shortcuts => const { &[k(Modifiers::NONE, Key::F1)] },
            Action::Highlight => const { &[k(CMD, Key::H)] },
            Action::Annotate => const { &[k(CMD, Key::E)] },
            Action::DeleteAnnotation => const { &[k(Modifiers::NONE, Key::Delete)] },
            Action::Find => const { &[k(CMD, Key::F)] },
            Action::FindNext => const { &[k(Modifiers::NONE, Key::F3)] },
            Action::FindPrevious => const { &[k(Modifiers::SHIFT, Key::F3)] },
            Action::ToggleSidePanel => const { &[k(CMD, Key::B)] },
            // F7 checks spelling in word processors; here it checks quotations.
            Action::VerifyAll => const { &[k(Modifiers::NONE, Key::F7)] },
            // Copy arrives as egui's Copy event (Ctrl+C or the platform's own key).
            Action::Copy => const { &[k(CMD, Key::C)] },
            Action::OpenSample
            | Action::OpenVerificationSample
            | Action::ReopenWithEncoding
            | Action::ToggleTheme
            | Action::ToggleDocumentList
            | Action::UpdateText
            | Action::MergeWorkspace
            | Action::About => &[],
        }
    }

    /// Whether the shortcut is handled by [`Action::all`]'s key loop (Copy comes as an event).
    pub fn handled_as_key(self) -> bool {
        self != Action::Copy
    }

    /// The first shortcut as text, e.g. "Ctrl+Shift+S".
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcuts().first().map(|s| ctx.format_shortcut(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut seen = Vec::new();
        for a in Action::all() {
            for s in a.shortcuts() {
                assert!(
                    !seen.contains(s),
                    "{:?} reuses a shortcut {:?}",
                    a,
                    s.logical_key
                );
                seen.push(*s);
            }
        }
    }

    #[test]
    fn every_action_has_a_label_and_tooltip_in_each_language() {
        for lang in crate::ui::i18n::Language::ALL {
            crate::ui::i18n::set_current(lang);
            for a in Action::all() {
                assert!(!a.label().is_empty() && !a.label().starts_with("action."));
                assert!(!a.tooltip().is_empty() && !a.tooltip().starts_with("action."));
            }
        }
        crate::ui::i18n::set_current(crate::ui::i18n::Language::English);
    }
}
