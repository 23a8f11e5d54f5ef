//! Annotation work in the app: creating, editing and deleting annotations, the codebook,
//! retrieval, search and revising a document's text. Every change goes through
//! [`YinwenApp::execute`] (or its coalescing twin), so undo covers all of it.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use egui::Color32;

use crate::model::{
    Anchor, AnnId, Annotation, Command, DocId, Origin, Tag, TagId, Workspace, default_tag_color,
    parse_hex_color,
};
use crate::store::qdc::{self, QdcCode};

use super::app::YinwenApp;
use super::i18n::tr;
use super::reader::{Mark, MarkStyle};

/// Which side-panel tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SideTab {
    /// The document's annotations (and its orphans).
    #[default]
    Annotations,
    /// The codebook.
    Codebook,
    /// Passages by tag across the workspace.
    Retrieve,
    /// Document metadata.
    Details,
    /// Quoted directives of the speech.
    Directives,
    /// The source library.
    Sources,
    /// The library of official texts (folders) and full-text search.
    Library,
}

/// Filter of the annotation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnnKindFilter {
    /// Everything.
    #[default]
    All,
    /// Only annotations with a note.
    WithNote,
    /// Only annotations without tags.
    Untagged,
}

/// What the Codebook view keeps between frames.
#[derive(Debug, Default, Clone)]
pub struct CodebookState {
    /// The tag selected for editing.
    pub tag_selected: Option<TagId>,
    /// Name typed for a new tag.
    pub new_tag_name: String,
    /// Tag waiting for delete confirmation.
    pub confirm_delete: Option<TagId>,
}

/// What the Retrieve view asks for.
#[derive(Debug, Default, Clone)]
pub struct RetrieveState {
    /// The tags asked for.
    pub tags: BTreeSet<TagId>,
    /// All of the tags (true) or any of them (false).
    pub all_of: bool,
    /// Only passages of these documents (the corpus desk's filter).
    pub filter: crate::model::DocFilter,
}

/// State of the annotation side panel.
#[derive(Debug, Default)]
pub struct AnnotationUi {
    /// Tab shown.
    pub tab: SideTab,
    /// Whether the side panel is shown.
    pub hidden: bool,
    /// The annotation being edited.
    pub selected: Option<AnnId>,
    /// Filter by tag (with its children).
    pub filter_tag: Option<TagId>,
    /// Filter by kind.
    pub filter_kind: AnnKindFilter,
    /// The Retrieve view's own state.
    pub retrieve: RetrieveState,
    /// The Codebook view's own state.
    pub codebook: CodebookState,
    /// Colour for new highlights.
    pub color: String,
    /// Request to focus the note field of the selected annotation.
    pub focus_note: bool,
    /// The tab shown last frame (a change of tab scrolls the panel back to its top).
    pub shown_tab: Option<SideTab>,
}

/// Find in the document or the workspace.
#[derive(Debug, Default)]
pub struct SearchUi {
    /// Whether the search bar is shown.
    pub open: bool,
    /// Text searched for.
    pub query: String,
    /// Search every document instead of the current one.
    pub all_documents: bool,
    /// Hits: document and char range, in document order.
    pub hits: Vec<(DocId, Range<usize>)>,
    /// Index of the current hit.
    pub current: Option<usize>,
    /// Ask the search field for focus.
    pub focus: bool,
    key: Option<(String, bool, u64, Option<DocId>)>,
}

/// Colour from `#RRGGBB` (grey if malformed).
pub fn color_of(hex: &str) -> Color32 {
    parse_hex_color(hex).map_or(Color32::GRAY, |[r, g, b]| Color32::from_rgb(r, g, b))
}

impl YinwenApp {
    /// Marks to draw for a document, rebuilt only when the workspace changed.
    pub fn marks_for(&mut self, doc: DocId) -> Arc<Vec<Mark>> {
        let state = self.history.state_id();
        let selected = self.ann_ui.selected;
        if let Some((s, sel, marks)) = self.marks_cache.get(&doc)
            && *s == state
            && *sel == selected
        {
            return marks.clone();
        }
        let det = if Some(doc) == self.current {
            self.detection()
        } else {
            None
        };
        let mut marks = build_marks(self.ws(), doc, selected);
        if let Some(det) = det {
            let warn = if self.egui_ctx.global_style().visuals.dark_mode {
                egui::Color32::from_rgb(255, 110, 90)
            } else {
                egui::Color32::from_rgb(210, 40, 30)
            };
            review_marks(&mut marks, self.ws(), &det, doc, warn);
        }
        let marks = Arc::new(marks);
        self.marks_cache
            .insert(doc, (state, selected, marks.clone()));
        marks
    }

