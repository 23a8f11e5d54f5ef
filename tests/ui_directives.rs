//! Quoted directives in the window: accept candidates, create and link a source, import its
//! text, verify, and undo — on the seed speech.

use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use yinwen::model::VerifyStatus;

mod common;
use common::{harness, settle};

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/changchun-community-2007.txt")
}

#[test]
fn accept_link_import_and_verify() {
    let mut h = harness(vec![seed()]);
    h.get_by_label("Directives").click();
    h.run_steps(2);
    h.get_by_label_contains("candidate directives");
    // Accept everything the detector found, as one undo step.
    h.state_mut().dir_ui.candidates.threshold = 0.0;
    h.get_by_label("Accept all above").click();
    h.run_steps(2);
    let accepted: Vec<_> = h
        .state()
        .ws()
        .annotations
        .iter()
        .filter(|a| a.directive.is_some())
        .cloned()
        .collect();
    assert_eq!(accepted.len(), 6, "the seed's six directives");
    // The Hu Jintao directive of 11 Oct 2006 (推进社区建设 / 社会体制改革).
    let hu = accepted
        .iter()
        .find(|a| a.anchor.quote.contains("社会体制改革"))
        .expect("the 2006 Hu Jintao quotation")
        .clone();
    assert!(
        hu.directive
            .as_ref()
            .unwrap()
            .attribution
            .speaker
            .contains("胡锦涛")
    );

    // Create a source from its attribution, in one click.
    h.state_mut().ann_ui.selected = Some(hu.id);
    h.state_mut().ann_ui.tab = yinwen::ui::annotate::SideTab::Annotations;
    h.run_steps(2);
    h.get_by_label("New source from attribution").click();
    h.run_steps(2);
    let src = {
        let app = h.state();
        let link = app
            .ws()
            .annotation(hu.id)
            .unwrap()
            .directive
            .as_ref()
            .unwrap()
            .source
            .expect("linked");
        app.ws().source(link).unwrap().clone()
    };
    assert!(src.issuer.contains("胡锦涛"));

    // Import the source's text (a file holding the passage with a line break inside it),
    // then verify: verbatim.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("hu-2006-10-11.txt");
    let quote = hu.anchor.quote.clone();
    let mid = quote
        .char_indices()
        .nth(quote.chars().count() / 2)
        .unwrap()
        .0;
    std::fs::write(
        &f,
        format!(
            "讲话全文。\n{}\n{}\n其后的内容。",
            &quote[..mid],
            &quote[mid..]
        ),
    )
    .unwrap();
    let ctx = h.ctx.clone();
    h.state_mut().finish_file(
        &ctx,
        yinwen::ui::dialogs::FilePurpose::SourceText(src.id),
        f,
    );
    // The text is read off the window's thread, like a speech.
    settle(&mut h);
    h.get_by_label("Verify against source").click();
    h.run_steps(2);
    let v = h
        .state()
        .ws()
        .annotation(hu.id)
        .unwrap()
        .directive
        .clone()
        .unwrap()
        .verification
        .expect("verified");
    assert_eq!(v.status, VerifyStatus::Verbatim);
    h.get_by_label("verbatim 原文一致");

    // Undo the verification, the text import, the source; then the accepted directives.
    for _ in 0..4 {
        h.state_mut().undo();
    }
    h.run_steps(1);
    let app = h.state();
    assert!(app.ws().sources.is_empty());
    assert!(app.ws().annotations.iter().all(|a| a.directive.is_none()));
}

#[test]
fn the_verification_exercise_shows_every_status() {
    let mut h = harness(vec![]);
    h.get_by_label("Not now").click();
    h.run_steps(2);
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Open verification exercise").click();
    h.run_steps(3);
    let statuses: std::collections::BTreeSet<String> = h
        .state()
        .ws()
        .annotations
        .iter()
        .filter_map(|a| a.directive.as_ref()?.verification.as_ref())
        .map(|v| format!("{:?}", v.status))
        .collect();
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        ["Abridged", "NotFound", "Variant", "Verbatim"]
    );
    h.get_by_label_contains("candidate directives");
}

#[test]
fn export_from_the_window_remembers_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![]);
    h.get_by_label("Open the sample speech").click();
    common::settle(&mut h);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::E,
    );
    h.run_steps(2);
    let out = dir.path().join("批注稿.docx");
    {
        let d = h.state_mut().export_dialog.as_mut().expect("dialog open");
        d.choices.format = "docx".into();
        d.choices.notes = false;
        d.path = out.display().to_string();
    }
    // Word adds the "Comments by" field: the dialog grows over a few frames.
    h.run_steps(4);
    h.get_by_label("Export").click();
    common::settle(&mut h);
    let bytes = std::fs::read(&out).expect("written");
    assert!(bytes.starts_with(b"PK"));
    let app = h.state();
    assert!(app.export_dialog.is_none());
    assert_eq!(app.settings.export.format, "docx");
    assert!(
        !app.settings.export.notes,
        "the last choices are remembered"
    );
    assert!(
        app.notices
            .iter()
            .any(|n| !n.error && n.text.starts_with("Exported"))
    );
}

/// The candidate list is a view that reads and returns intents: it never changes the
/// workspace itself (it only gets `&Workspace`), and what a click asks for is an `Intent`.
#[test]
fn the_candidate_list_returns_intents_and_changes_nothing() {
    use std::cell::RefCell;
    use yinwen::ui::directives::{CandidatesState, candidates_view};
    use yinwen::ui::intent::{Intent, ViewContext};
    let text = std::fs::read_to_string(seed()).unwrap();
    let decoded = yinwen::import::decode_bytes(text.as_bytes(), Default::default()).unwrap();
    let mut ws = yinwen::model::Workspace::new();
    ws.apply(yinwen::model::Command::AddDocument(Box::new(
        decoded.into_document(None, Default::default()),
    )))
    .unwrap();
    let doc = ws.documents[0].id;
    let det = yinwen::analysis::detect(&ws.documents[0].text);
    let before = ws.clone();
    let got: RefCell<Vec<Intent>> = RefCell::new(Vec::new());
    let mut state = CandidatesState::default();
    let mut h = egui_kittest::Harness::new_ui(|ui| {
        ui.ctx().set_fonts(yinwen::ui::fonts::font_definitions());
        let cx = ViewContext {
            ws: &ws,
            current: Some(doc),
        };
        let out = candidates_view(ui, &cx, doc, &det, &mut state);
        got.borrow_mut().extend(out);
    });
    h.run();
    h.get_all_by_label("Accept").next().unwrap().click();
    h.run();
    drop(h);
    assert!(
        got.borrow()
            .iter()
            .any(|i| matches!(i, Intent::AcceptDirective(_))),
        "a click on Accept asks for an acceptance"
    );
    assert_eq!(ws, before, "the view changed nothing itself");
}
