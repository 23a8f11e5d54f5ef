//! Work that runs off the UI thread: system file dialogs, decoding files, loading workspaces,
//! searching system fonts. Each job sends one [`JobResult`] back and wakes the UI.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::import::{self, Decoded, EncodingChoice, ImportError};
use crate::model::{DocId, Workspace};
use crate::progress::Progress;
use crate::store::{self, DiskStamp, StoreError};

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
    /// A folder for the source library.
    LibraryFolder,
    /// A folder of speeches to import.
    Folder,
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
    /// Folders of speeches imported (`Ok(Err(Cancelled))` when the user cancelled).
    FolderImported {
        /// The folders.
        roots: Vec<PathBuf>,
        /// The documents and what was skipped, or why the folders could not be read.
        result:
            Result<Result<import::folder::FolderImport, crate::progress::Cancelled>, ImportError>,
    },
    /// A source's full text read from a file (off the window's thread, like a speech).
    SourceTextImported {
        /// The source it is for.
        id: crate::model::SourceId,
        /// The file.
        path: PathBuf,
        /// The decoded text, or why not.
        result: Result<import::Decoded, import::ImportError>,
    },
    /// A workspace file read (with the stamp of the bytes read), or why not; `None` when the
    /// user cancelled.
    WorkspaceLoaded {
        /// The file.
        path: PathBuf,
        /// The workspace or why it could not be read.
        result: Option<Result<(Workspace, DiskStamp), StoreError>>,
        /// What loading repaired or could not keep.
        notices: Vec<store::Problem>,
    },
    /// A colleague's workspace read and the merge into ours planned.
    MergePlanned {
        /// The history state of our workspace when planning started.
        planned_at: u64,
        /// Our workspace's file when planning started.
        ours_path: Option<PathBuf>,
        /// Their file.
        theirs: PathBuf,
        /// The common ancestor's file, if one was given.
        base: Option<PathBuf>,
        /// Whether the ancestor was the workspace as we last opened or saved it.
        snapshot: bool,
        /// The plan and the stamp of their file, or why it could not be read; `None` when
        /// cancelled.
        result: Option<Result<super::merge_dialog::Planned, String>>,
    },
    /// A job panicked (a bug): what the panic said. The window reports it after securing
    /// unsaved work.
    Failed(String),
    /// The source library opened (or why not).
    LibraryOpened(Result<std::sync::Arc<crate::library::Library>, String>),
    /// Library folders indexed, and the library opened again.
    LibraryIndexed {
        /// Each folder's report, or why it could not be indexed.
        reports: Vec<(PathBuf, Result<crate::library::IndexReport, String>)>,
        /// The library as it is now.
        opened: Result<std::sync::Arc<crate::library::Library>, String>,
    },
    /// Sources found for every directive (`None`: cancelled).
    SourcesFound(Option<Vec<(crate::model::AnnId, Vec<crate::library::FoundMatch>)>>),
    /// Every linked directive verified (or cancelled: `None`).
    VerifiedAll(Option<crate::analysis::verify_workspace::BatchOutcome>),
    /// System fonts searched for characters the bundled font lacks.
    Fallbacks(FallbackSearch),
    /// An export written (or why not).
    Exported {
        /// The file.
        path: PathBuf,
        /// Success with the export's warnings, or the message.
        result: Result<Vec<String>, String>,
        /// Open it with the system's program.
        open_after: bool,
        /// The user cancelled: nothing was written.
        cancelled: bool,
    },
}

/// A job the status bar shows with a progress bar and a Cancel button.
pub struct RunningJob {
    /// What it does ("Opening 讲话.txt").
    pub label: String,
    /// Its progress and cancel switch.
    pub progress: Progress,
}

/// Runs jobs on threads and collects their results.
pub struct Jobs {
    tx: Sender<JobResult>,
    rx: Receiver<JobResult>,
    pending: usize,
    running: Vec<RunningJob>,
}

