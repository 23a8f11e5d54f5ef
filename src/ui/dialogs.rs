//! Dialogs: open (path field, system dialog, recent files), save as, reopen with encoding,
//! first-launch welcome, unsaved changes, shortcuts and about.

use std::path::PathBuf;

use egui::{Id, RichText};

use crate::import::{self, EncodingChoice};
use crate::model::DocId;

use super::actions::Action;
use super::app::{YinwenApp, with_ron_extension};
use super::jobs::PickPurpose;

/// A dialog with a path field and a Browse… button.
#[derive(Debug, Clone, Default)]
pub struct PathDialog {
    /// The path typed or chosen.
    pub path: String,
    /// A hint shown under the field (e.g. no system dialog available).
    pub note: Option<String>,
}

/// What a generic file dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// Replace a document's text with a revised file; annotations re-anchor.
    UpdateText(DocId),
    /// Import a REFI-QDA codebook.
    ImportCodebook,
    /// Export the codebook as REFI-QDA.
    ExportCodebook,
    /// Import the full text of a source record.
    SourceText(crate::model::SourceId),
}

impl FilePurpose {
    fn title(self) -> &'static str {
        match self {
            FilePurpose::UpdateText(_) => "Update text from file",
            FilePurpose::ImportCodebook => "Import codebook (.qdc)",
            FilePurpose::ExportCodebook => "Export codebook (.qdc)",
            FilePurpose::SourceText(_) => "Import source text",
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            FilePurpose::UpdateText(_) => {
                "The document's text is replaced by the revised file; every annotation is found again in the new text or listed as an orphan. Undo restores the old text."
            }
            FilePurpose::ImportCodebook => {
                "Tags from a REFI-QDA codebook (ATLAS.ti, MAXQDA, NVivo, QualCoder) are added; names that already exist at the same level are reused."
            }
            FilePurpose::ExportCodebook => {
                "The codebook is written as REFI-QDA XML that other QDA tools import."
            }
            FilePurpose::SourceText(_) => {
                "The source's full text (any supported encoding, .docx) is stored in the workspace so that quotations can be verified against it."
            }
        }
    }

    /// Whether the dialog chooses a file to write.
    pub fn saves(self) -> bool {
        matches!(self, FilePurpose::ExportCodebook)
    }
}

/// "Reopen with encoding…": the first lines of the file decoded with the chosen encoding.
pub struct ReopenDialog {
    /// The document to replace.
    pub id: DocId,
    /// Its file.
    pub path: PathBuf,
    prefix: Vec<u8>,
    /// The encoding chosen.
    pub choice: EncodingChoice,
    preview: Result<(String, Vec<String>), String>,
}

const PREVIEW_BYTES: u64 = 64 * 1024;
const PREVIEW_LINES: usize = 8;

impl ReopenDialog {
    /// Reads the start of the file for the preview.
    pub fn new(id: DocId, path: PathBuf) -> Result<Self, String> {
        use std::io::Read;
        let file = std::fs::File::open(&path)
            .map_err(|e| format!("Cannot read {}: {e}", path.display()))?;
        let mut prefix = Vec::new();
        file.take(PREVIEW_BYTES)
            .read_to_end(&mut prefix)
            .map_err(|e| format!("Cannot read {}: {e}", path.display()))?;
        let mut d = ReopenDialog {
            id,
            path,
            prefix,
            choice: EncodingChoice::Auto,
            preview: Ok((String::new(), Vec::new())),
        };
        d.refresh();
        Ok(d)
    }

    fn refresh(&mut self) {
        self.preview = import::preview_lines(&self.prefix, self.choice, PREVIEW_LINES)
            .map_err(|e| e.to_string());
    }
}

