//! The review desk in the window: the Problems list with its quick fixes (and their undo),
//! the Directive table driven by the keys, File → New workspace, and the sample opening as a
//! workspace of its own.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use yinwen::model::{Anchor, AnnId, Annotation, CharIndex, Command, DocId};
use yinwen::ui::app::YinwenApp;
use yinwen::ui::review::{ReviewTab, RowKey};

mod common;
use common::{dismiss_welcome, harness, menu_item, settle, type_into_open_dialog};

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/changchun-community-2007.txt")
}

/// A speech with a look-alike letter in a year, a placeholder year and web-page debris.
const FLAWED: &str = "在全市社区工作会议上的讲话\n\n同志们：\n\n2O05年以来，我们按照国发[2006]10号文件的要求，推进社区建设。\n\n20xx年要继续努力。\n\n相关阅读：\n社区建设新闻一\n社区建设新闻二\n";

fn flawed_file(dir: &Path) -> PathBuf {
    let p = dir.join("flawed.txt");
    std::fs::write(&p, FLAWED).unwrap();
    p
}

/// The text of document `doc`.
fn text_of(h: &Harness<'static, YinwenApp>, doc: DocId) -> String {
    h.state().ws().document(doc).unwrap().text.clone()
}

/// Types `year` into the open year field and presses Apply.
fn type_year(h: &mut Harness<'static, YinwenApp>, year: &str) {
    let field = || egui::accesskit::Role::TextInput;
    h.get_by_role(field()).focus();
    h.run_steps(1);
    h.get_by_role(field()).type_text(year);
    h.run_steps(1);
    h.get_by_label("Apply").click();
    h.run_steps(3);
}

#[test]
fn problems_list_fixes_a_year_as_one_undo_step_and_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![flawed_file(dir.path())]);
    dismiss_welcome(&mut h);
    let doc = h.state().current.expect("the speech is open");
    // An annotation over the damaged year follows the fix.
    let text = h.state().ws().document(doc).unwrap().text.clone();
    let start = text.chars().position(|c| c == '2').unwrap();
    let ann = {
        let idx = CharIndex::new(&text);
        Annotation {
            id: AnnId(0),
            doc,
            anchor: Anchor::new(&text, &idx, start..start + 9),
            color: "#336699".into(),
            note: "年份".into(),
            tags: Vec::new(),
            orphan: false,
            directive: None,
        }
    };
    assert!(h.state_mut().execute(Command::AddAnnotation(Box::new(ann))));
    h.run_steps(2);
    // The Problems list is under the text, always visible, with 第N段 / ¶N and the kind.
    assert!(h.state().review.open);
    assert_eq!(h.state().review.tab, ReviewTab::Problems);
    h.get_by_label_contains("Problems (");
    h.get_by_label("letter for digit");
    h.get_by_label("document number not in GB/T 9704 form");
    h.get_by_label("placeholder year");
    h.get_by_label("web-page debris");
    let before = h.state().ws().document(doc).unwrap().text.clone();

    h.get_by_label("2O05 → 2005").click();
    h.run_steps(3);
    let after = h.state().ws().document(doc).unwrap().clone();
    assert!(after.text.contains("2005年以来"), "{}", after.text);
    assert_eq!(after.origin.corrections.len(), 1);
    assert_eq!(after.origin.corrections[0].before, "2O05");
    assert_eq!(after.origin.corrections[0].kind, "digit_letter_confusion");
    let a = &h.state().ws().annotations[0];
    assert!(!a.orphan);
    assert!(
        a.anchor.quote.starts_with("2005年以来"),
        "{}",
        a.anchor.quote
    );
    assert!(h.state().history.can_undo());
    assert!(
        h.query_all_by_label("2O05 → 2005").next().is_none(),
        "the fixed problem leaves the list"
    );

    // The document number is put in GB/T 9704 form the same way.
    h.get_by_label("国发[2006]10号 → 国发〔2006〕10号").click();
    h.run_steps(3);
    assert!(text_of(&h, doc).contains("国发〔2006〕10号"));

    // Undo, one step at a time, puts the text, the record and the anchor back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    let back = h.state().ws().document(doc).unwrap().clone();
    assert_eq!(back.text, before);
    assert!(back.origin.corrections.is_empty());
    assert_eq!(h.state().ws().annotations[0].anchor.quote, "2O05年以来，我");

    // The placeholder year asks for the year; a year that does not fit is refused.
    h.get_by_label("Enter the year…").click();
    h.run_steps(2);
    type_year(&mut h, "1999");
    assert!(
        text_of(&h, doc).contains("20xx年"),
        "1999 does not fit 20xx"
    );
    assert!(h.state().notices.iter().any(|n| n.error));
    h.state_mut().review.problems.year = String::new();
    type_year(&mut h, "2021");
    assert!(text_of(&h, doc).contains("2021年要继续努力"));

    // Debris: cut from here to the end, after a preview.
    h.get_by_label("Cut this…").click();
    h.run_steps(3);
    h.get_by_label("Cut text");
    h.get_by_label("Cut").click();
    h.run_steps(3);
    let text = text_of(&h, doc);
    assert!(!text.contains("相关阅读"), "{text}");
    assert!(text.contains("2021年要继续努力"));
    let kinds: Vec<String> = h
        .state()
        .ws()
        .document(doc)
        .unwrap()
        .origin
        .corrections
        .iter()
        .map(|c| c.kind.clone())
        .collect();
    assert_eq!(kinds, ["placeholder_year", "boilerplate"]);
}

