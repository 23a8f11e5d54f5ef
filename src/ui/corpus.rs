//! The corpus desk: every document of the workspace at once, in place of the text (View →
//! Across documents, F9). A filter bar (group, attribute value, search text) selects the
//! documents every tab looks at:
//! - **Documents**: a table of the documents with their group and attributes, editable
//!   (one undo step per edit), laid out only where in view so thousands stay instant;
//! - **Register**, **Matrix**, **Co-occurrence**: the cross-document analyses of
//!   [`crate::report`];
//! - **Memos**: the workspace memo, and a search through every memo and note.
//!
//! Each tab reads a [`ViewContext`] and its own state and returns [`Intent`]s.

use egui::{RichText, Ui};

use super::i18n::tr;
use super::intent::{Intent, ViewContext};
use crate::model::{Command, DocFilter, DocId, Document, Workspace};

/// Which tab of the desk is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CorpusTab {
    /// The documents table.
    #[default]
    Documents,
    /// The directive register.
    Register,
    /// Tags × documents (or groups, attribute values).
    Matrix,
    /// Tag co-occurrence.
    Cooccurrence,
    /// Memos.
    Memos,
}

/// The desk's own state.
#[derive(Default)]
pub struct CorpusState {
    /// Shown in place of the text.
    pub open: bool,
    /// The tab shown.
    pub tab: CorpusTab,
    /// The documents every tab looks at.
    pub filter: DocFilter,
    /// The attribute the filter bar's value list is for.
    pub filter_attribute: String,
    /// The document selected in the table (its details are edited below it).
    pub selected: Option<DocId>,
    /// The name typed for a new attribute.
    pub new_attribute: String,
    /// The documents table's sort: column and descending; `None` for the workspace's order.
    pub sort: Option<(usize, bool)>,
    /// How many documents the filter keeps, and for which workspace state and filter.
    pub(super) kept_count: Option<((u64, DocFilter), usize)>,
    /// The documents table's rows and what they were built from.
    pub(super) table_rows: Option<(TableKey, std::sync::Arc<TableRows>)>,
    /// The document list's rows (ID, name, group) and what they were built from.
    pub(super) list_rows: Option<((u64, DocFilter), std::sync::Arc<ListRows>)>,
    /// The analyses' state (register, matrices).
    pub analysis: super::corpus_analysis::AnalysisState,
    /// The memo search text.
    pub memo_search: String,
    /// The document list's search text.
    pub list_search: String,
    /// The new name typed for the filtered group.
    pub rename_to: String,
}

/// Draws the desk in the central panel.
pub fn show(app: &mut super::app::YinwenApp, ui: &mut Ui) {
    let state_id = app.history.state_id();
    let (cx, state) = app.corpus_parts();
    let mut intents = Vec::new();
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(format!("← {}", tr!("corpus.back_to_text")))
            .on_hover_text(tr!("corpus.back_to_text_tip"))
            .clicked()
        {
            state.open = false;
        }
        ui.separator();
        for (tab, label) in [
            (CorpusTab::Documents, tr!("corpus.tab_documents")),
            (CorpusTab::Register, tr!("corpus.tab_register")),
            (CorpusTab::Matrix, tr!("corpus.tab_matrix")),
            (CorpusTab::Cooccurrence, tr!("corpus.tab_cooccurrence")),
            (CorpusTab::Memos, tr!("corpus.tab_memos")),
        ] {
            ui.selectable_value(&mut state.tab, tab, label);
        }
    });
    filter_bar(ui, cx.ws, state, state_id);
    ui.separator();
    match state.tab {
        CorpusTab::Documents => intents.extend(documents_view(ui, &cx, state, state_id)),
        CorpusTab::Memos => intents.extend(memos_view(ui, &cx, state)),
        CorpusTab::Register => intents.extend(super::corpus_analysis::register_view(
            ui,
            &cx,
            &state.filter,
            &mut state.analysis,
            state_id,
        )),
        CorpusTab::Matrix => intents.extend(super::corpus_analysis::matrix_view(
            ui,
            &cx,
            &state.filter,
            &mut state.analysis,
            state_id,
        )),
        CorpusTab::Cooccurrence => intents.extend(super::corpus_analysis::cooccurrence_view(
            ui,
            &cx,
            &state.filter,
            &mut state.analysis,
            state_id,
        )),
    }
    if intents.iter().any(|i| matches!(i, Intent::Jump(..))) {
        state.open = false;
    }
    app.apply_intents(intents);
}

