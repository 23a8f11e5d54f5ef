//! Shared set-up of the egui_kittest UI tests: the real app in a harness, and waiting for
//! background jobs.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, HarnessBuilder};
use yinwen::ui::i18n::Language;
use yinwen::ui::{AppOptions, YinwenApp};

/// The app with these files opened (as from the command line), settings kept in memory.
pub fn harness(files: Vec<PathBuf>) -> Harness<'static, YinwenApp> {
    harness_with(Harness::builder(), files)
}

/// Like [`harness`], from a builder (e.g. one that allows missing glyphs).
pub fn harness_with(
    builder: HarnessBuilder<YinwenApp>,
    files: Vec<PathBuf>,
) -> Harness<'static, YinwenApp> {
    let mut h = builder
        .with_size([1300.0, 800.0])
        .with_max_steps(64)
        .build_eframe(move |cc| {
            YinwenApp::new(
                cc,
                AppOptions {
                    files,
                    settings_path: None,
                    recovery_path: None,
                    language: Some(Language::English),
                },
            )
        });
    settle(&mut h);
    h
}

/// The app with these files, autosaving unsaved work to `recovery` (as the real app does in
/// its settings folder).
pub fn harness_recovering(files: Vec<PathBuf>, recovery: PathBuf) -> Harness<'static, YinwenApp> {
    let mut h = Harness::builder()
        .with_size([1300.0, 800.0])
        .build_eframe(move |cc| {
            YinwenApp::new(
                cc,
                AppOptions {
                    files,
                    settings_path: None,
                    recovery_path: Some(recovery),
                    language: Some(Language::English),
                },
            )
        });
    settle(&mut h);
    h
}

/// Steps frames until background jobs are done and the layout has settled.
pub fn settle(h: &mut Harness<'static, YinwenApp>) {
    for _ in 0..500 {
        h.step();
        if !h.state().jobs.busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(4);
}

/// Closes the first-launch welcome dialog when it is showing.
pub fn dismiss_welcome(h: &mut Harness<'static, YinwenApp>) {
    if h.state().dialogs.welcome {
        h.get_by_label("Not now").click();
        h.run_steps(2);
    }
}

/// Clicks a menu item: `menu_item(h, "File", "Open…")`.
pub fn menu_item(h: &mut Harness<'static, YinwenApp>, menu: &str, item: &str) {
    h.get_by_label(menu).click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(2);
}

/// Opens File → Open… and types `path` into its path field; the dialog's preview of the
/// file appears and the dialog grows, so frames run until it has settled.
pub fn type_into_open_dialog(h: &mut Harness<'static, YinwenApp>, path: &std::path::Path) {
    menu_item(h, "File", "Open…");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path:")
        .type_text(&path.display().to_string());
    h.run_steps(4);
}
