//! The main window: menus, document list, reading view, notices and status bar.

use egui::{Panel, RichText};

use super::actions::{Action, Menu};
use super::app::YinwenApp;
use super::i18n::{Language, tr};
use super::{dialogs, reader, side};
use crate::model::ChangeKind;

impl eframe::App for YinwenApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        super::i18n::set_current(self.language());
        let ctx = ui.ctx().clone();
        self.poll_jobs(&ctx);
        self.handle_dropped_files(&ctx);
        self.check_fonts(&ctx);
        self.handle_keys(&ctx);
        self.handle_close_request(&ctx);
        self.autosave_tick(&ctx);
        self.sync_title(&ctx);

        Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        self.notices_panel(ui);
        if self.settings.show_document_list && self.ws().documents.len() > 1 {
            Panel::left("documents")
                .resizable(true)
                .default_size(220.0)
                .show(ui, |ui| self.document_list(ui));
        }
        if !self.ann_ui.hidden && self.current.is_some() && !self.corpus.open {
            Panel::right("side")
                .resizable(true)
                .default_size(330.0)
                .show(ui, |ui| side::show(self, ui));
        }
        if !self.corpus.open {
            super::review::show_dock(self, ui);
        }
        super::directives::offer_existing_window(self, &ctx);
        if self.search.open && self.current.is_some() {
            Panel::top("search").show(ui, |ui| self.search_bar(ui));
        }
        let marks = self.current.map(|d| self.marks_for(d)).unwrap_or_default();
        let marks: &[reader::Mark] = &marks;
        let (hits, current_hit) = self.current.map(|d| self.hits_in(d)).unwrap_or_default();
        let mut out = None;
        if self.corpus.open {
            egui::CentralPanel::default().show(ui, |ui| super::corpus::show(self, ui));
            self.drop_overlay(&ctx);
            dialogs::show(self, &ctx);
            super::recovery::show(self, &ctx);
            super::merge_dialog::show(self, &ctx);
            super::shared_file::show(self, &ctx);
            if self.jobs.busy() {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            return;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let size = self.settings.text_size;
            let overlay = reader::Overlay {
                marks,
                hits: &hits,
                current_hit,
                column_chars: self.settings.column_chars,
            };
            match self.current_view() {
                Some((doc, view)) => out = Some(reader::show(ui, doc, view, size, &overlay)),
                None => self.start_page(ui),
            }
        });
        if let Some(out) = out {
            self.reader_interactions(out);
        }
        self.drop_overlay(&ctx);
        dialogs::show(self, &ctx);
        super::recovery::show(self, &ctx);
        super::merge_dialog::show(self, &ctx);
        super::library::viewer_window(self, &ctx);
        super::shared_file::show(self, &ctx);
        if self.jobs.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
    }
}

