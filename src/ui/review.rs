//! The review desk under the reading view, as wide as the window: the **Problems** list (text
//! warnings where they stand, 第N段, kind, quick fixes that correct the text through the
//! one command path) and the **Directive table** (every directive of the document or the
//! workspace with the open speech's candidates: sortable, filterable, driven by the keys
//! ↑/↓ A R L V Enter, with the verification differences of the selected row shown at once).
//!
//! Both are views in the [`super::intent`] style: they read a [`ViewContext`] and their own
//! state and return [`Intent`]s.

use std::ops::Range;

use egui::{Color32, RichText, Ui};

use crate::analysis::{self, Detection, Warning};
use crate::model::{AnnId, DocId, Paragraph, SourceId, VerifyStatus, Workspace};

use super::i18n::tr;
use super::intent::{Intent, ViewContext};

/// Which list the desk shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewTab {
    /// Text warnings with quick fixes.
    #[default]
    Problems,
    /// Every directive and candidate.
    Directives,
}

/// State of the review desk.
pub struct ReviewState {
    /// Whether the desk is shown.
    pub open: bool,
    /// The list shown.
    pub tab: ReviewTab,
    /// The Problems list's own state.
    pub problems: ProblemsState,
    /// The Directive table's own state.
    pub table: TableState,
}

impl Default for ReviewState {
    fn default() -> Self {
        ReviewState {
            open: true,
            tab: ReviewTab::Problems,
            problems: ProblemsState::default(),
            table: TableState::default(),
        }
    }
}

/// What the Problems list is asking the user.
#[derive(Debug, Clone, Default)]
pub struct ProblemsState {
    /// The placeholder year being filled in: document and char range, and what is typed.
    pub year_for: Option<(DocId, Range<usize>)>,
    /// The year typed so far.
    pub year: String,
    /// Put the cursor in the year field on the next frame.
    pub focus_year: bool,
    /// A cut waiting for confirmation after its preview.
    pub cut: Option<(DocId, Range<usize>)>,
}

/// A text correction the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// The document.
    pub doc: DocId,
    /// The chars replaced.
    pub range: Range<usize>,
    /// What they become.
    pub replacement: String,
    /// What was wrong (a warning kind).
    pub kind: String,
}

/// A text warning's kind in words of the current language.
pub fn warning_label(kind: &str) -> String {
    match kind {
        "digit_letter_confusion" => tr!("warning.digit_letter_confusion"),
        "placeholder_year" => tr!("warning.placeholder_year"),
        "boilerplate" => tr!("warning.boilerplate"),
        "unbalanced_quotes" => tr!("warning.unbalanced_quotes"),
        "doc_number_form" => tr!("warning.doc_number_form"),
        other => other.to_string(),
    }
}

/// Why a warning kind matters, in words of the current language (the tooltip in the text).
pub fn warning_reason(kind: &str) -> String {
    match kind {
        "digit_letter_confusion" => tr!("warning.digit_letter_confusion_tip"),
        "placeholder_year" => tr!("warning.placeholder_year_tip"),
        "boilerplate" => tr!("warning.boilerplate_tip"),
        "unbalanced_quotes" => tr!("warning.unbalanced_quotes_tip"),
        "doc_number_form" => tr!("warning.doc_number_form_tip"),
        other => other.to_string(),
    }
}

/// 第N段 / ¶N for the paragraph holding char `pos`.
pub fn para_label(paragraphs: &[Paragraph], pos: usize) -> String {
    tr!("common.para", n = para_number(paragraphs, pos))
}

/// The 1-based number of the paragraph holding (or following) char `pos`.
pub fn para_number(paragraphs: &[Paragraph], pos: usize) -> usize {
    paragraphs
        .partition_point(|p| p.chars.end <= pos)
        .min(paragraphs.len().saturating_sub(1))
        + 1
}

/// `０`–`９` as `0`–`9`; other chars unchanged.
fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        c => c,
    }
}

/// The year a placeholder such as `20xx` may be filled with: four digits agreeing with the
/// digits written. `None` when `typed` does not fit.
pub fn fill_year(placeholder: &str, typed: &str) -> Option<String> {
    let typed: String = typed.trim().chars().map(ascii_digit).collect();
    let fits = typed.chars().count() == 4
        && typed
            .chars()
            .zip(placeholder.chars().map(ascii_digit))
            .all(|(t, p)| t.is_ascii_digit() && (!p.is_ascii_digit() || t == p));
    fits.then_some(typed)
}

/// An example year for a placeholder: its digits, the rest from 2020 (`20xx` → `2020`,
/// `200x` → `2000`).
fn example_year(placeholder: &str) -> String {
    placeholder
        .chars()
        .map(ascii_digit)
        .zip("2020".chars())
        .map(|(p, d)| if p.is_ascii_digit() { p } else { d })
        .collect()
}

/// The Problems list of document `doc`: every warning with where it stands (第N段), its
/// kind, its text and a quick fix.
pub fn problems_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    doc: DocId,
    det: &Detection,
    paragraphs: &[Paragraph],
    state: &mut ProblemsState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let Some(document) = cx.ws.document(doc) else {
        return intents;
    };
    let corrections = document.origin.corrections.len();
    if corrections > 0 {
        ui.label(RichText::new(tr!("review.corrections", n = corrections)).weak())
            .on_hover_ui(|ui| {
                for c in &document.origin.corrections {
                    ui.label(format!(
                        "{}  {} → {}",
                        para_label(paragraphs, c.start),
                        crate::model::preview(&c.before, 20),
                        crate::model::preview(&c.after, 20)
                    ));
                }
            });
    }
    if det.warnings.is_empty() {
        ui.label(tr!("review.no_problems"));
        return intents;
    }
    let chars_len = document.char_count();
    // Only the rows in view are laid out: a long text may have thousands of problems.
    let text_w = (ui.available_width() - 70.0 - 190.0 - 300.0).max(120.0);
    egui_extras::TableBuilder::new(ui)
        .id_salt("problems")
        .striped(true)
        .auto_shrink([false, false])
        .column(egui_extras::Column::exact(70.0))
        .column(egui_extras::Column::exact(190.0))
        .column(egui_extras::Column::exact(text_w))
        .column(egui_extras::Column::remainder().at_least(120.0))
        .header(22.0, |mut h| {
            for label in [
                tr!("review.where"),
                tr!("review.kind"),
                tr!("review.text"),
                tr!("review.fix"),
            ] {
                h.col(|ui| {
                    ui.label(RichText::new(label).strong());
                });
            }
        })
        .body(|body| {
            body.rows(26.0, det.warnings.len(), |mut row| {
                let w = &det.warnings[row.index()];
                problem_row(&mut row, doc, w, paragraphs, chars_len, state, &mut intents);
            });
        });
    intents
}

