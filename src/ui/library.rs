//! The Library panel and "find the source" in the window: folders of official texts indexed
//! in the background (progress, Cancel), their documents with editable metadata, full-text
//! search with highlighted hits and a preview, and for each directive the candidate sources
//! found in the whole library, linked (and verified) with one click.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use egui::{Color32, RichText, Ui};

use crate::analysis::header::{DocKind, Header};
use crate::library::{self, FoundMatch, Library, SearchHit, claims};
use crate::model::{AnnId, Command, Source, SourceId, SourceKind};

use super::app::YinwenApp;
use super::i18n::tr;
use super::intent::Intent;
use super::jobs::JobResult;

/// Matches shown per directive.
pub const FIND_LIMIT: usize = 5;
/// Hits shown per search.
const SEARCH_LIMIT: usize = 100;

/// The Library panel's state.
#[derive(Default)]
pub struct LibraryUi {
    /// The library, once opened (shared with background jobs).
    pub library: Option<Arc<Library>>,
    /// Why it could not be opened.
    pub open_error: Option<String>,
    /// The "add folder" field.
    pub add_path: String,
    /// The search field.
    pub query: String,
    /// Hits of the last search.
    pub hits: Vec<SearchHit>,
    /// The hit shown in the preview.
    pub preview: Option<usize>,
    /// The document whose metadata is edited: (folder, file, the fields).
    pub editing: Option<(usize, String, Header)>,
    /// Candidate sources per directive.
    pub found: HashMap<AnnId, Vec<FoundMatch>>,
    /// "Find in library" for a selection: the text and its matches.
    pub selection: Option<(String, Vec<FoundMatch>)>,
    /// Filter of the document list.
    pub filter: String,
    /// A library document shown in its own window, at a passage.
    pub viewer: Option<Viewer>,
    /// Problems of the library already shown (each is shown once).
    pub shown_problems: std::collections::HashSet<String>,
}

/// A library document open in the viewer window, scrolled to a passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewer {
    /// Index of the folder in the library.
    pub folder: usize,
    /// Path relative to the folder.
    pub file: String,
    /// The passage (char offsets).
    pub range: std::ops::Range<usize>,
    /// Whether the view has been scrolled to the passage yet.
    pub scrolled: bool,
}

impl Viewer {
    /// The viewer at `start..end` of `file`.
    pub fn at(folder: usize, file: &str, start: usize, end: usize) -> Viewer {
        Viewer {
            folder,
            file: file.to_string(),
            range: start..end,
            scrolled: false,
        }
    }
}

/// What the user asked of a candidate in [`candidates_list`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateAction {
    /// Link the directive to it (and verify).
    Link(usize),
    /// Show it in its document.
    Show(usize),
}

fn status_text(m: &FoundMatch) -> (String, Color32) {
    let (label, color) =
        super::directives::status_label(crate::model::VerifyStatus::from(m.status));
    if m.script_differs {
        (format!("{label} {}", tr!("lib.different_script")), color)
    } else {
        (label, color)
    }
}

fn source_kind(k: DocKind) -> SourceKind {
    match k {
        DocKind::Speech => SourceKind::Speech,
        DocKind::Law | DocKind::Regulation => SourceKind::Law,
        DocKind::Book | DocKind::Other => SourceKind::Other,
        _ => SourceKind::Document,
    }
}

impl YinwenApp {
    /// Opens (in the background) the library of the folders in the settings.
    pub fn open_library(&mut self, ctx: &egui::Context) {
        let folders = self.settings.library_folders.clone();
        if folders.is_empty() {
            self.lib_ui.library = None;
            return;
        }
        self.jobs
            .spawn_with_progress(ctx, tr!("lib.opening"), move |progress| {
                match Library::open_or_index(&folders, progress) {
                    Ok((lib, reports)) => JobResult::LibraryIndexed {
                        reports: reports.into_iter().map(|(d, r)| (d, Ok(r))).collect(),
                        opened: Ok(Arc::new(lib)),
                    },
                    Err(e) => JobResult::LibraryOpened(Err(e.to_string())),
                }
            });
    }

