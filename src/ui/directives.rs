//! Quoted directives in the window: detection candidates for the open speech (accept, reject,
//! accept all above a threshold), attribution editing, the source library, linking with ranked
//! suggestions, and verification against a source's text.

use std::collections::HashSet;

use egui::{Color32, RichText, Ui};

use crate::analysis::verify::DiffOp;
use crate::analysis::verify_workspace::{BatchOutcome, verify_against, verify_directives};
use crate::analysis::{self, Detection};
use crate::model::{
    Anchor, AnnId, Annotation, Attribution, CharIndex, Command, DirectiveInfo, DocId, Source,
    SourceId, SourceKind, VerifyStatus,
};

use super::app::YinwenApp;
use super::i18n::tr;
use super::intent::{Intent, ViewContext};
use super::jobs::JobResult;
use std::ops::Range;

/// Colour of accepted directives (drawn boxed, not as highlights).
pub use crate::model::DIRECTIVE_COLOR;

/// Detection of one document, kept while its text (revision) is unchanged. Shared, so the
/// tab holds it for a frame while it changes the app.
pub struct DetectionCache {
    key: u64,
    /// The detection.
    pub detection: std::sync::Arc<Detection>,
}

/// State of the directives and sources tabs.
#[derive(Default)]
pub struct DirectivesUi {
    /// Detection per document.
    pub cache: std::collections::HashMap<DocId, DetectionCache>,
    /// The candidate list's own state (threshold, rejected candidates, what is shown).
    pub candidates: CandidatesState,
    /// The Sources view's own state (filter, selection).
    pub sources: SourcesState,
    /// Last diff shown for a directive.
    pub last_diff: Option<(AnnId, Vec<DiffOp>, String)>,
    /// Indexes of the sources' texts, shared by Verify and Verify all.
    pub indexes: crate::analysis::verify_workspace::SourceIndexes,
    /// "New source from attribution" found this source of the same document: the directive
    /// and the source offered instead of a duplicate.
    pub offer_existing: Option<(AnnId, SourceId)>,
}

/// The detected directives of document `doc` still waiting for a decision: neither accepted
/// (no directive annotation on the same span) nor rejected (a rejection in the workspace on
/// the same span). The one rule the candidate list, the Directive table, the outlines in the
/// text and their tooltips share.
pub fn pending_candidates<'d>(
    ws: &crate::model::Workspace,
    doc: DocId,
    det: &'d Detection,
) -> Vec<&'d analysis::Directive> {
    let rejected = ws.rejected_spans(doc);
    let accepted: HashSet<(usize, usize)> = ws
        .annotations_of(doc)
        .filter(|a| a.directive.is_some())
        .map(|a| (a.anchor.start.0, a.anchor.end.0))
        .collect();
    det.directives
        .iter()
        .filter(|d| !accepted.contains(&(d.start, d.end)) && !rejected.contains(&(d.start, d.end)))
        .collect()
}

/// Why a source was suggested for a directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchReason {
    /// Same 文号.
    DocNumber,
    /// The title agrees.
    Title,
    /// The issuer agrees with the speaker.
    Issuer,
    /// The date agrees.
    Date,
    /// The occasion agrees.
    Occasion,
}

impl MatchReason {
    /// In words of the current language.
    pub fn label(self) -> String {
        match self {
            MatchReason::DocNumber => tr!("dir.reason_doc_number"),
            MatchReason::Title => tr!("dir.reason_title"),
            MatchReason::Issuer => tr!("dir.reason_issuer"),
            MatchReason::Date => tr!("dir.reason_date"),
            MatchReason::Occasion => tr!("dir.reason_occasion"),
        }
    }
}

/// A source suggested for a directive, with why.
#[derive(Debug, Clone)]
pub struct Ranked<'a> {
    /// Strength of the agreement (for ordering only; never shown).
    pub score: f32,
    /// The source.
    pub source: &'a Source,
    /// What agrees, strongest first.
    pub reasons: Vec<MatchReason>,
}

impl Ranked<'_> {
    /// The reasons in words: "same 文号, title agrees".
    pub fn reason(&self) -> String {
        let sep = tr!("dir.reason_sep");
        self.reasons
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(&sep)
    }

    /// Whether the source is the same document (same 文号, or the same title), so that a new
    /// source from the attribution would duplicate it.
    pub fn same_document(&self) -> bool {
        self.reasons.contains(&MatchReason::DocNumber) || self.reasons.contains(&MatchReason::Title)
    }
}

