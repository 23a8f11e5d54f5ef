//! Application state and everything that changes it: opening, saving, undo, jobs.
//! The layout lives in `view.rs` and the dialogs in `dialogs.rs`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::document_from_decoded;
use crate::import::{self, EncodingChoice};
use crate::model::{Command, DocId, Document, History, Workspace};
use crate::store;

use super::actions::Action;
use super::annotate::{AnnotationUi, SearchUi};
use super::dialogs::Dialogs;
use super::fonts;
use super::i18n::{self, Language, tr};
use super::jobs::{JobResult, Jobs, PickPurpose};
use super::reader::Mark;
use super::reader::ReaderState;
use super::settings::{DEFAULT_TEXT_SIZE, Settings, TEXT_SIZE_RANGE, Theme};

/// Marks of a document with the history state and selected annotation they were built for.
pub(crate) type CachedMarks = (u64, Option<crate::model::AnnId>, std::sync::Arc<Vec<Mark>>);

/// How the app is started.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Speeches or a workspace to open.
    pub files: Vec<PathBuf>,
    /// Where settings are kept; `None` keeps them in memory only (tests).
    pub settings_path: Option<PathBuf>,
    /// Where unsaved work is autosaved; `None` turns autosave off.
    pub recovery_path: Option<PathBuf>,
    /// A language to start in instead of the one in the settings (tests use it so that
    /// labels do not depend on the machine's locale). `None` keeps the settings' choice.
    pub language: Option<Language>,
}

/// A message for the user. Errors stay until dismissed; information fades.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Whether this is an error.
    pub error: bool,
    /// The text.
    pub text: String,
    /// When it was raised.
    pub at: Instant,
}

/// What to do once the user has answered "save changes?".
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Replace the workspace with the one in this file.
    OpenWorkspace(PathBuf),
    /// Close the window.
    Quit,
    /// Start an empty workspace.
    NewWorkspace,
    /// Open the sample as its own workspace.
    OpenSample,
    /// Open the verification exercise as its own workspace.
    OpenVerificationSample,
    /// Open a REFI-QDA project (`.qdpx`) as a new workspace.
    OpenProject(PathBuf),
}

/// The whole application.
pub struct YinwenApp {
    /// The workspace being edited. Changed only through [`YinwenApp::execute`], undo and redo.
    ws: Workspace,
    /// Undo/redo and the unsaved marker.
    pub history: History,
    /// The workspace's file, once saved or opened.
    pub ws_path: Option<PathBuf>,
    /// The document shown.
    pub current: Option<DocId>,
    /// View state per document.
    pub views: HashMap<DocId, ReaderState>,
    /// Settings kept between runs.
    pub settings: Settings,
    settings_path: Option<PathBuf>,
    /// Background jobs.
    pub jobs: Jobs,
    /// Messages for the user.
    pub notices: Vec<Notice>,
    /// Open dialogs.
    pub dialogs: Dialogs,
    /// Action waiting for the "save changes?" answer.
    pub pending: Option<Pending>,
    /// Speeches to import once a workspace being loaded has arrived.
    after_load: Vec<PathBuf>,
    /// Characters already looked for in system fonts.
    fonts_searched: BTreeSet<char>,
    /// Characters no font can draw.
    pub unshowable: BTreeSet<char>,
    /// Characters each document needs that the bundled font lacks.
    missing_by_doc: HashMap<DocId, BTreeSet<char>>,
    /// Set once the user confirmed quitting.
    allow_close: bool,
    /// Annotation panel state.
    pub ann_ui: AnnotationUi,
    /// Find bar state.
    pub search: SearchUi,
    /// Directives and sources tabs.
    pub dir_ui: super::directives::DirectivesUi,
    /// The Library panel and the sources found in it.
    pub lib_ui: super::library::LibraryUi,
    /// The window's context, for starting background jobs from intents.
    pub egui_ctx: egui::Context,
    /// The export dialog, when open.
    pub export_dialog: Option<super::export_dialog::ExportDialog>,
    /// Autosave and crash recovery.
    pub autosave: super::recovery::Autosave,
    /// Marks per document, with the history state and selected annotation they were built for.
    pub(crate) marks_cache: HashMap<DocId, CachedMarks>,
    title: String,
    /// A colleague's workspace planned for merging, waiting for the user's choices.
    pub merge_review: Option<super::merge_dialog::MergeReview>,
    /// Their workspace while the user picks the common ancestor.
    pub pending_merge_theirs: Option<PathBuf>,
    /// The workspace file, its lock and what it looked like: see `shared_file.rs`.
    pub shared: super::shared_file::SharedFile,
    /// The system's language, read once at start.
    pub(crate) system_language: Language,
    /// The review desk under the text: Problems list and Directive table.
    pub review: super::review::ReviewState,
    /// The corpus desk (View → Across documents), shown in place of the text.
    pub corpus: super::corpus::CorpusState,
}