    /// Indexes every library folder (new, changed and removed files), with progress and
    /// Cancel in the status bar; then opens the library again.
    pub fn start_library_index(&mut self, ctx: &egui::Context) {
        let folders = self.settings.library_folders.clone();
        if folders.is_empty() {
            self.info(tr!("lib.no_folders"));
            return;
        }
        self.jobs
            .spawn_with_progress(ctx, tr!("lib.indexing"), move |progress| {
                let mut reports = Vec::new();
                for f in &folders {
                    let r = library::index_folder(f, progress).map_err(|e| e.to_string());
                    reports.push((f.clone(), r));
                    if progress.is_cancelled() {
                        break;
                    }
                }
                let opened = Library::open(&folders)
                    .map(Arc::new)
                    .map_err(|e| e.to_string());
                JobResult::LibraryIndexed { reports, opened }
            });
    }

    /// Takes the outcome of an indexing run.
    pub fn on_library_indexed(
        &mut self,
        reports: Vec<(PathBuf, Result<library::IndexReport, String>)>,
        opened: Result<Arc<Library>, String>,
    ) {
        for (dir, r) in reports {
            match r {
                Ok(r) => {
                    self.info(tr!(
                        "lib.indexed",
                        folder = dir.display(),
                        documents = r.documents,
                        added = r.added,
                        changed = r.changed,
                        removed = r.removed
                    ));
                    for s in r.skipped {
                        self.info(tr!("lib.skipped", file = s.file, reason = s.reason));
                    }
                    if r.cancelled {
                        self.info(tr!("lib.index_cancelled"));
                    }
                }
                Err(e) => self.error(e),
            }
        }
        self.on_library_opened(opened);
    }

    /// Shows, once each, what makes the library's answers incomplete: folders that could
    /// not be opened, incomplete indexes, indexes that failed while being read.
    pub fn report_library_problems(&mut self) {
        let Some(lib) = self.lib_ui.library.clone() else {
            return;
        };
        for p in lib.problems() {
            if self.lib_ui.shown_problems.insert(p.clone()) {
                self.error(p);
            }
        }
    }

    /// Takes a library opened in the background.
    pub fn on_library_opened(&mut self, opened: Result<Arc<Library>, String>) {
        match opened {
            Ok(l) => {
                self.lib_ui.library = Some(l);
                self.lib_ui.open_error = None;
                self.lib_ui.shown_problems.clear();
                self.report_library_problems();
            }
            Err(e) => {
                self.lib_ui.open_error = Some(e);
            }
        }
    }

    /// Adds a folder to the library and indexes it.
    pub fn add_library_folder(&mut self, ctx: &egui::Context, dir: PathBuf) {
        if !dir.is_dir() {
            self.error(tr!("lib.not_a_folder", folder = dir.display()));
            return;
        }
        if !self.settings.library_folders.contains(&dir) {
            self.settings.library_folders.push(dir);
            self.save_settings();
        }
        self.start_library_index(ctx);
    }

    /// Takes a folder out of the library (its index stays on disk).
    pub fn remove_library_folder(&mut self, ctx: &egui::Context, i: usize) {
        if i < self.settings.library_folders.len() {
            self.settings.library_folders.remove(i);
            self.save_settings();
            self.lib_ui.found.clear();
            self.lib_ui.hits.clear();
            self.open_library(ctx);
        }
    }

    /// The candidate sources of one directive, from the whole library.
    pub fn find_source(&mut self, ann: AnnId) {
        let Some(lib) = self.lib_ui.library.clone() else {
            self.info(tr!("lib.no_library"));
            return;
        };
        let Some(a) = self.ws().annotation(ann) else {
            return;
        };
        let matches = lib.find(&a.anchor.quote, FIND_LIMIT);
        self.report_library_problems();
        if matches.is_empty() {
            self.info(tr!("lib.nothing_found"));
        }
        self.lib_ui.found.insert(ann, matches);
    }

    /// Finds the sources of every accepted directive of the workspace in the background.
    pub fn start_find_all(&mut self, ctx: &egui::Context) {
        let Some(lib) = self.lib_ui.library.clone() else {
            self.info(tr!("lib.no_library"));
            return;
        };
        let quotes: Vec<(AnnId, String)> = self
            .ws()
            .annotations
            .iter()
            .filter(|a| a.directive.is_some())
            .map(|a| (a.id, a.anchor.quote.to_string()))
            .collect();
        self.jobs
            .spawn_with_progress(ctx, tr!("lib.finding"), move |progress| {
                progress.set_total(quotes.len() as u64);
                let mut out = Vec::new();
                for (id, q) in quotes {
                    if progress.is_cancelled() {
                        return JobResult::SourcesFound(None);
                    }
                    out.push((id, lib.find(&q, FIND_LIMIT)));
                    progress.advance(1);
                }
                JobResult::SourcesFound(Some(out))
            });
    }