/// Ranks sources for a directive: agreement of document number, title, speaker and date.
pub fn rank_sources<'a>(sources: &'a [Source], a: &Attribution) -> Vec<Ranked<'a>> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '《' | '》' | '“' | '”' | ' ' | '　' | '同' | '志'))
            .collect()
    };
    let mut out: Vec<Ranked> = sources
        .iter()
        .map(|s| {
            let mut score = 0.0;
            let mut reasons = Vec::new();
            let mut agree = |yes: bool, weight: f32, why: MatchReason| {
                if yes {
                    score += weight;
                    reasons.push(why);
                }
            };
            agree(
                !a.doc_number.is_empty()
                    && crate::model::doc_number_key(&a.doc_number)
                        == crate::model::doc_number_key(&s.doc_number),
                3.0,
                MatchReason::DocNumber,
            );
            let (t, st) = (norm(&a.source_title), norm(&s.title));
            agree(
                !t.is_empty() && !st.is_empty() && (st.contains(&t) || t.contains(&st)),
                2.0,
                MatchReason::Title,
            );
            let (sp, is) = (norm(&a.speaker), norm(&s.issuer));
            agree(
                !sp.is_empty() && !is.is_empty() && (is.contains(&sp) || sp.contains(&is)),
                1.5,
                MatchReason::Issuer,
            );
            agree(
                !a.date.is_empty()
                    && !s.date.is_empty()
                    && (s.date.starts_with(&a.date) || a.date.starts_with(&s.date)),
                1.0,
                MatchReason::Date,
            );
            agree(
                !a.occasion.is_empty()
                    && !s.occasion.is_empty()
                    && norm(&s.occasion).contains(&norm(&a.occasion)),
                0.5,
                MatchReason::Occasion,
            );
            Ranked {
                score,
                source: s,
                reasons,
            }
        })
        .filter(|r| r.score > 0.0)
        .collect();
    out.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.source.id.cmp(&y.source.id))
    });
    out
}

impl YinwenApp {
    /// Detection of the current document (computed once per text). A detection that panics
    /// (a bug) is reported once and counts as finding nothing in this text.
    pub fn detection(&mut self) -> Option<std::sync::Arc<Detection>> {
        let id = self.current?;
        let doc = self.ws().document(id)?;
        let key = doc.revision();
        let fresh = self.dir_ui.cache.get(&id).is_some_and(|c| c.key == key);
        if !fresh {
            let text = &doc.text;
            let found = std::panic::catch_unwind(|| {
                super::jobs::fault_point("detect");
                analysis::detect(text)
            });
            let detection = std::sync::Arc::new(match found {
                Ok(d) => d,
                Err(panic) => {
                    self.report_failure(super::jobs::panic_message(panic.as_ref()), false);
                    Detection {
                        directives: Vec::new(),
                        terms: Vec::new(),
                        titles: Vec::new(),
                        references: Vec::new(),
                        warnings: Vec::new(),
                    }
                }
            });
            self.dir_ui
                .cache
                .insert(id, DetectionCache { key, detection });
        }
        self.dir_ui.cache.get(&id).map(|c| c.detection.clone())
    }

    /// Accepts a detected directive: it becomes a directive annotation with its attribution.
    pub fn accept_directive(&mut self, d: &analysis::Directive) -> Option<AnnId> {
        let doc_id = self.current?;
        let doc = self.ws().document(doc_id)?;
        if self.ws().annotations_of(doc_id).any(|a| {
            a.directive.is_some() && a.anchor.start.0 == d.start && a.anchor.end.0 == d.end
        }) {
            return None;
        }
        let index = CharIndex::new(&doc.text);
        let ann = directive_annotation(doc_id, &doc.text, &index, d);
        self.execute_creating(Command::AddAnnotation(Box::new(ann)))
            .map(AnnId)
    }

    /// Accepts every pending directive at or above the threshold, as one undo step.
    pub fn accept_all_above(&mut self, threshold: f32) -> usize {
        let Some(doc_id) = self.current else { return 0 };
        let Some(det) = self.detection() else {
            return 0;
        };
        let Some(doc) = self.ws().document(doc_id) else {
            return 0;
        };
        let index = CharIndex::new(&doc.text);
        let cmds: Vec<Command> = pending_candidates(self.ws(), doc_id, &det)
            .into_iter()
            .filter(|d| d.confidence >= threshold)
            .map(|d| {
                Command::AddAnnotation(Box::new(directive_annotation(doc_id, &doc.text, &index, d)))
            })
            .collect();
        let n = cmds.len();
        if n > 0 {
            self.execute(Command::Batch {
                label: crate::model::ChangeKind::AcceptDirectives,
                commands: cmds,
            });
        }
        n
    }

