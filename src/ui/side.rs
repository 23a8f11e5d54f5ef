//! The side panel: annotations (with orphans), codebook, retrieval, document details.

use egui::{Color32, RichText, Ui};

use crate::model::{Command, PALETTE, Tag, TagId, Workspace};

use super::annotate::{AnnKindFilter, SideTab, color_of};
use super::app::YinwenApp;
use super::i18n::tr;
use super::intent::{Intent, ViewContext};

/// Shows the side panel's tabs and the chosen tab.
pub fn show(app: &mut YinwenApp, ui: &mut Ui) {
    let orphans = app.current.map_or(0, |d| {
        app.ws().annotations_of(d).filter(|a| a.orphan).count()
    });
    ui.horizontal_wrapped(|ui| {
        let ann_label = if orphans > 0 {
            tr!("tab.annotations_orphans", n = orphans)
        } else {
            tr!("tab.annotations")
        };
        ui.selectable_value(&mut app.ann_ui.tab, SideTab::Annotations, ann_label);
        ui.selectable_value(&mut app.ann_ui.tab, SideTab::Codebook, tr!("tab.codebook"));
        ui.selectable_value(&mut app.ann_ui.tab, SideTab::Retrieve, tr!("tab.retrieve"));
        ui.selectable_value(
            &mut app.ann_ui.tab,
            SideTab::Directives,
            tr!("tab.directives"),
        );
        ui.selectable_value(&mut app.ann_ui.tab, SideTab::Sources, tr!("tab.sources"));
        ui.selectable_value(&mut app.ann_ui.tab, SideTab::Library, tr!("tab.library"));
        ui.selectable_value(&mut app.ann_ui.tab, SideTab::Details, tr!("tab.details"));
    });
    ui.separator();
    // Another tab starts at its top, not at the scroll position of the tab before.
    let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if app.ann_ui.shown_tab != Some(app.ann_ui.tab) {
        app.ann_ui.shown_tab = Some(app.ann_ui.tab);
        area = area.vertical_scroll_offset(0.0);
    }
    area.show(ui, |ui| match app.ann_ui.tab {
        SideTab::Annotations => annotations_tab(app, ui),
        SideTab::Codebook => codebook_tab(app, ui),
        SideTab::Retrieve => retrieve_tab(app, ui),
        SideTab::Details => details_tab(app, ui),
        SideTab::Directives => super::directives::directives_tab(app, ui),
        SideTab::Sources => super::directives::sources_tab(app, ui),
        SideTab::Library => super::library::library_tab(app, ui),
    });
}

fn swatch(ui: &mut Ui, color: Color32, selected: bool) -> egui::Response {
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(18.0, 18.0), egui::Sense::click());
    ui.painter().rect_filled(rect.shrink(2.0), 3.0, color);
    if selected {
        ui.painter().rect_stroke(
            rect,
            3.0,
            egui::Stroke::new(2.0, ui.visuals().strong_text_color()),
            egui::StrokeKind::Inside,
        );
    }
    resp
}

fn short(s: &str, n: usize) -> String {
    crate::model::preview(s, n)
}

fn tag_chip(ui: &mut Ui, tag: &Tag) {
    let c = color_of(&tag.color);
    ui.label(RichText::new(format!("● {}", tag.name)).color(c).small());
}

/// Checkboxes for every tag in tree order (indented, in the tag's colour); returns the tag
/// the user toggled and its new state.
fn tag_checklist(
    ws: &Workspace,
    ui: &mut Ui,
    is_on: impl Fn(TagId) -> bool,
) -> Option<(TagId, bool)> {
    let mut toggled = None;
    for (depth, t) in ws.tag_tree() {
        ui.horizontal(|ui| {
            ui.add_space(depth as f32 * 14.0);
            let mut on = is_on(t.id);
            if ui
                .checkbox(&mut on, RichText::new(&t.name).color(color_of(&t.color)))
                .changed()
            {
                toggled = Some((t.id, on));
            }
        });
    }
    toggled
}

