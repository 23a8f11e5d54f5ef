//! The source library in the window: add a folder (indexed in the background), find where
//! the seed speech's directives come from, link one with a click (the source record made from
//! the library document's metadata, with its text) and see it verified; a second directive
//! from the same document reuses the record; search the library; undo.

use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use yinwen::model::VerifyStatus;
use yinwen::ui::annotate::SideTab;

mod common;
use common::{harness, settle};

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/changchun-community-2007.txt")
}

/// A library folder: the source of the seed's Hu Jintao quotation (a speech with its own
/// header), and a distractor.
fn library_folder(quote: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("hu-2006.txt"),
        format!(
            "在中央政治局第三十八次集体学习时的讲话\n（2006年10月11日）\n胡锦涛\n同志们：\n我们要{quote}这是一项重要任务。\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("farm.txt"),
        "关于做好秋季农业生产工作的通知\n各县：\n要抓好秋收秋种，确保粮食丰收。\n",
    )
    .unwrap();
    dir
}

/// The directive of annotation `id`.
fn directive(
    app: &yinwen::ui::YinwenApp,
    id: yinwen::model::AnnId,
) -> yinwen::model::DirectiveInfo {
    app.ws().annotation(id).unwrap().directive.clone().unwrap()
}

#[test]
fn add_folder_find_link_verify_and_search() {
    let mut h = harness(vec![seed()]);
    // Accept the seed's directives.
    h.state_mut().dir_ui.candidates.threshold = 0.0;
    h.get_by_label("Directives").click();
    h.run_steps(2);
    h.get_by_label("Accept all above").click();
    h.run_steps(2);
    let hu = h
        .state()
        .ws()
        .annotations
        .iter()
        .find(|a| a.anchor.quote.contains("社会体制改革"))
        .expect("the Hu Jintao directive")
        .clone();
    // "Find sources for all" needs a library first.
    assert!(h.state().lib_ui.library.is_none());

    // Add the folder in the Library tab: indexed in the background, then opened.
    let lib = library_folder(&hu.anchor.quote);
    h.get_by_label("Library").click();
    h.run_steps(2);
    h.state_mut().lib_ui.add_path = lib.path().display().to_string();
    h.run_steps(1);
    h.get_by_label("Add folder").click();
    settle(&mut h);
    let opened = h.state().lib_ui.library.clone().expect("library opened");
    assert_eq!(opened.document_count(), 2);
    assert!(lib.path().join(".yinwen-library").is_dir());

    // Find source for the directive in its editor (a tall window, so that the candidates'
    // buttons are on screen below the editor).
    h.set_size(egui::vec2(1300.0, 1600.0));
    h.state_mut().ann_ui.selected = Some(hu.id);
    h.state_mut().ann_ui.tab = SideTab::Annotations;
    h.run_steps(2);
    h.get_by_label("Find source").click();
    h.run_steps(2);
    let found = h.state().lib_ui.found.get(&hu.id).cloned().unwrap();
    assert_eq!(found[0].file, "hu-2006.txt");
    assert_eq!(found[0].header.speaker.as_deref(), Some("胡锦涛"));
    h.get_by_label_contains("在中央政治局第三十八次集体学习时的讲话");

    // Show in document: the library document in its own window, at the passage.
    h.get_by_label("Show in document").click();
    h.run_steps(3);
    let v = h.state().lib_ui.viewer.clone().expect("viewer open");
    assert_eq!(
        (v.file.as_str(), v.range.clone()),
        ("hu-2006.txt", found[0].start..found[0].end)
    );
    assert!(v.scrolled);
    h.get_by_label_contains("hu-2006.txt");

    // One click: linked to a new source record made from the metadata, and verified.
    let sources_before = h.state().ws().sources.len();
    h.get_by_label("Link and verify").click();
    h.run_steps(2);

    {
        let app = h.state();
        let d = directive(app, hu.id);
        let src = app.ws().source(d.source.expect("linked")).unwrap();
        assert_eq!(src.title, "在中央政治局第三十八次集体学习时的讲话");
        assert_eq!(src.issuer, "胡锦涛");
        assert_eq!(src.date, "2006-10-11");
        assert!(src.text.as_deref().unwrap().contains(&hu.anchor.quote));
        assert_eq!(
            d.verification.as_ref().map(|v| v.status),
            Some(VerifyStatus::Verbatim)
        );
        assert_eq!(app.ws().sources.len(), sources_before + 1);
    }

    // "Find sources for all" in the background; linking another directive to the same
    // document reuses the source record.
    h.state_mut().ann_ui.tab = SideTab::Directives;
    h.run_steps(2);
    h.get_by_label("Find sources for all").click();
    settle(&mut h);
    let n_directives = h
        .state()
        .ws()
        .annotations
        .iter()
        .filter(|a| a.directive.is_some())
        .count();
    assert_eq!(h.state().lib_ui.found.len(), n_directives);
    let other = h
        .state()
        .ws()
        .annotations
        .iter()
        .find(|a| a.directive.is_some() && a.id != hu.id)
        .unwrap()
        .id;
    let same = h.state().lib_ui.found[&hu.id].clone();
    h.state_mut().lib_ui.found.insert(other, same);
    h.state_mut().link_found(other, 0);
    assert_eq!(h.state().ws().sources.len(), sources_before + 1, "reused");

    // Search the library: the hit, highlighted, with its document.
    h.state_mut().ann_ui.tab = SideTab::Library;
    h.run_steps(2);
    h.state_mut().lib_ui.query = "秋收秋种".into();
    h.run_steps(1);
    h.get_by_label("Search").click();
    h.run_steps(2);
    let hits = h.state().lib_ui.hits.clone();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].file, "farm.txt");
    assert_eq!(hits[0].hit, "秋收秋种");

    // Undo takes back the second link and its verification, then the first (two steps
    // each: the link with its source record, then the verification).
    for _ in 0..4 {
        h.state_mut().undo();
    }
    let d = directive(h.state(), hu.id);
    assert!(d.source.is_none());
    assert_eq!(h.state().ws().sources.len(), sources_before);
}