    /// Creates a source record from a directive's attribution and links the directive to it;
    /// when a source of the same document (文号 or title) is already in the workspace, offers
    /// that one first instead of making a duplicate.
    pub fn source_from_attribution(&mut self, ann: AnnId) {
        let existing = self
            .ws()
            .annotation(ann)
            .and_then(|a| a.directive.as_ref())
            .and_then(|d| {
                rank_sources(&self.ws().sources, &d.attribution)
                    .into_iter()
                    .find(|r| r.same_document())
                    .map(|r| r.source.id)
            });
        if let Some(src) = existing {
            self.dir_ui.offer_existing = Some((ann, src));
            return;
        }
        self.new_source_from_attribution(ann);
    }

    /// Creates a source record from a directive's attribution (even when a similar one
    /// exists) and links the directive to it.
    pub fn new_source_from_attribution(&mut self, ann: AnnId) {
        let Some(mut a) = self.ws().annotation(ann).cloned() else {
            return;
        };
        let Some(info) = a.directive.clone() else {
            return;
        };
        let at = &info.attribution;
        // The directive links to the new source in the same step, so its ID is chosen here.
        let id = SourceId(self.ws().first_free_id());
        let kind = if !at.doc_number.is_empty() || !at.source_title.is_empty() {
            SourceKind::Document
        } else {
            SourceKind::Speech
        };
        let src = Source {
            id,
            kind,
            title: at.source_title.clone(),
            issuer: at.speaker.clone(),
            date: at.date.clone(),
            doc_number: at.doc_number.clone(),
            occasion: at.occasion.clone(),
            ..Default::default()
        };
        if let Some(d) = &mut a.directive {
            d.source = Some(id);
        }
        if self.execute(Command::Batch {
            label: crate::model::ChangeKind::CreateSource,
            commands: vec![
                Command::AddSource(Box::new(src)),
                Command::SetAnnotation(Box::new(a)),
            ],
        }) {
            self.dir_ui.sources.selected = Some(id);
        }
    }

    /// Links a directive to a source (or unlinks it with `None`).
    pub fn link_source(&mut self, ann: AnnId, source: Option<SourceId>) {
        let Some(mut a) = self.ws().annotation(ann).cloned() else {
            return;
        };
        if let Some(d) = &mut a.directive {
            d.source = source;
            d.source_span = None;
            d.verification = None;
        }
        self.edit_annotation(a, None);
    }

    /// Checks a directive's quotation against its linked source's text.
    pub fn verify_directive(&mut self, ann: AnnId) {
        let Some(mut a) = self.ws().annotation(ann).cloned() else {
            return;
        };
        let Some(src_id) = a.directive.as_ref().and_then(|d| d.source) else {
            self.info(tr!("dir.link_first"));
            return;
        };
        let Some(text) = self.ws().source(src_id).and_then(|s| s.text.clone()) else {
            self.info(tr!("dir.source_has_no_text"));
            return;
        };
        let Some(index) = self.dir_ui.indexes.get(self.ws(), src_id) else {
            return;
        };
        let (new, m) = verify_against(&a, &index, 0, src_id);
        let passage = m
            .source_start
            .zip(m.source_end)
            .map(|(s, e)| text.chars().skip(s).take(e - s).collect::<String>())
            .unwrap_or_default();
        self.dir_ui.last_diff = Some((ann, m.diff.clone(), passage));
        a = new;
        self.edit_annotation(a, None);
    }

    /// Verifies every directive linked to a source with text, off the UI thread with
    /// progress and Cancel; the results are applied as one undo step.
    pub fn start_verify_all(&mut self, ctx: &egui::Context) {
        let ws = self.ws().clone();
        let indexes = self.dir_ui.indexes.clone();
        self.jobs
            .spawn_with_progress(ctx, tr!("progress.verifying"), move |progress| {
                JobResult::VerifiedAll(verify_directives(&ws, &[], &indexes, progress).ok())
            });
    }

    /// Applies the results of [`Self::start_verify_all`].
    pub fn on_verified_all(&mut self, outcome: Option<BatchOutcome>) {
        let Some(out) = outcome else {
            self.info(tr!("progress.cancelled_verify"));
            return;
        };
        let changed = out.changed.len();
        // Only the verification is taken over, onto the annotation as it is now, and only
        // where it is still anchored and linked as when the job started: an edit the user
        // made meanwhile (a note, a tag, another link) is kept.
        let ws = self.ws();
        let cmds: Vec<Command> = out
            .changed
            .into_iter()
            .filter_map(|done| {
                let cur = ws.annotation(done.id)?;
                let new = done.directive?;
                let mut d = cur.directive.clone()?;
                if cur.anchor != done.anchor || d.source != new.source {
                    return None;
                }
                d.source_span = new.source_span;
                d.verification = new.verification;
                let mut a = cur.clone();
                a.directive = Some(d);
                Some(Command::SetAnnotation(Box::new(a)))
            })
            .collect();
        if !cmds.is_empty() {
            self.execute(Command::Batch {
                label: crate::model::ChangeKind::VerifyAll,
                commands: cmds,
            });
        }
        let what = if out.checked == 1 {
            tr!("dir.one_directive")
        } else {
            tr!("dir.n_directives", n = out.checked)
        };
        self.info(tr!(
            "dir.verified_all",
            what = what,
            changed = changed,
            skipped = out.skipped
        ));
    }
}

