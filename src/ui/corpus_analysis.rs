//! The corpus desk's analyses: the directive register (with its timeline), the code matrix
//! and tag co-occurrence, drawn from [`crate::report`]. Each is computed off the window's
//! thread from a copy of the workspace (documents are shared, not copied) and kept until the
//! workspace, the filter or the options change; a cell or an occurrence opens its passages.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use egui::{Color32, RichText, Ui};

use super::i18n::tr;
use super::intent::{Intent, ViewContext};
use crate::model::{AnnId, DocFilter, Workspace};
use crate::report::{
    ColumnsBy, Cooccurrence, CooccurrenceMode, Matrix, Period, QuoteStatus, Reference, Register,
    RegisterOptions,
};

/// A result computed in the background for one key (workspace state, filter, options).
pub struct Computed<K, T> {
    key: Option<K>,
    value: Option<Arc<T>>,
    pending: Option<(K, Receiver<T>)>,
    /// The value the view showed last (its address): selections made in it are indices.
    shown: usize,
}

impl<K, T> Default for Computed<K, T> {
    fn default() -> Self {
        Computed {
            key: None,
            value: None,
            pending: None,
            shown: 0,
        }
    }
}

impl<K: PartialEq + Clone, T: Send + 'static> Computed<K, T> {
    /// The value for `key`: the one kept if it is for this key; otherwise starts `job` on a
    /// copy of `ws` (documents shared, not copied) once and returns `None` until it is
    /// there. Asks for a repaint while waiting.
    fn get(
        &mut self,
        ctx: &egui::Context,
        key: K,
        ws: &Workspace,
        job: impl FnOnce(&Workspace) -> T + Send + 'static,
    ) -> Option<Arc<T>> {
        if let Some((k, rx)) = &self.pending {
            match rx.try_recv() {
                Ok(v) => {
                    self.key = Some(k.clone());
                    self.value = Some(Arc::new(v));
                    self.pending = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    // The job failed (a bug): remember it for this key rather than start it
                    // again every frame; the view says so until the key changes.
                    self.key = Some(k.clone());
                    self.value = None;
                    self.pending = None;
                }
            }
        }
        if self.key.as_ref() == Some(&key) {
            return self.value.clone();
        }
        if self.pending.as_ref().is_none_or(|(k, _)| *k != key) {
            let (tx, rx) = channel();
            let ws = ws.clone();
            let repaint = ctx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(job(&ws));
                repaint.request_repaint();
            });
            self.pending = Some((key, rx));
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(30));
        None
    }

    /// What a view draws from: the value for `key` (or, while it is computed, the last one,
    /// under a small spinner), and whether it is another value than the one shown last
    /// (a selection made in that one means something else here). Without any value it shows
    /// a spinner, or the error when the computation failed, and returns `None`.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        key: K,
        ws: &Workspace,
        job: impl FnOnce(&Workspace) -> T + Send + 'static,
    ) -> Option<(Arc<T>, bool)> {
        let ctx = ui.ctx().clone();
        let value = self.get(&ctx, key, ws, job).or_else(|| self.last());
        let pending = self.is_pending();
        let Some(value) = value else {
            ui.horizontal(|ui| {
                if pending {
                    ui.spinner();
                    ui.label(tr!("corpus.computing"));
                } else {
                    ui.colored_label(ui.visuals().error_fg_color, tr!("corpus.failed"));
                }
            });
            return None;
        };
        let address = Arc::as_ptr(&value) as *const () as usize;
        let changed = std::mem::replace(&mut self.shown, address) != address;
        if pending {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(tr!("corpus.computing")).weak().small());
            });
        }
        Some((value, changed))
    }

    /// Whether a computation is running.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// The last value computed, for whatever key.
    pub fn last(&self) -> Option<Arc<T>> {
        self.value.clone()
    }
}

type Key<O> = (u64, DocFilter, O);

