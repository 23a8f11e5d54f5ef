//! UI flows for annotation on the real app (egui_kittest): tag a selection, see it in the
//! list and in retrieval, undo and redo, delete a tag, revise the text and see the orphan,
//! type a note through an input method.

use std::path::PathBuf;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use yinwen::ui::YinwenApp;

mod common;
use common::{harness, harness_recovering, settle};

/// A speech in a temporary folder, so that tests can revise it.
fn speech(dir: &std::path::Path, text: &str) -> PathBuf {
    let p = dir.join("speech.txt");
    std::fs::write(&p, text).unwrap();
    p
}

const TEXT: &str = "同志们：\n社区建设是城市管理的基础工作。我们要加强社区服务。\n第二段讲党建工作，基层党组织是核心。\n第三段讲民生。\n";

fn select(h: &mut Harness<'static, YinwenApp>, range: std::ops::Range<usize>) {
    let app = h.state_mut();
    let id = app.current.unwrap();
    let v = app.views.get_mut(&id).unwrap();
    v.selection = Some(yinwen::ui::reader::Selection {
        anchor: range.start,
        head: range.end,
    });
    h.run_steps(2);
}

fn add_tag_through_codebook(h: &mut Harness<'static, YinwenApp>, name: &str) {
    h.get_by_label("Codebook").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "New tag:").focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "New tag:")
        .type_text(name);
    h.run_steps(1);
    h.get_by_label("Add tag").click();
    h.run_steps(2);
    let app = h.state();
    assert!(
        app.ws().tags.iter().any(|t| t.name == name),
        "tag not added: field {:?}, notices {:?}",
        app.ann_ui.codebook.new_tag_name,
        app.notices
    );
}

#[test]
fn select_tag_and_retrieve() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![speech(dir.path(), TEXT)]);
    add_tag_through_codebook(&mut h, "社区服务");
    assert_eq!(h.state().ws().tags.len(), 1);
    let tag = h.state().ws().tags[0].id;

    // Select 社区建设 (chars 5..9) and annotate it from the side panel.
    select(&mut h, 5..9);
    h.get_by_label("Annotations").click();
    h.run_steps(2);
    h.get_by_label("Annotate…").click();
    h.run_steps(2);
    assert_eq!(h.state().ws().annotations.len(), 1);
    h.get_by_role_and_label(Role::CheckBox, "社区服务").click();
    h.run_steps(2);
    let ann = &h.state().ws().annotations[0];
    assert_eq!(ann.anchor.quote, "社区建设");
    assert_eq!(ann.tags, vec![tag]);
    // In the list: the quote appears in a card.
    h.get_by_label("社区建设");

    // Retrieval across the workspace.
    h.get_by_label("Retrieve").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::CheckBox, "社区服务").click();
    h.run_steps(2);
    h.get_by_label("1 passage(s)");
    h.get_by_label_contains("【社区建设】");

    // Undo removes the tag from the annotation, undo again the annotation; redo both.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert!(h.state().ws().annotations[0].tags.is_empty());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert!(h.state().ws().annotations.is_empty());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().ws().annotations[0].tags, vec![tag]);
}

#[test]
fn deleting_a_tag_keeps_the_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![speech(dir.path(), TEXT)]);
    add_tag_through_codebook(&mut h, "党建");
    let tag = h.state().ws().tags[0].id;
    select(&mut h, 33..39);
    let id = h
        .state_mut()
        .annotate_selection(vec![tag], "基层党建")
        .unwrap();
    h.run_steps(2);
    h.get_by_label("Codebook").click();
    h.run_steps(2);
    h.get_by_label("党建  (1)").click();
    h.run_steps(2);
    h.get_by_label("Delete tag…").click();
    h.run_steps(2);
    h.get_by_label("Delete").click();
    h.run_steps(2);
    let app = h.state();
    assert!(app.ws().tags.is_empty());
    let ann = app.ws().annotation(id).expect("the annotation stays");
    assert!(ann.tags.is_empty());
    assert_eq!(ann.note, "基层党建");
}