/// A human word for a verification status, in the current language, and its colour.
pub fn status_label(s: VerifyStatus) -> (String, Color32) {
    match s {
        VerifyStatus::Verbatim => (tr!("verify.verbatim"), Color32::from_rgb(39, 174, 96)),
        VerifyStatus::Variant => (tr!("verify.variant"), Color32::from_rgb(230, 126, 34)),
        VerifyStatus::Abridged => (tr!("verify.abridged"), Color32::from_rgb(52, 152, 219)),
        VerifyStatus::NotFound => (tr!("verify.not_found"), Color32::from_rgb(192, 57, 43)),
    }
}

/// A source kind's name in the current language.
pub fn kind_label(k: SourceKind) -> String {
    match k {
        SourceKind::Speech => tr!("kind.speech"),
        SourceKind::Document => tr!("kind.document"),
        SourceKind::Meeting => tr!("kind.meeting"),
        SourceKind::Law => tr!("kind.law"),
        SourceKind::Other => tr!("kind.other"),
    }
}

fn short(s: &str, n: usize) -> String {
    crate::model::preview(s, n)
}

/// The Directives tab: candidates of the open speech and the accepted directives.
pub fn directives_tab(app: &mut YinwenApp, ui: &mut Ui) {
    let Some(doc_id) = app.current else {
        ui.label(tr!("dir.no_document"));
        return;
    };
    // The cached detection is shared: holding it for this frame copies nothing.
    let Some(det) = app.detection() else {
        return;
    };
    ui.horizontal(|ui| {
        let any = app.ws().annotations.iter().any(|a| a.directive.is_some());
        if ui
            .add_enabled(
                app.lib_ui.library.is_some() && any && !app.jobs.busy(),
                egui::Button::new(tr!("lib.find_all")),
            )
            .on_hover_text(tr!("lib.find_all_tip"))
            .on_disabled_hover_text(tr!("lib.find_all_disabled"))
            .clicked()
        {
            app.apply_intents(vec![Intent::FindSourcesForAll]);
        }
    });
    let (cx, state) = app.candidates_parts();
    let intents = candidates_view(ui, &cx, doc_id, &det, state);
    app.apply_intents(intents);
}

/// State of the candidate list: what the user set there. (Rejections are workspace data:
/// [`crate::model::Workspace::rejections`].)
pub struct CandidatesState {
    /// Threshold for "accept all".
    pub threshold: f32,
    /// Show terms, titles, references and warnings too.
    pub show_all: bool,
}

impl Default for CandidatesState {
    fn default() -> Self {
        CandidatesState {
            threshold: 0.7,
            show_all: false,
        }
    }
}