/// The analyses' state.
pub struct AnalysisState {
    /// Include the detector's unaccepted quotations in the register.
    pub candidates: bool,
    /// Only entries whose quotation contains this.
    pub search: String,
    /// The timeline's bucket size.
    pub period: Period,
    /// The entry shown below the register (its index in the register).
    pub entry: Option<usize>,
    /// The register.
    pub register: Computed<Key<bool>, Register>,
    /// The matrix's columns: `document`, `group` or an attribute name.
    pub by: String,
    /// Show coverage (%) instead of counts in the matrix.
    pub coverage: bool,
    /// The matrix.
    pub matrix: Computed<Key<String>, Matrix>,
    /// The matrix cell whose passages are listed.
    pub cell: Option<(usize, usize)>,
    /// Co-occurrence by overlapping passages or shared paragraphs.
    pub mode: CooccurrenceMode,
    /// The co-occurrence matrix.
    pub cooc: Computed<Key<CooccurrenceMode>, Cooccurrence>,
    /// The co-occurrence cell whose passages are listed.
    pub pair: Option<(usize, usize)>,
}

impl Default for AnalysisState {
    fn default() -> Self {
        AnalysisState {
            candidates: false,
            search: String::new(),
            period: Period::Month,
            entry: None,
            register: Computed::default(),
            by: "group".into(),
            coverage: false,
            matrix: Computed::default(),
            cell: None,
            mode: CooccurrenceMode::Overlap,
            cooc: Computed::default(),
            pair: None,
        }
    }
}

/// The symbol and word of a status.
pub fn status_label(s: QuoteStatus) -> String {
    match s {
        QuoteStatus::Verbatim => format!("√ {}", tr!("corpus.status_verbatim")),
        QuoteStatus::Variant => format!("≈ {}", tr!("corpus.status_variant")),
        QuoteStatus::Abridged => format!("… {}", tr!("corpus.status_abridged")),
    }
}