/// Every group of the workspace and the groups above them, sorted.
pub fn groups(ws: &Workspace) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for d in &ws.documents {
        let g = &d.meta.group;
        for (i, c) in g.char_indices() {
            if c == '/' {
                out.insert(g[..i].to_string());
            }
        }
        if !g.is_empty() {
            out.insert(g.clone());
        }
    }
    out.into_iter().collect()
}

/// The attributes documents can be filtered and grouped by: the built-in ones, then the
/// user's.
pub fn attribute_names(ws: &Workspace) -> Vec<String> {
    crate::model::BUILTIN_ATTRIBUTES
        .iter()
        .map(|s| s.to_string())
        .chain(ws.attributes.iter().cloned())
        .collect()
}

/// The name of an attribute to show (built-in ones translated).
pub fn attribute_label(name: &str) -> String {
    match name {
        "speaker" => tr!("field.speaker"),
        "date" => tr!("field.date"),
        "occasion" => tr!("field.occasion"),
        "place" => tr!("field.place"),
        "level" => tr!("field.level"),
        "region" => tr!("field.region"),
        "kind" => tr!("field.kind"),
        "group" => tr!("field.group"),
        "title" => tr!("field.title"),
        other => other.to_string(),
    }
}

fn filter_bar(ui: &mut Ui, ws: &Workspace, state: &mut CorpusState, state_id: u64) {
    let f = &mut state.filter;
    ui.horizontal_wrapped(|ui| {
        ui.label(tr!("corpus.group"));
        let shown = match &f.group {
            None => tr!("corpus.all_groups"),
            Some(g) if g.is_empty() => tr!("corpus.top_level"),
            Some(g) => g.clone(),
        };
        egui::ComboBox::from_id_salt("corpus-group")
            .selected_text(shown)
            .width(160.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.group, None, tr!("corpus.all_groups"));
                ui.selectable_value(&mut f.group, Some(String::new()), tr!("corpus.top_level"));
                for g in groups(ws) {
                    let depth = g.matches('/').count();
                    let name = g.rsplit('/').next().unwrap_or(&g).to_string();
                    let label = format!("{}{name}", "  ".repeat(depth));
                    ui.selectable_value(&mut f.group, Some(g), label);
                }
            });
        ui.separator();
        // One attribute condition from the bar (more through the report command).
        let names = attribute_names(ws);
        if state.filter_attribute.is_empty() || !names.contains(&state.filter_attribute) {
            state.filter_attribute = "level".into();
        }
        egui::ComboBox::from_id_salt("corpus-attr")
            .selected_text(attribute_label(&state.filter_attribute))
            .width(90.0)
            .show_ui(ui, |ui| {
                for n in &names {
                    ui.selectable_value(&mut state.filter_attribute, n.clone(), attribute_label(n));
                }
            });
        let attr = state.filter_attribute.clone();
        let current = f
            .attributes
            .iter()
            .find(|(n, _)| *n == attr)
            .map(|(_, v)| v.clone());
        let mut chosen = current.clone();
        egui::ComboBox::from_id_salt("corpus-attr-value")
            .selected_text(chosen.clone().unwrap_or_else(|| tr!("corpus.any_value")))
            .width(120.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, tr!("corpus.any_value"));
                // The values are gathered only while the list is open.
                let mut values: Vec<String> = ws
                    .documents
                    .iter()
                    .map(|d| d.meta.attribute(&attr).to_string())
                    .filter(|v| !v.is_empty())
                    .collect();
                values.sort();
                values.dedup();
                for v in values {
                    ui.selectable_value(&mut chosen, Some(v.clone()), v);
                }
            });
        if chosen != current {
            f.attributes.retain(|(n, _)| *n != attr);
            if let Some(v) = chosen {
                f.attributes.push((attr, v));
            }
        }
        for (n, v) in f.attributes.clone() {
            if n != state.filter_attribute
                && ui
                    .small_button(format!("{}={v} ✕", attribute_label(&n)))
                    .on_hover_text(tr!("corpus.remove_condition"))
                    .clicked()
            {
                f.attributes.retain(|(m, _)| *m != n);
            }
        }
        ui.separator();
        ui.add(
            egui::TextEdit::singleline(&mut f.text)
                .hint_text(tr!("corpus.search_hint"))
                .desired_width(160.0),
        );
        // Counted again only when the workspace or the filter changed.
        let key = (state_id, f.clone());
        let shown = match &state.kept_count {
            Some((k, n)) if *k == key => *n,
            _ => {
                let n = f.documents(ws).count();
                state.kept_count = Some((key, n));
                n
            }
        };
        ui.label(tr!("corpus.n_of_m", n = shown, m = ws.documents.len()));
        if !f.is_empty() && ui.small_button(tr!("corpus.clear_filter")).clicked() {
            *f = DocFilter::default();
        }
    });
}