    /// Annotations of the current document that cover char `pos`.
    pub fn annotations_at(&self, doc: DocId, pos: usize) -> Vec<&Annotation> {
        self.ws()
            .annotations_of(doc)
            .filter(|a| !a.orphan && a.anchor.start.0 <= pos && pos < a.anchor.end.0)
            .collect()
    }

    /// The current selection as a char range, if not empty.
    pub fn selection_range(&self) -> Option<(DocId, Range<usize>)> {
        let id = self.current?;
        let v = self.views.get(&id)?;
        let s = v.selection.filter(|s| !s.is_empty())?;
        Some((id, s.range()))
    }

    /// Creates an annotation on the selection with the given tags; returns its ID.
    pub fn annotate_selection(&mut self, tags: Vec<TagId>, note: &str) -> Option<AnnId> {
        let Some((doc_id, range)) = self.selection_range() else {
            self.info(tr!("ann.select_first"));
            return None;
        };
        let doc = self.ws().document(doc_id)?;
        let index = &self.views.get(&doc_id)?.index;
        let anchor = Anchor::new(&doc.text, index, range);
        if anchor.quote.trim().is_empty() {
            self.info(tr!("ann.only_white_space"));
            return None;
        }
        let color = if self.ann_ui.color.is_empty() {
            default_tag_color()
        } else {
            self.ann_ui.color.clone()
        };
        let ann = Annotation {
            id: AnnId(0),
            doc: doc_id,
            anchor,
            color,
            note: note.to_string(),
            tags,
            orphan: false,
            directive: None,
        };
        let id = AnnId(self.execute_creating(Command::AddAnnotation(Box::new(ann)))?);
        self.ann_ui.selected = Some(id);
        self.ann_ui.tab = SideTab::Annotations;
        self.ann_ui.hidden = false;
        Some(id)
    }

    /// Replaces an annotation; typing in one annotation's note is one undo step.
    pub fn edit_annotation(&mut self, ann: Annotation, coalesce_key: Option<&str>) {
        self.apply_change(Command::SetAnnotation(Box::new(ann)), coalesce_key);
    }

    /// Deletes an annotation (undoable).
    pub fn delete_annotation(&mut self, id: AnnId) {
        if self.execute(Command::RemoveAnnotation(id)) && self.ann_ui.selected == Some(id) {
            self.ann_ui.selected = None;
        }
    }

    /// Re-attaches an orphan to the current selection.
    pub fn reattach(&mut self, id: AnnId) {
        let Some((doc_id, range)) = self.selection_range() else {
            self.info(tr!("ann.select_to_reattach"));
            return;
        };
        let Some(mut ann) = self.ws().annotation(id).cloned() else {
            return;
        };
        let (Some(doc), Some(view)) = (self.ws().document(doc_id), self.views.get(&doc_id)) else {
            return;
        };
        ann.anchor = Anchor::new(&doc.text, &view.index, range);
        ann.doc = doc_id;
        ann.orphan = false;
        self.execute(Command::Batch {
            label: crate::model::ChangeKind::ReattachAnnotation,
            commands: vec![Command::SetAnnotation(Box::new(ann))],
        });
    }

    /// Shows an annotation: its document, scrolled to it, with its passage selected.
    pub fn jump_to(&mut self, doc: DocId, range: Range<usize>) {
        self.show_document(doc);
        if let Some((_, view)) = self.current_view() {
            let p = view.paragraph_at(range.start);
            view.scroll_to = Some(p.saturating_sub(1));
            view.reveal = Some(range.start);
            view.selection = Some(super::reader::Selection {
                anchor: range.start,
                head: range.end,
            });
        }
    }

    /// Adds a tag to the codebook; returns its ID.
    pub fn add_tag(&mut self, name: &str, parent: Option<TagId>) -> Option<TagId> {
        let n = self.ws().tags.len();
        let tag = Tag {
            id: TagId(0),
            name: name.trim().to_string(),
            parent,
            color: crate::model::PALETTE[n % crate::model::PALETTE.len()].to_string(),
            description: String::new(),
            guid: String::new(),
            memo: String::new(),
        };
        self.execute_creating(Command::AddTag(Box::new(tag)))
            .map(TagId)
    }