    /// Takes the outcome of [`Self::start_find_all`].
    pub fn on_sources_found(&mut self, found: Option<Vec<(AnnId, Vec<FoundMatch>)>>) {
        let Some(found) = found else {
            self.info(tr!("lib.find_cancelled"));
            return;
        };
        let with = found.iter().filter(|(_, m)| !m.is_empty()).count();
        self.info(tr!("lib.found_all", found = with, total = found.len()));
        self.lib_ui.found.extend(found);
        self.report_library_problems();
    }

    /// The source record for a library document: an existing one with the same 文号 (else
    /// the same title and date), or a new one from the document's metadata and text.
    fn source_for(&self, m: &FoundMatch) -> (SourceId, Option<Command>) {
        let h = &m.header;
        let number = h.doc_number.as_deref().map(crate::model::doc_number_key);
        let title = h.title.as_deref().map(crate::model::title_key);
        let date = h.date.clone().unwrap_or_default();
        let existing = self.ws().sources.iter().find(|s| match &number {
            Some(n) => {
                !s.doc_number.is_empty() && crate::model::doc_number_key(&s.doc_number) == *n
            }
            None => {
                title
                    .as_ref()
                    .is_some_and(|t| crate::model::title_key(&s.title) == *t)
                    && s.date == date
            }
        });
        let lib = self.lib_ui.library.as_ref();
        let text = lib
            .and_then(|l| l.folders.get(m.folder))
            .and_then(|f| f.text(&m.file))
            .map(|t| t.to_string());
        let path = lib
            .and_then(|l| l.folders.get(m.folder))
            .map(|f| f.path_of(&m.file).display().to_string())
            .unwrap_or_default();
        if let Some(s) = existing {
            if s.text.is_none() && text.is_some() {
                let mut s2 = s.clone();
                s2.text = text;
                return (s.id, Some(Command::SetSource(Box::new(s2))));
            }
            return (s.id, None);
        }
        let id = SourceId(self.ws().first_free_id());
        let src = Source {
            id,
            kind: source_kind(h.kind),
            title: h.title.clone().unwrap_or_default(),
            issuer: h
                .speaker
                .clone()
                .or_else(|| h.issuer.clone())
                .unwrap_or_default(),
            date,
            doc_number: h.doc_number.clone().unwrap_or_default(),
            occasion: h.occasion.clone().unwrap_or_default(),
            url: path,
            text,
            ..Default::default()
        };
        (id, Some(Command::AddSource(Box::new(src))))
    }

    /// Links a directive to the `i`-th candidate found for it (creating or reusing the
    /// source record, in one undo step) and verifies it against the source's text.
    pub fn link_found(&mut self, ann: AnnId, i: usize) {
        let Some(m) = self.lib_ui.found.get(&ann).and_then(|v| v.get(i)).cloned() else {
            return;
        };
        let Some(mut a) = self.ws().annotation(ann).cloned() else {
            return;
        };
        let (id, cmd) = self.source_for(&m);
        if let Some(d) = &mut a.directive {
            d.source = Some(id);
            d.source_span = None;
            d.verification = None;
        }
        let mut commands: Vec<Command> = cmd.into_iter().collect();
        commands.push(Command::SetAnnotation(Box::new(a)));
        let label = if commands.len() > 1 {
            crate::model::ChangeKind::CreateSource
        } else {
            crate::model::ChangeKind::EditAnnotation
        };
        if self.execute(Command::Batch { label, commands }) {
            self.verify_directive(ann);
        }
    }

    /// The selected text of the reading view.
    fn selected_text(&self) -> Option<String> {
        let (doc, r) = self.selection_range()?;
        let d = self.ws().document(doc)?;
        Some(d.text.chars().skip(r.start).take(r.len()).collect())
    }