/// The documents table: one row a document, laid out only in view.
/// The document list's rows: ID, name, group.
pub type ListRows = Vec<(DocId, String, String)>;

/// The documents table's rows (in order) and each document's number of annotations.
pub type TableRows = (Vec<DocId>, std::collections::HashMap<DocId, usize>);

/// What the table's rows were built from: workspace state, filter, sort, selected document.
pub(super) type TableKey = (u64, DocFilter, Option<(usize, bool)>, Option<DocId>);

/// The documents table's rows, built when the workspace, the filter, the sort or the
/// selection changed (not every frame: filtering and sorting thousands of documents and
/// counting their annotations is work a steady frame need not do).
fn table_rows(ws: &Workspace, state: &mut CorpusState, state_id: u64) -> std::sync::Arc<TableRows> {
    let key = (state_id, state.filter.clone(), state.sort, state.selected);
    if let Some((k, rows)) = &state.table_rows
        && *k == key
    {
        return rows.clone();
    }
    // The selected document stays while it is edited, even when an edit takes it out of
    // the filter (its row would vanish under the cursor); it goes when another is chosen.
    let mut docs: Vec<&Document> = ws
        .documents
        .iter()
        .map(|d| &**d)
        .filter(|d| state.filter.matches(d) || state.selected == Some(d.id))
        .collect();
    let mut counts: std::collections::HashMap<DocId, usize> = Default::default();
    for a in &ws.annotations {
        *counts.entry(a.doc).or_default() += 1;
    }
    if let Some((col, descending)) = state.sort {
        sort_documents(&mut docs, col, descending, &ws.attributes, &counts);
    }
    let rows = std::sync::Arc::new((docs.iter().map(|d| d.id).collect(), counts));
    state.table_rows = Some((key, rows.clone()));
    rows
}