fn problem_row(
    row: &mut egui_extras::TableRow<'_, '_>,
    doc: DocId,
    w: &Warning,
    paragraphs: &[Paragraph],
    chars_len: usize,
    state: &mut ProblemsState,
    intents: &mut Vec<Intent>,
) {
    row.col(|ui| {
        if ui
            .link(para_label(paragraphs, w.start))
            .on_hover_text(tr!("review.go_tip"))
            .clicked()
        {
            intents.push(Intent::Jump(doc, w.start..w.end));
        }
    });
    row.col(|ui| {
        ui.label(RichText::new(warning_label(&w.kind)).color(ui.visuals().warn_fg_color))
            .on_hover_text(warning_reason(&w.kind));
    });
    row.col(|ui| {
        let shown = crate::model::preview(&w.text.replace('\n', " "), 30);
        if ui
            .add(
                egui::Label::new(shown)
                    .sense(egui::Sense::click())
                    .truncate(),
            )
            .on_hover_text(tr!("review.go_tip"))
            .clicked()
        {
            intents.push(Intent::Jump(doc, w.start..w.end));
        }
    });
    let mut cell = None;
    row.col(|ui| cell = Some(problem_fix(ui, doc, w, chars_len, state)));
    intents.extend(cell.into_iter().flatten());
}

/// The quick fix of one problem, in its cell.
fn problem_fix(
    ui: &mut Ui,
    doc: DocId,
    w: &Warning,
    chars_len: usize,
    state: &mut ProblemsState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let fix = |replacement: String| {
        Intent::Correct(Correction {
            doc,
            range: w.start..w.end,
            replacement,
            kind: w.kind.clone(),
        })
    };
    ui.horizontal(|ui| match (w.kind.as_str(), w.suggestion.as_deref()) {
        ("placeholder_year", _) => {
            let asking = state
                .year_for
                .as_ref()
                .is_some_and(|(d, r)| *d == doc && *r == (w.start..w.end));
            if asking {
                let example = example_year(&w.text);
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut state.year)
                        .desired_width(60.0)
                        .hint_text(tr!("review.year_hint", example = example.clone())),
                );
                if std::mem::take(&mut state.focus_year) {
                    edit.request_focus();
                }
                let enter = super::enter_pressed(ui, &edit);
                if ui.button(tr!("review.apply")).clicked() || enter {
                    match fill_year(&w.text, &state.year) {
                        Some(y) => {
                            intents.push(fix(y));
                            state.year_for = None;
                            state.year.clear();
                        }
                        None => intents.push(Intent::Error(tr!(
                            "review.bad_year",
                            text = w.text.clone(),
                            example = example
                        ))),
                    }
                }
                if ui.button(tr!("review.cancel")).clicked() {
                    state.year_for = None;
                }
            } else if ui
                .button(tr!("review.ask_year"))
                .on_hover_text(tr!("review.ask_year_tip", text = w.text.clone()))
                .clicked()
            {
                state.year_for = Some((doc, w.start..w.end));
                state.year.clear();
                state.focus_year = true;
            }
        }
        ("boilerplate", _) => {
            if ui.button(tr!("review.cut")).clicked() {
                state.cut = Some((doc, w.start..w.end));
            }
            if w.end < chars_len && ui.button(tr!("review.cut_to_end")).clicked() {
                state.cut = Some((doc, w.start..chars_len));
            }
        }
        (_, Some(s)) if s != "delete" => {
            let label = tr!("review.fix_to", from = w.text.clone(), to = s.to_string());
            if ui
                .button(label)
                .on_hover_text(tr!("review.fix_tip"))
                .clicked()
            {
                intents.push(fix(s.to_string()));
            }
        }
        _ => {
            ui.label(RichText::new(tr!("review.no_fix")).weak());
        }
    });
    intents
}

/// The preview of a cut the user asked for, as a modal window: the text to be cut, how many
/// annotations inside become orphans, Cut or Cancel.
pub fn cut_preview(
    ctx: &egui::Context,
    cx: &ViewContext<'_>,
    paragraphs: &[Paragraph],
    state: &mut ProblemsState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let Some((doc, range)) = state.cut.clone() else {
        return intents;
    };
    let Some(document) = cx.ws.document(doc) else {
        state.cut = None;
        return intents;
    };
    let text: String = document
        .text
        .chars()
        .skip(range.start)
        .take(range.end - range.start)
        .collect();
    let inside = cx
        .ws
        .annotations_of(doc)
        .filter(|a| !a.orphan && range.start <= a.anchor.start.0 && a.anchor.end.0 <= range.end)
        .count();
    let (a, b) = (
        para_number(paragraphs, range.start),
        para_number(paragraphs, range.end.saturating_sub(1)),
    );
    let paras = if a == b {
        tr!("common.para", n = a)
    } else {
        tr!("common.paras", a = a, b = b)
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("cut-preview")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(tr!("review.cut_title"));
        ui.label(tr!(
            "review.cut_preview",
            n = range.end - range.start,
            paras = paras
        ));
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .show(ui, |ui| ui.label(RichText::new(&text).weak()));
        });
        if inside > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr!("review.cut_annotations", n = inside),
            );
        }
        ui.horizontal(|ui| {
            if ui.button(tr!("review.cut_confirm")).clicked() {
                intents.push(Intent::Correct(Correction {
                    doc,
                    range: range.clone(),
                    replacement: String::new(),
                    kind: "boilerplate".into(),
                }));
                close = true;
            }
            if ui.button(tr!("review.cancel")).clicked()
                || ui.input(|i| i.key_pressed(egui::Key::Escape))
            {
                close = true;
            }
        });
    });
    if close {
        state.cut = None;
    }
    intents
}

