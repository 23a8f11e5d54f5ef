//! Decisions in the window are workspace data: a rejected candidate is undone with Ctrl+Z
//! (also while the Directive table has the keys), saved and restored from the Rejected list;
//! and no shortcut acts behind a modal dialog.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use yinwen::ui::app::YinwenApp;
use yinwen::ui::modal::Modal;
use yinwen::ui::review::{ReviewTab, RowKey, Show};

mod common;
use common::{dismiss_welcome, harness, settle};

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/changchun-community-2007.txt")
}

/// Opens the Directive table with the keys (Ctrl+Shift+D).
fn open_table(h: &mut Harness<'static, YinwenApp>) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    h.run_steps(3);
    assert_eq!(h.state().review.tab, ReviewTab::Directives);
}

/// Whether a widget that is not a text field has the keyboard (the Directive table).
fn table_has_keys(h: &Harness<'static, YinwenApp>) -> bool {
    h.ctx.memory(|m| m.focused().is_some()) && !h.ctx.text_edit_focused()
}

#[test]
fn a_rejection_is_undone_with_the_table_focused_saved_and_restored() {
    let mut h = harness(vec![seed()]);
    dismiss_welcome(&mut h);
    open_table(&mut h);
    h.get_by_label_contains("Directive table (6)");
    // ↓ selects the first candidate, R rejects it: it leaves the table.
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    let Some(RowKey::Candidate(doc, s, e)) = h.state().review.table.selected.clone() else {
        panic!("a candidate is selected")
    };
    h.key_press(Key::R);
    h.run_steps(3);
    assert!(h.state().ws().is_rejected(doc, s, e));
    h.get_by_label_contains("Directive table (5)");
    assert!(h.state().history.is_dirty(), "a rejection is a change");
    // Ctrl+Z while the table still has the keys: the candidate is back.
    assert!(table_has_keys(&h), "the table has the keyboard");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(!h.state().ws().is_rejected(doc, s, e), "undone");
    h.get_by_label_contains("Directive table (6)");
    // Ctrl+Shift+Z and Ctrl+Y redo it.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(3);
    assert!(h.state().ws().is_rejected(doc, s, e), "redone");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(3);
    assert!(h.state().ws().is_rejected(doc, s, e), "redone with Ctrl+Y");

    // Saved and opened again: still rejected, listed under Rejected, and restored from there.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("decisions.ron");
    let ctx = h.ctx.clone();
    assert!(h.state_mut().save_to(&ctx, file.clone()));
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("version: 5,") && saved.contains("rejections:"));
    let mut h = harness(vec![file]);
    dismiss_welcome(&mut h);
    let doc = h.state().current.expect("the speech is open");
    assert!(h.state().ws().is_rejected(doc, s, e), "kept in the file");
    open_table(&mut h);
    h.get_by_label_contains("Directive table (5)");
    h.state_mut().review.table.show = Show::Rejected;
    h.run_steps(2);
    h.get_by_label_contains("× rejected");
    h.state_mut().review.table.selected = Some(RowKey::Rejected(doc, s, e, false));
    h.state_mut().review.table.focus = true;
    h.run_steps(2);
    h.get_by_label("Restore").click();
    h.run_steps(3);
    assert!(!h.state().ws().is_rejected(doc, s, e), "restored");
    assert!(h.state().ws().rejections.is_empty());
    h.get_by_label_contains("Directive table (6)");
    // U restores too, and Ctrl+Z takes a restore back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(h.state().ws().is_rejected(doc, s, e), "the restore undone");
    h.state_mut().review.table.selected = Some(RowKey::Rejected(doc, s, e, false));
    h.state_mut().review.table.focus = true;
    h.run_steps(2);
    h.key_press(Key::U);
    h.run_steps(3);
    assert!(!h.state().ws().is_rejected(doc, s, e), "restored with U");
}

#[test]
fn no_shortcut_acts_behind_a_modal_dialog() {
    let mut h = harness(vec![seed()]);
    dismiss_welcome(&mut h);
    open_table(&mut h);
    // Accept the first candidate (an undoable change), then reject the next one.
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    h.key_press(Key::A);
    h.run_steps(3);
    let accepted = h
        .state()
        .ws()
        .annotations
        .iter()
        .find(|a| a.directive.is_some())
        .map(|a| a.id)
        .expect("accepted");
    let doc = h.state().current.unwrap();
    for modal in Modal::all() {
        // The three dialogs the window's own views open.
        match modal {
            Modal::LinkChooser => h.state_mut().review.table.link_for = Some(accepted),
            Modal::CutPreview => h.state_mut().review.problems.cut = Some((doc, 0..4)),
            Modal::OfferExistingSource => {
                let src = yinwen::model::Source {
                    title: "关于加强和改进社区服务工作的意见".into(),
                    ..Default::default()
                };
                h.state_mut()
                    .execute(yinwen::model::Command::AddSource(Box::new(src)));
                let id = h.state().ws().sources[0].id;
                h.state_mut().dir_ui.offer_existing = Some((accepted, id));
            }
            _ => continue,
        }
        h.run_steps(2);
        assert_eq!(h.state().open_modal(), Some(modal));
        // Nothing has the focus: the keys would go to the window's shortcuts.
        h.ctx.memory_mut(|m| m.stop_text_input());
        h.run_steps(1);
        let before = h.state().ws().clone();
        let undo_label = h.state().history.undo_label();
        // Close document, undo, redo, delete, the table's own keys: nothing changes.
        h.key_press_modifiers(Modifiers::COMMAND, Key::W);
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        h.key_press(Key::Delete);
        h.key_press(Key::R);
        h.key_press(Key::A);
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
        h.run_steps(3);
        assert_eq!(
            *h.state().ws(),
            before,
            "{modal:?}: the workspace is unchanged"
        );
        assert_eq!(h.state().history.undo_label(), undo_label, "{modal:?}");
        // Close it.
        h.state_mut().review.table.link_for = None;
        h.state_mut().review.problems.cut = None;
        h.state_mut().dir_ui.offer_existing = None;
        h.run_steps(2);
    }
    // With no dialog open, Ctrl+Z works again.
    assert_eq!(h.state().open_modal(), None);
    let before = h.state().ws().clone();
    h.state_mut().review.table.focus = true;
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_ne!(*h.state().ws(), before);
    settle(&mut h);
}