fn annotations_tab(app: &mut YinwenApp, ui: &mut Ui) {
    let Some(doc_id) = app.current else {
        ui.label(tr!("ann.no_document"));
        return;
    };
    let has_sel = app.selection_range().is_some();
    let (cx, state, _) = app.annotations_parts();
    let intents = annotations_head_view(ui, &cx, state, has_sel);
    app.apply_intents(intents);
    // The directive editor of a selected directive.
    let editor = app
        .ann_ui
        .selected
        .and_then(|id| app.ws().annotation(id))
        .filter(|ann| ann.directive.is_some())
        .map(|ann| {
            ui.separator();
            let cx = app.view_context();
            let found = super::directives::FoundView {
                has_library: app.lib_ui.library.is_some(),
                found: app.lib_ui.found.get(&ann.id).map(|v| v.as_slice()),
                misattributed: super::library::misattribution_of(app, ann.id),
            };
            let intents = super::directives::directive_editor_view(
                ui,
                &cx,
                app.dir_ui.last_diff.as_ref(),
                ann,
                &found,
            );
            ui.separator();
            intents
        });
    if let Some(intents) = editor {
        app.apply_intents(intents);
    }
    let (cx, state, reader) = app.annotations_parts();
    let intents = annotations_list_view(ui, &cx, state, reader, doc_id, has_sel);
    app.apply_intents(intents);
}

/// The top of the Annotations tab: highlight or annotate the selection, the colour for new
/// highlights, and the editor of the selected annotation (note, colour, tags).
pub fn annotations_head_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    state: &mut super::annotate::AnnotationUi,
    has_selection: bool,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(has_selection, egui::Button::new(tr!("ann.highlight")))
            .on_hover_text(tr!("ann.highlight_tip"))
            .on_disabled_hover_text(tr!("ann.select_first"))
            .clicked()
        {
            intents.push(Intent::AnnotateSelection { write_note: false });
        }
        if ui
            .add_enabled(has_selection, egui::Button::new(tr!("ann.annotate")))
            .on_hover_text(tr!("ann.annotate_tip"))
            .clicked()
        {
            intents.push(Intent::AnnotateSelection { write_note: true });
        }
        if ui
            .add_enabled(has_selection, egui::Button::new(tr!("lib.find_in_library")))
            .on_hover_text(tr!("lib.find_in_library_tip"))
            .clicked()
        {
            intents.push(Intent::FindInLibrary);
        }
        for c in PALETTE {
            let sel = state.color == c || (state.color.is_empty() && c == PALETTE[0]);
            if swatch(ui, color_of(c), sel)
                .on_hover_text(tr!("ann.colour_tip"))
                .clicked()
            {
                state.color = c.to_string();
            }
        }
    });
    ui.separator();
    if let Some(ann) = state.selected.and_then(|id| cx.ws.annotation(id)) {
        annotation_editor(ui, cx, state, ann, &mut intents);
    }
    intents
}