#[test]
fn directive_table_is_driven_by_the_keys() {
    let mut h = harness(vec![seed()]);
    dismiss_welcome(&mut h);
    let doc = h.state().current.unwrap();
    // Ctrl+Shift+D shows the table and gives it the keys.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    h.run_steps(3);
    assert_eq!(h.state().review.tab, ReviewTab::Directives);
    h.get_by_label_contains("Directive table (6)");
    // ↓ selects the first candidate; A accepts it and moves on.
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    let first = h.state().review.table.selected.clone();
    assert!(matches!(first, Some(RowKey::Candidate(..))), "{first:?}");
    h.key_press(Key::A);
    h.run_steps(3);
    let accepted: Vec<_> = h
        .state()
        .ws()
        .annotations
        .iter()
        .filter(|a| a.directive.is_some())
        .map(|a| a.id)
        .collect();
    assert_eq!(accepted.len(), 1);
    assert_ne!(
        h.state().review.table.selected,
        first,
        "moved to the next row"
    );
    // R rejects the next candidate: it leaves the table (and the text's outlines).
    let second = h.state().review.table.selected.clone();
    h.key_press(Key::R);
    h.run_steps(3);
    let Some(RowKey::Candidate(d, s, e)) = second else {
        panic!("a candidate: {second:?}")
    };
    assert!(h.state().ws().is_rejected(d, s, e));
    h.get_by_label_contains("Directive table (5)");
    // Enter shows the selected row in the text.
    let third = h.state().review.table.selected.clone();
    let Some(RowKey::Candidate(_, s3, e3)) = third else {
        panic!("a candidate: {third:?}")
    };
    h.key_press(Key::Enter);
    h.run_steps(3);
    let sel = h.state().views[&doc].selection.unwrap().range();
    assert_eq!(sel, s3..e3);
    // Back up to the accepted directive: L opens the link chooser, Esc closes it; V without
    // a source says to link first.
    h.state_mut().review.table.focus = true;
    h.run_steps(2);
    h.key_press(Key::ArrowUp);
    h.run_steps(2);
    h.key_press(Key::ArrowUp);
    h.run_steps(2);
    assert_eq!(
        h.state().review.table.selected,
        Some(RowKey::Accepted(accepted[0]))
    );
    assert!(h.query_all_by_label("No source linked").next().is_some());
    h.key_press(Key::L);
    h.run_steps(3);
    assert_eq!(h.state().review.table.link_for, Some(accepted[0]));
    // The chooser's button (the directive's editor in the side panel has one too).
    h.get_all_by_label("New source from attribution")
        .last()
        .unwrap()
        .click();
    h.run_steps(3);
    let linked = h
        .state()
        .ws()
        .annotation(accepted[0])
        .unwrap()
        .directive
        .as_ref()
        .unwrap()
        .source;
    assert!(linked.is_some(), "a source made from the attribution");
    // Sorting by a column keeps every row.
    h.get_by_label_contains("Status").click();
    h.run_steps(2);
    h.get_by_label_contains("Directive table (5)");
}