pub fn documents_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    state: &mut CorpusState,
    state_id: u64,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let rows = table_rows(cx.ws, state, state_id);
    let (ids, counts) = (&rows.0, &rows.1);
    let attrs = cx.ws.attributes.clone();
    if let Some(g) = state.filter.group.clone().filter(|g| !g.is_empty()) {
        ui.horizontal(|ui| {
            ui.label(tr!("corpus.rename_group", group = g.as_str()));
            ui.add(
                egui::TextEdit::singleline(&mut state.rename_to)
                    .hint_text(g.as_str())
                    .desired_width(200.0),
            );
            let to = crate::model::normalize_group(&state.rename_to);
            if ui
                .add_enabled(
                    !to.is_empty() && to != g,
                    egui::Button::new(tr!("corpus.rename")),
                )
                .on_hover_text(tr!("corpus.rename_tip"))
                .clicked()
            {
                if let Some(c) = rename_group(cx.ws, &g, &to) {
                    intents.push(Intent::Execute(c));
                }
                state.filter.group = Some(to);
                state.rename_to.clear();
            }
        });
    }
    let detail_h = if state.selected.is_some() {
        230.0
    } else {
        40.0
    };
    let table_h = (ui.available_height() - detail_h).max(120.0);
    // The title takes what the other columns leave (at least 140 points).
    let fixed = [130.0, 80.0, 84.0, 48.0, 70.0, 56.0];
    let attr_w = 80.0;
    let spacing = ui.spacing().item_spacing.x;
    let others: f32 = fixed.iter().sum::<f32>()
        + attr_w * attrs.len() as f32
        + 64.0
        + 70.0
        + spacing * (fixed.len() + attrs.len() + 3) as f32;
    let title_w = (ui.available_width() - others).max(140.0);
    let mut table = egui_extras::TableBuilder::new(ui)
        .id_salt("corpus-docs")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(table_h)
        .auto_shrink([false, true])
        .column(
            egui_extras::Column::initial(title_w)
                .at_least(100.0)
                .clip(true),
        );
    for w in fixed {
        table = table.column(egui_extras::Column::initial(w).at_least(30.0).clip(true));
    }
    for _ in &attrs {
        table = table.column(
            egui_extras::Column::initial(attr_w)
                .at_least(30.0)
                .clip(true),
        );
    }
    table = table
        .column(egui_extras::Column::initial(64.0).at_least(40.0))
        .column(egui_extras::Column::remainder().at_least(50.0));
    let mut headers = vec![
        tr!("field.title"),
        tr!("field.group"),
        tr!("field.speaker"),
        tr!("field.date"),
        tr!("field.level"),
        tr!("field.region"),
        tr!("field.kind"),
    ];
    headers.extend(attrs.iter().cloned());
    headers.push(tr!("corpus.chars"));
    headers.push(tr!("corpus.annotations"));
    let sort = &mut state.sort;
    table
        .header(22.0, |mut h| {
            for (i, l) in headers.iter().enumerate() {
                h.col(|ui| {
                    let arrow = match *sort {
                        Some((c, true)) if c == i => " ↓",
                        Some((c, false)) if c == i => " ↑",
                        _ => "",
                    };
                    let r = ui
                        .add(
                            egui::Label::new(RichText::new(format!("{l}{arrow}")).strong())
                                .sense(egui::Sense::click())
                                .selectable(false),
                        )
                        .on_hover_text(tr!("corpus.sort_tip"));
                    if r.clicked() {
                        // Ascending, descending, then the workspace's order again.
                        *sort = match *sort {
                            Some((c, false)) if c == i => Some((i, true)),
                            Some((c, true)) if c == i => None,
                            _ => Some((i, false)),
                        };
                    }
                });
            }
        })
        .body(|body| {
            body.rows(24.0, ids.len(), |mut row| {
                let Some(d) = cx.ws.document(ids[row.index()]) else {
                    return;
                };
                let selected = state.selected == Some(d.id);
                row.set_selected(selected);
                let m = &d.meta;
                // The selected row's details are edited in place.
                let mut names: Vec<&str> = vec![
                    "title", "group", "speaker", "date", "level", "region", "kind",
                ];
                names.extend(attrs.iter().map(String::as_str));
                let mut meta = m.clone();
                let mut lost_focus = false;
                for name in names {
                    row.col(|ui| {
                        if selected {
                            let mut v = if name == "title" {
                                m.title.clone()
                            } else {
                                m.attribute(name).to_string()
                            };
                            let r = ui.add(
                                egui::TextEdit::singleline(&mut v)
                                    .desired_width(f32::INFINITY)
                                    .hint_text(if name == "title" {
                                        d.display_name()
                                    } else {
                                        String::new()
                                    })
                                    .id_salt(("corpus-cell", d.id.0, name)),
                            );
                            lost_focus |= r.lost_focus();
                            if v != meta.attribute(name) {
                                meta.set_attribute(name, &v);
                            }
                        } else {
                            let v = if name == "title" {
                                d.display_name()
                            } else {
                                m.attribute(name).to_string()
                            };
                            ui.add(egui::Label::new(v).truncate().selectable(false));
                        }
                    });
                }
                for c in [
                    super::view::group_digits(d.char_count()),
                    counts.get(&d.id).copied().unwrap_or(0).to_string(),
                ] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(c).truncate().selectable(false));
                    });
                }
                intents.extend(super::intent::edit_doc_meta(
                    d.id,
                    &d.meta,
                    meta,
                    lost_focus,
                    format!("corpus-meta-{}", d.id.0),
                ));
                let r = row.response();
                if r.clicked() {
                    state.selected = Some(d.id);
                }
                if r.double_clicked() {
                    intents.push(Intent::Jump(d.id, 0..0));
                }
            });
        });
    ui.separator();
    if let Some(id) = state.selected
        && let Some(doc) = cx.ws.document(id)
    {
        intents.extend(document_editor(ui, cx.ws, doc, &mut state.new_attribute));
    } else {
        ui.label(RichText::new(tr!("corpus.select_hint")).weak());
    }
    intents
}