/// Which dialogs are open.
#[derive(Default)]
pub struct Dialogs {
    /// Open speeches or a workspace.
    pub open: Option<PathDialog>,
    /// Save the workspace as.
    pub save_as: Option<PathDialog>,
    /// Reopen with encoding.
    pub reopen: Option<ReopenDialog>,
    /// First-launch offer of the sample speech.
    pub welcome: bool,
    /// "Save changes?" before replacing the workspace or quitting.
    pub confirm_discard: bool,
    /// Help → About.
    pub about: bool,
    /// Help → Keyboard shortcuts.
    pub shortcuts: bool,
    /// A file dialog for another purpose.
    pub file: Option<(FilePurpose, PathDialog)>,
}

impl Dialogs {
    /// Opens the Open dialog.
    pub fn open_open(&mut self) {
        self.open = Some(PathDialog::default());
    }

    /// Opens the Save As dialog, pre-filled with the current file.
    pub fn open_save_as(&mut self, current: Option<PathBuf>) {
        let path = current
            .or_else(|| {
                directories::UserDirs::new()
                    .and_then(|u| u.document_dir().map(|d| d.join("workspace.ron")))
            })
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "workspace.ron".into());
        self.save_as = Some(PathDialog { path, note: None });
    }

    /// Opens a file dialog for `purpose`.
    pub fn open_file(&mut self, purpose: FilePurpose, start: Option<PathBuf>) {
        let path = start
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| match purpose {
                FilePurpose::ExportCodebook => "codebook.qdc".into(),
                _ => String::new(),
            });
        self.file = Some((purpose, PathDialog { path, note: None }));
    }

    /// Whether any modal dialog is open (then the reader does not take keys).
    pub fn any_open(&self) -> bool {
        self.file.is_some()
            || self.open.is_some()
            || self.save_as.is_some()
            || self.reopen.is_some()
            || self.welcome
            || self.confirm_discard
    }
}

/// Shows every open dialog.
pub fn show(app: &mut YinwenApp, ctx: &egui::Context) {
    super::export_dialog::show(app, ctx);
    file_dialog(app, ctx);
    open_dialog(app, ctx);
    save_as_dialog(app, ctx);
    reopen_dialog(app, ctx);
    welcome_dialog(app, ctx);
    confirm_dialog(app, ctx);
    shortcuts_window(app, ctx);
    about_window(app, ctx);
}

