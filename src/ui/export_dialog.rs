//! File → Export…: format, documents, tags and what to include; remembers the last choices;
//! writes off the UI thread and can open the file afterwards.

use std::collections::BTreeSet;
use std::path::PathBuf;

use egui::{Id, RichText};

use crate::export::{ExportOptions, Format};
use crate::model::TagId;

use super::app::YinwenApp;
use super::i18n::tr;
use super::jobs::JobResult;

/// Export choices kept between runs (in the settings file).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ExportChoices {
    /// Format name (html, docx, md, csv, xlsx).
    pub format: String,
    /// Only the current document (else all).
    pub current_only: bool,
    /// Include notes.
    pub notes: bool,
    /// Include sources.
    pub sources: bool,
    /// Include verification status.
    pub verification: bool,
    /// Open the file when written.
    pub open_after: bool,
    /// Last folder written to.
    pub folder: Option<PathBuf>,
}

impl Default for ExportChoices {
    fn default() -> Self {
        ExportChoices {
            format: "html".into(),
            current_only: true,
            notes: true,
            sources: true,
            verification: true,
            open_after: false,
            folder: None,
        }
    }
}

/// The open export dialog.
pub struct ExportDialog {
    /// Choices (copied back to the settings when exporting).
    pub choices: ExportChoices,
    /// Tags to restrict to (empty: all).
    pub tags: BTreeSet<TagId>,
    /// The file to write.
    pub path: String,
}

impl YinwenApp {
    /// Opens the export dialog with the last choices.
    pub fn open_export_dialog(&mut self) {
        let choices = self.settings.export.clone();
        let format: Format = choices.format.parse().unwrap_or_default();
        let stem = self
            .current_document()
            .map(|d| d.display_name())
            .unwrap_or_else(|| "yinwen-export".into());
        let stem = stem
            .trim_end_matches(".txt")
            .trim_end_matches(".docx")
            .replace(['/', '\\'], "_");
        let folder = choices
            .folder
            .clone()
            .or_else(|| {
                self.ws_path
                    .as_ref()
                    .and_then(|p| p.parent().map(PathBuf::from))
            })
            .unwrap_or_else(|| PathBuf::from("."));
        let path = folder.join(format!("{stem}.{}", format.extension()));
        self.export_dialog = Some(ExportDialog {
            choices,
            tags: BTreeSet::new(),
            path: path.display().to_string(),
        });
    }