impl YinwenApp {
    /// Creates the app: fonts, settings, and the files given on the command line.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        cc.egui_ctx.set_fonts(fonts::font_definitions());
        cc.egui_ctx.options_mut(|o| {
            o.zoom_with_keyboard = false;
            // When the system says nothing of its theme (as under X11 without a desktop),
            // offices expect a light page.
            o.fallback_theme = egui::Theme::Light;
        });
        let system_language = i18n::system_language();
        // Messages about the settings file itself come in the system's language (or the
        // forced one): the file's own choice is not known until it is read.
        i18n::set_current(options.language.unwrap_or(system_language));
        let (mut settings, settings_error) = match &options.settings_path {
            Some(p) => Settings::load(p),
            None => (Settings::default(), None),
        };
        if options.language.is_some() {
            settings.language = options.language;
        }
        i18n::set_current(settings.language.unwrap_or(system_language));
        let (autosave, recovery_error) =
            super::recovery::Autosave::new(options.recovery_path.clone());
        let mut app = YinwenApp {
            ws: Workspace::new(),
            history: History::new(),
            ws_path: None,
            current: None,
            views: HashMap::new(),
            settings,
            settings_path: options.settings_path.clone(),
            jobs: Jobs::default(),
            notices: Vec::new(),
            dialogs: Dialogs::default(),
            pending: None,
            after_load: Vec::new(),
            fonts_searched: BTreeSet::new(),
            unshowable: BTreeSet::new(),
            missing_by_doc: HashMap::new(),
            allow_close: false,
            title: String::new(),
            ann_ui: AnnotationUi::default(),
            search: SearchUi::default(),
            dir_ui: Default::default(),
            lib_ui: Default::default(),
            egui_ctx: cc.egui_ctx.clone(),
            export_dialog: None,
            autosave,
            marks_cache: HashMap::new(),
            merge_review: None,
            pending_merge_theirs: None,
            shared: Default::default(),
            system_language,
            review: Default::default(),
            corpus: Default::default(),
        };
        app.apply_theme(&cc.egui_ctx);
        if let Some(e) = settings_error {
            app.error(e);
        }
        if let Some(e) = recovery_error {
            app.error(e);
        }
        if app.autosave.offer.is_some() {
            // the restore offer comes first
            app.dialogs.welcome = false;
            app.settings.welcomed = true;
        }
        if options.files.is_empty() {
            if !app.settings.welcomed && app.autosave.offer.is_none() {
                app.dialogs.welcome = true;
            }
        } else {
            app.open_paths(&cc.egui_ctx, options.files);
        }
        app.open_library(&cc.egui_ctx);
        app
    }

    // ----- messages -----

    /// Shows an error until the user dismisses it.
    pub fn error(&mut self, text: impl Into<String>) {
        let text = text.into();
        // the same message twice in a row is shown once
        if self.notices.last().is_some_and(|n| n.text == text) {
            return;
        }
        self.notices.push(Notice {
            error: true,
            text,
            at: Instant::now(),
        });
    }

    /// Shows a short information message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            error: false,
            text: text.into(),
            at: Instant::now(),
        });
    }

    // ----- the command path -----

    /// The workspace, to read. It changes only through [`YinwenApp::apply_change`] (and
    /// `execute`, undo, redo, opening or merging a workspace), which keep the undo history,
    /// the unsaved marker and the view state in step with it.
    pub fn ws(&self) -> &Workspace {
        &self.ws
    }

    /// What views read, borrowed together with the Annotations tab's own state and the
    /// current document's reading view (for paragraph numbers).
    pub fn annotations_parts(
        &mut self,
    ) -> (
        super::intent::ViewContext<'_>,
        &mut super::annotate::AnnotationUi,
        Option<&ReaderState>,
    ) {
        let reader = self.current.and_then(|d| self.views.get(&d));
        (
            Self::cx_of(&self.ws, self.current),
            &mut self.ann_ui,
            reader,
        )
    }

    /// What views read, borrowed together with the Sources view's own state.
    pub fn sources_parts(
        &mut self,
    ) -> (
        super::intent::ViewContext<'_>,
        &mut super::directives::SourcesState,
    ) {
        (
            Self::cx_of(&self.ws, self.current),
            &mut self.dir_ui.sources,
        )
    }

    /// What views read, borrowed together with the Codebook view's own state.
    pub fn codebook_parts(
        &mut self,
    ) -> (
        super::intent::ViewContext<'_>,
        &mut super::annotate::CodebookState,
    ) {
        (
            Self::cx_of(&self.ws, self.current),
            &mut self.ann_ui.codebook,
        )
    }

    /// What views read, borrowed together with the review desk's own state and the current
    /// document's reading view (for paragraph numbers).
    pub fn review_parts(
        &mut self,
    ) -> (
        super::intent::ViewContext<'_>,
        &mut super::review::ReviewState,
        Option<&ReaderState>,
    ) {
        let reader = self.current.and_then(|d| self.views.get(&d));
        (
            Self::cx_of(&self.ws, self.current),
            &mut self.review,
            reader,
        )
    }

    /// What views read, borrowed together with the corpus desk's state.
    pub fn corpus_parts(
        &mut self,
    ) -> (
        super::intent::ViewContext<'_>,
        &mut super::corpus::CorpusState,
    ) {
        (Self::cx_of(&self.ws, self.current), &mut self.corpus)
    }

    /// What views read this frame.
    pub fn view_context(&self) -> super::intent::ViewContext<'_> {
        Self::cx_of(&self.ws, self.current)
    }

    /// What views read, borrowed together with the Retrieve view's own state.
    pub fn retrieve_parts(
        &mut self,
    ) -> (
        super::intent::ViewContext<'_>,
        &mut super::annotate::RetrieveState,
    ) {
        (
            Self::cx_of(&self.ws, self.current),
            &mut self.ann_ui.retrieve,
        )
    }

    /// What views read, built from the fields it needs (so that it can be borrowed together
    /// with a view's own state, another field).
    fn cx_of(ws: &Workspace, current: Option<DocId>) -> super::intent::ViewContext<'_> {
        super::intent::ViewContext { ws, current }
    }

    /// What views read, borrowed together with the directive candidates' own state (the
    /// borrow of one field does not lock the other).
    pub fn candidates_parts(
        &mut self,
    ) -> (
        super::intent::ViewContext<'_>,
        &mut super::directives::CandidatesState,
    ) {
        (
            Self::cx_of(&self.ws, self.current),
            &mut self.dir_ui.candidates,
        )
    }

    /// Applies a change to the workspace through undo history. Errors are shown.
    pub fn execute(&mut self, cmd: Command) -> bool {
        self.apply_change(cmd, None).is_some()
    }

    /// Like [`YinwenApp::execute`], but consecutive changes with the same `key` (typing in
    /// one note or field) make one undo step.
    pub fn execute_coalesced(&mut self, cmd: Command, key: &str) -> bool {
        self.apply_change(cmd, Some(key)).is_some()
    }

    /// The one door through which the window changes the workspace: applies `cmd` through
    /// the undo history (coalesced under `key` when given), refreshes the view state that
    /// depends on the workspace, shows an error once if it fails, and returns the IDs of the
    /// items the change created.
    pub fn apply_change(&mut self, cmd: Command, key: Option<&str>) -> Option<Vec<u64>> {
        let result = match key {
            Some(k) => self.history.execute_coalesced(&mut self.ws, cmd, k),
            None => self.history.execute(&mut self.ws, cmd),
        };
        match result {
            Ok(created) => {
                self.after_change();
                Some(created)
            }
            Err(e) => {
                self.error(tr!("app.change_failed", error = e));
                None
            }
        }
    }

    /// The first ID a change created (the annotation, tag or source it added).
    pub fn execute_creating(&mut self, cmd: Command) -> Option<u64> {
        self.apply_change(cmd, None)?.into_iter().next()
    }

    /// Undoes the last change.
    pub fn undo(&mut self) {
        match self.history.undo(&mut self.ws) {
            Ok(true) => self.after_change(),
            Ok(false) => self.info(tr!("app.nothing_to_undo")),
            Err(e) => self.error(tr!("app.undo_failed", error = e)),
        }
    }

    /// Redoes the last undone change.
    pub fn redo(&mut self) {
        match self.history.redo(&mut self.ws) {
            Ok(true) => self.after_change(),
            Ok(false) => self.info(tr!("app.nothing_to_redo")),
            Err(e) => self.error(tr!("app.redo_failed", error = e)),
        }
    }

    /// Drops view state of documents that are gone or whose text changed, and keeps the
    /// current document valid.
    fn after_change(&mut self) {
        let ws = &self.ws;
        self.views
            .retain(|id, v| ws.document(*id).is_some_and(|d| v.is_current(d)));
        self.missing_by_doc
            .retain(|id, _| ws.document(*id).is_some());
        if self.current.is_none_or(|id| ws.document(id).is_none()) {
            self.current = ws.documents.last().map(|d| d.id);
        }
        if self
            .ann_ui
            .selected
            .is_some_and(|a| ws.annotation(a).is_none())
        {
            self.ann_ui.selected = None;
        }
        if self
            .ann_ui
            .codebook
            .tag_selected
            .is_some_and(|t| ws.tag(t).is_none())
        {
            self.ann_ui.codebook.tag_selected = None;
        }
    }

    /// The document shown, if any.
    pub fn current_document(&self) -> Option<&Document> {
        self.current.and_then(|id| self.ws.document(id))
    }

    /// Shows a document, building its view state if needed.
    pub fn show_document(&mut self, id: DocId) {
        if self.ws.document(id).is_some() {
            self.current = Some(id);
        }
    }

    /// View state of the current document, built on first use.
    pub fn current_view(&mut self) -> Option<(&Document, &mut ReaderState)> {
        let id = self.current?;
        let doc = self.ws.document(id)?;
        let view = self
            .views
            .entry(id)
            .or_insert_with(|| ReaderState::new(doc));
        if !view.is_current(doc) {
            *view = ReaderState::new(doc);
        }
        Some((doc, view))
    }

    // ----- opening -----

    /// Opens files however they arrived (command line, drop, dialog, path field, recent
    /// list): `.ron` files as a workspace, everything else as speeches added to it.
    pub fn open_paths(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        let (projects, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| store::qdpx::is_qdpx_path(p));
        if let Some(project) = projects.into_iter().next() {
            // A project replaces the workspace, like opening a workspace file; speeches
            // (and folders) opened with it wait until it is open; a workspace file opened
            // with it is not opened.
            self.after_load = paths
                .into_iter()
                .filter(|p| !is_workspace_path(p))
                .collect();
            self.replace_asking(Pending::OpenProject(project));
            return;
        }
        let (workspaces, speeches): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.into_iter().partition(|p| is_workspace_path(p));
        if workspaces.len() > 1 {
            self.error(tr!(
                "app.one_workspace_only",
                path = workspaces[0].display(),
                n = workspaces.len() - 1
            ));
        }
        if let Some(ws_path) = workspaces.into_iter().next() {
            // Speeches and folders opened with it go into it once it is open.
            self.after_load = speeches;
            self.request_open_workspace(ctx, ws_path);
            return;
        }
        let (folders, speeches): (Vec<PathBuf>, Vec<PathBuf>) =
            speeches.into_iter().partition(|p| p.is_dir());
        if !folders.is_empty() {
            self.import_folders(ctx, folders);
        }
        if !speeches.is_empty() {
            let opts = import::Options {
                encoding: EncodingChoice::Auto,
                reflow: self.dialogs.reflow,
            };
            self.jobs.import(ctx, speeches, opts, None);
        }
    }

    /// Imports every readable file under the folders (off the window's thread, with
    /// progress and Cancel); the documents are added as one undo step.
    pub fn import_folders(&mut self, ctx: &egui::Context, roots: Vec<PathBuf>) {
        let opts = import::Options {
            encoding: EncodingChoice::Auto,
            reflow: self.dialogs.reflow,
        };
        let known = self
            .ws
            .documents
            .iter()
            .map(|d| crate::model::merge::text_hash(&d.text))
            .collect();
        self.jobs.import_folders(ctx, roots, opts, known);
    }

    fn on_folder_imported(
        &mut self,
        roots: Vec<PathBuf>,
        result: Result<
            Result<import::folder::FolderImport, crate::progress::Cancelled>,
            import::ImportError,
        >,
    ) {
        let names = roots
            .iter()
            .map(|r| super::jobs::file_name(r))
            .collect::<Vec<_>>()
            .join("、");
        let got = match result {
            Err(e) => return self.error(e.to_string()),
            Ok(Err(_)) => return self.info(tr!("progress.cancelled_open", file = names)),
            Ok(Ok(got)) => got,
        };
        let n = got.documents.len();
        let failed = got.failed();
        if n > 0 {
            let commands = got
                .documents
                .into_iter()
                .map(|d| Command::AddDocument(Box::new(d)))
                .collect();
            let Some(created) = self.apply_change(
                Command::Batch {
                    label: crate::model::ChangeKind::ImportFolder,
                    commands,
                },
                None,
            ) else {
                return;
            };
            // Show the first of the new documents (path order).
            if let Some(first) = created
                .iter()
                .map(|&id| DocId(id))
                .filter(|id| self.ws.document(*id).is_some())
                .min()
            {
                self.current = Some(first);
            }
        }
        let mut msg = tr!("app.folder_imported", n = n, folder = names);
        if !got.skipped.is_empty() {
            let shown: Vec<String> = got
                .skipped
                .iter()
                .take(5)
                .map(|s| format!("{}: {}", super::jobs::file_name(&s.path), s.reason))
                .collect();
            msg.push_str(&tr!(
                "app.folder_skipped",
                n = got.skipped.len(),
                list = shown.join("; ")
            ));
            if got.skipped.len() > 5 {
                msg.push('…');
            }
        }
        if n == 0 || failed > 0 {
            self.error(msg);
        } else {
            self.info(msg);
        }
    }

    /// Opens a workspace file, asking first if the current one has unsaved changes.
    pub fn request_open_workspace(&mut self, ctx: &egui::Context, path: PathBuf) {
        if self.history.is_dirty() {
            self.pending = Some(Pending::OpenWorkspace(path));
            self.dialogs.confirm_discard = true;
        } else {
            self.load_workspace_checking_lock(ctx, path);
        }
    }

    /// Opens the sample (the seed speech with a codebook and annotations) as a workspace of
    /// its own, so that its tags and sources never end up in the user's: asks first when the
    /// current workspace has unsaved changes.
    pub fn open_sample(&mut self) {
        self.replace_asking(Pending::OpenSample);
    }

    /// Carries out `next` (which replaces the workspace) now, or after the "save changes?"
    /// question when the workspace has unsaved changes.
    pub fn replace_asking(&mut self, next: Pending) {
        self.pending = Some(next);
        if self.history.is_dirty() {
            self.dialogs.confirm_discard = true;
        } else {
            self.continue_pending(&self.egui_ctx.clone());
        }
    }

    /// Replaces the workspace with another (opened, not changed: the history starts anew and
    /// it has no file until saved).
    fn replace_workspace(&mut self, ws: Workspace) {
        self.ws = ws;
        self.history = History::new();
        self.marks_cache.clear();
        self.views.clear();
        self.missing_by_doc.clear();
        self.ann_ui = AnnotationUi::default();
        self.search = SearchUi::default();
        self.dir_ui = Default::default();
        self.review = Default::default();
        self.corpus = super::corpus::CorpusState {
            open: self.corpus.open,
            ..Default::default()
        };
        self.ws_path = None;
        self.shared = Default::default();
        self.merge_review = None;
        self.current = self.ws.documents.first().map(|d| d.id);
    }

    /// Puts back a workspace from the recovery file: unsaved, belonging to its old file.
    /// `file_sha256` is the hash of that file as it was when the work was done: if the file
    /// still has it, saving replaces it as usual; if someone saved it since (or it is not
    /// known), saving asks first, as for any file changed by someone else.
    pub(crate) fn restore_workspace(
        &mut self,
        ws: Workspace,
        path: Option<PathBuf>,
        file_sha256: Option<String>,
    ) {
        self.replace_workspace(ws);
        if let Some(p) = &path
            && let Ok(Some(now)) = store::DiskStamp::read(p)
        {
            let hex: String = now.hash.iter().map(|b| format!("{b:02x}")).collect();
            self.shared.stamp = Some(if file_sha256.as_deref() == Some(hex.as_str()) {
                now
            } else {
                // Matches no file: the next save raises the question.
                store::DiskStamp {
                    len: u64::MAX,
                    modified: None,
                    hash: [0; 32],
                }
            });
        }
        self.ws_path = path;
        self.history.mark_unsaved();
    }

    /// Adds a document unless the same content is already open, then shows it.
    fn add_document(&mut self, doc: Document) {
        if let Some(existing) = self
            .ws
            .documents
            .iter()
            .find(|d| !d.origin.sha256.is_empty() && d.origin.sha256 == doc.origin.sha256)
        {
            let id = existing.id;
            let name = existing.display_name();
            self.info(tr!("app.already_open", name = name));
            self.show_document(id);
            return;
        }
        if self.execute(Command::AddDocument(Box::new(doc))) {
            let id = self.ws.documents.iter().map(|d| d.id).max();
            if let Some(id) = id {
                self.show_document(id);
            }
        }
    }

    /// Handles results of background jobs. Each is handled so that a panic while doing so
    /// (a bug) becomes a message and leaves the workspace as it was ([`YinwenApp::guarded`]).
    pub fn poll_jobs(&mut self, ctx: &egui::Context) {
        for result in self.jobs.poll() {
            // A job that panicked on its own thread: unsaved work is secured first.
            if let JobResult::Failed(what) = result {
                self.report_failure(what, true);
                continue;
            }
            self.guarded(|app| app.on_job_result(ctx, result));
        }
    }

    /// Handles one result of a background job.
    fn on_job_result(&mut self, ctx: &egui::Context, result: JobResult) {
        match result {
            JobResult::Imported { files, replace } => self.on_imported(files, replace),
            JobResult::FolderImported { roots, result } => self.on_folder_imported(roots, result),
            JobResult::SourceTextImported { id, path, result } => match result {
                Ok(d) => {
                    let Some(mut src) = self.ws.source(id).cloned() else {
                        return;
                    };
                    let doc = document_from_decoded(Some(&path), d);
                    src.text = Some(doc.text);
                    src.origin = Some(doc.origin);
                    if self.execute(Command::SetSource(Box::new(src))) {
                        self.info(tr!("app.source_text_imported", path = path.display()));
                    }
                }
                Err(import::ImportError::Cancelled { path }) => {
                    self.info(tr!("progress.cancelled_open", file = path.display()));
                }
                Err(e) => self.error(e.to_string()),
            },
            JobResult::WorkspaceLoaded { path, result, .. }
                if matches!(result, Some(Ok(_)))
                    && self.history.is_dirty()
                    && self
                        .shared
                        .loading_from
                        .is_some_and(|s| s != self.history.state_id()) =>
            {
                // Changed while the file was read: ask again rather than drop the edits.
                self.shared.loading_from = None;
                self.pending = Some(Pending::OpenWorkspace(path));
                self.dialogs.confirm_discard = true;
            }
            JobResult::WorkspaceLoaded {
                path,
                result,
                notices,
            } => match result {
                Some(Ok((ws, stamp))) => {
                    let snapshot = ws.clone();
                    self.replace_workspace(ws);
                    self.settings.add_recent(&path);
                    self.save_settings();
                    self.info(tr!("app.opened_workspace", path = path.display()));
                    for n in notices {
                        self.info(tr!("app.load_notice", text = n.message));
                    }
                    self.shared.record_file(&path, stamp, snapshot);
                    self.ws_path = Some(path);
                    let more = std::mem::take(&mut self.after_load);
                    if !more.is_empty() {
                        self.open_paths(ctx, more);
                    }
                }
                Some(Err(e)) => {
                    self.after_load.clear();
                    self.error(tr!("app.open_workspace_failed", error = e));
                }
                None => {
                    self.after_load.clear();
                    self.info(tr!("progress.cancelled_open", file = path.display()));
                }
            },
            JobResult::MergePlanned {
                planned_at,
                ours_path,
                theirs,
                base,
                snapshot,
                result,
            } => match result {
                Some(r) => self.on_merge_planned(planned_at, ours_path, theirs, base, snapshot, r),
                None => self.info(tr!("progress.cancelled_merge")),
            },
            JobResult::VerifiedAll(outcome) => self.on_verified_all(outcome),
            JobResult::Failed(what) => self.report_failure(what, true),
            JobResult::Picked {
                purpose,
                paths,
                quick,
            } => match (purpose, paths) {
                (PickPurpose::Open, Some(paths)) => {
                    self.dialogs.open = None;
                    self.open_paths(ctx, paths);
                }
                (PickPurpose::SaveAs, Some(mut paths)) => {
                    if let Some(p) = paths.pop() {
                        self.dialogs.save_as = None;
                        self.save_to(ctx, with_ron_extension(p));
                    }
                }
                (PickPurpose::LibraryFolder, Some(mut paths)) => {
                    if let Some(p) = paths.pop() {
                        self.add_library_folder(ctx, p);
                    }
                }
                (PickPurpose::Folder, Some(paths)) => self.import_folders(ctx, paths),
                (PickPurpose::LibraryFolder | PickPurpose::Folder, None) if quick => {
                    self.info(tr!("lib.no_folder_dialog"));
                }
                (PickPurpose::File(purpose), Some(mut paths)) => {
                    if let Some(p) = paths.pop() {
                        self.dialogs.file = None;
                        self.finish_file(ctx, purpose, p);
                    }
                }
                (purpose, None) if quick => {
                    let msg = tr!("app.no_file_dialog");
                    match purpose {
                        PickPurpose::File(_) => {
                            if let Some((_, d)) = &mut self.dialogs.file {
                                d.note = Some(msg);
                            }
                        }
                        PickPurpose::Open => {
                            if let Some(d) = &mut self.dialogs.open {
                                d.note = Some(msg);
                            }
                        }
                        PickPurpose::SaveAs => {
                            if let Some(d) = &mut self.dialogs.save_as {
                                d.note = Some(msg);
                            }
                        }
                        PickPurpose::LibraryFolder | PickPurpose::Folder => {}
                    }
                }
                _ => {}
            },
            JobResult::LibraryOpened(opened) => self.on_library_opened(opened),
            JobResult::LibraryIndexed { reports, opened } => {
                self.on_library_indexed(reports, opened)
            }
            JobResult::SourcesFound(found) => self.on_sources_found(found),
            JobResult::Exported {
                path, cancelled, ..
            } if cancelled => {
                self.info(tr!("progress.cancelled_export", file = path.display()));
            }
            JobResult::Exported {
                path,
                result,
                open_after,
                ..
            } => match result {
                Ok(warnings) => {
                    self.info(tr!("app.exported", path = path.display()));
                    for w in warnings {
                        self.info(tr!("app.export_warning", text = w));
                    }
                    if open_after && let Err(e) = super::export_dialog::open_with_system(&path) {
                        self.error(tr!(
                            "app.exported_open_failed",
                            path = path.display(),
                            error = e
                        ));
                    }
                }
                Err(e) => self.error(tr!("app.export_failed", error = e)),
            },
            JobResult::Fallbacks(found) => {
                let n = found.fonts.len();
                fonts::install_fallbacks(ctx, found.fonts);
                self.unshowable.extend(found.still_missing);
                if n > 0 {
                    self.info(tr!("app.fonts_added", n = n));
                }
            }
        }
    }

    /// Runs `work`, window work done on the UI thread (handling a job's result, an
    /// analysis), so that a panic in it (a bug) does not close the window: the workspace and
    /// its undo history are put back as they were before, unsaved work is written to the
    /// recovery file, and the error is shown once. `None` when it panicked.
    pub fn guarded<T>(&mut self, work: impl FnOnce(&mut Self) -> T) -> Option<T> {
        let ws = self.ws.clone();
        let history = self.history.clone();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(self))) {
            Ok(value) => Some(value),
            Err(panic) => {
                if self.ws != ws {
                    self.ws = ws;
                    self.history.roll_back_to(history);
                    self.marks_cache.clear();
                    self.after_change();
                }
                let what = super::jobs::panic_message(panic.as_ref());
                self.report_failure(what, false);
                None
            }
        }
    }

    /// Reports work that failed unexpectedly (a bug; `background`: on a job's thread):
    /// writes unsaved work to the recovery file first, then shows the message once, saying
    /// whether the work was secured.
    pub fn report_failure(&mut self, what: String, background: bool) {
        let secured = self.history.is_dirty() && self.autosave.path.is_some();
        self.autosave_now();
        let mut message = if background {
            tr!("app.job_failed", error = what)
        } else {
            tr!("app.work_failed", error = what)
        };
        if secured && self.autosave.path.as_ref().is_some_and(|p| p.exists()) {
            message = format!("{message} {}", tr!("app.failure_saved"));
        }
        self.error(message);
    }

    fn on_imported(
        &mut self,
        files: Vec<(PathBuf, Result<import::Decoded, import::ImportError>)>,
        replace: Option<DocId>,
    ) {
        for (path, result) in files {
            match result {
                Ok(decoded) => {
                    self.settings.add_recent(&path);
                    if let Some(n) = &decoded.notice {
                        self.info(tr!(
                            "app.decode_notice",
                            file = super::jobs::file_name(&path),
                            text = n
                        ));
                    }
                    if let Some(r) = decoded.reflowed {
                        self.info(tr!(
                            "app.reflowed",
                            file = super::jobs::file_name(&path),
                            width = r.width,
                            paragraphs = r.paragraphs
                        ));
                    }
                    if let Some(id) = replace {
                        let new = document_from_decoded(Some(&path), decoded);
                        self.update_document_text(id, new.text, new.origin);
                    } else {
                        self.add_document(document_from_decoded(Some(&path), decoded));
                    }
                }
                Err(import::ImportError::Cancelled { path }) => {
                    self.info(tr!("progress.cancelled_open", file = path.display()));
                }
                Err(e) => self.error(e.to_string()),
            }
        }
        // Tests: a bug while the window takes in what was imported.
        super::jobs::fault_point("import_result");
        self.save_settings();
    }

    /// Carries out a file dialog's purpose with the chosen path.
    pub fn finish_file(
        &mut self,
        ctx: &egui::Context,
        purpose: super::dialogs::FilePurpose,
        path: PathBuf,
    ) {
        use super::dialogs::FilePurpose;
        match purpose {
            FilePurpose::UpdateText(id) => {
                self.jobs
                    .import(ctx, vec![path], import::Options::default(), Some(id));
            }
            FilePurpose::ImportCodebook => self.import_codebook(&path),
            FilePurpose::SourceText(id) => self.jobs.import_source_text(ctx, id, path),
            FilePurpose::MergeWorkspace => self.start_merge(ctx, path, None),
            FilePurpose::MergeBase => {
                if let Some(theirs) = self.pending_merge_theirs.take() {
                    self.start_merge(ctx, theirs, Some(path));
                }
            }
            FilePurpose::ExportCodebook => {
                let path = if path.extension().is_none() {
                    path.with_extension("qdc")
                } else {
                    path
                };
                self.export_codebook(&path);
            }
        }
    }

    /// Looks for system fonts when the current document has characters the bundled font lacks.
    /// Cheap after the first call per document: called every frame.
    pub fn check_fonts(&mut self, ctx: &egui::Context) {
        let Some(id) = self.current else {
            return;
        };
        let Some(doc) = self.ws.document(id) else {
            return;
        };
        self.missing_by_doc
            .entry(id)
            .or_insert_with(|| fonts::missing_chars(&doc.text));
        let new: BTreeSet<char> = self.missing_by_doc[&id]
            .difference(&self.fonts_searched)
            .copied()
            .collect();
        if !new.is_empty() {
            self.fonts_searched.extend(new.iter().copied());
            self.jobs.find_fonts(ctx, new);
        }
    }

    /// How many characters of the current document no font can draw.
    pub fn unshowable_in_current(&self) -> (usize, String) {
        let Some(doc) = self.current_document() else {
            return (0, String::new());
        };
        let Some(missing) = self.missing_by_doc.get(&doc.id) else {
            return (0, String::new());
        };
        let bad: BTreeSet<char> = missing.intersection(&self.unshowable).copied().collect();
        if bad.is_empty() {
            return (0, String::new());
        }
        let count = doc.text.chars().filter(|c| bad.contains(c)).count();
        (count, bad.into_iter().take(40).collect())
    }

    // ----- saving -----

    /// Saves to the workspace's file, or asks where.
    pub fn save(&mut self, ctx: &egui::Context) -> bool {
        match self.ws_path.clone() {
            Some(p) => self.save_to(ctx, p),
            None => {
                self.dialogs.open_save_as(None);
                false
            }
        }
    }

    /// Saves to `path`; on success the path becomes the workspace's file. Saving over the
    /// workspace's own file first checks that nobody changed it since it was opened or last
    /// saved; if somebody did, nothing is written and the user chooses what to do.
    pub fn save_to(&mut self, ctx: &egui::Context, path: PathBuf) -> bool {
        let expected = if self.ws_path.as_deref() == Some(path.as_path()) {
            self.shared.stamp.clone()
        } else {
            None
        };
        self.save_to_checked(ctx, path, expected.as_ref())
    }

    /// Saves to `path`, refusing to overwrite a file that differs from `expected`.
    pub(crate) fn save_to_checked(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        expected: Option<&store::DiskStamp>,
    ) -> bool {
        // Never over a speech of the workspace (Save As onto the .txt it was read from).
        if let Some(doc) = self.ws.documents.iter().find(|d| {
            d.origin
                .path
                .as_deref()
                .is_some_and(|p| store::same_file(std::path::Path::new(p), &path))
        }) {
            self.error(tr!(
                "app.save_onto_speech",
                path = path.display(),
                doc = doc.display_name()
            ));
            return false;
        }
        match store::save_checked(&self.ws, &path, expected) {
            Ok(stamp) => {
                self.history.mark_saved();
                self.clear_recovery();
                self.settings.add_recent(&path);
                self.save_settings();
                self.info(tr!("app.saved", path = path.display()));
                self.shared.record_file(&path, stamp, self.ws.clone());
                self.ws_path = Some(path);
                self.continue_pending(ctx);
                true
            }
            Err(store::StoreError::ChangedOnDisk { path }) => {
                self.shared.conflict = Some(path);
                false
            }
            Err(e) => {
                self.error(tr!("app.save_failed", error = e));
                false
            }
        }
    }

    /// Runs the action that waited for "save changes?".
    pub fn continue_pending(&mut self, ctx: &egui::Context) {
        match self.pending.take() {
            Some(Pending::OpenWorkspace(p)) => self.load_workspace_checking_lock(ctx, p),
            Some(Pending::Quit) => {
                self.clear_recovery();
                self.shared = Default::default();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(Pending::NewWorkspace) => {
                self.clear_recovery();
                self.replace_workspace(Workspace::new());
                self.info(tr!("app.new_workspace"));
            }
            Some(Pending::OpenSample) => {
                self.clear_recovery();
                self.replace_workspace(crate::sample::sample_workspace());
                self.ann_ui.tab = super::annotate::SideTab::Codebook;
                self.info(tr!("app.opened_sample_workspace"));
            }
            Some(Pending::OpenProject(path)) => match store::qdpx::read_qdpx_file(&path) {
                Ok(project) => {
                    self.clear_recovery();
                    self.replace_workspace(project.workspace);
                    let r = &project.report;
                    let mut text = tr!(
                        "app.opened_project",
                        path = path.display(),
                        summary = r.summary()
                    );
                    for line in &r.skipped {
                        text.push_str("\n• ");
                        text.push_str(line);
                    }
                    self.info(text);
                    let speeches = std::mem::take(&mut self.after_load);
                    if !speeches.is_empty() {
                        self.open_paths(ctx, speeches);
                    }
                }
                Err(e) => {
                    self.after_load.clear();
                    self.error(format!("{}: {e}", path.display()));
                }
            },
            Some(Pending::OpenVerificationSample) => {
                self.clear_recovery();
                self.replace_workspace(crate::sample::verification_sample());
                self.ann_ui.tab = super::annotate::SideTab::Directives;
                self.info(tr!("app.opened_exercise"));
            }
            None => {}
        }
    }

    /// Writes settings if they have a home.
    pub fn save_settings(&mut self) {
        if let Some(p) = &self.settings_path
            && let Err(e) = self.settings.save(p)
        {
            let msg = tr!("app.settings_save_failed", path = p.display(), error = e);
            self.error(msg);
        }
    }

    // ----- actions -----

    /// Carries out a menu action or shortcut.
    pub fn perform(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Open => self.dialogs.open_open(),
            Action::OpenFolder => {
                self.jobs.pick(ctx, PickPurpose::Folder, None);
            }
            Action::ShowCorpus => {
                self.corpus.open = !self.corpus.open;
            }
            Action::OpenSample => self.open_sample(),
            Action::OpenVerificationSample => self.replace_asking(Pending::OpenVerificationSample),
            Action::NewWorkspace => self.replace_asking(Pending::NewWorkspace),
            Action::ShowProblems => {
                let r = &mut self.review;
                if r.open && r.tab == super::review::ReviewTab::Problems {
                    r.open = false;
                } else {
                    r.open = true;
                    r.tab = super::review::ReviewTab::Problems;
                }
            }
            Action::ShowDirectiveTable => {
                self.review.open = true;
                self.review.tab = super::review::ReviewTab::Directives;
                self.review.table.focus = true;
            }
            Action::ReopenWithEncoding => self.start_reopen(),
            Action::CloseDocument => {
                if let Some(id) = self.current {
                    self.execute(Command::RemoveDocument(id));
                }
            }
            Action::Save => {
                self.save(ctx);
            }
            Action::SaveAs => self.dialogs.open_save_as(self.ws_path.clone()),
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::Copy => self.copy_selection(ctx),
            Action::SelectAll => {
                if let Some((_, v)) = self.current_view() {
                    v.select_all();
                }
            }
            Action::ZoomIn => self.set_text_size(self.settings.text_size + 2.0),
            Action::ZoomOut => self.set_text_size(self.settings.text_size - 2.0),
            Action::ZoomReset => self.set_text_size(DEFAULT_TEXT_SIZE),
            Action::ToggleTheme => {
                let dark = ctx.global_style().visuals.dark_mode;
                self.settings.theme = if dark { Theme::Light } else { Theme::Dark };
                self.apply_theme(ctx);
                self.marks_cache.clear();
                self.save_settings();
            }
            Action::ToggleDocumentList => {
                self.settings.show_document_list = !self.settings.show_document_list;
                self.save_settings();
            }
            Action::Highlight => {
                self.annotate_selection(Vec::new(), "");
            }
            Action::Annotate => {
                if self.annotate_selection(Vec::new(), "").is_some() {
                    self.ann_ui.focus_note = true;
                }
            }
            Action::DeleteAnnotation => {
                if let Some(id) = self.ann_ui.selected {
                    self.delete_annotation(id);
                }
            }
            Action::Find => {
                self.search.open = true;
                self.search.focus = true;
                if let Some((doc, view)) = self.current_view()
                    && let Some(t) = view.selected_text(&doc.text)
                    && !t.contains('\n')
                {
                    let t = t.to_string();
                    self.search.query = t;
                }
            }
            Action::FindNext => {
                self.search.open = true;
                self.step_search(true);
            }
            Action::FindPrevious => {
                self.search.open = true;
                self.step_search(false);
            }
            Action::UpdateText => {
                if let Some(id) = self.current {
                    let start = self
                        .current_document()
                        .and_then(|d| d.origin.path.clone())
                        .map(PathBuf::from);
                    self.dialogs
                        .open_file(super::dialogs::FilePurpose::UpdateText(id), start);
                }
            }
            Action::ToggleSidePanel => self.ann_ui.hidden = !self.ann_ui.hidden,
            Action::Export => self.open_export_dialog(),
            Action::MergeWorkspace => {
                let start = self
                    .ws_path
                    .as_ref()
                    .and_then(|p| p.parent())
                    .map(PathBuf::from);
                self.dialogs
                    .open_file(super::dialogs::FilePurpose::MergeWorkspace, start);
            }
            Action::VerifyAll => self.start_verify_all(ctx),
            Action::Shortcuts => self.dialogs.shortcuts = true,
            Action::About => self.dialogs.about = true,
        }
    }

    /// Whether an action can be carried out now (menus grey out the others).
    pub fn enabled(&self, action: Action) -> bool {
        match action {
            Action::ReopenWithEncoding => self.current_document().is_some_and(|d| {
                d.origin
                    .path
                    .as_ref()
                    .is_some_and(|p| Path::new(p).is_file())
            }),
            Action::CloseDocument | Action::SelectAll | Action::UpdateText | Action::Find => {
                self.current.is_some()
            }
            Action::Highlight | Action::Annotate => self.selection_range().is_some(),
            Action::Export => !self.ws.documents.is_empty(),
            Action::VerifyAll => self.ws.annotations.iter().any(|a| {
                a.directive
                    .as_ref()
                    .and_then(|d| d.source)
                    .is_some_and(|s| self.ws.source(s).is_some_and(|s| s.text.is_some()))
            }),
            Action::DeleteAnnotation => self.ann_ui.selected.is_some(),
            Action::Copy => self
                .current
                .and_then(|id| self.views.get(&id))
                .is_some_and(|v| v.selection.is_some_and(|s| !s.is_empty())),
            Action::Undo => self.history.can_undo(),
            Action::Redo => self.history.can_redo(),
            // Always available (F3 opens the find bar even before there is a hit).
            Action::FindNext
            | Action::FindPrevious
            | Action::Open
            | Action::OpenFolder
            | Action::ShowCorpus
            | Action::NewWorkspace
            | Action::ShowProblems
            | Action::ShowDirectiveTable
            | Action::OpenSample
            | Action::OpenVerificationSample
            | Action::Save
            | Action::SaveAs
            | Action::MergeWorkspace
            | Action::Quit
            | Action::ZoomIn
            | Action::ZoomOut
            | Action::ZoomReset
            | Action::ToggleTheme
            | Action::ToggleDocumentList
            | Action::ToggleSidePanel
            | Action::Shortcuts
            | Action::About => true,
        }
    }

    /// Copies the selected text to the clipboard.
    pub fn copy_selection(&mut self, ctx: &egui::Context) {
        if let Some((doc, view)) = self.current_view()
            && let Some(text) = view.selected_text(&doc.text)
        {
            ctx.copy_text(text.to_string());
        }
    }

    fn set_text_size(&mut self, size: f32) {
        self.settings.text_size = size.clamp(TEXT_SIZE_RANGE.0, TEXT_SIZE_RANGE.1);
        self.save_settings();
    }

    /// The language the interface is shown in: the settings' choice, or the system's.
    pub fn language(&self) -> Language {
        self.settings.language.unwrap_or(self.system_language)
    }

    /// Chooses the interface language (`None`: follow the system), applies it at once and
    /// saves it with the settings.
    pub fn set_language(&mut self, choice: Option<Language>) {
        self.settings.language = choice;
        i18n::set_current(self.language());
        self.save_settings();
    }

    /// Applies the theme setting.
    pub fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        });
    }

    fn start_reopen(&mut self) {
        let Some(doc) = self.current_document() else {
            return;
        };
        let Some(path) = doc.origin.path.clone().map(PathBuf::from) else {
            self.error(tr!("app.not_from_file"));
            return;
        };
        let id = doc.id;
        match super::dialogs::ReopenDialog::new(id, path) {
            Ok(d) => self.dialogs.reopen = Some(d),
            Err(e) => self.error(e),
        }
    }

    /// Reopens a document's file with another encoding or line breaks (through the undoable
    /// command path).
    pub fn reopen(&mut self, ctx: &egui::Context, id: DocId, path: PathBuf, opts: import::Options) {
        self.jobs.import(ctx, vec![path], opts, Some(id));
    }

    /// The window title: workspace name and an unsaved marker.
    pub fn window_title(&self) -> String {
        let name = self
            .ws_path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| tr!("app.untitled"));
        let dirty = if self.history.is_dirty() { " •" } else { "" };
        // The speech shown first, by its title from the details (or its file name).
        match self.current_document() {
            Some(doc) => format!("{} — {name}{dirty} — Yinwen 引文", doc.display_name()),
            None => format!("{name}{dirty} — Yinwen 引文"),
        }
    }

    /// Updates the window title when it changed.
    pub fn sync_title(&mut self, ctx: &egui::Context) {
        let t = self.window_title();
        if t != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(t.clone()));
            self.title = t;
        }
    }

    /// Intercepts closing the window while there are unsaved changes; remembers the window's
    /// size and position for the next start.
    pub fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) {
            let (inner, outer) = ctx.input(|i| (i.viewport().inner_rect, i.viewport().outer_rect));
            if let Some(r) = inner {
                self.settings.window_size = Some([r.width(), r.height()]);
            }
            if let Some(r) = outer {
                self.settings.window_pos = Some([r.min.x, r.min.y]);
            }
            if self.allow_close {
                self.save_settings();
            }
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.history.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
                self.dialogs.confirm_discard = true;
            } else {
                self.save_settings();
            }
        }
    }

    /// Discards unsaved changes and continues with the pending action.
    pub fn discard_and_continue(&mut self, ctx: &egui::Context) {
        self.continue_pending(ctx);
    }
}

/// Whether a path names a workspace (`.ron`) rather than a speech: how Open tells them apart.
pub fn is_workspace_path(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// Adds `.ron` when a chosen workspace name has no extension.
pub fn with_ron_extension(p: PathBuf) -> PathBuf {
    if p.extension().is_none() {
        p.with_extension("ron")
    } else {
        p
    }
}