// ----- the Directive table -----

/// Which rows the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    /// Every row.
    #[default]
    All,
    /// Candidates not accepted yet.
    Candidates,
    /// Accepted directives.
    Accepted,
    /// Accepted directives without a linked source.
    Unlinked,
    /// Linked but not verified (or verified before the text changed).
    Unverified,
    /// Verified with differences, or not found in the source.
    Disagree,
    /// Candidates the user rejected (only this choice shows them), to restore one.
    Rejected,
}

/// A column of the table (also the sort key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Column {
    /// 第N段 (document order).
    #[default]
    Para,
    /// Speaker or source.
    Who,
    /// The verb.
    Verb,
    /// The date.
    Date,
    /// The quotation.
    Quote,
    /// The linked source.
    Source,
    /// The status.
    Status,
}

/// A row's identity, kept across frames.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RowKey {
    /// An accepted directive.
    Accepted(AnnId),
    /// A candidate: document and char range.
    Candidate(DocId, usize, usize),
    /// A rejected candidate: document, char range and whether its passage was lost.
    Rejected(DocId, usize, usize, bool),
}

/// A row's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// Found by the detector, not accepted.
    Candidate,
    /// Accepted, no source linked.
    Unlinked,
    /// Linked, not verified.
    Linked,
    /// Verified, but the text changed since.
    Stale,
    /// Verified with this result.
    Verified(VerifyStatus),
    /// Rejected by the user (`true`: its passage is gone from the text).
    Rejected(bool),
}

impl RowStatus {
    /// The order the Status column sorts in: work to do first, worst results before good.
    fn rank(self) -> u8 {
        match self {
            RowStatus::Candidate => 0,
            RowStatus::Unlinked => 1,
            RowStatus::Linked => 2,
            RowStatus::Stale => 3,
            RowStatus::Verified(VerifyStatus::NotFound) => 4,
            RowStatus::Verified(VerifyStatus::Variant) => 5,
            RowStatus::Verified(VerifyStatus::Abridged) => 6,
            RowStatus::Verified(VerifyStatus::Verbatim) => 7,
            RowStatus::Rejected(_) => 8,
        }
    }
}

/// The symbol drawn with a verification status (so that it is not told by colour alone).
pub fn status_symbol(s: VerifyStatus) -> &'static str {
    match s {
        VerifyStatus::Verbatim => "√",
        VerifyStatus::Variant => "≈",
        VerifyStatus::Abridged => "…",
        VerifyStatus::NotFound => "×",
    }
}