    /// "Find in library" for the selected text: its matches shown in the Library tab.
    pub fn find_selection_in_library(&mut self) {
        let Some(text) = self.selected_text() else {
            return;
        };
        let Some(lib) = self.lib_ui.library.clone() else {
            self.info(tr!("lib.no_library"));
            return;
        };
        let m = lib.find(&text, FIND_LIMIT);
        self.report_library_problems();
        self.lib_ui.selection = Some((text, m));
        self.ann_ui.tab = super::annotate::SideTab::Library;
    }
}

/// Whether a directive's claim disagrees with the candidates found (shown as a warning).
pub fn misattribution_of(app: &YinwenApp, ann: AnnId) -> bool {
    let (Some(a), Some(found)) = (app.ws().annotation(ann), app.lib_ui.found.get(&ann)) else {
        return false;
    };
    let Some(info) = &a.directive else {
        return false;
    };
    let at = &info.attribution;
    let some = |s: &String| (!s.is_empty()).then(|| s.clone());
    let stated = claims::Claim {
        speaker: some(&at.speaker),
        title: some(&at.source_title),
        doc_number: some(&at.doc_number),
    };
    // The anchor's context is the text right before the quotation: enough for a document
    // named there (the whole text need not be walked every frame).
    let before = &a.anchor.prefix;
    let claim = claims::claim_from(
        stated,
        some(&at.date).as_deref(),
        before,
        before.chars().count(),
        None,
    );
    claims::misattributed(&claim, found)
}

/// The candidates found for a directive, each with its status, document, diff and a Link
/// button. Returns the index to link.
pub fn candidates_list(
    ui: &mut Ui,
    found: &[FoundMatch],
    can_link: bool,
    linked_title: Option<&str>,
) -> Option<CandidateAction> {
    let mut link = None;
    if found.is_empty() {
        ui.label(RichText::new(tr!("lib.nothing_found")).weak());
    }
    for (i, m) in found.iter().enumerate() {
        ui.group(|ui| {
            ui.horizontal_wrapped(|ui| {
                let (label, color) = status_text(m);
                ui.label(RichText::new(label).color(color).strong());
                ui.label(RichText::new(format!("{:.0}%", m.similarity * 100.0)).weak());
                let title = m
                    .header
                    .title
                    .clone()
                    .unwrap_or_else(|| crate::library::names::display(&m.file).to_string());
                ui.label(RichText::new(short(&title, 40)).strong())
                    .on_hover_text(format!(
                        "{}\n{}–{}",
                        crate::library::names::display(&m.file),
                        m.start,
                        m.end
                    ));
            });
            let mut meta = Vec::new();
            if let Some(s) = &m.header.speaker {
                meta.push(s.clone());
            }
            if let Some(d) = &m.header.date {
                meta.push(d.clone());
            }
            if let Some(n) = &m.header.doc_number {
                meta.push(n.clone());
            }
            if !meta.is_empty() {
                ui.label(RichText::new(meta.join(" · ")).weak());
            }
            if let Some(q) = &m.quoted_from {
                let who = q
                    .speaker
                    .clone()
                    .or_else(|| q.source_title.clone())
                    .unwrap_or_default();
                ui.label(RichText::new(tr!("lib.quoting", who = who)).weak())
                    .on_hover_text(tr!("lib.quoting_tip"));
            }
            if m.status == crate::analysis::verify::Status::Variant {
                super::directives::diff_view(ui, &m.diff);
            } else {
                ui.label(RichText::new(short(&m.passage, 120)).weak());
            }
            let is_linked = linked_title.is_some_and(|t| Some(t) == m.header.title.as_deref());
            ui.horizontal(|ui| {
                if can_link
                    && ui
                        .add_enabled(!is_linked, egui::Button::new(tr!("lib.link")))
                        .on_hover_text(tr!("lib.link_tip"))
                        .clicked()
                {
                    link = Some(CandidateAction::Link(i));
                }
                if ui
                    .button(tr!("lib.show_in_document"))
                    .on_hover_text(tr!("lib.show_in_document_tip"))
                    .clicked()
                {
                    link = Some(CandidateAction::Show(i));
                }
            });
        });
    }
    link
}

fn short(s: &str, n: usize) -> String {
    crate::model::preview(s, n)
}

/// The Library tab.
pub fn library_tab(app: &mut YinwenApp, ui: &mut Ui) {
    let busy = app.jobs.busy();
    let folders = app.settings.library_folders.clone();
    let intents = library_view(ui, &mut app.lib_ui, &folders, busy);
    app.apply_intents(intents);
}

