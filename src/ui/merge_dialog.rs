//! File → Merge workspace…: read a colleague's workspace (off the UI thread), show what the
//! merge adds and matches, let the user settle each conflict (keep mine / take theirs / keep
//! both), then apply it as one undoable command.

use std::path::PathBuf;

use egui::{Id, RichText};

use crate::model::merge::{ConflictKind, MergePlan, Resolution, plan_merge_with_base};
use crate::store;

use super::app::YinwenApp;
use super::i18n::tr;
use super::jobs::{JobResult, file_name};

/// A planned merge waiting for the user's choices.
pub struct MergeReview {
    /// Their workspace file.
    pub theirs: PathBuf,
    /// The common ancestor's file, when given.
    pub base: Option<PathBuf>,
    /// Whether the ancestor was the workspace as we last opened or saved it.
    pub snapshot: bool,
    /// What the merge will do.
    pub plan: MergePlan,
    /// One choice per conflict.
    pub choices: Vec<Resolution>,
    /// Set when "theirs" is our own workspace file as someone else saved it: after the merge
    /// our workspace holds that version, so it becomes the file's expected state (and the
    /// ancestor of the next such merge).
    pub adopt: Option<(store::DiskStamp, Box<crate::model::Workspace>)>,
    /// The history state the plan was made against; a plan for another state is refused.
    pub planned_at: u64,
}

/// What the merge compares against to tell who changed what.
pub enum MergeBase {
    /// Nothing: every difference is a question.
    None,
    /// A workspace file the user chose.
    File(PathBuf),
    /// The workspace as we opened or last saved it (merging someone else's save of our file).
    Snapshot(Box<crate::model::Workspace>),
}

/// What the background job hands back: the plan, their file's stamp and their workspace.
pub type Planned = (MergePlan, store::DiskStamp, Box<crate::model::Workspace>);

impl YinwenApp {
    /// Reads their workspace (and the common ancestor) on a background thread and plans the
    /// merge into ours; the review dialog opens when it is ready.
    pub fn start_merge(&mut self, ctx: &egui::Context, theirs: PathBuf, base: Option<PathBuf>) {
        let base = base.map_or(MergeBase::None, MergeBase::File);
        self.start_merge_with(ctx, theirs, base);
    }

    /// [`Self::start_merge`] with any kind of base.
    pub fn start_merge_with(&mut self, ctx: &egui::Context, theirs: PathBuf, base: MergeBase) {
        let ours = self.ws().clone();
        let planned_at = self.history.state_id();
        let ours_path = self.ws_path.clone();
        self.merge_review = None;
        let label = tr!("progress.reading_for_merge", file = file_name(&theirs));
        self.jobs.spawn_with_progress(ctx, label, move |progress| {
            let base_path = match &base {
                MergeBase::File(p) => Some(p.clone()),
                _ => None,
            };
            let snapshot = matches!(base, MergeBase::Snapshot(_));
            let result = (|| {
                let (t, stamp) = store::load_stamped(&theirs).map_err(|e| e.to_string())?;
                let b = match base {
                    MergeBase::None => None,
                    MergeBase::File(p) => Some(store::load(&p).map_err(|e| e.to_string())?),
                    MergeBase::Snapshot(ws) => Some(*ws),
                };
                let plan = plan_merge_with_base(&ours, &t, b.as_ref());
                Ok((plan, stamp, Box::new(t)))
            })();
            JobResult::MergePlanned {
                planned_at,
                ours_path,
                theirs,
                base: base_path,
                snapshot,
                result: (!progress.is_cancelled()).then_some(result),
            }
        });
    }