/// Sorts the documents table by column `col` (title, group, speaker, date, level, region,
/// kind, the user's attributes, chars, annotations): text by its chars, numbers as numbers,
/// ties in the workspace's order.
fn sort_documents(
    docs: &mut Vec<&Document>,
    col: usize,
    descending: bool,
    attrs: &[String],
    counts: &std::collections::HashMap<DocId, usize>,
) {
    const TEXT: [&str; 7] = [
        "title", "group", "speaker", "date", "level", "region", "kind",
    ];
    let n_text = TEXT.len() + attrs.len();
    if col < n_text {
        let name = TEXT
            .get(col)
            .copied()
            .unwrap_or_else(|| attrs[col - TEXT.len()].as_str());
        let mut keyed: Vec<(String, &Document)> = docs
            .iter()
            .map(|d| {
                let k = if name == "title" {
                    d.display_name()
                } else {
                    d.meta.attribute(name).to_string()
                };
                (k, *d)
            })
            .collect();
        keyed.sort_by(|a, b| {
            let o = a.0.cmp(&b.0);
            if descending { o.reverse() } else { o }
        });
        *docs = keyed.into_iter().map(|(_, d)| d).collect();
    } else {
        let chars = col == n_text;
        let key = |d: &Document| {
            if chars {
                d.char_count()
            } else {
                counts.get(&d.id).copied().unwrap_or(0)
            }
        };
        let mut keyed: Vec<(usize, &Document)> = docs.iter().map(|d| (key(d), *d)).collect();
        keyed.sort_by(|a, b| {
            let o = a.0.cmp(&b.0);
            if descending { o.reverse() } else { o }
        });
        *docs = keyed.into_iter().map(|(_, d)| d).collect();
    }
}

/// The command that moves every document of group `from` (and its subgroups) to `to`
/// (`2023/市委` → `2023/市政府` keeps `…/一季度` under it); `None` when no document is in it.
pub fn rename_group(ws: &Workspace, from: &str, to: &str) -> Option<Command> {
    let mut commands = Vec::new();
    for d in &ws.documents {
        let g = &d.meta.group;
        let rest = if g == from {
            ""
        } else if let Some(r) = g.strip_prefix(from).filter(|r| r.starts_with('/')) {
            r
        } else {
            continue;
        };
        let mut meta = d.meta.clone();
        meta.group = crate::model::normalize_group(&format!("{to}{rest}"));
        commands.push(Command::SetDocMeta(d.id, meta));
    }
    (!commands.is_empty()).then_some(Command::Batch {
        label: crate::model::ChangeKind::EditDocumentDetails,
        commands,
    })
}

/// Under the table, for the selected document: its occasion and place (the row edits the
/// rest), a button to read it, and a field to add an attribute to the workspace.
fn document_editor(
    ui: &mut Ui,
    ws: &Workspace,
    doc: &Document,
    new_attribute: &mut String,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    let mut meta = doc.meta.clone();
    let mut lost_focus = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new(doc.display_name()).strong());
        if ui.button(tr!("corpus.open_document")).clicked() {
            intents.push(Intent::Jump(doc.id, 0..0));
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("corpus-editor")
        .max_height(190.0)
        .show(ui, |ui| {
            // The details the table has no column for (the row edits the others).
            ui.horizontal(|ui| {
                for name in ["occasion", "place"] {
                    ui.label(attribute_label(name));
                    let mut v = meta.attribute(name).to_string();
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut v)
                            .desired_width(220.0)
                            .id_salt(("corpus-field", doc.id.0, name)),
                    );
                    lost_focus |= r.lost_focus();
                    if v != meta.attribute(name) {
                        meta.set_attribute(name, &v);
                    }
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label(tr!("corpus.new_attribute"));
                ui.add(
                    egui::TextEdit::singleline(new_attribute)
                        .hint_text(tr!("corpus.new_attribute_hint"))
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
                let name = new_attribute.trim().to_string();
                let ok = !name.is_empty()
                    && !ws.attributes.contains(&name)
                    && name != "title"
                    && name != "group"
                    && !crate::model::BUILTIN_ATTRIBUTES.contains(&name.as_str());
                if ui
                    .add_enabled(ok, egui::Button::new(tr!("corpus.add_attribute")))
                    .on_hover_text(tr!("corpus.add_attribute_tip"))
                    .clicked()
                {
                    let mut names = ws.attributes.clone();
                    names.push(name);
                    intents.push(Intent::Execute(Command::SetAttributeNames(names)));
                    new_attribute.clear();
                }
            });
        });
    intents.extend(super::intent::edit_doc_meta(
        doc.id,
        &doc.meta,
        meta,
        lost_focus,
        format!("corpus-meta-{}", doc.id.0),
    ));
    intents
}

