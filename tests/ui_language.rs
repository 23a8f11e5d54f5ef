//! UI tests of the interface language: Chinese menus, switching through View → Language
//! (applied at once and saved with the settings), and the choice on the welcome dialog.
//! These run beside the English tests in the same process: each harness keeps its own
//! language.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use yinwen::ui::i18n::Language;
use yinwen::ui::settings::Settings;
use yinwen::ui::{AppOptions, YinwenApp};

mod common;
use common::settle;

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/changchun-community-2007.txt")
}

/// The app with these files, its settings in `settings_path`, started in `language` (or in
/// the settings' language when `None`).
fn app(
    files: Vec<PathBuf>,
    settings_path: Option<PathBuf>,
    language: Option<Language>,
) -> Harness<'static, YinwenApp> {
    let mut h = Harness::builder()
        .with_size([1300.0, 800.0])
        .with_max_steps(64)
        .build_eframe(move |cc| {
            YinwenApp::new(
                cc,
                AppOptions {
                    files,
                    settings_path,
                    recovery_path: None,
                    language,
                },
            )
        });
    settle(&mut h);
    h
}

#[test]
fn chinese_menus_and_panels_show_chinese_labels() {
    let mut h = app(vec![seed_path()], None, Some(Language::Chinese));
    assert!(h.query_by_label("File").is_none());
    h.get_by_label("文件").click();
    h.run_steps(2);
    // entries with a shortcut are labelled with it, e.g. "打开… Ctrl+O"
    h.get_by_label("打开示例讲话");
    h.get_by_label_contains("工作区另存为…");
    assert!(h.query_by_label_contains("Open").is_none());
    // side panel tabs and the status bar
    h.get_by_label("编码表");
    h.get_by_label("引述");
    let paragraphs = h.state().views.values().next().unwrap().paragraphs.len();
    h.get_by_label(&format!("{paragraphs} 段"));
}

#[test]
fn switching_language_in_the_view_menu_applies_at_once_and_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.ron");
    let mut h = app(
        vec![seed_path()],
        Some(settings.clone()),
        Some(Language::English),
    );
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Language 语言").click();
    h.run_steps(2);
    h.get_by_label("中文").click();
    h.run_steps(3);
    assert_eq!(h.state().settings.language, Some(Language::Chinese));
    h.get_by_label("文件");
    h.get_by_label("视图");
    assert!(h.query_by_label("File").is_none());
    assert_eq!(
        Settings::load(&settings).0.language,
        Some(Language::Chinese),
        "the choice is written to the settings file"
    );

    // The next start reads it back.
    drop(h);
    let mut h = app(vec![seed_path()], Some(settings.clone()), None);
    h.get_by_label("帮助");
    // Back to following the system, whatever language that is.
    h.get_by_label("视图").click();
    h.run_steps(2);
    h.get_by_label("语言 Language").click();
    h.run_steps(2);
    h.get_by_label_contains("跟随系统").click();
    h.run_steps(3);
    assert_eq!(h.state().settings.language, None);
    assert_eq!(Settings::load(&settings).0.language, None);
    let file = match h.state().language() {
        Language::English => "File",
        Language::Chinese => "文件",
    };
    h.get_by_label(file);
}

#[test]
fn the_welcome_dialog_offers_the_language() {
    let mut h = app(vec![], None, Some(Language::English));
    assert!(h.state().dialogs.welcome);
    h.get_by_label("Welcome to Yinwen 引文");
    h.get_by_label("中文").click();
    h.run_steps(3);
    h.get_by_label("欢迎使用 Yinwen 引文");
    h.get_by_label("以后再说").click();
    h.run_steps(2);
    let app = h.state();
    assert!(!app.dialogs.welcome);
    assert_eq!(app.settings.language, Some(Language::Chinese));
    // the start page behind it speaks Chinese too
    h.get_by_label("打开一篇讲话，阅读、标记并核对其中的引文。");
}

#[test]
fn help_lists_shortcuts_in_chinese() {
    let mut h = app(vec![seed_path()], None, Some(Language::Chinese));
    h.get_by_label("帮助").click();
    h.run_steps(2);
    h.get_by_label_contains("键盘快捷键").click();
    h.run_steps(3);
    assert!(h.state().dialogs.shortcuts);
    h.get_by_label("查找下一个");
    h.get_by_label("选择一句");
}
