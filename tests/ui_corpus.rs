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
    // A heading sorts: ascending, descending, then the workspace's order.
    h.get_by_label("Date").click();
    h.run_steps(2);
    assert_eq!(h.state().corpus.sort, Some((3, false)));
    h.get_by_label("Date ↑").click();
    h.run_steps(2);
    assert_eq!(h.state().corpus.sort, Some((3, true)));
    h.get_by_label("Date ↓").click();
    h.run_steps(2);
    assert_eq!(h.state().corpus.sort, None);
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
    h.get_by_label("← Back to the text").click();
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
    assert_eq!(h.state().corpus.tab, yinwen::ui::corpus::CorpusTab::Memos);
    let memo = || egui::accesskit::Role::MultilineTextInput;
    h.get_by_role(memo()).focus();
    h.run_steps(1);
    h.get_by_role(memo()).type_text("比较三篇讲话的提法");
    h.run_steps(2);
    assert_eq!(h.state().ws().memo, "比较三篇讲话的提法");
    assert!(h.state().history.can_undo());
}

const FULL: &str = "坚持以人为本，树立全面、协调、可持续的发展观";
const VARIANT: &str = "坚持以人为本，树立全面、协调和可持续的发展观";

/// A workspace file of three speeches quoting one directive (one of them in other words),
/// with two tags on passages of each.
fn quoting_workspace(dir: &Path) -> PathBuf {
    use yinwen::model::{
        Anchor, AnnId, Annotation, Attribution, CharIndex, Command as Cmd, DirectiveInfo, DocMeta,
        Document, Origin, Tag, TagId, Workspace,
    };
    let mut ws = Workspace::new();
    for (title, date, group, quote) in [
        ("一月讲话", "2023-01-05", "2023/市委", FULL),
        ("三月讲话", "2023-03-09", "2023/市委", FULL),
        ("六月讲话", "2023-06-20", "2023/市政府", VARIANT),
    ] {
        let text =
            format!("同志们：\n\n胡锦涛同志指出：“{quote}”。\n\n我们要抓好社区建设和民生工作。\n");
        let meta = DocMeta {
            title: title.into(),
            date: date.into(),
            group: group.into(),
            ..Default::default()
        };
        ws.apply(Cmd::AddDocument(Box::new(Document::new(
            text,
            Origin::default(),
            meta,
        ))))
        .unwrap();
    }
    let mut tags = Vec::new();
    for name in ["民生", "社区建设"] {
        ws.apply(Cmd::AddTag(Box::new(Tag {
            id: TagId(0),
            name: name.into(),
            parent: None,
            color: "#6FCF97".into(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        })))
        .unwrap();
        tags.push(ws.tags.iter().find(|t| t.name == name).unwrap().id);
    }
    for d in ws.documents.clone() {
        let idx = CharIndex::new(&d.text);
        let chars: Vec<char> = d.text.chars().collect();
        let open = chars.iter().position(|&c| c == '“').unwrap() + 1;
        let close = chars.iter().position(|&c| c == '”').unwrap();
        let mut add = |range: std::ops::Range<usize>, tags: Vec<TagId>, directive: bool| {
            ws.apply(Cmd::AddAnnotation(Box::new(Annotation {
                id: AnnId(0),
                doc: d.id,
                anchor: Anchor::new(&d.text, &idx, range),
                color: "#6FCF97".into(),
                note: String::new(),
                tags,
                orphan: false,
                directive: directive.then(|| DirectiveInfo {
                    attribution: Attribution {
                        speaker: "胡锦涛".into(),
                        verb: "指出".into(),
                        confidence: 1.0,
                        ..Default::default()
                    },
                    ..Default::default()
                }),
            })))
            .unwrap();
        };
        add(open..close, Vec::new(), true);
        let work = d
            .text
            .find("社区建设")
            .map(|b| d.text[..b].chars().count())
            .unwrap();
        add(work..work + 4, vec![tags[1]], false);
        add(work..work + 9, vec![tags[0]], false);
    }
    let p = dir.join("year.ron");
    yinwen::store::save(&ws, &p).unwrap();
    p
}

/// Steps frames until `label` is on screen (the analyses run off the window's thread).
fn wait_for(h: &mut Harness<'static, YinwenApp>, label: &str) {
    for _ in 0..200 {
        h.step();
        if h.query_by_label(label).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("{label} never appeared");
}

#[test]
fn the_register_groups_a_quotation_and_its_variant_and_opens_an_occurrence() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![quoting_workspace(dir.path())]);
    dismiss_welcome(&mut h);
    open_desk(&mut h);
    h.get_by_label("Directive register").click();
    h.run_steps(2);
    wait_for(
        &mut h,
        "1 distinct quotations, quoted 3 times in 3 documents",
    );
    h.get_by_label(&format!("“{FULL}”")).click();
    h.run_steps(3);
    // Who quoted it and how: two the same, one in other words.
    assert_eq!(h.get_all_by_label("√ verbatim").count(), 2);
    assert_eq!(h.get_all_by_label("≈ variant").count(), 1);
    // A document's link shows the quotation in its text.
    h.get_by_role_and_label(egui::accesskit::Role::Link, "六月讲话")
        .click();
    h.run_steps(3);
    assert!(!h.state().corpus.open, "back to the text");
    let six = h
        .state()
        .ws()
        .documents
        .iter()
        .find(|d| d.meta.title == "六月讲话")
        .unwrap()
        .id;
    assert_eq!(h.state().current, Some(six));
    // The filter narrows the register: 市政府's group has only the variant.
    open_desk(&mut h);
    h.state_mut().corpus.filter.group = Some("2023/市政府".into());
    wait_for(
        &mut h,
        "1 distinct quotations, quoted 1 times in 1 documents",
    );
}

#[test]
fn a_matrix_cell_lists_its_passages_and_cooccurrence_counts_overlaps() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(vec![quoting_workspace(dir.path())]);
    dismiss_welcome(&mut h);
    open_desk(&mut h);
    h.get_by_label("Code matrix").click();
    h.run_steps(2);
    // Columns by group: 2023/市委 has two passages of each tag, 2023/市政府 one.
    wait_for(&mut h, "2023/市委");
    assert!(h.query_by_label("2023/市政府").is_some());
    assert!(
        h.get_all_by_label("2").count() >= 2,
        "two passages a tag in 市委's group"
    );
    h.get_all_by_label("2").next().unwrap().click();
    h.run_steps(3);
    assert!(h.state().corpus.analysis.cell.is_some());
    // The cell's passages are listed with their documents; one opens in the text.
    h.get_all_by_role_and_label(egui::accesskit::Role::Link, "一月讲话")
        .next()
        .unwrap()
        .click();
    h.run_steps(3);
    assert!(!h.state().corpus.open);
    // Co-occurrence: the two tags' passages overlap in every speech (3 pairs).
    open_desk(&mut h);
    h.get_by_label("Co-occurrence").click();
    h.run_steps(2);
    wait_for(&mut h, "Overlapping passages");
    for _ in 0..50 {
        h.step();
        if h.state().corpus.analysis.cooc.last().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let co = h.state().corpus.analysis.cooc.last().unwrap();
    assert_eq!(co.cells[0][1].count, 3);
    assert_eq!(co.cells[1][0].count, 3);
}
