//! Workspaces in shared folders: the lock that warns a second opener, and what happens when
//! someone else saved the file since we opened it (merge, reload, save as, overwrite).

use std::path::{Path, PathBuf};

use egui::Id;

use crate::model::Workspace;
use crate::store::{self, DiskStamp, LockOwner, LockState, WorkspaceLock, lock};

use super::app::YinwenApp;
use super::i18n::tr;
use super::jobs::file_name;
use super::merge_dialog::MergeBase;

/// What we know about the workspace's file.
#[derive(Default)]
pub struct SharedFile {
    /// The file as we last read or wrote it; saving checks it first.
    pub stamp: Option<DiskStamp>,
    /// The workspace as we last read or wrote it: the common ancestor when merging someone
    /// else's save of the same file.
    pub snapshot: Option<Box<Workspace>>,
    /// Our lock on the file.
    lock: Option<WorkspaceLock>,
    locked: Option<PathBuf>,
    /// A save refused because someone else changed this file: the user is asked.
    pub conflict: Option<PathBuf>,
    /// A workspace someone else has open, waiting for "open anyway".
    pub lock_warning: Option<(PathBuf, LockOwner)>,
    /// The history state when a workspace load started.
    pub loading_from: Option<u64>,
}

impl SharedFile {
    /// The workspace was just read from or written to `path`: remember the file's state and
    /// hold its lock.
    pub fn record_file(&mut self, path: &Path, stamp: DiskStamp, snapshot: Workspace) {
        self.stamp = Some(stamp);
        self.snapshot = Some(Box::new(snapshot));
        self.take_lock(path);
    }

    fn take_lock(&mut self, path: &Path) {
        if self.locked.as_deref() == Some(path) {
            return;
        }
        // The user already chose to open it (a live lock was shown to them), so take it.
        self.lock = WorkspaceLock::acquire(path, true).ok();
        self.locked = Some(path.to_path_buf());
    }
}

impl YinwenApp {
    /// Opens a workspace file unless someone else has it open, in which case the user is
    /// told who and asked.
    pub fn load_workspace_checking_lock(&mut self, ctx: &egui::Context, path: PathBuf) {
        match lock::inspect(&path) {
            LockState::Held(owner) => self.shared.lock_warning = Some((path, owner)),
            LockState::Free | LockState::Stale(_) => self.start_loading(ctx, path),
        }
    }

    /// Reads a workspace file in the background, remembering the state of the current one:
    /// if the user changes it while the file is read, the loaded workspace does not silently
    /// replace those changes (see [`YinwenApp::poll_jobs`]).
    pub(crate) fn start_loading(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.shared.loading_from = Some(self.history.state_id());
        self.jobs.load_workspace(ctx, path);
    }

    /// Reloads the file someone else saved, first keeping our version beside it.
    fn reload_keeping_mine(&mut self, ctx: &egui::Context, path: PathBuf) {
        let copy = copy_path(&path);
        match store::save(self.ws(), &copy) {
            Ok(()) => {
                self.info(tr!("shared.kept_copy", path = copy.display()));
                self.pending = None;
                self.start_loading(ctx, path);
            }
            Err(e) => self.error(tr!("shared.copy_failed", error = e)),
        }
    }
}

/// `讲话.ron` → `讲话 (mine).ron`, or `讲话 (mine 2).ron` … when taken.
pub fn copy_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem} ({}).ron", tr!("shared.mine_suffix"))
        } else {
            format!("{stem} ({} {n}).ron", tr!("shared.mine_suffix"))
        };
        let p = dir.join(name);
        if !p.exists() {
            return p;
        }
        n += 1;
    }
}

/// Shows the "someone has it open" and "someone changed it" questions.
pub fn show(app: &mut YinwenApp, ctx: &egui::Context) {
    if let Some((path, owner)) = app.shared.lock_warning.clone() {
        let mut answer = None;
        egui::Modal::new(Id::unique("workspace-in-use")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(tr!("shared.in_use_title"));
            let text = match owner.minutes_since_refresh() {
                Some(m) => tr!(
                    "shared.in_use",
                    file = file_name(&path),
                    who = owner.describe(),
                    minutes = m
                ),
                None => tr!(
                    "shared.in_use_no_age",
                    file = file_name(&path),
                    who = owner.describe()
                ),
            };
            ui.label(text);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button(tr!("shared.open_anyway"))
                    .on_hover_text(tr!("shared.open_anyway_tip"))
                    .clicked()
                {
                    answer = Some(true);
                }
                if ui.button(tr!("dialog.cancel")).clicked()
                    || ui.input(|i| i.key_pressed(egui::Key::Escape))
                {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => {
                app.shared.lock_warning = None;
                app.start_loading(ctx, path);
            }
            Some(false) => {
                app.shared.lock_warning = None;
                app.pending = None;
            }
            None => {}
        }
    }

    if let Some(path) = app.shared.conflict.clone() {
        #[derive(PartialEq)]
        enum Answer {
            Merge,
            Reload,
            SaveAs,
            Overwrite,
            Cancel,
        }
        let mut answer = None;
        egui::Modal::new(Id::unique("changed-on-disk")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(tr!("shared.changed_title"));
            ui.label(tr!("shared.changed", file = file_name(&path)));
            ui.add_space(8.0);
            ui.vertical(|ui| {
                if ui
                    .button(tr!("shared.merge"))
                    .on_hover_text(tr!("shared.merge_tip"))
                    .clicked()
                {
                    answer = Some(Answer::Merge);
                }
                if ui
                    .button(tr!("shared.reload"))
                    .on_hover_text(tr!("shared.reload_tip"))
                    .clicked()
                {
                    answer = Some(Answer::Reload);
                }
                if ui.button(tr!("shared.save_as")).clicked() {
                    answer = Some(Answer::SaveAs);
                }
                if ui
                    .button(tr!("shared.overwrite"))
                    .on_hover_text(tr!("shared.overwrite_tip"))
                    .clicked()
                {
                    answer = Some(Answer::Overwrite);
                }
                if ui.button(tr!("dialog.cancel")).clicked()
                    || ui.input(|i| i.key_pressed(egui::Key::Escape))
                {
                    answer = Some(Answer::Cancel);
                }
            });
        });
        if let Some(a) = answer {
            app.shared.conflict = None;
            match a {
                Answer::Merge => {
                    // A quit or open that waited for the save would otherwise fire at some
                    // later save; after merging, the user saves (and quits) again.
                    app.pending = None;
                    let base = match app.shared.snapshot.clone() {
                        Some(ws) => MergeBase::Snapshot(ws),
                        None => MergeBase::None,
                    };
                    app.start_merge_with(ctx, path, base);
                }
                Answer::Reload => app.reload_keeping_mine(ctx, path),
                Answer::SaveAs => app.dialogs.open_save_as(Some(path)),
                Answer::Overwrite => {
                    app.save_to_checked(ctx, path, None);
                }
                Answer::Cancel => app.pending = None,
            }
        }
    }
}
