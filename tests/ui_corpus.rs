//! The corpus desk in the window: a folder opened as grouped documents (one undo step), the
//! documents table with its filter and a new attribute, and the workspace memo.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use yinwen::ui::app::YinwenApp;

mod common;
use common::{dismiss_welcome, harness, menu_item, settle};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// A folder of three speeches in two subfolders (and a file Yinwen does not read).
fn speeches_folder(dir: &Path) -> PathBuf {
    let root = dir.join("讲话汇编");
    std::fs::create_dir_all(root.join("2015")).unwrap();
    std::fs::create_dir_all(root.join("2016")).unwrap();
    std::fs::copy(
        data("xi_2015-06-12_chen_yun_110th_speech.txt"),
        root.join("2015/chen_yun.txt"),
    )
    .unwrap();
    std::fs::copy(
        data("xi_2016-01-18_provincial_study_session_speech.txt"),
        root.join("2016/study.txt"),
    )
    .unwrap();
    std::fs::copy(
        data("xi_2016-09-29_hu_jintao_selected_works_speech.txt"),
        root.join("2016/hu.txt"),
    )
    .unwrap();
    std::fs::write(root.join("2016/目录.xls"), b"\xD0\xCF").unwrap();
    root
}

fn open_desk(h: &mut Harness<'static, YinwenApp>) {
    menu_item(h, "View", "Across documents F9");
    h.run_steps(3);
    assert!(h.state().corpus.open);
}

#[test]
fn a_folder_opens_as_grouped_documents_in_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![speeches_folder(dir.path())]);
    settle(&mut h);
    dismiss_welcome(&mut h);
    let mut groups: Vec<String> = h
        .state()
        .ws()
        .documents
        .iter()
        .map(|d| d.meta.group.clone())
        .collect();
    groups.sort();
    assert_eq!(groups, ["讲话汇编/2015", "讲话汇编/2016", "讲话汇编/2016"]);
    assert!(h.state().current.is_some(), "the first document is shown");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(
        h.state().ws().documents.is_empty(),
        "one undo removes the folder's documents"
    );
}

#[test]
fn the_documents_table_filters_by_group_and_takes_a_new_attribute() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![speeches_folder(dir.path())]);
    settle(&mut h);
    dismiss_welcome(&mut h);
    open_desk(&mut h);
    assert!(h.get_all_by_label("3 of 3 documents").count() >= 1);
    // The group filter: 2015 keeps one document.
    h.get_by(|n| {
        n.role() == egui::accesskit::Role::ComboBox && n.value().as_deref() == Some("All groups")
    })
    .click();
    h.run_steps(2);
    h.get_by_label("  2015").click();
    h.run_steps(3);
    assert!(h.get_all_by_label("1 of 3 documents").count() >= 1);
    // Select the document and add an attribute.
    let title = h
        .state()
        .ws()
        .documents
        .iter()
        .find(|d| d.meta.group.ends_with("2015"))
        .unwrap()
        .display_name();
    // The list on the left and the table both name it: the table's row is the last.
    h.get_all_by_label(&title).last().unwrap().click();
    h.run_steps(3);
    assert!(
        h.state().corpus.selected.is_some(),
        "a click selects the row"
    );
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "New attribute:");
    field.focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "New attribute:")
        .type_text("届次");
    h.run_steps(2);
    h.get_by_label("Add attribute").click();
    h.run_steps(3);
    assert_eq!(h.state().ws().attributes, ["届次"]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().ws().attributes.is_empty());
    // Back to the text.
    h.get_by_label("Back to the text").click();
    h.run_steps(2);
    assert!(!h.state().corpus.open);
}

#[test]
fn the_workspace_memo_is_typed_in_the_memos_tab_and_found_by_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![speeches_folder(dir.path())]);
    settle(&mut h);
    dismiss_welcome(&mut h);
    open_desk(&mut h);
    h.get_by_label("Memos").click();
    h.run_steps(2);
    let memo = || egui::accesskit::Role::MultilineTextInput;
    h.get_by_role(memo()).focus();
    h.run_steps(1);
    h.get_by_role(memo()).type_text("比较三篇讲话的提法");
    h.run_steps(2);
    assert_eq!(h.state().ws().memo, "比较三篇讲话的提法");
    assert!(h.state().history.can_undo());
}