    /// A planned merge arrived from the background job.
    #[allow(clippy::too_many_arguments)]
    pub fn on_merge_planned(
        &mut self,
        planned_at: u64,
        ours_path: Option<PathBuf>,
        theirs: PathBuf,
        base: Option<PathBuf>,
        snapshot: bool,
        result: Result<Planned, String>,
    ) {
        if planned_at != self.history.state_id() || ours_path != self.ws_path {
            // The workspace changed while their file was read: the plan no longer fits.
            self.info(tr!("merge.changed_meanwhile"));
            return;
        }
        match result {
            Ok((plan, stamp, their_ws)) => {
                let choices = vec![Resolution::Both; plan.conflicts.len()];
                let adopt = (self.ws_path.as_deref() == Some(theirs.as_path()))
                    .then_some((stamp, their_ws));
                self.merge_review = Some(MergeReview {
                    theirs,
                    base,
                    snapshot,
                    plan,
                    choices,
                    adopt,
                    planned_at,
                });
            }
            Err(e) => self.error(tr!("merge.cannot_read", error = e)),
        }
    }

    /// Carries out a reviewed merge as one undo step.
    pub fn apply_merge(&mut self, review: &MergeReview) {
        if review.planned_at != self.history.state_id() {
            self.error(tr!("merge.changed_meanwhile"));
            return;
        }
        let cmd = review.plan.command(&review.choices);
        let name = file_name(&review.theirs);
        if review.plan.is_empty() || self.execute(cmd) {
            if let Some((stamp, their_ws)) = &review.adopt {
                // Our file as they saved it is now part of our workspace: saving may replace
                // it, and it is the ancestor of the next such merge.
                self.shared.stamp = Some(stamp.clone());
                self.shared.snapshot = Some(their_ws.clone());
            }
            self.info(tr!(
                "merge.done",
                file = name,
                annotations = review.plan.annotations.added,
                documents = review.plan.documents.added,
                conflicts = review.plan.conflicts.len()
            ));
        }
    }
}

fn kind_label(k: ConflictKind) -> String {
    match k {
        ConflictKind::Document => tr!("merge.kind_document"),
        ConflictKind::Tag => tr!("merge.kind_tag"),
        ConflictKind::Source => tr!("merge.kind_source"),
        ConflictKind::Annotation => tr!("merge.kind_annotation"),
    }
}

fn field_label(f: &str) -> String {
    match f {
        "note" => tr!("merge.field_note"),
        "colour" => tr!("merge.field_colour"),
        "directive" => tr!("merge.field_directive"),
        "description" => tr!("merge.field_description"),
        "title" => tr!("merge.field_title"),
        "speaker" => tr!("merge.field_speaker"),
        "date" => tr!("merge.field_date"),
        "occasion" => tr!("merge.field_occasion"),
        "place" => tr!("merge.field_place"),
        "issuer" => tr!("merge.field_issuer"),
        "doc_number" => tr!("merge.field_doc_number"),
        "url" => tr!("merge.field_url"),
        "retrieved_on" => tr!("merge.field_retrieved_on"),
        "notes" => tr!("merge.field_notes"),
        "kind" => tr!("merge.field_kind"),
        "text" => tr!("merge.field_text"),
        other => other.to_string(),
    }
}

fn shorten(s: &str) -> String {
    let out = crate::model::preview(s, 80);
    if out.is_empty() {
        tr!("merge.empty_value")
    } else {
        out
    }
}