/// The rest of the Annotations tab: the selected annotation's Delete, the filters, the list
/// of the document's annotations (a click shows the passage) and its orphans.
pub fn annotations_list_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    state: &mut super::annotate::AnnotationUi,
    reader: Option<&super::reader::ReaderState>,
    doc_id: crate::model::DocId,
    has_selection: bool,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    if let Some(id) = state.selected.filter(|id| cx.ws.annotation(*id).is_some()) {
        if ui
            .button(tr!("ann.delete"))
            .on_hover_text(tr!("ann.delete_tip"))
            .clicked()
        {
            intents.push(Intent::DeleteAnnotation(id));
        }
        ui.separator();
    }
    // Filters.
    {
        let tag_name = state
            .filter_tag
            .map_or_else(|| tr!("ann.all_tags"), |t| cx.ws.tag_path(t));
        egui::ComboBox::new("ann-filter-tag", tr!("ann.show_tag"))
            .selected_text(tag_name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter_tag, None, tr!("ann.all_tags"));
                for (depth, t) in cx.ws.tag_tree() {
                    let label = format!("{}{}", "  ".repeat(depth), t.name);
                    ui.selectable_value(&mut state.filter_tag, Some(t.id), label);
                }
            });
        let kind_label = |k: AnnKindFilter| match k {
            AnnKindFilter::All => tr!("ann.kind_all"),
            AnnKindFilter::WithNote => tr!("ann.kind_with_note"),
            AnnKindFilter::Untagged => tr!("ann.kind_untagged"),
        };
        egui::ComboBox::new("ann-filter-kind", tr!("ann.show_kind"))
            .selected_text(kind_label(state.filter_kind))
            .show_ui(ui, |ui| {
                for k in [
                    AnnKindFilter::All,
                    AnnKindFilter::WithNote,
                    AnnKindFilter::Untagged,
                ] {
                    ui.selectable_value(&mut state.filter_kind, k, kind_label(k));
                }
            });
    }
    let allowed: Option<Vec<TagId>> = state.filter_tag.map(|t| cx.ws.tag_with_descendants(t));
    let mut anns: Vec<_> = cx
        .ws
        .annotations_of(doc_id)
        .filter(|a| !a.orphan)
        .filter(|a| {
            allowed
                .as_ref()
                .is_none_or(|al| a.tags.iter().any(|t| al.contains(t)))
        })
        .filter(|a| match state.filter_kind {
            AnnKindFilter::All => true,
            AnnKindFilter::WithNote => !a.note.trim().is_empty(),
            AnnKindFilter::Untagged => a.tags.is_empty(),
        })
        .collect();
    anns.sort_by_key(|a| (a.anchor.start, a.id));
    ui.label(RichText::new(tr!("ann.count", n = anns.len())).weak());
    for a in anns {
        let selected = state.selected == Some(a.id);
        let frame = egui::Frame::group(ui.style()).fill(if selected {
            ui.visuals().selection.bg_fill.gamma_multiply(0.35)
        } else {
            Color32::TRANSPARENT
        });
        let r = frame
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                let para = reader.map_or(0, |v| v.paragraph_at(a.anchor.start.0) + 1);
                ui.horizontal(|ui| {
                    ui.painter().rect_filled(
                        egui::Rect::from_min_size(ui.cursor().min, egui::vec2(4.0, 16.0)),
                        1.0,
                        color_of(&a.color),
                    );
                    ui.add_space(8.0);
                    ui.label(RichText::new(tr!("common.para", n = para)).weak());
                    ui.label(short(&a.anchor.quote, 30));
                });
                if let Some(was) = &a.anchor.was {
                    ui.label(
                        RichText::new(tr!("ann.was", quote = short(was, 30)))
                            .color(Color32::from_rgb(211, 84, 0))
                            .small(),
                    );
                }
                ui.horizontal_wrapped(|ui| {
                    for t in &a.tags {
                        if let Some(tag) = cx.ws.tag(*t) {
                            tag_chip(ui, tag);
                        }
                    }
                });
                if !a.note.is_empty() {
                    ui.label(RichText::new(short(&a.note, 60)).weak());
                }
            })
            .response
            .interact(egui::Sense::click());
        if r.clicked() {
            intents.push(Intent::Select(a.id));
            intents.push(Intent::Jump(a.doc, a.anchor.range()));
        }
    }
    orphans_section(ui, cx, doc_id, has_selection, &mut intents);
    intents
}