    /// Annotations carrying the tags (see [`Workspace::retrieve`]).
    pub fn retrieve(&self, tags: &BTreeSet<TagId>, all_of: bool) -> Vec<&Annotation> {
        self.ws().retrieve(tags, all_of)
    }

    /// Recomputes search hits when the query, scope or workspace changed.
    pub fn update_search(&mut self) {
        let key = (
            self.search.query.clone(),
            self.search.all_documents,
            self.history.state_id(),
            if self.search.all_documents {
                None
            } else {
                self.current
            },
        );
        if self.search.key.as_ref() == Some(&key) {
            return;
        }
        self.search.key = Some(key);
        self.search.hits.clear();
        self.search.current = None;
        let q = self.search.query.trim();
        if q.is_empty() {
            return;
        }
        let docs: Vec<DocId> = if self.search.all_documents {
            self.ws().documents.iter().map(|d| d.id).collect()
        } else {
            self.current.into_iter().collect()
        };
        let qlen = q.chars().count();
        let mut hits = Vec::new();
        for id in docs {
            let Some(doc) = self.ws().document(id) else {
                continue;
            };
            let mut last_byte = 0;
            let mut last_char = 0;
            for (b, _) in doc.text.match_indices(q) {
                last_char += doc.text[last_byte..b].chars().count();
                last_byte = b;
                hits.push((id, last_char..last_char + qlen));
            }
        }
        self.search.hits.extend(hits);
        // No hit is current until the user steps (Enter, F3): the count shows first.
    }

    /// Moves to the next (or previous) search hit and shows it.
    pub fn step_search(&mut self, forward: bool) {
        self.update_search();
        let n = self.search.hits.len();
        if n == 0 {
            return;
        }
        let i = match self.search.current {
            None => 0,
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
        };
        self.search.current = Some(i);
        let (doc, r) = self.search.hits[i].clone();
        self.jump_to(doc, r);
    }

    /// Search hits in one document, and the current hit if it is there.
    pub fn hits_in(&self, doc: DocId) -> (Vec<Range<usize>>, Option<Range<usize>>) {
        if !self.search.open {
            return (Vec::new(), None);
        }
        let hits = self
            .search
            .hits
            .iter()
            .filter(|(d, _)| *d == doc)
            .map(|(_, r)| r.clone())
            .collect();
        let cur = self
            .search
            .current
            .and_then(|i| self.search.hits.get(i))
            .filter(|(d, _)| *d == doc)
            .map(|(_, r)| r.clone());
        (hits, cur)
    }

    /// Replaces a document's text and re-anchors its annotations in one undo step.
    pub fn update_document_text(&mut self, id: DocId, text: String, origin: Origin) {
        match self.ws().update_text(id, text, origin) {
            Ok((cmd, orphans, changed)) => {
                if self.execute(cmd) {
                    if orphans > 0 {
                        self.error(tr!("ann.orphaned_by_update", n = orphans));
                        self.ann_ui.tab = SideTab::Annotations;
                        self.ann_ui.hidden = false;
                    } else if changed > 0 {
                        self.info(tr!("ann.changed_by_update", n = changed));
                        self.ann_ui.tab = SideTab::Annotations;
                        self.ann_ui.hidden = false;
                    } else {
                        self.info(tr!("ann.text_updated"));
                    }
                }
            }
            Err(e) => self.error(tr!("ann.update_failed", error = e)),
        }
    }

    /// Imports a REFI-QDA codebook: tags whose name already exists at the same level are
    /// reused, the others added. One undo step.
    pub fn import_codebook(&mut self, path: &Path) {
        let text = match std::fs::read(path) {
            Ok(b) => match String::from_utf8(b) {
                Ok(s) => s,
                Err(_) => {
                    self.error(tr!("codebook.not_utf8", path = path.display()));
                    return;
                }
            },
            Err(e) => {
                self.error(tr!("dialog.cannot_read", path = path.display(), error = e));
                return;
            }
        };
        let codes = match qdc::read_qdc(&text) {
            Ok(c) => c,
            Err(e) => {
                self.error(format!("{}: {e}", path.display()));
                return;
            }
        };
        let mut next = self.ws().first_free_id();
        let mut cmds = Vec::new();
        let mut added = 0;
        // existing tags by (parent, name)
        let mut known: HashMap<(Option<TagId>, String), TagId> = self
            .ws()
            .tags
            .iter()
            .map(|t| ((t.parent, t.name.trim().to_string()), t.id))
            .collect();
        let mut stack: Vec<(Option<TagId>, &QdcCode)> =
            codes.iter().rev().map(|c| (None, c)).collect();
        while let Some((parent, code)) = stack.pop() {
            let key = (parent, code.name.trim().to_string());
            let id = match known.get(&key) {
                Some(id) => *id,
                None => {
                    let id = TagId(next);
                    next += 1;
                    added += 1;
                    cmds.push(Command::AddTag(Box::new(Tag {
                        id,
                        name: code.name.trim().to_string(),
                        parent,
                        color: code.color.clone().unwrap_or_else(default_tag_color),
                        description: code.description.clone(),
                        guid: code.guid.clone(),
                        memo: String::new(),
                    })));
                    known.insert(key, id);
                    id
                }
            };
            stack.extend(code.children.iter().rev().map(|c| (Some(id), c)));
        }
        if cmds.is_empty() {
            self.info(tr!("codebook.nothing_new"));
            return;
        }
        if self.execute(Command::Batch {
            label: crate::model::ChangeKind::ImportCodebook,
            commands: cmds,
        }) {
            self.info(tr!("codebook.imported", n = added, path = path.display()));
        }
    }