/// Shows the merge review when one is waiting.
pub fn show(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some(mut r) = app.merge_review.take() else {
        return;
    };
    let mut keep = true;
    let mut go = false;
    let mut pick_base = false;
    egui::Modal::new(Id::unique("merge-review")).show(ctx, |ui| {
        ui.set_width(620.0);
        ui.heading(tr!("merge.title", file = file_name(&r.theirs)));
        if let Some(b) = &r.base {
            ui.label(tr!("merge.with_base", file = file_name(b)));
        } else if r.snapshot {
            ui.label(tr!("merge.with_snapshot"));
        }
        let p = &r.plan;
        egui::Grid::new("merge-counts")
            .striped(true)
            .show(ui, |ui| {
                ui.label("");
                ui.label(RichText::new(tr!("merge.added")).strong());
                ui.label(RichText::new(tr!("merge.matched")).strong());
                ui.end_row();
                for (label, c) in [
                    (tr!("merge.documents"), p.documents),
                    (tr!("merge.tags"), p.tags),
                    (tr!("merge.sources"), p.sources),
                    (tr!("merge.annotations"), p.annotations),
                ] {
                    ui.label(label);
                    ui.label(c.added.to_string());
                    ui.label(c.matched.to_string());
                    ui.end_row();
                }
            });
        if p.auto_merged > 0 {
            ui.label(tr!("merge.auto_merged", n = p.auto_merged));
        }
        if p.skipped > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr!("merge.skipped", n = p.skipped),
            );
        }
        if p.is_empty() {
            ui.label(tr!("merge.nothing"));
        }
        if !p.conflicts.is_empty() {
            ui.separator();
            ui.label(RichText::new(tr!("merge.conflicts", n = p.conflicts.len())).strong());
            ui.horizontal(|ui| {
                for (label, choice) in [
                    (tr!("merge.all_mine"), Resolution::Ours),
                    (tr!("merge.all_theirs"), Resolution::Theirs),
                    (tr!("merge.all_both"), Resolution::Both),
                ] {
                    if ui.button(label).clicked() {
                        r.choices.iter_mut().for_each(|c| *c = choice);
                    }
                }
            });
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for (i, c) in r.plan.conflicts.iter().enumerate() {
                        ui.group(|ui| {
                            ui.set_width(ui.available_width());
                            ui.label(
                                RichText::new(format!("{} · {}", kind_label(c.kind), c.item))
                                    .strong(),
                            );
                            egui::Grid::new(("merge-fields", i))
                                .num_columns(3)
                                .spacing([8.0, 2.0])
                                .show(ui, |ui| {
                                    for f in &c.fields {
                                        ui.label(field_label(f.field));
                                        ui.label(RichText::new(tr!("merge.mine")).weak());
                                        ui.label(shorten(&f.ours));
                                        ui.end_row();
                                        ui.label("");
                                        ui.label(RichText::new(tr!("merge.theirs")).weak());
                                        ui.label(shorten(&f.theirs));
                                        ui.end_row();
                                    }
                                });
                            ui.horizontal(|ui| {
                                let choice = &mut r.choices[i];
                                ui.radio_value(choice, Resolution::Ours, tr!("merge.keep_mine"));
                                ui.radio_value(
                                    choice,
                                    Resolution::Theirs,
                                    tr!("merge.take_theirs"),
                                );
                                let both = if c.can_keep_both() {
                                    tr!("merge.keep_both")
                                } else {
                                    tr!("merge.keep_both_single")
                                };
                                ui.radio_value(choice, Resolution::Both, both)
                                    .on_hover_text(tr!("merge.keep_both_tip"));
                            });
                        });
                    }
                });
        }
        ui.separator();
        ui.horizontal(|ui| {
            let label = if r.plan.is_empty() {
                tr!("merge.close")
            } else {
                tr!("merge.merge")
            };
            if ui.button(label).clicked() {
                go = !r.plan.is_empty() || r.adopt.is_some();
                keep = false;
            }
            if !r.plan.is_empty() && ui.button(tr!("dialog.cancel")).clicked() {
                keep = false;
            }
            if r.base.is_none() && !r.snapshot && !r.plan.conflicts.is_empty() {
                ui.add_space(12.0);
                if ui
                    .button(tr!("merge.use_base"))
                    .on_hover_text(tr!("merge.use_base_tip"))
                    .clicked()
                {
                    pick_base = true;
                    keep = false;
                }
            }
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            keep = false;
            // Nothing to merge from our own file: closing takes it as the file's state.
            go = r.plan.is_empty() && r.adopt.is_some();
        }
    });
    if go {
        app.apply_merge(&r);
    }
    if pick_base {
        let start = r.theirs.parent().map(PathBuf::from);
        app.pending_merge_theirs = Some(r.theirs.clone());
        app.dialogs
            .open_file(super::dialogs::FilePurpose::MergeBase, start);
    }
    if keep {
        app.merge_review = Some(r);
    }
}