#[test]
fn new_workspace_asks_first_and_the_sample_stays_its_own_workspace() {
    let mut h = harness(vec![seed()]);
    dismiss_welcome(&mut h);
    // Unsaved work: New workspace asks first.
    h.state_mut().add_tag("我的标签", None);
    h.run_steps(2);
    assert!(h.state().history.is_dirty());
    menu_item(&mut h, "File", "New workspace Ctrl+N");
    assert!(h.state().dialogs.confirm_discard, "asks to save first");
    h.get_by_label("Don't save").click();
    settle(&mut h);
    assert!(h.state().ws().documents.is_empty());
    assert!(h.state().ws().tags.is_empty());
    assert!(h.state().ws_path.is_none());

    // The sample opens as its own workspace: with a speech of the user's open and saved, the
    // sample replaces it rather than pouring its codebook into it.
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.txt");
    std::fs::write(&mine, "我的讲话。\n\n第二段。").unwrap();
    let ctx = h.ctx.clone();
    h.state_mut().open_paths(&ctx, vec![mine.clone()]);
    settle(&mut h);
    let ws_file = dir.path().join("mine.ron");
    assert!(h.state_mut().save_to(&ctx, ws_file.clone()));
    settle(&mut h);
    assert_eq!(h.state().ws().documents.len(), 1);
    menu_item(&mut h, "File", "Open sample speech");
    settle(&mut h);
    let ws = h.state().ws().clone();
    assert!(!ws.tags.is_empty(), "the sample's codebook");
    assert!(
        ws.documents.iter().all(|d| !d.text.contains("我的讲话")),
        "the user's speech is not in the sample workspace"
    );
    assert!(
        h.state().ws_path.is_none(),
        "the sample has no file of its own"
    );
    // The user's saved workspace on disk has none of the sample's tags.
    let saved = yinwen::store::load(&ws_file).unwrap();
    assert!(saved.tags.is_empty());
    assert_eq!(saved.documents.len(), 1);
    // Opening a speech that is already in the workspace shows it instead of adding it again.
    let n = h.state().ws().documents.len();
    h.state_mut().open_paths(&ctx, vec![seed()]);
    settle(&mut h);
    assert_eq!(h.state().ws().documents.len(), n);
}

#[test]
fn imported_speech_takes_its_details_from_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("speech.txt");
    std::fs::write(
        &p,
        "在全市民政工作会议上的讲话\n（二〇二〇年十月九日）\n市民政局局长  吴建平\n\n同志们：\n\n今天召开会议，主要任务是总结工作。",
    )
    .unwrap();
    let h = harness(vec![p]);
    let doc = h.state().current_document().unwrap().clone();
    assert_eq!(doc.meta.title, "在全市民政工作会议上的讲话");
    assert_eq!(doc.meta.date, "2020-10-09");
    assert!(doc.meta.speaker.contains("吴建平"), "{:?}", doc.meta);
    assert!(
        h.state()
            .window_title()
            .starts_with("在全市民政工作会议上的讲话"),
        "{}",
        h.state().window_title()
    );
}

#[test]
fn enter_in_the_open_dialogs_path_field_opens() {
    let dir = tempfile::tempdir().unwrap();
    let file = flawed_file(dir.path());
    let mut h = harness(Vec::new());
    dismiss_welcome(&mut h);
    type_into_open_dialog(&mut h, &file);
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(!h.state().dialogs.any_open(), "the dialog closed");
    assert_eq!(h.state().ws().documents.len(), 1, "the speech opened");
}

#[test]
fn a_jump_into_a_long_paragraph_reveals_the_passage() {
    let mut h = harness(vec![seed()]);
    dismiss_welcome(&mut h);
    let doc = h.state().current.unwrap();
    // The last 20xx of the seed stands after a long paragraph: jumping shows the paragraph
    // before it first, then the passage itself is scrolled into view.
    let text = text_of(&h, doc);
    let at = text.rfind("20xx").unwrap();
    let start = text[..at].chars().count();
    h.state_mut().jump_to(doc, start..start + 4);
    h.run_steps(6);
    let view = &h.state().views[&doc];
    assert_eq!(view.reveal, None, "the passage was drawn and revealed");
    let p = view.paragraph_at(start);
    assert!(
        view.visible.iter().any(|(i, _)| *i == p),
        "its paragraph is in view"
    );
}