/// The Library panel: folders, documents, search and the selection's sources.
pub fn library_view(
    ui: &mut Ui,
    st: &mut LibraryUi,
    folders: &[PathBuf],
    busy: bool,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.heading(tr!("lib.title"));
    // Folders.
    for (i, f) in folders.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(f.display().to_string());
            if ui
                .small_button(tr!("lib.remove_folder"))
                .on_hover_text(tr!("lib.remove_folder_tip"))
                .clicked()
            {
                intents.push(Intent::RemoveLibraryFolder(i));
            }
        });
    }
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut st.add_path)
                .hint_text(tr!("lib.folder_hint"))
                .desired_width(170.0),
        );
        if ui
            .button(tr!("lib.add_folder"))
            .on_hover_text(tr!("lib.add_folder_tip"))
            .clicked()
            && !st.add_path.trim().is_empty()
        {
            intents.push(Intent::AddLibraryFolder(PathBuf::from(st.add_path.trim())));
            st.add_path.clear();
        }
        if ui.button(tr!("lib.browse")).clicked() {
            intents.push(Intent::PickLibraryFolder);
        }
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !folders.is_empty() && !busy,
                egui::Button::new(tr!("lib.update")),
            )
            .on_hover_text(tr!("lib.update_tip"))
            .clicked()
        {
            intents.push(Intent::IndexLibrary);
        }
        if let Some(l) = &st.library {
            ui.label(RichText::new(tr!("lib.count", n = l.document_count())).weak());
        }
    });
    if let Some(e) = &st.open_error {
        ui.colored_label(ui.visuals().warn_fg_color, e);
    }
    let Some(lib) = st.library.clone() else {
        ui.label(RichText::new(tr!("lib.empty_help")).weak());
        return intents;
    };
    ui.separator();
    // The selection's sources.
    if let Some((text, found)) = &st.selection {
        ui.label(RichText::new(tr!("lib.selection_sources", text = short(text, 30))).strong());
        if let Some(CandidateAction::Show(i) | CandidateAction::Link(i)) =
            candidates_list(ui, found, false, None)
            && let Some(m) = found.get(i)
        {
            st.viewer = Some(Viewer::at(m.folder, &m.file, m.start, m.end));
        }
        if ui.small_button(tr!("lib.close")).clicked() {
            st.selection = None;
        }
        ui.separator();
    }
    // Search.
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut st.query)
                .hint_text(tr!("lib.search_hint"))
                .desired_width(200.0),
        );
        let enter = super::enter_pressed(ui, &r);
        if (ui.button(tr!("lib.search")).clicked() || enter) && !st.query.trim().is_empty() {
            st.hits = lib.search(st.query.trim(), SEARCH_LIMIT);
            st.preview = None;
        }
    });
    if !st.hits.is_empty() {
        ui.label(RichText::new(tr!("lib.hits", n = st.hits.len())).weak());
        egui::ScrollArea::vertical()
            .id_salt("lib-hits")
            .max_height(220.0)
            .show(ui, |ui| {
                for (i, h) in st.hits.iter().enumerate() {
                    let title = h
                        .title
                        .clone()
                        .unwrap_or_else(|| crate::library::names::display(&h.file).to_string());
                    let mut job = egui::text::LayoutJob::default();
                    let body = egui::TextFormat {
                        color: ui.visuals().text_color(),
                        ..Default::default()
                    };
                    let mark = egui::TextFormat {
                        background: Color32::from_rgb(255, 230, 120),
                        color: Color32::BLACK,
                        ..Default::default()
                    };
                    let weak = egui::TextFormat {
                        color: ui.visuals().weak_text_color(),
                        ..Default::default()
                    };
                    job.append(&format!("{} ", short(&title, 18)), 0.0, weak);
                    job.append(&short_tail(&h.before, 14), 0.0, body.clone());
                    job.append(&h.hit, 0.0, mark);
                    job.append(&short(&h.after, 14), 0.0, body);
                    if ui
                        .selectable_label(st.preview == Some(i), job)
                        .on_hover_text(tr!("lib.hit_tip"))
                        .clicked()
                    {
                        st.preview = Some(i);
                    }
                }
            });
        if let Some(h) = st.preview.and_then(|i| st.hits.get(i)) {
            ui.group(|ui| {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} ({}–{})",
                            crate::library::names::display(&h.file),
                            h.start,
                            h.end
                        ))
                        .weak(),
                    );
                    if ui
                        .small_button(tr!("lib.show_in_document"))
                        .on_hover_text(tr!("lib.show_in_document_tip"))
                        .clicked()
                    {
                        st.viewer = Some(Viewer::at(h.folder, &h.file, h.start, h.end));
                    }
                });
                if let Some(text) = lib.folders.get(h.folder).and_then(|f| f.text(&h.file)) {
                    let before: String = text
                        .chars()
                        .skip(h.start.saturating_sub(200))
                        .take(h.start.min(200))
                        .collect();
                    let after: String = text.chars().skip(h.end).take(300).collect();
                    ui.horizontal_wrapped(|ui| {
                        ui.spacing_mut().item_spacing.x = 0.0;
                        ui.label(before);
                        ui.label(
                            RichText::new(&h.hit)
                                .background_color(Color32::from_rgb(255, 230, 120))
                                .color(Color32::BLACK),
                        );
                        ui.label(after);
                    });
                }
            });
        }
        ui.separator();
    }
    // Documents and their metadata.
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr!("lib.documents")).strong());
        ui.add(
            egui::TextEdit::singleline(&mut st.filter)
                .hint_text(tr!("lib.filter_hint"))
                .desired_width(140.0),
        );
    });
    let filter = st.filter.trim().to_string();
    // Rows of the list (virtualised: a library has thousands of documents).
    let rows: Vec<(usize, &library::Entry)> = lib
        .folders
        .iter()
        .enumerate()
        .flat_map(|(fi, f)| f.entries().iter().map(move |e| (fi, e)))
        .filter(|(_, e)| {
            filter.is_empty()
                || crate::library::names::display(&e.file).contains(&filter)
                || e.header
                    .title
                    .as_deref()
                    .is_some_and(|t| t.contains(&filter))
        })
        .collect();
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("lib-docs")
        .max_height(260.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for (fi, e) in &rows[range] {
                let folder = &lib.folders[*fi];
                let h = folder.header(&e.file).unwrap_or_default();
                let title = h
                    .title
                    .clone()
                    .unwrap_or_else(|| crate::library::names::display(&e.file).to_string());
                let sel = st
                    .editing
                    .as_ref()
                    .is_some_and(|(f, file, _)| f == fi && *file == e.file);
                let edited = if folder.is_edited(&e.file) { " *" } else { "" };
                ui.horizontal(|ui| {
                    let r = cell(ui, 200.0, row_h, |ui| {
                        ui.add(egui::Button::selectable(
                            sel,
                            format!("{}{edited}", short(&title, 20)),
                        ))
                    })
                    .on_hover_text(format!(
                        "{}\n{title}",
                        crate::library::names::display(&e.file)
                    ));
                    if r.clicked() {
                        st.editing = Some((*fi, e.file.clone(), h.clone()));
                    }
                    cell(ui, 80.0, row_h, |ui| {
                        ui.label(h.date.as_deref().unwrap_or(""))
                    });
                    cell(ui, 130.0, row_h, |ui| {
                        ui.label(h.doc_number.as_deref().unwrap_or(""))
                    });
                    ui.label(RichText::new(h.kind.word()).weak());
                });
            }
        });
    if let Some((fi, file, h)) = &mut st.editing {
        ui.group(|ui| {
            ui.label(RichText::new(file.as_str()).weak());
            egui::Grid::new("lib-meta").num_columns(2).show(ui, |ui| {
                let field = |ui: &mut Ui, label: String, v: &mut Option<String>| {
                    ui.label(label);
                    let mut s = v.clone().unwrap_or_default();
                    if ui
                        .add(egui::TextEdit::singleline(&mut s).desired_width(180.0))
                        .changed()
                    {
                        *v = (!s.trim().is_empty()).then_some(s);
                    }
                    ui.end_row();
                };
                field(ui, tr!("field.source_title"), &mut h.title);
                field(ui, tr!("lib.issuer"), &mut h.issuer);
                field(ui, tr!("field.doc_number"), &mut h.doc_number);
                field(ui, tr!("field.date"), &mut h.date);
                field(ui, tr!("field.speaker"), &mut h.speaker);
                field(ui, tr!("field.occasion"), &mut h.occasion);
                ui.label(tr!("lib.kind"));
                egui::ComboBox::new("lib-kind", "")
                    .selected_text(h.kind.word())
                    .show_ui(ui, |ui| {
                        for k in DocKind::ALL {
                            ui.selectable_value(&mut h.kind, k, k.word());
                        }
                    });
                ui.end_row();
            });
            if !h.aliases.is_empty() {
                ui.label(RichText::new(tr!("lib.aliases", list = h.aliases.join("、"))).weak());
            }
            if !h.doc_number_issues.is_empty() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tr!(
                        "lib.doc_number_issues",
                        list = h.doc_number_issues.join(", ")
                    ),
                );
            }
            ui.horizontal(|ui| {
                if ui.button(tr!("lib.save_meta")).clicked() {
                    intents.push(Intent::SaveLibraryMeta(*fi, file.clone(), Some(h.clone())));
                }
                if ui
                    .button(tr!("lib.reset_meta"))
                    .on_hover_text(tr!("lib.reset_meta_tip"))
                    .clicked()
                {
                    intents.push(Intent::SaveLibraryMeta(*fi, file.clone(), None));
                }
            });
        });
    }
    intents
}

