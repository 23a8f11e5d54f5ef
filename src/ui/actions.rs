//! The one list of user actions: each has a label, a shortcut and a menu. Menus, keyboard
//! handling and the Help → Keyboard shortcuts window are all built from [`Action::ALL`].

use egui::{Key, KeyboardShortcut, Modifiers};

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

/// Something the user can ask for from a menu or a shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open speeches or a workspace (path field, system dialog, recent files).
    Open,
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
    /// Every action, in menu order.
    pub const ALL: [Action; 28] = [
        Action::Open,
        Action::OpenSample,
        Action::OpenVerificationSample,
        Action::ReopenWithEncoding,
        Action::UpdateText,
        Action::CloseDocument,
        Action::Save,
        Action::SaveAs,
        Action::Export,
        Action::Quit,
        Action::Undo,
        Action::Redo,
        Action::Copy,
        Action::SelectAll,
        Action::Highlight,
        Action::Annotate,
        Action::DeleteAnnotation,
        Action::Find,
        Action::FindNext,
        Action::FindPrevious,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomReset,
        Action::ToggleTheme,
        Action::ToggleDocumentList,
        Action::ToggleSidePanel,
        Action::Shortcuts,
        Action::About,
    ];

    /// The menu entry's text.
    pub fn label(self) -> &'static str {
        match self {
            Action::Open => "Open…",
            Action::OpenSample => "Open sample speech",
            Action::OpenVerificationSample => "Open verification exercise",
            Action::ReopenWithEncoding => "Reopen with encoding…",
            Action::CloseDocument => "Close document",
            Action::Save => "Save workspace",
            Action::SaveAs => "Save workspace as…",
            Action::Export => "Export…",
            Action::Quit => "Quit",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Copy => "Copy",
            Action::Highlight => "Highlight selection",
            Action::Annotate => "Annotate selection…",
            Action::DeleteAnnotation => "Delete annotation",
            Action::Find => "Find…",
            Action::FindNext => "Find next",
            Action::FindPrevious => "Find previous",
            Action::UpdateText => "Update text from file…",
            Action::ToggleSidePanel => "Side panel",
            Action::SelectAll => "Select all",
            Action::ZoomIn => "Larger text",
            Action::ZoomOut => "Smaller text",
            Action::ZoomReset => "Default text size",
            Action::ToggleTheme => "Light / dark theme",
            Action::ToggleDocumentList => "Document list",
            Action::Shortcuts => "Keyboard shortcuts",
            Action::About => "About Yinwen",
        }
    }

    /// A one-line explanation, shown as the menu entry's tooltip.
    pub fn tooltip(self) -> &'static str {
        match self {
            Action::Open => {
                "Open speeches (.txt in UTF-8, GB18030/GBK, Big5, UTF-16; .docx) or a workspace (.ron)"
            }
            Action::OpenSample => {
                "Open the 2007 Changchun community-building speech that ships with Yinwen"
            }
            Action::OpenVerificationSample => {
                "A constructed memo quoting the 17th and 19th Congress reports, verified against their full texts: every verification status appears"
            }
            Action::ReopenWithEncoding => {
                "Decode the current document's file again with an encoding you choose, with a preview"
            }
            Action::CloseDocument => {
                "Remove the current document from the workspace (undo brings it back)"
            }
            Action::Save => "Write the workspace to its .ron file",
            Action::SaveAs => "Write the workspace to a new .ron file",
            Action::Export => {
                "An annotated copy (HTML, Word with comments, Markdown) or a table (CSV, Excel)"
            }
            Action::Quit => "Close Yinwen (asks first if there are unsaved changes)",
            Action::Undo => "Undo the last change to the workspace",
            Action::Redo => "Redo the last undone change",
            Action::Copy => "Copy the selected text",
            Action::Highlight => "Mark the selected passage with the current colour",
            Action::Annotate => "Mark the selected passage and write a note with tags",
            Action::DeleteAnnotation => "Delete the selected annotation (undo brings it back)",
            Action::Find => "Search this document or every document of the workspace",
            Action::FindNext => "Go to the next search hit",
            Action::FindPrevious => "Go to the previous search hit",
            Action::UpdateText => {
                "Replace the text with a revised file; annotations follow their passages or become orphans"
            }
            Action::ToggleSidePanel => "Show or hide annotations, codebook, retrieval and details",
            Action::SelectAll => "Select the whole document",
            Action::ZoomIn => "Make the document text larger",
            Action::ZoomOut => "Make the document text smaller",
            Action::ZoomReset => "Reset the document text size",
            Action::ToggleTheme => "Switch between the light and the dark theme",
            Action::ToggleDocumentList => "Show or hide the list of open documents",
            Action::Shortcuts => "List every keyboard shortcut",
            Action::About => "Version, licence and font notice",
        }
    }

    /// The menu it belongs to.
    pub fn menu(self) -> Menu {
        match self {
            Action::Open
            | Action::OpenSample
            | Action::OpenVerificationSample
            | Action::ReopenWithEncoding
            | Action::CloseDocument
            | Action::Save
            | Action::SaveAs
            | Action::Export
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
            | Action::FindPrevious => Menu::Edit,
            Action::ToggleSidePanel => Menu::View,
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
            Action::Open => const { &[k(CMD, Key::O)] },
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
            // Copy arrives as egui's Copy event (Ctrl+C or the platform's own key).
            Action::Copy => const { &[k(CMD, Key::C)] },
            Action::OpenSample
            | Action::OpenVerificationSample
            | Action::ReopenWithEncoding
            | Action::ToggleTheme
            | Action::ToggleDocumentList
            | Action::UpdateText
            | Action::About => &[],
        }
    }

    /// Whether the shortcut is handled by [`Action::ALL`]'s key loop (Copy comes as an event).
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
        for a in Action::ALL {
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
    fn every_action_has_a_label_and_tooltip() {
        for a in Action::ALL {
            assert!(!a.label().is_empty());
            assert!(!a.tooltip().is_empty());
        }
    }
}