impl YinwenApp {
    fn handle_keys(&mut self, ctx: &egui::Context) {
        // Behind a modal dialog no shortcut acts: the dialog has the keys.
        if self.modal_open() {
            return;
        }
        // Any focused widget keeps Select all, Delete and Copy; only a text field keeps its
        // own undo (the Directive table, a button or a checkbox with the focus do not).
        let text_focus = ctx.memory(|m| m.focused().is_some());
        let text_edit_focus = ctx.text_edit_focused();
        // Shortcuts with more modifiers first, so Ctrl+Shift+Z is not taken as Ctrl+Z.
        let mut all: Vec<(Action, egui::KeyboardShortcut)> = Action::all()
            .filter(|a| a.handled_as_key())
            .flat_map(|a| a.shortcuts().iter().map(move |s| (a, *s)))
            .collect();
        all.sort_by_key(|(_, s)| {
            std::cmp::Reverse(
                s.modifiers.shift as u8 + s.modifiers.alt as u8 + s.modifiers.command as u8,
            )
        });
        let mut fired = Vec::new();
        ctx.input_mut(|i| {
            for (a, s) in &all {
                // Let text fields keep their own undo and select-all.
                let kept = match a {
                    Action::Undo | Action::Redo => text_edit_focus,
                    Action::SelectAll | Action::DeleteAnnotation => text_focus,
                    _ => false,
                };
                if kept {
                    continue;
                }
                if i.consume_shortcut(s) {
                    fired.push(*a);
                }
            }
        });
        let copy =
            !text_focus && ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)));
        if copy {
            fired.push(Action::Copy);
        }
        for a in fired {
            if self.enabled(a) || matches!(a, Action::Undo | Action::Redo) {
                self.perform(ctx, a);
            }
        }
    }

    /// Hover tooltips, clicks on annotations and the context menu of the text.
    fn reader_interactions(&mut self, out: reader::ReaderOutput) {
        let Some(doc) = self.current else { return };
        if let Some(c) = out.clicked_char {
            let under: Vec<_> = self.annotations_at(doc, c).iter().map(|a| a.id).collect();
            if let Some(first) = under.first() {
                // clicking again cycles through overlapping annotations
                let next = match self
                    .ann_ui
                    .selected
                    .and_then(|s| under.iter().position(|x| *x == s))
                {
                    Some(i) => under[(i + 1) % under.len()],
                    None => *first,
                };
                self.ann_ui.selected = Some(next);
                self.ann_ui.tab = super::annotate::SideTab::Annotations;
                self.ann_ui.hidden = false;
            }
        }
        let Some(resp) = out.response else { return };
        if let Some(c) = out.hover_char {
            type Line = (String, String, Vec<(String, egui::Color32)>);
            let lines: Vec<Line> = self
                .annotations_at(doc, c)
                .into_iter()
                .map(|a| {
                    let tags = a
                        .tags
                        .iter()
                        .filter_map(|t| self.ws().tag(*t))
                        .map(|t| (t.name.clone(), super::annotate::color_of(&t.color)))
                        .collect();
                    let quote: String = a.anchor.quote.chars().take(24).collect();
                    (quote, a.note.clone(), tags)
                })
                .collect();
            // Text warnings and candidate directives under the pointer: their reason.
            let mut review: Vec<(String, String)> = Vec::new();
            if let Some(det) = self.detection() {
                for w in det.warnings.iter().filter(|w| w.start <= c && c < w.end) {
                    let head = match w.suggestion.as_deref() {
                        Some(s) if s != "delete" => format!(
                            "{} — {}",
                            super::review::warning_label(&w.kind),
                            tr!(
                                "review.fix_to",
                                from = crate::model::preview(&w.text, 16),
                                to = s.to_string()
                            )
                        ),
                        _ => super::review::warning_label(&w.kind),
                    };
                    review.push((head, super::review::warning_reason(&w.kind)));
                }
                let pending = super::directives::pending_candidates(self.ws(), doc, &det);
                for d in pending.into_iter().filter(|d| d.start <= c && c < d.end) {
                    let who = d
                        .speaker
                        .clone()
                        .or_else(|| d.source_title.as_ref().map(|t| format!("《{t}》")))
                        .unwrap_or_default();
                    review.push((
                        tr!("reader.candidate", who = who),
                        tr!("reader.candidate_tip"),
                    ));
                }
            }
            if !lines.is_empty() || !review.is_empty() {
                resp.clone().on_hover_ui_at_pointer(|ui| {
                    ui.set_max_width(360.0);
                    for (head, why) in &review {
                        ui.label(
                            RichText::new(head)
                                .strong()
                                .color(ui.visuals().warn_fg_color),
                        );
                        ui.label(why);
                    }
                    if !review.is_empty() && !lines.is_empty() {
                        ui.separator();
                    }
                    for (i, (quote, note, tags)) in lines.iter().enumerate() {
                        if i > 0 {
                            ui.separator();
                        }
                        ui.label(RichText::new(format!("“{quote}…”")).weak());
                        ui.horizontal_wrapped(|ui| {
                            for (name, color) in tags {
                                ui.label(RichText::new(format!("● {name}")).color(*color));
                            }
                        });
                        if !note.is_empty() {
                            ui.label(note);
                        }
                    }
                });
            }
        }
        let has_sel = self.selection_range().is_some();
        let ctx = resp.ctx.clone();
        resp.context_menu(|ui| {
            for a in [Action::Highlight, Action::Annotate, Action::Copy] {
                if ui
                    .add_enabled(self.enabled(a), egui::Button::new(a.label()))
                    .clicked()
                {
                    self.perform(&ctx, a);
                    ui.close();
                }
            }
            ui.add_enabled_ui(has_sel, |ui| {
                ui.menu_button(tr!("reader.tag_selection_with"), |ui| {
                    let tree: Vec<(usize, crate::model::TagId, String)> = self
                        .ws()
                        .tag_tree()
                        .into_iter()
                        .map(|(d, t)| (d, t.id, t.name.clone()))
                        .collect();
                    if tree.is_empty() {
                        ui.label(tr!("reader.no_tags_yet"));
                    }
                    for (depth, id, name) in tree {
                        if ui
                            .button(format!("{}{}", "  ".repeat(depth), name))
                            .clicked()
                        {
                            self.annotate_selection(vec![id], "");
                            ui.close();
                        }
                    }
                });
            });
            if let Some(sel) = self.ann_ui.selected
                && ui
                    .button(tr!("reader.delete_selected_annotation"))
                    .clicked()
            {
                self.delete_annotation(sel);
                ui.close();
            }
        });
    }

    fn search_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // Wrapped, so that a narrow window never hides the buttons.
        ui.horizontal_wrapped(|ui| {
            ui.label(tr!("search.find"));
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.search.query)
                    .desired_width(220.0)
                    .id_salt("search-field"),
            );
            if self.search.focus {
                field.request_focus();
                self.search.focus = false;
                // Ctrl+F selects what is already in the field, so typing replaces it.
                let mut state = egui::TextEdit::load_state(ui.ctx(), field.id).unwrap_or_default();
                let n = self.search.query.chars().count();
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::two(
                        egui::text::CCursor::new(0),
                        egui::text::CCursor::new(n),
                    )));
                state.store(ui.ctx(), field.id);
            }
            ui.checkbox(&mut self.search.all_documents, tr!("search.all_documents"));
            self.update_search();
            let enter = super::enter_pressed(ui, &field);
            let shift = ui.input(|i| i.modifiers.shift);
            if enter {
                self.step_search(!shift);
                field.request_focus();
            }
            let n = self.search.hits.len();
            let label = match (self.search.current, n) {
                (_, 0) if self.search.query.trim().is_empty() => String::new(),
                (_, 0) => tr!("search.no_hits"),
                (Some(i), n) => tr!("search.hit_of", i = i + 1, n = n),
                (None, n) => tr!("search.hits", n = n),
            };
            ui.label(label);
            if ui
                .button(tr!("search.previous"))
                .on_hover_text("Shift+F3")
                .clicked()
            {
                self.step_search(false);
            }
            if ui
                .button(tr!("search.next"))
                .on_hover_text(tr!("search.next_tip"))
                .clicked()
            {
                self.step_search(true);
            }
            if ui.button(tr!("search.close")).clicked()
                || (field.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)))
            {
                self.search.open = false;
            }
            let _ = &ctx;
        });
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let paths: Vec<std::path::PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !paths.is_empty() {
            self.open_paths(ctx, paths);
        }
    }

    fn drop_overlay(&self, ctx: &egui::Context) {
        let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
        if !hovering {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop-overlay"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            tr!("view.drop_files"),
            egui::FontId::proportional(24.0),
            egui::Color32::WHITE,
        );
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                ui.menu_button(menu.title(), |ui| {
                    for a in Action::all().filter(|a| a.menu() == menu) {
                        if a == Action::Save || a == Action::Quit || a == Action::ZoomIn {
                            ui.separator();
                        }
                        let mut label = a.label();
                        if let (Action::Undo, Some(l)) = (a, self.history.undo_label()) {
                            label = tr!("menu.undo_change", change = change_label(l));
                        }
                        if let (Action::Redo, Some(l)) = (a, self.history.redo_label()) {
                            label = tr!("menu.redo_change", change = change_label(l));
                        }
                        let mut button = egui::Button::new(label);
                        if let Some(s) = a.shortcut_text(&ctx) {
                            button = button.shortcut_text(s);
                        }
                        let r = ui
                            .add_enabled(self.enabled(a), button)
                            .on_hover_text(a.tooltip());
                        if r.clicked() {
                            self.perform(&ctx, a);
                            ui.close();
                        }
                        if a == Action::Open && !self.settings.recent_files.is_empty() {
                            ui.menu_button(tr!("menu.open_recent"), |ui| {
                                for p in self.settings.recent_files.clone() {
                                    if ui
                                        .add_enabled(
                                            p.exists(),
                                            egui::Button::new(p.display().to_string()),
                                        )
                                        .clicked()
                                    {
                                        self.open_paths(&ctx, vec![p]);
                                        ui.close();
                                    }
                                }
                            });
                        }
                    }
                    if menu == Menu::View {
                        ui.separator();
                        let (lo, hi) = super::settings::COLUMN_CHARS_RANGE;
                        let r = ui
                            .add(
                                egui::Slider::new(&mut self.settings.column_chars, lo..=hi)
                                    .step_by(1.0)
                                    .text(tr!("view.column_width")),
                            )
                            .on_hover_text(tr!("view.column_width_tip"));
                        if r.drag_stopped() || r.lost_focus() {
                            self.save_settings();
                        }
                        self.language_menu(ui);
                    }
                });
            }
        });
    }

    /// View → Language: follow the system, or one of the languages (each named in itself).
    fn language_menu(&mut self, ui: &mut egui::Ui) {
        ui.menu_button(tr!("menu.language"), |ui| {
            let mut choice = None;
            let system = tr!(
                "menu.language_system",
                language = self.system_language.native_name()
            );
            if ui.radio(self.settings.language.is_none(), system).clicked() {
                choice = Some(None);
            }
            for l in Language::ALL {
                if ui
                    .radio(self.settings.language == Some(l), l.native_name())
                    .clicked()
                {
                    choice = Some(Some(l));
                }
            }
            if let Some(c) = choice {
                self.set_language(c);
                ui.close();
            }
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        let (unshowable, which) = self.unshowable_in_current();
        let busy = self.jobs.busy();
        let size = self.settings.text_size;
        ui.horizontal(|ui| {
            let running = self.jobs.running();
            for job in running {
                ui.label(&job.label);
                let bar = match job.progress.fraction() {
                    Some(f) => egui::ProgressBar::new(f).show_percentage(),
                    None => egui::ProgressBar::new(0.0).animate(true),
                };
                ui.add(bar.desired_width(140.0));
                if job.progress.is_cancelled() {
                    ui.label(tr!("progress.stopping"));
                } else if ui
                    .button(tr!("progress.cancel"))
                    .on_hover_text(tr!("progress.cancel_tip"))
                    .clicked()
                {
                    job.progress.cancel();
                }
                ui.separator();
            }
            if busy && running.is_empty() {
                ui.spinner();
                ui.label(tr!("status.working"));
                ui.separator();
            }
            if let Some((doc, view)) = self.current_view() {
                ui.label(tr!(
                    "status.characters",
                    n = group_digits(view.index.char_len())
                ));
                ui.separator();
                ui.label(tr!(
                    "status.paragraphs",
                    n = group_digits(view.paragraphs.len())
                ));
                ui.separator();
                ui.label(doc.origin.encoding.clone())
                    .on_hover_text(tr!("status.encoding_tip"));
                if let Some(sel) = view.selection.filter(|s| !s.is_empty()) {
                    let r = sel.range();
                    let (a, b) = (
                        view.paragraph_at(r.start) + 1,
                        view.paragraph_at(r.end.saturating_sub(1)) + 1,
                    );
                    ui.separator();
                    let where_ = if a == b {
                        tr!("common.para", n = a)
                    } else {
                        tr!("common.paras", a = a, b = b)
                    };
                    ui.label(tr!(
                        "status.selected",
                        n = r.end - r.start,
                        paragraphs = where_
                    ));
                }
                if unshowable > 0 {
                    ui.separator();
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        if unshowable == 1 {
                            tr!("status.unshowable_one")
                        } else {
                            tr!("status.unshowable", n = group_digits(unshowable))
                        },
                    )
                    .on_hover_text(tr!("status.unshowable_tip", chars = which));
                }
            } else {
                ui.label(tr!("status.no_document"));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(format!(
                    "{:.0}%",
                    size / super::settings::DEFAULT_TEXT_SIZE * 100.0
                ))
                .on_hover_text(tr!("status.text_size_tip"));
            });
        });
    }

    fn notices_panel(&mut self, ui: &mut egui::Ui) {
        let now = std::time::Instant::now();
        self.notices
            .retain(|n| n.error || now.duration_since(n.at).as_secs_f32() < 6.0);
        if self.notices.is_empty() {
            return;
        }
        if self.notices.iter().any(|n| !n.error) {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
        }
        let mut dismiss = None;
        Panel::bottom("notices").show(ui, |ui| {
            for (i, n) in self.notices.iter().enumerate() {
                ui.horizontal(|ui| {
                    if n.error {
                        ui.colored_label(ui.visuals().error_fg_color, &n.text);
                        if ui.small_button(tr!("notice.dismiss")).clicked() {
                            dismiss = Some(i);
                        }
                    } else {
                        ui.label(RichText::new(&n.text).weak());
                    }
                });
            }
        });
        if let Some(i) = dismiss {
            self.notices.remove(i);
        }
    }

    /// The document list: searchable, and laid out only where in view, so a workspace of
    /// thousands of documents scrolls as fast as one of ten. The corpus desk's group filter
    /// applies here too.
    fn document_list(&mut self, ui: &mut egui::Ui) {
        ui.heading(tr!("doclist.heading"));
        ui.add(
            egui::TextEdit::singleline(&mut self.corpus.list_search)
                .hint_text(tr!("doclist.search_hint"))
                .desired_width(f32::INFINITY),
        );
        let filter = crate::model::DocFilter {
            group: self.corpus.filter.group.clone(),
            attributes: self.corpus.filter.attributes.clone(),
            text: self.corpus.list_search.clone(),
        };
        // Built again only when the workspace or the filter changed, not every frame.
        let key = (self.history.state_id(), filter.clone());
        let ids = match &self.corpus.list_rows {
            Some((k, rows)) if *k == key => rows.clone(),
            _ => {
                let rows: std::sync::Arc<Vec<_>> = std::sync::Arc::new(
                    filter
                        .documents(self.ws())
                        .map(|d| (d.id, d.display_name(), d.meta.group.clone()))
                        .collect(),
                );
                self.corpus.list_rows = Some((key, rows.clone()));
                rows
            }
        };
        if !filter.is_empty() {
            ui.label(
                RichText::new(tr!(
                    "corpus.n_of_m",
                    n = ids.len(),
                    m = self.ws().documents.len()
                ))
                .weak()
                .small(),
            );
        }
        ui.separator();
        let mut show = None;
        let row_h =
            ui.text_style_height(&egui::TextStyle::Button) + ui.spacing().item_spacing.y + 2.0;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_h, ids.len(), |ui, range| {
                for (id, name, group) in &ids[range] {
                    let selected = self.current == Some(*id);
                    let r = ui.selectable_label(selected, name).on_hover_ui(|ui| {
                        if let Some(d) = self.ws().document(*id) {
                            if !group.is_empty() {
                                ui.label(format!("{}: {group}", tr!("field.group")));
                            }
                            ui.label(tr!(
                                "doclist.tip",
                                path = d
                                    .origin
                                    .path
                                    .clone()
                                    .unwrap_or_else(|| tr!("doclist.no_file")),
                                encoding = d.origin.encoding,
                                n = group_digits(d.char_count())
                            ));
                        }
                    });
                    if r.clicked() {
                        show = Some(*id);
                    }
                }
            });
        if let Some(id) = show {
            self.show_document(id);
        }
    }

    fn start_page(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.2);
            ui.heading(RichText::new("Yinwen 引文").size(32.0));
            ui.label(tr!("start.intro"));
            ui.add_space(12.0);
            if ui
                .button(RichText::new(Action::Open.label()).size(18.0))
                .clicked()
            {
                self.perform(&ctx, Action::Open);
            }
            if ui.button(Action::OpenSample.label()).clicked() {
                self.open_sample();
            }
            ui.label(RichText::new(tr!("start.drag_hint")).weak());
            if !self.settings.recent_files.is_empty() {
                ui.add_space(12.0);
                ui.label(tr!("start.recent"));
                for p in self.settings.recent_files.clone() {
                    if ui
                        .add_enabled(
                            p.exists(),
                            egui::Button::new(p.display().to_string()).frame(false),
                        )
                        .clicked()
                    {
                        self.open_paths(&ctx, vec![p]);
                    }
                }
            }
        });
    }
}