    /// Starts writing the export on a background thread.
    pub fn run_export(&mut self, ctx: &egui::Context, d: &ExportDialog) {
        let format: Format = d.choices.format.parse().unwrap_or_default();
        let opts = ExportOptions {
            docs: if d.choices.current_only {
                self.current.map(|c| vec![c])
            } else if !self.corpus.filter.is_empty() {
                Some(
                    self.corpus
                        .filter
                        .documents(self.ws())
                        .map(|d| d.id)
                        .collect(),
                )
            } else {
                None
            },
            tags: (!d.tags.is_empty()).then(|| d.tags.iter().copied().collect()),
            notes: d.choices.notes,
            sources: d.choices.sources,
            verification: d.choices.verification,
            // Labels in the interface's language; comments signed with the user's name.
            lang: match self.language() {
                super::i18n::Language::Chinese => crate::export::Lang::Zh,
                super::i18n::Language::English => crate::export::Lang::En,
            },
            author: self.settings.author.trim().to_string(),
            project_name: self
                .ws_path
                .as_ref()
                .and_then(|p| p.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            project_date: Some(std::time::SystemTime::now()),
        };
        if opts.docs.as_ref().is_some_and(|d| d.is_empty()) {
            self.error(tr!("export.nothing_filtered"));
            return;
        }
        let mut path = PathBuf::from(d.path.trim());
        if path.extension().is_none() {
            path.set_extension(format.extension());
        }
        self.settings.export = d.choices.clone();
        self.settings.export.folder = path.parent().map(PathBuf::from);
        self.save_settings();
        if let Some(ws_path) = &self.ws_path
            && crate::store::same_file(
                &crate::store::resolve_target(&path).unwrap_or(path.clone()),
                ws_path,
            )
        {
            self.error(tr!("export.onto_workspace", path = path.display()));
            return;
        }
        let ws = self.ws().clone();
        let open_after = d.choices.open_after;
        let label = tr!("progress.exporting", file = super::jobs::file_name(&path));
        self.jobs.spawn_with_progress(ctx, label, move |progress| {
            super::jobs::fault_point("export");
            let made = crate::export::export_with_warnings(&ws, format, &opts);
            // Cancelled while the copy was being made: write nothing.
            let cancelled = progress.is_cancelled();
            let result = if cancelled {
                Ok(Vec::new())
            } else {
                made.map_err(|e| e.to_string())
                    .and_then(|(bytes, warnings)| {
                        crate::store::write_atomic(&path, &bytes)
                            .map(|()| warnings)
                            .map_err(|e| {
                                tr!("export.cannot_write", path = path.display(), error = e)
                            })
                    })
            };
            JobResult::Exported {
                path,
                result,
                open_after,
                cancelled,
            }
        });
    }
}

/// Opens a file with the desktop's default program.
pub fn open_with_system(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(path).spawn().map(|_| ())
}

/// Shows the export dialog when open.
pub fn show(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some(mut d) = app.export_dialog.take() else {
        return;
    };
    let mut keep = true;
    let mut go = false;
    let all_label = if app.corpus.filter.is_empty() {
        tr!("export.all_documents")
    } else {
        tr!(
            "export.filtered_documents",
            n = app.corpus.filter.documents(app.ws()).count(),
            m = app.ws().documents.len()
        )
    };
    egui::Modal::new(Id::unique("export-dialog")).show(ctx, |ui| {
        ui.set_width(540.0);
        ui.heading(tr!("export.heading"));
        let before: Format = d.choices.format.parse().unwrap_or_default();
        let mut format = before;
        egui::ComboBox::new("export-format", tr!("export.format"))
            .selected_text(format_label(format))
            .show_ui(ui, |ui| {
                for f in Format::ALL {
                    ui.selectable_value(&mut format, f, format_label(f));
                }
            });
        if format != before {
            d.choices.format = format.extension().into();
            let p = PathBuf::from(d.path.trim()).with_extension(format.extension());
            d.path = p.display().to_string();
        }
        ui.horizontal(|ui| {
            ui.radio_value(
                &mut d.choices.current_only,
                true,
                tr!("export.current_document"),
            );
            ui.radio_value(&mut d.choices.current_only, false, all_label);
        });
        if format == Format::Docx {
            // Asked here once: kept in the settings for the next export.
            ui.horizontal(|ui| {
                let label = ui.label(tr!("export.author"));
                ui.add(
                    egui::TextEdit::singleline(&mut app.settings.author)
                        .desired_width(200.0)
                        .hint_text(tr!("export.author_hint")),
                )
                .labelled_by(label.id)
                .on_hover_text(tr!("export.author_tip"));
            });
        }
        ui.horizontal(|ui| {
            ui.checkbox(&mut d.choices.notes, tr!("export.notes"));
            ui.checkbox(&mut d.choices.sources, tr!("export.sources"));
            ui.checkbox(&mut d.choices.verification, tr!("export.verification"));
        });
        if !app.ws().tags.is_empty() {
            egui::CollapsingHeader::new(if d.tags.is_empty() {
                tr!("export.tags_all")
            } else {
                tr!("export.tags_some", n = d.tags.len())
            })
            .id_salt("export-tags")
            .show(ui, |ui| {
                for (depth, t) in app.ws().tag_tree() {
                    ui.horizontal(|ui| {
                        ui.add_space(depth as f32 * 14.0);
                        let mut on = d.tags.contains(&t.id);
                        if ui.checkbox(&mut on, &t.name).changed() {
                            if on {
                                d.tags.insert(t.id);
                            } else {
                                d.tags.remove(&t.id);
                            }
                        }
                    });
                }
            });
        }
        ui.horizontal(|ui| {
            let label = ui.label(tr!("export.file"));
            ui.add(egui::TextEdit::singleline(&mut d.path).desired_width(380.0))
                .labelled_by(label.id);
        });
        ui.checkbox(&mut d.choices.open_after, tr!("export.open_after"));
        ui.label(RichText::new(tr!("export.atomic_note")).weak());
        ui.separator();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !d.path.trim().is_empty(),
                    egui::Button::new(tr!("export.verb")),
                )
                .clicked()
            {
                go = true;
            }
            if ui.button(tr!("dialog.cancel")).clicked() {
                keep = false;
            }
        });
    });
    if go {
        app.run_export(ctx, &d);
        keep = false;
    }
    if keep {
        app.export_dialog = Some(d);
    }
}

fn format_label(f: Format) -> String {
    match f {
        Format::Html => tr!("export.format_html"),
        Format::Docx => tr!("export.format_docx"),
        Format::Markdown => tr!("export.format_md"),
        Format::Csv => tr!("export.format_csv"),
        Format::Xlsx => tr!("export.format_xlsx"),
        Format::Qdpx => tr!("export.format_qdpx"),
    }
}