/// The "Path: [field] [verb]" row of the file dialogs; returns the path when the user
/// confirms (button or Enter) with a non-empty field.
fn path_row(
    ui: &mut egui::Ui,
    d: &mut PathDialog,
    verb: &str,
    hint: &str,
    focus: bool,
) -> Option<PathBuf> {
    ui.horizontal(|ui| {
        let label = ui.label("Path:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut d.path)
                    .desired_width(330.0)
                    .hint_text(hint),
            )
            .labelled_by(label.id);
        if focus {
            field.request_focus();
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ((ui.button(verb).clicked() || enter) && !d.path.trim().is_empty())
            .then(|| PathBuf::from(d.path.trim()))
    })
    .inner
}

fn open_dialog(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some(mut d) = app.dialogs.open.take() else {
        return;
    };
    let mut keep = true;
    let mut open_now: Option<Vec<PathBuf>> = None;
    let modal = egui::Modal::new(Id::unique("open-dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Open a speech or workspace");
        ui.label("A speech (.txt in any common Chinese encoding, .docx) or a workspace (.ron).");
        ui.add_space(6.0);
        if let Some(p) = path_row(ui, &mut d, "Open", "/home/me/speeches/讲话.txt", true) {
            open_now = Some(vec![p]);
        }
        ui.horizontal(|ui| {
            if ui
                .button("Browse…")
                .on_hover_text("Choose files with the system file dialog")
                .clicked()
            {
                let start = app.settings.recent_files.first().cloned();
                app.jobs.pick(ctx, PickPurpose::Open, start);
                d.note = None;
            }
            if ui.button(Action::OpenSample.label()).clicked() {
                app.open_sample();
                keep = false;
            }
        });
        if let Some(note) = &d.note {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        ui.label(RichText::new("You can also drag files onto the window.").weak());
        if !app.settings.recent_files.is_empty() {
            ui.separator();
            ui.label("Recent files");
            for p in app.settings.recent_files.clone() {
                let exists = p.exists();
                let r = ui.add_enabled(
                    exists,
                    egui::Button::new(p.display().to_string()).frame(false),
                );
                if r.clicked() {
                    open_now = Some(vec![p.clone()]);
                }
                if !exists {
                    r.on_disabled_hover_text("This file no longer exists");
                }
            }
        }
        ui.separator();
        if ui.button("Cancel").clicked() {
            keep = false;
        }
    });
    if modal.should_close() {
        keep = false;
    }
    if let Some(paths) = open_now {
        keep = false;
        app.open_paths(ctx, paths);
    }
    if keep && app.dialogs.open.is_none() {
        app.dialogs.open = Some(d);
    }
}

fn file_dialog(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some((purpose, mut d)) = app.dialogs.file.take() else {
        return;
    };
    let mut keep = true;
    let mut go: Option<PathBuf> = None;
    let modal = egui::Modal::new(Id::unique("file-dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(purpose.title());
        ui.label(purpose.explanation());
        let verb = if purpose.saves() { "Save" } else { "Open file" };
        go = path_row(ui, &mut d, verb, "", false);
        if ui.button("Browse…").clicked() {
            let start = Some(PathBuf::from(d.path.trim())).filter(|p| !p.as_os_str().is_empty());
            app.jobs.pick(ctx, PickPurpose::File(purpose), start);
            d.note = None;
        }
        if let Some(note) = &d.note {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        ui.separator();
        if ui.button("Cancel").clicked() {
            keep = false;
        }
    });
    if modal.should_close() {
        keep = false;
    }
    if let Some(p) = go {
        keep = false;
        app.finish_file(ctx, purpose, p);
    }
    if keep && app.dialogs.file.is_none() {
        app.dialogs.file = Some((purpose, d));
    }
}

fn save_as_dialog(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some(mut d) = app.dialogs.save_as.take() else {
        return;
    };
    let mut keep = true;
    let mut save_now: Option<PathBuf> = None;
    let modal = egui::Modal::new(Id::unique("save-as-dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Save workspace as");
        save_now = path_row(ui, &mut d, "Save", "", false).map(with_ron_extension);
        let target = with_ron_extension(PathBuf::from(d.path.trim()));
        if !d.path.trim().is_empty() && target.exists() && Some(&target) != app.ws_path.as_ref() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "A file with this name exists and will be replaced.",
            );
        }
        if ui.button("Browse…").clicked() {
            app.jobs
                .pick(ctx, PickPurpose::SaveAs, Some(PathBuf::from(d.path.trim())));
            d.note = None;
        }
        if let Some(note) = &d.note {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        ui.separator();
        if ui.button("Cancel").clicked() {
            keep = false;
            app.pending = None;
        }
    });
    if modal.should_close() {
        keep = false;
    }
    if let Some(p) = save_now
        && app.save_to(ctx, p)
    {
        keep = false;
    }
    if keep && app.dialogs.save_as.is_none() {
        app.dialogs.save_as = Some(d);
    }
}

fn reopen_dialog(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some(mut d) = app.dialogs.reopen.take() else {
        return;
    };
    let mut keep = true;
    let mut reopen = false;
    egui::Modal::new(Id::unique("reopen-dialog")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Reopen with encoding");
        ui.label(d.path.display().to_string());
        let before = d.choice;
        egui::ComboBox::from_label("Encoding")
            .selected_text(d.choice.label())
            .show_ui(ui, |ui| {
                for c in EncodingChoice::ALL {
                    ui.selectable_value(&mut d.choice, c, c.label());
                }
            });
        if d.choice != before {
            d.refresh();
        }
        ui.separator();
        match &d.preview {
            Ok((enc, lines)) => {
                ui.label(RichText::new(format!("Preview ({enc}):")).weak());
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    for l in lines {
                        ui.label(l);
                    }
                });
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
        ui.separator();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(d.preview.is_ok(), egui::Button::new("Reopen"))
                .on_hover_text("Replace the document's text; Undo brings the old text back")
                .clicked()
            {
                reopen = true;
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
    });
    if reopen {
        app.reopen(ctx, d.id, d.path.clone(), d.choice);
        keep = false;
    }
    if keep {
        app.dialogs.reopen = Some(d);
    }
}