/// The candidate list of document `doc_id`: reads the workspace and the detection, keeps its
/// own state, and returns what the user asked for.
pub fn candidates_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    doc_id: DocId,
    det: &Detection,
    state: &mut CandidatesState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let accepted: Vec<&Annotation> = cx
        .ws
        .annotations_of(doc_id)
        .filter(|a| a.directive.is_some())
        .collect();
    let unlinked = accepted
        .iter()
        .filter(|a| a.directive.as_ref().is_some_and(|d| d.source.is_none()))
        .count();
    ui.label(
        RichText::new(tr!(
            "dir.summary",
            candidates = det.directives.len(),
            accepted = accepted.len(),
            unlinked = unlinked
        ))
        .strong(),
    );
    ui.horizontal(|ui| {
        ui.add(egui::Slider::new(&mut state.threshold, 0.0..=1.0).text(tr!("dir.threshold")));
        if ui
            .button(tr!("dir.accept_all"))
            .on_hover_text(tr!("dir.accept_all_tip"))
            .clicked()
        {
            intents.push(Intent::AcceptAllAbove(state.threshold));
        }
    });
    ui.checkbox(&mut state.show_all, tr!("dir.show_all"));
    ui.separator();
    let jump = |r: Range<usize>| Intent::Jump(doc_id, r);
    let rejected = cx.ws.rejected_spans(doc_id);
    for d in &det.directives {
        if rejected.contains(&(d.start, d.end)) {
            continue;
        }
        let done = accepted
            .iter()
            .find(|a| a.anchor.start.0 == d.start && a.anchor.end.0 == d.end);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let who = d
                    .speaker
                    .clone()
                    .or_else(|| {
                        d.source_title
                            .as_ref()
                            .map(|t| format!("《{}》", short(t, 16)))
                    })
                    .unwrap_or_else(|| "?".into());
                // The reason is looked up only while the pointer rests on the speaker.
                let reason = d.attribution_reason;
                ui.label(RichText::new(who).strong()).on_hover_ui(|ui| {
                    ui.label(reason_text(reason));
                });
                if let Some(v) = &d.verb {
                    ui.label(v);
                }
                if let Some(dt) = d.date.as_ref().or(d.date_text.as_ref()) {
                    ui.label(RichText::new(dt).weak());
                }
                ui.label(RichText::new(format!("{:.0}%", d.confidence * 100.0)).weak())
                    .on_hover_text(tr!("dir.confidence_tip"));
            });
            if ui
                .add(
                    egui::Label::new(format!("“{}”", short(&d.quote, 70)))
                        .sense(egui::Sense::click()),
                )
                .on_hover_text(tr!("dir.show_tip"))
                .clicked()
            {
                intents.push(jump(d.start..d.end));
            }
            ui.horizontal(|ui| match done {
                Some(a) => {
                    ui.label(
                        RichText::new(tr!("dir.accepted")).color(Color32::from_rgb(39, 174, 96)),
                    );
                    if ui.button(tr!("dir.edit")).clicked() {
                        intents.push(Intent::EditAnnotation(a.id));
                    }
                }
                None => {
                    if ui.button(tr!("dir.accept")).clicked() {
                        intents.push(Intent::AcceptDirective(d.clone()));
                    }
                    if ui.button(tr!("dir.reject")).clicked() {
                        intents.push(Intent::RejectCandidate(doc_id, d.start, d.end));
                    }
                }
            });
        });
    }
    if state.show_all {
        ui.separator();
        ui.label(RichText::new(tr!("dir.terms")).strong());
        ui.horizontal_wrapped(|ui| {
            for t in &det.terms {
                if ui.link(format!("“{}”", t.text)).clicked() {
                    intents.push(jump(t.start..t.end));
                }
            }
        });
        ui.label(RichText::new(tr!("dir.titles")).strong());
        for t in &det.titles {
            if ui.link(format!("“{}”", short(&t.text, 40))).clicked() {
                intents.push(jump(t.start..t.end));
            }
        }
        for r in &det.references {
            let label = format!(
                "{}{}",
                r.title
                    .as_ref()
                    .map(|t| format!("《{}》", short(t, 30)))
                    .unwrap_or_default(),
                r.doc_number
                    .clone()
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default()
            );
            if ui.link(label).clicked() {
                intents.push(jump(r.start..r.end));
            }
        }
        ui.label(RichText::new(tr!("dir.warnings")).strong());
        for w in &det.warnings {
            let label = format!(
                "{}: {}{}",
                super::review::warning_label(&w.kind),
                short(&w.text, 20),
                w.suggestion
                    .as_ref()
                    .map(|s| {
                        let s = if s == "delete" {
                            tr!("warning.delete")
                        } else {
                            s.clone()
                        };
                        format!(" → {s}")
                    })
                    .unwrap_or_default()
            );
            if ui
                .add(
                    egui::Label::new(RichText::new(label).color(ui.visuals().warn_fg_color))
                        .sense(egui::Sense::click()),
                )
                .clicked()
            {
                intents.push(jump(w.start..w.end));
            }
        }
    }
    intents
}

/// The editor of a quoted directive (attribution, link to a source, verification and the
/// differences found): reads the workspace and the last diff, returns what the user asked.
/// What the library found for the directive shown in the editor.
pub struct FoundView<'a> {
    /// A library is open.
    pub has_library: bool,
    /// Candidate sources found for this directive (`None`: not searched yet).
    pub found: Option<&'a [crate::library::FoundMatch]>,
    /// The claimed source disagrees with every document the quotation was found in.
    pub misattributed: bool,
}

/// A char-level diff: missing text struck through in red, extra text underlined in green.
pub fn diff_view(ui: &mut Ui, diff: &[DiffOp]) {
    if !diff.iter().any(|d| !matches!(d, DiffOp::Same(_))) {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for op in diff {
            match op {
                DiffOp::Same(s) => {
                    ui.label(s);
                }
                DiffOp::Missing(s) => {
                    ui.label(
                        RichText::new(s)
                            .strikethrough()
                            .color(Color32::from_rgb(192, 57, 43)),
                    )
                    .on_hover_text(tr!("dir.missing_tip"));
                }
                DiffOp::Extra(s) => {
                    ui.label(
                        RichText::new(s)
                            .underline()
                            .color(Color32::from_rgb(39, 174, 96)),
                    )
                    .on_hover_text(tr!("dir.extra_tip"));
                }
            }
        }
    });
}