impl Default for Jobs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Jobs {
            tx,
            rx,
            pending: 0,
            running: Vec::new(),
        }
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
            // A panic in a job is reported like any error instead of leaving the window
            // waiting for a result that never comes.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                .unwrap_or_else(|e| JobResult::Failed(panic_message(e.as_ref())));
            let _ = tx.send(result);
            ctx.request_repaint();
        });
    }

    /// Runs `work` on a new thread with a [`Progress`] the status bar shows under `label`,
    /// with a Cancel button that sets the progress's cancel switch.
    pub fn spawn_with_progress(
        &mut self,
        ctx: &egui::Context,
        label: String,
        work: impl FnOnce(&Progress) -> JobResult + Send + 'static,
    ) {
        let progress = Progress::new();
        self.running.push(RunningJob {
            label,
            progress: progress.clone(),
        });
        /// Marks the job finished however it ends, even by a panic.
        struct FinishOnDrop(Progress);
        impl Drop for FinishOnDrop {
            fn drop(&mut self) {
                self.0.finish();
            }
        }
        self.spawn(ctx, move || {
            let guard = FinishOnDrop(progress);
            work(&guard.0)
        });
    }

    /// Jobs with progress still running.
    pub fn running(&self) -> &[RunningJob] {
        &self.running
    }

    /// Results that have arrived since the last call.
    pub fn poll(&mut self) -> Vec<JobResult> {
        let got: Vec<JobResult> = self.rx.try_iter().collect();
        self.pending -= got.len().min(self.pending);
        self.running.retain(|j| !j.progress.is_finished());
        got
    }

    /// Whether any job is still running.
    pub fn busy(&self) -> bool {
        self.pending > 0
    }

    /// Decodes files, showing progress (bytes read) with Cancel.
    pub fn import(
        &mut self,
        ctx: &egui::Context,
        paths: Vec<PathBuf>,
        opts: import::Options,
        replace: Option<DocId>,
    ) {
        let label = match paths.as_slice() {
            [one] => tr!("progress.opening", file = file_name(one)),
            many => tr!("progress.opening_many", n = many.len()),
        };
        self.spawn_with_progress(ctx, label, move |progress| {
            fault_point("import");
            JobResult::Imported {
                files: paths
                    .into_iter()
                    .map(|p| {
                        let r = import::import_file_with(&p, opts, progress);
                        (p, r)
                    })
                    .collect(),
                replace,
            }
        });
    }

    /// Imports every readable file under the folders, with progress (files) and Cancel.
    pub fn import_folders(
        &mut self,
        ctx: &egui::Context,
        roots: Vec<PathBuf>,
        opts: import::Options,
        known: std::collections::HashSet<String>,
    ) {
        let label = tr!(
            "progress.importing_folder",
            folder = roots
                .iter()
                .map(|r| file_name(r))
                .collect::<Vec<_>>()
                .join("、")
        );
        self.spawn_with_progress(ctx, label, move |progress| {
            let result = import::folder::import_folders(&roots, opts, &known, progress);
            JobResult::FolderImported { roots, result }
        });
    }

    /// Reads a source's full text from a file, with progress and Cancel.
    pub fn import_source_text(
        &mut self,
        ctx: &egui::Context,
        id: crate::model::SourceId,
        path: PathBuf,
    ) {
        let label = tr!("progress.opening", file = file_name(&path));
        self.spawn_with_progress(ctx, label, move |progress| {
            let result = import::import_file_with_progress(&path, EncodingChoice::Auto, progress);
            JobResult::SourceTextImported { id, path, result }
        });
    }

    /// Reads a workspace file (Cancel discards what was read).
    pub fn load_workspace(&mut self, ctx: &egui::Context, path: PathBuf) {
        let label = tr!("progress.opening", file = file_name(&path));
        self.spawn_with_progress(ctx, label, move |progress| {
            let (result, notices) = match store::load_checked(&path) {
                Ok(l) => (Ok((l.workspace, l.stamp)), l.notices),
                Err(e) => (Err(e), Vec::new()),
            };
            let result = (!progress.is_cancelled()).then_some(result);
            JobResult::WorkspaceLoaded {
                path,
                result,
                notices,
            }
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
                PickPurpose::LibraryFolder | PickPurpose::Folder => dialog.pick_folders(),
                PickPurpose::Open => dialog
                    .add_filter(
                        tr!("pick.speeches_and_workspaces"),
                        &[crate::import::EXTENSIONS, &["ron", "qdpx"]].concat(),
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
                    .add_filter(tr!("pick.speeches"), crate::import::EXTENSIONS)
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

/// What a panic said (its message, if it was a string).
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Panics when the fault `point` was asked for with the environment variable `YINWEN_FAULT`
/// (e.g. `YINWEN_FAULT=import`), so that tests can check the window survives a bug in a job.
/// Only in debug builds: a release build has no such code.
#[cfg(debug_assertions)]
pub fn fault_point(point: &str) {
    if std::env::var("YINWEN_FAULT").is_ok_and(|v| v.split(',').any(|p| p == point)) {
        panic!("fault injected at “{point}” (YINWEN_FAULT)");
    }
}

/// Release builds: nothing.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn fault_point(_point: &str) {}

/// The file name of a path, for labels.
pub fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