fn welcome_dialog(app: &mut YinwenApp, ctx: &egui::Context) {
    if !app.dialogs.welcome {
        return;
    }
    let mut answered = None;
    egui::Modal::new(Id::unique("welcome")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Welcome to Yinwen 引文");
        ui.label("Yinwen helps you read Chinese speeches and documents, mark passages and check quotations.");
        ui.label("Would you like to open the sample speech (a 2007 speech on community building) to look around?");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Open the sample speech").clicked() {
                answered = Some(1);
            }
            if ui.button("Open a file…").clicked() {
                answered = Some(2);
            }
            if ui.button("Not now").clicked() {
                answered = Some(0);
            }
        });
    });
    if let Some(a) = answered {
        app.dialogs.welcome = false;
        app.settings.welcomed = true;
        app.save_settings();
        match a {
            1 => app.open_sample(),
            2 => app.dialogs.open_open(),
            _ => {}
        }
    }
}

fn confirm_dialog(app: &mut YinwenApp, ctx: &egui::Context) {
    if !app.dialogs.confirm_discard {
        return;
    }
    let mut answer = None;
    egui::Modal::new(Id::unique("confirm-discard")).show(ctx, |ui| {
        ui.heading("Save changes?");
        ui.label(format!(
            "{} has changes that are not saved.",
            app.window_title()
                .trim_end_matches(" — Yinwen 引文")
                .trim_end_matches(" •")
        ));
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                answer = Some(0);
            }
            if ui.button("Don't save").clicked() {
                answer = Some(1);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(2);
            }
        });
    });
    if let Some(a) = answer {
        app.dialogs.confirm_discard = false;
        match a {
            0 => {
                // continues with the pending action once saved
                app.save(ctx);
            }
            1 => app.discard_and_continue(ctx),
            _ => app.pending = None,
        }
    }
}

fn shortcuts_window(app: &mut YinwenApp, ctx: &egui::Context) {
    let mut open = app.dialogs.shortcuts;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for a in Action::ALL {
                    let keys: Vec<String> = a
                        .shortcuts()
                        .iter()
                        .map(|s| ctx.format_shortcut(s))
                        .collect();
                    if keys.is_empty() {
                        continue;
                    }
                    ui.label(a.label());
                    ui.label(keys.join("  or  "));
                    ui.end_row();
                }
                ui.label("Select text");
                ui.label("Drag with the mouse; Shift+click or Shift+arrows, Home, End extend");
                ui.end_row();
                ui.label("Select a sentence");
                ui.label("Double-click");
                ui.end_row();
            });
        });
    app.dialogs.shortcuts = open;
}

fn about_window(app: &mut YinwenApp, ctx: &egui::Context) {
    let mut open = app.dialogs.about;
    egui::Window::new("About Yinwen")
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            ui.heading(format!("Yinwen 引文 {}", env!("CARGO_PKG_VERSION")));
            ui.label("A workbench for Chinese speeches and official documents.");
            ui.label(format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
            ui.separator();
            ui.label("Chinese text is drawn with Noto Sans CJK SC (subset), © Google LLC / Adobe, under the SIL Open Font License 1.1. The licence text ships with Yinwen in fonts/OFL-NotoSansSC.txt.");
        });
    app.dialogs.about = open;
}
