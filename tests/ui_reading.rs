//! UI tests on the real app with egui_kittest: opening speeches by every door, the reading
//! view, selection and copy, undo, the first-launch offer.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use yinwen::model::segment_paragraphs;

mod common;
use common::{dismiss_welcome, harness, harness_with, settle, type_into_open_dialog};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn seed_path() -> PathBuf {
    data("sample_data/changchun-community-2007.txt")
}

#[test]
fn a_command_line_path_shows_the_speech_with_its_paragraph_count() {
    let mut h = harness(vec![seed_path()]);
    let text = std::fs::read_to_string(seed_path()).unwrap();
    let expected = segment_paragraphs(&text).len();
    assert!(expected >= 10);
    let app = h.state();
    assert_eq!(app.ws().documents.len(), 1);
    assert_eq!(app.ws().documents[0].text, text.replace("\r\n", "\n"));
    h.get_by_label(&format!("{expected} paragraphs"));
    h.get_by_label("UTF-8");
    // The first paragraphs are drawn, numbered from 1.
    let visible = &h.state().views.values().next().unwrap().visible;
    assert_eq!(visible.first().map(|v| v.0), Some(0));
    assert!(
        visible.len() >= 3,
        "several paragraphs in view: {visible:?}"
    );
    h.state_mut().views.clear(); // views are derived state: rebuilt on the next frame
    h.run_steps(2);
    assert!(!h.state().views.is_empty());
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_gbk_file_opens_like_a_command_line_path() {
    let gbk = data("tests/data/cpc17_report_2007_hu_jintao.gbk.txt");
    let mut h = harness(vec![]);
    dismiss_welcome(&mut h);
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(gbk.clone())));
    settle(&mut h);
    let twin = std::fs::read_to_string(data("tests/data/cpc17_report_2007_hu_jintao.txt")).unwrap();
    let app = h.state();
    assert_eq!(app.ws().documents.len(), 1);
    assert_eq!(app.ws().documents[0].text, twin);
    assert!(app.ws().documents[0].origin.encoding.starts_with("GB"));
    let n = segment_paragraphs(&twin).len();
    h.get_by_label(&format!("{n} paragraphs"));
    // Dropping the same file again does not duplicate it.
    h.input_mut().dropped_files.push(Arc::new(Dropped(gbk)));
    settle(&mut h);
    assert_eq!(h.state().ws().documents.len(), 1);
}

#[test]
fn dragging_selects_across_paragraphs_and_copy_yields_the_text() {
    let mut h = harness(vec![seed_path()]);
    let (r0, r1) = {
        let v = h.state().views.values().next().unwrap();
        (v.visible[1].1, v.visible[2].1)
    };
    // From just inside the start of paragraph 2 to the middle of paragraph 3's first row.
    let from = r0.left_top() + egui::vec2(2.0, 6.0);
    let to = egui::pos2(r1.center().x, r1.top() + 6.0);
    h.drag_at(from);
    h.run_steps(1);
    h.hover_at(egui::pos2(from.x + 40.0, from.y + 20.0));
    h.run_steps(1);
    h.drop_at(to);
    h.run_steps(2);
    let (sel_text, starts_para, ends_para) = {
        let app = h.state();
        let doc = &app.ws().documents[0];
        let v = app.views.get(&doc.id).unwrap();
        let sel = v.selection.expect("a selection");
        let r = sel.range();
        (
            v.selected_text(&doc.text).map(str::to_string),
            v.paragraph_at(r.start),
            v.paragraph_at(r.end),
        )
    };
    let sel_text = sel_text.expect("non-empty selection");
    assert_eq!(starts_para, 1);
    assert_eq!(ends_para, 2);
    assert!(
        sel_text.contains('\n'),
        "spans a paragraph break: {sel_text}"
    );
    assert!(sel_text.starts_with("同志们：\n长春市"), "{sel_text}");
    h.get_by_label_contains("Selected ");

    h.event(egui::Event::Copy);
    h.step();
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, vec![sel_text]);
}