    /// Exports the codebook as REFI-QDA `.qdc`.
    pub fn export_codebook(&mut self, path: &Path) {
        fn build(app: &YinwenApp, parent: Option<TagId>) -> Vec<QdcCode> {
            let mut kids: Vec<&Tag> = app
                .ws()
                .tags
                .iter()
                .filter(|t| t.parent == parent)
                .collect();
            kids.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            kids.into_iter()
                .map(|t| QdcCode {
                    guid: if t.guid.is_empty() {
                        qdc::guid_from_seed(&format!("yinwen-tag-{}-{}", t.id.0, t.name))
                    } else {
                        t.guid.clone()
                    },
                    name: t.name.clone(),
                    color: Some(t.color.to_uppercase()),
                    description: t.description.clone(),
                    codable: true,
                    children: build(app, Some(t.id)),
                })
                .collect()
        }
        let xml = qdc::write_qdc(&build(self, None), "Yinwen");
        match crate::store::write_atomic(path, xml.as_bytes()) {
            Ok(()) => self.info(tr!("codebook.exported", path = path.display())),
            Err(e) => self.error(tr!(
                "codebook.write_failed",
                path = path.display(),
                error = e
            )),
        }
    }
}

/// The marks of one document's annotations, sorted by position. An annotation with the
/// default colour takes its first tag's colour.
/// Adds the review marks of a document to its annotation marks (kept sorted by start): text
/// warnings (wavy underline) and candidate directives neither accepted nor rejected (dotted
/// outline).
pub fn review_marks(
    marks: &mut Vec<Mark>,
    ws: &Workspace,
    det: &crate::analysis::Detection,
    doc: DocId,
    warn: egui::Color32,
) {
    for d in super::directives::pending_candidates(ws, doc, det) {
        marks.push(Mark {
            range: d.start..d.end,
            color: color_of(crate::model::DIRECTIVE_COLOR),
            selected: false,
            style: MarkStyle::Candidate,
            badge: None,
        });
    }
    for w in &det.warnings {
        marks.push(Mark {
            range: w.start..w.end,
            color: warn,
            selected: false,
            style: MarkStyle::Warning,
            badge: None,
        });
    }
    marks.sort_by_key(|m| (m.range.start, m.range.end));
}

pub fn build_marks(ws: &Workspace, doc: DocId, selected: Option<AnnId>) -> Vec<Mark> {
    let mut marks: Vec<Mark> = ws
        .annotations_of(doc)
        .filter(|a| !a.orphan)
        .map(|a| {
            let color = a
                .tags
                .first()
                .filter(|_| a.color == default_tag_color())
                .and_then(|t| ws.tag(*t))
                .map_or_else(|| color_of(&a.color), |t| color_of(&t.color));
            Mark {
                range: a.anchor.range(),
                color,
                selected: Some(a.id) == selected,
                style: if a.directive.is_some() {
                    MarkStyle::Boxed
                } else {
                    MarkStyle::Highlight
                },
                badge: a.directive.as_ref().and_then(|d| {
                    let v = d.verification.as_ref()?;
                    let (_, color) = super::directives::status_label(v.status);
                    let symbol = if d.verification_stale {
                        "△"
                    } else {
                        super::review::status_symbol(v.status)
                    };
                    Some((symbol, color))
                }),
            }
        })
        .collect();
    marks.sort_by_key(|m| (m.range.start, m.range.end));
    marks
}