/// The Register tab: every distinct quotation of the filtered documents with who quotes it,
/// when, and how; a timeline of quotations by month or year above it.
pub fn register_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    filter: &DocFilter,
    st: &mut AnalysisState,
    state_id: u64,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.horizontal(|ui| {
        ui.checkbox(&mut st.candidates, tr!("corpus.with_candidates"))
            .on_hover_text(tr!("corpus.with_candidates_tip"));
        ui.separator();
        ui.label(tr!("corpus.timeline"));
        ui.selectable_value(&mut st.period, Period::Month, tr!("corpus.by_month"));
        ui.selectable_value(&mut st.period, Period::Year, tr!("corpus.by_year"));
        ui.separator();
        ui.add(
            egui::TextEdit::singleline(&mut st.search)
                .hint_text(tr!("corpus.register_search"))
                .desired_width(180.0),
        );
    });
    let key = (state_id, filter.clone(), st.candidates);
    let (f, opts) = (
        filter.clone(),
        RegisterOptions {
            candidates: st.candidates,
        },
    );
    let job = move |ws: &Workspace| crate::report::register(ws, &f, &opts);
    let Some((reg, changed)) = st.register.show(ui, key, cx.ws, job) else {
        return intents;
    };
    if changed {
        st.entry = None;
    }
    ui.label(
        RichText::new(tr!(
            "corpus.register_summary",
            entries = reg.entries.len(),
            quotes = reg.occurrence_count(),
            docs = reg.documents
        ))
        .weak(),
    );
    timeline(ui, &reg, st.period);
    let needle = st.search.trim().to_string();
    let shown: Vec<usize> = (0..reg.entries.len())
        .filter(|&i| {
            needle.is_empty()
                || reg.entries[i]
                    .forms
                    .iter()
                    .any(|f| f.text.contains(needle.as_str()))
        })
        .collect();
    if st.entry.is_some_and(|e| e >= reg.entries.len()) {
        st.entry = None;
    }
    let detail_h = if st.entry.is_some() { 240.0 } else { 30.0 };
    let table_h = (ui.available_height() - detail_h).max(120.0);
    let quote_w = (ui.available_width() - 470.0).max(200.0);
    egui_extras::TableBuilder::new(ui)
        .id_salt("register")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(table_h)
        .auto_shrink([false, true])
        .column(egui_extras::Column::exact(quote_w).clip(true))
        .column(egui_extras::Column::exact(70.0))
        .column(egui_extras::Column::exact(60.0))
        .column(egui_extras::Column::exact(90.0))
        .column(egui_extras::Column::exact(90.0))
        .column(egui_extras::Column::remainder().at_least(80.0).clip(true))
        .header(22.0, |mut h| {
            for l in [
                tr!("corpus.col_quotation"),
                tr!("corpus.col_documents"),
                tr!("corpus.col_forms"),
                tr!("corpus.col_first"),
                tr!("corpus.col_last"),
                tr!("corpus.col_source"),
            ] {
                h.col(|ui| {
                    ui.label(RichText::new(l).strong());
                });
            }
        })
        .body(|body| {
            body.rows(22.0, shown.len(), |mut row| {
                let i = shown[row.index()];
                let e = &reg.entries[i];
                row.set_selected(st.entry == Some(i));
                let source = e
                    .linked_source()
                    .and_then(|s| cx.ws.source(s))
                    .map(|s| s.citation())
                    .unwrap_or_default();
                let all_candidates = e.occurrences.iter().all(|o| o.is_candidate());
                let quote = if all_candidates {
                    RichText::new(format!("“{}”", e.quote)).italics()
                } else {
                    RichText::new(format!("“{}”", e.quote))
                };
                row.col(|ui| {
                    ui.add(egui::Label::new(quote).truncate().selectable(false));
                });
                for c in [
                    e.document_count().to_string(),
                    e.variants().to_string(),
                    e.first_date.clone().unwrap_or_default(),
                    e.last_date.clone().unwrap_or_default(),
                    source,
                ] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(c).truncate().selectable(false));
                    });
                }
                if row.response().clicked() {
                    st.entry = Some(i);
                }
            });
        });
    ui.separator();
    if let Some(e) = st.entry.and_then(|i| reg.entries.get(i)) {
        ui.label(RichText::new(format!("“{}”", e.quote)).strong());
        let against = match &e.reference {
            Reference::Canonical => tr!("corpus.relative_to_canonical"),
            Reference::Source { citation, .. } => {
                tr!("corpus.relative_to_source", source = citation)
            }
        };
        ui.label(RichText::new(against).weak().small());
        egui::ScrollArea::vertical()
            .id_salt("register-entry")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("register-occurrences")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        for o in &e.occurrences {
                            if ui.link(&o.title).clicked() {
                                intents.push(Intent::Jump(o.doc, o.start..o.end));
                            }
                            ui.label(o.date.clone().unwrap_or_default());
                            let who = [o.attribution.speaker.as_str(), o.attribution.verb.as_str()]
                                .join(" ");
                            ui.label(who.trim().to_string());
                            ui.label(status_label(o.status));
                            let text = if o.form == e.canonical {
                                String::new()
                            } else {
                                format!("“{}”", crate::model::preview(&o.quote, 40))
                            };
                            let mut l = RichText::new(text).small();
                            if o.is_candidate() {
                                l = l.italics();
                            }
                            ui.label(l).on_hover_text(if o.is_candidate() {
                                tr!("corpus.candidate_tip")
                            } else {
                                String::new()
                            });
                            ui.end_row();
                        }
                    });
            });
    } else {
        ui.label(RichText::new(tr!("corpus.entry_hint")).weak());
    }
    intents
}