pub fn directive_editor_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    last_diff: Option<&(AnnId, Vec<DiffOp>, String)>,
    ann: &Annotation,
    library: &FoundView<'_>,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let Some(info) = ann.directive.as_ref() else {
        return intents;
    };
    ui.label(
        RichText::new(tr!("dir.quoted_directive"))
            .strong()
            .color(super::annotate::color_of(DIRECTIVE_COLOR)),
    );
    let mut at = info.attribution.clone();
    let mut lost = false;
    egui::Grid::new(("attr", ann.id.0))
        .num_columns(2)
        .show(ui, |ui| {
            let mut field = |ui: &mut Ui, label: &str, v: &mut String| {
                ui.label(label);
                lost |= ui
                    .add(egui::TextEdit::singleline(v).desired_width(180.0))
                    .lost_focus();
                ui.end_row();
            };
            field(ui, &tr!("field.speaker"), &mut at.speaker);
            field(ui, &tr!("field.source_title"), &mut at.source_title);
            field(ui, &tr!("field.occasion"), &mut at.occasion);
            field(ui, &tr!("field.date"), &mut at.date);
            field(ui, &tr!("field.verb"), &mut at.verb);
            field(ui, &tr!("field.doc_number"), &mut at.doc_number);
        });
    if at != info.attribution {
        let mut a = ann.clone();
        if let Some(d) = &mut a.directive {
            d.attribution = at.clone();
        }
        intents.push(Intent::ExecuteCoalesced(
            Command::SetAnnotation(Box::new(a)),
            format!("attr-{}", ann.id.0),
        ));
    }
    if lost {
        intents.push(Intent::EndTyping);
    }
    // Link.
    let linked = info.source.and_then(|s| cx.ws.source(s));
    match linked {
        Some(s) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(tr!("dir.source"));
                ui.label(RichText::new(s.citation()).strong());
                if ui.small_button(tr!("dir.unlink")).clicked() {
                    intents.push(Intent::LinkSource(ann.id, None));
                }
            });
        }
        None => {
            ui.colored_label(ui.visuals().warn_fg_color, tr!("dir.no_source"));
        }
    }
    ui.horizontal(|ui| {
        if ui
            .button(tr!("dir.new_source"))
            .on_hover_text(tr!("dir.new_source_tip"))
            .clicked()
        {
            intents.push(Intent::SourceFromAttribution(ann.id));
        }
        let ranked: Vec<(String, SourceId, String)> = rank_sources(&cx.ws.sources, &at)
            .into_iter()
            .map(|r| (r.reason(), r.source.id, r.source.citation()))
            .collect();
        let others: Vec<(SourceId, String)> =
            cx.ws.sources.iter().map(|s| (s.id, s.citation())).collect();
        let mut chosen = None;
        egui::ComboBox::new(("link", ann.id.0), tr!("dir.link_to"))
            .selected_text(tr!("common.choose"))
            .show_ui(ui, |ui| {
                for (why, id, c) in &ranked {
                    if ui.button(short(c, 40)).on_hover_text(why).clicked() {
                        chosen = Some(*id);
                    }
                    ui.label(RichText::new(why).weak().small());
                }
                if !ranked.is_empty() {
                    ui.separator();
                }
                for (id, c) in &others {
                    if ui.button(short(c, 44)).clicked() {
                        chosen = Some(*id);
                    }
                }
            });
        if let Some(id) = chosen {
            intents.push(Intent::LinkSource(ann.id, Some(id)));
        }
    });
    // Verification.
    let can_verify = linked.is_some_and(|s| s.text.is_some());
    ui.horizontal(|ui| {
        if ui
            .add_enabled(can_verify, egui::Button::new(tr!("dir.verify")))
            .on_disabled_hover_text(tr!("dir.verify_disabled_tip"))
            .clicked()
        {
            intents.push(Intent::VerifyDirective(ann.id));
        }
        if let Some(v) = &info.verification {
            let (label, color) = status_label(v.status);
            ui.label(RichText::new(label).color(color).strong());
            ui.label(RichText::new(format!("{:.0}%", v.similarity * 100.0)).weak());
            if info.verification_stale {
                ui.label(RichText::new(tr!("dir.verification_stale")).weak())
                    .on_hover_text(tr!("dir.verification_stale_tip"));
            }
        }
    });
    // The source passage found, from the stored span (kept in the workspace).
    if let (Some(v), Some(src)) = (&info.verification, linked)
        && let (Some((s, e)), Some(text)) = (v.span, &src.text)
    {
        let passage: String = text.chars().skip(s).take(e.saturating_sub(s)).collect();
        ui.label(RichText::new(tr!("dir.source_passage", start = s, end = e)).weak());
        ui.label(short(&passage, 400));
    }
    if let Some((id, diff, _)) = last_diff
        && *id == ann.id
        && diff.iter().any(|d| !matches!(d, DiffOp::Same(_)))
    {
        ui.label(RichText::new(tr!("dir.differences")).weak());
        diff_view(ui, diff);
    }
    // The library.
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                library.has_library,
                egui::Button::new(tr!("lib.find_source")),
            )
            .on_hover_text(tr!("lib.find_source_tip"))
            .on_disabled_hover_text(tr!("lib.no_library"))
            .clicked()
        {
            intents.push(Intent::FindSource(ann.id));
        }
    });
    if let Some(found) = library.found {
        if library.misattributed {
            ui.colored_label(Color32::from_rgb(192, 57, 43), tr!("lib.misattributed"))
                .on_hover_text(tr!("lib.misattributed_tip"));
        }
        match super::library::candidates_list(ui, found, true, linked.map(|s| s.title.as_str())) {
            Some(super::library::CandidateAction::Link(i)) => {
                intents.push(Intent::LinkFound(ann.id, i))
            }
            Some(super::library::CandidateAction::Show(i)) => {
                intents.push(Intent::ShowFound(ann.id, i))
            }
            None => {}
        }
    }
    intents
}

