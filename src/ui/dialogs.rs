//! Dialogs: open (path field, system dialog, recent files), save as, reopen with encoding,
//! first-launch welcome, unsaved changes, shortcuts and about.

use std::path::PathBuf;

use egui::{Id, RichText};

use crate::import::{self, EncodingChoice, Reflow};
use crate::model::DocId;

use super::actions::Action;
use super::app::{YinwenApp, with_ron_extension};
use super::i18n::{Language, tr};
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
    /// A colleague's workspace to merge into ours.
    MergeWorkspace,
    /// The workspace both sides of a merge started from.
    MergeBase,
}

impl FilePurpose {
    fn title(self) -> String {
        match self {
            FilePurpose::UpdateText(_) => tr!("file.update_text"),
            FilePurpose::ImportCodebook => tr!("file.import_codebook"),
            FilePurpose::ExportCodebook => tr!("file.export_codebook"),
            FilePurpose::SourceText(_) => tr!("file.source_text"),
            FilePurpose::MergeWorkspace => tr!("merge.pick_theirs"),
            FilePurpose::MergeBase => tr!("merge.pick_base"),
        }
    }

    fn explanation(self) -> String {
        match self {
            FilePurpose::UpdateText(_) => tr!("file.update_text_explained"),
            FilePurpose::ImportCodebook => tr!("file.import_codebook_explained"),
            FilePurpose::ExportCodebook => tr!("file.export_codebook_explained"),
            FilePurpose::SourceText(_) => tr!("file.source_text_explained"),
            FilePurpose::MergeWorkspace => tr!("file.merge_workspace_explained"),
            FilePurpose::MergeBase => tr!("file.merge_base_explained"),
        }
    }

    /// Whether the dialog chooses a file to write.
    pub fn saves(self) -> bool {
        matches!(self, FilePurpose::ExportCodebook)
    }
}

/// "Reopen with…": the first lines of the file read with the chosen encoding and line breaks.
pub struct ReopenDialog {
    /// The document to replace.
    pub id: DocId,
    /// Its file.
    pub path: PathBuf,
    bytes: Vec<u8>,
    /// The encoding and line breaks chosen.
    pub options: import::Options,
    preview: Result<import::Preview, String>,
}

const PREVIEW_LINES: usize = 8;

impl ReopenDialog {
    /// Reads the file (at most the import limit) for the preview.
    pub fn new(id: DocId, path: PathBuf) -> Result<Self, String> {
        use std::io::Read;
        let cannot_read =
            |e: std::io::Error| tr!("dialog.cannot_read", path = path.display(), error = e);
        let file = std::fs::File::open(&path).map_err(cannot_read)?;
        let mut bytes = Vec::new();
        file.take(import::MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot_read)?;
        let mut d = ReopenDialog {
            id,
            path,
            bytes,
            options: import::Options::default(),
            preview: Err(String::new()),
        };
        d.refresh();
        Ok(d)
    }

    fn refresh(&mut self) {
        self.preview =
            import::preview(&self.bytes, self.options, PREVIEW_LINES).map_err(|e| e.to_string());
    }
}

/// A line-break choice's label in the chooser.
fn reflow_label(r: Reflow) -> String {
    match r {
        Reflow::Auto => tr!("reopen.reflow_auto"),
        Reflow::On => tr!("reopen.reflow_on"),
        Reflow::Off => tr!("reopen.reflow_off"),
    }
}

/// The line-break chooser; true when the choice changed.
fn reflow_combo(ui: &mut egui::Ui, id: &str, reflow: &mut Reflow) -> bool {
    let before = *reflow;
    egui::ComboBox::new(id, tr!("reopen.reflow"))
        .selected_text(reflow_label(*reflow))
        .show_ui(ui, |ui| {
            for r in Reflow::ALL {
                ui.selectable_value(reflow, r, reflow_label(r));
            }
        })
        .response
        .on_hover_text(tr!("reopen.reflow_tip"));
    *reflow != before
}

/// The preview lines of a file and what reflow did, in a frame.
fn preview_frame(ui: &mut egui::Ui, heading: String, p: &import::Preview) {
    ui.label(RichText::new(heading).weak());
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                for l in &p.lines {
                    ui.label(l);
                }
            });
    });
    if let Some(r) = p.reflowed {
        ui.label(
            RichText::new(tr!(
                "reopen.reflowed",
                width = r.width,
                lines = r.lines,
                paragraphs = r.paragraphs
            ))
            .weak(),
        );
    }
}

/// Files larger than this are previewed only when they are plain text (from their start):
/// laying out a large PDF would hold up the window.
const PREVIEW_WHOLE_MAX: u64 = 8 * 1024 * 1024;