#[test]
fn revising_the_text_moves_annotations_and_shows_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let path = speech(dir.path(), TEXT);
    let mut h = harness(vec![path.clone()]);
    select(&mut h, 5..9); // 社区建设
    let kept = h.state_mut().annotate_selection(vec![], "").unwrap();
    select(&mut h, 44..46); // 民生
    let lost = h.state_mut().annotate_selection(vec![], "会丢失").unwrap();
    let revised = dir.path().join("revised.txt");
    std::fs::write(
        &revised,
        "前言一段。\n同志们：\n社区建设是城市管理的基础工作。\n第二段讲党建工作。\n",
    )
    .unwrap();
    // File → Update text from file…, through the path field.
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Update text from file…").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Path:").focus();
    h.run_steps(1);
    // The field starts with the document's own path: select it all and type over it.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Path:")
        .type_text(&revised.display().to_string());
    h.run_steps(1);
    h.get_by_label("Open file").click();
    settle(&mut h);
    {
        let app = h.state();
        assert!(
            app.ws().documents[0].text.starts_with("前言"),
            "text updated: notices {:?}, dialog open {}",
            app.notices,
            app.dialogs.file.is_some()
        );
        let k = app.ws().annotation(kept).unwrap();
        assert!(!k.orphan);
        assert_eq!(k.anchor.start.0, 11);
        assert_eq!(k.anchor.quote, "社区建设");
        assert!(
            app.ws().annotation(lost).unwrap().orphan,
            "kept as an orphan"
        );
    }
    h.get_by_label("Orphans (1)");
    // Re-attach the orphan to a new selection: 党建 (chars 31..33 of the revised text).
    select(&mut h, 31..33);
    h.get_by_label("Re-attach to selection").click();
    h.run_steps(2);
    let a = h.state().ws().annotation(lost).unwrap().clone();
    assert!(!a.orphan);
    assert_eq!(a.anchor.quote, "党建");
    assert_eq!(a.note, "会丢失");
    // One undo restores the orphan, another the old text with both anchors.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.ws().documents[0].text, TEXT);
    assert!(!app.ws().annotation(lost).unwrap().orphan);
    assert_eq!(app.ws().annotation(kept).unwrap().anchor.start.0, 5);
}

#[test]
fn a_note_typed_through_an_input_method_is_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![speech(dir.path(), TEXT)]);
    select(&mut h, 5..9);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.run_steps(3);
    let id = h.state().ann_ui.selected.expect("new annotation selected");
    // The note field has focus; an IME composes and commits Chinese text.
    h.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: "shequ".into(),
        active_range_chars: None,
    }));
    h.event(egui::Event::Ime(egui::ImeEvent::Commit("社区".into())));
    h.run_steps(2);
    h.event(egui::Event::Ime(egui::ImeEvent::Commit("治理".into())));
    h.run_steps(2);
    assert_eq!(h.state().ws().annotation(id).unwrap().note, "社区治理");
    // Undo takes the whole note back in one step, leaving the annotation.
    h.key_press(egui::Key::Escape);
    h.run_steps(1);
    h.state_mut().undo();
    h.run_steps(1);
    assert_eq!(h.state().ws().annotation(id).unwrap().note, "");
}

#[test]
fn first_launch_opens_the_sample_workspace_with_its_codebook() {
    let mut h = harness(vec![]);
    h.get_by_label("Open the sample speech").click();
    settle(&mut h);
    let app = h.state();
    assert!(app.ws().annotations.len() >= 12);
    assert!(app.ws().tags.iter().any(|t| t.name == "社区服务"));
    assert!(!app.history.is_dirty(), "nothing to save yet");
    // The codebook tab lists tags with their usage counts.
    h.get_by_label("Codebook").click();
    h.run_steps(2);
    h.get_by_label_contains("社区服务  (");
    // Retrieval of a parent tag includes passages tagged with its children.
    let app = h.state_mut();
    let parent = app
        .ws()
        .tags
        .iter()
        .find(|t| t.name == "社区服务")
        .unwrap()
        .id;
    let with_children = app.retrieve(&[parent].into_iter().collect(), false).len();
    let direct = app
        .ws()
        .annotations
        .iter()
        .filter(|a| a.tags.contains(&parent))
        .count();
    assert!(with_children >= direct && with_children > 0);
}