/// Bars of quotations per period.
fn timeline(ui: &mut Ui, reg: &Register, period: Period) {
    let buckets = reg.timeline(period);
    if buckets.is_empty() {
        return;
    }
    let h = 70.0;
    let w = ui.available_width();
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(w, h + 16.0), egui::Sense::hover());
    let max = buckets
        .iter()
        .map(|b| b.occurrences)
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let n = buckets.len() as f32;
    let bw = (w / n).min(40.0);
    let painter = ui.painter_at(rect);
    let color = ui.visuals().selection.bg_fill;
    let text = ui.visuals().weak_text_color();
    let label_every = ((n * 40.0) / w).ceil().max(1.0) as usize;
    let mut hovered = None;
    for (i, b) in buckets.iter().enumerate() {
        let x = rect.left() + i as f32 * bw;
        let bh = h * b.occurrences as f32 / max;
        let bar = egui::Rect::from_min_max(
            egui::pos2(x + 1.0, rect.top() + h - bh),
            egui::pos2(x + bw - 1.0, rect.top() + h),
        );
        painter.rect_filled(bar, 1.0, color);
        if i % label_every == 0 {
            painter.text(
                egui::pos2(x, rect.top() + h + 2.0),
                egui::Align2::LEFT_TOP,
                &b.period,
                egui::FontId::proportional(10.0),
                text,
            );
        }
        if resp.hover_pos().is_some_and(|p| p.x >= x && p.x < x + bw) {
            hovered = Some(b);
        }
    }
    if let Some(b) = hovered {
        resp.on_hover_text(tr!(
            "corpus.timeline_tip",
            period = b.period,
            quotes = b.occurrences,
            entries = b.entries,
            docs = b.documents
        ));
    }
}

/// The matrix's column choices: documents, groups, then every attribute.
fn column_choices(ws: &Workspace) -> Vec<(String, String)> {
    let mut out = vec![
        ("document".to_string(), tr!("corpus.by_document")),
        ("group".to_string(), tr!("corpus.by_group")),
    ];
    for n in super::corpus::attribute_names(ws) {
        let l = super::corpus::attribute_label(&n);
        out.push((n, l));
    }
    out
}

/// The most columns the matrix lays out (a column per document of a large workspace would
/// be thousands).
const MAX_COLUMNS: usize = 200;