/// The editor of the selected annotation: its passage (and what it was, with Accept change),
/// note (typing is one undo step), colour and tags.
fn annotation_editor(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    state: &mut super::annotate::AnnotationUi,
    ann: &crate::model::Annotation,
    intents: &mut Vec<Intent>,
) {
    let id = ann.id;
    let set = |a: crate::model::Annotation| Intent::Execute(Command::SetAnnotation(Box::new(a)));
    ui.label(RichText::new(tr!("ann.selected")).strong());
    ui.label(RichText::new(format!("“{}”", short(&ann.anchor.quote, 80))).weak());
    if let Some(was) = &ann.anchor.was {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(tr!("ann.was", quote = short(was, 80)))
                    .color(Color32::from_rgb(211, 84, 0)),
            );
            if ui
                .button(tr!("ann.accept_change"))
                .on_hover_text(tr!("ann.accept_change_tip"))
                .clicked()
            {
                let mut a = ann.clone();
                a.anchor.was = None;
                intents.push(set(a));
            }
        });
    }
    let mut note = ann.note.clone();
    let resp = ui.add(
        egui::TextEdit::multiline(&mut note)
            .hint_text(tr!("ann.note_hint"))
            .desired_rows(3)
            .desired_width(f32::INFINITY)
            .id_salt(("note", id.0)),
    );
    if state.focus_note {
        resp.request_focus();
        state.focus_note = false;
    }
    if note != ann.note {
        let mut a = ann.clone();
        a.note = note;
        intents.push(Intent::ExecuteCoalesced(
            Command::SetAnnotation(Box::new(a)),
            format!("note-{}", id.0),
        ));
    }
    if resp.lost_focus() {
        intents.push(Intent::EndTyping);
    }
    ui.horizontal(|ui| {
        ui.label(tr!("ann.colour"));
        for c in PALETTE {
            if swatch(ui, color_of(c), ann.color == c).clicked() && ann.color != c {
                let mut a = ann.clone();
                a.color = c.to_string();
                intents.push(set(a));
            }
        }
    });
    ui.label(tr!("ann.tags"));
    if cx.ws.tags.is_empty() {
        ui.label(RichText::new(tr!("ann.no_tags")).weak());
    }
    if let Some((tid, _)) = tag_checklist(cx.ws, ui, |t| ann.tags.contains(&t)) {
        let mut a = ann.clone();
        if let Some(i) = a.tags.iter().position(|t| *t == tid) {
            a.tags.remove(i);
        } else {
            a.tags.push(tid);
        }
        intents.push(set(a));
    }
}

/// The document's orphans: annotations whose passage was lost, to re-attach or delete.
fn orphans_section(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    doc_id: crate::model::DocId,
    has_selection: bool,
    intents: &mut Vec<Intent>,
) {
    let orphans: Vec<_> = cx.ws.annotations_of(doc_id).filter(|a| a.orphan).collect();
    if orphans.is_empty() {
        return;
    }
    ui.separator();
    ui.label(
        RichText::new(tr!("ann.orphans", n = orphans.len()))
            .strong()
            .color(ui.visuals().warn_fg_color),
    );
    ui.label(RichText::new(tr!("ann.orphans_explained")).weak());
    for a in orphans {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(format!("“{}”", short(&a.anchor.quote, 60)));
            if !a.note.is_empty() {
                ui.label(RichText::new(short(&a.note, 60)).weak());
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(has_selection, egui::Button::new(tr!("ann.reattach")))
                    .clicked()
                {
                    intents.push(Intent::Reattach(a.id));
                }
                if ui.button(tr!("common.delete")).clicked() {
                    intents.push(Intent::DeleteAnnotation(a.id));
                }
            });
        });
    }
}

fn codebook_tab(app: &mut YinwenApp, ui: &mut Ui) {
    let (cx, state) = app.codebook_parts();
    let intents = codebook_view(ui, &cx, state);
    app.apply_intents(intents);
}