/// A left-aligned cell of a fixed width in a row.
fn cell(
    ui: &mut Ui,
    width: f32,
    height: f32,
    add: impl FnOnce(&mut Ui) -> egui::Response,
) -> egui::Response {
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            add(ui)
        },
    )
    .inner
}

fn short_tail(s: &str, n: usize) -> String {
    let c: Vec<char> = s.chars().collect();
    if c.len() > n {
        let mut t = String::from("…");
        t.extend(&c[c.len() - n..]);
        t
    } else {
        s.to_string()
    }
}

/// The viewer window: a library document, the passage highlighted and scrolled into view.
pub fn viewer_window(app: &mut YinwenApp, ctx: &egui::Context) {
    let (Some(v), Some(lib)) = (app.lib_ui.viewer.clone(), app.lib_ui.library.clone()) else {
        return;
    };
    let Some(folder) = lib.folders.get(v.folder) else {
        app.lib_ui.viewer = None;
        return;
    };
    let Some(text) = folder.text(&v.file) else {
        app.lib_ui.viewer = None;
        return;
    };
    let title = folder
        .header(&v.file)
        .and_then(|h| h.title)
        .unwrap_or_else(|| crate::library::names::display(&v.file).to_string());
    let mut open = true;
    let mut scrolled = v.scrolled;
    egui::Window::new(short(&title, 40))
        .id(egui::Id::unique("library-viewer"))
        .open(&mut open)
        .default_size([620.0, 520.0])
        .show(ctx, |ui| {
            ui.label(RichText::new(crate::library::names::display(&v.file)).weak());
            egui::ScrollArea::vertical().show(ui, |ui| {
                let (a, b) = (
                    crate::model::byte_at(&text, v.range.start),
                    crate::model::byte_at(&text, v.range.end),
                );
                let body = egui::TextFormat {
                    font_id: egui::FontId::proportional(16.0),
                    color: ui.visuals().text_color(),
                    ..Default::default()
                };
                let mark = egui::TextFormat {
                    background: Color32::from_rgb(255, 230, 120),
                    color: Color32::BLACK,
                    ..body.clone()
                };
                let mut job = egui::text::LayoutJob::default();
                job.wrap.max_width = ui.available_width();
                job.append(&text[..a], 0.0, body.clone());
                job.append(&text[a..b], 0.0, mark);
                job.append(&text[b..], 0.0, body);
                let galley = ui.painter().layout_job(job);
                let (rect, _) = ui.allocate_exact_size(galley.size(), egui::Sense::hover());
                ui.painter()
                    .galley(rect.min, galley.clone(), ui.visuals().text_color());
                if !scrolled {
                    let at = galley
                        .pos_from_cursor(egui::text::CCursor::new(v.range.start))
                        .translate(rect.min.to_vec2());
                    ui.scroll_to_rect(at, Some(egui::Align::Center));
                    scrolled = true;
                }
            });
        });
    if !open {
        app.lib_ui.viewer = None;
    } else if let Some(v) = &mut app.lib_ui.viewer {
        v.scrolled = scrolled;
    }
}