/// The first paragraphs of a file read with `reflow`, or why it cannot be read.
fn preview_file(p: &std::path::Path, reflow: Reflow) -> Result<import::Preview, String> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| tr!("dialog.cannot_read", path = p.display(), error = e);
    let file = std::fs::File::open(p).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    let limit = if size > PREVIEW_WHOLE_MAX {
        64 * 1024
    } else {
        PREVIEW_WHOLE_MAX
    };
    let mut bytes = Vec::new();
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    let opts = import::Options {
        encoding: EncodingChoice::Auto,
        reflow,
    };
    if size > PREVIEW_WHOLE_MAX {
        if import::format_of(&bytes).map_err(|e| e.to_string())? != import::SourceFormat::Text {
            return Err(tr!("open.no_preview_large"));
        }
        // Only the start was read: end it at a line break, not inside a character.
        if let Some(end) = bytes.iter().rposition(|&b| b == b'\n') {
            bytes.truncate(end + 1);
        }
    }
    import::preview(&bytes, opts, 6).map_err(|e| e.to_string())
}

/// The open dialog's preview of the file named in its path field, kept until the path or
/// the line-break choice changes.
#[derive(Default)]
pub struct OpenPreview {
    key: Option<(String, Reflow)>,
    result: Option<Result<import::Preview, String>>,
}

impl OpenPreview {
    /// The preview of `path` read with `reflow`; `None` when the path is not a speech file.
    fn get(&mut self, path: &str, reflow: Reflow) -> Option<&Result<import::Preview, String>> {
        let path = path.trim();
        let key = (path.to_owned(), reflow);
        if self.key.as_ref() != Some(&key) {
            self.key = Some(key);
            let p = std::path::Path::new(path);
            let is_speech = p.is_file() && !super::app::is_workspace_path(p);
            self.result = is_speech.then(|| preview_file(p, reflow));
        }
        self.result.as_ref()
    }
}

/// An encoding's name in the chooser ("auto" is said in the current language).
fn encoding_label(c: EncodingChoice) -> String {
    match c {
        EncodingChoice::Auto => tr!("reopen.auto"),
        c => c.label().to_string(),
    }
}