/// The Codebook tab: hierarchical tags with colour, description and usage count; add,
/// rename, recolour, move, merge, delete (after confirmation); REFI-QDA import and export.
pub fn codebook_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    state: &mut super::annotate::CodebookState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label(tr!("codebook.new_tag"));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_tag_name)
                    .hint_text(tr!("codebook.name_hint"))
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
        let enter = super::enter_pressed(ui, &field);
        let name = state.new_tag_name.trim().to_string();
        if (ui.button(tr!("codebook.add_tag")).clicked() || enter) && !name.is_empty() {
            intents.push(Intent::AddTag {
                name: name.clone(),
                parent: None,
            });
        }
        let parent = state.tag_selected;
        if ui
            .add_enabled(
                parent.is_some() && !name.is_empty(),
                egui::Button::new(tr!("codebook.add_child")),
            )
            .on_hover_text(tr!("codebook.add_child_tip"))
            .clicked()
        {
            intents.push(Intent::AddTag { name, parent });
        }
    });
    ui.horizontal(|ui| {
        if ui
            .button(tr!("codebook.import"))
            .on_hover_text(tr!("codebook.import_tip"))
            .clicked()
        {
            intents.push(Intent::OpenFile(
                super::dialogs::FilePurpose::ImportCodebook,
            ));
        }
        if ui
            .button(tr!("codebook.export"))
            .on_hover_text(tr!("codebook.export_tip"))
            .clicked()
        {
            intents.push(Intent::OpenFile(
                super::dialogs::FilePurpose::ExportCodebook,
            ));
        }
    });
    ui.separator();
    let usage = cx.ws.tag_usage();
    let tree: Vec<(usize, &Tag)> = cx.ws.tag_tree();
    if tree.is_empty() {
        ui.label(RichText::new(tr!("codebook.empty")).weak());
    }
    for (depth, t) in &tree {
        ui.horizontal(|ui| {
            ui.add_space(*depth as f32 * 14.0);
            swatch(ui, color_of(&t.color), false);
            let sel = state.tag_selected == Some(t.id);
            let n = usage.get(&t.id).copied().unwrap_or(0);
            if ui
                .selectable_label(sel, format!("{}  ({n})", t.name))
                .on_hover_text(if t.description.is_empty() {
                    tr!("codebook.no_description")
                } else {
                    t.description.clone()
                })
                .clicked()
            {
                state.tag_selected = Some(t.id);
            }
        });
    }
    if let Some(tid) = state.tag_selected
        && let Some(tag) = cx.ws.tag(tid)
    {
        ui.separator();
        tag_editor(ui, cx, state, tag, &tree, &mut intents);
    }
    intents
}

fn tag_editor(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    state: &mut super::annotate::CodebookState,
    tag: &Tag,
    tree: &[(usize, &Tag)],
    intents: &mut Vec<Intent>,
) {
    let set = |t: Tag| Intent::Execute(Command::SetTag(Box::new(t)));
    ui.label(RichText::new(tr!("codebook.tag", path = cx.ws.tag_path(tag.id))).strong());
    let mut name = tag.name.clone();
    ui.horizontal(|ui| {
        ui.label(tr!("codebook.name"));
        let r = ui.add(egui::TextEdit::singleline(&mut name).id_salt(("tag-name", tag.id.0)));
        if r.lost_focus() && name.trim() != tag.name && !name.trim().is_empty() {
            let mut t = tag.clone();
            t.name = name.trim().to_string();
            intents.push(set(t));
        }
    });
    ui.horizontal(|ui| {
        ui.label(tr!("ann.colour"));
        for c in PALETTE {
            if swatch(ui, color_of(c), tag.color.eq_ignore_ascii_case(c)).clicked() {
                let mut t = tag.clone();
                t.color = c.to_string();
                intents.push(set(t));
            }
        }
    });
    let mut desc = tag.description.clone();
    let r = ui.add(
        egui::TextEdit::multiline(&mut desc)
            .hint_text(tr!("codebook.description_hint"))
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .id_salt(("tag-desc", tag.id.0)),
    );
    if desc != tag.description {
        let mut t = tag.clone();
        t.description = desc;
        intents.push(Intent::ExecuteCoalesced(
            Command::SetTag(Box::new(t)),
            format!("tag-desc-{}", tag.id.0),
        ));
    }
    if r.lost_focus() {
        intents.push(Intent::EndTyping);
    }
    let mut memo = tag.memo.clone();
    let r = ui.add(
        egui::TextEdit::multiline(&mut memo)
            .hint_text(tr!("memo.tag_hint"))
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .id_salt(("tag-memo", tag.id.0)),
    );
    if memo != tag.memo {
        let mut t = tag.clone();
        t.memo = memo;
        intents.push(Intent::ExecuteCoalesced(
            Command::SetTag(Box::new(t)),
            format!("tag-memo-{}", tag.id.0),
        ));
    }
    if r.lost_focus() {
        intents.push(Intent::EndTyping);
    }
    let subtree = cx.ws.tag_with_descendants(tag.id);
    ui.horizontal(|ui| {
        let current = tag
            .parent
            .map_or_else(|| tr!("codebook.top_level"), |p| cx.ws.tag_path(p));
        let mut new_parent = tag.parent;
        egui::ComboBox::new("tag-parent", tr!("codebook.parent"))
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut new_parent, None, tr!("codebook.top_level"));
                for (depth, t) in tree {
                    if !subtree.contains(&t.id) {
                        ui.selectable_value(
                            &mut new_parent,
                            Some(t.id),
                            format!("{}{}", "  ".repeat(*depth), t.name),
                        );
                    }
                }
            });
        if new_parent != tag.parent {
            let mut t = tag.clone();
            t.parent = new_parent;
            intents.push(set(t));
        }
    });
    ui.horizontal(|ui| {
        let mut target: Option<TagId> = None;
        egui::ComboBox::new("tag-merge", tr!("common.merge_into"))
            .selected_text(tr!("codebook.choose_tag"))
            .show_ui(ui, |ui| {
                for (_, t) in tree {
                    if t.id != tag.id {
                        ui.selectable_value(&mut target, Some(t.id), cx.ws.tag_path(t.id));
                    }
                }
            });
        if let Some(into) = target {
            match cx.ws.merge_tags(tag.id, into) {
                Ok(cmd) => {
                    intents.push(Intent::Execute(cmd));
                    intents.push(Intent::SelectTag(into));
                }
                Err(e) => intents.push(Intent::Error(e.to_string())),
            }
        }
        if ui.button(tr!("codebook.delete_tag")).clicked() {
            state.confirm_delete = Some(tag.id);
        }
    });
    if state.confirm_delete == Some(tag.id) {
        let n = cx.ws.tag_usage().get(&tag.id).copied().unwrap_or(0);
        ui.colored_label(
            ui.visuals().warn_fg_color,
            tr!("codebook.delete_confirm", name = tag.name, n = n),
        );
        ui.horizontal(|ui| {
            if ui.button(tr!("common.delete")).clicked() {
                intents.push(Intent::Execute(Command::RemoveTag(tag.id)));
                state.confirm_delete = None;
            }
            if ui.button(tr!("codebook.keep")).clicked() {
                state.confirm_delete = None;
            }
        });
    }
}