/// The Matrix tab: tags × documents, groups or attribute values, counts or coverage; a
/// cell lists its passages.
pub fn matrix_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    filter: &DocFilter,
    st: &mut AnalysisState,
    state_id: u64,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let choices = column_choices(cx.ws);
    ui.horizontal(|ui| {
        ui.label(tr!("corpus.columns"));
        let shown = choices
            .iter()
            .find(|(k, _)| *k == st.by)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| st.by.clone());
        egui::ComboBox::from_id_salt("matrix-by")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (k, l) in &choices {
                    ui.selectable_value(&mut st.by, k.clone(), l);
                }
            });
        ui.separator();
        ui.selectable_value(&mut st.coverage, false, tr!("corpus.counts"));
        ui.selectable_value(&mut st.coverage, true, tr!("corpus.coverage"));
    });
    let key = (state_id, filter.clone(), st.by.clone());
    let (f, by) = (filter.clone(), ColumnsBy::parse(&st.by));
    let job = move |ws: &Workspace| crate::report::code_matrix(ws, &f, &by);
    let Some((m, changed)) = st.matrix.show(ui, key, cx.ws, job) else {
        return intents;
    };
    if changed {
        st.cell = None;
    }
    if m.rows.is_empty() {
        ui.label(tr!("corpus.no_tags"));
        return intents;
    }
    let ncols = m.columns.len().min(MAX_COLUMNS);
    if m.columns.len() > MAX_COLUMNS {
        ui.label(
            RichText::new(tr!(
                "corpus.too_many_columns",
                n = MAX_COLUMNS,
                m = m.columns.len()
            ))
            .weak(),
        );
    }
    let max = m
        .cells
        .iter()
        .flat_map(|r| r.iter().take(ncols))
        .map(|c| {
            if st.coverage {
                c.coverage
            } else {
                c.count as f64
            }
        })
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let list_h = if st.cell.is_some() { 200.0 } else { 30.0 };
    let grid_h = (ui.available_height() - list_h).max(120.0);
    let fill = ui.visuals().selection.bg_fill;
    egui::ScrollArea::both()
        .id_salt("matrix")
        .max_height(grid_h)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("matrix-grid")
                .striped(true)
                .min_col_width(76.0)
                .show(ui, |ui| {
                    ui.label("");
                    for c in m.columns.iter().take(ncols) {
                        ui.add(egui::Label::new(RichText::new(&c.label).strong()).truncate())
                            .on_hover_text(&c.label);
                    }
                    ui.label(RichText::new(tr!("corpus.total")).strong());
                    ui.end_row();
                    for (r, row) in m.rows.iter().enumerate() {
                        ui.label(format!("{}{}", "  ".repeat(row.depth), row.name))
                            .on_hover_text(&row.path);
                        for (c, cell) in m.cells[r].iter().take(ncols).enumerate() {
                            let v = if st.coverage {
                                cell.coverage
                            } else {
                                cell.count as f64
                            };
                            let text = if st.coverage {
                                format!("{:.1}%", cell.coverage * 100.0)
                            } else {
                                cell.count.to_string()
                            };
                            let alpha = (v / max * 200.0) as u8;
                            let bg = Color32::from_rgba_unmultiplied(
                                fill.r(),
                                fill.g(),
                                fill.b(),
                                alpha,
                            );
                            let b = egui::Button::new(text)
                                .fill(bg)
                                .selected(st.cell == Some((r, c)))
                                .min_size(egui::vec2(72.0, 0.0));
                            // Tooltips are built only when shown (a large codebook has
                            // thousands of cells).
                            let resp = ui.add_enabled(cell.count > 0, b).on_hover_ui(|ui| {
                                ui.label(tr!(
                                    "corpus.cell_tip",
                                    n = cell.count,
                                    chars = cell.chars,
                                    coverage = format!("{:.2}%", cell.coverage * 100.0)
                                ));
                            });
                            if resp.clicked() {
                                st.cell = Some((r, c));
                            }
                        }
                        let t = &m.row_totals[r];
                        ui.label(if st.coverage {
                            format!("{:.1}%", t.coverage * 100.0)
                        } else {
                            t.count.to_string()
                        });
                        ui.end_row();
                    }
                });
        });
    ui.separator();
    match st.cell {
        Some((r, c)) if r < m.rows.len() && c < m.columns.len() => {
            ui.label(
                RichText::new(format!("{} × {}", m.rows[r].path, m.columns[c].label)).strong(),
            );
            intents.extend(passages(
                ui,
                cx,
                &m.cell_annotations(r, c),
                "matrix-passages",
            ));
        }
        _ => {
            ui.label(RichText::new(tr!("corpus.cell_hint")).weak());
        }
    }
    intents
}