/// Which dialogs are open.
#[derive(Default)]
pub struct Dialogs {
    /// Open speeches or a workspace.
    pub open: Option<PathDialog>,
    /// Save the workspace as.
    pub save_as: Option<PathDialog>,
    /// Reopen with encoding and line breaks.
    pub reopen: Option<ReopenDialog>,
    /// The line breaks speeches are opened with (the open dialog's choice).
    pub reflow: Reflow,
    /// The open dialog's preview.
    pub open_preview: OpenPreview,
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
        let label = ui.label(tr!("dialog.path"));
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
        let enter = super::enter_pressed(ui, &field);
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
        ui.heading(tr!("open.heading"));
        ui.label(tr!("open.explained"));
        ui.add_space(6.0);
        if let Some(p) = path_row(
            ui,
            &mut d,
            &tr!("open.verb"),
            "/home/me/speeches/讲话.txt",
            true,
        ) {
            open_now = Some(vec![p]);
        }
        ui.horizontal(|ui| {
            if ui
                .button(tr!("dialog.browse"))
                .on_hover_text(tr!("open.browse_tip"))
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
        reflow_combo(ui, "open-reflow", &mut app.dialogs.reflow);
        let reflow = app.dialogs.reflow;
        match app.dialogs.open_preview.get(&d.path, reflow) {
            Some(Ok(p)) => preview_frame(ui, tr!("open.preview", encoding = p.encoding), p),
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
        ui.label(RichText::new(tr!("open.drag_hint")).weak());
        if !app.settings.recent_files.is_empty() {
            ui.separator();
            ui.label(tr!("open.recent"));
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
                    r.on_disabled_hover_text(tr!("open.missing_file"));
                }
            }
        }
        ui.separator();
        if ui.button(tr!("dialog.cancel")).clicked() {
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
        let verb = if purpose.saves() {
            tr!("dialog.save")
        } else {
            tr!("file.open_verb")
        };
        go = path_row(ui, &mut d, &verb, "", false);
        if ui.button(tr!("dialog.browse")).clicked() {
            let start = Some(PathBuf::from(d.path.trim())).filter(|p| !p.as_os_str().is_empty());
            app.jobs.pick(ctx, PickPurpose::File(purpose), start);
            d.note = None;
        }
        if let Some(note) = &d.note {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        ui.separator();
        if ui.button(tr!("dialog.cancel")).clicked() {
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
        ui.heading(tr!("save_as.heading"));
        save_now = path_row(ui, &mut d, &tr!("dialog.save"), "", false).map(with_ron_extension);
        let target = with_ron_extension(PathBuf::from(d.path.trim()));
        if !d.path.trim().is_empty() && target.exists() && Some(&target) != app.ws_path.as_ref() {
            ui.colored_label(ui.visuals().warn_fg_color, tr!("save_as.exists"));
        }
        if ui.button(tr!("dialog.browse")).clicked() {
            app.jobs
                .pick(ctx, PickPurpose::SaveAs, Some(PathBuf::from(d.path.trim())));
            d.note = None;
        }
        if let Some(note) = &d.note {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        ui.separator();
        if ui.button(tr!("dialog.cancel")).clicked() {
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
        ui.heading(tr!("reopen.heading"));
        ui.label(d.path.display().to_string());
        let before = d.options.encoding;
        egui::ComboBox::from_label(tr!("reopen.encoding"))
            .selected_text(encoding_label(d.options.encoding))
            .show_ui(ui, |ui| {
                for c in EncodingChoice::ALL {
                    ui.selectable_value(&mut d.options.encoding, c, encoding_label(c));
                }
            });
        if reflow_combo(ui, "reopen-reflow", &mut d.options.reflow) || d.options.encoding != before
        {
            d.refresh();
        }
        ui.separator();
        match &d.preview {
            Ok(p) => preview_frame(ui, tr!("reopen.preview", encoding = p.encoding), p),
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
        ui.separator();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(d.preview.is_ok(), egui::Button::new(tr!("reopen.verb")))
                .on_hover_text(tr!("reopen.verb_tip"))
                .clicked()
            {
                reopen = true;
            }
            if ui.button(tr!("dialog.cancel")).clicked() {
                keep = false;
            }
        });
    });
    if reopen {
        app.reopen(ctx, d.id, d.path.clone(), d.options);
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
        ui.heading(tr!("welcome.heading"));
        ui.label(tr!("welcome.intro"));
        ui.label(tr!("welcome.offer"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(tr!("welcome.open_sample")).clicked() {
                answered = Some(1);
            }
            if ui.button(tr!("welcome.open_file")).clicked() {
                answered = Some(2);
            }
            if ui.button(tr!("welcome.not_now")).clicked() {
                answered = Some(0);
            }
        });
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(tr!("menu.language"));
            let current = app.language();
            for l in Language::ALL {
                if ui.selectable_label(current == l, l.native_name()).clicked() && current != l {
                    app.set_language(Some(l));
                }
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
        ui.heading(tr!("confirm.heading"));
        ui.label(tr!(
            "confirm.unsaved",
            name = app
                .window_title()
                .trim_end_matches(" — Yinwen 引文")
                .trim_end_matches(" •")
        ));
        ui.horizontal(|ui| {
            if ui.button(tr!("dialog.save")).clicked() {
                answer = Some(0);
            }
            if ui.button(tr!("confirm.dont_save")).clicked() {
                answer = Some(1);
            }
            if ui.button(tr!("dialog.cancel")).clicked() {
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
    egui::Window::new(Action::Shortcuts.label())
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for a in Action::all() {
                    let keys: Vec<String> = a
                        .shortcuts()
                        .iter()
                        .map(|s| ctx.format_shortcut(s))
                        .collect();
                    if keys.is_empty() {
                        continue;
                    }
                    ui.label(a.label());
                    ui.label(keys.join(&tr!("shortcuts.or")));
                    ui.end_row();
                }
                ui.label(tr!("shortcuts.select_text"));
                ui.label(tr!("shortcuts.select_text_how"));
                ui.end_row();
                ui.label(tr!("shortcuts.select_sentence"));
                ui.label(tr!("shortcuts.select_sentence_how"));
                ui.end_row();
            });
        });
    app.dialogs.shortcuts = open;
}

/// The SIL Open Font License of the bundled font, shown in Help → About (the OFL asks that
/// the licence travel with the font, and the binary carries the font).
const FONT_LICENCE: &str = include_str!("../../fonts/OFL-NotoSansSC.txt");

fn about_window(app: &mut YinwenApp, ctx: &egui::Context) {
    let mut open = app.dialogs.about;
    egui::Window::new(Action::About.label())
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            ui.heading(format!("Yinwen 引文 {}", env!("CARGO_PKG_VERSION")));
            ui.label(tr!("about.tagline"));
            ui.label(tr!("about.licence", licence = env!("CARGO_PKG_LICENSE")));
            ui.separator();
            ui.label(tr!("about.font_notice"));
            egui::CollapsingHeader::new(tr!("about.show_font_licence"))
                .id_salt("font-licence")
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(260.0)
                        .show(ui, |ui| {
                            ui.label(egui::RichText::new(FONT_LICENCE).monospace().small());
                        });
                });
        });
    app.dialogs.about = open;
}