fn retrieve_tab(app: &mut YinwenApp, ui: &mut Ui) {
    app.ann_ui.retrieve.filter = app.corpus.filter.clone();
    let (cx, state) = app.retrieve_parts();
    let intents = retrieve_view(ui, &cx, state);
    app.apply_intents(intents);
}

/// The Retrieve tab: every passage carrying all of / any of some tags, across the workspace,
/// with context; a click shows the passage.
pub fn retrieve_view(
    ui: &mut Ui,
    cx: &ViewContext<'_>,
    state: &mut super::annotate::RetrieveState,
) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.label(tr!("retrieve.explained"));
    match tag_checklist(cx.ws, ui, |t| state.tags.contains(&t)) {
        Some((tid, true)) => {
            state.tags.insert(tid);
        }
        Some((tid, false)) => {
            state.tags.remove(&tid);
        }
        None => {}
    }
    ui.horizontal(|ui| {
        ui.radio_value(&mut state.all_of, false, tr!("retrieve.any_of"));
        ui.radio_value(&mut state.all_of, true, tr!("retrieve.all_of"));
    });
    ui.separator();
    let mut results = cx.ws.retrieve(&state.tags, state.all_of);
    if !state.filter.is_empty() {
        results.retain(|a| {
            cx.ws
                .document(a.doc)
                .is_some_and(|d| state.filter.matches(d))
        });
        ui.label(
            RichText::new(tr!(
                "retrieve.filtered",
                n = state.filter.documents(cx.ws).count(),
                m = cx.ws.documents.len()
            ))
            .weak(),
        );
    }
    ui.label(RichText::new(tr!("retrieve.count", n = results.len())).strong());
    for a in results {
        let doc_name = cx
            .ws
            .document(a.doc)
            .map_or_else(String::new, |d| d.display_name());
        let (before, after) = cx.ws.context_of(a, 24);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(doc_name).weak().small());
            let text = format!(
                "…{before}【{}】{after}…",
                a.anchor.quote.replace('\n', " ¶ ")
            );
            if ui
                .add(egui::Label::new(text).sense(egui::Sense::click()))
                .on_hover_text(tr!("retrieve.show_tip"))
                .clicked()
            {
                intents.push(Intent::Select(a.id));
                intents.push(Intent::Jump(a.doc, a.anchor.range()));
            }
            if !a.note.is_empty() {
                ui.label(RichText::new(short(&a.note, 80)).weak());
            }
        });
    }
    intents
}