/// One memo or note that contains the searched text.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoHit {
    /// Where it is: a document memo, a tag memo or an annotation's note.
    pub kind: MemoKind,
    /// The document to open (for a document memo or a note).
    pub doc: Option<DocId>,
    /// The passage of a note, to show.
    pub range: Option<std::ops::Range<usize>>,
    /// What it belongs to (document title, tag path).
    pub owner: String,
    /// The memo's text.
    pub text: String,
}

/// What a memo belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoKind {
    /// A document's memo.
    Document,
    /// A tag's memo.
    Tag,
    /// An annotation's note.
    Note,
}

/// Every document memo (of the filter's documents), tag memo and annotation note that
/// contains `needle` (all of them when it is empty).
pub fn search_memos(ws: &Workspace, filter: &DocFilter, needle: &str) -> Vec<MemoHit> {
    let needle = needle.trim().to_lowercase();
    let hit =
        |s: &str| !s.trim().is_empty() && (needle.is_empty() || s.to_lowercase().contains(&needle));
    let mut out = Vec::new();
    let kept: std::collections::HashSet<DocId> = filter.documents(ws).map(|d| d.id).collect();
    for d in filter.documents(ws) {
        if hit(&d.meta.memo) {
            out.push(MemoHit {
                kind: MemoKind::Document,
                doc: Some(d.id),
                range: None,
                owner: d.display_name(),
                text: d.meta.memo.clone(),
            });
        }
    }
    for t in &ws.tags {
        if hit(&t.memo) {
            out.push(MemoHit {
                kind: MemoKind::Tag,
                doc: None,
                range: None,
                owner: ws.tag_path(t.id),
                text: t.memo.clone(),
            });
        }
    }
    for a in &ws.annotations {
        if kept.contains(&a.doc) && hit(&a.note) {
            out.push(MemoHit {
                kind: MemoKind::Note,
                doc: Some(a.doc),
                range: Some(a.anchor.start.0..a.anchor.end.0),
                owner: format!(
                    "{} · {}",
                    ws.document(a.doc)
                        .map(|d| d.display_name())
                        .unwrap_or_default(),
                    crate::model::preview(&a.anchor.quote, 16)
                ),
                text: a.note.clone(),
            });
        }
    }
    out
}

/// The most memos and notes the Memos tab lists (a search narrows them).
const MAX_MEMO_HITS: usize = 300;