/// The Co-occurrence tab: tags × tags, by overlapping passages or shared paragraphs.
pub fn cooccurrence_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    filter: &DocFilter,
    st: &mut AnalysisState,
    state_id: u64,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.horizontal(|ui| {
        ui.selectable_value(
            &mut st.mode,
            CooccurrenceMode::Overlap,
            tr!("corpus.overlap"),
        )
        .on_hover_text(tr!("corpus.overlap_tip"));
        ui.selectable_value(
            &mut st.mode,
            CooccurrenceMode::Paragraph,
            tr!("corpus.same_paragraph"),
        )
        .on_hover_text(tr!("corpus.same_paragraph_tip"));
    });
    let key = (state_id, filter.clone(), st.mode);
    let (f, mode) = (filter.clone(), st.mode);
    let job = move |ws: &Workspace| crate::report::cooccurrence(ws, &f, mode);
    let Some((co, changed)) = st.cooc.show(ui, key, cx.ws, job) else {
        return intents;
    };
    if changed {
        st.pair = None;
    }
    if co.tags.is_empty() {
        ui.label(tr!("corpus.no_tags"));
        return intents;
    }
    let max = co
        .cells
        .iter()
        .enumerate()
        .flat_map(|(a, r)| r.iter().enumerate().filter(move |(b, _)| *b != a))
        .map(|(_, c)| c.count)
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let fill = ui.visuals().selection.bg_fill;
    let list_h = if st.pair.is_some() { 200.0 } else { 30.0 };
    let grid_h = (ui.available_height() - list_h).max(120.0);
    egui::ScrollArea::both()
        .id_salt("cooc")
        .max_height(grid_h)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("cooc-grid")
                .striped(true)
                .min_col_width(40.0)
                .show(ui, |ui| {
                    ui.label("");
                    for t in &co.tags {
                        ui.add(
                            egui::Label::new(RichText::new(&t.name).strong().small()).truncate(),
                        )
                        .on_hover_text(&t.path);
                    }
                    ui.end_row();
                    for (a, t) in co.tags.iter().enumerate() {
                        ui.label(format!("{}{}", "  ".repeat(t.depth), t.name))
                            .on_hover_text(&t.path);
                        for (b, cell) in co.cells[a].iter().enumerate() {
                            let alpha = if a == b {
                                0
                            } else {
                                (cell.count as f32 / max * 200.0) as u8
                            };
                            let bg = Color32::from_rgba_unmultiplied(
                                fill.r(),
                                fill.g(),
                                fill.b(),
                                alpha,
                            );
                            let text = if a == b {
                                RichText::new(cell.count.to_string()).weak()
                            } else {
                                RichText::new(cell.count.to_string())
                            };
                            let resp = ui
                                .add_enabled(
                                    cell.count > 0,
                                    egui::Button::new(text)
                                        .fill(bg)
                                        .selected(st.pair == Some((a, b)))
                                        .min_size(egui::vec2(38.0, 0.0)),
                                )
                                .on_hover_ui(|ui| {
                                    ui.label(format!(
                                        "{} × {}: {}",
                                        co.tags[a].path, co.tags[b].path, cell.count
                                    ));
                                });
                            if resp.clicked() {
                                st.pair = Some((a, b));
                            }
                        }
                        ui.end_row();
                    }
                });
        });
    ui.separator();
    match st.pair {
        Some((a, b)) if a < co.tags.len() && b < co.tags.len() => {
            ui.label(RichText::new(format!("{} × {}", co.tags[a].path, co.tags[b].path)).strong());
            intents.extend(passages(
                ui,
                cx,
                &co.cell_annotations(a, b),
                "cooc-passages",
            ));
        }
        _ => {
            ui.label(RichText::new(tr!("corpus.cell_hint")).weak());
        }
    }
    intents
}

/// A list of passages (document, quote, tags); a click shows one in its document.
fn passages(ui: &mut Ui, cx: &ViewContext<'_>, ids: &[AnnId], salt: &str) -> Vec<Intent> {
    let mut intents = Vec::new();
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .id_salt(salt)
        .auto_shrink([false, false])
        .show_rows(ui, row_h, ids.len(), |ui, range| {
            for id in &ids[range] {
                let Some(a) = cx.ws.annotation(*id) else {
                    continue;
                };
                let doc = cx
                    .ws
                    .document(a.doc)
                    .map(|d| d.display_name())
                    .unwrap_or_default();
                ui.horizontal(|ui| {
                    if ui.link(crate::model::preview(&doc, 24)).clicked() {
                        intents.push(Intent::Jump(a.doc, a.anchor.start.0..a.anchor.end.0));
                    }
                    ui.add(
                        egui::Label::new(format!(
                            "“{}”",
                            crate::model::preview(&a.anchor.quote, 60)
                        ))
                        .truncate(),
                    );
                });
            }
        });
    intents
}