/// A status in words with its symbol and colour.
pub fn status_text(s: RowStatus) -> (String, Color32) {
    match s {
        RowStatus::Candidate => (
            tr!("review.status_candidate"),
            Color32::from_rgb(128, 128, 128),
        ),
        RowStatus::Unlinked => (
            tr!("review.status_unlinked"),
            Color32::from_rgb(192, 120, 30),
        ),
        RowStatus::Linked => (tr!("review.status_linked"), Color32::from_rgb(52, 120, 200)),
        RowStatus::Stale => (tr!("review.status_stale"), Color32::from_rgb(192, 120, 30)),
        RowStatus::Verified(st) => {
            let (word, color) = super::directives::status_label(st);
            (format!("{} {word}", status_symbol(st)), color)
        }
        RowStatus::Rejected(false) => (
            tr!("review.status_rejected"),
            Color32::from_rgb(128, 128, 128),
        ),
        RowStatus::Rejected(true) => (
            tr!("review.status_rejected_lost"),
            Color32::from_rgb(128, 128, 128),
        ),
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Identity.
    pub key: RowKey,
    /// The document.
    pub doc: DocId,
    /// 1-based paragraph number.
    pub para: usize,
    /// Speaker, or 《source title》.
    pub who: String,
    /// The verb (说, 指出, 强调 …).
    pub verb: String,
    /// The date as written or ISO.
    pub date: String,
    /// The quotation.
    pub quote: String,
    /// The linked source's citation.
    pub source: String,
    /// The status.
    pub status: RowStatus,
    /// Char range of the quotation.
    pub range: Range<usize>,
    /// The candidate as detected (for Accept).
    pub candidate: Option<analysis::Directive>,
    /// The rejection (for Restore).
    pub rejection: Option<crate::model::Rejection>,
}

/// State of the Directive table.
#[derive(Default)]
pub struct TableState {
    /// The selected row.
    pub selected: Option<RowKey>,
    /// Sort column.
    pub sort: Column,
    /// Sort descending.
    pub descending: bool,
    /// Filter text.
    pub filter: String,
    /// Which rows.
    pub show: Show,
    /// Every document's directives rather than the open speech's.
    pub workspace: bool,
    /// Give the table the keyboard on the next frame.
    pub focus: bool,
    /// The directive whose Link chooser is open.
    pub link_for: Option<AnnId>,
    /// The rows as last built, with what they were built for (workspace state, scope, open
    /// document, corpus filter).
    #[allow(clippy::type_complexity)]
    pub rows: Option<(RowsKey, std::sync::Arc<Vec<Row>>)>,
    /// Differences of the selected row from its source: the row, the workspace state they
    /// were computed for, and the result.
    pub diff: Option<(AnnId, u64, Vec<analysis::verify::DiffOp>)>,
}

/// What the Directive table's rows were built from: the history state (rejections are
/// workspace data), the scope (all documents?), the current document and the corpus filter.
pub type RowsKey = (u64, bool, DocId, crate::model::DocFilter);

/// The table's rows: accepted directives of the open speech (or of every document), the open
/// speech's candidates that are neither accepted nor rejected, and the rejected candidates
/// (shown only by [`Show::Rejected`]), in document order.
pub fn build_rows(
    ws: &Workspace,
    current: Option<DocId>,
    det: Option<&Detection>,
    workspace: bool,
    filter: &crate::model::DocFilter,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for doc in &ws.documents {
        if !workspace && Some(doc.id) != current {
            continue;
        }
        if workspace && !filter.matches(doc) {
            continue;
        }
        let paragraphs = doc.paragraphs();
        for a in ws.annotations_of(doc.id) {
            let Some(d) = &a.directive else { continue };
            let at = &d.attribution;
            let who = if !at.speaker.is_empty() {
                at.speaker.clone()
            } else if !at.source_title.is_empty() {
                format!("《{}》", at.source_title)
            } else {
                String::new()
            };
            let source = d
                .source
                .and_then(|s| ws.source(s))
                .map(|s| s.citation())
                .unwrap_or_default();
            let status = match (&d.verification, d.source) {
                (Some(_), _) if d.verification_stale => RowStatus::Stale,
                (Some(v), _) => RowStatus::Verified(v.status),
                (None, Some(_)) => RowStatus::Linked,
                (None, None) => RowStatus::Unlinked,
            };
            rows.push(Row {
                key: RowKey::Accepted(a.id),
                doc: doc.id,
                para: para_number(&paragraphs, a.anchor.start.0),
                who,
                verb: at.verb.clone(),
                date: if at.date.is_empty() {
                    at.date_text.clone()
                } else {
                    at.date.clone()
                },
                quote: a.anchor.quote.clone(),
                source,
                status,
                range: a.anchor.range(),
                candidate: None,
                rejection: None,
            });
        }
        for r in ws.rejections_of(doc.id) {
            rows.push(Row {
                key: RowKey::Rejected(doc.id, r.anchor.start.0, r.anchor.end.0, r.orphan),
                doc: doc.id,
                para: para_number(&paragraphs, r.anchor.start.0),
                who: String::new(),
                verb: String::new(),
                date: String::new(),
                quote: r.anchor.quote.clone(),
                source: String::new(),
                status: RowStatus::Rejected(r.orphan),
                range: r.anchor.range(),
                candidate: None,
                rejection: Some(r.clone()),
            });
        }
        if Some(doc.id) == current
            && let Some(det) = det
        {
            for d in super::directives::pending_candidates(ws, doc.id, det) {
                let who = d
                    .speaker
                    .clone()
                    .or_else(|| d.source_title.as_ref().map(|t| format!("《{t}》")))
                    .unwrap_or_default();
                rows.push(Row {
                    key: RowKey::Candidate(doc.id, d.start, d.end),
                    doc: doc.id,
                    para: para_number(&paragraphs, d.start),
                    who,
                    verb: d.verb.clone().unwrap_or_default(),
                    date: d
                        .date
                        .clone()
                        .or_else(|| d.date_text.clone())
                        .unwrap_or_default(),
                    quote: d.quote.clone(),
                    source: String::new(),
                    status: RowStatus::Candidate,
                    range: d.start..d.end,
                    candidate: Some(d.clone()),
                    rejection: None,
                });
            }
        }
    }
    let order: std::collections::HashMap<DocId, usize> = ws
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id, i))
        .collect();
    rows.sort_by_key(|r| (order.get(&r.doc).copied(), r.range.start, r.range.end));
    rows
}

/// Whether a row passes the filter and the Show choice.
pub fn row_matches(r: &Row, show: Show, filter: &str) -> bool {
    let rejected = matches!(r.status, RowStatus::Rejected(_));
    let shown = match show {
        Show::Rejected => rejected,
        _ if rejected => false,
        Show::All => true,
        Show::Candidates => r.status == RowStatus::Candidate,
        Show::Accepted => r.status != RowStatus::Candidate,
        Show::Unlinked => r.status == RowStatus::Unlinked,
        Show::Unverified => matches!(r.status, RowStatus::Linked | RowStatus::Stale),
        Show::Disagree => matches!(
            r.status,
            RowStatus::Verified(VerifyStatus::NotFound | VerifyStatus::Variant)
        ),
    };
    let f = filter.trim();
    shown
        && (f.is_empty()
            || [&r.who, &r.verb, &r.date, &r.quote, &r.source]
                .iter()
                .any(|s| s.contains(f)))
}

/// Sorts rows by a column (document order breaks ties).
pub fn sort_rows(rows: &mut [Row], col: Column, descending: bool) {
    rows.sort_by(|a, b| {
        let o = match col {
            Column::Para => std::cmp::Ordering::Equal,
            Column::Who => a.who.cmp(&b.who),
            Column::Verb => a.verb.cmp(&b.verb),
            Column::Date => a.date.cmp(&b.date),
            Column::Quote => a.quote.cmp(&b.quote),
            Column::Source => a.source.cmp(&b.source),
            Column::Status => a.status.rank().cmp(&b.status.rank()),
        };
        // A stable sort: document order breaks ties.
        if descending { o.reverse() } else { o }
    });
    if col == Column::Para && descending {
        rows.reverse();
    }
}

/// What the table needs besides the workspace.
pub struct TableInput<'a> {
    /// The rows, already filtered and sorted.
    pub rows: &'a [Row],
    /// The selected row's differences from its source.
    pub diff: Option<&'a [analysis::verify::DiffOp]>,
    /// Whether the table may take keys (not while a modal dialog is open).
    pub keys: bool,
}