#[test]
fn the_path_field_opens_a_file_and_remembers_it() {
    let mut h = harness(vec![]);
    dismiss_welcome(&mut h);
    let big5 = {
        let dir = std::env::temp_dir().join(format!("yinwen-ui-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("繁體.txt");
        let text = "中華民國政府發表聲明，強調兩岸關係應當和平發展。\n這是第二段文字，說明相關政策的內容與意義。\n";
        let (bytes, _, _) = encoding_rs::BIG5.encode(text);
        std::fs::write(&p, &bytes).unwrap();
        p
    };
    type_into_open_dialog(&mut h, &big5);
    h.get_by_label_contains("Preview of the first paragraphs (Big5)");
    h.get_by_label("Open").click();
    settle(&mut h);
    let app = h.state();
    let notes: Vec<&str> = app.notices.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(app.ws().documents.len(), 1, "{notes:?}");
    assert!(app.ws().documents[0].text.starts_with("中華民國政府"));
    assert_eq!(app.ws().documents[0].origin.encoding, "Big5");
    assert!(app.dialogs.open.is_none());
    assert!(app.settings.recent_files[0].ends_with("繁體.txt"));
}

#[test]
fn bad_files_give_one_message_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let broken_ws = dir.path().join("broken.ron");
    std::fs::write(
        &broken_ws,
        "(format: \"yinwen\", version: 1, documents: [(id: ",
    )
    .unwrap();
    let mut h = harness(vec![seed_path()]);
    let before = h.state().ws().clone();
    // Opening a workspace over unsaved changes asks first; here there are none.
    h.state_mut().history.mark_saved();
    let ctx = h.ctx.clone();
    h.state_mut().open_paths(&ctx, vec![empty.clone()]);
    settle(&mut h);
    h.state_mut().open_paths(&ctx, vec![broken_ws.clone()]);
    settle(&mut h);
    let app = h.state();
    assert_eq!(*app.ws(), before, "the workspace is unchanged");
    let errors: Vec<&str> = app
        .notices
        .iter()
        .filter(|n| n.error)
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("empty"), "{errors:?}");
    assert!(errors[1].contains("line 1"), "{errors:?}");
    assert_eq!(
        std::fs::read_to_string(&broken_ws).unwrap(),
        "(format: \"yinwen\", version: 1, documents: [(id: "
    );
    h.get_by_label_contains("line 1");
}

#[test]
fn closing_a_document_is_undone_with_ctrl_z_and_marks_unsaved() {
    let mut h = harness(vec![seed_path()]);
    assert!(h.state().history.is_dirty());
    h.state_mut().history.mark_saved();
    h.run_steps(1);
    assert!(!h.state().window_title().contains('•'));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W);
    h.run_steps(2);
    assert!(h.state().ws().documents.is_empty());
    assert!(h.state().window_title().contains('•'));
    h.get_by_label("No document open");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().ws().documents.len(), 1);
    assert!(
        !h.state().window_title().contains('•'),
        "undo back to the saved state"
    );
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_steps(2);
    assert!(h.state().ws().documents.is_empty(), "redo");
}

#[test]
fn first_launch_offers_the_sample_speech() {
    let mut h = harness(vec![]);
    assert!(h.state().dialogs.welcome);
    h.get_by_label("Open the sample speech").click();
    settle(&mut h);
    let app = h.state();
    assert!(!app.dialogs.welcome);
    assert!(app.settings.welcomed);
    assert_eq!(app.ws().documents.len(), 1);
    assert!(
        app.ws().documents[0]
            .text
            .starts_with("市社区建设工作会议讲话")
    );
}

#[test]
fn zoom_changes_the_text_size_and_select_all_copies_everything() {
    let mut h = harness(vec![seed_path()]);
    let size = h.state().settings.text_size;
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Plus);
    h.run_steps(2);
    assert!(h.state().settings.text_size > size);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    h.run_steps(2);
    assert_eq!(h.state().settings.text_size, size);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    let app = h.state();
    let doc = &app.ws().documents[0];
    let v = app.views.get(&doc.id).unwrap();
    assert_eq!(v.selected_text(&doc.text), Some(doc.text.as_str()));
}

#[test]
fn characters_no_font_has_are_counted_in_the_status_bar() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rare.txt");
    // U+2FFFD is unassigned: no font anywhere draws it, so the count is certain.
    std::fs::write(&p, "普通的中文文字。\u{2FFFD}和\u{2FFFD}。\n").unwrap();
    // The harness panics on tofu unless told the test draws it on purpose.
    let mut h = harness_with(Harness::builder().allow_missing_glyphs(), vec![p]);
    for _ in 0..200 {
        settle(&mut h);
        if h.state().unshowable_in_current().0 > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(h.state().unshowable_in_current().0, 2);
    h.run_steps(2);
    h.get_by_label("2 characters cannot be shown");
}