/// The Sources tab: search, edit, import text, merge, delete.
pub fn sources_tab(app: &mut YinwenApp, ui: &mut Ui) {
    let (cx, state) = app.sources_parts();
    let intents = sources_view(ui, &cx, state);
    app.apply_intents(intents);
}

/// What the Sources view keeps between frames.
#[derive(Debug, Default, Clone)]
pub struct SourcesState {
    /// Filter of the source list.
    pub filter: String,
    /// Source selected for editing.
    pub selected: Option<SourceId>,
}

/// The Sources tab: search, the list with each source's uses, and the editor of the
/// selected source (details, its text, merge, delete).
pub fn sources_view(ui: &mut Ui, cx: &ViewContext<'_>, state: &mut SourcesState) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.horizontal(|ui| {
        let l = ui.label(tr!("sources.search"));
        ui.add(egui::TextEdit::singleline(&mut state.filter).desired_width(150.0))
            .labelled_by(l.id);
        if ui.button(tr!("sources.new")).clicked() {
            intents.push(Intent::NewSource);
        }
    });
    let q = state.filter.trim().to_string();
    let list: Vec<&Source> = cx
        .ws
        .sources
        .iter()
        .filter(|s| q.is_empty() || s.citation().contains(&q) || s.notes.contains(&q))
        .collect();
    let uses = |id: SourceId| {
        cx.ws
            .annotations
            .iter()
            .filter(|a| a.directive.as_ref().is_some_and(|d| d.source == Some(id)))
            .count()
    };
    ui.label(RichText::new(tr!("sources.count", n = list.len())).weak());
    for s in &list {
        let sel = state.selected == Some(s.id);
        let text_mark = if s.text.is_some() {
            tr!("sources.has_text")
        } else {
            String::new()
        };
        let n = uses(s.id);
        if ui
            .selectable_label(
                sel,
                format!("{}{text_mark}  ({n})", short(&s.citation(), 50)),
            )
            .clicked()
        {
            state.selected = Some(s.id);
        }
    }
    let Some(id) = state.selected else {
        return intents;
    };
    let Some(src) = cx.ws.source(id) else {
        return intents;
    };
    ui.separator();
    let mut edited = src.clone();
    let mut lost = false;
    egui::ComboBox::new(("kind", id.0), tr!("sources.kind"))
        .selected_text(kind_label(edited.kind))
        .show_ui(ui, |ui| {
            for k in SourceKind::ALL {
                ui.selectable_value(&mut edited.kind, k, kind_label(k));
            }
        });
    egui::Grid::new(("source", id.0))
        .num_columns(2)
        .show(ui, |ui| {
            let mut field = |ui: &mut Ui, label: &str, v: &mut String| {
                ui.label(label);
                lost |= ui
                    .add(egui::TextEdit::singleline(v).desired_width(190.0))
                    .lost_focus();
                ui.end_row();
            };
            field(ui, &tr!("field.title"), &mut edited.title);
            field(ui, &tr!("field.speaker_issuer"), &mut edited.issuer);
            field(ui, &tr!("field.date"), &mut edited.date);
            field(ui, &tr!("field.doc_number"), &mut edited.doc_number);
            field(ui, &tr!("field.occasion"), &mut edited.occasion);
            field(ui, &tr!("field.place"), &mut edited.place);
            field(ui, &tr!("field.url"), &mut edited.url);
            field(ui, &tr!("field.retrieved_on"), &mut edited.retrieved_on);
            field(ui, &tr!("field.notes"), &mut edited.notes);
        });
    if edited != *src {
        if let Some(n) = analysis::normalize_doc_number(&edited.doc_number)
            && lost
        {
            edited.doc_number = n;
        }
        intents.push(Intent::ExecuteCoalesced(
            Command::SetSource(Box::new(edited)),
            format!("source-{}", id.0),
        ));
    }
    if lost {
        intents.push(Intent::EndTyping);
    }
    ui.horizontal(|ui| {
        let label = if src.text.is_some() {
            tr!("sources.replace_text")
        } else {
            tr!("sources.import_text")
        };
        if ui.button(label).clicked() {
            intents.push(Intent::OpenFile(super::dialogs::FilePurpose::SourceText(
                id,
            )));
        }
        if let Some(t) = &src.text {
            ui.label(RichText::new(tr!("status.characters", n = t.chars().count())).weak());
        }
    });
    ui.horizontal(|ui| {
        let mut into = None;
        egui::ComboBox::new(("merge-src", id.0), tr!("common.merge_into"))
            .selected_text(tr!("common.choose"))
            .show_ui(ui, |ui| {
                for s in cx.ws.sources.iter().filter(|s| s.id != id) {
                    if ui.button(short(&s.citation(), 44)).clicked() {
                        into = Some(s.id);
                    }
                }
            });
        if let Some(into) = into {
            match cx.ws.merge_sources(id, into) {
                Ok(cmd) => {
                    intents.push(Intent::Execute(cmd));
                    state.selected = Some(into);
                }
                Err(e) => intents.push(Intent::Error(e.to_string())),
            }
        }
        if ui
            .button(tr!("sources.delete"))
            .on_hover_text(tr!("sources.delete_tip"))
            .clicked()
        {
            intents.push(Intent::Execute(Command::RemoveSource(id)));
            state.selected = None;
        }
    });
    intents
}