#[test]
fn the_codebook_goes_out_and_comes_back_as_refi_qda() {
    let dir = tempfile::tempdir().unwrap();
    let qdc = dir.path().join("codebook.qdc");
    let mut h = harness(vec![]);
    h.get_by_label("Open the sample speech").click();
    settle(&mut h);
    h.state_mut().export_codebook(&qdc);
    let xml = std::fs::read_to_string(&qdc).unwrap();
    assert!(xml.contains("urn:QDA-XML:codebook:1.0") && xml.contains("社区服务"));
    let paths = |app: &YinwenApp| {
        let mut v: Vec<String> = app
            .ws()
            .tags
            .iter()
            .map(|t| app.ws().tag_path(t.id))
            .collect();
        v.sort();
        v
    };
    let expected = paths(h.state());

    // Into a workspace with one speech and no tags: the same tree, one undo step.
    let mut h2 = harness(vec![speech(dir.path(), TEXT)]);
    h2.state_mut().import_codebook(&qdc);
    h2.run_steps(2);
    assert_eq!(paths(h2.state()), expected);
    // Importing again adds nothing (names already exist at the same level).
    h2.state_mut().import_codebook(&qdc);
    assert_eq!(h2.state().ws().tags.len(), expected.len());
    h2.state_mut().undo();
    assert!(
        h2.state().ws().tags.is_empty(),
        "the import was one undo step"
    );

    // A file that is not a codebook: one message, nothing changed.
    let bad = dir.path().join("bad.qdc");
    std::fs::write(&bad, "<html><body>not a codebook</body></html>").unwrap();
    let before = h2.state().ws().clone();
    h2.state_mut().import_codebook(&bad);
    assert_eq!(*h2.state().ws(), before);
    assert!(
        h2.state()
            .notices
            .iter()
            .any(|n| n.error && n.text.contains("not a REFI-QDA codebook"))
    );
}

#[test]
fn find_counts_hits_and_steps_through_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![speech(dir.path(), TEXT)]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(2);
    assert!(h.state().search.open);
    h.get_by_role(Role::TextInput).type_text("社区");
    h.run_steps(2);
    h.get_by_label("2 hits");
    h.key_press(egui::Key::F3);
    h.run_steps(2);
    h.get_by_label("1 of 2");
    h.key_press(egui::Key::F3);
    h.run_steps(2);
    h.get_by_label("2 of 2");
    let app = h.state();
    let doc = &app.ws().documents[0];
    let v = app.views.get(&doc.id).unwrap();
    assert_eq!(v.selected_text(&doc.text), Some("社区"));
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::F3);
    h.run_steps(2);
    h.get_by_label("1 of 2");
}

#[test]
fn unsaved_work_is_autosaved_and_offered_back_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery.ron");
    let make = harness_recovering;
    let mut h = make(vec![speech(dir.path(), TEXT)], recovery.clone());
    assert!(h.state().history.is_dirty());
    h.state_mut().autosave_now();
    assert!(
        recovery.exists(),
        "unsaved work is written to the recovery file"
    );
    // The process "dies" here: the next start offers the work back.
    drop(h);
    let mut h = make(vec![], recovery.clone());
    h.run_steps(2);
    assert!(h.state().autosave.offer.is_some());
    assert!(!h.state().dialogs.welcome, "the restore offer comes first");
    h.get_by_label("Restore").click();
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.ws().documents.len(), 1);
    assert_eq!(app.ws().documents[0].text, TEXT);
    assert!(app.history.is_dirty(), "restored work is still unsaved");
    // Saving removes the recovery file.
    let ws_file = dir.path().join("saved.ron");
    let ctx = h.ctx.clone();
    assert!(h.state_mut().save_to(&ctx, ws_file.clone()));
    assert!(!recovery.exists());
    assert!(ws_file.exists());
}

/// A revised text that corrects one character inside an annotated passage: the annotation
/// follows it, the Annotations tab shows what it was, and Accept change clears the mark.
#[test]
fn a_corrected_passage_is_followed_and_the_change_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = speech(dir.path(), TEXT);
    let mut h = harness(vec![path.clone()]);
    select(&mut h, 5..19); // 社区建设是城市管理的基础工作
    let id = h.state_mut().annotate_selection(vec![], "要核对").unwrap();
    let revised = dir.path().join("revised.txt");
    std::fs::write(&revised, TEXT.replace("城市管理", "城市治理")).unwrap();
    let ctx = h.ctx.clone();
    let doc = h.state().current.unwrap();
    h.state_mut().finish_file(
        &ctx,
        yinwen::ui::dialogs::FilePurpose::UpdateText(doc),
        revised,
    );
    settle(&mut h);
    let a = h.state().ws().annotation(id).unwrap().clone();
    assert!(!a.orphan, "{:?}", h.state().notices);
    assert_eq!(a.anchor.quote, "社区建设是城市治理的基础工作");
    assert_eq!(
        a.anchor.was.as_deref(),
        Some("社区建设是城市管理的基础工作")
    );
    assert_eq!(a.note, "要核对");
    h.state_mut().ann_ui.selected = Some(id);
    h.run_steps(2);
    // Shown in the list and in the editor.
    assert_eq!(
        h.get_all_by_label_contains("was: 社区建设是城市管理")
            .count(),
        2
    );
    h.get_by_label("Accept change").click();
    h.run_steps(2);
    assert!(h.state().ws().annotation(id).unwrap().anchor.was.is_none());
}
