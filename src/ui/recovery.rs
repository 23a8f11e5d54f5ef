//! Autosave to a recovery file while there are unsaved changes, and the offer to restore it
//! after a crash. The recovery file is separate from the workspace file, which is only
//! written when the user saves.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::model::Workspace;

use super::app::YinwenApp;
use super::i18n::tr;

/// How often unsaved changes are written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

/// What the recovery file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The workspace file the work belongs to, if it had one.
    pub workspace_path: Option<PathBuf>,
    /// The unsaved workspace.
    pub workspace: Workspace,
    /// SHA-256 (hex) of the workspace file as last read or written, so that a restore can
    /// tell whether someone saved the file since.
    #[serde(default)]
    pub file_sha256: Option<String>,
}

/// Autosave state of the app.
#[derive(Debug)]
pub struct Autosave {
    /// Where the recovery file lives (`None`: autosave off, e.g. in tests without a folder).
    pub path: Option<PathBuf>,
    last: Instant,
    saved_state: Option<u64>,
    /// A recovery found at start-up, waiting for the user's answer.
    pub offer: Option<Recovery>,
}

impl Autosave {
    /// Autosave into `path`; reads a recovery left by an earlier run.
    pub fn new(path: Option<PathBuf>) -> (Autosave, Option<String>) {
        let mut error = None;
        let offer = path.as_deref().and_then(|p| match read(p) {
            Ok(r) => r,
            Err(e) => {
                error = Some(e);
                None
            }
        });
        (
            Autosave {
                path,
                last: Instant::now(),
                saved_state: None,
                offer,
            },
            error,
        )
    }
}

/// Reads a recovery file; `Ok(None)` when there is none.
pub fn read(path: &Path) -> Result<Option<Recovery>, String> {
    match std::fs::read_to_string(path) {
        Ok(s) => ron::from_str::<Recovery>(&s)
            .map(Some)
            .map_err(|e| tr!("recovery.damaged", path = path.display(), error = e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(tr!("recovery.unreadable", path = path.display(), error = e)),
    }
}

impl YinwenApp {
    /// Writes the recovery file now if there are unsaved changes not yet written; removes it
    /// when there are none.
    pub fn autosave_now(&mut self) {
        let Some(path) = self.autosave.path.clone() else {
            return;
        };
        self.autosave.last = Instant::now();
        if !self.history.is_dirty() {
            if self.autosave.saved_state.take().is_some() || path.exists() {
                let _ = std::fs::remove_file(&path);
            }
            return;
        }
        let state = self.history.state_id();
        if self.autosave.saved_state == Some(state) {
            return;
        }
        let rec = Recovery {
            workspace_path: self.ws_path.clone(),
            workspace: self.ws().clone(),
            file_sha256: self
                .shared
                .stamp
                .as_ref()
                .map(|s| s.hash.iter().map(|b| format!("{b:02x}")).collect()),
        };
        let text = match ron::ser::to_string_pretty(&rec, ron::ser::PrettyConfig::new()) {
            Ok(t) => t,
            Err(e) => {
                self.error(tr!("recovery.autosave_failed", error = e));
                return;
            }
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match crate::store::write_atomic(&path, text.as_bytes()) {
            Ok(()) => self.autosave.saved_state = Some(state),
            Err(e) => self.error(tr!(
                "recovery.autosave_to_failed",
                path = path.display(),
                error = e
            )),
        }
    }

    /// Called every frame: autosaves every [`AUTOSAVE_EVERY`].
    pub fn autosave_tick(&mut self, ctx: &egui::Context) {
        if self.autosave.path.is_none() {
            return;
        }
        if self.autosave.last.elapsed() >= AUTOSAVE_EVERY {
            self.autosave_now();
        }
        if self.history.is_dirty() {
            ctx.request_repaint_after(AUTOSAVE_EVERY);
        }
    }

    /// Removes the recovery file (after a save, or when the user discards it).
    pub fn clear_recovery(&mut self) {
        self.autosave.saved_state = None;
        if let Some(p) = &self.autosave.path {
            let _ = std::fs::remove_file(p);
        }
    }

    /// Restores the work found in the recovery file (unsaved, as it was).
    pub fn restore_recovery(&mut self) {
        if let Some(rec) = self.autosave.offer.take() {
            self.restore_workspace(rec.workspace, rec.workspace_path, rec.file_sha256);
            self.info(tr!("recovery.restored"));
        }
    }
}

/// The "restore unsaved work?" dialog.
pub fn show(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some(rec) = &app.autosave.offer else {
        return;
    };
    let name = rec
        .workspace_path
        .as_ref()
        .map_or_else(|| tr!("recovery.untitled"), |p| p.display().to_string());
    let docs = rec.workspace.documents.len();
    let anns = rec.workspace.annotations.len();
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(tr!("recovery.heading"));
        ui.label(tr!(
            "recovery.explained",
            name = name,
            docs = docs,
            anns = anns
        ));
        ui.horizontal(|ui| {
            if ui.button(tr!("recovery.restore")).clicked() {
                answer = Some(true);
            }
            if ui.button(tr!("recovery.discard")).clicked() {
                answer = Some(false);
            }
        });
    });
    match answer {
        Some(true) => app.restore_recovery(),
        Some(false) => {
            app.autosave.offer = None;
            app.clear_recovery();
        }
        None => {}
    }
}