/// The question "New source from attribution" asks when the workspace already has a source of
/// the same document: link to it, create a new one anyway, or cancel.
pub fn offer_existing_window(app: &mut YinwenApp, ctx: &egui::Context) {
    let Some((ann, src)) = app.dir_ui.offer_existing else {
        return;
    };
    let Some(source) = app.ws().source(src) else {
        app.dir_ui.offer_existing = None;
        return;
    };
    let citation = source.citation();
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("offer-existing-source")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading(tr!("dir.offer_title"));
        ui.label(tr!("dir.offer_text", source = citation));
        ui.horizontal(|ui| {
            if ui.button(tr!("dir.offer_link")).clicked() {
                answer = Some(1);
            }
            if ui.button(tr!("dir.offer_new")).clicked() {
                answer = Some(2);
            }
            if ui.button(tr!("review.cancel")).clicked()
                || ui.input(|i| i.key_pressed(egui::Key::Escape))
            {
                answer = Some(0);
            }
        });
    });
    match answer {
        Some(1) => {
            app.dir_ui.offer_existing = None;
            app.link_source(ann, Some(src));
        }
        Some(2) => {
            app.dir_ui.offer_existing = None;
            app.new_source_from_attribution(ann);
        }
        Some(_) => app.dir_ui.offer_existing = None,
        None => {}
    }
}

/// The directive annotation a detected directive becomes when accepted.
fn directive_annotation(
    doc: DocId,
    text: &str,
    index: &CharIndex,
    d: &analysis::Directive,
) -> Annotation {
    Annotation {
        id: AnnId(0),
        doc,
        anchor: Anchor::new(text, index, d.start..d.end),
        color: DIRECTIVE_COLOR.into(),
        note: String::new(),
        tags: Vec::new(),
        orphan: false,
        directive: Some(DirectiveInfo {
            attribution: d.attribution(),
            ..Default::default()
        }),
    }
}

/// Where the detector found a directive's attribution, in the reader's language.
fn reason_text(r: crate::analysis::AttributionReason) -> String {
    use crate::analysis::AttributionReason as R;
    match r {
        R::BeforeColon => tr!("dir.reason_before_colon"),
        R::BeforeComma => tr!("dir.reason_before_comma"),
        R::BeforeQuote => tr!("dir.reason_before_quote"),
        R::AfterQuote => tr!("dir.reason_after_quote"),
        R::FollowingSentence => tr!("dir.reason_following_sentence"),
        R::Pronoun => tr!("dir.reason_pronoun"),
        R::EarlierSentence => tr!("dir.reason_earlier_sentence"),
        R::PreviousParagraph => tr!("dir.reason_previous_paragraph"),
        R::Label => tr!("dir.reason_label"),
        R::IndirectSpeech => tr!("dir.reason_indirect_speech"),
        R::InARow => tr!("dir.reason_in_a_row"),
        R::OwnSpeaker => tr!("dir.reason_own_speaker"),
        R::Saying => tr!("dir.reason_saying"),
        R::Footnote => tr!("dir.reason_footnote"),
        R::Unattributed => tr!("dir.reason_unattributed"),
    }
}