/// The Directive table: header with sorting, filter and scope; the rows; the differences of
/// the selected row. Keys when the table has the keyboard: ↑/↓ select, A accept, R reject,
/// L link, V verify, Enter show in the text.
pub fn table_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    input: &TableInput<'_>,
    state: &mut TableState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let rows = input.rows;
    ui.horizontal(|ui| {
        ui.label(tr!("review.filter"));
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .desired_width(160.0)
                .hint_text(tr!("review.filter_hint")),
        );
        egui::ComboBox::from_id_salt("table-show")
            .selected_text(show_label(state.show))
            .show_ui(ui, |ui| {
                for s in [
                    Show::All,
                    Show::Candidates,
                    Show::Accepted,
                    Show::Unlinked,
                    Show::Unverified,
                    Show::Disagree,
                    Show::Rejected,
                ] {
                    ui.selectable_value(&mut state.show, s, show_label(s));
                }
            });
        ui.checkbox(&mut state.workspace, tr!("review.scope_workspace"))
            .on_hover_text(tr!("review.scope_workspace_tip"));
        ui.label(RichText::new(tr!("review.keys")).weak())
            .on_hover_text(tr!("review.keys_tip"));
    });
    let before_selected = state.selected.clone();
    // The keyboard: a focusable area standing for the table.
    let table_id = ui.scope_id().with("directive-table-keys");
    let keys = ui.interact(
        egui::Rect::from_min_size(ui.cursor().min, egui::vec2(1.0, 1.0)),
        table_id,
        egui::Sense::focusable_noninteractive(),
    );
    if std::mem::take(&mut state.focus) {
        keys.request_focus();
    }
    let has_keys = keys.has_focus() && input.keys;
    if has_keys {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                table_id,
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    tab: false,
                    escape: false,
                },
            )
        });
        let pos = state
            .selected
            .as_ref()
            .and_then(|k| rows.iter().position(|r| &r.key == k));
        let pressed = |k: egui::Key| ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, k));
        if pressed(egui::Key::ArrowDown) && !rows.is_empty() {
            let i = pos.map_or(0, |p| (p + 1).min(rows.len() - 1));
            state.selected = Some(rows[i].key.clone());
        }
        if pressed(egui::Key::ArrowUp) && !rows.is_empty() {
            let i = pos.map_or(0, |p| p.saturating_sub(1));
            state.selected = Some(rows[i].key.clone());
        }
        if let Some(p) = pos {
            for (key, action) in [
                (egui::Key::A, RowAction::Accept),
                (egui::Key::R, RowAction::Reject),
                (egui::Key::U, RowAction::Restore),
                (egui::Key::L, RowAction::Link),
                (egui::Key::V, RowAction::Verify),
                (egui::Key::Enter, RowAction::Show),
            ] {
                if pressed(key) {
                    act(rows, p, action, state, &mut intents);
                }
            }
        }
    }
    // The same actions as buttons, for the mouse.
    let pos = state
        .selected
        .as_ref()
        .and_then(|k| rows.iter().position(|r| &r.key == k));
    ui.horizontal(|ui| {
        let row = pos.map(|p| &rows[p]);
        let candidate = row.is_some_and(|r| r.candidate.is_some());
        let accepted = row.is_some_and(|r| matches!(r.key, RowKey::Accepted(_)));
        let rejected = row.is_some_and(|r| r.rejection.is_some());
        for (action, enabled, label, key) in [
            (RowAction::Accept, candidate, tr!("dir.accept"), "A"),
            (
                RowAction::Reject,
                row.is_some() && !rejected,
                tr!("dir.reject"),
                "R",
            ),
            (RowAction::Restore, rejected, tr!("review.restore"), "U"),
            (RowAction::Link, accepted, tr!("review.link"), "L"),
            (RowAction::Verify, accepted, tr!("dir.verify"), "V"),
            (RowAction::Show, row.is_some(), tr!("review.show"), "Enter"),
        ] {
            if ui
                .add_enabled(enabled, egui::Button::new(label).small())
                .on_hover_text(key)
                .clicked()
                && let Some(p) = pos
            {
                act(rows, p, action, state, &mut intents);
                state.focus = true;
            }
        }
    });
    let frame = if has_keys {
        egui::Frame::new().stroke(ui.visuals().selection.stroke)
    } else {
        egui::Frame::new().stroke(egui::Stroke::new(1.0, Color32::TRANSPARENT))
    };
    let selected_row = state
        .selected
        .as_ref()
        .and_then(|k| rows.iter().find(|r| &r.key == k))
        .cloned();
    let diff_height = if selected_row
        .as_ref()
        .is_some_and(|r| matches!(r.key, RowKey::Accepted(_)))
    {
        80.0
    } else {
        0.0
    };
    let mut clicked_row = false;
    frame.show(ui, |ui| {
        // Clicks on a cell select the row (selectable text would take them).
        ui.style_mut().interaction.selectable_labels = false;
        let avail = (ui.available_height() - diff_height).max(60.0);
        let quote_w = (ui.available_width() - 680.0).max(160.0);
        let mut table = egui_extras::TableBuilder::new(ui)
            .id_salt("directive-table")
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(avail)
            .column(egui_extras::Column::exact(52.0))
            .column(egui_extras::Column::exact(130.0))
            .column(egui_extras::Column::exact(64.0))
            .column(egui_extras::Column::exact(82.0))
            .column(egui_extras::Column::exact(quote_w))
            .column(egui_extras::Column::exact(170.0))
            .column(egui_extras::Column::remainder().at_least(90.0));
        if let Some(i) = selected_row
            .as_ref()
            .and_then(|s| rows.iter().position(|r| r.key == s.key))
        {
            table = table.scroll_to_row(i, None);
        }
        table
            .header(22.0, |mut h| {
                for (col, label) in [
                    (Column::Para, tr!("review.col_para")),
                    (Column::Who, tr!("review.col_who")),
                    (Column::Verb, tr!("review.col_verb")),
                    (Column::Date, tr!("review.col_date")),
                    (Column::Quote, tr!("review.col_quote")),
                    (Column::Source, tr!("review.col_source")),
                    (Column::Status, tr!("review.col_status")),
                ] {
                    h.col(|ui| {
                        let arrow = if state.sort == col {
                            if state.descending { " ↓" } else { " ↑" }
                        } else {
                            ""
                        };
                        if ui
                            .add(
                                egui::Label::new(RichText::new(format!("{label}{arrow}")).strong())
                                    .sense(egui::Sense::click()),
                            )
                            .clicked()
                        {
                            if state.sort == col {
                                state.descending = !state.descending;
                            } else {
                                state.sort = col;
                                state.descending = false;
                            }
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, rows.len(), |mut tr_| {
                    let r = &rows[tr_.index()];
                    tr_.set_selected(state.selected.as_ref() == Some(&r.key));
                    tr_.col(|ui| {
                        ui.label(tr!("common.para", n = r.para));
                    });
                    tr_.col(|ui| {
                        ui.add(egui::Label::new(&r.who).truncate());
                    });
                    tr_.col(|ui| {
                        ui.label(&r.verb);
                    });
                    tr_.col(|ui| {
                        ui.label(&r.date);
                    });
                    tr_.col(|ui| {
                        ui.add(
                            egui::Label::new(format!("“{}”", r.quote.replace('\n', " ")))
                                .truncate(),
                        );
                    });
                    tr_.col(|ui| {
                        ui.add(egui::Label::new(&r.source).truncate());
                    });
                    tr_.col(|ui| {
                        let (text, color) = status_text(r.status);
                        ui.label(RichText::new(text).color(color));
                    });
                    let resp = tr_.response();
                    if resp.clicked() {
                        state.selected = Some(r.key.clone());
                        clicked_row = true;
                    }
                    if resp.double_clicked() {
                        intents.push(Intent::Jump(r.doc, r.range.clone()));
                    }
                });
            });
        if rows.is_empty() {
            ui.label(RichText::new(tr!("review.no_rows")).weak());
        }
    });
    if clicked_row {
        keys.request_focus();
    }
    // The selected directive is the one the side panel edits too.
    if state.selected != before_selected
        && let Some(RowKey::Accepted(id)) = &state.selected
    {
        intents.push(Intent::Select(*id));
    }
    // The selected row's differences from its source, at once.
    if let Some(row) = &selected_row
        && let RowKey::Accepted(id) = row.key
    {
        let linked = cx
            .ws
            .annotation(id)
            .and_then(|a| a.directive.as_ref())
            .and_then(|d| d.source);
        match (linked, input.diff) {
            (Some(_), Some(diff)) => {
                ui.label(RichText::new(tr!("review.diff_title")).weak());
                if diff
                    .iter()
                    .all(|d| matches!(d, analysis::verify::DiffOp::Same(_)))
                {
                    ui.label(tr!("review.no_diff"));
                } else {
                    egui::ScrollArea::vertical()
                        .id_salt("table-diff")
                        .max_height(60.0)
                        .show(ui, |ui| super::directives::diff_view(ui, diff));
                }
            }
            (None, _) => {
                ui.colored_label(ui.visuals().warn_fg_color, tr!("dir.no_source"));
            }
            _ => {}
        }
    }
    intents
}

/// What can be done to the selected row of the Directive table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    /// Accept a candidate.
    Accept,
    /// Reject a candidate, or take back an accepted directive.
    Reject,
    /// Restore a rejected candidate.
    Restore,
    /// Open the link chooser.
    Link,
    /// Verify against the linked source.
    Verify,
    /// Show the passage in the text.
    Show,
}

/// Carries out `action` on row `p`; after Accept or Reject the next row is selected, so a
/// list is reviewed key after key.
fn act(
    rows: &[Row],
    p: usize,
    action: RowAction,
    state: &mut TableState,
    intents: &mut Vec<Intent>,
) {
    let row = &rows[p];
    let next = rows
        .get(p + 1)
        .or_else(|| p.checked_sub(1).and_then(|q| rows.get(q)))
        .map(|r| r.key.clone());
    match (action, &row.key) {
        (RowAction::Accept, _) => {
            if let Some(c) = &row.candidate {
                intents.push(Intent::AcceptDirective(c.clone()));
                state.selected = rows.get(p + 1).map(|r| r.key.clone());
            }
        }
        (RowAction::Reject, RowKey::Candidate(d, s, e)) => {
            intents.push(Intent::RejectCandidate(*d, *s, *e));
            state.selected = next;
        }
        (RowAction::Reject, RowKey::Accepted(id)) => {
            intents.push(Intent::Unaccept(*id));
            state.selected = next;
        }
        (RowAction::Restore, RowKey::Rejected(..)) => {
            if let Some(r) = &row.rejection {
                intents.push(Intent::RestoreCandidate(Box::new(r.clone())));
                state.selected = next;
            }
        }
        (RowAction::Link, RowKey::Accepted(id)) => state.link_for = Some(*id),
        (RowAction::Verify, RowKey::Accepted(id)) => intents.push(Intent::VerifyDirective(*id)),
        (RowAction::Show, _) => intents.push(Intent::Jump(row.doc, row.range.clone())),
        _ => {}
    }
}

fn show_label(s: Show) -> String {
    match s {
        Show::All => tr!("review.show_all"),
        Show::Candidates => tr!("review.show_candidates"),
        Show::Accepted => tr!("review.show_accepted"),
        Show::Unlinked => tr!("review.show_unlinked"),
        Show::Unverified => tr!("review.show_unverified"),
        Show::Disagree => tr!("review.show_disagree"),
        Show::Rejected => tr!("review.show_rejected"),
    }
}

/// The Link chooser of a directive (opened with L): the sources that match its attribution,
/// each with the reason, then New source from attribution and Find in library. Keys 1–9 pick,
/// Esc closes.
pub fn link_chooser(
    ctx: &egui::Context,
    cx: &ViewContext<'_>,
    has_library: bool,
    state: &mut TableState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let Some(id) = state.link_for else {
        return intents;
    };
    let Some(a) = cx.ws.annotation(id) else {
        state.link_for = None;
        return intents;
    };
    let Some(d) = &a.directive else {
        state.link_for = None;
        return intents;
    };
    let ranked = super::directives::rank_sources(&cx.ws.sources, &d.attribution);
    let mut close = false;
    let mut chosen: Option<SourceId> = None;
    egui::Modal::new(egui::Id::unique("link-chooser")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(tr!("review.link_title"));
        ui.label(tr!(
            "review.link_for",
            quote = crate::model::preview(&a.anchor.quote, 30)
        ));
        if ranked.is_empty() {
            ui.label(RichText::new(tr!("review.link_none")).weak());
        }
        for (i, m) in ranked.iter().take(9).enumerate() {
            ui.horizontal(|ui| {
                if ui
                    .button(format!(
                        "{} {}",
                        i + 1,
                        crate::model::preview(&m.source.citation(), 40)
                    ))
                    .clicked()
                {
                    chosen = Some(m.source.id);
                }
                ui.label(RichText::new(m.reason()).weak());
            });
        }
        ui.separator();
        ui.horizontal(|ui| {
            if ui.button(tr!("review.link_new")).clicked() {
                intents.push(Intent::SourceFromAttribution(id));
                close = true;
            }
            if ui
                .add_enabled(has_library, egui::Button::new(tr!("review.link_find")))
                .on_disabled_hover_text(tr!("lib.no_library"))
                .clicked()
            {
                intents.push(Intent::FindSource(id));
                close = true;
            }
            if ui.button(tr!("review.cancel")).clicked() {
                close = true;
            }
        });
        ui.input(|i| {
            if i.key_pressed(egui::Key::Escape) {
                close = true;
            }
            for (n, key) in [
                egui::Key::Num1,
                egui::Key::Num2,
                egui::Key::Num3,
                egui::Key::Num4,
                egui::Key::Num5,
                egui::Key::Num6,
                egui::Key::Num7,
                egui::Key::Num8,
                egui::Key::Num9,
            ]
            .iter()
            .enumerate()
            {
                if i.key_pressed(*key)
                    && let Some(m) = ranked.get(n)
                {
                    chosen = Some(m.source.id);
                }
            }
        });
    });
    if let Some(s) = chosen {
        intents.push(Intent::LinkSource(id, Some(s)));
        intents.push(Intent::VerifyDirective(id));
        close = true;
    }
    if close {
        state.link_for = None;
        state.focus = true;
    }
    intents
}

