//! Everything egui: the application window, its panels, dialogs and the reading view.

pub mod actions;
pub mod annotate;
pub mod app;
pub mod corpus;
pub mod corpus_analysis;
pub mod dialogs;
pub mod directives;
pub mod export_dialog;
pub mod fonts;
pub mod i18n;
pub mod intent;
pub mod jobs;
pub mod kinsoku;
pub mod library;
pub mod merge_dialog;
pub mod modal;
pub mod reader;
pub mod recovery;
pub mod review;
pub mod settings;
pub mod shared_file;
mod side;
mod view;

pub use app::{AppOptions, YinwenApp};

/// Opens the main window with the given files.
pub fn run_gui(files: Vec<std::path::PathBuf>) -> eframe::Result {
    let settings_path = settings::Settings::default_path();
    let saved = settings_path
        .as_deref()
        .map(|p| settings::Settings::load(p).0)
        .unwrap_or_default();
    let size = saved
        .window_size
        .filter(|[w, h]| *w >= 480.0 && *h >= 320.0 && *w < 10_000.0 && *h < 10_000.0)
        .unwrap_or([1100.0, 760.0]);
    let mut viewport = egui::ViewportBuilder::default();
    if let Some(pos) = saved
        .window_pos
        .filter(|[x, y]| (-1000.0..10_000.0).contains(x) && (-1000.0..10_000.0).contains(y))
    {
        viewport = viewport.with_position(pos);
    }
    let options = eframe::NativeOptions {
        viewport: viewport
            .with_title("Yinwen 引文")
            .with_app_id("yinwen")
            .with_inner_size(size)
            .with_min_inner_size([480.0, 320.0])
            .with_drag_and_drop(true)
            .with_icon(icon()),
        ..Default::default()
    };
    let app_options = AppOptions {
        files,
        recovery_path: settings_path
            .as_ref()
            .and_then(|p| p.parent().map(|d| d.join("recovery.ron"))),
        settings_path,
        language: None,
    };
    eframe::run_native(
        "yinwen",
        options,
        Box::new(move |cc| Ok(Box::new(YinwenApp::new(cc, app_options)))),
    )
}

/// The window icon (64×64 RGBA, made from assets/icon.png).
pub fn icon() -> egui::IconData {
    egui::IconData {
        rgba: include_bytes!("../../assets/icon-64.rgba").to_vec(),
        width: 64,
        height: 64,
    }
}

/// Whether Enter was pressed in the single-line field `field` this frame. (A single-line
/// `TextEdit` gives up the focus on Enter, and `lost_focus` only says so on the next frame,
/// when the key is no longer pressed: the field's focus at the time of the key is what counts.)
pub fn enter_pressed(ui: &egui::Ui, field: &egui::Response) -> bool {
    (field.has_focus() || field.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter))
}