/// The Memos tab: the workspace memo, and every memo and note containing a search text.
pub fn memos_view(ui: &mut Ui, cx: &ViewContext<'_>, state: &mut CorpusState) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.label(RichText::new(tr!("memo.workspace")).strong());
    let mut memo = cx.ws.memo.clone();
    let r = ui.add(
        egui::TextEdit::multiline(&mut memo)
            .hint_text(tr!("memo.workspace_hint"))
            .desired_rows(6)
            .desired_width(f32::INFINITY)
            .id_salt("workspace-memo"),
    );
    if memo != cx.ws.memo {
        intents.push(Intent::ExecuteCoalesced(
            Command::SetWorkspaceMemo(memo),
            "workspace-memo".into(),
        ));
    }
    if r.lost_focus() {
        intents.push(Intent::EndTyping);
    }
    ui.separator();
    ui.horizontal(|ui| {
        ui.label(tr!("memo.search"));
        ui.add(egui::TextEdit::singleline(&mut state.memo_search).desired_width(220.0));
    });
    let hits = search_memos(cx.ws, &state.filter, &state.memo_search);
    ui.label(RichText::new(tr!("memo.hits", n = hits.len())).weak());
    if hits.len() > MAX_MEMO_HITS {
        ui.label(RichText::new(tr!("memo.first_hits", n = MAX_MEMO_HITS)).weak());
    }
    egui::ScrollArea::vertical()
        .id_salt("memo-hits")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for h in hits.iter().take(MAX_MEMO_HITS) {
                let kind = match h.kind {
                    MemoKind::Document => tr!("memo.of_document"),
                    MemoKind::Tag => tr!("memo.of_tag"),
                    MemoKind::Note => tr!("memo.of_note"),
                };
                ui.horizontal(|ui| {
                    ui.label(RichText::new(kind).small().weak());
                    match h.doc {
                        Some(doc) => {
                            if ui.link(&h.owner).clicked() {
                                intents.push(Intent::Jump(doc, h.range.clone().unwrap_or(0..0)));
                            }
                        }
                        None => {
                            ui.label(RichText::new(&h.owner).strong());
                        }
                    }
                });
                ui.label(crate::model::preview(&h.text, 200));
                ui.add_space(4.0);
            }
        });
    intents
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocMeta, Origin};

    #[test]
    fn groups_include_the_folders_above() {
        let mut ws = Workspace::new();
        for g in ["2023/市委/一季度", "2024", ""] {
            let meta = DocMeta {
                group: g.into(),
                ..Default::default()
            };
            ws.apply(Command::AddDocument(Box::new(Document::new(
                format!("正文{g}"),
                Origin::default(),
                meta,
            ))))
            .unwrap();
        }
        assert_eq!(
            groups(&ws),
            ["2023", "2023/市委", "2023/市委/一季度", "2024"]
        );
    }

    #[test]
    fn renaming_a_group_moves_its_subgroups_in_one_step() {
        let mut ws = Workspace::new();
        for g in ["2023/市委", "2023/市委/一季度", "2023/市委二", "2024"] {
            let meta = DocMeta {
                group: g.into(),
                ..Default::default()
            };
            ws.apply(Command::AddDocument(Box::new(Document::new(
                format!("正文{g}"),
                Origin::default(),
                meta,
            ))))
            .unwrap();
        }
        let undo = ws
            .apply(rename_group(&ws, "2023/市委", "2023/市政府").unwrap())
            .unwrap();
        let mut got: Vec<&str> = ws.documents.iter().map(|d| d.meta.group.as_str()).collect();
        got.sort();
        assert_eq!(
            got,
            ["2023/市委二", "2023/市政府", "2023/市政府/一季度", "2024"]
        );
        ws.apply(undo).unwrap();
        assert!(rename_group(&ws, "没有", "x").is_none());
    }

    #[test]
    fn the_table_sorts_by_text_and_by_number() {
        let mut ws = Workspace::new();
        for (title, date, text) in [
            ("乙", "2023-05", "一二三"),
            ("甲", "2021", "一"),
            ("丙", "2022-01-02", "一二"),
        ] {
            let meta = DocMeta {
                title: title.into(),
                date: date.into(),
                ..Default::default()
            };
            ws.apply(Command::AddDocument(Box::new(Document::new(
                text.into(),
                Origin::default(),
                meta,
            ))))
            .unwrap();
        }
        let counts = Default::default();
        let titles = |docs: &[&Document]| {
            docs.iter()
                .map(|d| d.meta.title.clone())
                .collect::<Vec<_>>()
        };
        let mut docs: Vec<&Document> = ws.documents.iter().map(|d| &**d).collect();
        sort_documents(&mut docs, 3, false, &[], &counts);
        assert_eq!(titles(&docs), ["甲", "丙", "乙"], "by date");
        sort_documents(&mut docs, 7, true, &[], &counts);
        assert_eq!(titles(&docs), ["乙", "丙", "甲"], "by chars, most first");
    }

    #[test]
    fn memo_search_finds_documents_tags_and_notes() {
        let mut ws = crate::sample::sample_workspace();
        let d = ws.documents[0].id;
        let mut meta = ws.documents[0].meta.clone();
        meta.memo = "与2008年讲话对照".into();
        ws.apply(Command::SetDocMeta(d, meta)).unwrap();
        let mut t = ws.tags[0].clone();
        t.memo = "对照时注意提法变化".into();
        ws.apply(Command::SetTag(Box::new(t))).unwrap();
        let hits = search_memos(&ws, &DocFilter::default(), "对照");
        let kinds: Vec<MemoKind> = hits.iter().map(|h| h.kind).collect();
        assert!(kinds.contains(&MemoKind::Document) && kinds.contains(&MemoKind::Tag));
        let none = DocFilter {
            text: "不存在的标题".into(),
            ..Default::default()
        };
        assert!(
            search_memos(&ws, &none, "对照")
                .iter()
                .all(|h| h.kind == MemoKind::Tag)
        );
    }
}