fn details_tab(app: &mut YinwenApp, ui: &mut Ui) {
    let intents = details_view(ui, &app.view_context());
    app.apply_intents(intents);
}

/// The Details tab: the current document's title, speaker, date, occasion, place and tags.
/// Reads the workspace, returns the edits (typing in a field is one undo step).
pub fn details_view(ui: &mut Ui, cx: &ViewContext<'_>) -> Vec<Intent> {
    let mut intents = Vec::new();
    let Some(doc) = cx.current.and_then(|id| cx.ws.document(id)) else {
        ui.label(tr!("details.no_document"));
        return intents;
    };
    ui.label(RichText::new(doc.display_name()).strong());
    ui.label(
        RichText::new(format!(
            "{} · {}",
            doc.origin
                .path
                .clone()
                .unwrap_or_else(|| tr!("doclist.no_file")),
            doc.origin.encoding
        ))
        .weak()
        .small(),
    );
    let mut meta = doc.meta.clone();
    let mut lost_focus = false;
    egui::Grid::new("meta").num_columns(2).show(ui, |ui| {
        let mut field = |ui: &mut Ui, label: &str, value: &mut String, hint: &str| {
            ui.label(label);
            let r = ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(200.0),
            );
            lost_focus |= r.lost_focus();
            ui.end_row();
        };
        field(ui, &tr!("field.title"), &mut meta.title, "讲话或文件标题");
        field(
            ui,
            &tr!("field.speaker_issuer"),
            &mut meta.speaker,
            "胡锦涛 / 国务院",
        );
        field(ui, &tr!("field.date"), &mut meta.date, "2007-05-16");
        field(ui, &tr!("field.occasion"), &mut meta.occasion, "在……会议上");
        field(ui, &tr!("field.place"), &mut meta.place, "长春");
        field(ui, &tr!("field.group"), &mut meta.group, "2023/市委");
        field(
            ui,
            &tr!("field.level"),
            &mut meta.level,
            "中央 / 省 / 市 / 县",
        );
        field(ui, &tr!("field.region"), &mut meta.region, "吉林省长春市");
        field(ui, &tr!("field.kind"), &mut meta.kind, "讲话 / 报告 / 通知");
        for name in &cx.ws.attributes {
            let mut v = meta.attribute(name).to_string();
            field(ui, name, &mut v, "");
            if v != meta.attribute(name) {
                meta.set_attribute(name, &v);
            }
        }
    });
    ui.label(tr!("memo.document"));
    let r = ui.add(
        egui::TextEdit::multiline(&mut meta.memo)
            .hint_text(tr!("memo.document_hint"))
            .desired_rows(4)
            .desired_width(f32::INFINITY)
            .id_salt(("doc-memo", doc.id.0)),
    );
    lost_focus |= r.lost_focus();
    intents.extend(super::intent::edit_doc_meta(
        doc.id,
        &doc.meta,
        meta.clone(),
        lost_focus,
        format!("meta-{}", doc.id.0),
    ));
    ui.label(tr!("details.document_tags"));
    if let Some((tid, on)) = tag_checklist(cx.ws, ui, |t| meta.tags.contains(&t)) {
        let mut m = meta.clone();
        if on {
            m.tags.push(tid);
        } else {
            m.tags.retain(|x| *x != tid);
        }
        intents.push(Intent::Execute(Command::SetDocMeta(doc.id, m)));
    }
    intents
}