// ----- the desk in the window -----

impl super::app::YinwenApp {
    /// Applies a text correction (a quick fix) as one undo step and says what was done.
    pub fn correct(&mut self, c: Correction) {
        let before: Option<String> = self.ws().document(c.doc).map(|d| {
            d.text
                .chars()
                .skip(c.range.start)
                .take(c.range.end - c.range.start)
                .collect()
        });
        match self
            .ws()
            .correct_text(c.doc, c.range.clone(), &c.replacement, &c.kind)
        {
            Ok(cmd) => {
                if self.execute(cmd) {
                    let from = crate::model::preview(&before.unwrap_or_default(), 16);
                    let to = if c.replacement.is_empty() {
                        tr!("warning.delete")
                    } else {
                        c.replacement.clone()
                    };
                    self.info(tr!("review.corrected", from = from, to = to));
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// The differences of the table's selected directive from its linked source, computed
    /// once per selection and workspace state.
    fn table_diff(&mut self) -> Option<Vec<analysis::verify::DiffOp>> {
        let Some(RowKey::Accepted(id)) = self.review.table.selected.clone() else {
            return None;
        };
        let state = self.history.state_id();
        if let Some((a, s, diff)) = &self.review.table.diff
            && *a == id
            && *s == state
        {
            return Some(diff.clone());
        }
        let ann = self.ws().annotation(id)?.clone();
        let src = ann.directive.as_ref()?.source?;
        self.ws().source(src)?.text.as_ref()?;
        let index = self.dir_ui.indexes.get(self.ws(), src)?;
        let (_, m) = crate::analysis::verify_workspace::verify_against(&ann, &index, 0, src);
        self.review.table.diff = Some((id, state, m.diff.clone()));
        Some(m.diff)
    }
}

/// Shows the review desk (a panel under the text, across the window) and its modal windows.
pub fn show_dock(app: &mut super::app::YinwenApp, ui: &mut Ui) {
    let Some(doc) = app.current else {
        return;
    };
    let det = app.detection();
    let problems = det.as_ref().map_or(0, |d| d.warnings.len());
    // The reading view's state (with its paragraphs) exists from here on.
    app.current_view();
    // Rows are built again only when the workspace, the rejections or the scope changed (not
    // every frame: a long speech has thousands of paragraphs to number).
    let key = (
        app.history.state_id(),
        app.review.table.workspace,
        doc,
        app.corpus.filter.clone(),
    );
    let rows_all = match &app.review.table.rows {
        Some((k, rows)) if *k == key => rows.clone(),
        _ => {
            let rows = std::sync::Arc::new(build_rows(
                app.ws(),
                Some(doc),
                det.as_deref(),
                app.review.table.workspace,
                &app.corpus.filter,
            ));
            app.review.table.rows = Some((key, rows.clone()));
            rows
        }
    };
    // The tab counts the directives and candidates, not the rejected ones.
    let total = rows_all.iter().filter(|r| r.rejection.is_none()).count();
    let ctx = ui.ctx().clone();
    // Modal windows first: they take the keys while open.
    let has_library = app.lib_ui.library.is_some();
    let (cx, review, reader) = app.review_parts();
    let paragraphs = reader.map_or(&[][..], |v| &v.paragraphs[..]);
    let mut intents = cut_preview(&ctx, &cx, paragraphs, &mut review.problems);
    intents.extend(link_chooser(&ctx, &cx, has_library, &mut review.table));
    app.apply_intents(intents);
    if !app.review.open {
        return;
    }
    let diff = app.table_diff();
    let table_keys = !app.modal_open();
    egui::Panel::bottom("review")
        .resizable(true)
        .default_size(230.0)
        .min_size(90.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                let r = &mut app.review;
                ui.selectable_value(
                    &mut r.tab,
                    ReviewTab::Problems,
                    tr!("review.problems", n = problems),
                );
                let before = r.tab;
                ui.selectable_value(
                    &mut r.tab,
                    ReviewTab::Directives,
                    tr!("review.directives", n = total),
                );
                if before != r.tab && r.tab == ReviewTab::Directives {
                    r.table.focus = true;
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .small_button("×")
                        .on_hover_text(super::actions::Action::ShowProblems.tooltip())
                        .clicked()
                    {
                        r.open = false;
                    }
                });
            });
            ui.separator();
            let (cx, review, reader) = app.review_parts();
            let paragraphs = reader.map_or(&[][..], |v| &v.paragraphs[..]);
            let intents = match review.tab {
                ReviewTab::Problems => match &det {
                    Some(det) => problems_view(ui, &cx, doc, det, paragraphs, &mut review.problems),
                    None => Vec::new(),
                },
                ReviewTab::Directives => {
                    let t = &review.table;
                    let mut rows: Vec<Row> = rows_all
                        .iter()
                        .filter(|r| row_matches(r, t.show, &t.filter))
                        .cloned()
                        .collect();
                    sort_rows(&mut rows, t.sort, t.descending);
                    let input = TableInput {
                        rows: &rows,
                        diff: diff.as_deref(),
                        keys: table_keys,
                    };
                    table_view(ui, &cx, &input, &mut review.table)
                }
            };
            app.apply_intents(intents);
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_year_takes_four_digits_that_agree() {
        assert_eq!(fill_year("20xx", "2021").as_deref(), Some("2021"));
        assert_eq!(fill_year("20xx", "２０２１").as_deref(), Some("2021"));
        assert_eq!(fill_year("200x", "2007").as_deref(), Some("2007"));
        assert_eq!(fill_year("20xx", "1998"), None, "does not fit 20xx");
        assert_eq!(fill_year("20xx", "21"), None);
        assert_eq!(fill_year("20xx", "20x1"), None);
        assert_eq!(example_year("20xx"), "2020");
    }

    #[test]
    fn rows_are_candidates_and_directives_filtered_and_sorted() {
        use crate::model::{Command, DocMeta, Document, Origin};
        let text = "胡锦涛同志指出：“要加强社区建设，发挥社区作用。”\n\n温家宝总理强调：“要完善社区服务体系，方便群众生活。”";
        let mut ws = Workspace::new();
        ws.apply(Command::AddDocument(Box::new(Document::new(
            text.into(),
            Origin::default(),
            DocMeta::default(),
        ))))
        .unwrap();
        let doc = ws.documents[0].id;
        let det = analysis::detect(text);
        assert_eq!(det.directives.len(), 2, "{det:?}");
        let rows = build_rows(&ws, Some(doc), Some(&det), false, &Default::default());
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.status == RowStatus::Candidate));
        assert_eq!((rows[0].para, rows[1].para), (1, 2));
        assert!(rows[0].who.contains("胡锦涛"), "{:?}", rows[0].who);
        // A rejected candidate leaves the table, and only the Rejected choice shows it.
        let first = &det.directives[0];
        let mut rejecting = ws.clone();
        rejecting
            .apply(Command::RejectCandidate(Box::new(
                crate::model::Rejection::new(doc, text, first.start..first.end),
            )))
            .unwrap();
        let with = build_rows(
            &rejecting,
            Some(doc),
            Some(&det),
            false,
            &Default::default(),
        );
        let count = |show| with.iter().filter(|r| row_matches(r, show, "")).count();
        assert_eq!(count(Show::All), 1);
        assert_eq!(count(Show::Candidates), 1);
        assert_eq!(count(Show::Accepted), 0);
        assert_eq!(count(Show::Rejected), 1);
        let shown = with
            .iter()
            .find(|r| row_matches(r, Show::Rejected, ""))
            .unwrap();
        assert_eq!(shown.range, first.start..first.end);
        assert!(shown.rejection.is_some());
        // Filter and sort.
        let shown: Vec<&Row> = rows
            .iter()
            .filter(|r| row_matches(r, Show::All, "温家宝"))
            .collect();
        assert_eq!(shown.len(), 1);
        assert!(rows.iter().all(|r| !row_matches(r, Show::Accepted, "")));
        let mut sorted = rows.clone();
        sort_rows(&mut sorted, Column::Para, true);
        assert_eq!((sorted[0].para, sorted[1].para), (2, 1));
        sort_rows(&mut sorted, Column::Who, false);
        assert!(sorted[0].who <= sorted[1].who);
    }

    #[test]
    fn paragraph_numbers_count_from_one() {
        let paras = crate::model::segment_paragraphs("一段。\n\n二段。\n三段。");
        assert_eq!(para_number(&paras, 0), 1);
        let second = paras[1].chars.start;
        assert_eq!(para_number(&paras, second + 1), 2);
        assert_eq!(para_number(&paras, 10_000), paras.len());
    }
}
