//! The window and the new readers: a hard-wrapped text opened from the Open dialog is shown
//! with its preview and rejoined; "Reopen with…" keeps the lines instead, and Undo takes that
//! back; a PDF opens like a text.

mod common;
use common::*;

use std::path::PathBuf;

use egui_kittest::kittest::Queryable;

/// The 1997 notice hard-wrapped at 32 chars a line, in a temporary folder.
fn wrapped_file(dir: &std::path::Path) -> (PathBuf, String) {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/formats/short-1997-earthquake.txt"),
    )
    .unwrap();
    let mut text = String::new();
    for line in source.lines().filter(|l| !l.trim().is_empty()) {
        let cs: Vec<char> = line.trim().chars().collect();
        for c in cs.chunks(32) {
            text.extend(c);
            text.push('\n');
        }
    }
    let p = dir.join("复制自PDF.txt");
    std::fs::write(&p, &text).unwrap();
    (p, text)
}

#[test]
fn a_wrapped_text_is_previewed_rejoined_and_can_be_reopened_with_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (path, wrapped) = wrapped_file(dir.path());
    let mut h = harness(vec![]);
    dismiss_welcome(&mut h);
    type_into_open_dialog(&mut h, &path);
    // The preview shows the first paragraphs already rejoined, and says so.
    h.get_by_label_contains("Lines of about 32 characters joined");
    h.get_by_label("Open").click();
    settle(&mut h);
    let text = h.state().ws().documents[0].text.clone();
    assert!(text.lines().count() < wrapped.lines().count() / 2, "{text}");
    assert!(text.contains("为我国经济与社会发展和社会稳定做出贡献。"));

    // File → Reopen with… → keep every line.
    menu_item(&mut h, "File", "Reopen with…");
    assert!(h.state().dialogs.reopen.is_some());
    h.get_by_label("Line breaks").click();
    h.run_steps(2);
    h.get_by_label("keep every line").click();
    h.run_steps(3);
    h.get_by_label("Reopen").click();
    settle(&mut h);
    assert_eq!(
        h.state().ws().documents[0].text.trim_end(),
        wrapped.trim_end()
    );
    // Undo brings the rejoined text back.
    h.state_mut().undo();
    h.run_steps(2);
    assert_eq!(h.state().ws().documents[0].text, text);
}

#[test]
fn a_pdf_on_the_command_line_opens_as_a_speech() {
    let pdf = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats/stsong-unigb.pdf");
    let mut h = harness(vec![pdf]);
    dismiss_welcome(&mut h);
    let app = h.state();
    assert_eq!(app.ws().documents.len(), 1);
    assert_eq!(app.ws().documents[0].origin.encoding, "PDF");
    assert!(
        app.ws().documents[0]
            .text
            .starts_with("市社区建设工作会议讲话\n同志们：")
    );
}