/// A change's name from the undo history ("add tag"), in the current language.
fn change_label(kind: ChangeKind) -> String {
    match kind {
        ChangeKind::AddDocument => tr!("change.add_document"),
        ChangeKind::RemoveDocument => tr!("change.remove_document"),
        ChangeKind::EditDocumentDetails => tr!("change.edit_document_details"),
        ChangeKind::ReplaceDocumentText => tr!("change.replace_document_text"),
        ChangeKind::AddTag => tr!("change.add_tag"),
        ChangeKind::EditTag => tr!("change.edit_tag"),
        ChangeKind::DeleteTag => tr!("change.delete_tag"),
        ChangeKind::AddAnnotation => tr!("change.add_annotation"),
        ChangeKind::EditAnnotation => tr!("change.edit_annotation"),
        ChangeKind::DeleteAnnotation => tr!("change.delete_annotation"),
        ChangeKind::AddSource => tr!("change.add_source"),
        ChangeKind::EditSource => tr!("change.edit_source"),
        ChangeKind::DeleteSource => tr!("change.delete_source"),
        ChangeKind::MergeSources => tr!("change.merge_sources"),
        ChangeKind::MergeTags => tr!("change.merge_tags"),
        ChangeKind::UpdateText => tr!("change.update_text"),
        ChangeKind::CorrectText => tr!("change.correct_text"),
        ChangeKind::ReattachAnnotation => tr!("change.reattach_annotation"),
        ChangeKind::ImportCodebook => tr!("change.import_codebook"),
        ChangeKind::AcceptDirectives => tr!("change.accept_directives"),
        ChangeKind::CreateSource => tr!("change.create_source"),
        ChangeKind::VerifyAll => tr!("change.verify_all"),
        ChangeKind::MergeWorkspace => tr!("change.merge_workspace"),
        ChangeKind::EditWorkspaceMemo => tr!("change.edit_workspace_memo"),
        ChangeKind::EditAttributes => tr!("change.edit_attributes"),
        ChangeKind::ImportFolder => tr!("change.import_folder"),
        ChangeKind::RejectCandidate => tr!("change.reject_candidate"),
        ChangeKind::RestoreCandidate => tr!("change.restore_candidate"),
    }
}

/// 12345 → "12,345".
pub fn group_digits(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::ui::i18n::{self, Language};

    /// Every kind of change has a Chinese name (the `match` in `change_label` is total, so
    /// the compiler sees to it that none is left out; this checks the locale file has them).
    #[test]
    fn every_change_name_is_translated() {
        i18n::set_current(Language::Chinese);
        for kind in crate::model::ChangeKind::all() {
            let zh = super::change_label(kind);
            assert!(
                zh.chars().any(|c| c > '\u{2e80}'),
                "{kind:?} is not translated: {zh}"
            );
        }
        i18n::set_current(Language::English);
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(super::group_digits(0), "0");
        assert_eq!(super::group_digits(999), "999");
        assert_eq!(super::group_digits(1000), "1,000");
        assert_eq!(super::group_digits(1234567), "1,234,567");
    }
}
