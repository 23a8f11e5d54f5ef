//! Work that runs off the UI thread: system file dialogs, decoding files, loading workspaces,
//! searching system fonts. Each job sends one [`JobResult`] back and wakes the UI.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::import::{self, Decoded, EncodingChoice, ImportError};
use crate::model::{DocId, Workspace};
use crate::store::{self, StoreError};

use super::fonts::{FallbackSearch, find_system_fallbacks};
use super::i18n::{self, tr};

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    /// Open speeches or a workspace.
    Open,
    /// Choose where to save the workspace.
    SaveAs,
    /// A file for another purpose.
    File(super::dialogs::FilePurpose),
}

/// The outcome of a background job.
pub enum JobResult {
    /// A system file dialog closed. `None`: cancelled, or no dialog could be shown (then
    /// `quick` is true: it returned at once).
    Picked {
        /// Why it was opened.
        purpose: PickPurpose,
        /// The chosen files.
        paths: Option<Vec<PathBuf>>,
        /// Whether it returned within a moment (no portal or zenity available).
        quick: bool,
    },
    /// Speech files decoded, in the order asked.
    Imported {
        /// One result per file.
        files: Vec<(PathBuf, Result<Decoded, ImportError>)>,
        /// Set when the text replaces this document's (reopen with another encoding).
        replace: Option<DocId>,
    },
    /// A workspace file read.
    WorkspaceLoaded {
        /// The file.
        path: PathBuf,
        /// The workspace or why it could not be read.
        result: Result<Workspace, StoreError>,
    },
    /// System fonts searched for characters the bundled font lacks.
    Fallbacks(FallbackSearch),
    /// An export written (or why not).
    Exported {
        /// The file.
        path: PathBuf,
        /// Success, or the message.
        result: Result<(), String>,
        /// Open it with the system's program.
        open_after: bool,
    },
}

/// Runs jobs on threads and collects their results.
pub struct Jobs {
    tx: Sender<JobResult>,
    rx: Receiver<JobResult>,
    pending: usize,
}

impl Default for Jobs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Jobs { tx, rx, pending: 0 }
    }
}

impl Jobs {
    /// Runs `work` on a new thread (in the calling thread's language); its result arrives
    /// through [`Jobs::poll`].
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        work: impl FnOnce() -> JobResult + Send + 'static,
    ) {
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        self.pending += 1;
        let language = i18n::current();
        std::thread::spawn(move || {
            i18n::set_current(language);
            let result = work();
            let _ = tx.send(result);
            ctx.request_repaint();
        });
    }

    /// Results that have arrived since the last call.
    pub fn poll(&mut self) -> Vec<JobResult> {
        let got: Vec<JobResult> = self.rx.try_iter().collect();
        self.pending -= got.len().min(self.pending);
        got
    }

    /// Whether any job is still running.
    pub fn busy(&self) -> bool {
        self.pending > 0
    }

    /// Decodes files.
    pub fn import(
        &mut self,
        ctx: &egui::Context,
        paths: Vec<PathBuf>,
        choice: EncodingChoice,
        replace: Option<DocId>,
    ) {
        self.spawn(ctx, move || JobResult::Imported {
            files: paths
                .into_iter()
                .map(|p| {
                    let r = import::import_file(&p, choice);
                    (p, r)
                })
                .collect(),
            replace,
        });
    }

    /// Reads a workspace file.
    pub fn load_workspace(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.spawn(ctx, move || {
            let result = store::load(&path);
            JobResult::WorkspaceLoaded { path, result }
        });
    }

    /// Shows the system file dialog.
    pub fn pick(&mut self, ctx: &egui::Context, purpose: PickPurpose, start: Option<PathBuf>) {
        self.spawn(ctx, move || {
            let started = Instant::now();
            let mut dialog = rfd::FileDialog::new();
            if let Some(dir) = start.as_ref().and_then(|p| p.parent()) {
                dialog = dialog.set_directory(dir);
            }
            let paths = match purpose {
                PickPurpose::Open => dialog
                    .add_filter(
                        tr!("pick.speeches_and_workspaces"),
                        &["txt", "text", "docx", "ron"],
                    )
                    .add_filter(tr!("pick.all_files"), &["*"])
                    .pick_files(),
                PickPurpose::File(p) if p.saves() => dialog
                    .add_filter(tr!("pick.codebook"), &["qdc"])
                    .set_file_name("codebook.qdc")
                    .save_file()
                    .map(|p| vec![p]),
                PickPurpose::File(super::dialogs::FilePurpose::ImportCodebook) => dialog
                    .add_filter(tr!("pick.codebook"), &["qdc", "xml"])
                    .pick_file()
                    .map(|p| vec![p]),
                PickPurpose::File(_) => dialog
                    .add_filter(tr!("pick.speeches"), &["txt", "text", "docx"])
                    .add_filter(tr!("pick.all_files"), &["*"])
                    .pick_file()
                    .map(|p| vec![p]),
                PickPurpose::SaveAs => {
                    let name = start
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "workspace.ron".into());
                    dialog
                        .add_filter(tr!("pick.workspace"), &["ron"])
                        .set_file_name(name)
                        .save_file()
                        .map(|p| vec![p])
                }
            };
            JobResult::Picked {
                purpose,
                quick: paths.is_none() && started.elapsed() < Duration::from_millis(400),
                paths,
            }
        });
    }

    /// Looks for system fonts that draw `missing`.
    pub fn find_fonts(&mut self, ctx: &egui::Context, missing: std::collections::BTreeSet<char>) {
        self.spawn(ctx, move || {
            JobResult::Fallbacks(find_system_fallbacks(&missing))
        });
    }
}
